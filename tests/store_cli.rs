//! `login`, `token`, `check`, `logout` and `profiles` as a real process where no keyring is needed (or where
//! the point is that none is reachable): input handling, usage errors, "nothing stored", no D-Bus at all.
//! The round trips through the real Secret Service are in `keyring_cli.rs`.
//!
//! The tests about a missing Secret Service are Linux only: macOS and Windows always have their keyring.

mod support;

use std::io::Write;
use std::process::Stdio;

use assert_cmd::cargo::cargo_bin_cmd;
#[cfg(target_os = "linux")]
use support::fake_hibob::{FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN};
use support::home::{TestHome, code, text};
#[cfg(unix)]
use support::pty::run_to_end;

#[cfg(target_os = "linux")]
#[test]
fn login_with_no_dbus_session_exits_4_sends_nothing_and_writes_nothing() {
    let home = TestHome::new();
    let fake = FakeHibob::start(Scenario::ok());
    let output = home
        .cmd(&[])
        .args([
            "login",
            "--token-stdin",
            "--service-user-id",
            TEST_SERVICE_USER_ID,
        ])
        .args(["--api-url", &fake.url()])
        .write_stdin(TEST_SERVICE_USER_TOKEN)
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    assert!(
        stderr.contains("no Secret Service is available"),
        "{stderr}"
    );
    assert!(
        stderr.contains("DBUS_SESSION_BUS_ADDRESS is not set"),
        "{stderr}"
    );
    assert!(stderr.contains("dbus-run-session"), "{stderr}");
    assert!(stderr.contains("--store keyutils"), "{stderr}");
    assert!(!stderr.contains(TEST_SERVICE_USER_TOKEN));
    assert!(output.stdout.is_empty(), "{output:?}");
    assert!(
        fake.requests().is_empty(),
        "the store is opened before any request"
    );
    assert_eq!(home.files(), Vec::<std::path::PathBuf>::new());
}

#[cfg(target_os = "linux")]
#[test]
fn login_with_an_unreachable_bus_address_exits_4() {
    let home = TestHome::new();
    let output = home
        .cmd(&[])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}/no-bus-here", home.dir("runtime").display()),
        )
        .args(["login", "--token-stdin", "--no-verify"])
        .write_stdin(TEST_SERVICE_USER_TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    let stderr = text(&output.stderr);
    assert!(
        stderr
            .contains("the D-Bus session bus named by DBUS_SESSION_BUS_ADDRESS cannot be reached"),
        "{stderr}"
    );
    assert!(home.files().is_empty());
}

// Unix only: a pseudo-terminal as stdin (support/pty.rs).
#[cfg(unix)]
#[test]
fn login_refuses_a_terminal_on_stdin_with_a_hint() {
    let home = TestHome::new();
    let command = home.pty_command(&["login", "--token-stdin", "--service-user-id", "SERVICE-1"]);
    let (exit_code, screen) = run_to_end(command);
    assert_eq!(exit_code, 2, "{screen}");
    assert!(screen.contains("standard input is a terminal"), "{screen}");
    assert!(screen.contains("printf %s"), "{screen}");
    assert!(home.files().is_empty());
}

/// `login --token-stdin --no-verify` with `written` on a pipe that stays open until the process has ended.
fn login_on_an_open_pipe(home: &TestHome, stdin_timeout: &str, written: &str) -> (i32, String) {
    let mut child = home
        .piped(&["login", "--token-stdin", "--no-verify"])
        .env("HIBOB_AUTH_STDIN_TIMEOUT", stdin_timeout)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(written.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let output = child.wait_with_output().unwrap();
    drop(stdin);
    (code(&output), text(&output.stderr))
}

// Linux only: that the store, opened after the token was read, is missing shows that reading ended.
#[cfg(target_os = "linux")]
#[test]
fn login_reads_the_first_line_without_waiting_for_the_pipe_to_close() {
    let home = TestHome::new();
    let (code, stderr) =
        login_on_an_open_pipe(&home, "600", &format!("{TEST_SERVICE_USER_TOKEN}\n"));
    // It went past reading: the next step, opening the store, is what fails here (no D-Bus session).
    assert_eq!(code, 4, "{stderr}");
    assert!(stderr.contains("no Secret Service"), "{stderr}");
    assert!(stderr.contains("API access token"), "{stderr}");
}

#[test]
fn login_gives_up_on_a_pipe_that_never_finishes_a_line() {
    let home = TestHome::new();
    let (code, stderr) = login_on_an_open_pipe(&home, "1", "half-a-token-");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("no token arrived on standard input within 1 s"),
        "{stderr}"
    );
    assert!(!stderr.contains("half-a-token"), "{stderr}");
    assert!(home.files().is_empty());
}

#[test]
fn login_refuses_empty_and_malformed_tokens_before_touching_the_store() {
    let home = TestHome::new();
    for (input, says) in [
        ("", "the token is empty"),
        ("two words\n", "whitespace in the middle"),
    ] {
        let output = home.run(&["login", "--token-stdin"], Some(input));
        let stderr = text(&output.stderr);
        assert_eq!(code(&output), 2, "{input:?}: {stderr}");
        assert!(stderr.contains(says), "{input:?}: {stderr}");
        assert!(
            input.is_empty() || !stderr.contains(input.trim()),
            "{stderr}"
        );
    }
    assert!(home.files().is_empty());
}

#[test]
fn an_invalid_profile_name_is_a_usage_error() {
    let home = TestHome::new();
    for args in [
        vec!["--profile", "../etc", "login", "--token-stdin"],
        vec!["--profile", "a/b", "token"],
        vec!["--profile", ".hidden", "logout"],
    ] {
        let output = home.cmd(&[]).args(&args).write_stdin("x").output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        assert!(
            text(&output.stderr).contains("is not a valid profile name"),
            "{output:?}"
        );
    }
    assert!(home.files().is_empty());
}

#[test]
fn with_nothing_stored_token_and_check_exit_6_without_touching_the_keyring() {
    let home = TestHome::new();
    for command in [vec!["token"], vec!["token", "--header"], vec!["check"]] {
        let output = home.cmd(&[]).args(&command).output().unwrap();
        assert_eq!(output.status.code(), Some(6), "{command:?}: {output:?}");
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains("no HiBob credential found for profile 'default'"),
            "{stderr}"
        );
        assert!(stderr.contains("login --token-stdin"), "{stderr}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn profiles_with_nothing_stored() {
    let home = TestHome::new();
    let text_out = home.cmd(&[]).arg("profiles").output().unwrap();
    assert!(text_out.status.success(), "{text_out:?}");
    assert!(text(&text_out.stdout).starts_with("No stored profiles."));
    let json_out = home.cmd(&[]).args(["profiles", "--json"]).output().unwrap();
    assert!(json_out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&json_out.stdout).unwrap();
    assert_eq!(json, serde_json::json!([]));
}

#[cfg(target_os = "linux")]
#[test]
fn a_record_whose_store_is_unreachable_is_a_store_failure_not_a_verdict() {
    let home = TestHome::new();
    let profiles = home.dir("config").join("hibob-auth/profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(
        profiles.join("default.toml"),
        "kind = \"service-user\"\nservice_user_id = \"SERVICE-1\"\napi_url = \"https://api.hibob.com\"\nstore = \"native\"\nstored_at = \"2026-01-01T00:00:00Z\"\n",
    )
    .unwrap();
    // The record names the Secret Service, and there is none: that is a store failure (4), not "bad
    // credential" and not "nothing stored".
    let output = home.cmd(&[]).arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    assert!(text(&output.stderr).contains("no Secret Service"));
    // profiles reads only records: it lists the profile without any keyring.
    let listed = home.cmd(&[]).args(["profiles"]).output().unwrap();
    assert!(listed.status.success());
    assert!(text(&listed.stdout).contains("* default  service-user  SERVICE-1"));
}

#[test]
fn the_kernel_keyring_is_always_described_as_lasting_until_reboot() {
    let help = cargo_bin_cmd!("hibob-auth").arg("--help").output().unwrap();
    assert!(text(&help.stdout).contains("kept in memory until reboot"));
}
