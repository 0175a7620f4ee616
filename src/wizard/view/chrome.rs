//! What surrounds every screen: the header, the notice line, the footer of keys, the too-small message.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::credential::CredentialKind;
use crate::wizard::keys;
use crate::wizard::state::{Errand, Recheck, Screen, Tone, Wizard};
use crate::wizard::texts::{fill, texts};
use crate::wizard::theme::Theme;
use crate::wizard::view::text::{self, width_of};
use crate::wizard::view::{MIN_HEIGHT, MIN_WIDTH};

pub fn render_header(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: &Theme) {
    frame.render_widget(Block::new().style(theme.header), area);
    let said = &texts().header;
    let left = match wizard.screen {
        Screen::Welcome => format!(" {} · {}", said.program, said.guided_setup),
        Screen::FrontDoor | Screen::NewProfile => format!(" {}", said.program),
        _ => format!(" {} · {}", said.program, flow_label(wizard.kind())),
    };
    let profile = |template: &str, profile: &str| fill(template, &[("profile", profile)]);
    let right = match (wizard.screen, &wizard.errand) {
        (Screen::FrontDoor | Screen::NewProfile | Screen::Welcome, _)
        | (_, Errand::Setup { .. } | Errand::Recheck(Recheck::Reading(_))) => {
            setup_position(wizard)
        }
        (_, Errand::Recheck(Recheck::Read(recheck))) => profile(&said.recheck, &recheck.profile),
        (_, Errand::Rotate(rotation)) => profile(&said.rotate, &rotation.profile),
    } + " ";
    let room = (area.width as usize).saturating_sub(width_of(&right) + 1);
    frame.render_widget(
        Paragraph::new(text::truncate(&left, room)).style(theme.header),
        area,
    );
    frame.render_widget(
        Paragraph::new(right).style(theme.header).right_aligned(),
        area,
    );
}

/// Where the header says the user is in the setup (or on the front door).
fn setup_position(wizard: &Wizard) -> String {
    let said = &texts().header;
    let steps = wizard.errand.steps();
    let count = steps.len().to_string();
    let step_of = |number: usize| {
        fill(
            &said.step,
            &[("number", &number.to_string()), ("count", &count)],
        )
    };
    match wizard.screen {
        Screen::FrontDoor | Screen::NewProfile => said.stored.clone(),
        Screen::Welcome => said.welcome.clone(),
        Screen::Step(step) => {
            let number = steps.iter().position(|candidate| *candidate == step);
            step_of(number.map_or(0, |index| index + 1))
        }
        Screen::Checking | Screen::Result => fill(&said.check, &[("count", &count)]),
        Screen::Saving | Screen::SaveFailed => said.storing.clone(),
        Screen::Done => said.done.clone(),
    }
}

/// The credential kind as a header label.
pub fn flow_label(kind: CredentialKind) -> &'static str {
    let said = &texts().header;
    match kind {
        CredentialKind::ServiceUser => &said.service_user,
        CredentialKind::ApiToken => &said.api_token,
    }
}

pub fn notice_lines(wizard: &Wizard, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let Some(notice) = &wizard.notice else {
        return Vec::new();
    };
    let style = match notice.tone {
        Tone::Info => theme.ok,
        Tone::Warning => theme.warning,
    };
    let mut lines = text::indented(&notice.text, width.saturating_sub(1), " › ", "   ", style);
    lines.truncate(2);
    lines
}

pub fn render_notice(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: &Theme) {
    if area.height > 0 {
        let lines = notice_lines(wizard, area.width as usize, theme);
        frame.render_widget(Paragraph::new(lines), area);
    }
}

pub fn render_footer(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: &Theme) {
    let hints = fit_hints(key_hints(wizard), area.width as usize);
    let mut spans = vec![Span::raw(" ")];
    for (key, action) in hints {
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::styled(format!(" {action}  "), theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The hints that fit in `width`. The last two (help and quit, where present) always stay; hints
/// before them are dropped from the end until the rest fits.
fn fit_hints(
    mut hints: Vec<(&'static str, &'static str)>,
    width: usize,
) -> Vec<(&'static str, &'static str)> {
    let needed = |hints: &[(&str, &str)]| -> usize {
        1 + hints
            .iter()
            .map(|(key, action)| width_of(key) + 1 + width_of(action) + 2)
            .sum::<usize>()
    };
    while needed(&hints) > width && hints.len() > 2 {
        hints.remove(hints.len() - 3);
    }
    while needed(&hints) > width && !hints.is_empty() {
        hints.pop();
    }
    hints
}

/// The keys that matter right now, most important first (the footer shows as many as fit).
pub fn key_hints(wizard: &Wizard) -> Vec<(&'static str, &'static str)> {
    keys::footer(wizard)
        .into_iter()
        .map(|hint| (hint.keys.as_str(), hint.does.as_str()))
        .collect()
}

/// What the body's bottom border says when there is more to scroll.
/// When scrolling follows the highlighted item (`follows_focus`), the arrows scroll and PgUp/PgDn do not.
pub fn scroll_hint(more_above: bool, more_below: bool, follows_focus: bool) -> Option<String> {
    let arrows = match (more_above, more_below) {
        (false, false) => return None,
        (true, false) => "↑",
        (false, true) => "↓",
        (true, true) => "↑↓",
    };
    Some(if follows_focus {
        format!(" {arrows} more ")
    } else {
        format!(" {arrows} more (PgUp/PgDn) ")
    })
}

pub fn render_too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let message = fill(
        &texts().too_small.text,
        &[
            ("min", &format!("{MIN_WIDTH}×{MIN_HEIGHT}")),
            ("now", &format!("{}×{}", area.width, area.height)),
        ],
    );
    let lines = text::wrap(&message, area.width as usize, theme.warning);
    let height = (lines.len() as u16).min(area.height);
    let centered = area.centered(Constraint::Length(area.width), Constraint::Length(height));
    frame.render_widget(Paragraph::new(lines).centered(), centered);
}
