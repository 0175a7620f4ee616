//! Unit tests of `store::keyring`.

use super::*;

fn boxed<E: std::error::Error + Send + Sync + 'static>(err: E) -> Box<PlatformError> {
    Box::new(err)
}

#[test]
fn the_kernel_keyring_says_it_lasts_until_reboot() {
    assert!(
        Backend::KernelKeyring
            .describe()
            .contains("kept in memory until reboot")
    );
}

#[test]
fn unreadable_values_are_not_shown() {
    let err = map_error(
        Backend::SecretService,
        "default",
        keyring_core::Error::BadEncoding(b"\xffsecret-bytes".to_vec()),
    );
    assert!(matches!(err, StoreError::Unreadable { .. }));
    assert!(!err.to_string().contains("secret-bytes"));
}

#[test]
fn kernel_keyring_access_errors_say_how_to_get_a_session_keyring() {
    let err = map_error(
        Backend::KernelKeyring,
        "default",
        keyring_core::Error::NoStorageAccess(boxed(std::io::Error::other("no session keyring"))),
    );
    assert!(matches!(err, StoreError::KernelKeyringUnavailable { .. }));
    assert!(err.to_string().contains("keyctl session"));
}

#[cfg(target_os = "linux")]
#[test]
fn kernel_keyring_blocked_by_a_sandbox_is_unavailable() {
    for blocked in [
        linux_keyutils::KeyError::Unknown(libc::ENOSYS),
        linux_keyutils::KeyError::PermissionDenied,
    ] {
        let err = map_error(
            Backend::KernelKeyring,
            "default",
            keyring_core::Error::PlatformFailure(boxed(blocked)),
        );
        assert!(
            matches!(err, StoreError::KernelKeyringUnavailable { .. }),
            "{err}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_kernel_key_quota_is_a_plain_failure() {
    let err = map_error(
        Backend::KernelKeyring,
        "default",
        keyring_core::Error::PlatformFailure(boxed(linux_keyutils::KeyError::QuotaExceeded)),
    );
    assert!(matches!(err, StoreError::Other(_)), "{err}");
    assert!(err.to_string().contains("quota"), "{err}");
}

#[cfg(target_os = "linux")]
mod secret_service_errors {
    use super::*;

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
