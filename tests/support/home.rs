//! One home for every test that runs the real binary: HOME and each XDG directory inside one temporary
//! directory, and an environment with nothing of the person running the tests but PATH. No `HIBOB_*`
//! variable, no D-Bus session (so no keyring) unless a test passes one in, no colour. Tests that need
//! more say so where they run the binary (`.env(...)` after [`TestHome::apply`]).
//!
//! [`TestHome::keyring`] is the one exception: a home whose binary reaches this session's keyring (the test
//! runs inside a D-Bus session, see `keyring_gate.rs`) under a profile of its own.
#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use assert_cmd::cargo::cargo_bin;
use tempfile::TempDir;

use super::keyring_gate::real_keyring;
use super::leak::files_under;

/// Where each XDG variable points, under the home. An empty runtime directory matters: zbus looks for
/// `$XDG_RUNTIME_DIR/bus` when `DBUS_SESSION_BUS_ADDRESS` is unset, and finds none there.
const XDG: [(&str, &str); 5] = [
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_DATA_HOME", "data"),
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_STATE_HOME", "state"),
    ("XDG_RUNTIME_DIR", "runtime"),
];

/// A run still going after this is stuck: a guard against a hang, never a timing assertion.
pub const HANG_GUARD: Duration = Duration::from_secs(90);

pub struct TestHome {
    root: TempDir,
    keyring: Option<KeyringEntry>,
}

/// The profile of a [`TestHome::keyring`] home. Its keyring entry is removed when the home is dropped,
/// even when the test failed half way, so a run against a desktop keyring leaves nothing behind.
struct KeyringEntry {
    profile: String,
}

impl Drop for KeyringEntry {
    fn drop(&mut self) {
        let _ = Command::new("secret-tool")
            .args(["clear", "service", "hibob-auth", "username", &self.profile])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl TestHome {
    pub fn new() -> TestHome {
        let root = TempDir::new().expect("a temporary home");
        for (_, dir) in XDG {
            let path = root.path().join(dir);
            std::fs::create_dir_all(&path).unwrap();
            // As a login session makes them: the runtime directory must be private.
            #[cfg(unix)]
            std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o700))
                .unwrap();
        }
        TestHome {
            root,
            keyring: None,
        }
    }

    /// A home whose binary uses this session's D-Bus, where the keyring is, and a profile of its own named
    /// after `test` and unique to this run (given as `HIBOB_PROFILE`, as a user would set it, so commands
    /// carry no `--profile`). Never a real profile of the person running the tests.
    pub fn keyring(test: &str) -> TestHome {
        let profile = unique_profile(test);
        TestHome {
            keyring: Some(KeyringEntry { profile }),
            ..TestHome::new()
        }
    }

    /// [`TestHome::keyring`] when this session has a real keyring; `None` when it has none and the test
    /// (named `test`, so the skip says which) skipped, or fails when a keyring is required (keyring_gate.rs).
    pub fn on_keyring(test: &str) -> Option<TestHome> {
        real_keyring(test).then(|| TestHome::keyring(test))
    }

    /// The profile commands in this home use: the keyring home's own, or `default`.
    pub fn profile(&self) -> &str {
        self.keyring
            .as_ref()
            .map_or("default", |entry| entry.profile.as_str())
    }

    pub fn path(&self) -> &Path {
        self.root.path()
    }

    /// One of the XDG directories by its name under the home: "config", "data", "cache", "state", "runtime".
    pub fn dir(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    /// The whole environment of a process in this home.
    pub fn env(&self) -> Vec<(&'static str, OsString)> {
        let mut vars = vec![
            ("PATH", std::env::var_os("PATH").unwrap_or_default()),
            ("HOME", self.root.path().into()),
            ("NO_COLOR", "1".into()),
        ];
        vars.extend(XDG.map(|(name, dir)| (name, self.dir(dir).into_os_string())));
        if let Some(entry) = &self.keyring {
            vars.push(("HIBOB_PROFILE", entry.profile.clone().into()));
            if let Some(bus) = std::env::var_os("DBUS_SESSION_BUS_ADDRESS") {
                vars.push(("DBUS_SESSION_BUS_ADDRESS", bus));
            }
        }
        // Windows loads its socket providers from under %SystemRoot%: without it no connection can be made.
        #[cfg(windows)]
        vars.push((
            "SYSTEMROOT",
            std::env::var_os("SYSTEMROOT").unwrap_or_default(),
        ));
        vars
    }

    /// Give `command` this home's environment and nothing else.
    pub fn apply(&self, command: &mut Command) {
        command.env_clear().envs(self.env());
    }

    /// `hibob-auth ARGS` in this home, but out of reach of any D-Bus session (so of the keyring), with an
    /// empty stdin.
    pub fn without_bus(&self, args: &[&str]) -> Command {
        let mut command = self.command(args);
        command
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdin(Stdio::null());
        command
    }

    /// `hibob-auth ARGS` in this home.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(cargo_bin!("hibob-auth"));
        self.apply(&mut command);
        command.args(args);
        command
    }

    /// [`TestHome::command`] with stdout and stderr piped and stdin empty (`.stdin(Stdio::piped())` to
    /// write to it), for tests that watch or signal the process while it runs.
    pub fn piped(&self, args: &[&str]) -> Command {
        let mut command = self.command(args);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// [`TestHome::command`] as an `assert_cmd` command with the hang guard.
    pub fn cmd(&self, args: &[&str]) -> assert_cmd::Command {
        let mut command = assert_cmd::Command::from_std(self.command(args));
        command.timeout(HANG_GUARD);
        command
    }

    /// Run `hibob-auth ARGS` to its end with `stdin` (or an empty one).
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        self.cmd(args)
            .write_stdin(stdin.unwrap_or_default())
            .output()
            .expect("run hibob-auth")
    }

    /// `hibob-auth ARGS` in this home, for a pseudo-terminal (`pty::run_to_end`).
    pub fn pty_command(&self, args: &[&str]) -> portable_pty::CommandBuilder {
        let mut command = portable_pty::CommandBuilder::new(cargo_bin!("hibob-auth"));
        command.env_clear();
        for (name, value) in self.env() {
            command.env(name, value);
        }
        command.args(args);
        command
    }

    /// Where `login` and the wizard write the record of `profile`.
    pub fn record_path(&self, profile: &str) -> PathBuf {
        self.dir("config")
            .join("hibob-auth/profiles")
            .join(format!("{profile}.toml"))
    }

    pub fn record(&self, profile: &str) -> Option<String> {
        std::fs::read_to_string(self.record_path(profile)).ok()
    }

    /// Every file under the home.
    pub fn files(&self) -> Vec<PathBuf> {
        files_under(self.root.path())
    }

    /// The directory itself, for a pseudo-terminal that keeps it (see `pty::Pty::spawn`).
    pub fn into_dir(self) -> TempDir {
        self.root
    }

    /// What the Secret Service holds for this home's profile.
    pub fn keyring_secret(&self) -> Option<String> {
        keyring_secret(self.profile())
    }
}

impl Default for TestHome {
    fn default() -> Self {
        TestHome::new()
    }
}

/// A profile name no other test of this run uses (at most 64 characters): for stores and record folders
/// that every test shares, such as a session keyring or, on Windows, the user's AppData.
pub fn unique_profile(test: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("t{}-{n}-{test}", std::process::id())
        .chars()
        .take(64)
        .collect()
}

/// What the Secret Service holds for `profile`, read with libsecret's own tool.
pub fn keyring_secret(profile: &str) -> Option<String> {
    let output = Command::new("secret-tool")
        .args(["lookup", "service", "hibob-auth", "username", profile])
        .stdin(Stdio::null())
        .output()
        .expect("secret-tool runs");
    let value = String::from_utf8(output.stdout).unwrap();
    (!value.is_empty()).then_some(value)
}

/// Start `command` with an empty stdin and its output piped, for a test that watches or signals it
/// while it runs.
pub fn spawn_piped(command: &mut Command) -> std::process::Child {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program starts")
}

// ---- reading a finished run ----

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The exit code; a run killed by a signal fails the test with what it wrote.
pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or_else(|| {
        // On Unix the status says which signal ("signal: 9 (SIGKILL)").
        panic!(
            "ended without an exit code ({}):\n{}",
            output.status,
            text(&output.stderr)
        )
    })
}

/// The entry named `name` in the output of `profiles --json`.
pub fn listed_profile(profiles: &serde_json::Value, name: &str) -> serde_json::Value {
    let all = profiles.as_array().expect("profiles --json is a list");
    let entry = all.iter().find(|p| p["name"] == name);
    entry
        .unwrap_or_else(|| panic!("{name} is not listed: {profiles}"))
        .clone()
}

/// `text` (an output, a message) says each of `parts`; the failure shows all of it.
pub fn says(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} is not in:\n{text}");
    }
}

/// `text` says none of `parts`.
pub fn never_says(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(!text.contains(part), "{part:?} is in:\n{text}");
    }
}

/// The keys of a JSON object.
pub fn keys(value: &serde_json::Value) -> std::collections::BTreeSet<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

/// The string `field` of each object of a JSON array, in order.
pub fn field_of_each<'a>(rows: &'a serde_json::Value, field: &str) -> Vec<&'a str> {
    rows.as_array()
        .expect("an array")
        .iter()
        .map(|row| row[field].as_str().expect("a string"))
        .collect()
}

pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{}", text(&output.stdout)))
}
