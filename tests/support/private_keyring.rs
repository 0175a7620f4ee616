//! A real Secret Service of the test's own: a private D-Bus session bus with GNOME Keyring started
//! unlocked in fresh directories. Processes join it through [`PrivateKeyring::apply`]. Because it belongs
//! to one test, the test may freeze the keyring daemon (SIGSTOP) to make it hang like a keyring stuck on a
//! prompt, without disturbing any other test or the user's own keyring.
//!
//! Needs `dbus-run-session`, `gnome-keyring-daemon`, `dbus-send` and `secret-tool`; tests start one
//! with [`PrivateKeyring::for_test`], which gates on them.
#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::keyring_gate::tools;

/// What a private keyring needs: `(tool, argument that makes it exit, package)`.
pub const TOOLS: [(&str, &str, &str); 4] = [
    ("dbus-run-session", "--version", "dbus"),
    ("gnome-keyring-daemon", "--version", "gnome-keyring"),
    ("dbus-send", "--help", "dbus"),
    ("secret-tool", "--version", "libsecret-tools"),
];

/// How long the bus and the daemon may take to come up on a loaded machine (a guard, not a measurement).
const STARTUP_PATIENCE: Duration = Duration::from_secs(30);

pub struct PrivateKeyring {
    /// `dbus-run-session -- sh -c '… exec cat'`: the session lasts until its stdin closes.
    session: Child,
    keeper: Option<ChildStdin>,
    address: String,
    daemon_pid: u32,
    frozen: bool,
    /// The daemon's XDG_DATA_HOME: its keyring files are under `keyrings/`.
    pub data: TempDir,
    /// The daemon's XDG_RUNTIME_DIR, so it never finds (and joins) another test's daemon.
    pub runtime: TempDir,
}

impl PrivateKeyring {
    /// A private keyring for the test `test`, or `None` when its tools are missing and the test skipped
    /// (keyring_gate.rs: a failure under `HIBOB_AUTH_REQUIRE_KEYRING=1`). With the tools present, a keyring
    /// that does not start is a failure, whatever the gate says.
    pub fn for_test(test: &str) -> Option<PrivateKeyring> {
        if !tools(test, &TOOLS) {
            return None;
        }
        Some(
            PrivateKeyring::start()
                .unwrap_or_else(|why| panic!("the private keyring did not start: {why}")),
        )
    }

    /// Start the bus and an unlocked keyring. Errors say what did not come up.
    pub fn start() -> Result<PrivateKeyring, String> {
        let data = TempDir::new().map_err(|err| err.to_string())?;
        let runtime = TempDir::new().map_err(|err| err.to_string())?;
        // The password only protects this throwaway keyring; `--unlock` reads it from stdin.
        let script = "echo -n private-test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
                      && echo \"$DBUS_SESSION_BUS_ADDRESS\" && exec cat >/dev/null";
        let mut session = Command::new("dbus-run-session")
            .args(["--", "sh", "-c", script])
            .env("XDG_DATA_HOME", data.path())
            .env("XDG_RUNTIME_DIR", runtime.path())
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|err| format!("dbus-run-session did not start: {err}"))?;
        let keeper = session.stdin.take();
        let mut line = String::new();
        let stdout = session.stdout.take().expect("piped stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|err| format!("no bus address from the session: {err}"))?;
        let address = line.trim().to_string();
        if address.is_empty() {
            let _ = session.kill();
            let _ = session.wait();
            return Err("the private keyring did not start (gnome-keyring-daemon failed)".into());
        }
        let daemon_pid = wait_for_owner_pid(&address)?;
        Ok(PrivateKeyring {
            session,
            keeper,
            address,
            daemon_pid,
            frozen: false,
            data,
            runtime,
        })
    }

    /// The session bus address, as `DBUS_SESSION_BUS_ADDRESS`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The process that owns `org.freedesktop.secrets` on this bus.
    pub fn daemon_pid(&self) -> u32 {
        self.daemon_pid
    }

    /// Make `command` use this keyring.
    pub fn apply(&self, command: &mut Command) {
        command.env("DBUS_SESSION_BUS_ADDRESS", &self.address);
    }

    /// Freeze the keyring daemon: D-Bus keeps accepting calls for it, and none is ever answered.
    pub fn freeze(&mut self) {
        signal(self.daemon_pid, libc::SIGSTOP);
        self.frozen = true;
    }

    /// Let a frozen daemon run again.
    pub fn thaw(&mut self) {
        signal(self.daemon_pid, libc::SIGCONT);
        self.frozen = false;
    }

    /// The secret stored for `profile`, read with libsecret's own tool (not our code).
    pub fn lookup(&self, profile: &str) -> Option<String> {
        let output = Command::new("secret-tool")
            .args(["lookup", "service", "hibob-auth", "username", profile])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .stdin(Stdio::null())
            .output()
            .expect("secret-tool runs");
        let value = String::from_utf8_lossy(&output.stdout).into_owned();
        (!value.is_empty()).then_some(value)
    }
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        if self.frozen {
            self.thaw();
        }
        // The daemon would leave with the bus, but a daemon that was frozen may be slow to notice: end it.
        signal(self.daemon_pid, libc::SIGTERM);
        if let Some(mut keeper) = self.keeper.take() {
            let _ = keeper.flush();
        }
        let _ = self.session.wait();
    }
}

fn signal(pid: u32, signal: i32) {
    // SAFETY: kill(2) with a process id this test started (read from the bus) and a valid signal number.
    unsafe {
        libc::kill(pid as libc::pid_t, signal);
    }
}

/// Ask the bus which process owns `org.freedesktop.secrets`, until one does.
fn wait_for_owner_pid(address: &str) -> Result<u32, String> {
    let deadline = Instant::now() + STARTUP_PATIENCE;
    loop {
        let output = Command::new("dbus-send")
            .arg(format!("--bus={address}"))
            .args([
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.GetConnectionUnixProcessID",
                "string:org.freedesktop.secrets",
            ])
            .stdin(Stdio::null())
            .output()
            .map_err(|err| format!("dbus-send did not run: {err}"))?;
        let reply = String::from_utf8_lossy(&output.stdout);
        if let Some(pid) = reply
            .split_whitespace()
            .skip_while(|word| *word != "uint32")
            .nth(1)
            .and_then(|pid| pid.parse().ok())
        {
            return Ok(pid);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "nothing owns org.freedesktop.secrets on the private bus: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
