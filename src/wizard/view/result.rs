//! The check's result (one layout per verdict) and the screen shown when storing failed.

use ratatui::text::Line;

use crate::credential::CredentialKind;
use crate::hibob::{Report, Verdict};
use crate::secret::ExposeSecret;
use crate::steps::{Troubleshooting, guide};
use crate::wizard::state::{Action, SaveState, Wizard};
use crate::wizard::texts::{fill, scope_checklist, texts};
use crate::wizard::theme::Theme;
use crate::wizard::view::checking::report_table;
use crate::wizard::view::{Body, store_label, text};

pub fn body(wizard: &Wizard, theme: &Theme, width: usize) -> Body {
    let Some(report) = &wizard.report else {
        return Body::new("Result");
    };
    let texts = &texts().result;
    let mut body = Body::new(format!("Result: {}", report.verdict.label()));
    match report.verdict {
        Verdict::Ok => {
            body.lines
                .extend(text::indented(&texts.ok_title, width, "✓ ", "  ", theme.ok));
            push_identity(wizard, report, theme, width, &mut body);
            body.lines.push(Line::default());
            body.lines.extend(report_table(report, theme, width));
            body.lines.push(Line::default());
            body.lines
                .extend(text::wrap(&report.summary, width, theme.text));
        }
        Verdict::Limited => {
            body.lines.extend(text::indented(
                &texts.limited_title,
                width,
                "! ",
                "  ",
                theme.warning,
            ));
            push_identity(wizard, report, theme, width, &mut body);
            // What is missing and how to fix it first; the table with each scope's detail follows.
            body.lines.push(Line::default());
            body.lines
                .extend(text::wrap(&report.summary, width, theme.text));
            body.lines.push(Line::default());
            body.lines.extend(report_table(report, theme, width));
        }
        Verdict::Rejected => rejected(wizard, report, theme, width, &mut body),
        Verdict::Blocked => {
            body.lines.extend(text::indented(
                &texts.blocked_title,
                width,
                "✗ ",
                "  ",
                theme.error,
            ));
            push_identity(wizard, report, theme, width, &mut body);
            body.lines.push(Line::default());
            body.lines
                .extend(text::wrap(&report.summary, width, theme.text));
            body.lines
                .extend(text::wrap(&texts.blocked_note, width, theme.dim));
            body.lines.push(Line::default());
            body.lines.extend(report_table(report, theme, width));
        }
        Verdict::Unverifiable => {
            body.lines.extend(text::indented(
                &texts.unverifiable_title,
                width,
                "? ",
                "  ",
                theme.warning,
            ));
            push_identity(wizard, report, theme, width, &mut body);
            body.lines.push(Line::default());
            body.lines
                .extend(text::wrap(&report.summary, width, theme.text));
            body.lines
                .extend(text::wrap(&texts.unverifiable_note, width, theme.dim));
            body.lines.push(Line::default());
            body.lines.extend(report_table(report, theme, width));
        }
    }
    push_menu(wizard, theme, width, &mut body);
    body
}

/// Rejected: the documented message, then the troubleshooting that fits what happened.
fn rejected(wizard: &Wizard, report: &Report, theme: &Theme, width: usize, body: &mut Body) {
    let documented = documented_troubleshooting();
    body.lines.extend(text::indented(
        &documented.error,
        width,
        "✗ ",
        "  ",
        theme.error,
    ));
    push_identity(wizard, report, theme, width, body);
    body.lines.push(Line::default());
    body.lines
        .extend(text::wrap(&report.summary, width, theme.text));
    body.lines.push(Line::default());
    body.lines
        .push(Line::styled(texts().menu.what_to_try.as_str(), theme.title));
    match report.kind {
        CredentialKind::ApiToken => {
            for fix in &retired_token_troubleshooting().fixes {
                body.lines
                    .extend(text::indented(fix, width, "• ", "  ", theme.text));
            }
            body.lines.extend(text::indented(
                &texts().menu.switch_now,
                width,
                "• ",
                "  ",
                theme.title,
            ));
        }
        CredentialKind::ServiceUser => {
            if save_was_not_ticked(wizard) {
                body.lines.extend(text::indented(
                    &texts().result.rejected_save_unticked,
                    width,
                    "• ",
                    "  ",
                    theme.warning,
                ));
            }
            for fix in &documented.fixes {
                body.lines
                    .extend(text::indented(fix, width, "• ", "  ", theme.text));
            }
        }
    }
}

/// The documented error and its two fixes (wrong key, scopes not saved): the first troubleshooting entry.
fn documented_troubleshooting() -> &'static Troubleshooting {
    &guide().troubleshooting[0]
}

/// What to do about a retired API access token: the entry that is about the 401 an API token gets.
fn retired_token_troubleshooting() -> &'static Troubleshooting {
    guide()
        .troubleshooting
        .iter()
        .find(|entry| entry.error.contains("API access token"))
        .unwrap_or(&guide().troubleshooting[0])
}

fn save_was_not_ticked(wizard: &Wizard) -> bool {
    scope_checklist(wizard.flow)
        .iter()
        .zip(&wizard.ticks)
        .any(|(item, ticked)| texts().is_save_item(item) && !ticked)
}

fn push_identity(wizard: &Wizard, report: &Report, theme: &Theme, width: usize, body: &mut Body) {
    if let Some(credential) = &wizard.checked {
        body.lines.extend(text::indented(
            &format!(
                "{}, checked against {}",
                credential.identity(),
                report.api_url
            ),
            width,
            "Credential: ",
            "  ",
            theme.dim,
        ));
    }
}

pub fn save_failed(wizard: &Wizard, theme: &Theme, width: usize) -> Body {
    let texts = &texts().save_failed;
    let mut body = Body::new("Not stored");
    body.lines
        .extend(text::indented(&texts.title, width, "✗ ", "  ", theme.error));
    if let SaveState::Failed { store, error } = &wizard.save {
        body.lines.extend(text::wrap(
            &format!("Storing in {} failed:", store_label(*store)),
            width,
            theme.text,
        ));
        for line in error.to_string().lines() {
            body.lines.extend(text::wrap(line, width, theme.text));
        }
    }
    body.lines.push(Line::default());
    body.lines.extend(text::wrap(&texts.kept, width, theme.dim));
    if wizard.revealed_for_copy
        && let Some(credential) = &wizard.checked
    {
        body.lines.push(Line::default());
        body.lines
            .extend(text::wrap(&texts.reveal_warning, width, theme.warning));
        if let Some(id) = credential.service_user_id() {
            body.lines
                .extend(text::indented(id, width, "ID:    ", "       ", theme.title));
        }
        body.lines.extend(text::indented(
            credential.token().expose_secret(),
            width,
            "Token: ",
            "       ",
            theme.title,
        ));
    }
    push_menu(wizard, theme, width, &mut body);
    body
}

fn push_menu(wizard: &Wizard, theme: &Theme, width: usize, body: &mut Body) {
    for (index, action) in wizard.actions().into_iter().enumerate() {
        let highlighted = index == wizard.action_cursor;
        let style = if highlighted {
            theme.selected
        } else {
            theme.text
        };
        let marker = if highlighted { "› " } else { "  " };
        body.pinned.extend(text::indented(
            &action_label(wizard, action),
            width,
            marker,
            "  ",
            style,
        ));
    }
}

fn action_label(wizard: &Wizard, action: Action) -> String {
    let menu = &texts().menu;
    let store = store_label(wizard.context.store);
    let in_store = |template: &str| fill(template, &[("store", store)]);
    match action {
        Action::Save => fill(
            &menu.save,
            &[("store", store), ("profile", &wizard.context.profile)],
        ),
        Action::SaveAnyway => in_store(&menu.save_anyway),
        Action::BackToScopes => menu.back_to_scopes.clone(),
        Action::BackToConnect => menu.back_to_connect.clone(),
        Action::SwitchToServiceUser => menu.switch_to_service_user.clone(),
        Action::RetryCheck => menu.retry_check.clone(),
        Action::SaveUnverified => in_store(&menu.save_unverified),
        Action::RetrySave => menu.retry_save.clone(),
        Action::UseStore(other) => fill(&menu.use_store, &[("store", store_label(other))]),
        Action::RevealToCopy if wizard.revealed_for_copy => menu.hide.clone(),
        Action::RevealToCopy => menu.reveal.clone(),
        Action::QuitWithoutSaving => menu.quit.clone(),
    }
}
