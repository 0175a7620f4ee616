//! Credential storage: the OS keyring behind a small trait, so tests can use an in-memory store.
//! There is no plain-text store and no fallback to one.

//! The door: everything outside `store/` uses what this file exports, never an inner module, so the
//! inner layout (the entry format, the keyring backends, the records and their locks) can change freely.

mod blob;
mod keyring;
mod lock;
mod memory;
mod persist;
mod profile;

pub use blob::{decode as decode_entry, encode as encode_entry};
pub use lock::ProfileLock;
pub use memory::MemoryStore;
pub use persist::{
    Deleted, LoadError, LoadedProfile, Replaced, StoredProfile, Target, api_url_for, delete, load,
    record_check, save,
};
pub use profile::{
    LastCheck, ListedProfile, ProfileDir, ProfileRecord, ScopeRecord, validate_profile_name,
};

use crate::credential::Credential;

/// Credential stores a user can choose. There is no plain-text file store, on purpose. The derives let
/// `--store` take it and profile records name it; nothing here depends on the command line.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum StoreChoice {
    /// The platform's own keyring: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows.
    Native,
    /// Linux kernel keyring: kept in memory until reboot (needs a session keyring).
    Keyutils,
}

impl StoreChoice {
    /// The name `--store` and profile records use.
    pub fn id(self) -> &'static str {
        match self {
            StoreChoice::Native => "native",
            StoreChoice::Keyutils => "keyutils",
        }
    }
}

/// Why the credential store could not be used. Never says anything about the credential itself:
/// a store that cannot be read is not a bad credential. All of these exit with code 4.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error(
        "no Secret Service is available ({detail}).\nTo fix: run a desktop keyring such as GNOME Keyring or KeePassXC (with Secret Service enabled), run inside a D-Bus session (dbus-run-session), or choose the kernel keyring with --store keyutils (kept in memory until reboot)."
    )]
    NoSecretService { detail: String },
    #[cfg_attr(
        not(target_os = "macos"),
        error(
            "the keyring is locked, or its unlock prompt was dismissed.\nTo fix: unlock your keyring (log in to the desktop session, or unlock it in your keyring manager) and try again."
        )
    )]
    #[cfg_attr(
        target_os = "macos",
        error(
            "the macOS Keychain is locked or not available, or its unlock prompt was dismissed.\nTo fix: unlock your login keychain (in Keychain Access, or with `security unlock-keychain`) and try again."
        )
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

/// Opens the store a user chose: the OS keyring in the program, an in-memory store in tests. Every open
/// runs off the async runtime, bounded by [`READ_TIMEOUT`]: connecting to a keyring daemon can block.
/// The commands and the wizard share it.
#[derive(Clone)]
pub struct Opener {
    open: Arc<OpenFn>,
}

/// How [`Opener`] opens one store; blocking is fine, it runs off the runtime.
type OpenFn = dyn Fn(StoreChoice) -> Result<Arc<dyn SecretStore>, StoreError> + Send + Sync;

impl Opener {
    /// The OS keyring stores (see [`keyring::open`]); never a file.
    pub fn os_keyring() -> Opener {
        Opener::new(keyring::open)
    }

    pub fn new(
        open: impl Fn(StoreChoice) -> Result<Arc<dyn SecretStore>, StoreError> + Send + Sync + 'static,
    ) -> Opener {
        Opener {
            open: Arc::new(open),
        }
    }

    pub async fn open(&self, choice: StoreChoice) -> Result<Arc<dyn SecretStore>, StoreError> {
        let open = Arc::clone(&self.open);
        bounded(READ_TIMEOUT, move || open(choice)).await
    }
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
    async fn an_opener_passes_stores_and_errors_through() {
        let store = Arc::new(MemoryStore::new());
        let credential = Credential::ApiToken {
            token: SecretString::from("abc"),
        };
        store.save("p", &credential).unwrap();
        let opener = Opener::new(move |choice| match choice {
            StoreChoice::Native => Ok(store.clone() as Arc<dyn SecretStore>),
            StoreChoice::Keyutils => Err(StoreError::Locked),
        });
        let opened = opener.open(StoreChoice::Native).await.unwrap();
        assert!(opened.load("p").unwrap().is_some());
        assert_eq!(
            opener.open(StoreChoice::Keyutils).await.err(),
            Some(StoreError::Locked)
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
