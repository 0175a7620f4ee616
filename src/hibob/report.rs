//! Turning HiBob's answers into a report: per-scope statuses and one verdict. Pure: no I/O, no clock.

use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::credential::CredentialKind;
use crate::exit::Exit;
use crate::hibob::endpoint::ApiUrl;
use crate::hibob::fields::Placement;
use crate::hibob::probe::{Probe, ProbeResult};
use crate::hibob::scope::Scope;

mod classify;
mod summary;

pub use classify::{classify, hidden_categories, placement_of};
use summary::summarize;

/// The status of one scope after a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeStatus {
    /// HiBob's answer showed data that a missing permission would have hidden.
    Granted,
    /// Some of the scope's field categories came back, others were silently left out.
    Partial,
    /// HiBob refused (403), or left out every field that proves this scope.
    Missing,
    /// 200 but no employees: the permission group's "Access data for" selects nobody.
    Empty,
    /// 200, but with nothing a missing permission would also have hidden (an empty who's out list).
    Unproven,
    /// 404: the module is not active for this company, or HiBob retired the endpoint.
    Unavailable,
    /// A write scope: checking it would mean changing data, so it is never probed.
    NotChecked,
    /// The probe could not complete (network, timeout, 5xx, 429, unexpected answer, a blocked address).
    Unknown,
}

impl ScopeStatus {
    /// A one-character mark for tables, the same in the terminal report and the wizard.
    pub fn mark(self) -> &'static str {
        match self {
            ScopeStatus::Granted => "✓",
            ScopeStatus::Partial => "◐",
            ScopeStatus::Missing => "✗",
            ScopeStatus::Empty | ScopeStatus::Unproven => "!",
            ScopeStatus::Unavailable => "∅",
            ScopeStatus::NotChecked => "-",
            ScopeStatus::Unknown => "?",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ScopeStatus::Granted => "granted",
            ScopeStatus::Partial => "partial",
            ScopeStatus::Missing => "missing",
            ScopeStatus::Empty => "empty",
            ScopeStatus::Unproven => "unproven",
            ScopeStatus::Unavailable => "unavailable",
            ScopeStatus::NotChecked => "not checked",
            ScopeStatus::Unknown => "unknown",
        }
    }

    /// Whether this status can only come from an authenticated answer.
    fn proves_authentication(self) -> bool {
        matches!(
            self,
            ScopeStatus::Granted
                | ScopeStatus::Partial
                | ScopeStatus::Missing
                | ScopeStatus::Empty
                | ScopeStatus::Unproven
        )
    }

    /// Whether this status makes a check `limited`.
    fn limits(self) -> bool {
        matches!(
            self,
            ScopeStatus::Partial
                | ScopeStatus::Missing
                | ScopeStatus::Empty
                | ScopeStatus::Unproven
                | ScopeStatus::Unavailable
        )
    }
}

/// The overall verdict of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ok,
    Limited,
    /// HiBob refused a request that needs no permission: the address or the credential is blocked.
    Blocked,
    Rejected,
    Unverifiable,
}

impl Verdict {
    pub fn exit(self) -> Exit {
        match self {
            Verdict::Ok => Exit::Ok,
            Verdict::Limited => Exit::Limited,
            Verdict::Blocked => Exit::Blocked,
            Verdict::Rejected => Exit::Rejected,
            Verdict::Unverifiable => Exit::Unverifiable,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Limited => "limited",
            Verdict::Blocked => "blocked",
            Verdict::Rejected => "rejected",
            Verdict::Unverifiable => "unverifiable",
        }
    }
}

/// One row of the report: a scope, what happened to its probe, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionResult {
    pub scope: Scope,
    pub status: ScopeStatus,
    /// `METHOD /path` of the probe, or `None` for a scope that is never probed.
    pub endpoint: Option<String>,
    /// The last HTTP status HiBob answered, if any.
    pub http_status: Option<u16>,
    /// What it means and what to do about it.
    pub detail: String,
    /// What was seen: "3 employees; categories root, about, work, employment returned". Never data.
    pub evidence: String,
}

/// The result of a whole check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub kind: CredentialKind,
    pub api_url: ApiUrl,
    pub verdict: Verdict,
    /// One row per scope, in the documented order.
    pub permissions: Vec<PermissionResult>,
    /// Why the verdict is what it is, and what to do next, in a sentence or two.
    pub summary: String,
    pub checked_at: SystemTime,
    pub elapsed: Duration,
}

impl Report {
    /// Build the report from the probes' results. Probes missing from `results` count as not completed.
    pub fn from_results(
        kind: CredentialKind,
        api_url: ApiUrl,
        results: &[ProbeResult],
        checked_at: SystemTime,
        elapsed: Duration,
    ) -> Report {
        let blocked = is_blocked(results);
        let placement = placement_of(results);
        let permissions: Vec<PermissionResult> = Scope::ALL
            .into_iter()
            .map(|scope| permission_for(kind, scope, results, blocked, placement))
            .collect();
        let verdict = verdict_for(results, blocked, &permissions);
        let summary = summarize(kind, verdict, results, &permissions);
        Report {
            kind,
            api_url,
            verdict,
            permissions,
            summary,
            checked_at,
            elapsed,
        }
    }

    pub fn permission(&self, scope: Scope) -> &PermissionResult {
        self.permissions
            .iter()
            .find(|row| row.scope == scope)
            .expect("every scope has a row")
    }
}

/// What one probe's answer says about one scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub status: ScopeStatus,
    /// What it means and what to do.
    pub detail: String,
    /// What was seen.
    pub evidence: String,
}

impl Finding {
    fn new(status: ScopeStatus, detail: impl Into<String>, evidence: impl Into<String>) -> Self {
        Finding {
            status,
            detail: detail.into(),
            evidence: evidence.into(),
        }
    }
}

/// A 403 on the field list, which needs no permission, or a 403 that is an HTML page (a firewall's, not
/// HiBob's API's JSON): the address or the credential is blocked, whatever the other answers say.
fn is_blocked(results: &[ProbeResult]) -> bool {
    results.iter().any(|result| {
        matches!(&result.outcome, Ok(answer) if answer.status == 403
            && (result.probe == Probe::Fields || answer.is_html()))
    })
}

fn permission_for(
    kind: CredentialKind,
    scope: Scope,
    results: &[ProbeResult],
    blocked: bool,
    placement: Placement,
) -> PermissionResult {
    let Some(probe) = Probe::for_scope(scope) else {
        return PermissionResult {
            scope,
            status: ScopeStatus::NotChecked,
            endpoint: None,
            http_status: None,
            detail: "never probed: proving it would mean changing data".to_string(),
            evidence: "no request sent".to_string(),
        };
    };
    let endpoint = Some(probe.endpoint());
    match results.iter().find(|result| result.probe == probe) {
        Some(result) => {
            let mut finding = classify(kind, scope, result, placement);
            let http_status = result.outcome.as_ref().ok().map(|answer| answer.status);
            // While HiBob refuses requests from here, a refusal or a gap says nothing about a permission:
            // only what was positively seen stands.
            if blocked && finding.status != ScopeStatus::Granted {
                let why = if http_status == Some(403) {
                    "refused like every request from here (403); see the summary"
                } else {
                    "not judged while HiBob refuses requests from here; see the summary"
                };
                if finding.status != ScopeStatus::Unknown || http_status == Some(403) {
                    finding.detail = why.to_string();
                }
                finding.status = ScopeStatus::Unknown;
            }
            PermissionResult {
                scope,
                status: finding.status,
                endpoint,
                http_status,
                detail: finding.detail,
                evidence: finding.evidence,
            }
        }
        None => PermissionResult {
            scope,
            status: ScopeStatus::Unknown,
            endpoint,
            http_status: None,
            detail: "the probe did not complete".to_string(),
            evidence: "no answer".to_string(),
        },
    }
}

fn status_of(results: &[ProbeResult], status: u16) -> bool {
    results
        .iter()
        .any(|result| matches!(&result.outcome, Ok(answer) if answer.status == status))
}

fn verdict_for(
    results: &[ProbeResult],
    blocked: bool,
    permissions: &[PermissionResult],
) -> Verdict {
    // A 401 anywhere means HiBob does not accept the credential, whatever else happened.
    if status_of(results, 401) {
        return Verdict::Rejected;
    }
    if blocked {
        return Verdict::Blocked;
    }
    if !permissions
        .iter()
        .any(|row| row.status.proves_authentication())
    {
        return Verdict::Unverifiable;
    }
    let checked: Vec<ScopeStatus> = permissions
        .iter()
        .map(|row| row.status)
        .filter(|status| *status != ScopeStatus::NotChecked)
        .collect();
    if checked.iter().any(|status| status.limits()) {
        Verdict::Limited
    } else if checked.contains(&ScopeStatus::Unknown) {
        Verdict::Unverifiable
    } else {
        Verdict::Ok
    }
}

pub mod view;

#[cfg(test)]
mod tests;
