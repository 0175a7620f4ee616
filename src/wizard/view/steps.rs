//! The instruction steps (Login, Generate, Copy) and the Scopes checklist, straight from the step assets.

use ratatui::text::Line;

use crate::steps::{FlowStatus, StepId};
use crate::wizard::state::{Browser, Wizard};
use crate::wizard::texts::texts;
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
        body.lines
            .push(Line::styled("Before you continue:", theme.title));
        for item in &model.checklist {
            body.lines
                .extend(text::indented(item, width, "  • ", "    ", theme.text));
        }
    }
    if step == StepId::Login {
        let url = &texts().login.url;
        match &wizard.context.browser {
            Browser::Available => body.pinned.extend(text::wrap(
                &format!("HiBob: {url}   (o opens it in your browser, c copies it)"),
                width,
                theme.title,
            )),
            Browser::Unavailable(reason) => {
                body.pinned
                    .push(Line::styled(format!("HiBob: {url}"), theme.title));
                body.pinned.extend(text::wrap(
                    &format!(
                        "{} c copies it.",
                        texts().login.no_browser.replace("{reason}", reason)
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
        let highlighted = index == wizard.scope_cursor;
        let ticked = wizard.ticks.get(index).copied().unwrap_or(false);
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
    body.pinned.extend(text::indented(
        &texts().scopes.save_reminder,
        width,
        "⚠ ",
        "  ",
        theme.warning,
    ));
    let ticked = wizard.ticks.iter().filter(|tick| **tick).count();
    body.pinned.push(Line::styled(
        format!(
            "Ticked {ticked} of {}. Tick each item as you do it in HiBob.",
            wizard.ticks.len()
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
        body.pinned.extend(text::indented(
            &flow.status_note,
            width,
            "⚠ ",
            "  ",
            theme.warning,
        ));
    }
}
