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

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
use linux::{kernel_error_text, kernel_keyring_failure, secret_service_error};

/// The keyring service name of every entry hibob-auth writes.
pub const SERVICE: &str = "hibob-auth";

/// Which platform store is behind a [`KeyringStore`]. Each platform builds only its own.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// freedesktop.org Secret Service over D-Bus (GNOME Keyring, KeePassXC, KWallet, ...).
    SecretService,
    /// The Linux kernel's key management facility: kept in memory until reboot.
    KernelKeyring,
    /// The macOS login Keychain.
    Keychain,
    /// The Windows Credential Manager.
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
/// [`crate::store::Stores`]. Never falls back to another store: a store that cannot be opened is an error.
pub fn open(choice: StoreChoice) -> Result<Arc<dyn SecretStore>, StoreError> {
    let store = open_keyring(choice)?;
    Ok(Arc::new(store))
}

/// Open the chosen store as the concrete type.
fn open_keyring(choice: StoreChoice) -> Result<KeyringStore, StoreError> {
    match choice {
        StoreChoice::Native => open_native(),
        StoreChoice::Keyutils => open_kernel_keyring(),
        // Vault is not a keyring: the opener hands out its own profiles and never asks here.
        StoreChoice::Vault => Err(StoreError::Other("Vault is not an OS keyring".to_string())),
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

pub(super) type PlatformError = dyn std::error::Error + Send + Sync + 'static;

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

#[cfg(not(target_os = "linux"))]
fn kernel_keyring_failure(inner: &PlatformError) -> StoreError {
    StoreError::KernelKeyringUnavailable {
        detail: inner.to_string(),
    }
}

#[cfg(not(target_os = "linux"))]
fn kernel_error_text(inner: &PlatformError) -> String {
    inner.to_string()
}

#[cfg(test)]
mod tests {
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
            keyring_core::Error::NoStorageAccess(boxed(std::io::Error::other(
                "no session keyring",
            ))),
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
}
