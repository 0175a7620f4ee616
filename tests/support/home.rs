//! One home for every test that runs the real binary: HOME and each XDG directory inside one temporary
//! directory, and an environment with nothing of the person running the tests but PATH. No `HIBOB_*`
//! variable, no D-Bus session (so no keyring) unless a test passes one in, no colour. Tests that need
//! more say so where they run the binary (`.env(...)` after [`TestHome::apply`]).
#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use assert_cmd::cargo::cargo_bin;
use tempfile::TempDir;

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
        TestHome { root }
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
}

impl Default for TestHome {
    fn default() -> Self {
        TestHome::new()
    }
}

/// A profile name no other test of this run uses (at most 64 characters): for stores and record folders
/// that every test shares, such as a session keyring or, on Windows, the user's AppData.
pub fn unique_profile(test: &str) -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("t{}-{n}-{test}", std::process::id())
        .chars()
        .take(64)
        .collect()
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

pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{}", text(&output.stdout)))
}
