//! Secret-leak tests: every command of the real binary, and the wizard in a pseudo-terminal, run with the
//! most verbose logging there is (`-vvv` and `HIBOB_AUTH_LOG=trace`, which turns on every crate's tracing:
//! reqwest, hyper, rustls, zbus), with a distinctive credential (the canary, see `support/leak.rs`). The
//! canary must not appear, in any form (the token, the part of it beyond the four-character hint, base64 at
//! every alignment, the Basic header, the keyring's JSON blob), in:
//! - stdout and stderr (except `token`'s stdout, whose job is to print it), and every byte the wizard
//!   wrote to its terminal;
//! - any file under the run's config, data, cache, state and runtime directories (the wizard's trace log
//!   and the profile records included), and the keyring daemon's own files;
//! - any error message: rejected, unverifiable, store failure, invalid input;
//! - the command line of the process (and of anything it starts) while it runs;
//! - the `Debug` output of any type that holds it, and so any panic message built from one.
//!
//! The tests that need a real Secret Service run against a private GNOME Keyring (support/private_keyring.rs)
//! and are gated like the other keyring tests (support/keyring_gate.rs): with HIBOB_AUTH_REQUIRE_KEYRING=1
//! (as in `.ci/run`) a missing keyring fails them. Wiping secrets from memory is tested in
//! `leaks_wipe_on_drop.rs`, which needs its own allocator.

mod support;

#[cfg(target_os = "linux")]
use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::Duration;
#[cfg(target_os = "linux")]
use std::time::Instant;

#[cfg(target_os = "linux")]
use support::fake_hibob::CHECK_PATHS;
use support::fake_hibob::{
    FakeHibob, PATH_FIELDS, PATH_PEOPLE_SEARCH, PATH_WHOS_OUT, Reply, Scenario, closed_port_url,
};
use support::home::{TestHome, code, text};
#[cfg(target_os = "linux")]
use support::home::{says, spawn_piped};
use support::leak::{CANARY_ID, CANARY_TOKEN, Canary};
#[cfg(target_os = "linux")]
use support::private_keyring::PrivateKeyring;
#[cfg(target_os = "linux")]
use support::this_test;

/// Only a hang guard: a run that takes this long is stuck. Tests do not assert on time.
const HANG_GUARD: Duration = Duration::from_secs(90);

/// `hibob-auth -vvv ARGS` in `home` (support/home.rs: nothing of the caller's environment but PATH, no
/// D-Bus session unless a private keyring is given) with `HIBOB_AUTH_LOG=trace`: the most verbose logging.
fn traced(home: &TestHome, args: &[&str]) -> Command {
    let mut command = home.command(&[&["-vvv"], args].concat());
    command.env("HIBOB_AUTH_LOG", "trace");
    command
}

/// Run to the end with `stdin` (or an empty stdin) and the hang guard.
fn run(mut command: Command, stdin: Option<&[u8]>) -> Output {
    let mut command = assert_cmd::Command::from_std({
        command.stdin(Stdio::piped());
        command
    });
    command.timeout(HANG_GUARD);
    command.write_stdin(stdin.unwrap_or_default().to_vec());
    command.output().expect("run hibob-auth")
}

/// The canary is in no output (stdout is skipped only when `stdout_is_the_secret`) and no file of the home.
fn assert_clean(
    home: &TestHome,
    canary: &Canary,
    output: &Output,
    what: &str,
    stdout_is_the_secret: bool,
) {
    canary.assert_absent(&output.stderr, &format!("stderr of {what}"));
    if !stdout_is_the_secret {
        canary.assert_absent(&output.stdout, &format!("stdout of {what}"));
    }
    canary.assert_in_no_file(&[home.path()]);
}

/// A profile record that names the Secret Service, as `login` writes it (no secret in it).
#[cfg(target_os = "linux")]
fn write_record(home: &TestHome, profile: &str, api_url: &str) {
    let path = home.record_path(profile);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        path,
        format!(
            "kind = \"service-user\"\nservice_user_id = \"{CANARY_ID}\"\napi_url = \"{api_url}\"\nstore = \"native\"\nstored_at = \"2026-01-01T00:00:00Z\"\n"
        ),
    )
    .unwrap();
}

/// `check --api-url URL [EXTRA] [--json]` traced, with the canary in the environment, in a home of its
/// own, run to its end.
fn check_with_canary(url: &str, extra: &[&str], json: bool) -> (TestHome, Output) {
    let home = TestHome::new();
    let mut args = [&["check", "--api-url", url], extra].concat();
    if json {
        args.push("--json");
    }
    let mut command = traced(&home, &args);
    with_canary_env(&mut command);
    let output = run(command, None);
    (home, output)
}

fn with_canary_env(command: &mut Command) {
    command
        .env("HIBOB_SERVICE_USER_ID", CANARY_ID)
        .env("HIBOB_SERVICE_USER_TOKEN", CANARY_TOKEN);
}

/// `login`'s arguments for the canary's service user, its token read from stdin, for the API at `api_url`.
fn canary_login(api_url: &str) -> [&str; 6] {
    [
        "login",
        "--token-stdin",
        "--service-user-id",
        CANARY_ID,
        "--api-url",
        api_url,
    ]
}

fn canary_scenario() -> Scenario {
    Scenario::ok().expecting(Canary::expected())
}

// ---- the detector itself ----

#[test]
fn the_canary_is_found_in_every_form_it_looks_for() {
    let canary = Canary::new();
    // Negative controls: if these were not found, every "absent" below would prove nothing.
    let header = Canary::expected().header_value();
    assert_eq!(
        canary.find_in(header.as_bytes()),
        Some("the Basic Authorization value")
    );
    let inside_a_log = format!("authorization: {header}, done");
    assert!(canary.find_in(inside_a_log.as_bytes()).is_some());
    let base64_only = header.trim_start_matches("Basic ");
    assert!(
        canary.find_in(base64_only.as_bytes()).is_some(),
        "{base64_only}"
    );
    let partial = &CANARY_TOKEN[..CANARY_TOKEN.len() - 4];
    assert!(canary.find_in(format!("x{partial}y").as_bytes()).is_some());
    // A hint (the last four characters) is allowed; nothing canary-like is in ordinary text.
    assert_eq!(canary.find_in(b"token ....s0Ga"), None);
    assert_eq!(canary.find_in(b"HiBob credential check: OK"), None);
}

// ---- check with the credential in the environment ----

/// Every verdict of `check` and each of its error messages.
#[test]
fn check_from_the_environment_leaks_nothing_with_any_answer_from_hibob() {
    let canary = Canary::new();
    let people = PATH_PEOPLE_SEARCH;
    let scenarios: Vec<(&str, Scenario, i32)> = vec![
        ("ok", canary_scenario(), 0),
        (
            "limited (403)",
            canary_scenario().on(people, Reply::error(403)),
            5,
        ),
        (
            "limited (categories left out)",
            canary_scenario().only_categories(&["root"]),
            5,
        ),
        ("limited (no employees)", canary_scenario().sees_nobody(), 5),
        (
            "limited (no Time off module)",
            canary_scenario().without_module(support::fake_hibob::TIME_OFF_MODULE),
            5,
        ),
        ("blocked (HTML 403)", canary_scenario().blocked(), 7),
        ("rejected (401)", canary_scenario().reject_everything(), 1),
        (
            "unverifiable (503)",
            canary_scenario().everywhere(Reply::error(503)),
            3,
        ),
        (
            "429 then success",
            canary_scenario().rate_limit(PATH_FIELDS, 1),
            0,
        ),
        (
            "malformed JSON",
            canary_scenario().on(PATH_FIELDS, Reply::json(200, r#"[{"id":"#)),
            3,
        ),
        (
            "plain-text 502",
            canary_scenario().on(PATH_WHOS_OUT, Reply::text(502, "Bad Gateway")),
            3,
        ),
    ];
    for (name, scenario, expected) in scenarios {
        let server = FakeHibob::start(scenario);
        for json in [false, true] {
            let (home, output) = check_with_canary(&server.url(), &[], json);
            let what = format!("check ({name}, json: {json})");
            assert_eq!(code(&output), expected, "{what}: {}", text(&output.stderr));
            assert_clean(&home, &canary, &output, &what, false);
            // The logging really was at its most verbose: hyper's and reqwest's own traces are there.
            assert!(
                text(&output.stderr).contains("TRACE"),
                "{what}: {}",
                text(&output.stderr)
            );
        }
    }
}

#[test]
fn check_leaks_nothing_when_hibob_cannot_be_reached() {
    let canary = Canary::new();
    let hanging = FakeHibob::start(canary_scenario().never_answer());
    let refused = closed_port_url();
    let hanging_url = hanging.url();
    for (name, url, expected) in [
        ("connection refused", refused.as_str(), 3),
        ("no answer before the deadline", hanging_url.as_str(), 3),
        ("plain http to a remote host", "http://hibob.invalid", 2),
    ] {
        let (home, output) = check_with_canary(url, &["--timeout", "2"], false);
        assert_eq!(code(&output), expected, "{name}: {}", text(&output.stderr));
        assert_clean(&home, &canary, &output, &format!("check ({name})"), false);
    }
}

/// A server that repeats the credential back in its answers (some APIs quote the header they refused)
/// must not make the report print it.
#[test]
fn check_does_not_repeat_a_credential_that_hibob_echoes_back() {
    let canary = Canary::new();
    let header = Canary::expected().header_value();
    let scenario = canary_scenario()
        .on(
            PATH_FIELDS,
            Reply::json(
                400,
                format!(r#"{{"error":"invalid Authorization header: {header}","key":"x"}}"#),
            ),
        )
        .on(
            PATH_PEOPLE_SEARCH,
            Reply::json(
                409,
                format!(r#"{{"error":"no such token {CANARY_TOKEN}","key":"y"}}"#),
            ),
        )
        .on(
            PATH_WHOS_OUT,
            Reply::text(200, format!("token {CANARY_TOKEN} is fine")),
        );
    let server = FakeHibob::start(scenario);
    for json in [false, true] {
        let (home, output) = check_with_canary(&server.url(), &[], json);
        assert_eq!(code(&output), 3, "{}", text(&output.stderr));
        assert_clean(
            &home,
            &canary,
            &output,
            "check against an echoing server",
            false,
        );
        // HiBob's own words are still shown, with the secret taken out.
        let stdout = text(&output.stdout);
        assert!(stdout.contains("no such token [REDACTED]"), "{stdout}");
        assert!(stdout.contains("invalid Authorization"), "{stdout}");
    }
}

// ---- invalid input: the messages name the problem, never the value ----

#[test]
fn invalid_input_is_refused_without_echoing_it() {
    let canary = Canary::new();
    let too_long = CANARY_TOKEN.repeat(20);
    let inner_space = format!("{CANARY_TOKEN} {CANARY_TOKEN}");
    let control = format!("{CANARY_TOKEN}\u{7}");
    let env_cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "inner whitespace",
            vec![
                ("HIBOB_SERVICE_USER_ID", CANARY_ID),
                ("HIBOB_SERVICE_USER_TOKEN", &inner_space),
            ],
        ),
        (
            "too long",
            vec![
                ("HIBOB_SERVICE_USER_ID", CANARY_ID),
                ("HIBOB_SERVICE_USER_TOKEN", &too_long),
            ],
        ),
        (
            "control character",
            vec![
                ("HIBOB_SERVICE_USER_ID", CANARY_ID),
                ("HIBOB_SERVICE_USER_TOKEN", &control),
            ],
        ),
        (
            "token without its ID",
            vec![("HIBOB_SERVICE_USER_TOKEN", CANARY_TOKEN)],
        ),
        ("API token too long", vec![("HIBOB_API_TOKEN", &too_long)]),
    ];
    for (name, env) in env_cases {
        let home = TestHome::new();
        let mut command = traced(&home, &["check", "--api-url", &closed_port_url()]);
        command.envs(env);
        let output = run(command, None);
        assert_eq!(code(&output), 2, "{name}: {}", text(&output.stderr));
        assert_clean(&home, &canary, &output, &format!("check ({name})"), false);
    }

    // The same through login's standard input, and bytes that are not text at all.
    let mut not_text = CANARY_TOKEN.as_bytes().to_vec();
    not_text.push(0xff);
    let stdin_cases: Vec<(&str, Vec<u8>)> = vec![
        ("inner whitespace", inner_space.clone().into_bytes()),
        ("too long", too_long.clone().into_bytes()),
        ("control character", control.clone().into_bytes()),
        ("not UTF-8", not_text),
        (
            "longer than any input",
            CANARY_TOKEN.repeat(200).into_bytes(),
        ),
    ];
    for (name, input) in stdin_cases {
        let home = TestHome::new();
        let command = traced(&home, &canary_login(&closed_port_url()));
        let output = run(command, Some(&input));
        assert_eq!(code(&output), 2, "{name}: {}", text(&output.stderr));
        assert_clean(&home, &canary, &output, &format!("login ({name})"), false);
    }
}

// ---- store failures ----

// Linux only: the failures here are the Secret Service's (no D-Bus session, no bus at the address); macOS
// and Windows always have their keyring, and nothing of D-Bus.
#[cfg(target_os = "linux")]
#[test]
fn store_failures_leak_nothing() {
    let canary = Canary::new();
    let server = FakeHibob::start(canary_scenario());

    // No D-Bus session at all; then a bus address where nothing listens.
    let unreachable = format!(
        "unix:path={}",
        TestHome::new().dir("runtime").join("no-bus").display()
    );
    for bus in [None, Some(unreachable.as_str())] {
        let home = TestHome::new();
        let mut command = traced(&home, &canary_login(&server.url()));
        if let Some(address) = bus {
            command.env("DBUS_SESSION_BUS_ADDRESS", address);
        }
        let output = run(command, Some(CANARY_TOKEN.as_bytes()));
        assert_eq!(code(&output), 4, "{}", text(&output.stderr));
        assert_clean(&home, &canary, &output, "login (no keyring)", false);
    }

    // A profile is recorded but its keyring cannot be reached: check and token fail with code 4.
    let home = TestHome::new();
    write_record(&home, "default", &server.url());
    for args in [&["check"][..], &["token"], &["token", "--header"]] {
        let output = run(traced(&home, args), None);
        assert_eq!(code(&output), 4, "{args:?}: {}", text(&output.stderr));
        assert_clean(
            &home,
            &canary,
            &output,
            &format!("{args:?} (no keyring)"),
            false,
        );
    }
    assert!(
        server.requests().is_empty(),
        "nothing is sent without a credential"
    );
}

// ---- commands that hold no secret, with one in the environment ----

#[test]
fn commands_without_a_stored_credential_leak_the_environments_token_nowhere() {
    let canary = Canary::new();
    let home = TestHome::new();
    let runs: [&[&str]; 10] = [
        &["token"],
        &["token", "--header"],
        &["logout"],
        &["logout", "--all"],
        &["profiles"],
        &["profiles", "--json"],
        &["guide"],
        &["guide", "--format", "markdown"],
        &["guide", "--format", "json"],
        &["--help"],
    ];
    for args in runs {
        let mut command = traced(&home, args);
        with_canary_env(&mut command);
        command.env("HIBOB_API_TOKEN", CANARY_TOKEN);
        let output = run(command, None);
        assert_clean(&home, &canary, &output, &format!("{args:?}"), false);
    }
}

// ---- the command line while the process runs ----
//
// Linux only: these read a running process through /proc (its command line, threads and limits), and the
// login test expects the store to be missing (no D-Bus session). Windows has no /proc to read, and the
// command line of a process there is the one it was started with, which the tests above already check.

/// Wait (with the hang guard) until `ready` holds, polling.
#[cfg(target_os = "linux")]
fn wait_until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + HANG_GUARD;
    while !ready() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The command line (NUL-separated words) of a running process, as /proc shows it to anyone.
#[cfg(target_os = "linux")]
fn command_line(pid: u32) -> String {
    text(&std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default()).replace('\0', " ")
}

/// Wait until every probe of a check has reached `server`.
#[cfg(target_os = "linux")]
fn wait_for_every_probe(server: &FakeHibob) {
    wait_until("every probe arrives", || {
        server.requests().len() == CHECK_PATHS.len()
    });
}

/// `check --timeout 5` traced against a HiBob that never answers, with its credential from `credential`
/// (the environment or a keyring), started and in progress: every probe is out and unanswered. The
/// server, to keep until the check ends, and the check.
#[cfg(target_os = "linux")]
fn check_in_progress(
    home: &TestHome,
    credential: impl FnOnce(&mut Command),
) -> (FakeHibob, std::process::Child) {
    let server = FakeHibob::start(canary_scenario().never_answer());
    let mut command = traced(
        home,
        &["check", "--api-url", &server.url(), "--timeout", "5"],
    );
    credential(&mut command);
    let child = spawn_piped(&mut command);
    wait_for_every_probe(&server);
    (server, child)
}

/// `child` ends with exit `expected` and leaks nothing (`assert_clean`, its stdout included); its output.
#[cfg(target_os = "linux")]
fn ended_clean(
    home: &TestHome,
    canary: &Canary,
    child: std::process::Child,
    expected: i32,
    what: &str,
) -> Output {
    let output = child.wait_with_output().unwrap();
    assert_eq!(code(&output), expected, "{what}: {}", text(&output.stderr));
    assert_clean(home, canary, &output, what, false);
    output
}

#[cfg(target_os = "linux")]
#[test]
fn a_hanging_check_shows_no_secret_in_its_command_line_and_cannot_dump_core() {
    let canary = Canary::new();
    let home = TestHome::new();
    let (_server, child) = check_in_progress(&home, with_canary_env);
    let shown = command_line(child.id());
    assert!(
        shown.contains("check --api-url"),
        "read the wrong process: {shown}"
    );
    assert!(canary.assert_not_in_command_lines(child.id()) >= 1);
    // While it holds the secret, the process could not leave a core file behind.
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    let core = limits
        .lines()
        .find(|line| line.starts_with("Max core file size"))
        .expect("a core file limit");
    let words: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(words[4..6], ["0", "0"], "soft and hard limit: {core}");
    ended_clean(&home, &canary, child, 3, "a check that hit its deadline");
}

#[cfg(target_os = "linux")]
#[test]
fn the_command_line_of_login_holds_no_secret_while_it_reads_the_token() {
    let canary = Canary::new();
    let home = TestHome::new();
    let mut child = home
        .piped(&["login", "--token-stdin", "--service-user-id", CANARY_ID])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Half the token is in the pipe, so login is reading it now.
    stdin
        .write_all(&CANARY_TOKEN.as_bytes()[..CANARY_TOKEN.len() / 2])
        .unwrap();
    stdin.flush().unwrap();
    wait_until("login starts its reader thread", || {
        std::fs::read_dir(format!("/proc/{}/task", child.id())).is_ok_and(|tasks| tasks.count() > 1)
    });
    assert!(command_line(child.id()).contains("login --token-stdin"));
    assert!(canary.assert_not_in_command_lines(child.id()) >= 1);
    stdin
        .write_all(&CANARY_TOKEN.as_bytes()[CANARY_TOKEN.len() / 2..])
        .unwrap();
    drop(stdin);
    // No D-Bus session here: the store cannot be opened (exit 4), after the token was read.
    ended_clean(&home, &canary, child, 4, "login without a keyring");
}

// ---- every stored-credential command against a real Secret Service ----
//
// Linux only: a private GNOME Keyring on its own D-Bus session.

#[cfg(target_os = "linux")]
#[test]
fn every_stored_credential_command_leaks_nothing_with_a_real_keyring() {
    let Some(keyring) = PrivateKeyring::for_test(this_test!()) else { return };
    let canary = Canary::new();
    let server = FakeHibob::start(canary_scenario().hide_categories(&["payroll"]));
    let rejecting = FakeHibob::start(canary_scenario().reject_everything());
    let home = TestHome::new();
    let url = server.url();
    let run = |args: &[&str], stdin: Option<&str>| {
        let mut command = traced(&home, args);
        keyring.apply(&mut command);
        run(command, stdin.map(str::as_bytes))
    };
    let login_args = canary_login(&url);

    // A rejected login stores nothing and says so without the token.
    let rejected = run(&canary_login(&rejecting.url()), Some(CANARY_TOKEN));
    assert_eq!(code(&rejected), 1, "{}", text(&rejected.stderr));
    assert_clean(&home, &canary, &rejected, "login (rejected)", false);

    // A verified (limited) login, then a re-login over it; zbus traces every D-Bus message it sends.
    for attempt in ["login", "login again"] {
        let login = run(&login_args, Some(CANARY_TOKEN));
        assert_eq!(code(&login), 5, "{attempt}: {}", text(&login.stderr));
        assert!(text(&login.stderr).contains("Stored profile"));
        // The most verbose logging was on, D-Bus traffic included.
        assert!(text(&login.stderr).contains("TRACE"));
        assert_clean(&home, &canary, &login, attempt, false);
    }
    let stored = keyring
        .lookup("default")
        .expect("the credential is in the keyring");
    assert!(stored.contains(CANARY_TOKEN), "the keyring holds the blob");

    for args in [&["check"][..], &["check", "--json"]] {
        let output = run(args, None);
        assert_eq!(code(&output), 5, "{args:?}: {}", text(&output.stderr));
        assert_clean(
            &home,
            &canary,
            &output,
            &format!("{args:?} (stored)"),
            false,
        );
    }
    for args in [&["profiles"][..], &["profiles", "--json"]] {
        let output = run(args, None);
        assert_eq!(code(&output), 0, "{args:?}");
        assert_clean(&home, &canary, &output, &format!("{args:?}"), false);
    }

    // token prints exactly the secret on stdout, and nothing of it anywhere else.
    let token = run(&["token"], None);
    assert_eq!(code(&token), 0, "{}", text(&token.stderr));
    assert_eq!(text(&token.stdout), format!("{CANARY_TOKEN}\n"));
    assert_clean(&home, &canary, &token, "token", true);
    let header = run(&["token", "--header"], None);
    assert_eq!(code(&header), 0, "{}", text(&header.stderr));
    assert_eq!(
        text(&header.stdout),
        format!("{}\n", Canary::expected().header_value())
    );
    assert_clean(&home, &canary, &header, "token --header", true);

    // The stored credential in a check that hangs: its command line, then its deadline message.
    let (_hanging, child) = check_in_progress(&home, |command| keyring.apply(command));
    assert!(canary.assert_not_in_command_lines(child.id()) >= 1);
    ended_clean(&home, &canary, child, 3, "check (stored, deadline)");

    let logout = run(&["logout"], None);
    assert_eq!(code(&logout), 0, "{}", text(&logout.stderr));
    assert_clean(&home, &canary, &logout, "logout", false);
    assert_eq!(keyring.lookup("default"), None);

    // The keyring daemon's own files are encrypted: the canary does not show through them either.
    canary.assert_in_no_file(&[keyring.data.path(), keyring.runtime.path()]);
}

// ---- exec: the secret goes into the command's environment, nowhere else ----

/// The NUL-separated `NAME=value` entries of a running process's environment.
#[cfg(target_os = "linux")]
fn environment_of(pid: u32) -> Vec<u8> {
    std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default()
}

// Linux only: the private Secret Service, `sh` and /proc.
#[cfg(target_os = "linux")]
#[test]
fn exec_puts_the_secret_in_the_commands_environment_and_nowhere_else() {
    let Some(keyring) = PrivateKeyring::for_test(this_test!()) else { return };
    let canary = Canary::new();
    let home = TestHome::new();
    let mut login = traced(
        &home,
        &[
            "login",
            "--token-stdin",
            "--no-verify",
            "--service-user-id",
            CANARY_ID,
            "--api-url",
            "http://127.0.0.1:9",
        ],
    );
    keyring.apply(&mut login);
    let stored = run(login, Some(CANARY_TOKEN.as_bytes()));
    assert_eq!(code(&stored), 0, "{}", text(&stored.stderr));

    // The command waits on its standard input, so it can be looked at while it runs.
    let mut command = traced(&home, &["exec", "--", "sh", "-c", "read line; echo done"]);
    keyring.apply(&mut command);
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("hibob-auth has become the command", || {
        command_line(child.id()).starts_with("sh -c read line")
    });
    assert!(canary.assert_not_in_command_lines(child.id()) >= 1);
    // The documented contract (as for `op run` and `aws-vault exec`): the command's own environment holds
    // the token, readable by its user through /proc. This also shows that the right process was read.
    let environment = environment_of(child.id());
    assert!(
        support::leak::contains(
            &environment,
            format!("HIBOB_SERVICE_USER_TOKEN={CANARY_TOKEN}").as_bytes()
        ),
        "the command's environment holds the token"
    );
    child.stdin.take().unwrap().write_all(b"\n").unwrap();
    // -vvv and trace logging were on: nothing of the secret in hibob-auth's output or any file.
    let output = ended_clean(&home, &canary, child, 0, "exec");
    assert_eq!(text(&output.stdout), "done\n");
}

// ---- the wizard in a pseudo-terminal ----
//
// Linux only: a Unix pseudo-terminal, `sh`, /proc and the private Secret Service above.

#[cfg(target_os = "linux")]
#[test]
fn the_wizard_leaks_nothing_on_screen_in_its_log_or_its_files() {
    use support::pty::{BIN, ENTER, Pty, TAB, walk_service_user_to_connect};
    let Some(keyring) = PrivateKeyring::for_test(this_test!()) else { return };
    let canary = Canary::new();
    // Answers wait a moment, so the process can be looked at while its check runs.
    let server = FakeHibob::start(canary_scenario().delay(Duration::from_secs(2)));
    let home = TestHome::new();
    // The wizard silences a terminal stderr while it draws; sent to a file, the trace log is kept.
    let log = home.path().join("wizard-trace.log");
    let url = server.url();
    let mut pty = Pty::spawn_with(
        "sh",
        &[
            "-c",
            "exec \"$0\" \"$@\" 2>\"$HIBOB_TEST_LOG\"",
            BIN,
            "-vvv",
            "--api-url",
            &url,
        ],
        &[
            ("HIBOB_TEST_LOG", log.to_str().unwrap()),
            ("HIBOB_AUTH_LOG", "trace"),
            ("DBUS_SESSION_BUS_ADDRESS", keyring.address()),
        ],
        home,
    );
    walk_service_user_to_connect(&mut pty);
    pty.send(CANARY_ID);
    pty.send(TAB);
    pty.paste(CANARY_TOKEN);
    pty.wait_for("the format is right");
    pty.send(ENTER);
    pty.wait_for("Checking the credential");
    wait_for_every_probe(&server);
    assert!(command_line(pty.pid() as u32).contains("-vvv --api-url"));
    assert!(canary.assert_not_in_command_lines(pty.pid() as u32) >= 1);
    pty.wait_for("Congratulations, you're all set!");
    pty.send(ENTER);
    pty.wait_for("Stored. You can use the credential now.");
    pty.send(ENTER);
    assert_eq!(pty.wait_exit_restored(), 0);

    // Everything the terminal received, every screen included.
    canary.assert_absent(&pty.raw_output(), "the wizard's terminal output");
    let logged = std::fs::read(&log).expect("the wizard's log");
    says(&text(&logged), &["TRACE"]);
    canary.assert_absent(&logged, "the wizard's trace log");
    // The log, the profile record and anything else the run wrote.
    canary.assert_in_no_file(&[pty.home()]);
    canary.assert_in_no_file(&[keyring.data.path(), keyring.runtime.path()]);
    let stored = keyring.lookup("default").expect("the wizard stored it");
    assert!(stored.contains(CANARY_TOKEN));
}

// ---- Debug output and panic messages ----

mod in_process {
    use std::hint::black_box;
    use std::panic::{AssertUnwindSafe, catch_unwind};

    use hibob_auth::credential::Credential;
    use hibob_auth::secret::{ExposeSecret, SecretString};
    use hibob_auth::store::{decode_entry, encode_entry};
    use hibob_auth::validate::validate_token;

    use super::*;

    fn service_user() -> Credential {
        Credential::ServiceUser {
            id: CANARY_ID.to_string(),
            token: SecretString::from(CANARY_TOKEN),
        }
    }

    fn api_token() -> Credential {
        Credential::ApiToken {
            token: SecretString::from(CANARY_TOKEN),
        }
    }

    /// The message of the panic `f` raises (it must raise one).
    fn panic_message(f: impl FnOnce()) -> String {
        let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("it panics");
        if let Some(text) = payload.downcast_ref::<String>() {
            text.clone()
        } else if let Some(text) = payload.downcast_ref::<&str>() {
            text.to_string()
        } else {
            panic!("a panic payload that is not text")
        }
    }

    #[test]
    fn debug_of_every_type_that_holds_the_secret_is_redacted() {
        let canary = Canary::new();
        let validated = validate_token(&format!(" {CANARY_TOKEN}\n")).unwrap();
        let decoded = decode_entry(&encode_entry(&service_user())).unwrap();
        let shown = [
            format!("{:?}", service_user()),
            format!("{:#?}", service_user()),
            format!("{:?}", api_token()),
            format!("{:?}", SecretString::from(CANARY_TOKEN)),
            format!("{:?}", service_user().authorization()),
            format!("{:?}", service_user().token()),
            format!("{validated:?}"),
            format!("{decoded:?}"),
            format!("{:?}", Some(vec![service_user(), api_token()])),
            format!(
                "{:?}",
                decode_entry(b"{\"v\":1,\"token\":\"canaryQ7mZx2Lp9Wv4Rk8Tn3Bd6Hy1Jc5Fs0Ga\"}")
            ),
        ];
        for text in shown {
            canary.assert_absent(text.as_bytes(), "a Debug output");
            assert!(!text.is_empty());
        }
        // The redaction is visible, so a reader knows something was held back.
        assert!(format!("{:?}", service_user()).contains("REDACTED"));
        assert!(format!("{:?}", service_user()).contains(CANARY_ID));
        // And the value is still there for the code that must send it.
        assert_eq!(decoded.token().expose_secret(), CANARY_TOKEN);
    }

    #[test]
    fn a_panic_message_built_from_a_secret_holder_carries_no_secret() {
        let canary = Canary::new();
        let messages = [
            panic_message(|| {
                black_box(Ok::<Credential, ()>(service_user())).unwrap_err();
            }),
            panic_message(|| {
                black_box(Err::<(), Credential>(api_token())).unwrap();
            }),
            panic_message(|| {
                black_box(Err::<(), SecretString>(SecretString::from(CANARY_TOKEN)))
                    .expect("a secret");
            }),
            panic_message(|| {
                let held = (service_user(), service_user().authorization());
                panic!("while holding {held:?}");
            }),
            panic_message(|| {
                let validated = validate_token(CANARY_TOKEN).unwrap();
                black_box(Err::<(), _>(validated)).unwrap();
            }),
        ];
        for message in messages {
            canary.assert_absent(message.as_bytes(), "a panic message");
            assert!(
                message.contains("REDACTED") || message.contains("Secret"),
                "{message}"
            );
        }
    }

    /// The wizard's whole state, its messages and its effects, holding a typed (and revealed) token.
    #[test]
    fn debug_of_the_wizard_state_messages_and_effects_is_redacted() {
        use hibob_auth::hibob::{ApiUrl, CheckOptions};
        use hibob_auth::settings::Settings;
        use hibob_auth::steps::FlowId;
        use hibob_auth::store::{StoreChoice, Stores};
        use hibob_auth::wizard::{Effect, Msg, Wizard, context};
        use zeroize::Zeroizing;

        let canary = Canary::new();
        let settings = Settings {
            explicit_api_url: None,
            check: CheckOptions::default(),
            profile: "default".to_string(),
            store: StoreChoice::Native,
        };
        let mut wizard = Wizard::new(
            context(
                &settings,
                &ApiUrl::production(),
                &Stores::os_keyring(),
                |_| false,
            ),
            Some(FlowId::ServiceUser),
        );
        wizard.draft.id.insert_str(CANARY_ID);
        wizard.draft.token.insert_str(CANARY_TOKEN);
        wizard.draft.token.toggle_reveal();
        wizard.credential = Some(service_user());
        let shown = [
            format!("{wizard:?}"),
            format!("{:?}", wizard.draft),
            format!("{:?}", Msg::Paste(Zeroizing::new(CANARY_TOKEN.to_string()))),
            format!(
                "{:?}",
                Effect::StartCheck {
                    check: 1,
                    profile: "default".to_string(),
                    credential: service_user(),
                    api_url: hibob_auth::hibob::ApiUrl::parse("https://api.hibob.com").unwrap(),
                }
            ),
            format!(
                "{:?}",
                Effect::Save {
                    profile: "default".to_string(),
                    credential: api_token(),
                    report: None,
                    store: StoreChoice::Native,
                }
            ),
        ];
        for text in shown {
            canary.assert_absent(text.as_bytes(), "a Debug output of the wizard");
        }
        // The ID is not a secret and stays readable.
        assert!(format!("{wizard:?}").contains(CANARY_ID));
    }

    /// The report and its two views, built by a real check against a server that echoes the credential.
    #[test]
    fn the_report_holds_no_secret_even_when_hibob_echoes_it() {
        use hibob_auth::hibob::report::view::{self as report_view, Source};
        use hibob_auth::hibob::{ApiUrl, CheckOptions, HibobClient, run_check};

        let canary = Canary::new();
        let header = Canary::expected().header_value();
        let server = FakeHibob::start(canary_scenario().everywhere(Reply::json(
            400,
            format!(r#"{{"error":"refused {header} and {CANARY_TOKEN}"}}"#),
        )));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let client = HibobClient::new(ApiUrl::parse(&server.url()).unwrap()).unwrap();
        let report = runtime.block_on(run_check(
            &client,
            &service_user(),
            &CheckOptions::default(),
            None,
        ));
        let views = [
            format!("{report:?}"),
            report_view::to_json(&report, "default", Source::Env),
            report_view::to_text_width(&report, "default", Source::Env, "identity", 80),
        ];
        for view in views {
            canary.assert_absent(view.as_bytes(), "the report");
            assert!(view.contains("refused"), "{view}");
        }
    }
}
