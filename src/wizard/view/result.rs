//! The check's result (one layout per verdict) and the screen shown when storing failed.

use ratatui::text::Line;

use crate::credential::CredentialKind;
use crate::hibob::{Report, Verdict};
use crate::secret::ExposeSecret;
use crate::steps::{Troubleshooting, guide};
use crate::wizard::state::{Errand, Handover, MenuItem, SaveState, Wizard};
use crate::wizard::texts::{fill, scope_checklist, texts};
use crate::wizard::theme::Theme;
use crate::wizard::view::checking::report_table;
use crate::wizard::view::{Body, store_label, text};

pub fn body(wizard: &Wizard, theme: &Theme, width: usize) -> Body {
    let Some(report) = &wizard.report else {
        return Body::new(&texts().title.result);
    };
    let title = fill(
        &texts().title.result_with_verdict,
        &[("verdict", report.verdict.label())],
    );
    let texts = &texts().result;
    let mut body = Body::new(title);
    let heading = |title: &str, mark: &str, style| text::marked(mark, title, width, style);
    match report.verdict {
        Verdict::Ok => {
            // Only here: the congratulations are for a credential that is fully proven.
            body.lines.extend(heading(&texts.ok_title, "✓ ", theme.ok));
            push_identity(wizard, report, theme, width, &mut body);
            body.lines.push(Line::default());
            body.lines.extend(report_table(report, theme, width));
            body.lines.push(Line::default());
            body.lines
                .extend(text::wrap(&report.summary, width, theme.text));
        }
        Verdict::Rejected => rejected(wizard, report, theme, width, &mut body),
        Verdict::Limited => {
            body.lines
                .extend(heading(&texts.limited_title, "! ", theme.warning));
            explain(wizard, report, &texts.limited_note, theme, width, &mut body);
        }
        Verdict::Blocked => {
            body.lines
                .extend(heading(&texts.blocked_title, "✗ ", theme.error));
            explain(wizard, report, &texts.blocked_note, theme, width, &mut body);
        }
        Verdict::Unverifiable => {
            body.lines
                .extend(heading(&texts.unverifiable_title, "? ", theme.warning));
            explain(
                wizard,
                report,
                &texts.unverifiable_note,
                theme,
                width,
                &mut body,
            );
        }
    }
    push_revealed(wizard, theme, width, &mut body);
    push_menu(wizard, theme, width, &mut body);
    body
}

/// Below the heading of a verdict that is not ok: what happened and how to fix it first (the summary), what
/// to do next in the wizard (`note`), then the table with each scope's detail.
fn explain(
    wizard: &Wizard,
    report: &Report,
    note: &str,
    theme: &Theme,
    width: usize,
    body: &mut Body,
) {
    push_identity(wizard, report, theme, width, body);
    body.lines.push(Line::default());
    body.lines
        .extend(text::wrap(&report.summary, width, theme.text));
    body.lines.extend(text::wrap(note, width, theme.dim));
    body.lines.push(Line::default());
    body.lines.extend(report_table(report, theme, width));
}

/// Rejected: the documented message, then the troubleshooting that fits what happened.
fn rejected(wizard: &Wizard, report: &Report, theme: &Theme, width: usize, body: &mut Body) {
    let documented = documented_troubleshooting();
    body.lines
        .extend(text::marked("✗ ", &documented.error, width, theme.error));
    push_identity(wizard, report, theme, width, body);
    body.lines.push(Line::default());
    body.lines
        .extend(text::wrap(&report.summary, width, theme.text));
    body.lines.push(Line::default());
    body.lines
        .push(Line::styled(texts().menu.what_to_try.as_str(), theme.title));
    let fixes = match (report.kind, &wizard.errand) {
        (CredentialKind::ApiToken, _) => retired_token_troubleshooting(),
        // The setup's own steps: the Scopes checklist says whether Save was clicked.
        (CredentialKind::ServiceUser, Errand::Setup { .. }) => {
            if save_was_not_ticked(wizard) {
                body.lines.extend(text::marked(
                    "• ",
                    &texts().result.rejected_save_unticked,
                    width,
                    theme.warning,
                ));
            }
            documented
        }
        // A rotation or a re-check walked no Scopes step and saved no scopes: HiBob's own causes of a 401
        // for a service user are what applies.
        (CredentialKind::ServiceUser, Errand::Rotate(_) | Errand::Recheck(_)) => {
            service_user_rejected_troubleshooting()
        }
    };
    for fix in &fixes.fixes {
        body.lines
            .extend(text::marked("• ", fix, width, theme.text));
    }
    // Said only where the menu below offers it.
    if wizard.menu().contains(&MenuItem::SwitchToServiceUser) {
        body.lines.extend(text::marked(
            "• ",
            &texts().menu.switch_now,
            width,
            theme.title,
        ));
    }
}

/// The documented error and its two fixes (wrong key, scopes not saved): the first troubleshooting entry.
fn documented_troubleshooting() -> &'static Troubleshooting {
    &guide().troubleshooting[0]
}

/// What to do about a retired API access token: the entry that is about the 401 an API token gets.
fn retired_token_troubleshooting() -> &'static Troubleshooting {
    troubleshooting_about("API access token")
}

/// HiBob's causes of a 401 for a service user (wrong pair, reset token, inactive, in no permission group).
fn service_user_rejected_troubleshooting() -> &'static Troubleshooting {
    troubleshooting_about("service user (401)")
}

/// The guide's troubleshooting entry whose error mentions `topic` (the documented one if none does; the
/// rejected results' tests show each entry on screen).
fn troubleshooting_about(topic: &str) -> &'static Troubleshooting {
    guide()
        .troubleshooting
        .iter()
        .find(|entry| entry.error.contains(topic))
        .unwrap_or(&guide().troubleshooting[0])
}

fn save_was_not_ticked(wizard: &Wizard) -> bool {
    scope_checklist(wizard.flow)
        .iter()
        .zip(&wizard.checklist_done)
        .any(|(item, ticked)| texts().is_save_item(item) && !ticked)
}

fn push_identity(wizard: &Wizard, report: &Report, theme: &Theme, width: usize, body: &mut Body) {
    if let Some(credential) = &wizard.credential {
        let api = report.api_url.to_string();
        body.lines.extend(text::indented(
            &fill(
                &texts().result.identity,
                &[("identity", &credential.identity()), ("api", &api)],
            ),
            width,
            &texts().checking.credential_label,
            "  ",
            theme.dim,
        ));
    }
}

pub fn save_failed(wizard: &Wizard, theme: &Theme, width: usize) -> Body {
    let mut body = Body::new(&texts().title.save_failed);
    let texts = &texts().save_failed;
    body.lines
        .extend(text::marked("✗ ", &texts.title, width, theme.error));
    if let SaveState::Failed { store, error } = &wizard.save {
        body.lines.extend(text::wrap(
            &fill(&texts.store_failed, &[("store", store_label(*store))]),
            width,
            theme.text,
        ));
        for line in error.to_string().lines() {
            body.lines.extend(text::wrap(line, width, theme.text));
        }
    }
    body.lines.push(Line::default());
    // Say only what the menu below offers.
    let other_store = wizard
        .menu()
        .iter()
        .any(|item| matches!(item, MenuItem::UseStore(_)));
    let kept = if other_store {
        &texts.kept
    } else {
        &texts.kept_no_other_store
    };
    body.lines.extend(text::wrap(kept, width, theme.dim));
    if let Errand::Rotate(rotation) = &wizard.errand {
        body.lines.extend(text::wrap(
            &fill(&texts.rotation_unchanged, &[("profile", &rotation.profile)]),
            width,
            theme.warning,
        ));
    }
    push_revealed(wizard, theme, width, &mut body);
    push_menu(wizard, theme, width, &mut body);
    body
}

/// The credential in clear, only after the user chose to see it (a failed save, or a hand-over whose OSC 52
/// the terminal may have refused).
fn push_revealed(wizard: &Wizard, theme: &Theme, width: usize, body: &mut Body) {
    let Some(credential) = wizard
        .credential
        .as_ref()
        .filter(|_| wizard.revealed_for_copy)
    else {
        return;
    };
    body.lines.push(Line::default());
    body.lines.extend(text::wrap(
        &texts().save_failed.reveal_warning,
        width,
        theme.warning,
    ));
    if let Some(id) = credential.service_user_id() {
        body.lines
            .extend(text::marked("ID:    ", id, width, theme.title));
    }
    body.lines.extend(text::marked(
        "Token: ",
        credential.token().expose_secret(),
        width,
        theme.title,
    ));
}

fn push_menu(wizard: &Wizard, theme: &Theme, width: usize, body: &mut Body) {
    for (index, item) in wizard.menu().into_iter().enumerate() {
        let (marker, style) = text::choice(index == wizard.menu_cursor, theme);
        body.pinned.extend(text::indented(
            &menu_label(wizard, item),
            width,
            marker,
            "  ",
            style,
        ));
    }
}

fn menu_label(wizard: &Wizard, item: MenuItem) -> String {
    let menu = &texts().menu;
    let store = store_label(wizard.context.store);
    let in_store = |template: &str| fill(template, &[("store", store)]);
    match item {
        MenuItem::Save | MenuItem::SaveAnyway if matches!(wizard.errand, Errand::Rotate(_)) => {
            fill(
                &texts().front_door.rotate_save,
                &[("profile", wizard.profile())],
            )
        }
        MenuItem::Save => fill(
            &menu.save,
            &[("store", store), ("profile", wizard.profile())],
        ),
        // A service user has HiBob permissions; an API access token had scopes.
        MenuItem::SaveAnyway => in_store(match wizard.kind() {
            CredentialKind::ServiceUser => &menu.save_anyway,
            CredentialKind::ApiToken => &menu.save_anyway_api_token,
        }),
        MenuItem::BackToScopes => match wizard.kind() {
            CredentialKind::ServiceUser => menu.back_to_scopes.clone(),
            CredentialKind::ApiToken => menu.back_to_scopes_api_token.clone(),
        },
        MenuItem::BackToConnect => menu.back_to_connect.clone(),
        MenuItem::SwitchToServiceUser => menu.switch_to_service_user.clone(),
        MenuItem::RetryCheck => menu.retry_check.clone(),
        MenuItem::SaveUnverified => in_store(&menu.save_unverified),
        MenuItem::RetrySave => menu.retry_save.clone(),
        MenuItem::UseStore(other) => fill(&menu.use_store, &[("store", store_label(other))]),
        MenuItem::RevealToCopy if wizard.revealed_for_copy => menu.hide.clone(),
        MenuItem::RevealToCopy => menu.reveal.clone(),
        MenuItem::QuitWithoutSaving => menu.quit.clone(),
        MenuItem::CopyForStackOne if handover_sends_the_id_next(wizard) => menu.copy_id.clone(),
        MenuItem::CopyForStackOne => menu.copy_token.clone(),
        MenuItem::BackToFrontDoor => texts().front_door.back.clone(),
    }
}

/// The next hand-over key sends the service-user ID (first, and again after the token), unless the ID
/// was just sent or there is none (an API access token).
fn handover_sends_the_id_next(wizard: &Wizard) -> bool {
    wizard.handover != Handover::IdCopied
        && wizard
            .credential
            .as_ref()
            .is_some_and(|credential| credential.service_user_id().is_some())
}
