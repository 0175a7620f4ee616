//! Saving (a spinner while the keyring works) and Done (where it went and what to run next).

use ratatui::text::{Line, Span};

use crate::wizard::state::{Errand, SaveState, Wizard};
use crate::wizard::texts::{fill, texts};
use crate::wizard::theme::Theme;
use crate::wizard::view::{Body, spinner, store_label, text};

pub fn saving(wizard: &Wizard, theme: &Theme, width: usize) -> Body {
    let mut body = Body::new(&texts().title.saving);
    let store = match wizard.save {
        SaveState::InFlight(store) => store,
        _ => wizard.context.store,
    };
    body.lines.extend(text::indented(
        &fill(&texts().saving.working, &[("store", store_label(store))]),
        width,
        &format!("{} ", spinner(wizard)),
        "  ",
        theme.text,
    ));
    body
}

pub fn body(wizard: &Wizard, theme: &Theme, width: usize) -> Body {
    let mut body = Body::new(&texts().title.done);
    let texts = &texts().done;
    body.lines
        .extend(text::marked("✓ ", &texts.title, width, theme.ok));
    body.lines.push(Line::default());
    if let SaveState::Saved(saved) = &wizard.save {
        push_fact(&mut body, &texts.profile, &saved.profile, theme, width);
        push_fact(&mut body, &texts.stored_in, &saved.location, theme, width);
    }
    if let Some(credential) = &wizard.credential {
        push_fact(
            &mut body,
            &texts.credential,
            &credential.identity(),
            theme,
            width,
        );
    }
    if let Some(report) = &wizard.report {
        push_fact(
            &mut body,
            &texts.check,
            report.verdict.label(),
            theme,
            width,
        );
    }
    if matches!(wizard.errand, Errand::Rotate(_)) {
        body.lines.push(Line::default());
        body.lines.extend(text::marked(
            "! ",
            &crate::wizard::texts::texts().front_door.rotated,
            width,
            theme.warning,
        ));
    }
    body.lines.push(Line::default());
    body.lines
        .push(Line::styled(texts.next.clone(), theme.title));
    let profile = match &wizard.save {
        SaveState::Saved(saved) => saved.command_flags(),
        _ => String::new(),
    };
    for (command, what) in [
        (format!("hibob-auth check{profile}"), &texts.check_command),
        (
            format!("hibob-auth token --header{profile}"),
            &texts.header_command,
        ),
    ] {
        body.lines
            .push(Line::styled(format!("  {command}"), theme.key));
        body.lines
            .extend(text::indented(what, width, "      ", "      ", theme.dim));
    }
    body
}

fn push_fact(body: &mut Body, label: &str, value: &str, theme: &Theme, width: usize) {
    let label = format!("{label:<11}");
    let rest = text::indented(
        value,
        width.saturating_sub(label.len()).max(1),
        "",
        "",
        theme.text,
    );
    for (index, line) in rest.into_iter().enumerate() {
        let prefix = if index == 0 {
            label.clone()
        } else {
            " ".repeat(label.len())
        };
        let mut spans = vec![Span::styled(prefix, theme.dim)];
        spans.extend(line.spans);
        body.lines.push(Line::from(spans));
    }
}
