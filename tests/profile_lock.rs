//! One writer per profile, with the real binary, the REAL Secret Service and the fake HiBob on loopback:
//! logins racing for one profile leave a keyring entry and a record that describe the same credential, and
//! a profile held by another hibob-auth is refused with exit 4 and a message naming that process.
//!
//! Run inside a D-Bus session with an unlocked keyring, as `.ci/run` does (see `keyring_cli.rs`).
//!
//! Linux only: the Secret Service is Linux's. On Windows, `credential_manager.rs` holds a profile against
//! the Credential Manager (the lock itself is the same code, `store/lock.rs`).
#![cfg(target_os = "linux")]

mod support;

use std::io::Write;
use std::process::{Child, Command as StdCommand, Output, Stdio};

use base64::Engine as _;
use hibob_auth::store::ProfileDir;
use support::fake_hibob::{
    Expected, FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN,
};
use support::home::TestHome;
use support::other_writer::OtherWriter;
use support::this_test;

/// The second service user of the race: HiBob lets a company have several service users, each with its
/// own ID and token (Bob: Settings > Integrations > Service Users).
const OTHER_ID: &str = "SERVICE-FAKE-0002";
const OTHER_TOKEN: &str = "fake-second-service-user-token-5b17d0e4";

/// Where `home`'s profile records are.
fn profiles(home: &TestHome) -> ProfileDir {
    ProfileDir::at(home.dir("config").join("hibob-auth/profiles"))
}

/// Start `login --token-stdin` for one service user against its own fake HiBob, token on stdin; `cmd` is
/// `hibob-auth` in the test's home.
fn spawn_login(mut cmd: StdCommand, id: &str, token: &str, api_url: &str) -> Child {
    let mut child = cmd
        .args(["login", "--token-stdin", "--service-user-id", id])
        .args(["--api-url", api_url, "--timeout", "60"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hibob-auth starts");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(token.as_bytes()).unwrap();
    drop(stdin);
    child
}

fn run(home: &TestHome, args: &[&str]) -> Output {
    home.command(args)
        .stdin(Stdio::null())
        .output()
        .expect("hibob-auth runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The ID and token of the stored credential, from `token --header` (`Basic base64(ID:TOKEN)`).
fn stored_credential(home: &TestHome) -> (String, String) {
    let header = run(home, &["token", "--header"]);
    assert_eq!(header.status.code(), Some(0), "{header:?}");
    let value = text(&header.stdout);
    let encoded = value
        .trim_end()
        .strip_prefix("Basic ")
        .unwrap_or_else(|| panic!("a service user's header, got {value:?}"));
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    let decoded = String::from_utf8(decoded).unwrap();
    let (id, token) = decoded.split_once(':').unwrap();
    (id.to_string(), token.to_string())
}

/// The profile as `profiles --json` lists it.
fn listed_profile(home: &TestHome) -> serde_json::Value {
    let listed = run(home, &["profiles", "--json"]);
    assert_eq!(listed.status.code(), Some(0), "{listed:?}");
    let all: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["name"] == home.profile())
        .expect("the profile is listed")
        .clone()
}

#[test]
fn concurrent_logins_to_one_profile_leave_a_record_that_matches_the_keyring() {
    let Some(home) = TestHome::on_keyring(this_test!()) else { return };
    let first = FakeHibob::start(Scenario::ok());
    let second = FakeHibob::start(Scenario::ok().expecting(Expected::ServiceUser {
        id: OTHER_ID.to_string(),
        token: OTHER_TOKEN.to_string(),
    }));
    let users = [
        (TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN, first.url()),
        (OTHER_ID, OTHER_TOKEN, second.url()),
    ];
    // A race is not deterministic: without the lock one round of 16 left the two apart about one time in
    // four on a busy 2-core machine, so there are several rounds. Each round: 16 at once, alternating
    // users; each checks live, then stores.
    for round in 0..3 {
        let children: Vec<Child> = (0..16)
            .map(|n| {
                let (id, token, url) = &users[n % 2];
                spawn_login(home.command(&[]), id, token, url)
            })
            .collect();
        let mut stored = 0;
        for child in children {
            let output = child.wait_with_output().unwrap();
            let stderr = text(&output.stderr);
            if output.status.code() == Some(0) {
                assert!(stderr.contains("Stored profile"), "{output:?}");
                stored += 1;
            } else {
                // Sixteen processes opening the Secret Service at once on a busy machine can take longer
                // than the keyring's read timeout: that login stores nothing and says why (exit 4). Any
                // other failure, the profile lock's included, fails the test.
                assert_eq!(output.status.code(), Some(4), "round {round}: {output:?}");
                assert!(
                    stderr.contains("the keyring did not answer within"),
                    "round {round}: {stderr}"
                );
            }
        }
        assert!(
            stored >= 2,
            "round {round}: only {stored} logins stored, no race"
        );

        let (stored_id, stored_token) = stored_credential(&home);
        let (_, expected_token, expected_url) = users
            .iter()
            .find(|(id, _, _)| *id == stored_id)
            .unwrap_or_else(|| panic!("the keyring holds an unknown ID {stored_id}"));
        assert_eq!(
            &stored_token, expected_token,
            "ID and token belong together"
        );
        let entry = listed_profile(&home);
        assert_eq!(
            entry["service_user_id"],
            stored_id.as_str(),
            "round {round}: {entry}"
        );
        assert_eq!(
            entry["token_hint"],
            format!("…{}", &stored_token[stored_token.len() - 4..]),
            "round {round}: {entry}"
        );
        assert_eq!(
            entry["api_url"],
            expected_url.as_str(),
            "round {round}: {entry}"
        );
    }
}

#[test]
fn a_profile_held_by_another_hibob_auth_is_refused_with_exit_4_and_changed_by_nobody() {
    let Some(home) = TestHome::on_keyring(this_test!()) else { return };
    let fake = FakeHibob::start(Scenario::ok());
    let stored = spawn_login(
        home.command(&[]),
        TEST_SERVICE_USER_ID,
        TEST_SERVICE_USER_TOKEN,
        &fake.url(),
    )
    .wait_with_output()
    .unwrap();
    assert_eq!(stored.status.code(), Some(0), "{stored:?}");
    let record_before = std::fs::read_to_string(profiles(&home).path(home.profile())).unwrap();
    let other = FakeHibob::start(Scenario::ok().expecting(Expected::ServiceUser {
        id: OTHER_ID.to_string(),
        token: OTHER_TOKEN.to_string(),
    }));

    let held = OtherWriter::hold(&profiles(&home), home.profile());
    let holder = OtherWriter::named();

    let mut impatient = home.command(&[]);
    impatient.env("HIBOB_AUTH_LOCK_WAIT", "1");
    let login = spawn_login(impatient, OTHER_ID, OTHER_TOKEN, &other.url())
        .wait_with_output()
        .unwrap();
    // HiBob accepted it; only the store was refused.
    assert_eq!(login.status.code(), Some(4), "{login:?}");
    let stderr = text(&login.stderr);
    assert!(stderr.contains(&holder), "{stderr}");
    assert!(stderr.contains("To fix:"), "{stderr}");
    assert!(!stderr.contains(OTHER_TOKEN), "{stderr}");

    let logout = home
        .command(&["logout"])
        .env("HIBOB_AUTH_LOCK_WAIT", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(logout.status.code(), Some(4), "{logout:?}");
    assert!(text(&logout.stderr).contains(&holder), "{logout:?}");

    // Nothing changed: the same record, the same credential.
    assert_eq!(
        std::fs::read_to_string(profiles(&home).path(home.profile())).unwrap(),
        record_before
    );
    drop(held);
    assert_eq!(
        stored_credential(&home),
        (
            TEST_SERVICE_USER_ID.to_string(),
            TEST_SERVICE_USER_TOKEN.to_string()
        )
    );
}
