//! Welcome: what will happen, the Admin warning, and the flow choice.

use ratatui::text::{Line, Span};

use crate::steps::{FlowStatus, guide};
use crate::wizard::state::Wizard;
use crate::wizard::texts::{fill, store_label, texts};
use crate::wizard::theme::Theme;
use crate::wizard::view::Body;
use crate::wizard::view::text;

pub fn body(wizard: &Wizard, theme: &Theme, width: usize) -> Body {
    let mut body = Body::new(&texts().title.welcome);
    let texts = &texts().welcome;
    // The highlighted flow's steps: they change as the choice moves, so the user sees what each involves.
    let shown = &guide().flows[wizard.flow_cursor];

    body.lines.extend(text::wrap(
        &fill(
            &texts.intro,
            &[("store", store_label(wizard.context.store))],
        ),
        width,
        theme.text,
    ));
    for step in &shown.steps {
        body.lines.extend(text::indented(
            &step.title,
            width,
            &format!("  {}. ", step.id.number()),
            "     ",
            theme.text,
        ));
    }
    body.lines.push(Line::default());
    body.lines.extend(text::marked(
        "⚠ ",
        &texts.admin_warning,
        width,
        theme.warning,
    ));

    if wizard.flow_fixed {
        body.pinned.extend(text::indented(
            &fill(&texts.flow_fixed, &[("flow", &shown.title)]),
            width,
            &texts.flow_label,
            "      ",
            theme.title,
        ));
    } else {
        body.pinned
            .push(Line::styled(texts.choose.clone(), theme.title));
        for (index, flow) in guide().flows.iter().enumerate() {
            let highlighted = index == wizard.flow_cursor;
            let marker = if highlighted { "› ● " } else { "  ○ " };
            let style = if highlighted {
                theme.selected
            } else {
                theme.text
            };
            let mut spans = vec![Span::styled(
                text::truncate(&format!("{marker}{}", flow.title), width),
                style,
            )];
            let used = text::width_of(&format!("{marker}{}", flow.title));
            if flow.status == FlowStatus::Current && used + texts.recommended.len() + 3 <= width {
                spans.push(Span::styled(format!("  {}", texts.recommended), theme.ok));
            }
            body.pinned.push(Line::from(spans));
        }
    }
    let note_style = match shown.status {
        FlowStatus::Current => theme.dim,
        FlowStatus::Retired => theme.warning,
    };
    body.pinned.extend(text::indented(
        &shown.status_note,
        width,
        "  ",
        "  ",
        note_style,
    ));
    body
}
