//! Storing a verified credential and finding it again: the one path that `login` and the wizard share.
//!
//! The secret goes to the keyring first, then the profile record is written. Both or a clear error:
//! if the record cannot be written after the keyring accepted the secret, the error says exactly that.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::SystemTime;

use crate::cli::StoreChoice;
use crate::credential::Credential;
use crate::hibob::{ApiUrl, ApiUrlError, Report};
use crate::settings::Settings;
use crate::store::lock::ProfileLock;
use crate::store::profile::{LastCheck, ProfileDir, ProfileRecord, rfc3339, validate_profile_name};
use crate::store::{self as store_calls, SecretStore, StoreError};

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
}

/// Store `credential` as the profile `settings.profile`: keyring entry first (bounded, off the runtime),
/// then the profile record in the platform config directory, both under the profile's lock (see
/// [`ProfileLock`]) so that a concurrent writer cannot pair its record with this secret. `report` is the live check that verified it
/// (`None` for `login --no-verify`); its API URL, time, verdict and scope statuses go into the record.
pub async fn store_credential(
    settings: &Settings,
    store: Arc<dyn SecretStore>,
    credential: Credential,
    report: Option<&Report>,
) -> Result<StoredProfile, StoreError> {
    let profiles = ProfileDir::from_env()?;
    store_credential_in(&profiles, settings, store, credential, report).await
}

/// [`store_credential`] with the record directory given (tests, or a caller that already has it).
pub async fn store_credential_in(
    profiles: &ProfileDir,
    settings: &Settings,
    store: Arc<dyn SecretStore>,
    credential: Credential,
    report: Option<&Report>,
) -> Result<StoredProfile, StoreError> {
    let name = settings.profile.clone();
    validate_profile_name(&name)?;
    let _one_writer = ProfileLock::acquire(profiles, &name).await?;
    // Read the old record before anything changes: a re-login keeps the profile's API unless told otherwise.
    let previous = profiles.read(&name).ok().flatten();
    let api_url = match report {
        Some(report) => report.api_url.clone(),
        None => api_url_for(settings, previous.as_ref()).map_err(|err| {
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
        store: settings.store,
        token_hint: credential.token_hint(),
        stored_at: rfc3339(SystemTime::now()),
        last_check: report.map(LastCheck::from_report),
    };
    let store_name = store.describe();
    store_calls::save(store, name.clone(), credential).await?;
    match profiles.write(&name, &record) {
        Ok(record_path) => Ok(StoredProfile {
            name,
            record,
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

/// The API a profile's credential is checked against: an explicit `--api-url`/`--sandbox`/`HIBOB_API_URL`
/// first, then the one the profile remembers, then production. A remembered URL that is no longer valid
/// (the record was edited by hand) is an error, never a silent switch to production.
pub fn api_url_for(
    settings: &Settings,
    record: Option<&ProfileRecord>,
) -> Result<ApiUrl, ApiUrlError> {
    if let Some(explicit) = &settings.explicit_api_url {
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

/// Load the credential of `settings.profile` from the store its record names (where it was put),
/// with `open` choosing how a store is opened (the OS keyring in the app, a memory store in tests).
pub async fn load_credential_in<F>(
    profiles: &ProfileDir,
    settings: &Settings,
    open: F,
) -> Result<LoadedProfile, LoadError>
where
    F: AsyncFnOnce(StoreChoice) -> Result<Arc<dyn SecretStore>, StoreError>,
{
    let name = settings.profile.clone();
    validate_profile_name(&name)?;
    let record = profiles.read(&name)?.ok_or(LoadError::NoProfile)?;
    let store = open(record.store).await?;
    let store_name = store.describe();
    match store_calls::load(store, name.clone()).await? {
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
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::credential::CredentialKind;
    use crate::hibob::{CheckOptions, Verdict};
    use crate::secret::{ExposeSecret, SecretString};
    use crate::store::memory::MemoryStore;

    fn settings(profile: &str, explicit_api_url: Option<ApiUrl>) -> Settings {
        Settings {
            explicit_api_url,
            check: CheckOptions::default(),
            profile: profile.to_string(),
            store: StoreChoice::Native,
        }
    }

    fn credential() -> Credential {
        Credential::ServiceUser {
            id: "SERVICE-9".to_string(),
            token: SecretString::from("0123456789abcdef-token-tail"),
        }
    }

    fn limited_report() -> Report {
        let mut report = Report::from_results(
            CredentialKind::ServiceUser,
            ApiUrl::sandbox(),
            &[],
            SystemTime::UNIX_EPOCH,
            Duration::ZERO,
        );
        report.verdict = Verdict::Limited;
        report
    }

    fn memory_opener(
        store: &Arc<MemoryStore>,
    ) -> impl AsyncFnOnce(StoreChoice) -> Result<Arc<dyn SecretStore>, StoreError> {
        let store: Arc<dyn SecretStore> = store.clone();
        async move |_choice| Ok(store)
    }

    #[tokio::test]
    async fn stores_the_secret_in_the_store_and_only_a_hint_in_the_record() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = ProfileDir::at(dir.path());
        let store = Arc::new(MemoryStore::new());
        let report = limited_report();
        let stored = store_credential_in(
            &profiles,
            &settings("sandbox", None),
            store.clone(),
            credential(),
            Some(&report),
        )
        .await
        .unwrap();
        assert_eq!(stored.name, "sandbox");
        assert_eq!(stored.record.api_url, "https://api.sandbox.hibob.com");
        assert_eq!(stored.record.token_hint.as_deref(), Some("…tail"));
        assert_eq!(
            stored.record.last_check.as_ref().map(|check| check.verdict),
            Some(Verdict::Limited)
        );
        let kept = store.load("sandbox").unwrap().unwrap();
        assert_eq!(kept.token().expose_secret(), "0123456789abcdef-token-tail");
        let file = std::fs::read_to_string(&stored.record_path).unwrap();
        assert!(!file.contains("0123456789abcdef"), "{file}");
        assert!(file.contains("SERVICE-9"), "{file}");
    }

    #[tokio::test]
    async fn a_store_failure_writes_no_record() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = ProfileDir::at(dir.path().join("profiles"));
        let store = Arc::new(MemoryStore::new());
        store.fail_with(Some(StoreError::Locked));
        let err = store_credential_in(
            &profiles,
            &settings("default", None),
            store,
            credential(),
            None,
        )
        .await
        .unwrap_err();
        assert_eq!(err, StoreError::Locked);
        assert_eq!(profiles.read("default").unwrap(), None);
    }

    #[tokio::test]
    async fn a_record_that_cannot_be_written_says_the_secret_was_saved() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = ProfileDir::at(dir.path());
        // A directory where the record should be: the lock can be taken, the record cannot be written.
        std::fs::create_dir(profiles.path("default")).unwrap();
        let store = Arc::new(MemoryStore::new());
        let err = store_credential_in(
            &profiles,
            &settings("default", None),
            store.clone(),
            credential(),
            None,
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, StoreError::RecordNotWritten { .. }),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(text.contains("was saved in the in-memory store"), "{text}");
        assert!(text.contains("could not be written"), "{text}");
        assert!(store.load("default").unwrap().is_some());
    }

    #[tokio::test]
    async fn a_directory_that_cannot_hold_the_lock_stores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the directory should be: not even the lock can be taken.
        let blocked = dir.path().join("profiles");
        std::fs::write(&blocked, "not a directory").unwrap();
        let store = Arc::new(MemoryStore::new());
        let err = store_credential_in(
            &ProfileDir::at(&blocked),
            &settings("default", None),
            store.clone(),
            credential(),
            None,
        )
        .await
        .unwrap_err();
        assert!(matches!(err, StoreError::LockUnavailable { .. }), "{err:?}");
        assert!(store.load("default").unwrap().is_none());
    }

    #[tokio::test]
    async fn an_invalid_profile_name_stores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::new());
        let err = store_credential_in(
            &ProfileDir::at(dir.path()),
            &settings("../escape", None),
            store.clone(),
            credential(),
            None,
        )
        .await
        .unwrap_err();
        assert!(matches!(err, StoreError::InvalidProfileName { .. }));
        assert!(store.load("../escape").unwrap().is_none());
    }

    #[tokio::test]
    async fn relogin_without_a_check_keeps_the_remembered_api() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = ProfileDir::at(dir.path());
        let store = Arc::new(MemoryStore::new());
        let report = limited_report();
        store_credential_in(
            &profiles,
            &settings("sb", None),
            store.clone(),
            credential(),
            Some(&report),
        )
        .await
        .unwrap();
        let again = store_credential_in(
            &profiles,
            &settings("sb", None),
            store.clone(),
            credential(),
            None,
        )
        .await
        .unwrap();
        assert_eq!(again.record.api_url, "https://api.sandbox.hibob.com");
        assert_eq!(again.record.last_check, None);
        let explicit = store_credential_in(
            &profiles,
            &settings("sb", Some(ApiUrl::production())),
            store,
            credential(),
            None,
        )
        .await
        .unwrap();
        assert_eq!(explicit.record.api_url, "https://api.hibob.com");
    }

    #[test]
    fn a_broken_remembered_api_url_is_an_error_not_production() {
        let mut record = ProfileRecord {
            kind: CredentialKind::ApiToken,
            service_user_id: None,
            api_url: "http://hibob.example.com".to_string(),
            store: StoreChoice::Native,
            token_hint: None,
            stored_at: "2026-01-01T00:00:00Z".to_string(),
            last_check: None,
        };
        assert!(api_url_for(&settings("p", None), Some(&record)).is_err());
        // An explicit URL still works: it is how the user fixes it.
        assert_eq!(
            api_url_for(&settings("p", Some(ApiUrl::sandbox())), Some(&record)).unwrap(),
            ApiUrl::sandbox()
        );
        record.api_url = "https://api.sandbox.hibob.com".to_string();
        assert_eq!(
            api_url_for(&settings("p", None), Some(&record)).unwrap(),
            ApiUrl::sandbox()
        );
        assert_eq!(
            api_url_for(&settings("p", None), None).unwrap(),
            ApiUrl::production()
        );
    }

    #[tokio::test]
    async fn loading_tells_no_profile_from_a_missing_entry_from_a_broken_store() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = ProfileDir::at(dir.path());
        let store = Arc::new(MemoryStore::new());
        let settings = settings("default", None);

        let err = load_credential_in(&profiles, &settings, memory_opener(&store))
            .await
            .unwrap_err();
        assert_eq!(err, LoadError::NoProfile);

        store_credential_in(&profiles, &settings, store.clone(), credential(), None)
            .await
            .unwrap();
        let loaded = load_credential_in(&profiles, &settings, memory_opener(&store))
            .await
            .unwrap();
        assert_eq!(loaded.credential.service_user_id(), Some("SERVICE-9"));

        store.fail_with(Some(StoreError::Timeout { seconds: 5 }));
        let err = load_credential_in(&profiles, &settings, memory_opener(&store))
            .await
            .unwrap_err();
        assert_eq!(err, LoadError::Store(StoreError::Timeout { seconds: 5 }));

        store.fail_with(None);
        store.delete("default").unwrap();
        let err = load_credential_in(&profiles, &settings, memory_opener(&store))
            .await
            .unwrap_err();
        assert_eq!(
            err,
            LoadError::NoKeyringEntry {
                store: StoreChoice::Native
            }
        );
    }

    #[tokio::test]
    async fn a_check_is_recorded_with_its_api() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = ProfileDir::at(dir.path());
        let store = Arc::new(MemoryStore::new());
        let stored = store_credential_in(
            &profiles,
            &settings("default", None),
            store,
            credential(),
            None,
        )
        .await
        .unwrap();
        let record = record_check(&profiles, "default", &stored.record, &limited_report())
            .await
            .unwrap();
        assert_eq!(record.api_url, "https://api.sandbox.hibob.com");
        assert_eq!(
            profiles.read("default").unwrap().unwrap().last_check,
            Some(LastCheck::from_report(&limited_report()))
        );
    }

    #[tokio::test]
    async fn a_check_of_a_credential_stored_over_meanwhile_is_not_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = ProfileDir::at(dir.path());
        let store = Arc::new(MemoryStore::new());
        let checked = store_credential_in(
            &profiles,
            &settings("default", None),
            store.clone(),
            credential(),
            None,
        )
        .await
        .unwrap();
        // Another service user is stored while the check of the first one runs.
        let other = Credential::ServiceUser {
            id: "SERVICE-10".to_string(),
            token: SecretString::from("another-token-of-the-second-user"),
        };
        store_credential_in(&profiles, &settings("default", None), store, other, None)
            .await
            .unwrap();
        let err = record_check(&profiles, "default", &checked.record, &limited_report())
            .await
            .unwrap_err();
        assert!(err.to_string().contains("stored again"), "{err}");
        let now = profiles.read("default").unwrap().unwrap();
        assert_eq!(now.service_user_id.as_deref(), Some("SERVICE-10"));
        assert_eq!(now.last_check, None);
    }
}
