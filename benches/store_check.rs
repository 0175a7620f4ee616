//! A check from Vault beside a check from the keyring: what reading the credential from a team's Vault
//! costs a `check`, and how many requests it sends to Vault.
//!
//! Method: the real binary (`HIBOB_AUTH_BENCH_BINARY`, else the one cargo built for the bench) runs
//! `check` as a whole process against the fake HiBob on loopback (no delay), 15 times per store, and the
//! median wall time is printed. From Vault: a real OpenBao dev server on loopback (as in the tests),
//! the profile stored by the `bao` CLI; the server's audit log counts the requests the check made with
//! its token. From the keyring: the same credential stored with `login --no-verify` into the Secret
//! Service of this session (run inside `dbus-run-session` with an unlocked GNOME Keyring; without a
//! session bus the keyring half is skipped and says so). Loopback hides the network: on a real network
//! each Vault request adds one round trip to the server (two per check; the connection is reused), on
//! top of the HiBob check. Run with `cargo bench --bench store_check` (`HIBOB_AUTH_BAO` names `bao`).

#[path = "../tests/support/fake_hibob.rs"]
mod fake_hibob;
#[path = "../tests/support/openbao.rs"]
mod openbao;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_hibob::{FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN};
use openbao::OpenBao;

const RUNS: usize = 15;

fn binary() -> String {
    std::env::var("HIBOB_AUTH_BENCH_BINARY")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_hibob-auth").to_string())
}

/// Run `check` once with `env` and return its wall time; it must exit 0.
fn timed_check(env: &[(&str, &str)], home: &std::path::Path) -> Duration {
    let started = Instant::now();
    let status = Command::new(binary())
        .arg("check")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run hibob-auth");
    let elapsed = started.elapsed();
    assert!(status.success(), "check exited {status}");
    elapsed
}

fn report(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {label:<22} median {:>6.1} ms  (min {:>6.1}, max {:>6.1}, n={})",
        ms(samples[samples.len() / 2]),
        ms(samples[0]),
        ms(samples[samples.len() - 1]),
        samples.len()
    );
}

fn main() {
    let hibob = FakeHibob::start(Scenario::ok());
    let url = hibob.url();
    let home = tempfile::tempdir().unwrap();
    println!("check from a store, the real binary against the fake HiBob on loopback");

    match OpenBao::start("store_check") {
        Some(server) => {
            server.kv_put(
                "secret",
                "hibob-auth/bench",
                &[
                    ("kind", "service-user"),
                    ("service_user_id", TEST_SERVICE_USER_ID),
                    ("api_url", &url),
                    ("token", TEST_SERVICE_USER_TOKEN),
                ],
            );
            server.policy(
                "bench",
                r#"path "secret/data/hibob-auth/*" { capabilities = ["read"] }"#,
            );
            let token = server.token(&["bench"]);
            let address = server.address();
            let env = [
                ("BAO_ADDR", address.as_str()),
                ("BAO_TOKEN", token.as_str()),
                ("HIBOB_AUTH_STORE", "vault"),
                ("HIBOB_PROFILE", "bench"),
            ];
            let before = server.requests_by(&token).len();
            let samples: Vec<Duration> =
                (0..RUNS).map(|_| timed_check(&env, home.path())).collect();
            let requests = server.requests_by(&token).len() - before;
            report("from Vault", samples);
            println!(
                "  requests to Vault per check: {:.1} ({requests} in {RUNS} checks)",
                requests as f64 / RUNS as f64
            );
        }
        None => println!("  from Vault: skipped (no bao binary)"),
    }

    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        println!("  from the keyring: skipped (no D-Bus session; run inside dbus-run-session)");
        return;
    }
    let bus = std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap();
    let env = [
        ("DBUS_SESSION_BUS_ADDRESS", bus.as_str()),
        ("HIBOB_PROFILE", "hibob-auth-bench"),
    ];
    let mut login = Command::new(binary())
        .args([
            "login",
            "--token-stdin",
            "--no-verify",
            "--service-user-id",
            TEST_SERVICE_USER_ID,
            "--api-url",
            &url,
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    login
        .stdin
        .take()
        .unwrap()
        .write_all(TEST_SERVICE_USER_TOKEN.as_bytes())
        .unwrap();
    assert!(login.wait().unwrap().success(), "login into the keyring");
    let samples: Vec<Duration> = (0..RUNS).map(|_| timed_check(&env, home.path())).collect();
    report("from the keyring", samples);
    let _ = Command::new(binary())
        .args(["logout"])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .status();
}
