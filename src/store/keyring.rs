//! The OS keyring behind [`SecretStore`], through keyring-core and explicitly chosen stores:
//! the Secret Service on Linux (default), the Linux kernel keyring (only when asked for), the macOS
//! Keychain and the Windows Credential Manager. There is no file store and no fallback to one.
//!
//! One entry per profile: service [`SERVICE`], user = the profile name, secret = the whole credential
//! (see [`crate::store::blob`]). The store object is used directly (`Entry::new_in_store`), never
//! installed as keyring-core's process-wide default, so tests and the wizard can hold several stores.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use keyring_core::{CredentialStore, Entry};
use zeroize::Zeroizing;

use crate::credential::Credential;
use crate::store::{SecretStore, StoreChoice, StoreError, blob};

/// The keyring service name of every entry hibob-auth writes.
pub const SERVICE: &str = "hibob-auth";

/// Which platform store is behind a [`KeyringStore`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// freedesktop.org Secret Service over D-Bus (GNOME Keyring, KeePassXC, KWallet, ...).
    SecretService,
    /// The Linux kernel's key management facility: kept in memory until reboot.
    KernelKeyring,
    /// The macOS login Keychain. (Each platform builds only its own backends; the others stay named in
    /// the shared descriptions and error mapping.)
    #[cfg_attr(not(target_os = "macos"), allow(dead_code))]
    Keychain,
    /// The Windows Credential Manager.
    #[cfg_attr(not(windows), allow(dead_code))]
    CredentialManager,
}

impl Backend {
    /// How the store is named to people. The kernel keyring always says that it does not survive a reboot.
    pub fn describe(self) -> &'static str {
        match self {
            Backend::SecretService => "Secret Service (your desktop keyring)",
            Backend::KernelKeyring => "Linux kernel keyring (kept in memory until reboot)",
            Backend::Keychain => "macOS Keychain",
            Backend::CredentialManager => "Windows Credential Manager",
        }
    }
}

/// A keyring-core store used as a [`SecretStore`]. Its `Debug` names the backend only.
pub struct KeyringStore {
    /// Always `Some` until dropped (see the `Drop` impl for why it is taken out then).
    inner: Option<Arc<CredentialStore>>,
    backend: Backend,
}

impl Drop for KeyringStore {
    fn drop(&mut self) {
        let Some(inner) = self.inner.take() else {
            return;
        };
        // Dropping the Secret Service store drops zbus blocking proxies, which block on zbus's own
        // runtime; tokio panics if that happens on a thread that drives async tasks. So wherever a
        // runtime is around, the last reference goes away on a plain thread of its own.
        if tokio::runtime::Handle::try_current().is_ok() {
            let spawned = std::thread::Builder::new()
                .name("keyring-drop".to_string())
                .spawn(move || drop(inner));
            if let Err(err) = spawned {
                tracing::warn!("could not close the keyring connection on its own thread: {err}");
            }
        }
    }
}

impl fmt::Debug for KeyringStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyringStore")
            .field("backend", &self.backend)
            .finish()
    }
}

impl KeyringStore {
    fn new(inner: Arc<CredentialStore>, backend: Backend) -> KeyringStore {
        KeyringStore {
            inner: Some(inner),
            backend,
        }
    }

    fn inner(&self) -> &Arc<CredentialStore> {
        self.inner.as_ref().expect("present until dropped")
    }

    fn entry(&self, profile: &str) -> Result<Entry, StoreError> {
        let entry = match self.backend {
            // A label makes the item recognisable in Seahorse or KeePassXC; other stores take no label.
            Backend::SecretService => {
                let label = format!("HiBob API credential (hibob-auth profile {profile})");
                let modifiers = HashMap::from([("label", label.as_str())]);
                Entry::new_in_store_with_modifiers(self.inner(), SERVICE, profile, &modifiers)
            }
            _ => Entry::new_in_store(self.inner(), SERVICE, profile),
        };
        entry.map_err(|err| map_error(self.backend, profile, err))
    }
}

impl SecretStore for KeyringStore {
    fn describe(&self) -> String {
        self.backend.describe().to_string()
    }

    fn save(&self, profile: &str, credential: &Credential) -> Result<(), StoreError> {
        let secret = blob::encode(credential);
        self.entry(profile)?
            .set_secret(&secret)
            .map_err(|err| map_error(self.backend, profile, err))
    }

    fn load(&self, profile: &str) -> Result<Option<Credential>, StoreError> {
        match self.entry(profile)?.get_secret() {
            Ok(bytes) => {
                let bytes = Zeroizing::new(bytes);
                blob::decode(&bytes)
                    .map(Some)
                    .map_err(|err| StoreError::Unreadable {
                        profile: profile.to_string(),
                        detail: err.to_string(),
                    })
            }
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(err) => Err(map_error(self.backend, profile, err)),
        }
    }

    fn delete(&self, profile: &str) -> Result<bool, StoreError> {
        match self.entry(profile)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(err) => Err(map_error(self.backend, profile, err)),
        }
    }
}

/// Open the chosen store. This may block (it connects to D-Bus on Linux): from async code use
/// [`crate::store::Opener`]. Never falls back to another store: a store that cannot be opened is an error.
pub fn open(choice: StoreChoice) -> Result<Arc<dyn SecretStore>, StoreError> {
    let store = open_keyring(choice)?;
    Ok(Arc::new(store))
}

/// Open the chosen store as the concrete type (for code that needs [`KeyringStore::backend`]).
pub fn open_keyring(choice: StoreChoice) -> Result<KeyringStore, StoreError> {
    match choice {
        StoreChoice::Native => open_native(),
        StoreChoice::Keyutils => open_kernel_keyring(),
    }
}

#[cfg(target_os = "linux")]
fn open_native() -> Result<KeyringStore, StoreError> {
    let backend = Backend::SecretService;
    let inner = zbus_secret_service_keyring_store::Store::new()
        .map_err(|err| map_error(backend, "", err))?;
    Ok(KeyringStore::new(inner, backend))
}

#[cfg(target_os = "macos")]
fn open_native() -> Result<KeyringStore, StoreError> {
    let backend = Backend::Keychain;
    let inner = apple_native_keyring_store::keychain::Store::new()
        .map_err(|err| map_error(backend, "", err))?;
    Ok(KeyringStore::new(inner, backend))
}

#[cfg(target_os = "windows")]
fn open_native() -> Result<KeyringStore, StoreError> {
    let backend = Backend::CredentialManager;
    let inner =
        windows_native_keyring_store::Store::new().map_err(|err| map_error(backend, "", err))?;
    Ok(KeyringStore::new(inner, backend))
}

#[cfg(not(any(target_os = "linux", target_os = "macos", target_os = "windows")))]
fn open_native() -> Result<KeyringStore, StoreError> {
    Err(StoreError::Other(
        "hibob-auth knows no OS keyring on this platform, and it never stores credentials in files"
            .to_string(),
    ))
}

#[cfg(target_os = "linux")]
fn open_kernel_keyring() -> Result<KeyringStore, StoreError> {
    let backend = Backend::KernelKeyring;
    let inner: Arc<CredentialStore> =
        linux_keyutils_keyring_store::Store::new().map_err(|err| map_error(backend, "", err))?;
    // Building an entry looks up the session keyring; do it now, so a missing one is reported before any
    // check runs rather than after.
    inner
        .build(SERVICE, "probe", None)
        .map_err(|err| map_error(backend, "", err))?;
    Ok(KeyringStore::new(inner, backend))
}

#[cfg(not(target_os = "linux"))]
fn open_kernel_keyring() -> Result<KeyringStore, StoreError> {
    Err(StoreError::KernelKeyringUnavailable {
        detail: "the kernel keyring exists only on Linux".to_string(),
    })
}

/// Turn a keyring-core error into the [`StoreError`] that says what happened and what to do.
/// `NoEntry` is not an error for callers (they map it to "nothing stored") and never reaches here
/// in practice. Error texts never include stored bytes (`BadEncoding` carries them: not shown).
pub fn map_error(backend: Backend, profile: &str, err: keyring_core::Error) -> StoreError {
    use keyring_core::Error as K;
    match err {
        K::NoEntry => StoreError::Other(format!("nothing is stored for profile '{profile}'")),
        K::BadEncoding(_) => StoreError::Unreadable {
            profile: profile.to_string(),
            detail: "the stored value is not text".to_string(),
        },
        K::BadDataFormat(_, _) => StoreError::Unreadable {
            profile: profile.to_string(),
            detail: "the store could not decode the stored value".to_string(),
        },
        K::Ambiguous(entries) => StoreError::Unreadable {
            profile: profile.to_string(),
            detail: format!(
                "{} keyring items match service '{SERVICE}' and user '{profile}'; delete the extra ones in your keyring manager",
                entries.len()
            ),
        },
        K::NoStorageAccess(inner) => no_access(backend, inner.as_ref()),
        K::PlatformFailure(inner) => platform_failure(backend, inner.as_ref()),
        other => StoreError::Other(format!("{} ({other})", backend.describe())),
    }
}

type PlatformError = dyn std::error::Error + Send + Sync + 'static;

fn no_access(backend: Backend, inner: &PlatformError) -> StoreError {
    match backend {
        #[cfg(target_os = "linux")]
        Backend::SecretService => secret_service_error(inner),
        Backend::KernelKeyring => StoreError::KernelKeyringUnavailable {
            detail: kernel_error_text(inner),
        },
        // windows-native-keyring-store says this for one Win32 error only, ERROR_NO_SUCH_LOGON_SESSION:
        // the process has no logon session whose credentials it could use (a service, a network logon).
        Backend::CredentialManager => StoreError::Other(format!(
            "the {} cannot be used: this process has no logon session to keep credentials in ({inner}).\nTo fix: run hibob-auth in the signed-in session of the user who should own the credential, not as a service or over a network logon.",
            backend.describe()
        )),
        // The Keychain reports a locked keychain, a denied prompt or no keychain at all this way.
        _ => StoreError::Locked,
    }
}

fn platform_failure(backend: Backend, inner: &PlatformError) -> StoreError {
    match backend {
        #[cfg(target_os = "linux")]
        Backend::SecretService => secret_service_error(inner),
        Backend::KernelKeyring => kernel_keyring_failure(inner),
        _ => StoreError::Other(format!("{}: {inner}", backend.describe())),
    }
}

/// The kernel refuses keyctl in some places (a container's seccomp filter answers ENOSYS or EPERM, a
/// process may have no session keyring): that is "the kernel keyring is unavailable", not a failed call.
#[cfg(target_os = "linux")]
fn kernel_keyring_failure(inner: &PlatformError) -> StoreError {
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

#[cfg(not(target_os = "linux"))]
fn kernel_keyring_failure(inner: &PlatformError) -> StoreError {
    StoreError::KernelKeyringUnavailable {
        detail: inner.to_string(),
    }
}

/// linux-keyutils shows its errors by variant name; say them in words.
fn kernel_error_text(inner: &PlatformError) -> String {
    #[cfg(target_os = "linux")]
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

/// What the Secret Service's own error says, told apart precisely: no bus, no provider on the bus,
/// locked or prompt dismissed, no default collection, anything else.
#[cfg(target_os = "linux")]
fn secret_service_error(inner: &PlatformError) -> StoreError {
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

#[cfg(target_os = "linux")]
fn no_bus_detail() -> String {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        "the D-Bus session bus named by DBUS_SESSION_BUS_ADDRESS cannot be reached".to_string()
    } else {
        "no D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is not set".to_string()
    }
}

#[cfg(target_os = "linux")]
const NO_PROVIDER: &str = "nothing on the D-Bus session bus provides org.freedesktop.secrets";

#[cfg(target_os = "linux")]
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

#[cfg(target_os = "linux")]
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

#[cfg(target_os = "linux")]
fn is_no_provider(error_name: &str) -> bool {
    matches!(
        error_name,
        "org.freedesktop.DBus.Error.ServiceUnknown" | "org.freedesktop.DBus.Error.NameHasNoOwner"
    )
}

#[cfg(test)]
mod tests;
