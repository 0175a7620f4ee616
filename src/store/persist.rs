//! Saving a verified credential, finding it again and deleting it: the one path the commands and the
//! wizard share. Each takes the record directory and what it uses, nothing of the command line.
//!
//! The secret goes to the keyring first, then the profile record is written. Both or a clear error:
//! if the record cannot be written after the keyring accepted the secret, the error says exactly that.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use crate::credential::Credential;
use crate::hibob::{ApiUrl, ApiUrlError, Report};
use crate::store::lock::ProfileLock;
use crate::store::profile::{LastCheck, ProfileDir, ProfileRecord, rfc3339, validate_profile_name};
use crate::store::{
    Opener, READ_TIMEOUT, SecretStore, StoreChoice, StoreError, WRITE_TIMEOUT, bounded,
};

/// Where a credential is saved: the profile, the store it goes into, and the API the user named
/// explicitly (`--api-url`, `--sandbox`, `HIBOB_API_URL`), if any.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub profile: &'a str,
    pub store: StoreChoice,
    pub explicit_api_url: Option<&'a ApiUrl>,
}

/// What was stored, for the caller to tell the user.
#[derive(Debug, Clone)]
pub struct StoredProfile {
    /// The profile name (the keyring entry's user).
    pub name: String,
    /// The record now on disk (no secret in it).
    pub record: ProfileRecord,
    /// How the store that holds the secret is named to people, e.g. "Secret Service (your desktop keyring)".
    pub store: String,
    /// Where the record was written.
    pub record_path: PathBuf,
    /// What became of the credential the profile held before.
    pub replaced: Replaced,
}

/// Save `credential` as the profile `target.profile`: the keyring entry first (bounded by
/// [`WRITE_TIMEOUT`], off the runtime), then the profile record in `profiles`. `report` is the live check
/// that verified it (`None` for `login --no-verify`); its API URL, time, verdict and scope statuses go
/// into the record. The one way `login` and the wizard save. Both writes happen under the profile's lock
/// ([`ProfileLock`]), so a concurrent writer cannot pair its record with this secret.
pub async fn save(
    profiles: &ProfileDir,
    target: Target<'_>,
    store: Arc<dyn SecretStore>,
    credential: Credential,
    report: Option<&Report>,
) -> Result<StoredProfile, StoreError> {
    let name = target.profile.to_string();
    validate_profile_name(&name)?;
    let _one_writer = ProfileLock::acquire(profiles, &name).await?;
    // Read the old record before anything changes: a re-login keeps the profile's API unless told otherwise.
    let previous = profiles.read(&name).ok().flatten();
    let api_url = match report {
        Some(report) => report.api_url.clone(),
        None => api_url_for(target.explicit_api_url, previous.as_ref()).map_err(|err| {
            StoreError::RecordUnreadable {
                path: profiles.path(&name).display().to_string(),
                detail: format!("its API URL is not usable: {err}; pass --api-url to replace it"),
            }
        })?,
    };
    let record = ProfileRecord {
        kind: credential.kind(),
        service_user_id: credential.service_user_id().map(str::to_string),
        api_url: api_url.as_str().to_string(),
        store: target.store,
        token_hint: credential.token_hint(),
        stored_at: String::new(),
        rotated_at: None,
        last_check: report.map(LastCheck::from_report),
    };
    let (record, replaced) = dated(record, previous.as_ref(), SystemTime::now());
    let store_name = store.describe();
    let entry = name.clone();
    bounded(WRITE_TIMEOUT, move || store.save(&entry, &credential)).await?;
    match profiles.write(&name, &record) {
        Ok(record_path) => Ok(StoredProfile {
            name,
            record,
            replaced,
            store: store_name,
            record_path,
        }),
        Err(err) => Err(StoreError::RecordNotWritten {
            profile: name.clone(),
            store: store_name,
            path: profiles.path(&name).display().to_string(),
            detail: err.to_string(),
        }),
    }
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

/// Date `record` (a credential about to be saved over `previous`) at `now`: a new credential starts
/// its life now; a new token for the same service user keeps the first store's date and is rotated now;
/// the same token stored again keeps both dates. "Same token" is judged by its last four characters
/// (the record holds nothing more), so a new token that happens to end alike counts as the same.
fn dated(
    mut record: ProfileRecord,
    previous: Option<&ProfileRecord>,
    now: SystemTime,
) -> (ProfileRecord, Replaced) {
    let same_user = |old: &ProfileRecord| {
        old.kind == record.kind && old.service_user_id == record.service_user_id
    };
    let replaced = match previous {
        Some(old) if same_user(old) && old.token_hint == record.token_hint => {
            record.stored_at = old.stored_at.clone();
            record.rotated_at = old.rotated_at.clone();
            Replaced::Same
        }
        Some(old) if same_user(old) => {
            record.stored_at = old.stored_at.clone();
            record.rotated_at = Some(rfc3339(now));
            Replaced::Token
        }
        _ => {
            record.stored_at = rfc3339(now);
            Replaced::Nothing
        }
    };
    (record, replaced)
}

/// The API a profile's credential is checked against: the one named explicitly first, then the one the
/// profile remembers, then production. A remembered URL that is no longer valid (the record was edited by
/// hand) is an error, never a silent switch to production.
pub fn api_url_for(
    explicit: Option<&ApiUrl>,
    record: Option<&ProfileRecord>,
) -> Result<ApiUrl, ApiUrlError> {
    if let Some(explicit) = explicit {
        return Ok(explicit.clone());
    }
    match record {
        Some(record) => record.api_url(),
        None => Ok(ApiUrl::production()),
    }
}

/// A profile's stored credential with its record.
#[derive(Debug, Clone)]
pub struct LoadedProfile {
    pub name: String,
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
    /// The record exists but its keyring entry does not (deleted outside hibob-auth, or the kernel
    /// keyring lost it at a reboot).
    NoKeyringEntry { store: StoreChoice },
    /// The store could not be used or the record could not be read. Never a verdict on the credential.
    Store(StoreError),
}

impl From<StoreError> for LoadError {
    fn from(err: StoreError) -> Self {
        LoadError::Store(err)
    }
}

/// Load the credential of `profile` from the store its record names (where it was put), bounded by
/// [`READ_TIMEOUT`].
pub async fn load(
    profiles: &ProfileDir,
    profile: &str,
    opener: &Opener,
) -> Result<LoadedProfile, LoadError> {
    let name = profile.to_string();
    validate_profile_name(&name)?;
    let record = profiles.read(&name)?.ok_or(LoadError::NoProfile)?;
    let store = opener.open(record.store).await?;
    let store_name = store.describe();
    let entry = name.clone();
    match bounded(READ_TIMEOUT, move || store.load(&entry)).await? {
        Some(credential) => Ok(LoadedProfile {
            name,
            record,
            credential,
            store: store_name,
        }),
        None => Err(LoadError::NoKeyringEntry {
            store: record.store,
        }),
    }
}

/// What deleting a profile removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deleted {
    /// How the store that held (or would hold) the secret is named to people.
    pub store: String,
    pub secret: bool,
    pub record: bool,
}

/// Delete a profile: its keyring entry first, then its record, so a store that cannot be reached never
/// leaves a secret behind without a record that points to it. The record says which store holds the
/// secret; without a readable record, `default_store` is tried (an unreadable record must not keep the
/// secret alive). Under the profile's lock, so a `login` running at the same time cannot store between them.
pub async fn delete(
    profiles: &ProfileDir,
    profile: &str,
    opener: &Opener,
    default_store: StoreChoice,
) -> Result<Deleted, StoreError> {
    let _one_writer = ProfileLock::acquire(profiles, profile).await?;
    let choice = match profiles.read(profile) {
        Ok(Some(record)) => record.store,
        Ok(None) | Err(StoreError::RecordUnreadable { .. }) => default_store,
        Err(err) => return Err(err),
    };
    let store = opener.open(choice).await?;
    let store_name = store.describe();
    let entry = profile.to_string();
    let secret = bounded(WRITE_TIMEOUT, move || store.delete(&entry)).await?;
    let record = profiles.remove(profile)?;
    Ok(Deleted {
        store: store_name,
        secret,
        record,
    })
}

/// Write the outcome of a live check of `checked` (the record the credential was loaded with) into the
/// profile's record, under the profile's lock. If the profile was stored again or removed while the check
/// ran, the result belongs to a credential the profile no longer holds and is not recorded.
pub async fn record_check(
    profiles: &ProfileDir,
    name: &str,
    checked: &ProfileRecord,
    report: &Report,
) -> Result<ProfileRecord, StoreError> {
    let _one_writer = ProfileLock::acquire(profiles, name).await?;
    let not_changed = |detail: String| StoreError::RecordNotChanged {
        path: profiles.path(name).display().to_string(),
        detail,
    };
    let mut record = profiles
        .read(name)?
        .ok_or_else(|| not_changed("the profile was removed during the check".to_string()))?;
    if !record.same_credential(checked) {
        return Err(not_changed(
            "the profile was stored again during the check, so this result is not about the credential it holds now"
                .to_string(),
        ));
    }
    record.last_check = Some(LastCheck::from_report(report));
    // The check ran against this API; remember it so the next check goes there too.
    record.api_url = report.api_url.as_str().to_string();
    profiles
        .write(name, &record)
        .map_err(|err| not_changed(err.to_string()))?;
    Ok(record)
}

#[cfg(test)]
mod tests;
