//! How a check's report is shown by the non-interactive commands: a table for people, JSON for scripts.
//! Beside the report it renders; the wizard draws its own.

use serde::Serialize;

use crate::hibob::report::{PermissionResult, Report, ScopeStatus, Verdict};

/// Where the checked credential came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Env,
    Keyring,
    /// The team's HashiCorp Vault or OpenBao.
    Vault,
    Stdin,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::Env => "environment variables",
            Source::Keyring => "OS keyring",
            Source::Vault => "Vault",
            Source::Stdin => "standard input",
        }
    }
}

/// The stable JSON shape of `check --json` (and `login --json`).
#[derive(Debug, Serialize)]
pub struct ReportJson<'a> {
    pub profile: &'a str,
    pub source: Source,
    pub kind: &'static str,
    pub api_url: &'a str,
    pub verdict: Verdict,
    pub summary: &'a str,
    pub permissions: &'a [PermissionResult],
    pub checked_at: String,
    pub elapsed_ms: u64,
}

pub fn to_json(report: &Report, profile: &str, source: Source) -> String {
    serde_json::to_string_pretty(&report_json(report, profile, source))
        .expect("the report serializes")
}

/// The report in the shape of [`to_json`], for callers that put it inside a larger document.
pub fn report_json<'a>(report: &'a Report, profile: &'a str, source: Source) -> ReportJson<'a> {
    ReportJson {
        profile,
        source,
        kind: report.kind.id(),
        api_url: report.api_url.as_str(),
        verdict: report.verdict,
        summary: &report.summary,
        permissions: &report.permissions,
        checked_at: humantime::format_rfc3339_seconds(report.checked_at).to_string(),
        elapsed_ms: u64::try_from(report.elapsed.as_millis()).unwrap_or(u64::MAX),
    }
}

/// The width `to_text` wraps to: what a pipe or a log gets, and what fits any terminal.
pub const DEFAULT_WIDTH: usize = 80;
/// Below this the table cannot hold a scope name next to its status, so narrower asks are widened.
const MIN_WIDTH: usize = 60;

/// The human-readable report, wrapped to [`DEFAULT_WIDTH`] columns. `identity` names the credential with its
/// token masked (at most the last four characters); the token itself is never passed here.
pub fn to_text(report: &Report, profile: &str, source: Source, identity: &str) -> String {
    to_text_width(report, profile, source, identity, DEFAULT_WIDTH)
}

/// [`to_text`] wrapped to `width` columns (a terminal's width).
pub fn to_text_width(
    report: &Report,
    profile: &str,
    source: Source,
    identity: &str,
    width: usize,
) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = String::new();
    // The verdict comes first: it is what a person (and the exit code) acts on.
    out.push_str(&format!(
        "HiBob credential check: {}\n",
        report.verdict.label().to_uppercase()
    ));
    push_wrapped(&mut out, &report.summary, "", width);
    out.push('\n');

    let facts = [
        ("profile", profile.to_string()),
        ("source", source.describe().to_string()),
        ("kind", report.kind.label().to_string()),
        ("credential", identity.to_string()),
        ("API", report.api_url.to_string()),
        (
            "checked",
            format!(
                "{} in {} ms",
                humantime::format_rfc3339_seconds(report.checked_at),
                report.elapsed.as_millis()
            ),
        ),
    ];
    for (name, value) in facts {
        out.push_str(&format!("  {name:<10}  {value}\n"));
    }
    out.push('\n');

    // Each scope on its own line, its status aligned in a column, the detail wrapped underneath.
    let label_width = STATUS_LABEL_WIDTH;
    let detail_indent = " ".repeat(2 + 1 + 1 + label_width + 2);
    for row in &report.permissions {
        out.push_str(&format!(
            "  {} {:<label_width$}  {}\n",
            row.status.mark(),
            row.status.label(),
            row.scope.name(),
        ));
        push_wrapped(&mut out, &row.detail, &detail_indent, width);
        if row.status != ScopeStatus::NotChecked {
            push_wrapped(
                &mut out,
                &format!("seen: {}", row.evidence),
                &detail_indent,
                width,
            );
        }
    }
    out
}

/// The longest status label ("not checked"), so the scope names line up.
const STATUS_LABEL_WIDTH: usize = 11;

fn push_wrapped(out: &mut String, text: &str, indent: &str, width: usize) {
    let options = textwrap::Options::new(width)
        .initial_indent(indent)
        .subsequent_indent(indent);
    for line in textwrap::wrap(text, options) {
        out.push_str(&line);
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;
    use crate::credential::CredentialKind;
    use crate::hibob::ApiUrl;
    use std::collections::BTreeSet;

    use crate::hibob::fields::{ASKED, FieldPlaces};
    use crate::hibob::probe::{Answer, Probe, ProbeResult};
    use crate::hibob::{PeopleSeen, Seen};

    /// A report whose who's out answered `whos_out_status` (403: missing), the rest granted.
    fn report(whos_out_status: u16) -> Report {
        let everything: BTreeSet<_> = ASKED.into_iter().collect();
        let results: Vec<ProbeResult> = Probe::ALL
            .into_iter()
            .map(|probe| {
                let answer = match probe {
                    Probe::Fields => Answer::seen(
                        200,
                        Seen::FieldList {
                            fields: ASKED.len(),
                            places: FieldPlaces::defaults(),
                        },
                    ),
                    Probe::People => Answer::seen(
                        200,
                        Seen::People(PeopleSeen {
                            employees: 1,
                            returned: everything.clone(),
                            stopped_early: false,
                        }),
                    ),
                    Probe::WhosOut if whos_out_status == 200 => {
                        Answer::seen(200, Seen::Absences { any: true })
                    }
                    Probe::WhosOut => Answer::text(whos_out_status, ""),
                };
                ProbeResult {
                    probe,
                    outcome: Ok(answer),
                    attempts: 1,
                }
            })
            .collect();
        Report::from_results(
            CredentialKind::ServiceUser,
            ApiUrl::parse("https://api.hibob.com").unwrap(),
            &results,
            UNIX_EPOCH + Duration::from_secs(1_700_000_000),
            Duration::from_millis(321),
        )
    }

    #[test]
    fn text_starts_with_the_verdict_and_lines_fit_the_width() {
        let text = to_text(
            &report(403),
            "default",
            Source::Env,
            "SERVICE-1, token ••••abcd",
        );
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("HiBob credential check: LIMITED"));
        for line in text.lines() {
            assert!(line.chars().count() <= DEFAULT_WIDTH, "too wide: {line}");
        }
        assert!(text.contains("  credential  SERVICE-1, token ••••abcd\n"));
        assert!(text.contains("  checked     2023-11-14T22:13:20Z in 321 ms\n"));
    }

    #[test]
    fn scope_names_line_up_after_the_status_column() {
        let text = to_text(&report(403), "default", Source::Env, "x");
        let column = |name: &str| {
            let line = text
                .lines()
                .find(|line| line.ends_with(name))
                .unwrap_or_else(|| panic!("no row for {name}"));
            line.chars().count() - name.chars().count()
        };
        let first = column("Full employee read");
        for scope in crate::hibob::Scope::ALL {
            assert_eq!(column(scope.name()), first, "{}", scope.name());
        }
        assert!(
            text.contains("  ✗ missing      Timeoff submit request & read who's out\n"),
            "{text}"
        );
        assert!(
            text.contains("  - not checked  Employee update\n"),
            "{text}"
        );
    }

    #[test]
    fn narrow_widths_are_widened_to_the_minimum() {
        let text = to_text_width(&report(200), "default", Source::Keyring, "x", 10);
        for line in text.lines() {
            assert!(line.chars().count() <= MIN_WIDTH, "too wide: {line}");
        }
    }

    #[test]
    fn json_has_exactly_the_documented_keys_in_order() {
        let json = to_json(&report(200), "default", Source::Env);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let documented = [
            "profile",
            "source",
            "kind",
            "api_url",
            "verdict",
            "summary",
            "permissions",
            "checked_at",
            "elapsed_ms",
        ];
        assert_eq!(value.as_object().unwrap().len(), documented.len());
        // The printed order is the documented one (serde_json's Value would sort, so look at the text).
        let positions: Vec<usize> = documented
            .iter()
            .map(|key| {
                json.find(&format!("\n  \"{key}\":"))
                    .unwrap_or_else(|| panic!("no top-level {key}"))
            })
            .collect();
        assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{json}");
        assert_eq!(value["checked_at"], "2023-11-14T22:13:20Z");
        assert_eq!(value["elapsed_ms"], 321);
        assert_eq!(value["source"], "env");
        assert_eq!(value["kind"], "service-user");
    }
}
