//! The front door: the stored profiles (credential, API, last check and how long ago), then "set up".

use ratatui::text::{Line, Span};

use crate::hibob::Verdict;
use crate::lookup::{age, days_since};
use crate::store::ProfileName;
use crate::wizard::state::{StoredRow, Wizard};
use crate::wizard::texts::{fill, texts};
use crate::wizard::theme::Theme;
use crate::wizard::view::{Body, store_label, text};

pub fn body(wizard: &Wizard, theme: &Theme, width: usize) -> Body {
    let said = &texts().front_door;
    let door = &wizard.front_door;
    let mut body = Body::new(&said.title);
    let count = match door.rows.len() {
        1 => "1 credential".to_string(),
        n => format!("{n} credentials"),
    };
    let stores = door.stores();
    let listed_in = stores
        .iter()
        .map(|store| store_label(*store))
        .collect::<Vec<_>>()
        .join(" and ");
    body.lines.extend(text::wrap(
        &fill(&said.intro, &[("count", &count), ("store", &listed_in)]),
        width,
        theme.text,
    ));
    body.lines.push(Line::default());
    // Names in one column, so the credentials line up under each other.
    let name_width = door
        .rows
        .iter()
        .map(|row| text::width_of(&row.name))
        .max()
        .unwrap_or(0);
    for (index, row) in door.rows.iter().enumerate() {
        let start = body.lines.len();
        let highlighted = index == door.cursor;
        let (marker, style) = text::choice(highlighted, theme);
        body.lines.push(Line::from(vec![Span::styled(
            text::truncate(
                &format!(
                    "{marker}{}  {}",
                    text::fit(&row.name, name_width),
                    row.identity()
                ),
                width,
            ),
            style,
        )]));
        let mut facts = format!("{} · {}", row.record.api_url, last_check(row, wizard));
        // Listed from more than one store: each row says which, as the same name may be in both.
        if stores.len() > 1 {
            facts.push_str(" · ");
            facts.push_str(&fill(
                &said.listed_in,
                &[("store", store_label(row.store()))],
            ));
        }
        body.lines
            .extend(text::indented(&facts, width, "    ", "    ", theme.dim));
        if highlighted {
            body.focus = Some(start..body.lines.len());
        }
    }
    body.lines.push(Line::default());
    let start = body.lines.len();
    let on_set_up = door.selected().is_none();
    let (marker, style) = text::choice(on_set_up, theme);
    body.lines
        .extend(text::indented(&said.set_up, width, marker, "  ", style));
    body.lines.extend(text::indented(
        &said.set_up_note,
        width,
        "  ",
        "  ",
        theme.dim,
    ));
    if on_set_up {
        body.focus = Some(start..body.lines.len());
    }
    body
}

/// "ok, checked 3 days ago", "never checked".
fn last_check(row: &StoredRow, wizard: &Wizard) -> String {
    let said = &texts().front_door;
    let Some(check) = &row.record.last_check else {
        return said.never_checked.clone();
    };
    let verdict = Verdict::from(check.verdict).label();
    match days_since(&check.checked_at, wizard.front_door.listed_at) {
        Some(0) => fill(&said.checked_today, &[("verdict", verdict)]),
        Some(days) => fill(
            &said.checked_ago,
            &[("verdict", verdict), ("age", &age(days))],
        ),
        // Checked after the list was read (a re-check now) reads as today; an unreadable date as nothing.
        None if humantime::parse_rfc3339(&check.checked_at).is_ok() => {
            fill(&said.checked_today, &[("verdict", verdict)])
        }
        None => fill(&said.checked_unknown, &[("verdict", verdict)]),
    }
}

/// Which profile the setup stores into: a name field, and a note when that profile is already stored.
pub fn new_profile(wizard: &Wizard, theme: &Theme, width: usize) -> Body {
    let said = &texts().front_door;
    let mut body = Body::new(&said.new_profile_title);
    body.lines
        .extend(text::wrap(&said.new_profile_intro, width, theme.text));
    body.lines.push(Line::default());
    body.lines
        .push(Line::styled(said.new_profile_label.clone(), theme.title));
    let (shown, cursor) = wizard.new_profile_name.display(width.saturating_sub(4));
    body.cursor = Some((body.lines.len(), 2 + cursor as u16));
    body.lines.push(Line::from(vec![
        Span::raw("  "),
        Span::styled(shown, theme.input_focused),
    ]));
    let name = wizard.new_profile_name.value().trim();
    match ProfileName::new(name) {
        Err(err) if !name.is_empty() => body.lines.extend(text::indented(
            &err.to_string(),
            width,
            "  ✗ ",
            "    ",
            theme.error,
        )),
        _ if wizard.front_door.rows.iter().any(|row| row.name == name) => {
            body.lines.extend(text::indented(
                &fill(&said.new_profile_replaces, &[("profile", name)]),
                width,
                "  ! ",
                "    ",
                theme.warning,
            ));
        }
        _ => {}
    }
    body
}
