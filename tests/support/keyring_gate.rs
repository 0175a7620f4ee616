//! When a test may use a real keyring, and what happens when it may not.
//!
//! With `HIBOB_AUTH_REQUIRE_KEYRING=1` (as `.ci/run` sets it) a missing Secret Service or a missing tool
//! FAILS the test. Without it the test says on the real stderr that it skipped, and passes, so that
//! `cargo test` works on a machine without a keyring. Shared by every test binary that needs a keyring.
#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::io::Write;
use std::process::{Command, Stdio};

pub const REQUIRE_ENV: &str = "HIBOB_AUTH_REQUIRE_KEYRING";

/// Whether a missing keyring (or tool) is a failure rather than a skip.
pub fn required() -> bool {
    std::env::var(REQUIRE_ENV).is_ok_and(|value| value == "1")
}

/// Say that a test skipped, on the real stderr: libtest captures `eprintln!` of passing tests, and a skip
/// nobody sees is worse than none.
pub fn announce_skip(test: &str, why: &str) {
    let line = format!(
        "{}: SKIPPED {test}: {why} (set {REQUIRE_ENV}=1 to make this a failure)\n",
        env!("CARGO_CRATE_NAME")
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// Whether a tool can be started at all.
pub fn have(tool: &str, probe_arg: &str) -> bool {
    Command::new(tool)
        .arg(probe_arg)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Is a Secret Service reachable from this process? Asked with `secret-tool`, not with our own code.
pub fn secret_service_problem() -> Option<String> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        return Some("no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)".to_string());
    }
    let probe = Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "hibob-auth-test-probe",
            "username",
            "none",
        ])
        .stdin(Stdio::null())
        .output();
    match probe {
        Err(_) => Some("secret-tool (libsecret-tools) is not installed".to_string()),
        // Nothing found and nothing said: the service answered.
        Ok(output) if output.stderr.is_empty() => None,
        Ok(output) => Some(format!(
            "the Secret Service does not answer: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}

/// `true` when the test may use the real Secret Service of this session; otherwise it skipped (or fails
/// when required).
pub fn real_keyring(test: &str) -> bool {
    match secret_service_problem() {
        None => true,
        Some(why) if required() => panic!("{REQUIRE_ENV}=1 but {why}"),
        Some(why) => {
            announce_skip(test, &why);
            false
        }
    }
}

/// `true` when the named tools exist (each as `(tool, argument that makes it exit, package)`); otherwise
/// skipped (or fails when required).
pub fn tools(test: &str, needed: &[(&str, &str, &str)]) -> bool {
    for (tool, probe_arg, package) in needed {
        if !have(tool, probe_arg) {
            let why = format!("{tool} is not installed (package {package})");
            if required() {
                panic!("{REQUIRE_ENV}=1 but {why}");
            }
            announce_skip(test, &why);
            return false;
        }
    }
    true
}
