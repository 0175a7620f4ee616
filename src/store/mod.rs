//! Credential storage: the OS keyring behind a small trait, so tests can use an in-memory store.
//! There is no plain-text store and no fallback to one.

pub mod blob;
pub mod keyring;
pub mod lock;
pub mod memory;
pub mod persist;
pub mod profile;

pub use keyring::{open, open_bounded};
pub use persist::{StoredProfile, store_credential};

use crate::credential::Credential;

/// Why the credential store could not be used. Never says anything about the credential itself:
/// a store that cannot be read is not a bad credential. All of these exit with code 4.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error(
        "no Secret Service is available ({detail}).\nTo fix: run a desktop keyring such as GNOME Keyring or KeePassXC (with Secret Service enabled), run inside a D-Bus session (dbus-run-session), or choose the kernel keyring with --store keyutils (kept in memory until reboot)."
    )]
    NoSecretService { detail: String },
    #[error(
        "the keyring is locked, or its unlock prompt was dismissed.\nTo fix: unlock your keyring (log in to the desktop session, or unlock it in your keyring manager) and try again."
    )]
    Locked,
    #[error(
        "the keyring did not answer within {seconds} s (an unlock prompt may be waiting).\nTo fix: answer or dismiss the prompt and try again; check that your keyring service is running."
    )]
    Timeout { seconds: u64 },
    #[error(
        "the stored credential for profile '{profile}' could not be read ({detail}).\nTo fix: store it again with `hibob-auth login` or run `hibob-auth` for the guided setup."
    )]
    Unreadable { profile: String, detail: String },
    #[error(
        "the Secret Service has no default keyring to store into, or it is locked.\nTo fix: open your keyring manager (e.g. Seahorse or KeePassXC), create or unlock a keyring and make it the default; in a session without a desktop, start the keyring unlocked (e.g. `echo -n PASSWORD | gnome-keyring-daemon --unlock`)."
    )]
    NoDefaultKeyring,
    #[error(
        "the Linux kernel keyring cannot be used ({detail}).\nTo fix: run inside a session keyring (`keyctl session`, from the keyutils package), or allow the keyctl system calls if this is a container; or use the default store (--store native)."
    )]
    KernelKeyringUnavailable { detail: String },
    #[error(
        "the credential of profile '{profile}' was saved in the {store}, but its profile record {path} could not be written ({detail}).\nTo fix: make sure that directory is writable, then run `hibob-auth login` again; or remove the saved credential with `hibob-auth logout --profile {profile}`."
    )]
    RecordNotWritten {
        profile: String,
        store: String,
        path: String,
        detail: String,
    },
    #[error(
        "the profile record {path} could not be read ({detail}).\nTo fix: store the credential again with `hibob-auth login`, or delete the file."
    )]
    RecordUnreadable { path: String, detail: String },
    #[error(
        "the profile record {path} could not be changed ({detail}).\nTo fix: make sure that directory is writable and try again."
    )]
    RecordNotChanged { path: String, detail: String },
    #[error(
        "another hibob-auth{} is changing profile '{profile}' and did not finish within {seconds} s (it may be waiting for a keyring unlock prompt).\nTo fix: let it finish (answer or dismiss its prompt), then try again; set {} to wait longer. The lock goes away with that process: there is nothing to delete.",
        holder.map(|pid| format!(" (process {pid})")).unwrap_or_default(),
        lock::WAIT_ENV
    )]
    ProfileBusy {
        profile: String,
        holder: Option<u32>,
        seconds: u64,
    },
    #[error(
        "the profile lock file {path} could not be used ({detail}).\nTo fix: make sure that directory is writable and try again."
    )]
    LockUnavailable { path: String, detail: String },
    #[error("'{name}' is not a valid profile name: {reason}")]
    InvalidProfileName { name: String, reason: &'static str },
    #[error("the credential store failed: {0}")]
    Other(String),
}

/// A place that keeps credentials, one per profile. Calls may block (D-Bus, prompts): run them off the
/// async runtime and with a timeout (see the keyring module's bounded helpers).
pub trait SecretStore: Send + Sync {
    /// How the store is named to people, e.g. "Secret Service (login keyring)".
    fn describe(&self) -> String;
    fn save(&self, profile: &str, credential: &Credential) -> Result<(), StoreError>;
    fn load(&self, profile: &str) -> Result<Option<Credential>, StoreError>;
    /// Returns whether there was anything to delete.
    fn delete(&self, profile: &str) -> Result<bool, StoreError>;
}

use std::sync::Arc;
use std::time::Duration;

/// Reads should be quick; a store that takes longer is stuck.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Writes may wait on an unlock prompt that a person has to answer.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(60);

/// Run a blocking store call off the async runtime, giving up after `limit`.
/// A call that times out keeps its thread until it returns; the command ends without waiting for it.
pub(crate) async fn bounded<T: Send + 'static>(
    limit: Duration,
    call: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    match tokio::time::timeout(limit, tokio::task::spawn_blocking(call)).await {
        Ok(Ok(result)) => result,
        Ok(Err(join_error)) => Err(StoreError::Other(format!(
            "the keyring call stopped unexpectedly ({join_error})"
        ))),
        Err(_) => Err(StoreError::Timeout {
            seconds: limit.as_secs(),
        }),
    }
}

/// Save a credential, bounded by [`WRITE_TIMEOUT`].
pub async fn save(
    store: Arc<dyn SecretStore>,
    profile: String,
    credential: Credential,
) -> Result<(), StoreError> {
    bounded(WRITE_TIMEOUT, move || store.save(&profile, &credential)).await
}

/// Load a credential, bounded by [`READ_TIMEOUT`].
pub async fn load(
    store: Arc<dyn SecretStore>,
    profile: String,
) -> Result<Option<Credential>, StoreError> {
    bounded(READ_TIMEOUT, move || store.load(&profile)).await
}

/// Delete a credential, bounded by [`WRITE_TIMEOUT`].
pub async fn delete(store: Arc<dyn SecretStore>, profile: String) -> Result<bool, StoreError> {
    bounded(WRITE_TIMEOUT, move || store.delete(&profile)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::Credential;
    use crate::secret::SecretString;
    use crate::store::memory::MemoryStore;

    #[tokio::test]
    async fn a_store_call_that_does_not_return_is_a_timeout() {
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let result = bounded(Duration::from_millis(20), move || {
            // Stands in for a keyring waiting on an unlock prompt nobody answers.
            let _ = wait.recv();
            Ok(())
        })
        .await;
        assert_eq!(result, Err(StoreError::Timeout { seconds: 0 }));
        release.send(()).unwrap();
    }

    #[tokio::test]
    async fn bounded_calls_pass_results_and_errors_through() {
        let store = Arc::new(MemoryStore::new());
        let credential = Credential::ApiToken {
            token: SecretString::from("abc"),
        };
        save(store.clone(), "p".into(), credential).await.unwrap();
        assert!(load(store.clone(), "p".into()).await.unwrap().is_some());
        assert!(delete(store.clone(), "p".into()).await.unwrap());
        assert!(!delete(store.clone(), "p".into()).await.unwrap());
        store.fail_with(Some(StoreError::Locked));
        assert_eq!(
            load(store, "p".into()).await.unwrap_err(),
            StoreError::Locked
        );
    }

    #[test]
    fn every_store_failure_says_how_to_fix_it_and_never_blames_the_credential() {
        let failures = [
            StoreError::NoSecretService { detail: "x".into() },
            StoreError::Locked,
            StoreError::Timeout { seconds: 5 },
            StoreError::Unreadable {
                profile: "p".into(),
                detail: "x".into(),
            },
            StoreError::NoDefaultKeyring,
            StoreError::KernelKeyringUnavailable { detail: "x".into() },
        ];
        for failure in failures {
            let text = failure.to_string();
            assert!(text.contains("To fix:"), "{text}");
            assert!(!text.contains("rejected"), "{text}");
            assert!(!text.contains("401"), "{text}");
        }
    }
}
