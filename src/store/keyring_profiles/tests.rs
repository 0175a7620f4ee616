use std::time::Duration;

use super::*;
use crate::credential::Credential;
use crate::secret::{ExposeSecret, SecretString};
use crate::store::CheckVerdict;
use crate::store::memory::MemoryStore;

fn credential() -> Credential {
    Credential::ServiceUser {
        id: "SERVICE-9".to_string(),
        token: SecretString::from("0123456789abcdef-token-tail"),
    }
}

const SANDBOX: &str = "https://api.sandbox.hibob.com";
const PRODUCTION: &str = "https://api.hibob.com";

/// A limited check against the sandbox, as the caller of `save` or `record_check` describes it.
fn limited_check() -> LastCheck {
    LastCheck {
        checked_at: "1970-01-01T00:00:00Z".to_string(),
        verdict: CheckVerdict::Limited,
        api_url: SANDBOX.to_string(),
        scopes: Vec::new(),
    }
}

fn name(profile: &str) -> ProfileName {
    ProfileName::new(profile).unwrap()
}

/// The keyring's profiles over `records`, every secret in `store`; `Native` is the default.
fn profiles_over(records: &ProfileDir, store: &Arc<MemoryStore>) -> KeyringProfiles {
    let store = Arc::clone(store);
    KeyringProfiles {
        records: Ok(records.clone()),
        open: Arc::new(move |_choice| Ok(Arc::clone(&store) as Arc<dyn SecretStore>)),
        default: StoreChoice::Native,
    }
}

/// Save `credential` as `profile` against `api_url`, with `check` as its last check.
async fn save_with(
    records: &ProfileDir,
    profile: &str,
    store: &Arc<MemoryStore>,
    credential: Credential,
    api_url: &str,
    check: Option<LastCheck>,
) -> Result<StoredProfile, StoreError> {
    let request = SaveRequest {
        credential,
        api_url: api_url.to_string(),
        last_check: check,
    };
    profiles_over(records, store)
        .save(&name(profile), StoreChoice::Native, request)
        .await
}

/// Save the test credential as `profile`, unchecked, against production.
async fn save_as(
    records: &ProfileDir,
    profile: &str,
    store: &Arc<MemoryStore>,
) -> Result<StoredProfile, StoreError> {
    save_with(records, profile, store, credential(), PRODUCTION, None).await
}

/// Save the test credential as `profile`, checked against the sandbox ([`limited_check`]).
async fn save_checked(
    records: &ProfileDir,
    profile: &str,
    store: &Arc<MemoryStore>,
) -> Result<StoredProfile, StoreError> {
    save_with(
        records,
        profile,
        store,
        credential(),
        SANDBOX,
        Some(limited_check()),
    )
    .await
}

/// Save another service user (or another token) than [`credential`] as profile "default", unchecked.
async fn save_service_user(
    records: &ProfileDir,
    store: &Arc<MemoryStore>,
    id: &str,
    token: &str,
) -> Result<StoredProfile, StoreError> {
    let credential = Credential::ServiceUser {
        id: id.to_string(),
        token: SecretString::from(token),
    };
    save_with(records, "default", store, credential, PRODUCTION, None).await
}

/// A record directory in a fresh temporary directory (kept alive by the first value) and an empty store.
fn fixture() -> (tempfile::TempDir, ProfileDir, Arc<MemoryStore>) {
    let dir = tempfile::tempdir().unwrap();
    let profiles = ProfileDir::at(dir.path());
    (dir, profiles, Arc::new(MemoryStore::new()))
}

#[tokio::test]
async fn stores_the_secret_in_the_store_and_only_a_hint_in_the_record() {
    let (_dir, profiles, store) = fixture();
    let stored = save_checked(&profiles, "sandbox", &store).await.unwrap();
    assert_eq!(stored.name.as_str(), "sandbox");
    assert_eq!(stored.record.api_url, "https://api.sandbox.hibob.com");
    assert_eq!(stored.record.token_hint.as_deref(), Some("…tail"));
    assert_eq!(
        stored.record.last_check.as_ref().map(|check| check.verdict),
        Some(CheckVerdict::Limited)
    );
    let kept = store.load("sandbox").unwrap().unwrap();
    assert_eq!(kept.token().expose_secret(), "0123456789abcdef-token-tail");
    let file = std::fs::read_to_string(&stored.location).unwrap();
    assert!(!file.contains("0123456789abcdef"), "{file}");
    assert!(file.contains("SERVICE-9"), "{file}");
}

#[tokio::test]
async fn a_store_failure_writes_no_record() {
    let dir = tempfile::tempdir().unwrap();
    let profiles = ProfileDir::at(dir.path().join("profiles"));
    let store = Arc::new(MemoryStore::new());
    store.fail_with(Some(StoreError::Locked));
    let err = save_as(&profiles, "default", &store).await.unwrap_err();
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
    let err = save_as(&profiles, "default", &store).await.unwrap_err();
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
    let err = save_as(&ProfileDir::at(&blocked), "default", &store)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::LockUnavailable { .. }), "{err:?}");
    assert!(store.load("default").unwrap().is_none());
}

#[tokio::test]
async fn a_new_check_or_none_replaces_the_last_one_and_the_caller_names_the_api() {
    let (_dir, profiles, store) = fixture();
    save_checked(&profiles, "sb", &store).await.unwrap();
    let again = save_with(&profiles, "sb", &store, credential(), SANDBOX, None)
        .await
        .unwrap();
    assert_eq!(again.record.api_url, "https://api.sandbox.hibob.com");
    assert_eq!(again.record.last_check, None);
    let moved = save_as(&profiles, "sb", &store).await.unwrap();
    assert_eq!(moved.record.api_url, "https://api.hibob.com");
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
    let first = save_as(&profiles, "default", &store).await.unwrap();
    assert_eq!(first.replaced, Replaced::Nothing);
    let again = save_as(&profiles, "default", &store).await.unwrap();
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

#[tokio::test]
async fn loading_tells_no_profile_from_a_missing_entry_from_a_broken_store() {
    let (_dir, profiles, store) = fixture();
    let keyring = profiles_over(&profiles, &store);
    let default = name("default");

    let err = keyring.load(&default).await.unwrap_err();
    assert_eq!(err, LoadError::NoProfile);

    save_as(&profiles, "default", &store).await.unwrap();
    let loaded = keyring.load(&default).await.unwrap();
    assert_eq!(loaded.credential.service_user_id(), Some("SERVICE-9"));

    store.fail_with(Some(StoreError::Timeout { seconds: 5 }));
    let err = keyring.load(&default).await.unwrap_err();
    assert_eq!(err, LoadError::Store(StoreError::Timeout { seconds: 5 }));

    store.fail_with(None);
    store.delete("default").unwrap();
    let err = keyring.load(&default).await.unwrap_err();
    assert_eq!(
        err,
        LoadError::NoSecret {
            store: StoreChoice::Native
        }
    );
}

#[tokio::test]
async fn deleting_deletes_the_secret_then_the_record() {
    let (_dir, profiles, store) = fixture();
    let keyring = profiles_over(&profiles, &store);
    let default = name("default");
    save_as(&profiles, "default", &store).await.unwrap();

    store.fail_with(Some(StoreError::Locked));
    let err = keyring.delete(&default).await;
    assert_eq!(err, Err(StoreError::Locked));
    assert!(profiles.read("default").unwrap().is_some(), "record kept");

    store.fail_with(None);
    let deleted = keyring.delete(&default).await.unwrap();
    assert!(
        deleted.secret && deleted.record == Some(true),
        "{deleted:?}"
    );
    let again = keyring.delete(&default).await.unwrap();
    assert!(!again.secret && again.record == Some(false), "{again:?}");
}

#[tokio::test]
async fn a_check_is_recorded_with_its_api() {
    let (_dir, profiles, store) = fixture();
    let stored = save_as(&profiles, "default", &store).await.unwrap();
    let record = profiles_over(&profiles, &store)
        .record_check(&name("default"), &stored.record, limited_check())
        .await
        .unwrap();
    assert_eq!(record.api_url, "https://api.sandbox.hibob.com");
    assert_eq!(
        profiles.read("default").unwrap().unwrap().last_check,
        Some(limited_check())
    );
}

#[tokio::test]
async fn a_check_of_a_credential_stored_over_meanwhile_is_not_recorded() {
    let (_dir, profiles, store) = fixture();
    let checked = save_as(&profiles, "default", &store).await.unwrap();
    // Another service user is stored while the check of the first one runs.
    save_service_user(
        &profiles,
        &store,
        "SERVICE-10",
        "another-token-of-the-second-user",
    )
    .await
    .unwrap();
    let err = profiles_over(&profiles, &store)
        .record_check(&name("default"), &checked.record, limited_check())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("stored again"), "{err}");
    let now = profiles.read("default").unwrap().unwrap();
    assert_eq!(now.service_user_id.as_deref(), Some("SERVICE-10"));
    assert_eq!(now.last_check, None);
}
