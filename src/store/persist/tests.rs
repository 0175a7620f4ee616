//! Unit tests of `store::persist`.

use std::time::Duration;

use super::*;
use crate::credential::CredentialKind;
use crate::hibob::Verdict;
use crate::secret::{ExposeSecret, SecretString};
use crate::store::memory::MemoryStore;

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

/// Save the test credential as `profile` into `store`, with no explicit API.
async fn save_as(
    profiles: &ProfileDir,
    profile: &str,
    store: &Arc<MemoryStore>,
    report: Option<&Report>,
) -> Result<StoredProfile, StoreError> {
    save_with(profiles, profile, None, store, report).await
}

async fn save_with(
    profiles: &ProfileDir,
    profile: &str,
    explicit_api_url: Option<&ApiUrl>,
    store: &Arc<MemoryStore>,
    report: Option<&Report>,
) -> Result<StoredProfile, StoreError> {
    let target = Target {
        profile,
        store: StoreChoice::Native,
        explicit_api_url,
    };
    save(profiles, target, store.clone(), credential(), report).await
}

/// Save another service user (or another token) than [`credential`] as profile "default", unchecked.
async fn save_service_user(
    profiles: &ProfileDir,
    store: &Arc<MemoryStore>,
    id: &str,
    token: &str,
) -> Result<StoredProfile, StoreError> {
    let credential = Credential::ServiceUser {
        id: id.to_string(),
        token: SecretString::from(token),
    };
    let target = Target {
        profile: "default",
        store: StoreChoice::Native,
        explicit_api_url: None,
    };
    save(profiles, target, store.clone(), credential, None).await
}

/// A record directory in a fresh temporary directory (kept alive by the first value) and an empty store.
fn fixture() -> (tempfile::TempDir, ProfileDir, Arc<MemoryStore>) {
    let dir = tempfile::tempdir().unwrap();
    let profiles = ProfileDir::at(dir.path());
    (dir, profiles, Arc::new(MemoryStore::new()))
}

fn memory_opener(store: &Arc<MemoryStore>) -> Opener {
    let store = store.clone();
    Opener::new(move |_choice| Ok(store.clone() as Arc<dyn SecretStore>))
}

#[tokio::test]
async fn stores_the_secret_in_the_store_and_only_a_hint_in_the_record() {
    let (_dir, profiles, store) = fixture();
    let report = limited_report();
    let stored = save_as(&profiles, "sandbox", &store, Some(&report))
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
    let err = save_as(&profiles, "default", &store, None)
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
    let err = save_as(&profiles, "default", &store, None)
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
    let err = save_as(&ProfileDir::at(&blocked), "default", &store, None)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::LockUnavailable { .. }), "{err:?}");
    assert!(store.load("default").unwrap().is_none());
}

#[tokio::test]
async fn an_invalid_profile_name_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::new());
    let err = save_as(&ProfileDir::at(dir.path()), "../escape", &store, None)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidProfileName { .. }));
    assert!(store.load("../escape").unwrap().is_none());
}

#[tokio::test]
async fn relogin_without_a_check_keeps_the_remembered_api() {
    let (_dir, profiles, store) = fixture();
    let report = limited_report();
    save_as(&profiles, "sb", &store, Some(&report))
        .await
        .unwrap();
    let again = save_as(&profiles, "sb", &store, None).await.unwrap();
    assert_eq!(again.record.api_url, "https://api.sandbox.hibob.com");
    assert_eq!(again.record.last_check, None);
    let production = ApiUrl::production();
    let explicit = save_with(&profiles, "sb", Some(&production), &store, None)
        .await
        .unwrap();
    assert_eq!(explicit.record.api_url, "https://api.hibob.com");
}

#[test]
fn a_new_token_for_the_same_service_user_is_a_rotation_and_keeps_the_first_date() {
    let at = |secs: u64| SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
    let fresh = |id: &str, hint: &str| ProfileRecord {
        service_user_id: Some(id.to_string()),
        token_hint: Some(hint.to_string()),
        stored_at: String::new(),
        ..ProfileRecord::example("https://api.hibob.com")
    };
    let (first, replaced) = dated(fresh("SERVICE-1", "…aaaa"), None, at(10));
    assert_eq!(replaced, Replaced::Nothing);
    assert_eq!(first.stored_at, "1970-01-01T00:00:10Z");
    assert_eq!(first.rotated_at, None);
    assert_eq!(first.token_since(), "1970-01-01T00:00:10Z");

    let (again, replaced) = dated(fresh("SERVICE-1", "…aaaa"), Some(&first), at(20));
    assert_eq!(replaced, Replaced::Same, "the same token stored again");
    assert!(again.same_credential(&first));

    let (rotated, replaced) = dated(fresh("SERVICE-1", "…bbbb"), Some(&again), at(30));
    assert_eq!(replaced, Replaced::Token);
    assert_eq!(rotated.stored_at, "1970-01-01T00:00:10Z");
    assert_eq!(rotated.rotated_at.as_deref(), Some("1970-01-01T00:00:30Z"));
    assert_eq!(rotated.token_since(), "1970-01-01T00:00:30Z");
    assert!(
        !rotated.same_credential(&again),
        "a check of the old token is not this one's"
    );

    let (again, _) = dated(fresh("SERVICE-1", "…bbbb"), Some(&rotated), at(40));
    assert_eq!(
        again.rotated_at, rotated.rotated_at,
        "a re-store keeps the rotation date"
    );

    let (other, replaced) = dated(fresh("SERVICE-2", "…bbbb"), Some(&rotated), at(50));
    assert_eq!(
        replaced,
        Replaced::Nothing,
        "another service user is a new credential"
    );
    assert_eq!(other.stored_at, "1970-01-01T00:00:50Z");
    assert_eq!(other.rotated_at, None);
}

#[tokio::test]
async fn saving_says_what_it_replaced() {
    let (_dir, profiles, store) = fixture();
    let first = save_as(&profiles, "default", &store, None).await.unwrap();
    assert_eq!(first.replaced, Replaced::Nothing);
    let again = save_as(&profiles, "default", &store, None).await.unwrap();
    assert_eq!(again.replaced, Replaced::Same);
    assert_eq!(again.record.stored_at, first.record.stored_at);
    let rotated = save_service_user(
        &profiles,
        &store,
        "SERVICE-9",
        "0123456789abcdef-token-new!",
    )
    .await
    .unwrap();
    assert_eq!(rotated.replaced, Replaced::Token);
    assert_eq!(rotated.record.stored_at, first.record.stored_at);
    assert!(rotated.record.rotated_at.is_some());
    assert_eq!(profiles.read("default").unwrap(), Some(rotated.record));
}

#[test]
fn a_broken_remembered_api_url_is_an_error_not_production() {
    let mut record = ProfileRecord::example("http://hibob.example.com");
    assert!(api_url_for(None, Some(&record)).is_err());
    // An explicit URL still works: it is how the user fixes it.
    let sandbox = ApiUrl::sandbox();
    assert_eq!(api_url_for(Some(&sandbox), Some(&record)).unwrap(), sandbox);
    record.api_url = "https://api.sandbox.hibob.com".to_string();
    assert_eq!(api_url_for(None, Some(&record)).unwrap(), sandbox);
    assert_eq!(api_url_for(None, None).unwrap(), ApiUrl::production());
}

#[tokio::test]
async fn loading_tells_no_profile_from_a_missing_entry_from_a_broken_store() {
    let (_dir, profiles, store) = fixture();
    let opener = memory_opener(&store);

    let err = load(&profiles, "default", &opener).await.unwrap_err();
    assert_eq!(err, LoadError::NoProfile);

    save_as(&profiles, "default", &store, None).await.unwrap();
    let loaded = load(&profiles, "default", &opener).await.unwrap();
    assert_eq!(loaded.credential.service_user_id(), Some("SERVICE-9"));

    store.fail_with(Some(StoreError::Timeout { seconds: 5 }));
    let err = load(&profiles, "default", &opener).await.unwrap_err();
    assert_eq!(err, LoadError::Store(StoreError::Timeout { seconds: 5 }));

    store.fail_with(None);
    store.delete("default").unwrap();
    let err = load(&profiles, "default", &opener).await.unwrap_err();
    assert_eq!(
        err,
        LoadError::NoKeyringEntry {
            store: StoreChoice::Native
        }
    );
}

#[tokio::test]
async fn deleting_removes_the_secret_then_the_record() {
    let (_dir, profiles, store) = fixture();
    let opener = memory_opener(&store);
    save_as(&profiles, "default", &store, None).await.unwrap();

    store.fail_with(Some(StoreError::Locked));
    let err = delete(&profiles, "default", &opener, StoreChoice::Native).await;
    assert_eq!(err, Err(StoreError::Locked));
    assert!(profiles.read("default").unwrap().is_some(), "record kept");

    store.fail_with(None);
    let deleted = delete(&profiles, "default", &opener, StoreChoice::Native)
        .await
        .unwrap();
    assert!(deleted.secret && deleted.record, "{deleted:?}");
    let again = delete(&profiles, "default", &opener, StoreChoice::Native)
        .await
        .unwrap();
    assert!(!again.secret && !again.record, "{again:?}");
}

#[tokio::test]
async fn a_check_is_recorded_with_its_api() {
    let (_dir, profiles, store) = fixture();
    let stored = save_as(&profiles, "default", &store, None).await.unwrap();
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
    let (_dir, profiles, store) = fixture();
    let checked = save_as(&profiles, "default", &store, None).await.unwrap();
    // Another service user is stored while the check of the first one runs.
    save_service_user(
        &profiles,
        &store,
        "SERVICE-10",
        "another-token-of-the-second-user",
    )
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
