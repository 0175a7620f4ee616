//! Markdown that reads well on a code-hosting site (GitHub-flavoured): a `##` heading per flow, numbered
//! `###` steps, `- [ ]` checklists, the status note as a blockquote alert, and real links.
//! Paragraphs are not wrapped: the site wraps them, and one line per paragraph diffs cleanly.

use std::fmt::Write as _;

use super::{paragraphs, status_label, step_heading};
use crate::steps::{Flow, FlowStatus, Guide, Link, Step, Troubleshooting};

/// The whole guide: each flow, then troubleshooting, then links. Starts at `##` so it can be pasted into
/// a README under its own title.
pub fn render_markdown(guide: &Guide) -> String {
    let mut sections: Vec<String> = guide.flows.iter().map(render_flow_markdown).collect();
    if !guide.troubleshooting.is_empty() {
        sections.push(render_troubleshooting_markdown(&guide.troubleshooting));
    }
    if !guide.links.is_empty() {
        sections.push(render_links_markdown(&guide.links));
    }
    sections.join("\n")
}

/// One flow: heading, the status note as an alert (a warning when HiBob retired the flow), summary, steps.
pub fn render_flow_markdown(flow: &Flow) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", escape(&flow.title));
    let alert = match flow.status {
        FlowStatus::Current => "NOTE",
        FlowStatus::Retired => "WARNING",
    };
    let _ = writeln!(out, "> [!{alert}]");
    let _ = writeln!(
        out,
        "> **{}.** {}\n",
        status_label(flow.status),
        escape(&flow.status_note)
    );
    for paragraph in paragraphs(&flow.summary) {
        let _ = writeln!(out, "{}\n", escape(&paragraph));
    }
    let total = flow.steps.len();
    let steps: Vec<String> = flow
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| render_step_markdown(step, index + 1, total))
        .collect();
    out.push_str(&steps.join("\n"));
    out
}

/// One step: a `###` "Step N of TOTAL" heading, its text, its checklist as task-list items.
pub fn render_step_markdown(step: &Step, number: usize, total: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### {}\n",
        escape(&step_heading(number, total, &step.title))
    );
    for paragraph in paragraphs(&step.text) {
        let _ = writeln!(out, "{}\n", escape(&paragraph));
    }
    for item in &step.checklist {
        let _ = writeln!(out, "- [ ] {}", escape(item));
    }
    out
}

/// Each error as a `###` heading (so it can be linked to), then its fixes.
pub fn render_troubleshooting_markdown(entries: &[Troubleshooting]) -> String {
    section("## Troubleshooting\n", entries, |out, entry| {
        let _ = writeln!(out, "\n### {}\n", escape(&entry.error));
        for fix in &entry.fixes {
            let _ = writeln!(out, "- {}", escape(fix));
        }
    })
}

pub fn render_links_markdown(links: &[Link]) -> String {
    section("## Links\n\n", links, |out, link| {
        let _ = writeln!(
            out,
            "- [{}]({})",
            escape(&link.title),
            destination(&link.url)
        );
    })
}

/// A heading, then each entry as `write` puts it.
fn section<T>(heading: &str, entries: &[T], write: impl Fn(&mut String, &T)) -> String {
    let mut out = String::from(heading);
    for entry in entries {
        write(&mut out, entry);
    }
    out
}

/// A link destination; wrapped in `<>` only when it holds characters that would end a bare one.
fn destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

/// Backslash-escape what Markdown would otherwise read as formatting: emphasis, code, links, HTML, and a
/// block marker at the start of the text. The assets are prose, so this is rare and keeps them literal.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if starts_block(text) {
        out.push('\\');
    }
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Would a line starting with this text become a heading, quote, list item or rule?
fn starts_block(text: &str) -> bool {
    let first = text.chars().next();
    if matches!(first, Some('#' | '>' | '-' | '+' | '=' | '~')) {
        return true;
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && matches!(text[digits..].chars().next(), Some('.' | ')'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::{FlowId, guide};

    #[test]
    fn escapes_formatting_but_not_plain_prose() {
        assert_eq!(
            escape("System settings > Integrations > Automation > Service users"),
            "System settings > Integrations > Automation > Service users"
        );
        assert_eq!(escape("a *b* _c_ `d`"), r"a \*b\* \_c\_ \`d\`");
        assert_eq!(escape("[x](y) <b>"), r"\[x\](y) \<b>");
        assert_eq!(escape("# not a heading"), r"\# not a heading");
        assert_eq!(escape("1. not a list"), r"\1. not a list");
        assert_eq!(escape("2025-05-06 is a date"), "2025-05-06 is a date");
    }

    #[test]
    fn odd_destinations_are_bracketed() {
        assert_eq!(destination("https://a.example/b"), "https://a.example/b");
        assert_eq!(
            destination("https://a.example/(b)"),
            "<https://a.example/(b)>"
        );
    }

    #[test]
    fn retired_flow_is_a_warning_alert_before_its_steps() {
        let rendered = render_flow_markdown(guide().flow(FlowId::ApiToken));
        let alert = rendered.find("> [!WARNING]").expect("warning alert");
        let first_step = rendered.find("### Step 1 of 5").expect("first step");
        assert!(alert < first_step);
        assert!(rendered.contains("> **RETIRED BY HIBOB.** HiBob stopped accepting"));
    }

    #[test]
    fn current_flow_is_a_note() {
        let rendered = render_flow_markdown(guide().flow(FlowId::ServiceUser));
        assert!(rendered.contains("> [!NOTE]\n> **Current method.** "));
        assert!(!rendered.contains("[!WARNING]"));
    }

    #[test]
    fn checklists_are_task_lists_and_links_are_links() {
        let rendered = render_markdown(guide());
        assert!(rendered.contains("- [ ] Full employee read\n"));
        assert!(rendered.contains("- [HiBob API reference](https://apidocs.hibob.com/docs)\n"));
        assert!(rendered.contains(
            "### Could not connect account. Please check your credentials and try again\n"
        ));
    }

    #[test]
    fn sections_are_separated_by_one_blank_line() {
        let rendered = render_markdown(guide());
        assert!(!rendered.contains("\n\n\n"));
        assert!(rendered.ends_with(")\n"));
    }
}
