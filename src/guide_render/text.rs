//! Plain text for terminals and pipes: wrapped to a width, numbered steps, `[ ]` checklists.
//!
//! Words are never split, so a URL or a long command stays copyable on one line even when it is wider
//! than the width; everything else fits.

use std::fmt::Write as _;

use textwrap::{Options, WordSplitter};

use super::{paragraphs, status_label, step_heading};
use crate::steps::{Flow, FlowStatus, Guide, Link, Step, Troubleshooting, scope_named_in};

/// Narrower widths are rendered at this width: below it, indents would leave room for a word or two.
pub const MIN_WIDTH: usize = 20;

const BODY_INDENT: &str = "  ";
const CHECKBOX: &str = "  [ ] ";
const CHECKBOX_CONTINUATION: &str = "      ";
const BULLET: &str = "  - ";
const BULLET_CONTINUATION: &str = "    ";
/// Every line of a retired flow's note starts with this, so the warning cannot be skimmed past.
const RETIRED_MARK: &str = "!! ";

/// The whole guide: each flow, then troubleshooting, then links, separated by blank lines.
pub fn render_text(guide: &Guide, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut sections: Vec<String> = guide
        .flows
        .iter()
        .map(|flow| render_flow_text(flow, width))
        .collect();
    if !guide.troubleshooting.is_empty() {
        sections.push(render_troubleshooting_text(&guide.troubleshooting, width));
    }
    if !guide.links.is_empty() {
        sections.push(render_links_text(&guide.links, width));
    }
    sections.join("\n")
}

/// One flow: its title, its status note first (a retired flow says so before anything else), its summary,
/// then every step.
pub fn render_flow_text(flow: &Flow, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = heading(&flow.title, '=', width);
    out.push('\n');
    out.push_str(&render_status_text(flow, width));
    out.push('\n');
    push_wrapped(&mut out, &flow.summary, width, "", "");
    let total = flow.steps.len();
    for (index, step) in flow.steps.iter().enumerate() {
        out.push('\n');
        out.push_str(&render_step_text(step, index + 1, total, width));
    }
    out
}

/// The flow's status note, wrapped. A retired flow's note is marked on every line.
pub fn render_status_text(flow: &Flow, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let label = status_label(flow.status);
    let mut out = String::new();
    match flow.status {
        FlowStatus::Retired => push_wrapped(
            &mut out,
            &format!("{label}: {}", flow.status_note),
            width,
            RETIRED_MARK,
            RETIRED_MARK,
        ),
        FlowStatus::Current => push_wrapped(
            &mut out,
            &format!("{label}: {}", flow.status_note),
            width,
            "",
            "",
        ),
    }
    out
}

/// One step: "Step N of TOTAL: title", its text, and its checklist as `[ ]` items.
pub fn render_step_text(step: &Step, number: usize, total: usize, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = heading(&step_heading(number, total, &step.title), '-', width);
    for paragraph in paragraphs(&step.text) {
        out.push('\n');
        push_wrapped(&mut out, &paragraph, width, BODY_INDENT, BODY_INDENT);
    }
    if !step.checklist.is_empty() {
        out.push('\n');
        for item in &step.checklist {
            // A scope's exact name stays on one line, so it can be found by searching for it.
            let scope = scope_named_in(item).map(|scope| scope.name());
            push_wrapped_keeping(
                &mut out,
                item,
                width,
                (CHECKBOX, CHECKBOX_CONTINUATION),
                scope,
            );
        }
    }
    out
}

/// Each error as the user sees it, on its own line, then its fixes.
pub fn render_troubleshooting_text(entries: &[Troubleshooting], width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = heading("Troubleshooting", '=', width);
    for entry in entries {
        out.push('\n');
        push_wrapped(&mut out, &entry.error, width, "", "");
        for fix in &entry.fixes {
            push_wrapped(&mut out, fix, width, BULLET, BULLET_CONTINUATION);
        }
    }
    out
}

/// Each link's title, with its URL on a line of its own (never broken, so it stays clickable).
pub fn render_links_text(links: &[Link], width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = heading("Links", '=', width);
    out.push('\n');
    for link in links {
        push_wrapped(&mut out, &link.title, width, BULLET, BULLET_CONTINUATION);
        let _ = writeln!(out, "{BULLET_CONTINUATION}{}", link.url);
    }
    out
}

/// A title wrapped to the width and underlined as wide as its widest line.
fn heading(title: &str, underline: char, width: usize) -> String {
    let lines = textwrap::wrap(title, options(width, "", ""));
    let widest = lines
        .iter()
        .map(|line| textwrap::core::display_width(line))
        .max()
        .unwrap_or(0)
        .min(width);
    let mut out = String::new();
    for line in &lines {
        out.push_str(line);
        out.push('\n');
    }
    out.extend(std::iter::repeat_n(underline, widest));
    out.push('\n');
    out
}

fn push_wrapped(out: &mut String, text: &str, width: usize, first: &str, rest: &str) {
    push_wrapped_keeping(out, text, width, (first, rest), None);
}

/// Wrap `text`, keeping the phrase `keep` (when given, present and narrow enough to fit a line with some
/// room to spare) on one line: its spaces become no-break spaces while wrapping, which only splits at
/// ASCII spaces.
fn push_wrapped_keeping(
    out: &mut String,
    text: &str,
    width: usize,
    (first, rest): (&str, &str),
    keep: Option<&str>,
) {
    const GLUE: char = '\u{a0}';
    let indent = textwrap::core::display_width(first).max(textwrap::core::display_width(rest));
    let room = width.saturating_sub(indent);
    let glued = keep
        .filter(|phrase| text.contains(phrase))
        // Room for the phrase plus the brackets or punctuation around it.
        .filter(|phrase| textwrap::core::display_width(phrase) + 2 <= room)
        .map(|phrase| text.replace(phrase, &phrase.replace(' ', &GLUE.to_string())));
    let text = glued.as_deref().unwrap_or(text);
    for line in textwrap::wrap(text, options(width, first, rest)) {
        let line = line.trim_end();
        if glued.is_some() {
            out.push_str(&line.replace(GLUE, " "));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// Wrap at spaces only: no hyphenation and no broken words, so IDs like `SERVICE-...`, URLs and commands
/// survive intact.
fn options<'a>(width: usize, first: &'a str, rest: &'a str) -> Options<'a> {
    Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_splitter(WordSplitter::NoHyphenation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::{FlowId, StepId, guide};

    /// Lines wider than the width are allowed only when, after their indent and marker, they hold a single
    /// word: one that cannot be broken (a URL, a command) and so was given a line of its own.
    fn assert_fits(rendered: &str, width: usize) {
        for line in rendered.lines() {
            if textwrap::core::display_width(line) > width {
                let content = line
                    .trim_start()
                    .trim_start_matches(RETIRED_MARK)
                    .trim_start_matches("[ ] ")
                    .trim_start_matches("- ");
                assert!(
                    !content.contains(' '),
                    "line wider than {width} that could have been wrapped: {line:?}"
                );
            }
        }
    }

    #[test]
    fn every_line_fits_the_width() {
        for width in [20, 33, 40, 60, 80, 100, 132] {
            let rendered = render_text(guide(), width);
            assert_fits(&rendered, width);
            let lines = rendered.lines().count();
            assert!(lines > 50, "width {width}: only {lines} lines");
        }
    }

    #[test]
    fn at_eighty_columns_no_line_is_wider_than_eighty() {
        // The assets hold no word longer than 80 columns, so nothing may overflow at the default width.
        let rendered = render_text(guide(), 80);
        let widest = rendered
            .lines()
            .map(textwrap::core::display_width)
            .max()
            .unwrap();
        assert!(widest <= 80, "widest line is {widest}");
    }

    #[test]
    fn tiny_widths_are_raised_to_the_minimum() {
        assert_eq!(render_text(guide(), 0), render_text(guide(), MIN_WIDTH));
    }

    #[test]
    fn urls_are_never_broken() {
        let rendered = render_text(guide(), MIN_WIDTH);
        for link in &guide().links {
            assert!(
                rendered.lines().any(|line| line.trim() == link.url),
                "{}",
                link.url
            );
        }
    }

    #[test]
    fn steps_are_numbered_and_checklists_are_boxes() {
        let flow = guide().flow(FlowId::ServiceUser);
        let rendered = render_flow_text(flow, 80);
        for step in StepId::ALL {
            let heading = format!("Step {} of 5: {}", step.number(), flow.step(step).title);
            assert!(rendered.contains(&heading), "{heading}");
        }
        let boxes = rendered
            .lines()
            .filter(|line| line.starts_with(CHECKBOX))
            .count();
        let items: usize = flow.steps.iter().map(|step| step.checklist.len()).sum();
        assert_eq!(boxes, items);
    }

    #[test]
    fn retired_flow_opens_with_its_marked_status_note() {
        let flow = guide().flow(FlowId::ApiToken);
        let rendered = render_flow_text(flow, 60);
        let first_after_heading = rendered
            .lines()
            .skip_while(|line| !line.starts_with('='))
            .skip(1)
            .find(|line| !line.is_empty())
            .unwrap();
        assert!(
            first_after_heading.starts_with("!! RETIRED BY HIBOB: "),
            "{first_after_heading}"
        );
        let note: Vec<&str> = rendered
            .lines()
            .filter_map(|line| line.strip_prefix(RETIRED_MARK))
            .collect();
        assert!(
            note.len() >= 2,
            "at 60 columns the note wraps, every line marked"
        );
        assert_eq!(
            note.join(" "),
            format!("RETIRED BY HIBOB: {}", flow.status_note)
        );
    }

    #[test]
    fn scope_names_are_not_split_across_lines() {
        let rendered = render_flow_text(guide().flow(FlowId::ServiceUser), 80);
        for scope in crate::hibob::Scope::ALL {
            assert!(
                rendered.lines().any(|line| line.contains(scope.name())),
                "{}",
                scope.name()
            );
        }
        assert!(!rendered.contains('\u{a0}'));
    }

    #[test]
    fn heading_underline_matches_title() {
        assert_eq!(heading("Links", '=', 80), "Links\n=====\n");
        let wrapped = heading("a rather long title that wraps", '-', 20);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[2].chars().all(|c| c == '-'));
        assert!(lines[2].len() <= 20);
    }
}
