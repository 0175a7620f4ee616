//! The Linux part of reading keyring failures: the Secret Service over D-Bus and the kernel keyring,
//! each told apart precisely so the message says what to do (start a keyring, unlock it, get a session
//! keyring, allow keyctl).

use crate::store::StoreError;
use crate::store::keyring::{Backend, PlatformError};

/// What the Secret Service's own error says, told apart precisely: no bus, no provider on the bus,
/// locked or prompt dismissed, no default collection, anything else.
pub(super) fn secret_service_error(inner: &PlatformError) -> StoreError {
    use secret_service::Error as S;
    let Some(err) = inner.downcast_ref::<S>() else {
        return StoreError::Other(format!("Secret Service: {inner}"));
    };
    match err {
        S::Locked | S::Prompt => StoreError::Locked,
        S::PromptDisconnected => StoreError::Locked,
        S::NoResult => StoreError::NoDefaultKeyring,
        S::Unavailable => StoreError::NoSecretService {
            detail: no_bus_detail(),
        },
        S::Zbus(zbus_err) => zbus_error(zbus_err),
        S::ZbusFdo(fdo_err) => fdo_error(fdo_err),
        other => StoreError::Other(format!("Secret Service: {other}")),
    }
}

fn no_bus_detail() -> String {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        "the D-Bus session bus named by DBUS_SESSION_BUS_ADDRESS cannot be reached".to_string()
    } else {
        "no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set".to_string()
    }
}

const NO_PROVIDER: &str = "nothing on the D-Bus session bus provides org.freedesktop.secrets";

fn zbus_error(err: &zbus::Error) -> StoreError {
    match err {
        zbus::Error::MethodError(name, _, _) if is_no_provider(name.as_str()) => {
            StoreError::NoSecretService {
                detail: NO_PROVIDER.to_string(),
            }
        }
        zbus::Error::FDO(fdo_err) => fdo_error(fdo_err),
        // No bus at the address (zbus says Connection since 5.19; older zbus said InputOutput).
        zbus::Error::InterfaceNotFound
        | zbus::Error::Address(_)
        | zbus::Error::Connection(_, _) => StoreError::NoSecretService {
            detail: no_bus_detail(),
        },
        zbus::Error::InputOutput(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::ConnectionRefused
                    | std::io::ErrorKind::PermissionDenied
            ) =>
        {
            StoreError::NoSecretService {
                detail: no_bus_detail(),
            }
        }
        other => StoreError::Other(format!("Secret Service over D-Bus: {other}")),
    }
}

fn fdo_error(err: &zbus::fdo::Error) -> StoreError {
    match err {
        zbus::fdo::Error::ServiceUnknown(_) | zbus::fdo::Error::NameHasNoOwner(_) => {
            StoreError::NoSecretService {
                detail: NO_PROVIDER.to_string(),
            }
        }
        other => StoreError::Other(format!("Secret Service over D-Bus: {other}")),
    }
}

fn is_no_provider(error_name: &str) -> bool {
    matches!(
        error_name,
        "org.freedesktop.DBus.Error.ServiceUnknown" | "org.freedesktop.DBus.Error.NameHasNoOwner"
    )
}

/// The kernel refuses keyctl in some places (a container's seccomp filter answers ENOSYS or EPERM, a
/// process may have no session keyring): that is "the kernel keyring is unavailable", not a failed call.
pub(super) fn kernel_keyring_failure(inner: &PlatformError) -> StoreError {
    use linux_keyutils::KeyError as K;
    match inner.downcast_ref::<K>() {
        Some(
            K::PermissionDenied
            | K::AccessDenied
            | K::OperationNotSupported
            | K::KeyringDoesNotExist
            | K::Unknown(libc::ENOSYS),
        ) => StoreError::KernelKeyringUnavailable {
            detail: kernel_error_text(inner),
        },
        _ => StoreError::Other(format!(
            "{}: {}",
            Backend::KernelKeyring.describe(),
            kernel_error_text(inner)
        )),
    }
}

/// linux-keyutils shows its errors by variant name; say them in words.
pub(super) fn kernel_error_text(inner: &PlatformError) -> String {
    {
        use linux_keyutils::KeyError as K;
        if let Some(err) = inner.downcast_ref::<K>() {
            return match err {
                K::PermissionDenied | K::AccessDenied => {
                    "the kernel denied access to the session keyring".to_string()
                }
                K::OperationNotSupported | K::Unknown(libc::ENOSYS) => {
                    "the keyctl system calls are not available here".to_string()
                }
                K::KeyringDoesNotExist => "there is no session keyring".to_string(),
                K::QuotaExceeded => "the kernel's key quota for this user is used up".to_string(),
                other => format!("keyctl failed: {other:?}"),
            };
        }
    }
    inner.to_string()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::store::keyring::map_error;

    fn mapped(err: secret_service::Error) -> StoreError {
        map_error(
            Backend::SecretService,
            "default",
            keyring_core::Error::PlatformFailure(Box::new(err)),
        )
    }

    #[test]
    fn a_locked_keyring_or_dismissed_prompt_is_locked() {
        assert_eq!(mapped(secret_service::Error::Locked), StoreError::Locked);
        assert_eq!(mapped(secret_service::Error::Prompt), StoreError::Locked);
        assert_eq!(
            map_error(
                Backend::SecretService,
                "default",
                keyring_core::Error::NoStorageAccess(Box::new(secret_service::Error::Prompt)),
            ),
            StoreError::Locked
        );
    }

    #[test]
    fn no_session_bus_is_no_secret_service() {
        let err = mapped(secret_service::Error::Unavailable);
        assert!(matches!(err, StoreError::NoSecretService { .. }));
        let text = err.to_string();
        assert!(text.contains("D-Bus"), "{text}");
        assert!(text.contains("--store keyutils"), "{text}");
    }

    #[test]
    fn no_provider_on_the_bus_is_no_secret_service() {
        let err = mapped(secret_service::Error::ZbusFdo(
            zbus::fdo::Error::ServiceUnknown("org.freedesktop.secrets".into()),
        ));
        assert_eq!(
            err,
            StoreError::NoSecretService {
                detail: NO_PROVIDER.to_string()
            }
        );
    }

    #[test]
    fn a_refused_bus_connection_is_no_secret_service() {
        let io = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let err = mapped(secret_service::Error::Zbus(zbus::Error::InputOutput(
            Arc::new(io),
        )));
        assert!(matches!(err, StoreError::NoSecretService { .. }), "{err}");
    }

    #[test]
    fn no_bus_at_the_address_is_no_secret_service() {
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let address: zbus::Address = "unix:path=/nonexistent/bus".parse().unwrap();
        let err = mapped(secret_service::Error::Zbus(zbus::Error::Connection(
            Arc::new(io),
            address,
        )));
        assert!(matches!(err, StoreError::NoSecretService { .. }), "{err}");
    }

    #[test]
    fn other_failures_are_not_mistaken_for_a_missing_service() {
        let err = mapped(secret_service::Error::Crypto("bad padding"));
        assert!(matches!(err, StoreError::Other(_)), "{err}");
    }
}
