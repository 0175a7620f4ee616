//! What comes into the wizard (`Msg`) and what it asks to be done (`Effect`), kept apart as two enums.
//!
//! Neither has a `Debug` that could show a secret: keys and pastes may carry token characters, so their
//! `Debug` says only what kind of message it is; credentials are redacted by their own type.

use std::fmt;

use crossterm::event::KeyEvent;
use zeroize::Zeroizing;

use crate::credential::Credential;
use crate::hibob::{ApiUrl, ProbeResult, Report};
use crate::secret::SecretString;
use crate::store::ProfileRecord;
use crate::store::StoreChoice;
use crate::store::StoreError;

/// Tells one check from the next, so a late answer of a cancelled check is ignored.
pub type CheckId = u64;

/// Where a credential was stored, as shown on the Done screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub profile: String,
    /// How the store is named to people, e.g. "Secret Service (login keyring)".
    pub location: String,
    /// The store it went to: the next commands name it when it is not the default.
    pub store: StoreChoice,
}

impl Saved {
    /// The flags a later command needs to find it (see [`crate::lookup::command_flags`]).
    pub fn command_flags(&self) -> String {
        crate::lookup::command_flags(self.store, &self.profile)
    }
}

/// A stored profile read from the keyring for a re-check.
#[derive(Debug, Clone)]
pub struct LoadedStored {
    pub profile: String,
    pub record: ProfileRecord,
    pub credential: Credential,
    /// The API its record remembers.
    pub api_url: ApiUrl,
}

/// Everything that can happen to the wizard.
pub enum Msg {
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste). Wiped from memory when dropped.
    Paste(Zeroizing<String>),
    /// The terminal's size, at start and whenever it changes (scrolling depends on it).
    Resize {
        width: u16,
        height: u16,
    },
    /// Animation step while a check or a save is in flight.
    Tick,
    /// One probe of a running check answered.
    ProbeFinished {
        check: CheckId,
        result: ProbeResult,
    },
    /// A check finished with its report.
    CheckFinished {
        check: CheckId,
        report: Report,
    },
    /// A check could not start (no client could be made for its API), said for people.
    CheckNotStarted {
        check: CheckId,
        why: String,
    },
    SaveFinished(Result<Saved, StoreError>),
    /// A stored profile was read for a re-check, or why it could not be (said for people).
    StoredLoaded {
        profile: String,
        result: Result<LoadedStored, String>,
    },
    /// A re-check's result was written into the profile's record (the record as it is now), or why not.
    CheckRecorded {
        profile: String,
        result: Result<ProfileRecord, String>,
    },
    /// A stored profile was deleted from `store`, or why it could not be.
    Deleted {
        profile: String,
        store: StoreChoice,
        result: Result<(), String>,
    },
    /// Opening the browser worked, or why it did not.
    BrowserOpened(Result<(), String>),
    /// SIGINT from outside (in raw mode Ctrl-C arrives as a key instead).
    Interrupt,
    /// SIGTERM: quit now, without asking.
    Terminate,
}

impl fmt::Debug for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Msg::Key(_) => f.write_str("Key([REDACTED])"),
            Msg::Paste(_) => f.write_str("Paste([REDACTED])"),
            Msg::Resize { width, height } => write!(f, "Resize({width}x{height})"),
            Msg::Tick => f.write_str("Tick"),
            Msg::ProbeFinished { check, result } => f
                .debug_struct("ProbeFinished")
                .field("check", check)
                .field("result", result)
                .finish(),
            Msg::CheckFinished { check, report } => f
                .debug_struct("CheckFinished")
                .field("check", check)
                .field("verdict", &report.verdict)
                .finish(),
            Msg::CheckNotStarted { check, why } => f
                .debug_struct("CheckNotStarted")
                .field("check", check)
                .field("why", why)
                .finish(),
            Msg::SaveFinished(result) => f.debug_tuple("SaveFinished").field(result).finish(),
            // Said without the loaded credential (its own `Debug` redacts the token anyway).
            Msg::StoredLoaded { profile, result } => {
                write!(f, "StoredLoaded({profile}, ok: {})", result.is_ok())
            }
            Msg::CheckRecorded { profile, result } => {
                write!(f, "CheckRecorded({profile}, ok: {})", result.is_ok())
            }
            Msg::Deleted {
                profile, result, ..
            } => {
                write!(f, "Deleted({profile}, ok: {})", result.is_ok())
            }
            Msg::BrowserOpened(result) => f.debug_tuple("BrowserOpened").field(result).finish(),
            Msg::Interrupt => f.write_str("Interrupt"),
            Msg::Terminate => f.write_str("Terminate"),
        }
    }
}

/// A side effect `update` asks for. The runner (or, for terminal output, the event loop) performs it and
/// reports back with a `Msg`.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Check a credential live against `api_url` (the API the errand's profile uses); answers come back as
    /// `ProbeFinished` and `CheckFinished` with this id, or `CheckNotStarted`.
    StartCheck {
        check: CheckId,
        /// The profile the credential is checked for (said if the check cannot start).
        profile: String,
        credential: Credential,
        api_url: ApiUrl,
    },
    /// Stop the running check; its late answers are ignored.
    CancelCheck,
    /// Store a credential as `profile` in `store`: a setup's (as `--profile`'s profile or one named on the
    /// front door), or a rotated token over the old one. The answer comes back as `SaveFinished`.
    Save {
        profile: String,
        credential: Credential,
        /// The check it passed, if any, for the profile's metadata.
        report: Option<Report>,
        store: StoreChoice,
    },
    /// Read a stored profile's credential from `store` (where the front door listed it); the answer comes
    /// back as `StoredLoaded`.
    LoadStored { profile: String, store: StoreChoice },
    /// Write a re-check's result into the profile's record; the answer comes back as `CheckRecorded`.
    RecordCheck {
        profile: String,
        /// The record the credential was loaded with.
        record: ProfileRecord,
        report: Report,
    },
    /// Delete a stored profile (its credential and record) from `store`; the answer comes back as
    /// `Deleted`.
    Delete { profile: String, store: StoreChoice },
    /// Open a URL in the browser; the answer comes back as `BrowserOpened`.
    OpenBrowser(String),
    /// Put text on the clipboard through the terminal (OSC 52). No answer: terminals do not confirm it.
    CopyToClipboard(String),
    /// The same for a token: redacted in `Debug`, wiped from memory when dropped.
    CopySecretToClipboard(SecretString),
    /// Leave the wizard.
    Quit,
}
