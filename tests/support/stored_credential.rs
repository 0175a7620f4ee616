//! A stored credential as the world outside hibob-auth sees it: the OS keyring's entry read by another
//! client, and a `check` that reads it back. The same on every platform, so the Secret Service tests
//! (`keyring_cli.rs`) and the Windows Credential Manager tests (`credential_manager.rs`) share it.
#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::process::Output;

use super::fake_hibob::{FakeHibob, PATH_FIELDS, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN};
use super::home::{code, json};

/// `entry` (a profile's secret, read from the OS keyring without hibob-auth) holds the test service user
/// whole: its kind, ID and token.
pub fn assert_entry_holds_the_test_service_user(entry: Option<String>) {
    let entry = entry.expect("an entry in the OS keyring");
    let stored: serde_json::Value = serde_json::from_str(&entry).expect("the entry is JSON");
    assert_eq!(stored["kind"], "service-user");
    assert_eq!(stored["id"], TEST_SERVICE_USER_ID);
    assert_eq!(stored["token"], TEST_SERVICE_USER_TOKEN);
}

/// `check --json` read the credential from the keyring and checked it, as ok, against the API the
/// profile remembers (`fake`, which had answered `fields_before` field-list requests before it).
pub fn assert_checked_ok_from_the_keyring(check: &Output, fake: &FakeHibob, fields_before: usize) {
    assert_eq!(code(check), 0, "{check:?}");
    let report = json(check);
    assert_eq!(report["source"], "keyring");
    assert_eq!(report["verdict"], "ok");
    assert_eq!(report["api_url"], fake.url());
    assert!(
        fake.count(PATH_FIELDS) > fields_before,
        "the check asked the remembered API"
    );
    assert!(fake.requests().iter().all(|r| r.authorization_matches));
}

/// A profile's entry holding what another program wrote there (not a credential hibob-auth wrote) is a
/// store failure, not a bad credential: `check` and `token` (run with `run`) exit 4 saying it could not be
/// read, print nothing, and send nothing to HiBob (`fake`, the API the profile remembers).
pub fn assert_an_unreadable_entry_is_a_store_failure(
    run: impl Fn(&[&str]) -> Output,
    fake: &FakeHibob,
) {
    for args in [&["check", "--timeout", "20"][..], &["token"][..]] {
        let output = run(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(code(&output), 4, "{args:?}: {stderr}");
        assert!(stderr.contains("could not be read"), "{stderr}");
        assert!(!stderr.contains("rejected"), "{stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    assert!(
        fake.requests().is_empty(),
        "nothing unreadable is sent to HiBob"
    );
}
