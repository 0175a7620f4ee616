//! What surrounds every screen: the header, the notice line, the footer of keys, the too-small message.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::credential::CredentialKind;
use crate::steps::StepId;
use crate::wizard::state::{Browser, Dialog, Errand, MenuItem, Recheck, Screen, Tone, Wizard};
use crate::wizard::texts::{fill, texts};
use crate::wizard::theme::Theme;
use crate::wizard::view::text::{self, width_of};
use crate::wizard::view::{MIN_HEIGHT, MIN_WIDTH};

pub fn render_header(frame: &mut Frame, area: Rect, wizard: &Wizard, theme: &Theme) {
    frame.render_widget(Block::new().style(theme.header), area);
    let left = match wizard.screen {
        Screen::Welcome => " hibob-auth · guided setup".to_string(),
        Screen::FrontDoor | Screen::NewProfile => " hibob-auth".to_string(),
        _ => format!(" hibob-auth · {}", flow_label(wizard.kind())),
    };
    let right = match (wizard.screen, &wizard.errand) {
        (Screen::FrontDoor | Screen::NewProfile | Screen::Welcome, _)
        | (_, Errand::Setup { .. } | Errand::Recheck(Recheck::Reading(_))) => {
            setup_position(wizard.screen)
        }
        (_, Errand::Recheck(Recheck::Read(recheck))) => format!("Re-check · {} ", recheck.profile),
        (_, Errand::Rotate(rotation)) => format!("Rotate · {} ", rotation.profile),
    };
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

/// Where the header says the user is, outside a re-check.
fn setup_position(screen: Screen) -> String {
    match screen {
        Screen::FrontDoor | Screen::NewProfile => "Stored credentials ".to_string(),
        Screen::Welcome => "Welcome ".to_string(),
        Screen::Step(step) => format!("Step {} of 5 ", step.number()),
        Screen::Checking | Screen::Result => "Step 5 of 5 · check ".to_string(),
        Screen::Saving | Screen::SaveFailed => "Storing ".to_string(),
        Screen::Done => "Done ".to_string(),
    }
}

/// The credential kind as a header label.
pub fn flow_label(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::ServiceUser => "Service user",
        CredentialKind::ApiToken => "API access token",
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
    if wizard.help {
        return vec![("Esc", "close help"), ("q", "quit")];
    }
    if let Some(dialog) = &wizard.dialog {
        return match dialog {
            Dialog::ConfirmQuit => vec![("Enter", "quit"), ("Esc", "stay")],
            Dialog::Unticked(_) => vec![("Enter", "continue anyway"), ("Esc", "back to the list")],
            Dialog::SaveUnverified => vec![("Enter", "store it"), ("Esc", "cancel")],
            Dialog::ConfirmRemove(_) => vec![("Enter", "remove"), ("Esc", "keep it")],
        };
    }
    let mut hints = Vec::new();
    match wizard.screen {
        Screen::NewProfile => hints.extend([("Enter", "set up"), ("Esc", "back")]),
        Screen::FrontDoor => {
            if wizard.front_door.selected().is_some() {
                hints.extend([
                    ("Enter", "re-check"),
                    ("r", "rotate"),
                    ("d", "remove"),
                    ("n", "set up"),
                ]);
            } else {
                hints.push(("Enter", "set up"));
            }
            hints.push(("↑/↓", "choose"));
        }
        Screen::Welcome => {
            hints.push(("Enter", "start"));
            if !wizard.flow_fixed {
                hints.push(("↑/↓", "choose"));
            }
            if !wizard.front_door.rows.is_empty() {
                hints.push(("Esc", "stored credentials"));
            }
        }
        Screen::Step(StepId::Scopes) => {
            hints.extend([
                ("Space", "tick"),
                ("↑/↓", "move"),
                ("Enter", "next"),
                ("Esc", "back"),
            ]);
        }
        Screen::Step(StepId::Connect) => {
            hints.push(("Enter", "connect"));
            if wizard.errand.enters_id(wizard.kind()) {
                hints.push(("Tab", "field"));
            }
            hints.extend([("Ctrl-R", "show/hide"), ("Esc", "back"), ("F1", "help")]);
            hints.push(("Ctrl-C", "quit"));
            return hints;
        }
        Screen::Step(step) => {
            hints.extend([("Enter", "next"), ("Esc", "back")]);
            if step == StepId::Login {
                match wizard.context.browser {
                    Browser::Available => hints.push(("o", "open HiBob")),
                    Browser::Unavailable(_) => hints.push(("c", "copy URL")),
                }
            }
        }
        Screen::Checking => hints.push(("Esc", "cancel")),
        Screen::Result | Screen::SaveFailed => {
            hints.extend([("Enter", "choose"), ("↑/↓", "move")]);
            let menu = wizard.menu();
            if menu.contains(&MenuItem::RetryCheck) {
                hints.push(("r", "check again"));
            }
            if menu.contains(&MenuItem::CopyForStackOne) {
                hints.push(("c", "copy for StackOne"));
            }
            if menu.contains(&MenuItem::SwitchToServiceUser) {
                hints.push(("s", "service user"));
            }
            hints.push(("Esc", "back"));
        }
        Screen::Saving => {}
        Screen::Done => {
            hints.push(("Enter", "quit"));
            return hints;
        }
    }
    hints.extend([("?", "help"), ("q", "quit")]);
    hints
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
