//! The real binary against the REAL Secret Service (and the kernel keyring), as a new user would use it.
//!
//! Run inside a D-Bus session with an unlocked keyring, as `.ci/run` does:
//!
//!     dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
//!         && HIBOB_AUTH_REQUIRE_KEYRING=1 cargo test --test keyring_cli'
//!
//! With `HIBOB_AUTH_REQUIRE_KEYRING=1` a missing Secret Service (or missing tool) fails these tests. Without
//! it they say on the terminal that they skipped and pass, so `cargo test` works on a machine without one.
//! Every test uses its own profile name and config directory and deletes its keyring entry afterwards, so
//! running them against a desktop keyring leaves nothing behind and never touches a real profile.
//!
//! Linux only: the Secret Service and the kernel keyring are Linux's.
#![cfg(target_os = "linux")]

mod support;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command as StdCommand, Output, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin;
use support::fake_hibob::{
    FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN, closed_port_url,
};
use support::home::{HANG_GUARD, TestHome, code, json, keyring_secret, never_says, says, text};
use support::keyring_gate::{announce_skip, required, tools};
use support::leak::{contains, files_under};
use support::private_keyring::TOOLS;
use support::pty::run_to_end;
use support::stored_credential::{
    assert_an_unreadable_entry_is_a_store_failure, assert_checked_ok_from_the_keyring,
    assert_entry_holds_the_test_service_user,
};
use support::this_test;
use tempfile::TempDir;

/// One test's profile on this session's keyring, in a home of its own (`TestHome::keyring`); its keyring
/// entry is removed when the test ends.
struct World {
    home: TestHome,
}

impl World {
    fn new(test: &str) -> World {
        World {
            home: TestHome::keyring(test),
        }
    }

    /// A world for a test that brings its own keyring and needs `needed` tools for it (as
    /// `keyring_gate::tools` takes them), or `None` when one is missing and the test skipped.
    fn needing(test: &str, needed: &[(&str, &str, &str)]) -> Option<World> {
        tools(test, needed).then(|| World::new(test))
    }

    /// A world on this session's keyring, or `None` when there is none and the test skipped.
    fn on_keyring(test: &str) -> Option<World> {
        TestHome::on_keyring(test).map(|home| World { home })
    }

    /// Give `command` this world: its home, its profile and this session's D-Bus, where the keyring is.
    fn apply(&self, command: &mut StdCommand) {
        self.home.apply(command);
    }

    fn cmd(&self) -> Command {
        self.home.cmd(&[])
    }

    /// Run a command and check that the token is in none of its output.
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = self.cmd();
        cmd.args(args);
        if let Some(input) = stdin {
            cmd.write_stdin(input);
        }
        let output = cmd.output().unwrap();
        assert_no_token(&output, args);
        output
    }

    /// `printf %s TOKEN | hibob-auth login --token-stdin --service-user-id ID [extra]`.
    fn login(&self, extra: &[&str]) -> Output {
        let mut args = vec![
            "login",
            "--token-stdin",
            "--service-user-id",
            TEST_SERVICE_USER_ID,
        ];
        args.extend_from_slice(extra);
        self.run(&args, Some(TEST_SERVICE_USER_TOKEN))
    }

    /// Store the test service user with `login --no-verify [extra]`: no request is sent.
    fn store_unchecked(&self, extra: &[&str]) {
        let login = self.login(&[&["--no-verify"], extra].concat());
        assert_eq!(code(&login), 0, "{login:?}");
    }

    /// Run `wrapper` (a command given this world with [`World::apply`] that starts this binary inside a
    /// session of its own: a D-Bus session, a session keyring) with the token on stdin, `guard` as the
    /// hang guard.
    fn run_wrapped(&self, wrapper: StdCommand, guard: Duration) -> Output {
        let mut wrapper = Command::from_std(wrapper);
        wrapper.write_stdin(TEST_SERVICE_USER_TOKEN).timeout(guard);
        wrapper.output().unwrap()
    }

    /// `login` ended with exit 4, saying each of `says`, and wrote no record; the token is nowhere in its
    /// output.
    fn assert_store_refused_login(&self, output: &Output, says: &[&str]) {
        assert_no_token(output, &["login"]);
        let stderr = text(&output.stderr);
        assert_eq!(code(output), 4, "{stderr}");
        for said in says {
            assert!(stderr.contains(said), "{said:?}: {stderr}");
        }
        // No record: at most the profile's lock file and its holder's process ID (see store/lock.rs),
        // when the store failed after the lock was taken.
        assert_eq!(self.record(), None);
        for file in files_under(&self.home.dir("config")) {
            let extension = file.extension().and_then(|ext| ext.to_str());
            assert!(
                matches!(extension, Some("lock" | "holder")),
                "{}",
                file.display()
            );
        }
    }

    fn record(&self) -> Option<String> {
        self.home.record(self.home.profile())
    }

    /// What the Secret Service holds for this profile, read with libsecret's own tool.
    fn lookup(&self) -> Option<String> {
        self.home.keyring_secret()
    }

    /// The token must be in no file this tool or the keyring daemon wrote in plain text.
    fn assert_token_in_no_file(&self) {
        let mut roots = vec![self.home.path().to_path_buf()];
        // The keyring daemon's own files (encrypted at rest: the token must not show through).
        if let Some(data_home) = std::env::var_os("XDG_DATA_HOME") {
            roots.push(PathBuf::from(data_home).join("keyrings"));
        }
        for root in roots {
            for file in files_under(&root) {
                let bytes = std::fs::read(&file).unwrap_or_default();
                assert!(
                    !contains(&bytes, TEST_SERVICE_USER_TOKEN.as_bytes()),
                    "the token is in {}",
                    file.display()
                );
            }
        }
    }
}

fn assert_no_token(output: &Output, args: &[&str]) {
    let token_stdout_allowed = args.first() == Some(&"token");
    assert!(
        !contains(&output.stderr, TEST_SERVICE_USER_TOKEN.as_bytes()),
        "the token is on stderr of {args:?}"
    );
    if !token_stdout_allowed {
        assert!(
            !contains(&output.stdout, TEST_SERVICE_USER_TOKEN.as_bytes()),
            "the token is on stdout of {args:?}"
        );
    }
}

#[test]
fn a_new_user_stores_checks_uses_and_removes_a_credential() {
    let Some(world) = World::on_keyring(this_test!()) else { return };
    let fake = FakeHibob::start(Scenario::ok());

    // Store without a request (the profile remembers the API it was given).
    let login = world.login(&["--no-verify", "--api-url", &fake.url()]);
    assert_eq!(code(&login), 0, "{login:?}");
    assert!(text(&login.stderr).contains("Stored profile"), "{login:?}");
    assert!(text(&login.stderr).contains("Secret Service"), "{login:?}");
    assert!(fake.requests().is_empty(), "--no-verify sends nothing");

    // The OS store holds the whole credential, as libsecret's own tool sees it.
    assert_entry_holds_the_test_service_user(world.lookup());

    // check re-checks it from the keyring, against the remembered API, and records the result.
    let check = world.run(&["check", "--json", "--timeout", "20"], None);
    assert_checked_ok_from_the_keyring(&check, &fake, 0);
    let record = world.record().unwrap();
    assert!(record.contains("verdict = \"ok\""), "{record}");

    // The human-readable check names the source too.
    let check_text = world.run(&["check", "--timeout", "20"], None);
    assert_eq!(code(&check_text), 0, "{check_text:?}");
    assert!(has_field(&text(&check_text.stdout), "source", "OS keyring"));

    // token and token --header print what curl needs, and nothing else.
    let token = world.run(&["token"], None);
    assert_eq!(code(&token), 0, "{token:?}");
    assert_eq!(text(&token.stdout), format!("{TEST_SERVICE_USER_TOKEN}\n"));
    assert!(
        token.stderr.is_empty(),
        "no terminal, no warning: {token:?}"
    );
    let header = world.run(&["token", "--header"], None);
    assert_eq!(code(&header), 0, "{header:?}");
    let expected = support::fake_hibob::Expected::test_service_user().header_value();
    assert_eq!(text(&header.stdout), format!("{expected}\n"));

    // profiles --json: everything but the secret.
    let profiles = world.run(&["profiles", "--json"], None);
    assert_eq!(code(&profiles), 0);
    let listed = json(&profiles);
    let entry = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == world.home.profile())
        .expect("the profile is listed")
        .clone();
    assert_eq!(entry["active"], true);
    assert_eq!(entry["kind"], "service-user");
    assert_eq!(entry["service_user_id"], TEST_SERVICE_USER_ID);
    assert_eq!(entry["api_url"], fake.url());
    assert_eq!(entry["store"], "native");
    assert_eq!(entry["token_hint"], "…9c2e");
    assert_eq!(entry["last_check"]["verdict"], "ok");
    world.assert_token_in_no_file();

    // logout removes the entry and the record; check then finds nothing.
    let logout = world.run(&["logout"], None);
    assert_eq!(code(&logout), 0, "{logout:?}");
    assert!(text(&logout.stdout).contains("Logged out of profile"));
    assert_eq!(world.lookup(), None);
    assert_eq!(world.record(), None);
    let after = world.run(&["check"], None);
    assert_eq!(code(&after), 6, "{after:?}");
    world.assert_token_in_no_file();
}

#[test]
fn login_checks_live_and_stores_an_ok_credential() {
    let Some(world) = World::on_keyring(this_test!()) else { return };
    let fake = FakeHibob::start(Scenario::ok());
    let login = world.login(&["--api-url", &fake.url(), "--timeout", "20"]);
    assert_eq!(code(&login), 0, "{login:?}");
    let stdout = text(&login.stdout);
    assert!(stdout.contains("HiBob credential check: OK"), "{stdout}");
    assert!(has_field(&stdout, "source", "standard input"), "{stdout}");
    assert!(text(&login.stderr).contains("Stored profile"));
    assert!(world.lookup().is_some());
    let record = world.record().unwrap();
    assert!(record.contains("verdict = \"ok\""), "{record}");
    assert!(record.contains(&format!("api_url = \"{}\"", fake.url())));
    world.assert_token_in_no_file();
}

#[test]
fn login_stores_a_limited_credential_and_exits_5() {
    let Some(world) = World::on_keyring(this_test!()) else { return };
    // A permission group with Basic info only: HiBob answers 200 and leaves the rest out.
    let fake = FakeHibob::start(Scenario::ok().only_categories(&["root"]));
    let login = world.login(&["--api-url", &fake.url(), "--timeout", "20", "--json"]);
    assert_eq!(code(&login), 5, "{login:?}");
    // --json keeps stdout pure JSON; the "stored" line is on stderr.
    let report = json(&login);
    assert_eq!(report["verdict"], "limited");
    assert_eq!(report["source"], "stdin");
    assert!(text(&login.stderr).contains("Stored profile"));
    assert!(world.lookup().is_some());
    let record = world.record().unwrap();
    assert!(record.contains("verdict = \"limited\""), "{record}");
    assert!(record.contains("status = \"partial\""), "{record}");
    assert!(record.contains("status = \"missing\""), "{record}");
}

/// HiBob blocks the address, or rejects the credential: login says which and stores nothing.
#[test]
fn login_stores_nothing_when_hibob_blocks_the_address_or_rejects_the_credential() {
    /// One way HiBob refuses, and what login says about it.
    struct Refusal {
        hibob: Scenario,
        exit: i32,
        stdout_says: &'static [&'static str],
        stdout_never_says: &'static [&'static str],
        stderr_says: &'static [&'static str],
    }
    let refusals = [
        Refusal {
            hibob: Scenario::ok().blocked(),
            exit: 7,
            stdout_says: &["BLOCKED"],
            stdout_never_says: &["missing"],
            stderr_says: &["Nothing was stored", "five minutes"],
        },
        Refusal {
            hibob: Scenario::ok().reject_everything(),
            exit: 1,
            stdout_says: &["REJECTED"],
            stdout_never_says: &[],
            stderr_says: &["Nothing was stored"],
        },
    ];
    let test = this_test!();
    for refusal in refusals {
        let Some(world) = World::on_keyring(test) else { return };
        let fake = FakeHibob::start(refusal.hibob);
        let login = world.login(&["--api-url", &fake.url(), "--timeout", "20"]);
        assert_eq!(code(&login), refusal.exit, "{login:?}");
        says(&text(&login.stdout), refusal.stdout_says);
        never_says(&text(&login.stdout), refusal.stdout_never_says);
        says(&text(&login.stderr), refusal.stderr_says);
        assert_eq!(world.lookup(), None);
        assert_eq!(world.record(), None);
    }
}

#[test]
fn login_stores_nothing_when_the_credential_cannot_be_verified() {
    let Some(world) = World::on_keyring(this_test!()) else { return };
    let login = world.login(&["--api-url", &closed_port_url(), "--timeout", "5"]);
    assert_eq!(code(&login), 3, "{login:?}");
    assert!(text(&login.stderr).contains("Nothing was stored"));
    assert_eq!(world.lookup(), None);
    assert_eq!(world.record(), None);
}

/// A world whose profile holds the test service user, stored without a check and remembering the first
/// fake HiBob; the second is another API. `None` when the test skipped.
fn stored_with_another_api(test: &str) -> Option<(World, FakeHibob, FakeHibob)> {
    let world = World::on_keyring(test)?;
    let remembered = FakeHibob::start(Scenario::ok());
    let other = FakeHibob::start(Scenario::ok());
    world.store_unchecked(&["--api-url", &remembered.url()]);
    Some((world, remembered, other))
}

#[test]
fn an_environment_credential_wins_and_says_so() {
    let Some((world, stored_api, env_api)) = stored_with_another_api(this_test!()) else {
        return;
    };
    let mut check = world.cmd();
    check
        .args([
            "check",
            "--json",
            "--timeout",
            "20",
            "--api-url",
            &env_api.url(),
        ])
        .env("HIBOB_SERVICE_USER_ID", TEST_SERVICE_USER_ID)
        .env("HIBOB_SERVICE_USER_TOKEN", TEST_SERVICE_USER_TOKEN);
    let output = check.output().unwrap();
    assert_no_token(&output, &["check"]);
    assert_eq!(code(&output), 0, "{output:?}");
    assert_eq!(json(&output)["source"], "env");
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("checking the credential from environment variables"),
        "{stderr}"
    );
    assert!(stderr.contains(world.home.profile()), "{stderr}");
    assert!(stored_api.requests().is_empty());
    assert!(!env_api.requests().is_empty());
    // The stored profile's record is about the stored credential: an env check does not touch it.
    assert!(!world.record().unwrap().contains("[last_check]"));

    // logout says that the environment still provides a credential.
    let mut logout = world.cmd();
    logout
        .arg("logout")
        .env("HIBOB_SERVICE_USER_ID", TEST_SERVICE_USER_ID)
        .env("HIBOB_SERVICE_USER_TOKEN", TEST_SERVICE_USER_TOKEN);
    let output = logout.output().unwrap();
    assert_no_token(&output, &["logout"]);
    assert_eq!(code(&output), 0, "{output:?}");
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("HIBOB_SERVICE_USER_TOKEN is still set"),
        "{stderr}"
    );
    assert_eq!(world.lookup(), None);
}

#[test]
fn an_explicit_api_url_overrides_the_remembered_one_for_one_check() {
    let Some((world, sandbox, other)) = stored_with_another_api(this_test!()) else { return };
    let check = world.run(
        &[
            "check",
            "--json",
            "--timeout",
            "20",
            "--api-url",
            &other.url(),
        ],
        None,
    );
    assert_eq!(code(&check), 0, "{check:?}");
    assert_eq!(json(&check)["api_url"], other.url());
    assert!(sandbox.requests().is_empty());
    assert!(!other.requests().is_empty());
}

#[test]
fn an_unreadable_stored_value_is_a_store_failure_not_a_bad_credential() {
    let Some(world) = World::on_keyring(this_test!()) else { return };
    let fake = FakeHibob::start(Scenario::ok());
    world.store_unchecked(&["--api-url", &fake.url()]);
    // Something else writes a value hibob-auth did not write into the same entry.
    let mut overwrite = StdCommand::new("secret-tool")
        .args(["store", "--label=not ours", "service", "hibob-auth"])
        .args(["username", world.home.profile()])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    overwrite
        .stdin
        .take()
        .unwrap()
        .write_all(b"plain text, not a credential")
        .unwrap();
    assert!(overwrite.wait().unwrap().success());

    assert_an_unreadable_entry_is_a_store_failure(|args| world.run(args, None), &fake);
}

#[test]
fn logout_all_removes_every_profile() {
    let Some(first) = World::on_keyring(this_test!()) else { return };
    // A second profile in the same config directory.
    let second_name = format!("{}-b", first.home.profile());
    first.store_unchecked(&[]);
    let mut second = first.cmd();
    second
        .args([
            "--profile",
            &second_name,
            "login",
            "--token-stdin",
            "--no-verify",
        ])
        .write_stdin(TEST_SERVICE_USER_TOKEN);
    let output = second.output().unwrap();
    assert_eq!(code(&output), 0, "{output:?}");
    assert!(first.lookup().is_some());
    assert!(keyring_secret(&second_name).is_some());

    let logout = first.run(&["logout", "--all"], None);
    assert_eq!(code(&logout), 0, "{logout:?}");
    let stdout = text(&logout.stdout);
    assert_eq!(
        stdout.matches("Logged out of profile").count(),
        2,
        "{stdout}"
    );
    assert_eq!(first.lookup(), None);
    assert_eq!(keyring_secret(&second_name), None);
    let profiles = first.run(&["profiles", "--json"], None);
    assert_eq!(json(&profiles), serde_json::json!([]));
}

#[test]
fn token_warns_on_a_terminal_and_still_prints() {
    let Some(world) = World::on_keyring(this_test!()) else { return };
    world.store_unchecked(&[]);
    let mut command = world.home.pty_command(&["token"]);
    command.env("HIBOB_PROFILE", world.home.profile());
    if let Some(bus) = std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
        command.env("DBUS_SESSION_BUS_ADDRESS", bus);
    }
    let (exit_code, screen) = run_to_end(command);
    assert_eq!(exit_code, 0, "{screen}");
    assert!(
        screen.contains("warning: this prints a secret to your terminal"),
        "{screen}"
    );
    assert!(screen.contains(TEST_SERVICE_USER_TOKEN), "{screen}");
}

/// A D-Bus session where nothing provides org.freedesktop.secrets (no service files: nothing can be
/// started on demand).
#[test]
fn with_no_secret_service_on_the_bus_login_exits_4_and_writes_nothing() {
    let needed = [("dbus-run-session", "--version", "dbus")];
    let Some(world) = World::needing(this_test!(), &needed) else { return };
    let config = world.home.dir("cache").join("bus.conf");
    std::fs::write(
        &config,
        format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
"#,
            world.home.dir("cache").display()
        ),
    )
    .unwrap();
    let mut session = StdCommand::new("dbus-run-session");
    session
        .arg(format!("--config-file={}", config.display()))
        .arg("--")
        .arg(cargo_bin!("hibob-auth"))
        .args([
            "login",
            "--token-stdin",
            "--service-user-id",
            TEST_SERVICE_USER_ID,
            "--no-verify",
        ]);
    world.apply(&mut session);
    let output = world.run_wrapped(session, HANG_GUARD);
    world.assert_store_refused_login(
        &output,
        &[
            "nothing on the D-Bus session bus provides org.freedesktop.secrets",
            "GNOME Keyring or KeePassXC",
        ],
    );
}

/// A keyring created with one password and unlocked with another stays locked; with no desktop there
/// is no one to answer the unlock prompt. login must say "locked" and end, not hang.
#[test]
fn with_the_keyring_locked_login_exits_4_with_the_locked_message() {
    let Some(world) = World::needing(this_test!(), &TOOLS) else { return };
    let keyring_home = TempDir::new().unwrap();
    // First session: create the login keyring with the right password and put an item in it. The daemon
    // claims its bus name after `--unlock` returns; a `secret-tool` that came first would make D-Bus start
    // a second, locked daemon (seen under load: "Cannot create an item in a locked collection"), so wait
    // until the name has its owner (at most a minute: a hang guard).
    let create = StdCommand::new("dbus-run-session")
        .args([
            "--",
            "sh",
            "-c",
            "echo -n right-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
             && tries=0 && until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
                      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | grep -q 'boolean true' \
                      || [ $((tries += 1)) -gt 1200 ]; do sleep 0.05; done \
             && echo -n seed | secret-tool store --label=seed service hibob-auth-test-seed username seed",
        ])
        .env("XDG_DATA_HOME", keyring_home.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        create.status.success(),
        "could not create a test keyring: {create:?}"
    );
    assert!(keyring_home.path().join("keyrings/login.keyring").exists());

    // Second session: the wrong password leaves it locked; then login runs with the token on stdin.
    let binary = cargo_bin!("hibob-auth");
    let mut session = StdCommand::new("dbus-run-session");
    session
        .args([
            "--",
            "sh",
            "-c",
            "echo -n wrong-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
             exec \"$0\" login --token-stdin --service-user-id \"$1\" --no-verify",
        ])
        .arg(binary)
        .arg(TEST_SERVICE_USER_ID);
    world.apply(&mut session);
    session.env("XDG_DATA_HOME", keyring_home.path());
    // Well under the 60 s write timeout: passing proves the prompt was not waited out.
    let output = world.run_wrapped(session, Duration::from_secs(40));
    world.assert_store_refused_login(
        &output,
        &[
            "the keyring is locked, or its unlock prompt was dismissed",
            "unlock your keyring",
        ],
    );
    for file in files_under(keyring_home.path()) {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(!contains(&bytes, TEST_SERVICE_USER_TOKEN.as_bytes()));
    }
}

/// The kernel keyring, chosen explicitly, inside a fresh session keyring (`keyctl session`).
#[test]
fn the_kernel_keyring_round_trips_inside_a_session_keyring() {
    let test = this_test!();
    let Some(world) = World::needing(test, &[("keyctl", "--version", "keyutils")]) else {
        return;
    };
    let binary = cargo_bin!("hibob-auth");
    // One session keyring for the whole sequence; the token arrives on stdin, never in argv.
    let script = "set -e
        \"$0\" --store keyutils login --token-stdin --service-user-id \"$1\" --no-verify
        echo '--- token'
        \"$0\" token </dev/null
        echo '--- profiles'
        \"$0\" profiles </dev/null
        echo '--- logout'
        \"$0\" logout </dev/null
        echo '--- token after logout'
        \"$0\" token </dev/null || echo \"exit $?\"";
    let mut cmd = StdCommand::new("keyctl");
    cmd.args(["session", "-", "sh", "-c", script])
        .arg(binary)
        .arg(TEST_SERVICE_USER_ID);
    world.apply(&mut cmd);
    let output = world.run_wrapped(cmd, HANG_GUARD);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    if stderr.contains("the Linux kernel keyring cannot be used") && !required() {
        announce_skip(test, "keyctl exists but the kernel keyring is blocked here");
        return;
    }
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("Linux kernel keyring (kept in memory until reboot)"),
        "{stderr}"
    );
    let token_section = stdout
        .split("--- token\n")
        .nth(1)
        .and_then(|rest| rest.split("--- profiles").next())
        .unwrap();
    assert_eq!(token_section, format!("{TEST_SERVICE_USER_TOKEN}\n"));
    assert!(stdout.contains("keyutils"), "{stdout}");
    assert!(stdout.contains("Logged out of profile"), "{stdout}");
    assert!(stdout.ends_with("exit 6\n"), "{stdout}");
    for file in files_under(&world.home.dir("config")) {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(!contains(&bytes, TEST_SERVICE_USER_TOKEN.as_bytes()));
    }
}

/// Whether the report's header has a `name   value` line, however the columns are aligned.
fn has_field(report: &str, name: &str, value: &str) -> bool {
    report.lines().any(|line| {
        let line = line.trim_start();
        line.strip_prefix(name)
            .is_some_and(|rest| rest.starts_with(' ') && rest.trim() == value)
    })
}
