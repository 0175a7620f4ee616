//! `hibob-auth check --all`, the real binary: every stored profile checked against the fake HiBob its
//! record remembers, one line (or JSON object) per profile, and the exit code of the one that needs
//! attention first. The profiles are stored in the REAL Secret Service (gated as in `keyring_cli.rs`);
//! the refusals before any keyring read need none.

mod support;

use support::fake_hibob::{FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN};
use support::home::{TestHome, code, json, text};

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
            let name = format!("{}-{suffix}", self.prefix);
            let output = self.run(
                &[
                    "login",
                    "--token-stdin",
                    "--no-verify",
                    "--profile",
                    &name,
                    "--service-user-id",
                    TEST_SERVICE_USER_ID,
                    "--api-url",
                    api_url,
                ],
                Some(TEST_SERVICE_USER_TOKEN),
            );
            assert_eq!(code(&output), 0, "{output:?}");
            self.names.push(name.clone());
            name
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
        if !real_keyring("every_profile_is_checked_against_its_own_api_and_the_worst_exit_wins") {
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
}
