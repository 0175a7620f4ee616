//! Proxies and trust, with the real binary, real sockets and real TLS on 127.0.0.1.
//!
//! - A recording CONNECT proxy ([`RecordingProxy`]) sees the tunnel of an https check, and only
//!   ciphertext inside it; it sees nothing at all of a check to this machine, whatever proxy variables
//!   are set; `NO_PROXY` sends a host direct.
//! - A TLS server with a certificate from a test CA ([`TlsStandIn`], in front of the fake HiBob): not
//!   trusted by default (exit 3, with the fix in words); trusted through `SSL_CERT_FILE`.
//!
//! What a test can honestly prove here: a check to 127.0.0.1 is by definition loopback, and loopback is
//! never proxied, so a check that goes through the proxy must name a host that is not loopback. It uses
//! `api.hibob.test` (`.test` never resolves, RFC 6761): through a proxy the client never resolves the
//! name itself (CONNECT carries it), and this proxy tunnels every CONNECT to the stand-in, so the check
//! can only have succeeded through the proxy. Without the proxy, the same name fails at DNS, which is how
//! the `NO_PROXY` test knows the check went direct.

mod support;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::Ordering;

use base64::Engine as _;
use serde_json::Value;
use support::connect_proxy::RecordingProxy;
use support::fake_hibob::{FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN};
use support::home::{TestHome, never_says};
use support::tls_stand_in::{TestCa, TlsStandIn};

/// A host name that is not loopback and never resolves (RFC 6761), for checks through the proxy.
const REMOTE_NAME: &str = "api.hibob.test";
/// The words every untrusted-certificate failure carries: what to do about it.
const UNTRUSTED_FIX: &str = "install the company CA in the OS, or set SSL_CERT_FILE";
/// Every variable that could name a proxy, in both cases.
const PROXY_VARIABLES: [&str; 6] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Whether `text` names the environment variable `name`. Windows has no case in variable names:
/// `https_proxy` and `HTTPS_PROXY` are one variable there, named as hibob-auth first asks for it.
fn names_variable(text: &str, name: &str) -> bool {
    if cfg!(windows) {
        text.to_ascii_lowercase()
            .contains(&name.to_ascii_lowercase())
    } else {
        text.contains(name)
    }
}

/// A run of `hibob-auth check --json` with the test service user in a [`TestHome`], whose environment
/// is empty but for PATH and the home: neither the machine's proxy nor its CA variables leak in.
struct CheckRun {
    home: TestHome,
    command: Command,
}

impl CheckRun {
    fn new(api_url: &str) -> CheckRun {
        let home = TestHome::new();
        let mut command =
            home.command(&["check", "--json", "--timeout", "30", "--api-url", api_url]);
        command
            // One short DNS attempt: `.test` never resolves, and a resolver without a reachable name
            // server would otherwise retry for half a minute. The answer is the same either way.
            .env("RES_OPTIONS", "timeout:1 attempts:1")
            .env("HIBOB_SERVICE_USER_ID", TEST_SERVICE_USER_ID)
            .env("HIBOB_SERVICE_USER_TOKEN", TEST_SERVICE_USER_TOKEN)
            .stdin(Stdio::null());
        CheckRun { home, command }
    }

    fn env(mut self, name: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.command.env(name, value);
        self
    }

    fn every_proxy_variable(mut self, proxy: &RecordingProxy) -> Self {
        for name in PROXY_VARIABLES {
            self.command.env(name, proxy.url());
        }
        self
    }

    fn arg(mut self, arg: &str) -> Self {
        self.command.arg(arg);
        self
    }

    fn home(&self) -> &Path {
        self.home.path()
    }

    fn run(mut self) -> Checked {
        let output = self.command.output().expect("run hibob-auth");
        Checked(output)
    }
}

struct Checked(Output);

impl Checked {
    fn code(&self) -> i32 {
        self.0.status.code().expect("exited, not killed")
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    fn report(&self) -> Value {
        serde_json::from_slice(&self.0.stdout).unwrap_or_else(|err| {
            panic!(
                "stdout is not JSON ({err}):\n{}\n{}",
                String::from_utf8_lossy(&self.0.stdout),
                self.stderr()
            )
        })
    }

    fn summary(&self) -> String {
        self.report()["summary"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// The fake HiBob behind TLS, its certificate (for `name`) from a company's own authority that this machine
/// does not trust: HiBob as seen through a company's TLS-inspecting network or a remote name.
struct BehindTls {
    hibob: FakeHibob,
    ca: TestCa,
    stand_in: TlsStandIn,
}

impl BehindTls {
    fn start(name: &str) -> BehindTls {
        let hibob = FakeHibob::start(Scenario::ok());
        let ca = TestCa::new();
        let stand_in = TlsStandIn::start(&ca, &[name], hibob.addr());
        BehindTls {
            hibob,
            ca,
            stand_in,
        }
    }

    /// A check of `api_url` whose `SSL_CERT_FILE` holds the company's authority.
    fn trusted_check(&self, api_url: &str) -> CheckRun {
        let run = CheckRun::new(api_url);
        let ca_file = self.ca.write_pem(run.home(), "company-ca.pem");
        run.env("SSL_CERT_FILE", &ca_file)
    }

    /// A trusting check of the stand-in's remote name through a recording proxy named by `variable`.
    fn check_through_a_proxy(&self, variable: &str) -> (RecordingProxy, Checked) {
        let proxy = RecordingProxy::start(self.stand_in.addr());
        let checked = self
            .trusted_check(&format!("https://{REMOTE_NAME}"))
            .env(variable, proxy.url())
            .run();
        (proxy, checked)
    }

    /// `https://localhost:PORT`, the stand-in's own address.
    fn local_url(&self) -> String {
        format!("https://localhost:{}", self.stand_in.port())
    }
}

/// The two forms the credential could take on the wire: the token and the Basic header built from it.
fn secrets() -> [String; 2] {
    [
        TEST_SERVICE_USER_TOKEN.to_string(),
        base64::engine::general_purpose::STANDARD
            .encode(format!("{TEST_SERVICE_USER_ID}:{TEST_SERVICE_USER_TOKEN}")),
    ]
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

// ---- proxies ----

#[test]
fn a_check_to_this_machine_never_goes_through_a_proxy_whatever_the_environment_says() {
    let hibob = FakeHibob::start(Scenario::ok());
    let proxy = RecordingProxy::start(hibob.addr());
    for api in [
        hibob.url(),
        format!("http://localhost:{}", hibob.addr().port()),
    ] {
        let checked = CheckRun::new(&api)
            .every_proxy_variable(&proxy)
            .env("NO_PROXY", "")
            .run();
        assert_eq!(checked.code(), 0, "{api}: {}", checked.stderr());
        assert_eq!(checked.report()["verdict"], "ok");
    }
    assert!(hibob.count("/v1/company/people/fields") >= 2);
    // Not one connection: the credential never went to the proxy, in clear text or otherwise.
    let seen = proxy.seen();
    assert!(seen.is_empty(), "the proxy saw {seen:?}");
}

#[test]
fn an_https_check_goes_through_the_proxy_in_a_connect_tunnel_and_the_proxy_sees_only_ciphertext() {
    let tls = BehindTls::start(REMOTE_NAME);
    let (proxy, checked) = tls.check_through_a_proxy("HTTPS_PROXY");
    assert_eq!(checked.code(), 0, "{}", checked.stderr());
    assert_eq!(checked.report()["verdict"], "ok");

    let seen = proxy.seen();
    assert!(!seen.is_empty());
    for connection in &seen {
        assert_eq!(
            connection.request_line,
            format!("CONNECT {REMOTE_NAME}:443 HTTP/1.1"),
            "{connection:?}"
        );
        for secret in secrets() {
            never_says(&connection.head, &[secret.as_str()]);
            assert!(
                !contains(&connection.tunnelled, &secret),
                "the credential crossed the proxy in clear text"
            );
        }
        // Nothing of HTTP inside the tunnel either: it is TLS from the first byte (a handshake record).
        assert_eq!(
            connection.tunnelled.first(),
            Some(&0x16),
            "not a TLS record"
        );
        assert!(!contains(&connection.tunnelled, "/v1/"));
    }
    // And the probes did reach HiBob's stand-in, through the tunnel.
    assert!(tls.hibob.count("/v1/company/people/fields") >= 1);
    assert!(tls.stand_in.completed.load(Ordering::SeqCst) >= 1);
}

#[test]
fn all_proxy_is_used_when_no_https_proxy_is_set() {
    let tls = BehindTls::start(REMOTE_NAME);
    let (proxy, checked) = tls.check_through_a_proxy("all_proxy");
    assert_eq!(checked.code(), 0, "{}", checked.stderr());
    assert!(!proxy.seen().is_empty());
}

#[test]
fn no_proxy_sends_a_host_direct() {
    let proxy = RecordingProxy::start(closed_addr());
    for no_proxy in [
        "hibob.test",
        ".hibob.test",
        "api.hibob.test",
        "example.org,*",
    ] {
        let checked = CheckRun::new(&format!("https://{REMOTE_NAME}"))
            .env("HTTPS_PROXY", proxy.url())
            .env("NO_PROXY", no_proxy)
            .run();
        // Direct means this process resolved the name itself, and `.test` never resolves.
        assert_eq!(checked.code(), 3, "{}", checked.stderr());
        let summary = checked.summary();
        assert!(
            summary.contains("could not resolve"),
            "{no_proxy}: {summary}"
        );
        assert!(summary.contains(REMOTE_NAME), "{summary}");
    }
    let seen = proxy.seen();
    assert!(seen.is_empty(), "the proxy saw {seen:?}");
}

#[test]
fn verbose_logs_name_the_proxy_host_never_its_password() {
    let tls = BehindTls::start(REMOTE_NAME);
    let proxy = RecordingProxy::start(tls.stand_in.addr());
    let with_password = format!("http://alice:proxy-hunter2@{}", proxy.addr());
    let checked = tls
        .trusted_check(&format!("https://{REMOTE_NAME}"))
        .env("https_proxy", &with_password)
        .arg("-v")
        .run();
    assert_eq!(checked.code(), 0, "{}", checked.stderr());
    let stderr = checked.stderr();
    assert!(stderr.contains(&proxy.addr().to_string()), "{stderr}");
    assert!(stderr.contains("proxy"), "{stderr}");
    assert!(!stderr.contains("proxy-hunter2"), "{stderr}");
    assert!(!stderr.contains("alice"), "{stderr}");
    // The proxy's own credentials went to the proxy, as Proxy-Authorization, and only there.
    let expected = base64::engine::general_purpose::STANDARD.encode("alice:proxy-hunter2");
    assert!(
        proxy.seen().iter().all(|c| c.head.contains(&expected)),
        "{:?}",
        proxy.seen()
    );
}

#[test]
fn a_proxy_that_refuses_connections_is_named_in_the_failure() {
    let closed = closed_addr();
    let checked = CheckRun::new(&format!("https://{REMOTE_NAME}"))
        .env("HTTPS_PROXY", format!("http://{closed}"))
        .run();
    assert_eq!(checked.code(), 3, "{}", checked.stderr());
    let summary = checked.summary();
    assert!(summary.contains("connection refused"), "{summary}");
    assert!(
        summary.contains(&format!("the proxy {closed}")),
        "{summary}"
    );
    assert!(names_variable(&summary, "HTTPS_PROXY"), "{summary}");
}

#[test]
fn a_bad_proxy_variable_is_a_usage_error_that_names_it_and_hides_its_value() {
    let checked = CheckRun::new("https://api.hibob.com")
        .env(
            "HTTPS_PROXY",
            "socks5://alice:proxy-hunter2@proxy.corp:1080",
        )
        .run();
    assert_eq!(checked.code(), 2, "{}", checked.stderr());
    let stderr = checked.stderr();
    assert!(names_variable(&stderr, "HTTPS_PROXY"), "{stderr}");
    assert!(stderr.contains("only http:// and https://"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

// ---- trust ----

#[test]
fn a_certificate_from_an_authority_this_machine_does_not_trust_fails_with_the_fix() {
    let tls = BehindTls::start("localhost");
    let checked = CheckRun::new(&tls.local_url()).run();
    assert_eq!(checked.code(), 3, "{}", checked.stderr());
    let report = checked.report();
    assert_eq!(report["verdict"], "unverifiable");
    let summary = checked.summary();
    assert!(summary.contains("certificate was not trusted"), "{summary}");
    assert!(summary.contains(UNTRUSTED_FIX), "{summary}");
    // The handshake never completed, so no request (and no credential) reached HiBob's stand-in.
    assert_eq!(tls.stand_in.completed.load(Ordering::SeqCst), 0);
    assert!(tls.stand_in.handshakes.load(Ordering::SeqCst) >= 1);
    assert!(tls.hibob.requests().is_empty());
}

#[test]
fn the_same_server_is_trusted_when_ssl_cert_file_holds_its_authority() {
    let tls = BehindTls::start("localhost");
    let checked = tls.trusted_check(&tls.local_url()).run();
    assert_eq!(checked.code(), 0, "{}", checked.stderr());
    assert_eq!(checked.report()["verdict"], "ok");
    assert!(tls.hibob.count("/v1/company/people/fields") >= 1);
}

#[test]
fn the_same_server_is_trusted_when_ssl_cert_dir_holds_its_authority() {
    let tls = BehindTls::start("localhost");
    let run = CheckRun::new(&tls.local_url());
    let dir = run.home().join("certs");
    std::fs::create_dir(&dir).unwrap();
    tls.ca.write_pem(&dir, "company-ca.pem");
    let checked = run.env("SSL_CERT_DIR", &dir).run();
    assert_eq!(checked.code(), 0, "{}", checked.stderr());
    assert_eq!(checked.report()["verdict"], "ok");
}

#[test]
fn an_unreadable_ssl_cert_file_is_a_usage_error_that_says_what_to_do() {
    let run = CheckRun::new("https://api.hibob.com");
    let missing = run.home().join("no-such-ca.pem");
    let checked = run.env("SSL_CERT_FILE", &missing).run();
    assert_eq!(checked.code(), 2, "{}", checked.stderr());
    let stderr = checked.stderr();
    assert!(stderr.contains("SSL_CERT_FILE names"), "{stderr}");
    assert!(stderr.contains("or unset it"), "{stderr}");
}

/// An address on 127.0.0.1 where nothing listens.
fn closed_addr() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}
