//! Rendering the guide: plain text wrapped to a width, Markdown for code-hosting sites, and JSON.
//!
//! Every function here is pure: it turns the step model (`crate::steps`, parsed from `assets/`) into a string.
//! No sentence of the instructions lives in Rust; only structure does (headings, numbering, checkboxes).
//! The `guide` command prints these; the wizard can reuse the per-flow and per-step pieces.

mod markdown;
mod text;

pub use markdown::{
    render_flow_markdown, render_links_markdown, render_markdown, render_step_markdown,
    render_troubleshooting_markdown,
};
pub use text::{
    MIN_WIDTH, render_flow_text, render_links_text, render_status_text, render_step_text,
    render_text, render_troubleshooting_text,
};

use crate::steps::{FlowId, FlowStatus, Guide};

/// The width used when the output is not a terminal (piped, redirected, captured by tests).
pub const DEFAULT_WIDTH: usize = 80;

/// The guide with only the chosen flow (or every flow, in the guide's order, when `only` is `None`).
/// Troubleshooting and links are kept whatever the choice: they apply to both flows.
pub fn select(guide: &Guide, only: Option<FlowId>) -> Guide {
    Guide {
        flows: guide
            .flows
            .iter()
            .filter(|flow| only.is_none_or(|id| flow.id == id))
            .cloned()
            .collect(),
        troubleshooting: guide.troubleshooting.clone(),
        links: guide.links.clone(),
    }
}

/// The documented, stable JSON shape:
/// `{"flows":[{"id","title","summary","status","status_note","steps":[{"id","title","text","checklist"}]}],
///   "troubleshooting":[{"error","fixes"}],"links":[{"title","url"}]}`, pretty-printed, with a final newline.
pub fn render_json(guide: &Guide) -> String {
    let mut json = serde_json::to_string_pretty(guide).expect("the guide model always serializes");
    json.push('\n');
    json
}

/// The short label that introduces a flow's status note.
fn status_label(status: FlowStatus) -> &'static str {
    match status {
        FlowStatus::Current => "Current method",
        FlowStatus::Retired => "RETIRED BY HIBOB",
    }
}

/// "Step 3 of 5: Title", the same numbering in every format.
fn step_heading(number: usize, total: usize, title: &str) -> String {
    format!("Step {number} of {total}: {title}")
}

/// The paragraphs of an asset text: blank lines separate paragraphs; single line breaks inside one are
/// only layout in the TOML file, so they are joined with spaces.
fn paragraphs(text: &str) -> Vec<String> {
    let mut result = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                result.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        result.push(current.join(" "));
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::guide;

    #[test]
    fn select_keeps_one_flow_or_all_in_order() {
        let all = select(guide(), None);
        let ids: Vec<FlowId> = all.flows.iter().map(|flow| flow.id).collect();
        assert_eq!(ids, vec![FlowId::ServiceUser, FlowId::ApiToken]);
        let only = select(guide(), Some(FlowId::ApiToken));
        assert_eq!(only.flows.len(), 1);
        assert_eq!(only.flows[0].id, FlowId::ApiToken);
        assert_eq!(only.troubleshooting, guide().troubleshooting);
        assert_eq!(only.links, guide().links);
    }

    #[test]
    fn paragraphs_split_on_blank_lines_and_join_soft_breaks() {
        assert_eq!(
            paragraphs("one\ntwo\n\n  three  \n\n\n"),
            vec!["one two".to_string(), "three".to_string()]
        );
        assert!(paragraphs(" \n \n").is_empty());
    }

    #[test]
    fn json_has_the_documented_keys() {
        let value: serde_json::Value = serde_json::from_str(&render_json(guide())).unwrap();
        let mut keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, vec!["flows", "links", "troubleshooting"]);
        let step = &value["flows"][0]["steps"][0];
        for key in ["id", "title", "text", "checklist"] {
            assert!(step.get(key).is_some(), "{key}");
        }
    }
}
