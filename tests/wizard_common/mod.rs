//! Shared by the wizard's flow and screen tests: a fixed context, key helpers, reports for every verdict,
//! and rendering to ratatui's `TestBackend`.

#![allow(dead_code)]

use std::time::{Duration, UNIX_EPOCH};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hibob_auth::credential::CredentialKind;
use hibob_auth::hibob::survey::survey;
use hibob_auth::hibob::{Answer, ApiUrl, Probe, ProbeResult, Report, TransportFailure};
use hibob_auth::steps::FlowId;
use hibob_auth::store::{ProfileRecord, StoreChoice};
use hibob_auth::wizard::{Browser, Context, Effect, Msg, Theme, Wizard, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use zeroize::Zeroizing;

pub const API: &str = "https://api.hibob.com";
pub const SERVICE_ID: &str = "SERVICE-4711";
/// Long enough that a hint of its last four characters is shown in masked form.
pub const TOKEN: &str = "tok-aaaabbbbccccdddd-9z9z";

pub fn context(browser: Browser) -> Context {
    Context {
        profile: "default".to_string(),
        store: StoreChoice::Native,
        api_url: ApiUrl::parse(API).unwrap(),
        browser,
        alternative_store: Some(StoreChoice::Keyutils),
        team_store: None,
        new_profile_api_url: ApiUrl::parse(API).unwrap(),
    }
}

/// A stored service user's record against `api_url`, stored on 2026-01-01 and never checked.
pub fn stored_record(api_url: &str) -> ProfileRecord {
    ProfileRecord {
        kind: CredentialKind::ServiceUser,
        service_user_id: Some(SERVICE_ID.to_string()),
        api_url: api_url.to_string(),
        store: StoreChoice::Native,
        token_hint: Some("…9z9z".to_string()),
        stored_at: "2026-01-01T00:00:00Z".to_string(),
        rotated_at: None,
        last_check: None,
    }
}

pub fn wizard() -> Wizard {
    Wizard::new(context(Browser::Available), None)
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn press(wizard: &mut Wizard, code: KeyCode) -> Option<Effect> {
    update(wizard, key(code))
}

pub fn type_text(wizard: &mut Wizard, text: &str) {
    for c in text.chars() {
        assert!(update(wizard, key(KeyCode::Char(c))).is_none());
    }
}

pub fn paste(wizard: &mut Wizard, text: &str) -> Option<Effect> {
    update(wizard, Msg::Paste(Zeroizing::new(text.to_string())))
}

/// From Welcome to the Connect step, every checklist item ticked.
pub fn walk_to_connect(wizard: &mut Wizard) {
    press(wizard, KeyCode::Enter); // Welcome -> Login
    press(wizard, KeyCode::Enter); // Login -> Generate
    press(wizard, KeyCode::Enter); // Generate -> Scopes
    let items = wizard.checklist_done.len();
    for _ in 0..items {
        press(wizard, KeyCode::Char(' '));
        press(wizard, KeyCode::Down);
    }
    press(wizard, KeyCode::Enter); // Scopes -> Copy
    press(wizard, KeyCode::Enter); // Copy -> Connect
}

/// A new wizard at the Connect step, filled in as a person would: the service user ID typed, Tab, the
/// token pasted. Enter is not pressed.
pub fn filled_connect() -> Wizard {
    let mut wizard = wizard();
    walk_to_connect(&mut wizard);
    type_text(&mut wizard, SERVICE_ID);
    press(&mut wizard, KeyCode::Tab);
    paste(&mut wizard, TOKEN);
    wizard
}

/// Fill in the Connect step and press Enter; returns the effect (the check's start).
pub fn connect(wizard: &mut Wizard) -> Option<Effect> {
    if wizard.kind() == CredentialKind::ServiceUser {
        type_text(wizard, SERVICE_ID);
        press(wizard, KeyCode::Tab);
    }
    type_text(wizard, TOKEN);
    press(wizard, KeyCode::Enter)
}

/// The id of the check an effect started.
pub fn check_id(effect: &Option<Effect>) -> u64 {
    match effect {
        Some(Effect::StartCheck { check, .. }) => *check,
        other => panic!("expected StartCheck, got {other:?}"),
    }
}

/// An answer as the client keeps it: a successful body read by the survey, any other as text.
fn answer(probe: Probe, status: u16, body: &str) -> Result<Answer, TransportFailure> {
    Ok(if (200..300).contains(&status) {
        Answer::seen(status, survey(probe, body.as_bytes()))
    } else {
        Answer::text(status, body)
    })
}

/// The field metadata's entries for the fields a check asks for, each in its default category.
const FIELDS: &str = r#"[{"id":"root.id","categoryId":"root"},{"id":"root.creationDateTime","categoryId":"root"},{"id":"root.companyId","categoryId":"root"},{"id":"about.avatar","categoryId":"about"},{"id":"about.hobbies","categoryId":"about"},{"id":"payroll.employment.type","categoryId":"employment"},{"id":"payroll.employment.contract","categoryId":"employment"},{"id":"work.title","categoryId":"work"},{"id":"work.department","categoryId":"work"},{"id":"work.site","categoryId":"work"},{"id":"payroll.salary.payFrequency","categoryId":"payroll"}]"#;
/// Two employees with every category asked for.
const PEOPLE_OK: &str = r#"{"employees":[{"/root/id":{"value":"1"},"/about/avatar":{"value":null},"/payroll/employment/type":{"value":"Permanent"},"/work/title":{"value":"101"},"/payroll/salary/payFrequency":{"value":"Monthly"}},{"/root/id":{"value":"2"}}]}"#;
/// What a permission group with Basic info only shows.
const PEOPLE_BASIC_ONLY: &str =
    r#"{"employees":[{"/root/id":{"value":"1"}},{"/root/id":{"value":"2"}}]}"#;

/// What each probe answers in one of the check outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// "Access data for" selects nobody: every list is empty.
    Limited,
    /// Basic info only: Full employee read partial, payroll missing, who's out empty (unproven).
    Partial,
    /// Everything granted but who's out, which is empty a year either way: time off unproven.
    Unproven,
    /// The Time off module is not active (404 on who's out), the rest granted: time off unavailable.
    Unavailable,
    /// An HTML 403 page on every request.
    Blocked,
    Rejected,
    Unverifiable,
}

pub fn probe_result(outcome: Outcome, probe: Probe) -> ProbeResult {
    let result = match (outcome, probe) {
        (Outcome::Rejected, _) => answer(probe, 401, r#"{"error":"Unauthorized"}"#),
        (Outcome::Unverifiable, _) => Err(TransportFailure::Timeout(15)),
        (Outcome::Blocked, _) => answer(
            probe,
            403,
            "<!DOCTYPE html><html><body>Access denied</body></html>",
        ),
        (_, Probe::Fields) => answer(probe, 200, FIELDS),
        (Outcome::Limited, Probe::People) => answer(probe, 200, r#"{"employees":[]}"#),
        (Outcome::Partial, Probe::People) => answer(probe, 200, PEOPLE_BASIC_ONLY),
        (_, Probe::People) => answer(probe, 200, PEOPLE_OK),
        (Outcome::Unavailable, Probe::WhosOut) => answer(probe, 404, r#"{"error":"Not Found"}"#),
        (Outcome::Ok, Probe::WhosOut) => answer(
            probe,
            200,
            r#"{"outs":[{"employeeId":"1","startDate":"2024-01-08"}]}"#,
        ),
        (_, Probe::WhosOut) => answer(probe, 200, r#"{"outs":[]}"#),
    };
    ProbeResult {
        probe,
        outcome: result,
        attempts: 1,
    }
}

pub fn report(kind: CredentialKind, outcome: Outcome) -> Report {
    let results: Vec<ProbeResult> = Probe::ALL
        .into_iter()
        .map(|probe| probe_result(outcome, probe))
        .collect();
    Report::from_results(
        kind,
        ApiUrl::parse(API).unwrap(),
        &results,
        UNIX_EPOCH,
        Duration::ZERO,
    )
}

/// Feed a whole check's answers, probe by probe, then its report.
pub fn finish_check(wizard: &mut Wizard, check: u64, outcome: Outcome) {
    for probe in Probe::ALL {
        let result = probe_result(outcome, probe);
        assert!(update(wizard, Msg::ProbeFinished { check, result }).is_none());
    }
    let report = report(wizard.kind(), outcome);
    assert!(update(wizard, Msg::CheckFinished { check, report }).is_none());
}

/// A wizard on the Result screen of a check that came out as `outcome`: the flow walked (every checklist
/// item ticked), the credential entered, the check's answers fed in. `flow`: `None` chooses the default.
pub fn result_of(flow: Option<FlowId>, outcome: Outcome) -> Wizard {
    let mut wizard = Wizard::new(context(Browser::Available), flow);
    walk_to_connect(&mut wizard);
    let check = check_id(&connect(&mut wizard));
    finish_check(&mut wizard, check, outcome);
    wizard
}

/// Everything the screen says at a size where nothing scrolls away, as one line of words: box borders
/// dropped and wrapped lines joined, so a sentence can be looked for whatever the wrapping.
pub fn screen_words(wizard: &mut Wizard) -> String {
    render(wizard, 100, 80)
        .replace(['│', '┌', '┐', '└', '┘', '─', '"'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The screen as text, drawn at `width` x `height` (the wizard is told the size first, as the event loop does).
pub fn render(wizard: &mut Wizard, width: u16, height: u16) -> String {
    update(wizard, Msg::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| view::render(frame, wizard, &Theme::plain()))
        .unwrap();
    terminal.backend().to_string()
}
