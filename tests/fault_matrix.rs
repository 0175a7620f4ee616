//! The fault matrix: each fault (tests/FAULTS.md) that no other test file already covers, against the real
//! binary, in a test whose name says which fault it is. `tests/FAULTS.md` maps every fault of the issue to
//! the tests that cover it, here and elsewhere.
//!
//! For each fault the test checks the exit code (or the screen), that the process ends without waiting
//! past its deadline (a hang guard well below the deadline that would otherwise end it, never a timing
//! assertion), the request count, and that no verified credential is lost: it is either stored, or the
//! caller still holds it and nothing claims it was stored.
//!
//! Keyring faults use a private GNOME Keyring on its own D-Bus session (support/private_keyring.rs), gated
//! like every keyring test: with HIBOB_AUTH_REQUIRE_KEYRING=1 (as `.ci/run` sets it) missing tools fail.
#![cfg(target_os = "linux")]

mod support;

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use support::fake_hibob::{
    CHECK_PATHS, FakeHibob, Reply, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN,
};
use support::home::{TestHome, code, json, says, text};
use support::private_keyring::PrivateKeyring;
use support::pty::{BIN, CTRL_C, ENTER, Pty, TAB, walk_service_user_to_connect};
use support::this_test;
use support::tls_stand_in::TlsStandIn;

/// The probes of a check.
const PROBED: [&str; 3] = CHECK_PATHS;

/// A check's deadline where the fault must end the process first: the guard below is far shorter.
const LONG_DEADLINE: &str = "120";
/// A process still running after this is stuck. Shorter than every deadline and keyring timeout that could
/// otherwise end the process in the tests that use it, so passing proves the process did not wait for them.
const HANG_GUARD: Duration = Duration::from_secs(45);

/// `check` with the test service user in the environment.
fn check(home: &TestHome, args: &[&str]) -> Command {
    let mut command = home.piped(&[&["check"], args].concat());
    command
        .env("HIBOB_SERVICE_USER_ID", TEST_SERVICE_USER_ID)
        .env("HIBOB_SERVICE_USER_TOKEN", TEST_SERVICE_USER_TOKEN);
    command
}

/// `check --json` of `api_url` in a home of its own, which must leak nothing and end unverifiable (exit 3);
/// its report.
fn unverifiable_check(api_url: &str, timeout: &str) -> serde_json::Value {
    unverifiable_check_with(api_url, timeout, &[])
}

/// `unverifiable_check` with the variables `env` set as well.
fn unverifiable_check_with(
    api_url: &str,
    timeout: &str,
    env: &[(&str, &str)],
) -> serde_json::Value {
    let home = TestHome::new();
    let args = ["--api-url", api_url, "--json", "--timeout", timeout];
    let mut command = check(&home, &args);
    command.envs(env.iter().copied());
    let output = run(command, None);
    no_secret(&output);
    assert_eq!(code(&output), 3, "{}", text(&output.stderr));
    let report = json(&output);
    assert_eq!(report["verdict"], "unverifiable");
    report
}

/// `login --token-stdin` with the test service user's token on stdin.
fn login(home: &TestHome, keyring: &PrivateKeyring, args: &[&str]) -> Command {
    let login = [
        "login",
        "--token-stdin",
        "--service-user-id",
        TEST_SERVICE_USER_ID,
    ];
    let mut command = home.piped(&[&login, args].concat());
    keyring.apply(&mut command);
    command.stdin(Stdio::piped());
    command
}

/// Start `command`, write `stdin` (if any) and close it.
fn spawn(mut command: Command, stdin: Option<&str>) -> Child {
    // A person's Ctrl-C reaches a foreground command whose SIGINT is at its default. When the test run
    // itself was started in the background (`cmd &` in a script), the shell set SIGINT to "ignore", and an
    // ignored signal stays ignored across exec; put the default back so the child is in a user's position.
    // SAFETY: signal(2) is async-signal-safe and only changes the about-to-exec child's disposition.
    unsafe {
        use std::os::unix::process::CommandExt;
        command.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut child = command.spawn().expect("start hibob-auth");
    if let Some(input) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().expect("piped stdin");
        pipe.write_all(input.as_bytes()).unwrap();
    }
    child
}

/// Wait for the child to end, or kill it (we started it) and fail when the hang guard runs out.
fn finish(mut child: Child) -> Output {
    let deadline = Instant::now() + HANG_GUARD;
    loop {
        if child.try_wait().expect("wait for hibob-auth").is_some() {
            return child.wait_with_output().unwrap();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "hibob-auth hung past the guard of {HANG_GUARD:?}:\n{}\n{}",
                text(&output.stdout),
                text(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn run(command: Command, stdin: Option<&str>) -> Output {
    finish(spawn(command, stdin))
}

fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + HANG_GUARD;
    while !ready() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn no_secret(output: &Output) {
    for stream in [&output.stdout, &output.stderr] {
        assert!(
            !text(stream).contains(TEST_SERVICE_USER_TOKEN),
            "the token leaked:\n{}",
            text(stream)
        );
    }
}

/// Send `signal` to `child`, then wait for it: it must die of that signal and leak nothing. What it wrote.
fn signalled(child: Child, signal: i32) -> Output {
    // SAFETY: kill(2) on the id of a child this test started and has not yet waited for.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    assert_eq!(sent, 0, "could not signal the child");
    let output = finish(child);
    assert_eq!(
        output.status.signal(),
        Some(signal),
        "expected death by signal {signal}, got {:?}",
        output.status
    );
    no_secret(&output);
    output
}

/// Wait until `server` has received one request per probe.
fn wait_for_every_probe(server: &FakeHibob) {
    wait_until("every probe is sent", || {
        server.requests().len() == PROBED.len()
    });
}

// ---- HiBob and the network ----

#[test]
fn fault_hibob_429_forever_on_every_probe_is_unverifiable_with_at_most_three_requests_per_probe() {
    let mut scenario = Scenario::ok();
    for path in PROBED {
        scenario = scenario.rate_limit(path, u32::MAX);
    }
    let server = FakeHibob::start(scenario);
    let report = unverifiable_check(&server.url(), "60");
    says(report["summary"].as_str().unwrap(), &["429"]);
    for path in PROBED {
        let sent = server.count(path);
        assert!(
            (1..=3).contains(&sent),
            "{path}: {sent} requests (one and at most two retries)"
        );
    }
}

#[test]
fn fault_tls_self_signed_certificate_is_unverifiable_and_never_trusted() {
    let server = TlsStandIn::self_signed(&["localhost"]);
    let url = format!("https://localhost:{}", server.port());
    let report = unverifiable_check(&url, "30");
    let details: Vec<&str> = report["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["endpoint"].is_string())
        .map(|row| row["detail"].as_str().unwrap())
        .collect();
    // Four checked scopes; people search decides two of them.
    assert_eq!(details.len(), 4);
    for detail in details {
        assert!(detail.contains("certificate was not trusted"), "{detail}");
        // Not trusted because no authority signed it: the name and dates were right.
        assert!(detail.contains("UnknownIssuer"), "{detail}");
    }
    // The handshake was tried, never completed, and so no request (and no Authorization header) was
    // ever sent. A TLS failure is not retried: at most one handshake per probe.
    let tried = server.handshakes.load(Ordering::SeqCst);
    assert!((1..=PROBED.len()).contains(&tried), "{tried} handshakes");
    assert_eq!(server.completed.load(Ordering::SeqCst), 0);
}

#[test]
fn fault_unresolvable_host_is_unverifiable_with_a_dns_message() {
    // `.invalid` never resolves (RFC 6761). Without a reachable name server, glibc would retry for up to
    // half a minute; one short attempt keeps the answer fast and the same either way (a resolver error).
    let report = unverifiable_check_with(
        "https://hibob-auth-fault-matrix.invalid",
        "60",
        &[("RES_OPTIONS", "timeout:1 attempts:1")],
    );
    assert!(
        report["summary"]
            .as_str()
            .unwrap()
            .contains("could not resolve the host name"),
        "{}",
        report["summary"]
    );
}

#[test]
fn fault_slow_trickle_response_on_every_probe_is_cut_at_the_deadline() {
    // Hours of body at this rate: only the deadline can end the check.
    let endless = format!(r#"{{"employees":[{}]}}"#, r#"{"id":"1"},"#.repeat(50_000));
    let server = FakeHibob::start(Scenario::ok().everywhere(Reply::trickle(
        endless,
        1,
        Duration::from_millis(100),
    )));
    let report = unverifiable_check(&server.url(), "2");
    says(
        report["summary"].as_str().unwrap(),
        &["no answer before the deadline of 2 s"],
    );
    // A slow answer is not a failed one: each probe was sent once, and not retried into the deadline.
    for path in PROBED {
        assert_eq!(server.count(path), 1, "{path}");
    }
}

// ---- signals during a check ----

/// A check against a server that never answers, interrupted once every probe is out.
fn signal_during_a_check(signal: i32) {
    let server = FakeHibob::start(Scenario::ok().never_answer());
    let home = TestHome::new();
    let child = spawn(
        check(
            &home,
            &["--api-url", &server.url(), "--timeout", LONG_DEADLINE],
        ),
        None,
    );
    wait_for_every_probe(&server);
    let output = signalled(child, signal);
    // Interrupted means no verdict: nothing on stdout that a script could take for one.
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
    assert_eq!(
        server.requests().len(),
        PROBED.len(),
        "nothing is sent after the signal"
    );
}

#[test]
fn fault_ctrl_c_during_a_check_ends_it_at_once_without_a_verdict() {
    signal_during_a_check(libc::SIGINT);
}

#[test]
fn fault_sigterm_during_a_check_ends_it_at_once_without_a_verdict() {
    signal_during_a_check(libc::SIGTERM);
}

// ---- the keyring ----

/// Store the test credential without a check (so a profile record and a keyring entry exist).
fn store_without_check(home: &TestHome, keyring: &PrivateKeyring, api_url: &str) {
    let output = run(
        login(home, keyring, &["--no-verify", "--api-url", api_url]),
        Some(TEST_SERVICE_USER_TOKEN),
    );
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
    assert!(keyring.lookup("default").is_some());
}

/// A private keyring (for the test `test`), a fake HiBob that answers, and a home; `None` when skipped.
fn keyring_server_home(test: &str) -> Option<(PrivateKeyring, FakeHibob, TestHome)> {
    let keyring = PrivateKeyring::for_test(test)?;
    Some((keyring, FakeHibob::start(Scenario::ok()), TestHome::new()))
}

#[test]
fn fault_keyring_hanging_makes_check_and_token_time_out_with_exit_4_and_loses_nothing() {
    let Some((mut keyring, server, home)) = keyring_server_home(this_test!()) else { return };
    store_without_check(&home, &keyring, &server.url());

    // The keyring daemon stops answering (as one stuck behind an unanswered prompt would).
    keyring.freeze();
    for args in [&["check"][..], &["token"]] {
        let mut command = home.piped(args);
        keyring.apply(&mut command);
        let output = run(command, None);
        no_secret(&output);
        assert_eq!(code(&output), 4, "{args:?}: {}", text(&output.stderr));
        let stderr = text(&output.stderr);
        assert!(stderr.contains("did not answer within 5 s"), "{stderr}");
        assert!(stderr.contains("To fix:"), "{stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    assert!(
        server.requests().is_empty(),
        "no credential, so nothing was sent"
    );

    // Once the keyring answers again, the credential is there and works: nothing was lost.
    keyring.thaw();
    let mut command = home.piped(&["check"]);
    keyring.apply(&mut command);
    let output = run(command, None);
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
}

#[test]
fn fault_keyring_hanging_makes_login_time_out_with_exit_4_before_any_request() {
    let Some((mut keyring, server, home)) = keyring_server_home(this_test!()) else { return };
    keyring.freeze();
    let output = run(
        login(&home, &keyring, &["--api-url", &server.url()]),
        Some(TEST_SERVICE_USER_TOKEN),
    );
    no_secret(&output);
    assert_eq!(code(&output), 4, "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("did not answer within 5 s"));
    // The store is opened first, so a hanging keyring costs no request and writes nothing.
    assert!(server.requests().is_empty());
    assert!(!home.record_path("default").exists());
    keyring.thaw();
    assert_eq!(keyring.lookup("default"), None);
}

// ---- signals during login's check and save ----

/// The next login of the test service user (against a HiBob that answers) checks and stores it: exit 0, a
/// profile record, and the token in the keyring.
fn next_login_stores_it(home: &TestHome, keyring: &PrivateKeyring) {
    let server = FakeHibob::start(Scenario::ok());
    let output = run(
        login(home, keyring, &["--api-url", &server.url()]),
        Some(TEST_SERVICE_USER_TOKEN),
    );
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
    assert!(home.record_path("default").exists());
    let stored = keyring.lookup("default").expect("stored");
    assert!(stored.contains(TEST_SERVICE_USER_TOKEN));
}

/// login against a server that never answers, signalled once every probe is out: nothing is stored, and
/// the same credential can be stored by the next login.
fn signal_during_login_check(test: &str, signal: i32) {
    let Some(keyring) = PrivateKeyring::for_test(test) else { return };
    let hanging = FakeHibob::start(Scenario::ok().never_answer());
    let home = TestHome::new();
    let child = spawn(
        login(
            &home,
            &keyring,
            &["--api-url", &hanging.url(), "--timeout", LONG_DEADLINE],
        ),
        Some(TEST_SERVICE_USER_TOKEN),
    );
    wait_for_every_probe(&hanging);
    signalled(child, signal);
    assert!(!home.record_path("default").exists());
    assert_eq!(keyring.lookup("default"), None);

    // The caller still holds the credential; the next login checks and stores it.
    next_login_stores_it(&home, &keyring);
}

#[test]
fn fault_ctrl_c_during_login_check_stores_nothing_and_the_next_login_stores_it() {
    signal_during_login_check(this_test!(), libc::SIGINT);
}

#[test]
fn fault_sigterm_during_login_check_stores_nothing_and_the_next_login_stores_it() {
    signal_during_login_check(this_test!(), libc::SIGTERM);
}

/// login whose check passes and whose save hangs (the keyring freezes after login opened it), signalled
/// during the save: the process ends at once, not after the 60 s write timeout; no profile record claims
/// a credential; and the next login stores it.
fn signal_during_login_save(test: &str, signal: i32) {
    let Some(mut keyring) = PrivateKeyring::for_test(test) else { return };
    // Answers wait a moment, so the keyring can be frozen between login opening it and saving into it.
    let server = FakeHibob::start(Scenario::ok().delay(Duration::from_secs(2)));
    let home = TestHome::new();
    let mut child = spawn(
        login(&home, &keyring, &["--api-url", &server.url()]),
        Some(TEST_SERVICE_USER_TOKEN),
    );
    // The store is opened before the first request; once all four are out, freezing it is safe.
    wait_for_every_probe(&server);
    keyring.freeze();
    // The report is printed right before the save: read stdout until it is there.
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    while !text(&seen).contains("HiBob credential check: OK") {
        let read = stdout.read(&mut buffer).expect("read login's stdout");
        assert!(read > 0, "login ended before its report:\n{}", text(&seen));
        seen.extend_from_slice(&buffer[..read]);
    }
    let output = signalled(child, signal);
    assert!(!text(&output.stderr).contains("Stored profile"));
    assert!(
        !home.record_path("default").exists(),
        "no record may claim a credential whose save was interrupted"
    );
    keyring.thaw();

    // The caller still holds the verified credential; the next login stores it (over anything the
    // keyring may have finished writing after the process ended).
    next_login_stores_it(&home, &keyring);
}

#[test]
fn fault_ctrl_c_during_login_save_ends_at_once_and_the_next_login_stores_it() {
    signal_during_login_save(this_test!(), libc::SIGINT);
}

#[test]
fn fault_sigterm_during_login_save_ends_at_once_and_the_next_login_stores_it() {
    signal_during_login_save(this_test!(), libc::SIGTERM);
}

// ---- the wizard in a pseudo-terminal ----

/// The wizard at Connect with the test service user typed in (Enter starts the check).
fn wizard_at_connect(args: &[&str], env: &[(&str, &str)]) -> Pty {
    let mut pty = Pty::spawn_with(BIN, args, env, TestHome::new());
    walk_service_user_to_connect(&mut pty);
    pty.send(TEST_SERVICE_USER_ID);
    pty.send(TAB);
    pty.send(TEST_SERVICE_USER_TOKEN);
    pty
}

fn signal_pty(pty: &Pty, signal: i32) {
    // SAFETY: kill(2) on the id of the child this test started in the pty.
    assert_eq!(unsafe { libc::kill(pty.pid(), signal) }, 0);
}

/// The wizard checks against a server that never answers; once every probe is out, `interrupt` stops it.
/// Nothing was verified yet, so it quits at once (long before the check's deadline), gives the terminal
/// back, and says that nothing was stored.
fn interrupt_a_wizard_check(interrupt: impl FnOnce(&mut Pty)) {
    let server = FakeHibob::start(Scenario::ok().never_answer());
    let mut pty = wizard_at_connect(
        &["--api-url", &server.url(), "--timeout", LONG_DEADLINE],
        &[],
    );
    pty.send(ENTER);
    pty.wait_for("Checking the credential");
    wait_for_every_probe(&server);
    interrupt(&mut pty);
    assert_eq!(pty.wait_exit_restored(), 0);
    pty.wait_for("Nothing was stored");
    assert!(!String::from_utf8_lossy(&pty.raw_output()).contains(TEST_SERVICE_USER_TOKEN));
}

#[test]
fn fault_ctrl_c_during_a_wizard_check_quits_at_once_and_restores_the_terminal() {
    interrupt_a_wizard_check(|pty| pty.send(CTRL_C));
}

#[test]
fn fault_sigterm_during_a_wizard_check_quits_at_once_and_restores_the_terminal() {
    interrupt_a_wizard_check(|pty| signal_pty(pty, libc::SIGTERM));
}

#[test]
fn fault_terminal_resized_mid_check_redraws_and_the_check_completes() {
    // Answers take a while, so the resizes land while the check is running.
    let server = FakeHibob::start(Scenario::ok().delay(Duration::from_secs(5)));
    let mut pty = wizard_at_connect(&["--api-url", &server.url()], &[]);
    pty.send(ENTER);
    pty.wait_for("Checking the credential");
    for (rows, cols) in [(30, 110), (20, 60)] {
        pty.resize(rows, cols);
        // The title bar is redrawn across the new width, and the check is still in progress.
        wait_until(&format!("a redraw at {cols} columns"), || {
            let title = pty.row(0);
            title.ends_with("check") && title.chars().count() == usize::from(cols) - 1
        });
        says(&pty.contents(), &["Checking the credential"]);
    }
    pty.wait_for("all set");
    // Verified and unsaved: quitting asks first.
    pty.send("q");
    pty.wait_for("has not been stored");
    pty.send(ENTER);
    assert_eq!(pty.wait_exit_restored(), 0);
    assert_eq!(
        server.requests().len(),
        PROBED.len(),
        "one request per probe"
    );
}

/// The wizard, joined to a private keyring, past a successful check against its own fake HiBob and asked
/// to store, with the keyring frozen so that the save hangs; `None` when the test (`test`) skipped.
fn wizard_saving_into_a_frozen_keyring(test: &str) -> Option<(PrivateKeyring, FakeHibob, Pty)> {
    let mut keyring = PrivateKeyring::for_test(test)?;
    let server = FakeHibob::start(Scenario::ok());
    let mut pty = wizard_at_connect(
        &["--api-url", &server.url()],
        &[("DBUS_SESSION_BUS_ADDRESS", keyring.address())],
    );
    pty.send(ENTER);
    pty.wait_for("Congratulations, you're all set!");
    keyring.freeze();
    pty.send(ENTER);
    pty.wait_for("Storing the credential in the OS keyring");
    Some((keyring, server, pty))
}

#[test]
fn fault_ctrl_c_during_a_wizard_save_asks_first_and_the_credential_stays_offered() {
    let Some((mut keyring, _server, mut pty)) = wizard_saving_into_a_frozen_keyring(this_test!())
    else {
        return;
    };
    pty.send(CTRL_C);
    pty.wait_for("Quit anyway?");
    pty.send("\x1b");
    pty.wait_gone("Quit anyway?");
    // The keyring never answers: the save gives up (its own timeout), and the verified credential is still
    // in the wizard, offered again.
    pty.wait_for("The credential was not stored");
    pty.wait_for("The credential is kept in memory until you quit");
    keyring.thaw();
    pty.wait_for("› Try again");
    pty.send(ENTER);
    pty.wait_for("Stored. You can use the credential now.");
    pty.send(ENTER);
    assert_eq!(pty.wait_exit_restored(), 0);
    let stored = keyring.lookup("default").expect("stored after all");
    assert!(stored.contains(TEST_SERVICE_USER_TOKEN));
}

#[test]
fn fault_sigterm_during_a_wizard_save_finishes_the_save_before_quitting() {
    let Some((mut keyring, _server, mut pty)) = wizard_saving_into_a_frozen_keyring(this_test!())
    else {
        return;
    };
    signal_pty(&pty, libc::SIGTERM);
    // The terminal is given back at once, and the wizard says it is finishing the save.
    pty.wait_for("Still storing the credential in the OS keyring");
    pty.assert_restored();
    keyring.thaw();
    assert_eq!(pty.wait_exit(), 0);
    pty.wait_for("Stored the service user credential");
    let stored = keyring.lookup("default").expect("the save was finished");
    assert!(stored.contains(TEST_SERVICE_USER_TOKEN));
}

/// `rotate` whose save fails (the keyring freezes after the new token passed its check): the old token is
/// still the stored one and the record is unchanged, so scripts keep working until the rotation is done.
#[test]
fn fault_a_rotation_whose_save_fails_leaves_the_old_token_stored_and_the_record_unchanged() {
    const OLD_TOKEN: &str = "old-token-before-the-reset-0000";
    let Some(mut keyring) = PrivateKeyring::for_test(this_test!()) else { return };
    let server = FakeHibob::start(Scenario::ok());
    let home = TestHome::new();
    let stored = run(
        login(
            &home,
            &keyring,
            &["--no-verify", "--api-url", &server.url()],
        ),
        Some(OLD_TOKEN),
    );
    assert_eq!(code(&stored), 0, "{}", text(&stored.stderr));
    let record = home.record_path("default");
    let record_before = std::fs::read_to_string(&record).unwrap();

    let mut pty = Pty::spawn_with(
        BIN,
        &["rotate", "--timeout", "20"],
        &[("DBUS_SESSION_BUS_ADDRESS", keyring.address())],
        home,
    );
    pty.wait_for("Rotate · default");
    pty.send(TEST_SERVICE_USER_TOKEN);
    pty.send(ENTER);
    pty.wait_for("Result: ok");
    keyring.freeze();
    pty.send(ENTER);
    let screen = pty.wait_for("The credential was not stored");
    // The screen says what the profile holds now, and offers no other store (the old token would stay
    // behind in the one its record names).
    assert!(
        screen.contains("keeps its previous token until the new one is stored"),
        "{screen}"
    );
    assert!(!screen.contains("another store"), "{screen}");
    keyring.thaw();
    // The new token is verified and unsaved: quitting asks first, then the store's failure is the exit.
    pty.send("q");
    pty.wait_for("Quit anyway?");
    pty.send("y");
    assert_eq!(pty.wait_exit_restored(), 4);
    let stored = keyring.lookup("default").expect("still stored");
    assert!(stored.contains(OLD_TOKEN), "the old token stays");
    assert!(!stored.contains(TEST_SERVICE_USER_TOKEN));
    assert_eq!(std::fs::read_to_string(&record).unwrap(), record_before);
}
