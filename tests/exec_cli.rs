//! `hibob-auth exec -- COMMAND`, the real binary: the command gets the stored credential in its environment
//! and nowhere else, it replaces hibob-auth (same process, its own exit status and signals), and a command
//! that cannot start exits as a shell would (127, 126). The stored credential is in the REAL Secret Service
//! (gated as in `keyring_cli.rs`); the failures before any keyring read need none. Leaks (command line,
//! output, files) with the canary credential are in `leaks.rs`.
#![cfg(unix)]

mod support;

use std::os::unix::process::ExitStatusExt;
use std::process::{Command as StdCommand, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use assert_cmd::cargo::cargo_bin;
use support::fake_hibob::{TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN};
use support::home::TestHome;
use support::keyring_gate::real_keyring;
use tempfile::TempDir;

/// The API the test profile remembers (loopback; nothing is sent to it: `exec` makes no request).
const API_URL: &str = "http://127.0.0.1:9";

/// Prints the credential variables the command sees, one per line; `-` for one that is not set.
const SHOW_ENV: &str = r#"for v in HIBOB_SERVICE_USER_ID HIBOB_SERVICE_USER_TOKEN HIBOB_API_URL HIBOB_API_TOKEN; do eval "printf '%s\n' \"\${$v--}\""; done"#;

/// One test's profile and home; its keyring entry is deleted at the end.
struct World {
    profile: String,
    home: TestHome,
}

impl World {
    fn new(test: &str) -> World {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        World {
            profile: format!(
                "t{}-{}-{test}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            )
            .chars()
            .take(64)
            .collect(),
            home: TestHome::new(),
        }
    }

    /// Give `command` this world: its home (support/home.rs), its profile (from `HIBOB_PROFILE`) and this
    /// session's D-Bus, where the keyring is.
    fn apply(&self, command: &mut StdCommand) {
        self.home.apply(command);
        command.env("HIBOB_PROFILE", &self.profile);
        if let Some(bus) = std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
            command.env("DBUS_SESSION_BUS_ADDRESS", bus);
        }
    }

    fn cmd(&self) -> StdCommand {
        let mut cmd = StdCommand::new(cargo_bin!("hibob-auth"));
        self.apply(&mut cmd);
        cmd.stdin(Stdio::null());
        cmd
    }

    /// Store the test service user without a check (it remembers [`API_URL`]).
    fn store(&self) {
        let mut login = self
            .cmd()
            .args(["login", "--token-stdin", "--no-verify"])
            .args([
                "--service-user-id",
                TEST_SERVICE_USER_ID,
                "--api-url",
                API_URL,
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        login
            .stdin
            .take()
            .unwrap()
            .write_all(TEST_SERVICE_USER_TOKEN.as_bytes())
            .unwrap();
        let output = login.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{output:?}");
    }

    fn exec(&self, command: &[&str]) -> Output {
        self.cmd()
            .arg("exec")
            .arg("--")
            .args(command)
            .output()
            .unwrap()
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = StdCommand::new("secret-tool")
            .args(["clear", "service", "hibob-auth", "username", &self.profile])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_command_sees_the_profiles_credential_and_a_stale_one_is_replaced() {
    if !real_keyring("the_command_sees_the_profiles_credential_and_a_stale_one_is_replaced") {
        return;
    }
    let world = World::new("env");
    world.store();
    let output = world
        .cmd()
        .env("HIBOB_API_TOKEN", "a-stale-api-token-from-the-shell")
        .args(["exec", "--", "sh", "-c", SHOW_ENV])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        text(&output.stdout),
        format!("{TEST_SERVICE_USER_ID}\n{TEST_SERVICE_USER_TOKEN}\n{API_URL}\n-\n"),
        "ID, token and API set; the other kind's token removed"
    );
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("HIBOB_API_TOKEN from this environment is replaced"),
        "{stderr}"
    );
    assert!(!stderr.contains(TEST_SERVICE_USER_TOKEN), "{stderr}");
}

#[test]
fn the_command_replaces_hibob_auth_and_its_exit_status_and_signals_are_its_own() {
    if !real_keyring("the_command_replaces_hibob_auth_and_its_exit_status_and_signals_are_its_own")
    {
        return;
    }
    let world = World::new("status");
    world.store();
    for status in ["0", "3", "42", "255"] {
        let output = world.exec(&["sh", "-c", &format!("exit {status}")]);
        assert_eq!(
            output.status.code(),
            Some(status.parse().unwrap()),
            "{output:?}"
        );
    }
    // The command runs in hibob-auth's own process (exec), so a signal it gets ends it, as seen by the caller.
    let child = world
        .cmd()
        .args(["exec", "--", "sh", "-c", "echo $$; kill -TERM $$"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        text(&output.stdout).trim(),
        pid.to_string(),
        "the same process"
    );
    assert_eq!(output.status.signal(), Some(15), "{output:?}");
}

#[test]
fn argv_of_the_command_is_exactly_what_was_given_and_the_caller_gains_nothing() {
    if !real_keyring("argv_of_the_command_is_exactly_what_was_given_and_the_caller_gains_nothing") {
        return;
    }
    let world = World::new("argv");
    world.store();
    // The command prints its own command line as the kernel shows it to every user.
    let output = world.exec(&[
        "sh",
        "-c",
        "tr '\\0' '\\n' < /proc/$$/cmdline",
        "-",
        "--flag",
    ]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        text(&output.stdout),
        "sh\n-c\ntr '\\0' '\\n' < /proc/$$/cmdline\n-\n--flag\n"
    );
    // A shell that runs `hibob-auth exec` does not gain the variables: only the command had them.
    let mut caller = StdCommand::new("sh");
    world.apply(&mut caller);
    let caller = caller
        .args([
            "-c",
            r#""$0" exec -- sh -c 'test -n "$HIBOB_SERVICE_USER_TOKEN" && echo child-has-it' && env"#,
        ])
        .arg(cargo_bin!("hibob-auth"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(caller.status.code(), Some(0), "{caller:?}");
    let (child, after) = text(&caller.stdout)
        .split_once('\n')
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .unwrap();
    assert_eq!(child, "child-has-it");
    assert!(!after.contains(TEST_SERVICE_USER_TOKEN), "{after}");
    assert!(!after.contains("HIBOB_SERVICE_USER_TOKEN"), "{after}");
}

#[test]
fn a_command_that_cannot_start_exits_127_or_126_as_a_shell_does() {
    if !real_keyring("a_command_that_cannot_start_exits_127_or_126_as_a_shell_does") {
        return;
    }
    let world = World::new("missing");
    world.store();
    let missing = world.exec(&["hibob-auth-test-no-such-command"]);
    assert_eq!(missing.status.code(), Some(127), "{missing:?}");
    let stderr = text(&missing.stderr);
    assert!(
        stderr.contains("the command 'hibob-auth-test-no-such-command' was not found"),
        "{stderr}"
    );
    assert!(!stderr.contains(TEST_SERVICE_USER_TOKEN), "{stderr}");

    let dir = TempDir::new().unwrap();
    let script = dir.path().join("not-executable.sh");
    std::fs::write(&script, "#!/bin/sh\necho ran\n").unwrap();
    let denied = world.exec(&[script.to_str().unwrap()]);
    assert_eq!(denied.status.code(), Some(126), "{denied:?}");
    assert!(text(&denied.stderr).contains("chmod +x"), "{denied:?}");
    assert!(denied.stdout.is_empty());
}

/// The binary in `world`'s home without this session's D-Bus (support/home.rs gives none): nothing stored,
/// or a record whose keyring cannot be reached.
fn no_dbus(world: &World) -> StdCommand {
    let mut cmd = StdCommand::new(cargo_bin!("hibob-auth"));
    world.home.apply(&mut cmd);
    cmd.env("HIBOB_PROFILE", &world.profile)
        .stdin(Stdio::null());
    cmd
}

#[test]
fn nothing_stored_exits_6_and_an_unreachable_store_exits_4_without_running_the_command() {
    let world = World::new("fail");
    let marker = world.home.path().join("ran");
    let touch = format!("touch {}", marker.display());
    let nothing = no_dbus(&world)
        .args(["exec", "--", "sh", "-c", &touch])
        .output()
        .unwrap();
    assert_eq!(nothing.status.code(), Some(6), "{nothing:?}");
    assert!(
        text(&nothing.stderr).contains("no HiBob credential found"),
        "{nothing:?}"
    );

    let record = world.home.record_path(&world.profile);
    std::fs::create_dir_all(record.parent().unwrap()).unwrap();
    std::fs::write(
        &record,
        format!("kind = \"service-user\"\nservice_user_id = \"{TEST_SERVICE_USER_ID}\"\napi_url = \"{API_URL}\"\nstore = \"native\"\nstored_at = \"2026-01-01T00:00:00Z\"\n"),
    )
    .unwrap();
    let unreachable = no_dbus(&world)
        .args(["exec", "--", "sh", "-c", &touch])
        .output()
        .unwrap();
    assert_eq!(unreachable.status.code(), Some(4), "{unreachable:?}");
    assert!(
        text(&unreachable.stderr).contains("no Secret Service"),
        "{unreachable:?}"
    );
    assert!(!marker.exists(), "the command never ran");
}

#[test]
fn help_says_where_the_secret_goes_and_lists_the_exit_codes() {
    let help = StdCommand::new(cargo_bin!("hibob-auth"))
        .args(["exec", "--help"])
        .output()
        .unwrap();
    assert_eq!(help.status.code(), Some(0));
    let help = text(&help.stdout);
    for needle in [
        "HIBOB_SERVICE_USER_TOKEN",
        "HIBOB_API_URL",
        "/proc/PID/environ",
        "aws-vault exec",
        "127",
        "126",
    ] {
        assert!(help.contains(needle), "{needle}: {help}");
    }
}
