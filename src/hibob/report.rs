//! Turning HiBob's answers into a report: per-scope statuses and one verdict. Pure: no I/O, no clock.

use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::credential::CredentialKind;
use crate::exit::Exit;
use crate::hibob::endpoint::ApiUrl;
use crate::hibob::probe::{Answer, Probe, ProbeResult, TransportFailure};
use crate::hibob::scope::Scope;

/// The status of one scope after a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeStatus {
    Granted,
    /// HiBob answered 403: authenticated, but this permission is missing.
    Missing,
    /// 200 but no employees: the permission group's "Access data for" selects nobody.
    Empty,
    /// A write scope: checking it would mean changing data, so it is never probed.
    NotChecked,
    /// The probe could not complete (network, timeout, 5xx, 429, unexpected answer).
    Unknown,
}

impl ScopeStatus {
    pub fn label(self) -> &'static str {
        match self {
            ScopeStatus::Granted => "granted",
            ScopeStatus::Missing => "missing",
            ScopeStatus::Empty => "empty",
            ScopeStatus::NotChecked => "not checked",
            ScopeStatus::Unknown => "unknown",
        }
    }
}

/// The overall verdict of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ok,
    Limited,
    Rejected,
    Unverifiable,
}

impl Verdict {
    pub fn exit(self) -> Exit {
        match self {
            Verdict::Ok => Exit::Ok,
            Verdict::Limited => Exit::Limited,
            Verdict::Rejected => Exit::Rejected,
            Verdict::Unverifiable => Exit::Unverifiable,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Limited => "limited",
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
    pub detail: String,
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
        let permissions: Vec<PermissionResult> = Scope::ALL
            .into_iter()
            .map(|scope| permission_for(kind, scope, results))
            .collect();
        let verdict = verdict_for(results, &permissions);
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

/// The status and detail of one probe's answer, before the verdict. Public for the wizard's live rows.
pub fn classify(kind: CredentialKind, probe: Probe, result: &ProbeResult) -> (ScopeStatus, String) {
    let answer = match &result.outcome {
        Ok(answer) => answer,
        Err(failure) => return (ScopeStatus::Unknown, failure.to_string()),
    };
    match answer.status {
        200..=299 => classify_success(kind, probe, answer),
        401 => (
            ScopeStatus::Unknown,
            "HiBob did not accept the credential (401)".to_string(),
        ),
        403 => (
            ScopeStatus::Missing,
            format!(
                "HiBob answered 403: the permission is missing; {}",
                probe.scope().how_to_grant(kind)
            ),
        ),
        429 => (
            ScopeStatus::Unknown,
            "HiBob is rate limiting these requests (429); try again in a minute".to_string(),
        ),
        status @ 500..=599 => (
            ScopeStatus::Unknown,
            format!("HiBob had a server error ({status}); this says nothing about the credential"),
        ),
        status => (
            ScopeStatus::Unknown,
            format!(
                "HiBob answered an unexpected HTTP {status}{}",
                error_text(&answer.body)
            ),
        ),
    }
}

fn classify_success(kind: CredentialKind, probe: Probe, answer: &Answer) -> (ScopeStatus, String) {
    if answer.truncated {
        return (
            ScopeStatus::Granted,
            "a large answer with data; not read to the end".to_string(),
        );
    }
    let parsed: Option<serde_json::Value> = serde_json::from_str(&answer.body).ok();
    let unexpected = || {
        (
            ScopeStatus::Unknown,
            format!(
                "HiBob answered {} but the body was not the JSON HiBob documents",
                answer.status
            ),
        )
    };
    match probe {
        Probe::Fields => match parsed {
            Some(serde_json::Value::Array(_)) => (
                ScopeStatus::Granted,
                match kind {
                    CredentialKind::ServiceUser => {
                        "the credential authenticates (this call needs no permission)".to_string()
                    }
                    CredentialKind::ApiToken => "the field list is readable".to_string(),
                },
            ),
            _ => unexpected(),
        },
        Probe::People | Probe::Payroll => {
            match parsed
                .as_ref()
                .and_then(|value| value.get("employees"))
                .and_then(|value| value.as_array())
            {
                Some(list) if list.is_empty() && probe == Probe::People => (
                    ScopeStatus::Empty,
                    match kind {
                        CredentialKind::ServiceUser => "no employees are visible: in the permission group, set \"Access data for\" to the employees this integration needs".to_string(),
                        CredentialKind::ApiToken => "no employees are visible to this token".to_string(),
                    },
                ),
                Some(list) => (ScopeStatus::Granted, format!("{} visible", count_of(list.len(), "employee"))),
                None => unexpected(),
            }
        }
        // `{"outs": []}` is a normal answer on a day when nobody is out.
        Probe::OutToday => match parsed {
            Some(serde_json::Value::Object(_)) => (
                ScopeStatus::Granted,
                "who's out today is readable".to_string(),
            ),
            _ => unexpected(),
        },
    }
}

/// "1 employee", "3 employees".
fn count_of(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// HiBob's error text, if the body is `{"error": "..."}`, as a suffix. Bounded, single line.
fn error_text(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|value| value.get("error")?.as_str().map(str::to_string))
        .map(|text| {
            let line: String = text.chars().filter(|c| !c.is_control()).take(160).collect();
            format!(": {line}")
        })
        .unwrap_or_default()
}

fn permission_for(kind: CredentialKind, scope: Scope, results: &[ProbeResult]) -> PermissionResult {
    let Some(probe) = Probe::for_scope(scope) else {
        return PermissionResult {
            scope,
            status: ScopeStatus::NotChecked,
            endpoint: None,
            http_status: None,
            detail: "never probed: proving it would mean changing data".to_string(),
        };
    };
    let endpoint = Some(probe.endpoint(kind));
    match results.iter().find(|result| result.probe == probe) {
        Some(result) => {
            let (status, detail) = classify(kind, probe, result);
            PermissionResult {
                scope,
                status,
                endpoint,
                http_status: result.outcome.as_ref().ok().map(|answer| answer.status),
                detail,
            }
        }
        None => PermissionResult {
            scope,
            status: ScopeStatus::Unknown,
            endpoint,
            http_status: None,
            detail: "the probe did not complete".to_string(),
        },
    }
}

fn status_of(results: &[ProbeResult], status: u16) -> bool {
    results
        .iter()
        .any(|result| matches!(&result.outcome, Ok(answer) if answer.status == status))
}

fn verdict_for(results: &[ProbeResult], permissions: &[PermissionResult]) -> Verdict {
    // A 401 anywhere means HiBob does not accept the credential, whatever else happened.
    if status_of(results, 401) {
        return Verdict::Rejected;
    }
    let authenticated = permissions.iter().any(|row| {
        matches!(
            row.status,
            ScopeStatus::Granted | ScopeStatus::Missing | ScopeStatus::Empty
        )
    });
    if !authenticated {
        return Verdict::Unverifiable;
    }
    let checked = permissions
        .iter()
        .filter(|row| row.status != ScopeStatus::NotChecked);
    let mut any_unknown = false;
    for row in checked {
        match row.status {
            ScopeStatus::Missing | ScopeStatus::Empty => return Verdict::Limited,
            ScopeStatus::Unknown => any_unknown = true,
            _ => {}
        }
    }
    if any_unknown {
        Verdict::Unverifiable
    } else {
        Verdict::Ok
    }
}

fn summarize(
    kind: CredentialKind,
    verdict: Verdict,
    results: &[ProbeResult],
    permissions: &[PermissionResult],
) -> String {
    match verdict {
        Verdict::Ok => "The credential works and every checked permission is granted.".to_string(),
        Verdict::Limited => {
            let names_with = |status: ScopeStatus| -> Vec<&str> {
                permissions
                    .iter()
                    .filter(|row| row.status == status)
                    .map(|row| row.scope.name())
                    .collect()
            };
            let missing = names_with(ScopeStatus::Missing);
            let empty = names_with(ScopeStatus::Empty);
            let mut parts = vec!["The credential works, but it is limited.".to_string()];
            if !missing.is_empty() {
                let fix = match kind {
                    CredentialKind::ServiceUser => "add them to the service user's permission group in HiBob (Settings > Integrations > Service users) and save",
                    CredentialKind::ApiToken => "enable them on HiBob's API access page and click Save",
                };
                parts.push(format!("Missing: {}; to fix, {fix}.", missing.join(", ")));
            }
            if !empty.is_empty() {
                let fix = match kind {
                    CredentialKind::ServiceUser => "in the permission group, set \"Access data for\" to the employees this integration needs",
                    CredentialKind::ApiToken => "check that the token's owner can see employees in HiBob",
                };
                parts.push(format!("Sees no employees: {}; to fix, {fix}.", empty.join(", ")));
            }
            parts.join(" ")
        }
        Verdict::Rejected => match kind {
            CredentialKind::ApiToken => "HiBob did not accept this API access token (401). HiBob stopped accepting API access tokens on 2024-10-31 and has not let anyone create one since 2024-06-15, so every API token is now rejected. Create a service user instead: Settings > Integrations > Service users > Create (see `hibob-auth guide --flow service-user`).".to_string(),
            CredentialKind::ServiceUser => "HiBob did not accept this service user (401). Check that the ID and the token belong together and were copied in full; a token is shown only once, so if in doubt reset it in Settings > Integrations > Service users. It was not retried: repeated rejections make HiBob's firewall block this address for about 5 minutes.".to_string(),
        },
        Verdict::Unverifiable => {
            let reason = first_failure(results)
                .unwrap_or_else(|| "HiBob did not answer every probe".to_string());
            format!(
                "The credential could not be verified: {reason}. The credential itself may be fine; check your network or HiBob's status and try again."
            )
        }
    }
}

fn first_failure(results: &[ProbeResult]) -> Option<String> {
    // Prefer the fields probe: it is the authentication check.
    let mut ordered: Vec<&ProbeResult> = results.iter().collect();
    ordered.sort_by_key(|result| result.probe);
    ordered
        .into_iter()
        .find_map(|result| match &result.outcome {
            Err(TransportFailure::Cancelled) => Some("the check was cancelled".to_string()),
            Err(failure) => Some(failure.to_string()),
            Ok(answer) if answer.status == 429 => {
                Some("HiBob kept rate limiting the requests (429)".to_string())
            }
            Ok(answer) if answer.status >= 500 => Some(format!("HiBob answered {}", answer.status)),
            Ok(_) => None,
        })
}

#[cfg(test)]
mod tests;
