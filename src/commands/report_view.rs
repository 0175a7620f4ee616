//! How a check's report is shown by the non-interactive commands: a table for people, JSON for scripts.

use serde::Serialize;

use crate::hibob::{PermissionResult, Report, ScopeStatus, Verdict};

/// Where the checked credential came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Env,
    Keyring,
    Stdin,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::Env => "environment variables",
            Source::Keyring => "OS keyring",
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
    let json = ReportJson {
        profile,
        source,
        kind: report.kind.id(),
        api_url: report.api_url.as_str(),
        verdict: report.verdict,
        summary: &report.summary,
        permissions: &report.permissions,
        checked_at: humantime::format_rfc3339_seconds(report.checked_at).to_string(),
        elapsed_ms: u64::try_from(report.elapsed.as_millis()).unwrap_or(u64::MAX),
    };
    serde_json::to_string_pretty(&json).expect("the report serializes")
}

fn status_mark(status: ScopeStatus) -> &'static str {
    match status {
        ScopeStatus::Granted => "✓",
        ScopeStatus::Missing => "✗",
        ScopeStatus::Empty => "!",
        ScopeStatus::NotChecked => "-",
        ScopeStatus::Unknown => "?",
    }
}

/// The human-readable report. `masked_token` is at most the last four characters behind a mask.
pub fn to_text(report: &Report, profile: &str, source: Source, identity: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "HiBob credential check: {}\n",
        report.verdict.label().to_uppercase()
    ));
    out.push_str(&format!("  profile    {profile}\n"));
    out.push_str(&format!("  source     {}\n", source.describe()));
    out.push_str(&format!("  kind       {}\n", report.kind.label()));
    out.push_str(&format!("  credential {identity}\n"));
    out.push_str(&format!("  API        {}\n", report.api_url));
    out.push('\n');
    let width = report
        .permissions
        .iter()
        .map(|row| row.scope.name().chars().count())
        .max()
        .unwrap_or(0);
    for row in &report.permissions {
        out.push_str(&format!(
            "  {} {:<width$}  {:<11}  {}\n",
            status_mark(row.status),
            row.scope.name(),
            row.status.label(),
            row.detail,
        ));
    }
    out.push('\n');
    out.push_str(&report.summary);
    out.push('\n');
    out
}
