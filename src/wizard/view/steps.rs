//! The instruction steps (Login, Generate, Copy) and the Scopes checklist, straight from the step assets.

use ratatui::text::Line;

use crate::credential::CredentialKind;

use crate::steps::{FlowStatus, StepId};
use crate::wizard::state::{Browser, Wizard};
use crate::wizard::texts::{fill, texts};
use crate::wizard::theme::Theme;
use crate::wizard::view::Body;
use crate::wizard::view::text;

pub fn instructions(wizard: &Wizard, step: StepId, theme: &Theme, width: usize) -> Body {
    let model = wizard.flow_model().step(step);
    let mut body = Body::new(&model.title);
    body.lines
        .extend(text::wrap(&model.text, width, theme.text));
    if !model.checklist.is_empty() {
        body.lines.push(Line::default());
        body.lines.push(Line::styled(
            texts().steps.before_you_continue.as_str(),
            theme.title,
        ));
        for item in &model.checklist {
            body.lines
                .extend(text::marked("  • ", item, width, theme.text));
        }
    }
    if step == StepId::Login {
        let login = &texts().login;
        let url = [("url", login.url.as_str())];
        match &wizard.context.browser {
            Browser::Available => body.pinned.extend(text::wrap(
                &fill(&login.link_with_browser, &url),
                width,
                theme.title,
            )),
            Browser::Unavailable(reason) => {
                body.pinned
                    .push(Line::styled(fill(&login.link, &url), theme.title));
                body.pinned.extend(text::wrap(
                    &format!(
                        "{} {}",
                        fill(&login.no_browser, &[("reason", reason)]),
                        texts().notice.copy_hint
                    ),
                    width,
                    theme.dim,
                ));
            }
        }
    }
    retired_note(wizard, theme, width, &mut body);
    body
}

pub fn scopes(wizard: &Wizard, theme: &Theme, width: usize) -> Body {
    let model = wizard.flow_model().step(StepId::Scopes);
    let mut body = Body::new(&model.title);
    body.lines
        .extend(text::wrap(&model.text, width, theme.text));
    body.lines.push(Line::default());
    for (index, item) in model.checklist.iter().enumerate() {
        let highlighted = index == wizard.checklist_cursor;
        let ticked = wizard.checklist_done.get(index).copied().unwrap_or(false);
        let prefix = match (highlighted, ticked) {
            (true, true) => "› [x] ",
            (true, false) => "› [ ] ",
            (false, true) => "  [x] ",
            (false, false) => "  [ ] ",
        };
        let style = if highlighted {
            theme.selected
        } else if ticked {
            theme.text
        } else {
            theme.dim
        };
        let start = body.lines.len();
        body.lines
            .extend(text::indented(item, width, prefix, "      ", style));
        if highlighted {
            body.focus = Some(start..body.lines.len());
        }
    }
    body.pinned.extend(text::marked(
        "⚠ ",
        match wizard.kind() {
            CredentialKind::ServiceUser => &texts().scopes.save_reminder,
            CredentialKind::ApiToken => &texts().scopes.save_reminder_api_token,
        },
        width,
        theme.warning,
    ));
    let done = wizard.checklist_done.iter().filter(|done| **done).count();
    body.pinned.push(Line::styled(
        fill(
            &texts().scopes.progress,
            &[
                ("done", &done.to_string()),
                ("total", &wizard.checklist_done.len().to_string()),
            ],
        ),
        theme.dim,
    ));
    retired_note(wizard, theme, width, &mut body);
    body
}

/// Steps of a retired flow carry its note, so nobody walks it without knowing.
pub fn retired_note(wizard: &Wizard, theme: &Theme, width: usize, body: &mut Body) {
    let flow = wizard.flow_model();
    if flow.status == FlowStatus::Retired {
        body.pinned
            .extend(text::marked("⚠ ", &flow.status_note, width, theme.warning));
    }
}
