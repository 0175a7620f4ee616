//! Living with stored credentials, the real binary: `check --all` (every stored profile checked against
//! the fake HiBob its record remembers, one line or JSON object per profile, the exit code of the one
//! that needs attention first) and rotation on the script path (`login` over a profile with a new token
//! for the same service user). Profiles are stored in the REAL Secret Service (gated as in
//! `keyring_cli.rs`); the refusals before any keyring read need none.

mod support;

use support::home::{TestHome, code, text};
use support::this_test;

/// The keyring tests name their profiles and skips after the test they are in (support/mod.rs).
#[test]
fn this_test_names_the_test_function_it_is_written_in() {
    assert_eq!(
        this_test!(),
        "this_test_names_the_test_function_it_is_written_in"
    );
}

#[test]
fn with_nothing_stored_it_exits_6_and_says_how_to_store_one() {
    let home = TestHome::new();
    for args in [&["check", "--all"][..], &["check", "--all", "--json"]] {
        let output = home.run(args, None);
        assert_eq!(code(&output), 6, "{output:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains("no stored profiles to check"), "{stderr}");
        assert!(
            stderr.contains("hibob-auth login --token-stdin"),
            "{stderr}"
        );
        assert!(
            output.stdout.is_empty(),
            "nothing on stdout for a script to misread"
        );
    }
}

#[test]
fn one_api_for_every_profile_is_refused_as_usage() {
    let home = TestHome::new();
    let with_flag = home.run(&["check", "--all", "--sandbox"], None);
    let mut from_env = home.cmd(&["check", "--all"]);
    from_env.env("HIBOB_API_URL", "http://127.0.0.1:9");
    let from_env = from_env.output().unwrap();
    for output in [with_flag, from_env] {
        assert_eq!(code(&output), 2, "{output:?}");
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains("each profile against the API it remembers"),
            "{stderr}"
        );
        assert!(stderr.contains("check --profile NAME"), "{stderr}");
    }
}

#[test]
fn check_help_gives_the_order_of_the_exit_code() {
    let output = TestHome::new().run(&["check", "--help"], None);
    let help = text(&output.stdout);
    assert!(help.contains("--all"), "{help}");
    assert!(help.contains("needs attention first"), "{help}");
}

#[cfg(unix)]
mod stored {
    use std::process::{Command, Stdio};
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;
    use support::fake_hibob::{
        Expected, FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN,
    };
    use support::home::json;
    use support::keyring_gate::real_keyring;

    /// Profiles of one test in one home, stored in the Secret Service under names no other test uses
    /// (the keyring is shared by every test); their entries are deleted at the end.
    struct Profiles {
        home: TestHome,
        prefix: String,
        names: Vec<String>,
    }

    impl Profiles {
        fn new() -> Profiles {
            static NEXT: AtomicU32 = AtomicU32::new(0);
            let prefix = format!(
                "all{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            Profiles {
                home: TestHome::new(),
                prefix,
                names: Vec::new(),
            }
        }

        fn run(&self, args: &[&str], stdin: Option<&str>) -> std::process::Output {
            let mut cmd = self.home.cmd(args);
            if let Some(bus) = std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
                cmd.env("DBUS_SESSION_BUS_ADDRESS", bus);
            }
            cmd.write_stdin(stdin.unwrap_or_default()).output().unwrap()
        }

        /// Store the test service user as profile PREFIX-`suffix`, remembering `api_url` (not checked).
        fn store(&mut self, suffix: &str, api_url: &str) -> String {
            let name = self.name(suffix);
            let output = self.login(
                &name,
                TEST_SERVICE_USER_TOKEN,
                &["--no-verify", "--api-url", api_url],
            );
            assert_eq!(code(&output), 0, "{output:?}");
            name
        }

        /// The name of this test's profile `suffix`; its keyring entry is removed at the end.
        fn name(&mut self, suffix: &str) -> String {
            let name = format!("{}-{suffix}", self.prefix);
            if !self.names.contains(&name) {
                self.names.push(name.clone());
            }
            name
        }

        /// `login` of the test service user with `token` on stdin as `profile`, plus `extra` arguments.
        fn login(&self, profile: &str, token: &str, extra: &[&str]) -> std::process::Output {
            let mut args = vec![
                "login",
                "--token-stdin",
                "--profile",
                profile,
                "--service-user-id",
                TEST_SERVICE_USER_ID,
            ];
            args.extend_from_slice(extra);
            self.run(&args, Some(token))
        }

        /// `token` of `profile`: what the keyring holds for it.
        fn stored_token(&self, profile: &str) -> String {
            let output = self.run(&["token", "--profile", profile], None);
            assert_eq!(code(&output), 0, "{output:?}");
            text(&output.stdout).trim_end().to_string()
        }
    }

    impl Drop for Profiles {
        fn drop(&mut self) {
            for name in &self.names {
                remove_keyring_entry(name);
            }
        }
    }

    /// Delete a profile's entry behind hibob-auth's back, as a person could with Seahorse.
    fn remove_keyring_entry(profile: &str) {
        let _ = Command::new("secret-tool")
            .args(["clear", "service", "hibob-auth", "username", profile])
            .stdin(Stdio::null())
            .status();
    }

    #[test]
    fn every_profile_is_checked_against_its_own_api_and_the_worst_exit_wins() {
        if !real_keyring(this_test!()) {
            return;
        }
        let everything = FakeHibob::start(Scenario::ok());
        // HiBob leaves out the categories a permission group may not see (support/fake_hibob.rs).
        let basic_info_only = FakeHibob::start(Scenario::ok().only_categories(&["root"]));
        let mut profiles = Profiles::new();
        let ok = profiles.store("a-ok", &everything.url());
        let limited = profiles.store("b-limited", &basic_info_only.url());
        let gone = profiles.store("c-gone", &everything.url());
        remove_keyring_entry(&gone);

        let output = profiles.run(&["check", "--all", "--json"], None);
        assert_eq!(
            code(&output),
            6,
            "no credential (6) before limited (5): {output:?}"
        );
        let rows = json(&output);
        let rows = rows.as_array().expect("an array");
        let names: Vec<&str> = rows
            .iter()
            .map(|row| row["profile"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [ok.as_str(), &limited, &gone],
            "one per profile, by name"
        );
        assert_eq!(rows[0]["verdict"], "ok");
        assert_eq!(rows[0]["exit_code"], 0);
        assert_eq!(rows[0]["api_url"], everything.url());
        assert_eq!(rows[0]["source"], "keyring");
        assert_eq!(rows[1]["verdict"], "limited");
        assert_eq!(rows[1]["exit_code"], 5);
        assert_eq!(rows[1]["api_url"], basic_info_only.url());
        assert!(rows[2]["verdict"].is_null());
        assert_eq!(rows[2]["exit_code"], 6);
        assert!(
            rows[2]["error"]
                .as_str()
                .unwrap()
                .contains("its keyring entry is gone"),
            "{}",
            rows[2]
        );
        // Each fake was asked by its own profiles only: a's and c's API got one check (c never got
        // that far), b's got one.
        assert_eq!(everything.count(support::fake_hibob::PATH_FIELDS), 1);
        assert_eq!(basic_info_only.count(support::fake_hibob::PATH_FIELDS), 1);
        // The results are recorded as `check` records them.
        for (name, verdict) in [(&ok, "ok"), (&limited, "limited")] {
            let record = profiles.home.record(name).unwrap();
            assert!(
                record.contains(&format!("verdict = \"{verdict}\"")),
                "{record}"
            );
        }

        let output = profiles.run(&["check", "--all"], None);
        assert_eq!(code(&output), 6);
        let report = text(&output.stdout);
        let lines: Vec<&str> = report.lines().collect();
        assert_eq!(
            lines[0], "HiBob credential check of 3 profiles: 1 ok, 2 to look at",
            "{report}"
        );
        assert!(lines[2].starts_with("PROFILE"), "{report}");
        assert!(
            lines[3].starts_with(&ok) && lines[3].contains(" ok "),
            "{report}"
        );
        assert!(
            lines[3].contains("SERVICE-"),
            "the masked identity: {report}"
        );
        assert!(
            lines[4].starts_with(&limited) && lines[4].contains(" limited "),
            "{report}"
        );
        assert!(
            lines[5].starts_with(&gone) && lines[5].contains("no credential"),
            "{report}"
        );
        assert!(
            report.contains(&format!("{limited}: ")),
            "a line on what to do: {report}"
        );
        assert!(report.contains(&format!("{gone}: ")), "{report}");
        assert!(
            !report.contains(&format!("{ok}: ")),
            "nothing to say about ok: {report}"
        );
        assert!(
            report.contains("hibob-auth check --profile NAME"),
            "{report}"
        );
        let all_output = format!("{report}{}", text(&output.stderr));
        assert!(
            !all_output.contains(TEST_SERVICE_USER_TOKEN),
            "never the token"
        );
    }

    /// HiBob shows a reset token once; the old one is replaced in the keyring only after the new one
    /// passed its check, and the record says it was a rotation.
    #[test]
    fn a_new_token_for_the_same_service_user_is_a_rotation_and_a_rejected_one_changes_nothing() {
        if !real_keyring(this_test!()) {
            return;
        }
        const NEW_TOKEN: &str = "fake-service-user-token-rotated-4e1d";
        let before_reset = FakeHibob::start(Scenario::ok());
        let mut profiles = Profiles::new();
        let name = profiles.name("rotate");
        let first = profiles.login(
            &name,
            TEST_SERVICE_USER_TOKEN,
            &["--api-url", &before_reset.url()],
        );
        assert_eq!(code(&first), 0, "{first:?}");
        assert!(
            !text(&first.stderr).contains("rotation"),
            "a first store is no rotation"
        );
        let stored_at = record_field(&profiles, &name, "stored_at");

        // Reset in HiBob: from now on it accepts only the new token.
        let after_reset = FakeHibob::start(Scenario::ok().expecting(Expected::ServiceUser {
            id: TEST_SERVICE_USER_ID.to_string(),
            token: NEW_TOKEN.to_string(),
        }));
        let stale = profiles.login(
            &name,
            "a-token-typed-wrong-0000",
            &["--api-url", &after_reset.url()],
        );
        assert_eq!(code(&stale), 1, "rejected: {stale:?}");
        assert_eq!(
            profiles.stored_token(&name),
            TEST_SERVICE_USER_TOKEN,
            "the old token stays"
        );
        assert!(record_field(&profiles, &name, "rotated_at").is_empty());

        let rotated = profiles.login(&name, NEW_TOKEN, &["--api-url", &after_reset.url()]);
        assert_eq!(code(&rotated), 0, "{rotated:?}");
        let said = text(&rotated.stderr);
        assert!(said.contains("(a rotation)"), "{said}");
        assert!(said.contains("StackOne's Link Account"), "{said}");
        assert!(!said.contains(NEW_TOKEN), "never the token: {said}");
        assert_eq!(profiles.stored_token(&name), NEW_TOKEN);
        assert_eq!(
            record_field(&profiles, &name, "stored_at"),
            stored_at,
            "first stored then"
        );
        assert!(!record_field(&profiles, &name, "rotated_at").is_empty());

        let listed = profiles.run(&["profiles", "--json"], None);
        let listed = json(&listed);
        assert_eq!(listed[0]["name"], name.as_str());
        assert_eq!(listed[0]["token_age_days"], 0, "counted from the rotation");
    }

    /// A string field of the profile's record file, or "" when it has none.
    fn record_field(profiles: &Profiles, name: &str, field: &str) -> String {
        let record = profiles.home.record(name).expect("a record");
        let prefix = format!("{field} = \"");
        record
            .lines()
            .find_map(|line| line.strip_prefix(&prefix))
            .map(|rest| rest.trim_end_matches('"').to_string())
            .unwrap_or_default()
    }
}
