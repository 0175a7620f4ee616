//! The application's failures, each with the exit code it maps to and a message that says what to do next.

use crate::exit::Exit;
use crate::hibob::ApiUrlError;
use crate::store::StoreError;
use crate::validate::InputError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    ApiUrl(#[from] ApiUrlError),
    #[error("{0}")]
    Input(#[from] InputError),
    /// Bad usage that clap cannot see (stdin is a terminal, a missing partner variable, ...).
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("no HiBob credential found for profile '{profile}'.\n{hint}")]
    NoCredential { profile: String, hint: String },
    #[error("{0}")]
    Io(String),
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
    pub fn exit(&self) -> Exit {
        match self {
            AppError::ApiUrl(_) | AppError::Input(_) | AppError::Usage(_) => Exit::Usage,
            // A bad `--profile` name is bad usage, not an unavailable store.
            AppError::Store(StoreError::InvalidProfileName { .. }) => Exit::Usage,
            AppError::Store(_) => Exit::StoreUnavailable,
            AppError::NoCredential { .. } => Exit::NoCredential,
            AppError::Io(_) => Exit::Usage,
            AppError::CommandNotFound { .. } => Exit::CommandNotFound,
            AppError::CommandNotRunnable { .. } => Exit::CommandNotRunnable,
        }
    }
}
