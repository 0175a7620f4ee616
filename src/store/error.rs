//! Why the credential store could not be used, said for people: what happened and what to do next.

use crate::store::lock;
use crate::store::vault::VaultFailure;

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
    #[error(transparent)]
    Vault(#[from] VaultFailure),
    #[error("the credential store failed: {0}")]
    Other(String),
}

#[cfg(test)]
mod tests {
    use super::*;

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
