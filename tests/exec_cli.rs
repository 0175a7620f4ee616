//! `hibob-auth exec -- COMMAND`, the real binary: the command gets the stored credential in its environment
//! and nowhere else, it replaces hibob-auth (same process, its own exit status and signals), and a command
//! that cannot start exits as a shell would (127, 126). The stored credential is in the REAL Secret Service
//! (gated as in `keyring_cli.rs`); the failures before any keyring read need none. Leaks (command line,
//! output, files) with the canary credential are in `leaks.rs`.
#![cfg(unix)]

mod support;

use std::os::unix::process::ExitStatusExt;
use std::process::{Command as StdCommand, Output, Stdio};

use assert_cmd::cargo::cargo_bin;
use support::fake_hibob::{TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN};
use support::home::{TestHome, never_says, says};
use support::this_test;
use tempfile::TempDir;

/// The API the test profile remembers (loopback; nothing is sent to it: `exec` makes no request).
const API_URL: &str = "http://127.0.0.1:9";

/// Prints the credential variables the command sees, one per line; `-` for one that is not set.
const SHOW_ENV: &str = r#"for v in HIBOB_SERVICE_USER_ID HIBOB_SERVICE_USER_TOKEN HIBOB_API_URL HIBOB_API_TOKEN; do eval "printf '%s\n' \"\${$v--}\""; done"#;

/// A keyring home (`TestHome::on_keyring`) for the test `test` whose profile holds the test service user,
/// stored without a check (it remembers [`API_URL`]); `None` when the test skipped.
fn stored_home(test: &str) -> Option<TestHome> {
    let home = TestHome::on_keyring(test)?;
    let login = [
        "login",
        "--token-stdin",
        "--no-verify",
        "--service-user-id",
        TEST_SERVICE_USER_ID,
        "--api-url",
        API_URL,
    ];
    let output = home.run(&login, Some(TEST_SERVICE_USER_TOKEN));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    Some(home)
}

/// `hibob-auth ARGS` in `home` with an empty stdin.
fn cmd(home: &TestHome, args: &[&str]) -> StdCommand {
    let mut cmd = home.command(args);
    cmd.stdin(Stdio::null());
    cmd
}

/// `hibob-auth exec -- COMMAND` in `home`.
fn exec(home: &TestHome, command: &[&str]) -> Output {
    cmd(home, &["exec", "--"]).args(command).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_command_sees_the_profiles_credential_and_a_stale_one_is_replaced() {
    let Some(home) = stored_home(this_test!()) else { return };
    let output = cmd(&home, &["exec", "--", "sh", "-c", SHOW_ENV])
        .env("HIBOB_API_TOKEN", "a-stale-api-token-from-the-shell")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        text(&output.stdout),
        format!("{TEST_SERVICE_USER_ID}\n{TEST_SERVICE_USER_TOKEN}\n{API_URL}\n-\n"),
        "ID, token and API set; the other kind's token removed"
    );
    let stderr = text(&output.stderr);
    says(
        &stderr,
        &["HIBOB_API_TOKEN from this environment is replaced"],
    );
    never_says(&stderr, &[TEST_SERVICE_USER_TOKEN]);
}

#[test]
fn the_command_replaces_hibob_auth_and_its_exit_status_and_signals_are_its_own() {
    let Some(home) = stored_home(this_test!()) else { return };
    for status in ["0", "3", "42", "255"] {
        let output = exec(&home, &["sh", "-c", &format!("exit {status}")]);
        assert_eq!(
            output.status.code(),
            Some(status.parse().unwrap()),
            "{output:?}"
        );
    }
    // The command runs in hibob-auth's own process (exec), so a signal it gets ends it, as seen by the caller.
    let child = cmd(&home, &["exec", "--", "sh", "-c", "echo $$; kill -TERM $$"])
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
    let Some(home) = stored_home(this_test!()) else { return };
    // The command prints its own command line as the kernel shows it to every user.
    let output = exec(
        &home,
        &[
            "sh",
            "-c",
            "tr '\\0' '\\n' < /proc/$$/cmdline",
            "-",
            "--flag",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        text(&output.stdout),
        "sh\n-c\ntr '\\0' '\\n' < /proc/$$/cmdline\n-\n--flag\n"
    );
    // A shell that runs `hibob-auth exec` does not gain the variables: only the command had them.
    let mut caller = StdCommand::new("sh");
    home.apply(&mut caller);
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
    never_says(
        &after,
        &[TEST_SERVICE_USER_TOKEN, "HIBOB_SERVICE_USER_TOKEN"],
    );
}

#[test]
fn a_command_that_cannot_start_exits_127_or_126_as_a_shell_does() {
    let Some(home) = stored_home(this_test!()) else { return };
    let missing = exec(&home, &["hibob-auth-test-no-such-command"]);
    assert_eq!(missing.status.code(), Some(127), "{missing:?}");
    let stderr = text(&missing.stderr);
    says(
        &stderr,
        &["the command 'hibob-auth-test-no-such-command' was not found"],
    );
    never_says(&stderr, &[TEST_SERVICE_USER_TOKEN]);

    let dir = TempDir::new().unwrap();
    let script = dir.path().join("not-executable.sh");
    std::fs::write(&script, "#!/bin/sh\necho ran\n").unwrap();
    let denied = exec(&home, &[script.to_str().unwrap()]);
    assert_eq!(denied.status.code(), Some(126), "{denied:?}");
    assert!(text(&denied.stderr).contains("chmod +x"), "{denied:?}");
    assert!(denied.stdout.is_empty());
}

#[test]
fn nothing_stored_exits_6_and_an_unreachable_store_exits_4_without_running_the_command() {
    let home = TestHome::keyring("fail");
    let marker = home.path().join("ran");
    let touch = format!("touch {}", marker.display());
    // Out of reach of this session's D-Bus: nothing stored, then a record whose keyring cannot be reached.
    let exec_out_of_reach = |exit: i32, says: &str| {
        let output = home
            .without_bus(&["exec", "--", "sh", "-c", &touch])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(exit), "{output:?}");
        assert!(text(&output.stderr).contains(says), "{output:?}");
    };
    exec_out_of_reach(6, "no HiBob credential found");

    let record = home.record_path(home.profile());
    std::fs::create_dir_all(record.parent().unwrap()).unwrap();
    std::fs::write(
        &record,
        format!("kind = \"service-user\"\nservice_user_id = \"{TEST_SERVICE_USER_ID}\"\napi_url = \"{API_URL}\"\nstore = \"native\"\nstored_at = \"2026-01-01T00:00:00Z\"\n"),
    )
    .unwrap();
    exec_out_of_reach(4, "no Secret Service");
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
