//! End to end: the REAL binary in a pseudo-terminal (portable-pty), its screen read back with a terminal
//! emulator (vt100), keystrokes typed as a person would, checks sent to the fake HiBob on 127.0.0.1.
//!
//! The walks store into a REAL Secret Service: each runs the wizard inside its own `dbus-run-session` with a
//! freshly unlocked GNOME Keyring in a temporary data directory, then asks `secret-tool` (not our code)
//! whether the entry is there. Nothing touches the user's own keyring or profiles.
//!
//! The terminal-restore tests quit with `q`, Ctrl-C and SIGTERM and check, from the emulator and the pty's
//! own settings, that the alternate screen was left, the cursor is visible, bracketed paste is off and the
//! terminal is back in cooked mode with echo.
#![cfg(target_os = "linux")]

mod support;

use std::process::{Command, Stdio};

use hibob_auth::credential::CredentialKind;
use hibob_auth::store::StoreChoice;
use hibob_auth::store::{ProfileDir, ProfileRecord};
use support::fake_hibob::{
    FakeHibob, Scenario, TEST_API_TOKEN, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN,
};
use support::home::TestHome;
use support::keyring_gate::tools;
use support::private_keyring::TOOLS;
use support::pty::{
    BIN, COLS, CTRL_C, DOWN, ENTER, Pty, ROWS, TAB, tick_everything, walk_service_user_to_connect,
};

/// From the flow choice to a running check of the fake's service user, every checklist item ticked.
fn connect_as_the_test_service_user(pty: &mut Pty) {
    walk_service_user_to_connect(pty);
    pty.send(TEST_SERVICE_USER_ID);
    pty.send(TAB);
    pty.send(TEST_SERVICE_USER_TOKEN);
    pty.send(ENTER);
}

/// The wizard (no keyring) on the Result of an `ok` check against a fake HiBob, nothing stored yet.
fn on_an_ok_result() -> (FakeHibob, Pty) {
    let server = FakeHibob::start(Scenario::ok());
    let mut pty = Pty::wizard(&["--api-url", &server.url()]);
    connect_as_the_test_service_user(&mut pty);
    pty.wait_for("Congratulations, you're all set!");
    (server, pty)
}

// ---- terminal manners -------------------------------------------------------------------------------

#[test]
fn q_quits_and_restores_the_terminal() {
    let mut pty = Pty::wizard(&[]);
    pty.wait_for("Choose how to connect");
    assert!(pty.modes(|screen| screen.alternate_screen()));
    assert!(pty.modes(|screen| screen.bracketed_paste()));
    pty.send("q");
    assert_eq!(pty.wait_exit_restored(), 0);
    pty.wait_for("Nothing was stored");
    // Every frame is one synchronized update, begun and ended (what whole_frame relies on).
    let raw = String::from_utf8_lossy(&pty.raw_output()).into_owned();
    let begun = raw.matches("\x1b[?2026h").count();
    assert!(begun >= 1, "no synchronized update");
    assert_eq!(
        begun,
        raw.matches("\x1b[?2026l").count() - 1,
        "each frame ended (and once more on exit)"
    );
}

/// From a flow's first step (`--flow` given) to Connect without ticking anything on Scopes: the wizard
/// lists what that breaks, then lets us go on.
fn walk_to_connect_ticking_nothing(pty: &mut Pty) {
    for step in 1..=3 {
        pty.send(ENTER);
        pty.wait_for(&format!("Step {step} of 5"));
    }
    pty.send(ENTER);
    pty.wait_for("Some items are not ticked");
    pty.send(ENTER);
    pty.wait_for("Step 4 of 5");
    pty.send(ENTER);
    pty.wait_for("Step 5 of 5");
}

#[test]
fn ctrl_c_quits_from_a_text_field_and_restores_the_terminal() {
    let mut pty = Pty::wizard(&["--flow", "service-user"]);
    pty.wait_for("Flow: Service user");
    walk_to_connect_ticking_nothing(&mut pty);
    // Typed into the ID field: q is a letter here, Ctrl-C still quits.
    pty.send("q");
    pty.wait_for("[q");
    pty.send(CTRL_C);
    assert_eq!(pty.wait_exit_restored(), 0);
}

#[test]
fn sigterm_quits_at_once_and_restores_the_terminal() {
    // Verified and unsaved: q would ask first, SIGTERM does not wait for anyone.
    let (_server, mut pty) = on_an_ok_result();
    // SAFETY: sending a signal to the child this test started.
    assert_eq!(unsafe { libc::kill(pty.pid(), libc::SIGTERM) }, 0);
    let code = pty.wait_exit_restored();
    // Nothing stored, and the summary says so: the verdict's exit code (ok = 0).
    assert_eq!(code, 0);
    pty.wait_for("Nothing was stored");
}

/// Set in the copy of this test binary that a test starts in a pty to panic there.
const PANIC_CHILD_ENV: &str = "HIBOB_AUTH_PTY_PANIC_CHILD";

#[test]
fn a_panic_restores_the_terminal_before_its_message_prints() {
    if std::env::var_os(PANIC_CHILD_ENV).is_some() {
        // The child: take the terminal over exactly as the wizard does, draw, and panic.
        let mut guard = hibob_auth::wizard::terminal::enter().expect("take the terminal over");
        guard
            .terminal()
            .draw(|frame| {
                frame.render_widget(ratatui::widgets::Paragraph::new("drawing"), frame.area())
            })
            .unwrap();
        panic!("deliberate panic while the wizard owns the terminal");
    }
    let this_test = "a_panic_restores_the_terminal_before_its_message_prints";
    let exe = std::env::current_exe().unwrap();
    let mut pty = Pty::spawn_with(
        exe.to_str().unwrap(),
        &["--exact", this_test, "--nocapture", "--test-threads=1"],
        &[(PANIC_CHILD_ENV, "1")],
        TestHome::new(),
    );
    let code = pty.wait_exit();
    assert_ne!(code, 0);
    pty.assert_restored();
    // The message is on the main screen, after the terminal was given back (stderr was silenced before).
    pty.wait_for("deliberate panic while the wizard owns the terminal");
}

#[test]
fn a_too_small_window_asks_to_be_enlarged_and_redraws_when_resized() {
    let mut pty = Pty::wizard(&[]);
    pty.wait_for("Choose how to connect");
    pty.resize(10, 40);
    pty.wait_for("Enlarge the window");
    pty.resize(ROWS, COLS);
    pty.wait_for("Choose how to connect");
    pty.send("q");
    assert_eq!(pty.wait_exit_restored(), 0);
}

/// The wizard checks against the API the profile remembers, as `login` does: re-running it on a sandbox
/// profile must not move the profile to production. The remembered API here is the fake HiBob (standing
/// in for the sandbox, which a test cannot reach); no `--api-url` or `--sandbox` is given.
#[test]
fn the_wizard_checks_against_the_api_the_profile_remembers() {
    let server = FakeHibob::start(Scenario::ok());
    let home = TestHome::new();
    let remembered = ProfileRecord {
        kind: CredentialKind::ServiceUser,
        service_user_id: Some(TEST_SERVICE_USER_ID.to_string()),
        api_url: server.url(),
        store: StoreChoice::Native,
        token_hint: None,
        stored_at: "2026-01-01T00:00:00Z".to_string(),
        rotated_at: None,
        last_check: None,
    };
    ProfileDir::at(home.dir("config").join("hibob-auth/profiles"))
        .write("sandbox", &remembered)
        .unwrap();
    let mut pty = Pty::spawn(BIN, &["--profile", "sandbox", "--timeout", "10"], home);
    // The profile is recorded, so the wizard opens on the front door; `n` goes on to set it up again
    // (the name asked for is --profile's, accepted with Enter).
    pty.wait_for("Stored credentials");
    pty.send("n");
    pty.wait_for("Which profile");
    pty.send(ENTER);
    connect_as_the_test_service_user(&mut pty);
    let screen = pty.wait_for("Congratulations, you're all set!");
    assert!(screen.contains("checked against"), "{screen}");
    assert!(screen.contains(&server.url()), "{screen}");
    assert!(
        server
            .requests()
            .iter()
            .all(|request| request.authorization_matches),
        "every probe went to the remembered API with the credential"
    );
    assert!(!server.requests().is_empty());
    // Verified but not stored: quitting asks first.
    pty.send("q");
    pty.wait_for("Quit anyway?");
    pty.send("y");
    assert_eq!(pty.wait_exit_restored(), 0);
}

#[test]
fn without_a_terminal_it_refuses_and_points_to_login_and_guide() {
    let output = Command::new(BIN)
        .stdin(Stdio::null())
        .env_remove("HIBOB_API_URL")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("login"), "{stderr}");
    assert!(stderr.contains("--token-stdin"), "{stderr}");
    assert!(stderr.contains("hibob-auth guide"), "{stderr}");
    assert!(output.stdout.is_empty());
}

// ---- the flows against the fake HiBob, storing into a real Secret Service -----------------------------

/// A script that runs the wizard inside a fresh D-Bus session with an unlocked GNOME Keyring, then says
/// whether the profile's Secret Service entry holds `token`. The keyring's files live in the test's own
/// XDG_DATA_HOME; the password only protects that throwaway keyring.
fn in_private_keyring(args: &[&str], profile: &str, token: &str) -> Vec<String> {
    let script = format!(
        r#"echo -n throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
"$0" "$@"
code=$?
case "$(secret-tool lookup service hibob-auth username {profile})" in
  *{token}*) echo "keyring: entry stored" ;;
  *) echo "keyring: nothing stored" ;;
esac
echo "wizard exit: $code""#
    );
    let mut argv = vec![
        "--".to_string(),
        "sh".to_string(),
        "-c".to_string(),
        script,
        BIN.to_string(),
    ];
    argv.extend(args.iter().map(|arg| arg.to_string()));
    argv
}

/// The wizard inside a private Secret Service, or `None` (after saying so) when the tools are missing on a
/// developer machine. Under CI (`HIBOB_AUTH_REQUIRE_KEYRING=1`) missing tools are a failure, never a skip.
fn spawn_in_private_keyring(args: &[&str], profile: &str, token: &str) -> Option<Pty> {
    if !tools("a storing walk of the wizard", &TOOLS) {
        return None;
    }
    let argv = in_private_keyring(args, profile, token);
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    Some(Pty::spawn("dbus-run-session", &argv, TestHome::new()))
}

/// A fake HiBob answering as `scenario`, and the wizard checking against it (`--api-url`, `--profile
/// profile`, then `args`) inside a private Secret Service that is asked for `token` at the end; `None` as
/// [`spawn_in_private_keyring`].
fn storing_walk(
    scenario: Scenario,
    args: &[&str],
    profile: &str,
    token: &str,
) -> Option<(FakeHibob, Pty)> {
    let server = FakeHibob::start(scenario);
    let url = server.url();
    let mut all = vec!["--api-url", &url, "--profile", profile];
    all.extend_from_slice(args);
    let pty = spawn_in_private_keyring(&all, profile, token)?;
    Some((server, pty))
}

#[test]
fn api_token_is_rejected_then_the_service_user_flow_stores_the_credential() {
    let Some((server, mut pty)) = storing_walk(
        Scenario::ok(),
        &["--timeout", "10"],
        "default",
        TEST_SERVICE_USER_TOKEN,
    ) else {
        return;
    };

    // The retired flow first: choose it, walk it, connect with an API token.
    pty.wait_for("Choose how to connect");
    pty.send(DOWN);
    pty.wait_for("HiBob stopped accepting API access tokens on 2025-05-06");
    pty.send(ENTER);
    pty.wait_for("Step 1 of 5");
    pty.send(ENTER);
    pty.wait_for("Step 2 of 5");
    pty.send(ENTER);
    pty.wait_for("Enable the approved scopes and save");
    tick_everything(&mut pty, 7);
    pty.send(ENTER);
    pty.wait_for("Step 4 of 5");
    pty.send(ENTER);
    pty.wait_for("Step 5 of 5");
    pty.paste(TEST_API_TOKEN);
    let screen = pty.wait_for("the format is right");
    assert!(
        !screen.contains(TEST_API_TOKEN),
        "the token is masked:\n{screen}"
    );
    pty.send(ENTER);
    let screen =
        pty.wait_for("Could not connect account. Please check your credentials and try again");
    assert!(screen.contains("2025-05-06"), "{screen}");
    assert!(
        screen.contains("Switch to the service-user flow"),
        "{screen}"
    );

    // One key to the current flow.
    pty.send("s");
    pty.wait_for("Switched to the service-user flow");
    pty.send(ENTER);
    pty.wait_for("Step 2 of 5");
    pty.send(ENTER);
    pty.wait_for("Step 3 of 5");
    tick_everything(&mut pty, 8);
    pty.send(ENTER);
    pty.wait_for("Step 4 of 5");
    pty.send(ENTER);
    pty.wait_for("Step 5 of 5");
    pty.send(TEST_SERVICE_USER_ID);
    pty.send(TAB);
    // Pasted with the newline a copy often carries: trimmed, and the wizard says so.
    pty.paste(&format!("{TEST_SERVICE_USER_TOKEN}\n"));
    pty.wait_for("Removed whitespace around the pasted token");
    pty.send(ENTER);
    let screen = pty.wait_for("Congratulations, you're all set!");
    assert!(screen.contains("Payroll Info read"), "{screen}");
    assert!(!screen.contains(TEST_SERVICE_USER_TOKEN), "{screen}");
    pty.send(ENTER);
    let screen = pty.wait_for("Stored. You can use the credential now.");
    assert!(screen.contains("Secret Service"), "{screen}");
    assert!(screen.contains("hibob-auth token --header"), "{screen}");
    pty.send(ENTER);

    pty.wait_for("wizard exit: 0");
    let screen = pty.wait_for("keyring: ");
    assert!(screen.contains("keyring: entry stored"), "{screen}");
    assert!(
        screen.contains("Stored the service user credential"),
        "{screen}"
    );
    assert_eq!(pty.wait_exit_restored(), 0);
    // The API token was sent once per probe and never retried after its 401.
    let api_token_requests = server
        .requests()
        .iter()
        .filter(|request| !request.authorization_matches)
        .count();
    assert_eq!(api_token_requests, 3);
}

#[test]
fn a_wrong_service_user_token_shows_the_documented_error_and_stores_nothing() {
    let Some((_server, mut pty)) =
        storing_walk(Scenario::ok(), &[], "wrong", "wrong-token-0000111122223333")
    else {
        return;
    };
    walk_service_user_to_connect(&mut pty);
    pty.send(TEST_SERVICE_USER_ID);
    pty.send(TAB);
    pty.send("wrong-token-0000111122223333");
    pty.send(ENTER);
    let screen =
        pty.wait_for("Could not connect account. Please check your credentials and try again");
    assert!(screen.contains("Paste the correct API key"), "{screen}");
    assert!(screen.contains("Back to Connect"), "{screen}");
    // Nothing verified, so q leaves at once.
    pty.send("q");
    let screen = pty.wait_for("wizard exit: 1");
    assert!(screen.contains("keyring: nothing stored"), "{screen}");
    assert!(screen.contains("Nothing was stored"), "{screen}");
    pty.wait_exit_restored();
}

#[test]
fn api_token_flow_stores_a_limited_credential_anyway() {
    // A HiBob from before 2025-05-06 that still accepts the API token, without payroll access: HiBob
    // leaves the payroll fields out of people search.
    let Some((_server, mut pty)) = storing_walk(
        Scenario::ok_for_api_token().hide_categories(&["payroll"]),
        &["--flow", "api-token"],
        "legacy",
        TEST_API_TOKEN,
    ) else {
        return;
    };
    pty.wait_for("Flow: API access token");
    walk_to_connect_ticking_nothing(&mut pty);
    pty.send(TEST_API_TOKEN);
    pty.send(ENTER);
    let screen = pty.wait_for("but it is limited");
    assert!(screen.contains("Payroll Info read"), "{screen}");
    // Verified but unsaved: q asks first; Esc stays.
    pty.send("q");
    pty.wait_for("Quit anyway?");
    // (Waiting for the question to go: an Esc and an Enter sent together would read as Alt+Enter.)
    pty.send("\x1b");
    pty.wait_gone("Quit anyway?");
    pty.send(ENTER);
    pty.wait_for("Stored. You can use the credential now.");
    pty.send(ENTER);
    let screen = pty.wait_for("wizard exit: 0");
    assert!(screen.contains("keyring: entry stored"), "{screen}");
    pty.wait_exit_restored();
}

#[test]
fn a_partial_credential_is_checked_again_after_the_fix_in_hibob_without_retyping_it() {
    // The service user's permission group enables Basic info only: people search leaves out every other
    // category (and so payroll), and who's out comes back empty.
    let Some((server, mut pty)) = storing_walk(
        Scenario::ok().only_categories(&["root"]),
        &[],
        "fixed",
        TEST_SERVICE_USER_TOKEN,
    ) else {
        return;
    };
    connect_as_the_test_service_user(&mut pty);
    let screen = pty.wait_for("but it is limited");
    assert!(screen.contains("Partial: Full employee read"), "{screen}");
    assert!(!screen.contains("Congratulations"), "{screen}");
    let first_check = server.requests().len();
    assert_eq!(first_check, 3, "one request per probe");

    // Meanwhile a HiBob admin enables the missing categories in the group and saves.
    server.change(Scenario::ok());
    pty.send("r");
    let screen = pty.wait_for("Congratulations, you're all set!");
    assert!(screen.contains("✓ Full employee read"), "{screen}");
    assert!(!screen.contains(TEST_SERVICE_USER_TOKEN), "{screen}");
    // The second check sent the same credential, from memory: nothing was typed again.
    let requests = server.requests();
    assert_eq!(requests.len(), 2 * first_check);
    assert!(
        requests.iter().all(|request| request.authorization_matches),
        "every request of both checks carried the credential"
    );
    pty.send(ENTER);
    pty.wait_for("Stored. You can use the credential now.");
    pty.send(ENTER);
    let screen = pty.wait_for("wizard exit: 0");
    assert!(screen.contains("keyring: entry stored"), "{screen}");
    assert_eq!(pty.wait_exit_restored(), 0);
}

/// The OSC 52 sequences the wizard wrote so far, each decoded: what it asked the terminal to put on the
/// clipboard.
fn clipboard_writes(pty: &Pty) -> Vec<String> {
    use base64::Engine as _;
    let raw = String::from_utf8_lossy(&pty.raw_output()).into_owned();
    raw.split("\x1b]52;c;")
        .skip(1)
        .map(|rest| {
            let encoded = rest.split('\x07').next().unwrap_or_default();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .expect("OSC 52 carries base64");
            String::from_utf8(bytes).expect("UTF-8 on the clipboard")
        })
        .collect()
}

#[test]
fn the_hand_over_sends_the_id_then_only_on_a_second_key_the_token_by_osc_52() {
    let (_server, mut pty) = on_an_ok_result();
    assert!(
        clipboard_writes(&pty).is_empty(),
        "nothing copied by itself"
    );

    pty.send("c");
    let screen = pty.wait_for("Sent the ID by OSC 52");
    assert_eq!(clipboard_writes(&pty), vec![TEST_SERVICE_USER_ID]);
    // No answer comes from the terminal: the notice says it may have refused, and where the fallback is.
    for said in [
        "some terminals refuse it",
        "Show the credential to copy it by hand",
    ] {
        assert!(screen.contains(said), "{said}:\n{screen}");
    }

    pty.send("c");
    pty.wait_for("Sent the token by OSC 52");
    assert_eq!(
        clipboard_writes(&pty),
        vec![TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN]
    );
    // Only ever base64 inside OSC 52: the token was never drawn in clear.
    let raw = String::from_utf8_lossy(&pty.raw_output()).into_owned();
    assert!(!raw.contains(TEST_SERVICE_USER_TOKEN));

    pty.send("q");
    pty.wait_for("Quit anyway?");
    pty.send("y");
    assert_eq!(pty.wait_exit_restored(), 0);
}
