//! Every screen and every check outcome as an insta snapshot of ratatui's `TestBackend`, at 80x24 and at a
//! narrow 60x20. Like gitui's `gitui_starts`, each test walks the app: it feeds keys, injects the answers
//! of checks and saves between snapshots, and so goes screen by screen as a user would.

mod wizard_common;

use crossterm::event::KeyCode;
use hibob_auth::hibob::Probe;
use hibob_auth::steps::FlowId;
use hibob_auth::store::{StoreChoice, StoreError};
use hibob_auth::wizard::{Browser, Msg, Saved, Wizard, update};
use wizard_common::*;

/// Snapshot the current screen at both sizes.
fn snap(name: &str, wizard: &mut Wizard) {
    insta::assert_snapshot!(format!("{name}__80x24"), render(wizard, 80, 24));
    insta::assert_snapshot!(format!("{name}__60x20"), render(wizard, 60, 20));
}

/// Press `key`, then snapshot the screen it leads to as `name`.
fn snap_after(wizard: &mut Wizard, key: KeyCode, name: &str) {
    press(wizard, key);
    snap(name, wizard);
}

fn saved() -> Saved {
    Saved {
        profile: "default".to_string(),
        location: "Secret Service (collection \"login\")".to_string(),
        store: StoreChoice::Native,
    }
}

#[test]
fn service_user_flow_screen_by_screen() {
    let mut wizard = wizard();
    snap("01_welcome", &mut wizard);
    snap_after(
        &mut wizard,
        KeyCode::Down,
        "02_welcome_api_token_highlighted",
    );
    press(&mut wizard, KeyCode::Up);

    snap_after(&mut wizard, KeyCode::Enter, "03_login");
    snap_after(&mut wizard, KeyCode::Enter, "04_generate");
    snap_after(&mut wizard, KeyCode::Enter, "05_scopes");

    for index in [0, 2, 3] {
        wizard.checklist_done[index] = true;
    }
    for _ in 0..6 {
        press(&mut wizard, KeyCode::Down);
    }
    snap("06_scopes_ticked_and_scrolled", &mut wizard);
    snap_after(&mut wizard, KeyCode::Enter, "07_scopes_unticked_question");
    snap_after(&mut wizard, KeyCode::Enter, "08_copy");
    snap_after(&mut wizard, KeyCode::Enter, "09_connect_empty");

    type_text(&mut wizard, "bob-integration");
    snap_after(&mut wizard, KeyCode::Tab, "10_connect_unusual_id");
    update(&mut wizard, ctrl('u'));
    press(&mut wizard, KeyCode::BackTab);
    update(&mut wizard, ctrl('u'));
    type_text(&mut wizard, SERVICE_ID);
    press(&mut wizard, KeyCode::Tab);
    paste(&mut wizard, &format!("{TOKEN}\n"));
    snap("11_connect_pasted_masked", &mut wizard);
    update(&mut wizard, ctrl('r'));
    snap("12_connect_revealed", &mut wizard);
    update(&mut wizard, ctrl('r'));

    let check = check_id(&press(&mut wizard, KeyCode::Enter));
    snap("13_checking_waiting", &mut wizard);
    for probe in [Probe::Fields, Probe::WhosOut] {
        let result = probe_result(Outcome::Ok, probe);
        update(&mut wizard, Msg::ProbeFinished { check, result });
    }
    update(&mut wizard, Msg::Tick);
    snap("14_checking_two_answered", &mut wizard);
    finish_check(&mut wizard, check, Outcome::Ok);
    snap("15_result_ok", &mut wizard);

    snap_after(&mut wizard, KeyCode::Enter, "16_saving");
    update(&mut wizard, Msg::SaveFinished(Ok(saved())));
    snap("17_done", &mut wizard);
}

#[test]
fn check_outcomes_limited_partial_blocked_rejected_unverifiable() {
    let mut wizard = result_of(None, Outcome::Limited);
    snap("20_result_limited", &mut wizard);
    snap_after(
        &mut wizard,
        KeyCode::Char('q'),
        "21_quit_question_with_unsaved_work",
    );
    press(&mut wizard, KeyCode::Esc);

    press(&mut wizard, KeyCode::Esc);
    let check = check_id(&press(&mut wizard, KeyCode::Enter));
    finish_check(&mut wizard, check, Outcome::Unverifiable);
    snap("22_result_unverifiable", &mut wizard);
    press(&mut wizard, KeyCode::Down);
    snap_after(&mut wizard, KeyCode::Enter, "23_save_unverified_question");
    press(&mut wizard, KeyCode::Esc);

    // Rejected, with "Save was clicked" left unticked: the troubleshooting says so first.
    let mut wizard = wizard_common::wizard();
    walk_to_connect(&mut wizard);
    let last = wizard.checklist_done.len() - 1;
    wizard.checklist_done[last] = false;
    let check = check_id(&connect(&mut wizard));
    finish_check(&mut wizard, check, Outcome::Rejected);
    snap("24_result_rejected_service_user", &mut wizard);

    // Authenticated but not all set: a permission group with Basic info only, and a blocked address.
    for (name, outcome) in [
        ("25_result_partial", Outcome::Partial),
        ("26_result_blocked", Outcome::Blocked),
    ] {
        snap(name, &mut result_of(None, outcome));
    }
}

#[test]
fn store_failure_screens() {
    let mut wizard = result_of(None, Outcome::Ok);
    press(&mut wizard, KeyCode::Enter);
    update(
        &mut wizard,
        Msg::SaveFinished(Err(StoreError::NoSecretService {
            detail: "org.freedesktop.secrets was not provided by any .service files".into(),
        })),
    );
    snap("30_save_failed", &mut wizard);
    press(&mut wizard, KeyCode::Down);
    press(&mut wizard, KeyCode::Down);
    snap_after(&mut wizard, KeyCode::Enter, "31_save_failed_revealed");
}

#[test]
fn api_token_flow_and_the_switch_to_service_user() {
    let mut wizard = Wizard::new(context(Browser::Available), Some(FlowId::ApiToken));
    snap("40_welcome_flow_given", &mut wizard);
    snap_after(&mut wizard, KeyCode::Enter, "41_api_token_login");
    press(&mut wizard, KeyCode::Enter);
    snap_after(&mut wizard, KeyCode::Enter, "42_api_token_scopes");
    press(&mut wizard, KeyCode::Enter);
    press(&mut wizard, KeyCode::Enter);
    snap_after(&mut wizard, KeyCode::Enter, "43_api_token_connect");
    type_text(&mut wizard, TOKEN);
    let check = check_id(&press(&mut wizard, KeyCode::Enter));
    finish_check(&mut wizard, check, Outcome::Rejected);
    snap("44_result_rejected_api_token", &mut wizard);
    snap_after(
        &mut wizard,
        KeyCode::Char('s'),
        "45_switched_to_service_user",
    );
}

#[test]
fn overlays_and_terminal_manners() {
    let mut wizard = Wizard::new(
        context(Browser::Unavailable("this is an SSH session".into())),
        None,
    );
    snap_after(&mut wizard, KeyCode::Enter, "50_login_over_ssh");
    snap_after(&mut wizard, KeyCode::Char('c'), "51_login_url_copied");
    snap_after(&mut wizard, KeyCode::Char('?'), "52_help");
    press(&mut wizard, KeyCode::Esc);

    insta::assert_snapshot!("53_too_small__40x10", render(&mut wizard, 40, 10));
    // Growing the window again brings the step back.
    let screen = render(&mut wizard, 80, 24);
    assert!(screen.contains("Step 1 of 5"), "{screen}");
}

/// The README shows the wizard as text: these files must be what the wizard really draws. After a change
/// to a screen, regenerate them with `HIBOB_AUTH_UPDATE_SCREENSHOTS=1 cargo test --test wizard_screens`.
#[test]
fn readme_screenshots_match_the_wizard() {
    let mut wizard = filled_connect();
    let connect = screenshot(&mut wizard);
    let check = check_id(&press(&mut wizard, KeyCode::Enter));
    finish_check(&mut wizard, check, Outcome::Ok);
    let result = screenshot(&mut wizard);

    for (file, screen) in [
        ("assets/screenshots/wizard-connect.txt", connect),
        ("assets/screenshots/wizard-result-ok.txt", result),
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        if std::env::var_os("HIBOB_AUTH_UPDATE_SCREENSHOTS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &screen).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            committed, screen,
            "{file} is out of date; regenerate it with HIBOB_AUTH_UPDATE_SCREENSHOTS=1"
        );
    }
}

/// The 80x24 screen as plain lines, without the quoting of the snapshot format or trailing blanks.
fn screenshot(wizard: &mut Wizard) -> String {
    render(wizard, 80, 24)
        .lines()
        .map(|line| {
            line.strip_prefix('"')
                .and_then(|line| line.strip_suffix('"'))
                .unwrap_or(line)
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}
