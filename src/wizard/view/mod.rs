//! Drawing the wizard: `render(frame, &Wizard, &Theme)` and nothing else changes the screen.
//!
//! Every screen is a header (flow and "Step N of 5"), a bordered body, an optional notice line and a
//! footer of keys. A screen's body is built by one function per screen as already-wrapped lines, so the
//! line count is known before drawing: long bodies scroll (following the focused item, or PgUp/PgDn), and a
//! part of the body can be pinned to the bottom (menus, reminders) so it never scrolls away.

mod checking;
mod chrome;
mod connect;
mod done;
mod front_door;
mod overlay;
mod result;
mod steps;
pub mod text;
mod welcome;

use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Padding, Paragraph};

use crate::steps::StepId;
use crate::wizard::state::{Screen, Wizard};
use crate::wizard::theme::Theme;

pub use crate::wizard::state::{MIN_HEIGHT, MIN_WIDTH, too_small};

/// A screen's body, before it is placed.
pub struct Body {
    pub title: String,
    /// The part that scrolls.
    pub lines: Vec<Line<'static>>,
    /// Shown under the scrolling part, always visible.
    pub pinned: Vec<Line<'static>>,
    /// Lines of `lines` that must be in view (the highlighted item); when set, scrolling follows it.
    pub focus: Option<Range<usize>>,
    /// Where the text cursor goes: a line of `lines` and a column.
    pub cursor: Option<(usize, u16)>,
}

impl Body {
    pub fn new(title: impl Into<String>) -> Self {
        Body {
            title: title.into(),
            lines: Vec::new(),
            pinned: Vec::new(),
            focus: None,
            cursor: None,
        }
    }
}

/// Where everything goes for one frame.
struct Placed {
    header: Rect,
    block: Rect,
    main: Rect,
    pinned: Rect,
    notice: Rect,
    footer: Rect,
    body: Body,
    /// First line of `body.lines` shown.
    offset: usize,
}

/// Draw the whole wizard into `frame`.
pub fn render(frame: &mut Frame, wizard: &Wizard, theme: &Theme) {
    let area = frame.area();
    if too_small((area.width, area.height)) {
        chrome::render_too_small(frame, area, theme);
        return;
    }
    let placed = place(wizard, area, theme);
    chrome::render_header(frame, placed.header, wizard, theme);

    let more_above = placed.offset > 0;
    let more_below = placed.offset + (placed.main.height as usize) < placed.body.lines.len();
    let mut block = Block::bordered()
        .border_style(theme.border)
        .padding(Padding::horizontal(1))
        .title(Line::styled(
            format!(" {} ", placed.body.title),
            theme.title,
        ));
    if let Some(hint) = chrome::scroll_hint(more_above, more_below, placed.body.focus.is_some()) {
        block = block.title_bottom(Line::styled(hint, theme.dim).right_aligned());
    }
    frame.render_widget(block, placed.block);
    let visible: Vec<Line> = placed
        .body
        .lines
        .iter()
        .skip(placed.offset)
        .take(placed.main.height as usize)
        .cloned()
        .collect();
    frame.render_widget(Paragraph::new(visible), placed.main);
    frame.render_widget(Paragraph::new(placed.body.pinned.clone()), placed.pinned);

    chrome::render_notice(frame, placed.notice, wizard, theme);
    chrome::render_footer(frame, placed.footer, wizard, theme);

    if let Some(overlay) = overlay::overlay(wizard, area.width, theme) {
        overlay::render(frame, area, &overlay, theme);
    } else if let Some((line, column)) = placed.body.cursor
        && line >= placed.offset
        && line < placed.offset + placed.main.height as usize
    {
        let x = placed.main.x + column.min(placed.main.width.saturating_sub(1));
        let y = placed.main.y + (line - placed.offset) as u16;
        frame.set_cursor_position((x, y));
    }
}

/// How far the current screen's text can scroll at the current terminal size (0 when it fits, or when
/// scrolling follows a highlighted item instead).
pub fn max_scroll(wizard: &Wizard) -> u16 {
    let (width, height) = wizard.viewport;
    let area = Rect::new(0, 0, width, height);
    if too_small((width, height)) {
        return 0;
    }
    let placed = place(wizard, area, &Theme::plain());
    if placed.body.focus.is_some() {
        return 0;
    }
    let overflow = placed
        .body
        .lines
        .len()
        .saturating_sub(placed.main.height as usize);
    u16::try_from(overflow).unwrap_or(u16::MAX)
}

fn place(wizard: &Wizard, area: Rect, theme: &Theme) -> Placed {
    let notice_height = chrome::notice_lines(wizard, area.width as usize, theme).len() as u16;
    let [header, block, notice, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(notice_height),
        Constraint::Length(1),
    ])
    .areas(area);
    let inner = Block::bordered()
        .padding(Padding::horizontal(1))
        .inner(block);
    let body = body(wizard, theme, inner.width as usize);
    let spacer = usize::from(!body.pinned.is_empty() && !body.lines.is_empty());
    let pinned_height = (body.pinned.len() + spacer).min(inner.height as usize) as u16;
    let [main, pinned_with_spacer] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(pinned_height)]).areas(inner);
    let pinned = if spacer == 1 && pinned_with_spacer.height > 0 {
        Rect {
            y: pinned_with_spacer.y + 1,
            height: pinned_with_spacer.height - 1,
            ..pinned_with_spacer
        }
    } else {
        pinned_with_spacer
    };
    let view_height = main.height as usize;
    let max_offset = body.lines.len().saturating_sub(view_height);
    let offset = match &body.focus {
        Some(focus) => focus.end.saturating_sub(view_height).min(focus.start),
        None => usize::from(wizard.scroll),
    }
    .min(max_offset);
    Placed {
        header,
        block,
        main,
        pinned,
        notice,
        footer,
        body,
        offset,
    }
}

fn body(wizard: &Wizard, theme: &Theme, width: usize) -> Body {
    match wizard.screen {
        Screen::FrontDoor => front_door::body(wizard, theme, width),
        Screen::NewProfile => front_door::new_profile(wizard, theme, width),
        Screen::Welcome => welcome::body(wizard, theme, width),
        Screen::Step(StepId::Scopes) => steps::scopes(wizard, theme, width),
        Screen::Step(StepId::Connect) => connect::body(wizard, theme, width),
        Screen::Step(step) => steps::instructions(wizard, step, theme, width),
        Screen::Checking => checking::body(wizard, theme, width),
        Screen::Result => result::body(wizard, theme, width),
        Screen::SaveFailed => result::save_failed(wizard, theme, width),
        Screen::Saving => done::saving(wizard, theme, width),
        Screen::Done => done::body(wizard, theme, width),
    }
}

pub use crate::wizard::texts::store_label;

/// The spinner's current frame.
pub fn spinner(wizard: &Wizard) -> &'static str {
    const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    FRAMES[wizard.spinner % FRAMES.len()]
}
