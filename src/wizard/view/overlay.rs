//! Boxes drawn over a screen: the questions (dialogs) and the `?` help.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph};

use crate::hibob::Scope;
use crate::steps::scope_named_in;
use crate::wizard::keys::{self, KeyText};
use crate::wizard::state::{Dialog, Wizard};
use crate::wizard::texts::{fill, scope_checklist, texts};
use crate::wizard::theme::Theme;
use crate::wizard::view::{store_label, text};

/// The widest an overlay gets; narrower terminals get a narrower box.
const MAX_WIDTH: u16 = 66;

pub struct Overlay {
    pub title: String,
    pub lines: Vec<Line<'static>>,
    /// Key hints shown at the bottom of the box.
    pub keys: Vec<&'static KeyText>,
}

/// The overlay to draw over the current screen, if any. Help wins over a dialog.
pub fn overlay(wizard: &Wizard, screen_width: u16, theme: &Theme) -> Option<Overlay> {
    let width = inner_width(screen_width);
    if wizard.help {
        return Some(help(wizard, width, theme));
    }
    let dialog = wizard.dialog.as_ref()?;
    Some(match dialog {
        Dialog::ConfirmQuit => {
            let question = if wizard.is_busy() {
                &texts().quit.saving
            } else {
                &texts().quit.unsaved
            };
            Overlay {
                title: texts().title.confirm_quit.clone(),
                lines: text::wrap(question, width, theme.text),
                keys: keys::footer(wizard),
            }
        }
        Dialog::Unticked(indexes) => {
            let items = scope_checklist(wizard.flow);
            let mut lines = text::wrap(&texts().scopes.unticked_intro, width, theme.text);
            for index in indexes {
                let item = &items[*index];
                let name = scope_named_in(item).map_or(item.as_str(), Scope::name);
                if let Some(consequence) = texts().unticked_consequence(wizard.flow, item) {
                    lines.extend(text::marked(
                        "• ",
                        &format!("{name}: {consequence}"),
                        width,
                        theme.text,
                    ));
                }
            }
            Overlay {
                title: texts().scopes.unticked_title.clone(),
                lines,
                keys: keys::footer(wizard),
            }
        }
        Dialog::ConfirmDelete { profile, store } => Overlay {
            title: texts().front_door.delete_title.clone(),
            lines: text::wrap(
                &fill(
                    &texts().front_door.delete_question,
                    &[("profile", profile), ("store", store_label(*store))],
                ),
                width,
                theme.text,
            ),
            keys: keys::footer(wizard),
        },
        Dialog::SaveUnverified => Overlay {
            title: texts().title.save_unverified.clone(),
            lines: text::wrap(&texts().result.save_unverified_question, width, theme.text),
            keys: keys::footer(wizard),
        },
    })
}

/// Every key of the wizard, one line each, from the key table's help lines.
fn help(wizard: &Wizard, width: usize, theme: &Theme) -> Overlay {
    let lines = keys::help()
        .map(|(_, line)| {
            Line::from(vec![
                Span::styled(format!("{:<10} ", line.keys), theme.key),
                Span::raw(text::truncate(&line.does, width.saturating_sub(11))),
            ])
        })
        .collect();
    Overlay {
        title: texts().title.help.clone(),
        lines,
        keys: keys::footer(wizard),
    }
}

fn inner_width(screen_width: u16) -> usize {
    // Border and padding take four columns.
    (screen_width.saturating_sub(4).min(MAX_WIDTH) as usize).saturating_sub(4)
}

pub fn render(frame: &mut Frame, area: Rect, overlay: &Overlay, theme: &Theme) {
    let width = (inner_width(area.width) + 4) as u16;
    let mut lines = overlay.lines.clone();
    lines.push(Line::default());
    let mut keys = Vec::new();
    for hint in &overlay.keys {
        keys.push(Span::styled(hint.keys.as_str(), theme.key));
        keys.push(Span::styled(format!(" {}   ", hint.does), theme.dim));
    }
    lines.push(Line::from(keys));
    let height = (lines.len() as u16 + 2).min(area.height);
    let boxed = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, boxed);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .border_style(theme.border)
                .padding(Padding::horizontal(1))
                .title(Line::styled(format!(" {} ", overlay.title), theme.title)),
        ),
        boxed,
    );
}
