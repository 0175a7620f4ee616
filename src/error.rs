//! The application's failures, each with the exit code it maps to and a message that says what to do next.
//! They stay typed until `app` prints them: the code follows from what failed, not from a sentence.

use std::path::PathBuf;

use crate::exit::Exit;
use crate::hibob::ApiUrlError;
use crate::hibob::client::ClientSetupError;
use crate::intake::stdin::StdinError;
use crate::intake::{EnvError, IntakeError};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    ApiUrl(#[from] ApiUrlError),
    /// A profile's record remembers an API URL that is not valid (the record was edited by hand).
    #[error(
        "the API URL remembered in {} is not usable: {source}\nTo fix: pass --api-url (or --sandbox), or store the credential again with `hibob-auth login`.",
        record.display()
    )]
    RememberedApiUrl {
        record: PathBuf,
        source: ApiUrlError,
    },
    /// The service-user ID or token given on standard input or `--service-user-id`.
    #[error("{0}")]
    Intake(#[from] IntakeError),
    /// The credential in the `HIBOB_*` variables.
    #[error("{0}")]
    Env(#[from] EnvError),
    #[error("{0}")]
    Stdin(#[from] StdinError),
    /// The guided setup was started without a terminal to draw on.
    #[error(
        "the guided setup needs an interactive terminal (standard input and output must both be one).\n\
         From a script, store a credential with: printf %s \"$TOKEN\" | hibob-auth login --service-user-id SERVICE-... --token-stdin\n\
         For the steps as text: hibob-auth guide"
    )]
    NotATerminal,
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("no HiBob credential found for profile '{profile}'.\n{hint}")]
    NoCredential { profile: String, hint: String },
    /// `rotate` on a profile whose credential cannot be rotated (an API access token), said for people.
    #[error("{0}")]
    CannotRotate(String),
    /// `check --all` with nothing stored.
    #[error("no stored profiles to check.\n{hint}")]
    NoProfiles { hint: String },
    /// `check --all` checks each profile against the API it remembers; one explicit API cannot apply to all.
    #[error(
        "--all checks each profile against the API it remembers, so it does not take --api-url, --sandbox or HIBOB_API_URL.\nTo fix: drop them (unset HIBOB_API_URL), or check one profile: hibob-auth check --profile NAME --api-url URL"
    )]
    AllWithApiUrl,
    #[error("{0}")]
    Client(#[from] ClientSetupError),
    /// The terminal, a standard stream or another local resource failed; `what` says which and when.
    #[error("{what}: {source}")]
    Io {
        what: &'static str,
        source: std::io::Error,
    },
    #[error(
        "the command '{program}' was not found.\nTo fix: check its spelling, or give its path (PATH is searched as a shell does)."
    )]
    CommandNotFound { program: String },
    #[error(
        "the command '{program}' could not be run ({detail}).\nTo fix: make it executable (chmod +x), or run it through its interpreter, e.g. `hibob-auth exec -- sh {program}`."
    )]
    CommandNotRunnable { program: String, detail: String },
}

impl AppError {
    /// An I/O failure, said as what was being done (e.g. "could not set up the terminal").
    pub fn io(what: &'static str) -> impl FnOnce(std::io::Error) -> AppError {
        move |source| AppError::Io { what, source }
    }

    pub fn exit(&self) -> Exit {
        match self {
            AppError::ApiUrl(_)
            | AppError::RememberedApiUrl { .. }
            | AppError::Intake(_)
            | AppError::Env(_)
            | AppError::NotATerminal
            | AppError::AllWithApiUrl
            | AppError::CannotRotate(_) => Exit::Usage,
            // Standard input that cannot be read is an I/O failure; what was read and refused is usage.
            AppError::Stdin(StdinError::Read(_)) => Exit::Io,
            AppError::Stdin(_) => Exit::Usage,
            // A bad `--profile` name is bad usage, not an unavailable store.
            AppError::Store(StoreError::InvalidProfileName { .. }) => Exit::Usage,
            AppError::Store(_) => Exit::StoreUnavailable,
            AppError::NoCredential { .. } | AppError::NoProfiles { .. } => Exit::NoCredential,
            // A proxy or CA variable that cannot be used is the user's setting, like a bad --api-url.
            AppError::Client(err) if err.is_bad_setting() => Exit::Usage,
            AppError::Client(_) | AppError::Io { .. } => Exit::Io,
            AppError::CommandNotFound { .. } => Exit::CommandNotFound,
            AppError::CommandNotRunnable { .. } => Exit::CommandNotRunnable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_io_failure_is_not_a_usage_error() {
        let terminal = AppError::io("could not set up the terminal")(std::io::Error::other("gone"));
        assert_eq!(terminal.exit(), Exit::Io);
        assert_eq!(terminal.to_string(), "could not set up the terminal: gone");
        let unreadable = AppError::Stdin(StdinError::Read("broken pipe".to_string()));
        assert_eq!(unreadable.exit(), Exit::Io);
        assert_eq!(AppError::Stdin(StdinError::Terminal).exit(), Exit::Usage);
        assert_eq!(AppError::NotATerminal.exit(), Exit::Usage);
    }
}
