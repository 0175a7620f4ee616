//! The real binary against the REAL Windows Credential Manager: what `keyring_cli.rs` does with the Secret
//! Service on Linux. CI runs it under wine (`.ci/cross`), whose Credential Manager keeps generic
//! credentials as Windows does, in the throwaway prefix the script makes.
//!
//! What the Credential Manager holds is read here with windows-native-keyring-store directly (service
//! `hibob-auth`, user = the profile, as `src/store/keyring.rs` names entries), not through hibob-auth.
//!
//! Windows has no per-process records folder: the records live in the user's roaming AppData, found through
//! the known-folder API, which ignores the test home's environment. So every test uses a profile name of its
//! own and removes what it stored, even when it fails.
#![cfg(windows)]

mod support;

use std::process::Output;
use std::sync::Arc;

use hibob_auth::store::ProfileDir;
use keyring_core::{CredentialStore, Entry};
use support::fake_hibob::{
    Expected, FakeHibob, PATH_FIELDS, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN,
};
use support::home::{TestHome, code, json, listed_profile, text, unique_profile};
use support::leak::contains;
use support::other_writer::OtherWriter;
use support::stored_credential::{
    assert_an_unreadable_entry_is_a_store_failure, assert_checked_ok_from_the_keyring,
    assert_entry_holds_the_test_service_user,
};

/// One test's profile, in a home of its own; its Credential Manager entry and record go when it ends.
struct World {
    profile: String,
    home: TestHome,
}

impl World {
    fn new(test: &str) -> World {
        World {
            profile: unique_profile(test),
            home: TestHome::new(),
        }
    }

    /// `hibob-auth ARGS` for this profile with `stdin`; the token is on neither stream (except `token`'s
    /// stdout, which is what it is for).
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        self.run_with(&[], args, stdin)
    }

    /// [`World::run`] with the variables `env` set too.
    fn run_with(&self, env: &[(&str, &str)], args: &[&str], stdin: Option<&str>) -> Output {
        let output = self
            .home
            .cmd(&[])
            .env("HIBOB_PROFILE", &self.profile)
            .envs(env.iter().copied())
            .args(args)
            .write_stdin(stdin.unwrap_or_default())
            .output()
            .expect("run hibob-auth");
        let token = TEST_SERVICE_USER_TOKEN.as_bytes();
        assert!(
            !contains(&output.stderr, token),
            "token on stderr of {args:?}"
        );
        if args.first() != Some(&"token") {
            assert!(
                !contains(&output.stdout, token),
                "token on stdout of {args:?}"
            );
        }
        output
    }

    fn login(&self, api_url: &str, extra: &[&str]) -> Output {
        self.login_with(&[], api_url, extra)
    }

    /// `login` of the test service user against `api_url` with `extra` arguments and the variables `env`.
    fn login_with(&self, env: &[(&str, &str)], api_url: &str, extra: &[&str]) -> Output {
        let mut args = vec![
            "login",
            "--token-stdin",
            "--service-user-id",
            TEST_SERVICE_USER_ID,
            "--api-url",
            api_url,
        ];
        args.extend_from_slice(extra);
        self.run_with(env, &args, Some(TEST_SERVICE_USER_TOKEN))
    }

    /// This profile's entry in the Credential Manager, opened without hibob-auth.
    fn entry(&self) -> keyring_core::Result<Entry> {
        let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new()?;
        Entry::new_in_store(&store, "hibob-auth", &self.profile)
    }

    /// What the Credential Manager holds for this profile: hibob-auth writes its credential as UTF-8 bytes.
    fn stored(&self) -> Option<String> {
        match self.entry().and_then(|entry| entry.get_secret()) {
            Ok(bytes) => Some(String::from_utf8(bytes).expect("UTF-8, as hibob-auth writes it")),
            Err(keyring_core::Error::NoEntry) => None,
            Err(err) => panic!("the Credential Manager could not be read: {err}"),
        }
    }
}

impl Drop for World {
    fn drop(&mut self) {
        // `logout` removes the record and the entry; a test that got that far has already removed both.
        // Nothing here may panic: this also runs while a failed test unwinds.
        let _ = self
            .home
            .cmd(&["logout"])
            .env("HIBOB_PROFILE", &self.profile)
            .output();
        let _ = self.entry().and_then(|entry| entry.delete_credential());
    }
}

#[test]
fn login_check_token_and_logout_go_through_the_credential_manager() {
    let world = World::new("walkthrough");
    let fake = FakeHibob::start(Scenario::ok());

    let login = world.login(&fake.url(), &["--timeout", "20"]);
    assert_eq!(code(&login), 0, "{login:?}");
    assert!(
        text(&login.stdout).contains("HiBob credential check: OK"),
        "{login:?}"
    );
    let stderr = text(&login.stderr);
    assert!(
        stderr.contains("Stored profile") && stderr.contains("Windows Credential Manager"),
        "{stderr}"
    );

    // The Credential Manager holds the whole credential, as another client sees it.
    assert_entry_holds_the_test_service_user(world.stored());

    // check reads it back from there and asks the remembered API.
    let before = fake.count(PATH_FIELDS);
    let check = world.run(&["check", "--json", "--timeout", "20"], None);
    assert_checked_ok_from_the_keyring(&check, &fake, before);

    let token = world.run(&["token"], None);
    assert_eq!(code(&token), 0, "{token:?}");
    assert_eq!(text(&token.stdout), format!("{TEST_SERVICE_USER_TOKEN}\n"));
    let header = world.run(&["token", "--header"], None);
    assert_eq!(
        text(&header.stdout),
        format!("{}\n", Expected::test_service_user().header_value())
    );

    let profiles = json(&world.run(&["profiles", "--json"], None));
    let listed = listed_profile(&profiles, &world.profile);
    assert_eq!(listed["store"], "native");
    assert_eq!(listed["last_check"]["verdict"], "ok");

    let logout = world.run(&["logout"], None);
    assert_eq!(code(&logout), 0, "{logout:?}");
    assert!(text(&logout.stdout).contains("Logged out of profile"));
    assert_eq!(world.stored(), None, "logout removes the entry");
    assert_eq!(code(&world.run(&["token"], None)), 6);
}

#[test]
fn a_value_written_by_another_program_is_a_store_failure_not_a_bad_credential() {
    let world = World::new("unreadable");
    let fake = FakeHibob::start(Scenario::ok());
    assert_eq!(code(&world.login(&fake.url(), &["--no-verify"])), 0);
    // Another program's password, stored as Windows stores text (UTF-16), in hibob-auth's entry.
    world
        .entry()
        .and_then(|entry| entry.set_password("plain text, not a credential"))
        .expect("overwrite the entry");

    assert_an_unreadable_entry_is_a_store_failure(|args| world.run(args, None), &fake);
}

/// One writer per profile on Windows too: while another hibob-auth holds the profile (this test process
/// takes its lock as `store/lock.rs` does, a LockFileEx lock on a file beside the records), login and
/// logout are refused with exit 4 naming the holder, and the record and the Credential Manager entry stay
/// as they were. (`profile_lock.rs` races logins against the Secret Service on Linux.)
#[test]
fn a_profile_held_by_another_hibob_auth_is_refused_with_exit_4_and_changed_by_nobody() {
    let world = World::new("held");
    let fake = FakeHibob::start(Scenario::ok());
    assert_eq!(code(&world.login(&fake.url(), &["--no-verify"])), 0);
    // The records are where hibob-auth keeps them: the roaming AppData, for this process as for the child.
    let profiles = ProfileDir::from_env().expect("a records folder");
    let record_before = std::fs::read_to_string(profiles.path(&world.profile)).expect("the record");
    let entry_before = world.stored().expect("the entry");

    let held = OtherWriter::hold(&profiles, &world.profile);
    let impatient = [("HIBOB_AUTH_LOCK_WAIT", "1")];
    let login = world.login_with(&impatient, &fake.url(), &["--no-verify"]);
    let logout = world.run_with(&impatient, &["logout"], None);
    for output in [login, logout] {
        let stderr = text(&output.stderr);
        assert_eq!(code(&output), 4, "{stderr}");
        assert!(stderr.contains(&OtherWriter::named()), "{stderr}");
    }

    drop(held);
    assert_eq!(
        std::fs::read_to_string(profiles.path(&world.profile)).expect("the record"),
        record_before
    );
    assert_eq!(world.stored(), Some(entry_before));
}
