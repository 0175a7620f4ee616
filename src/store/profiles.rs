//! The one interface to a home for profiles, [`Profiles`], and the values that cross it. The keyring
//! (a record file beside a secret in the OS keyring) is one implementation; another store is another.

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use crate::credential::Credential;
use crate::store::{LastCheck, ProfileName, ProfileRecord, StoreChoice, StoreError};

/// One home for profiles: list, load, save, delete, and record a check. Object-safe (the async methods
/// return boxed futures), so the front ends hold an `Arc<dyn Profiles>` and never know which store it is.
/// Blocking calls (D-Bus, prompts) stay inside the implementation, off the async runtime and bounded.
pub trait Profiles: Send + Sync {
    /// How this home is named to people, e.g. "the OS keyring, profile records in ~/.config/...".
    fn describe(&self) -> String;

    /// Where the record of `name` is kept, for messages: a file path, or a path in a secret store.
    fn location(&self, name: &ProfileName) -> String;

    /// Whether the store can be used now (it is opened, nothing is read or written), so a caller can
    /// fail before doing work whose result it could not keep.
    fn ready(&self) -> BoxFuture<'_, Result<(), StoreError>>;

    /// Every profile with a record, sorted by name; a record that cannot be read is listed with the reason.
    /// Reads no secret.
    fn list(&self) -> BoxFuture<'_, Result<Vec<ListedProfile>, StoreError>>;

    /// The record of `name` (`None` when there is none): by default found in [`Profiles::list`]; a store
    /// that can read one profile alone does that instead (Vault: one read, not every entry).
    fn record<'a>(
        &'a self,
        name: &'a ProfileName,
    ) -> BoxFuture<'a, Result<Option<ProfileRecord>, StoreError>> {
        async move {
            self.list()
                .await?
                .into_iter()
                .find(|listed| listed.name == name.as_str())
                .map(|listed| listed.record)
                .transpose()
        }
        .boxed()
    }

    /// The profile's record and its credential.
    fn load<'a>(&'a self, name: &'a ProfileName)
    -> BoxFuture<'a, Result<LoadedProfile, LoadError>>;

    /// Save `request.credential` as `name` into the store `choice`, with its record; both, or an error
    /// that says exactly what was kept.
    fn save<'a>(
        &'a self,
        name: &'a ProfileName,
        choice: StoreChoice,
        request: SaveRequest,
    ) -> BoxFuture<'a, Result<StoredProfile, StoreError>>;

    /// Delete the profile's secret, then its record.
    fn delete<'a>(&'a self, name: &'a ProfileName) -> BoxFuture<'a, Result<Deleted, StoreError>>;

    /// Record a check's outcome (and remember its API) for the credential that was loaded as `checked`;
    /// refuse if the profile was stored again or deleted while the check ran.
    fn record_check<'a>(
        &'a self,
        name: &'a ProfileName,
        checked: &'a ProfileRecord,
        check: LastCheck,
    ) -> BoxFuture<'a, Result<ProfileRecord, StoreError>>;
}

/// One profile of a listing: its record, or why that could not be read.
#[derive(Debug)]
pub struct ListedProfile {
    pub name: String,
    pub record: Result<ProfileRecord, StoreError>,
}

/// A profile's stored credential with its record.
#[derive(Debug, Clone)]
pub struct LoadedProfile {
    pub name: ProfileName,
    pub record: ProfileRecord,
    pub credential: Credential,
    /// How the store that held it is named to people.
    pub store: String,
}

/// Why a stored credential could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// There is no record of this profile: nothing was stored (or it was logged out).
    NoProfile,
    /// The record exists but its secret does not (deleted outside hibob-auth, or the kernel keyring lost
    /// it at a reboot).
    NoSecret { store: StoreChoice },
    /// The store could not be used or the record could not be read. Never a verdict on the credential.
    Store(StoreError),
}

impl From<StoreError> for LoadError {
    fn from(err: StoreError) -> Self {
        LoadError::Store(err)
    }
}

/// What to save: the credential, the API it belongs to, and the check that verified it (`None` for an
/// unchecked save).
#[derive(Debug, Clone)]
pub struct SaveRequest {
    pub credential: Credential,
    /// The API the credential belongs to; the caller decides it (the checked one, the one named
    /// explicitly, or the one the profile remembers).
    pub api_url: String,
    pub last_check: Option<LastCheck>,
}

/// What was stored, for the caller to tell the user.
#[derive(Debug, Clone)]
pub struct StoredProfile {
    pub name: ProfileName,
    /// The record now kept (no secret in it).
    pub record: ProfileRecord,
    /// How the store that holds the secret is named to people, e.g. "Secret Service (your desktop keyring)".
    pub store: String,
    /// Where the record was written: a file path, or a path in a secret store.
    pub location: String,
    /// What became of the credential the profile held before.
    pub replaced: Replaced,
    /// What went wrong without undoing the save (e.g. old versions that could not be destroyed).
    pub warnings: Vec<String>,
}

/// What a save did to the credential the profile held before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaced {
    /// The profile was new, or held another service user (or kind of credential): a new credential.
    Nothing,
    /// The same credential again (same service user, same last characters of the token).
    Same,
    /// A new token for the same service user: a rotation. Integrations using the old token need the new one.
    Token,
}

/// What deleting a profile deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deleted {
    /// How the store that held (or would hold) the secret is named to people.
    pub store: String,
    pub secret: bool,
    /// Whether a profile record beside the secret was deleted; `None` for a store that keeps no record
    /// apart from the secret (a Vault entry is both).
    pub record: Option<bool>,
}
