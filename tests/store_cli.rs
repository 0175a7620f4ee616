//! `login`, `token`, `check`, `logout` and `profiles` as a real process where no keyring is needed (or where
//! the point is that none is reachable): input handling, usage errors, "nothing stored", no D-Bus at all.
//! The round trips through the real Secret Service are in `keyring_cli.rs`.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use assert_cmd::cargo::{cargo_bin, cargo_bin_cmd};
use portable_pty::CommandBuilder;
use support::fake_hibob::{FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN};
use support::pty::run_to_end;
use tempfile::TempDir;

/// Variables of the user's own environment that would change what the binary does.
const AMBIENT: [&str; 9] = [
    "HIBOB_PROFILE",
    "HIBOB_API_URL",
    "HIBOB_AUTH_STORE",
    "HIBOB_SERVICE_USER_ID",
    "HIBOB_SERVICE_USER_TOKEN",
    "HIBOB_API_TOKEN",
    "HIBOB_AUTH_LOG",
    "HIBOB_AUTH_STDIN_TIMEOUT",
    "DBUS_SESSION_BUS_ADDRESS",
];

/// A home for one test: its own config, data and runtime directories, and no D-Bus session.
struct Home {
    config: TempDir,
    data: TempDir,
    runtime: TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            config: TempDir::new().unwrap(),
            data: TempDir::new().unwrap(),
            runtime: TempDir::new().unwrap(),
        }
    }

    /// The binary in this home, with none of the user's own settings and no D-Bus session.
    fn std_cmd(&self) -> StdCommand {
        let mut cmd = StdCommand::new(cargo_bin!("hibob-auth"));
        for name in AMBIENT {
            cmd.env_remove(name);
        }
        cmd.env("XDG_CONFIG_HOME", self.config.path())
            .env("XDG_DATA_HOME", self.data.path())
            // zbus looks for $XDG_RUNTIME_DIR/bus when DBUS_SESSION_BUS_ADDRESS is unset: keep it empty.
            .env("XDG_RUNTIME_DIR", self.runtime.path());
        cmd
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::from_std(self.std_cmd());
        // A guard against a hang, not a timing assertion.
        cmd.timeout(Duration::from_secs(60));
        cmd
    }

    fn files(&self) -> Vec<std::path::PathBuf> {
        let mut found = Vec::new();
        for root in [self.config.path(), self.data.path()] {
            collect_files(root, &mut found);
        }
        found
    }
}

fn collect_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, found);
        } else {
            found.push(path);
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn login_with_no_dbus_session_exits_4_sends_nothing_and_writes_nothing() {
    let home = Home::new();
    let fake = FakeHibob::start(Scenario::ok());
    let output = home
        .cmd()
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

#[test]
fn login_with_an_unreachable_bus_address_exits_4() {
    let home = Home::new();
    let output = home
        .cmd()
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}/no-bus-here", home.runtime.path().display()),
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

#[test]
fn login_refuses_a_terminal_on_stdin_with_a_hint() {
    let home = Home::new();
    let mut command = CommandBuilder::new(cargo_bin!("hibob-auth"));
    command.args(["login", "--token-stdin", "--service-user-id", "SERVICE-1"]);
    for name in AMBIENT {
        command.env_remove(name);
    }
    command.env("XDG_CONFIG_HOME", home.config.path());
    command.env("XDG_RUNTIME_DIR", home.runtime.path());
    let (exit_code, screen) = run_to_end(command);
    assert_eq!(exit_code, 2, "{screen}");
    assert!(screen.contains("standard input is a terminal"), "{screen}");
    assert!(screen.contains("printf %s"), "{screen}");
    assert!(home.files().is_empty());
}

#[test]
fn login_reads_the_first_line_without_waiting_for_the_pipe_to_close() {
    let home = Home::new();
    let mut child = home
        .std_cmd()
        .args(["login", "--token-stdin", "--no-verify"])
        .env("HIBOB_AUTH_STDIN_TIMEOUT", "600")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("{TEST_SERVICE_USER_TOKEN}\n").as_bytes())
        .unwrap();
    stdin.flush().unwrap();
    // `stdin` stays open until the process has ended.
    let output = child.wait_with_output().unwrap();
    drop(stdin);
    let stderr = text(&output.stderr);
    // It went past reading: the next step, opening the store, is what fails here (no D-Bus session).
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("no Secret Service"), "{stderr}");
    assert!(stderr.contains("API access token"), "{stderr}");
}

#[test]
fn login_gives_up_on_a_pipe_that_never_finishes_a_line() {
    let home = Home::new();
    let mut child = home
        .std_cmd()
        .args(["login", "--token-stdin", "--no-verify"])
        .env("HIBOB_AUTH_STDIN_TIMEOUT", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"half-a-token-").unwrap();
    stdin.flush().unwrap();
    let output = child.wait_with_output().unwrap();
    drop(stdin);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no token arrived on standard input within 1 s"),
        "{stderr}"
    );
    assert!(!stderr.contains("half-a-token"), "{stderr}");
    assert!(home.files().is_empty());
}

#[test]
fn login_refuses_empty_and_malformed_tokens_before_touching_the_store() {
    let home = Home::new();
    let empty = home
        .cmd()
        .args(["login", "--token-stdin"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(empty.status.code(), Some(2), "{empty:?}");
    assert!(text(&empty.stderr).contains("the token is empty"));

    let spaced = home
        .cmd()
        .args(["login", "--token-stdin"])
        .write_stdin("two words\n")
        .output()
        .unwrap();
    assert_eq!(spaced.status.code(), Some(2), "{spaced:?}");
    assert!(text(&spaced.stderr).contains("whitespace in the middle"));
    assert!(!text(&spaced.stderr).contains("two words"));
    assert!(home.files().is_empty());
}

#[test]
fn an_invalid_profile_name_is_a_usage_error() {
    let home = Home::new();
    for args in [
        vec!["--profile", "../etc", "login", "--token-stdin"],
        vec!["--profile", "a/b", "token"],
        vec!["--profile", ".hidden", "logout"],
    ] {
        let output = home.cmd().args(&args).write_stdin("x").output().unwrap();
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
    let home = Home::new();
    for command in [vec!["token"], vec!["token", "--header"], vec!["check"]] {
        let output = home.cmd().args(&command).output().unwrap();
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
    let home = Home::new();
    let text_out = home.cmd().arg("profiles").output().unwrap();
    assert!(text_out.status.success(), "{text_out:?}");
    assert!(text(&text_out.stdout).starts_with("No stored profiles."));
    let json_out = home.cmd().args(["profiles", "--json"]).output().unwrap();
    assert!(json_out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&json_out.stdout).unwrap();
    assert_eq!(json, serde_json::json!([]));
}

#[test]
fn a_record_whose_store_is_unreachable_is_a_store_failure_not_a_verdict() {
    let home = Home::new();
    let profiles = home.config.path().join("hibob-auth/profiles");
    std::fs::create_dir_all(&profiles).unwrap();
    std::fs::write(
        profiles.join("default.toml"),
        "kind = \"service-user\"\nservice_user_id = \"SERVICE-1\"\napi_url = \"https://api.hibob.com\"\nstore = \"native\"\nstored_at = \"2026-01-01T00:00:00Z\"\n",
    )
    .unwrap();
    // The record names the Secret Service, and there is none: that is a store failure (4), not "bad
    // credential" and not "nothing stored".
    let output = home.cmd().arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    assert!(text(&output.stderr).contains("no Secret Service"));
    // profiles reads only records: it lists the profile without any keyring.
    let listed = home.cmd().args(["profiles"]).output().unwrap();
    assert!(listed.status.success());
    assert!(text(&listed.stdout).contains("* default  service-user  SERVICE-1"));
}

#[test]
fn the_kernel_keyring_is_always_described_as_lasting_until_reboot() {
    let help = cargo_bin_cmd!("hibob-auth").arg("--help").output().unwrap();
    assert!(text(&help.stdout).contains("kept in memory until reboot"));
}
