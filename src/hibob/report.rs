//! Turning HiBob's answers into a report: per-scope statuses and one verdict. Pure: no I/O, no clock.

use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::credential::CredentialKind;
use crate::exit::Exit;
use crate::hibob::category::{self, Category};
use crate::hibob::endpoint::ApiUrl;
use crate::hibob::permissions::permission_names;
use crate::hibob::probe::{Answer, AnswerBody, Probe, ProbeResult, TransportFailure};
use crate::hibob::probe::{PeopleSeen, Seen};
use crate::hibob::scope::Scope;

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
        let permissions: Vec<PermissionResult> = Scope::ALL
            .into_iter()
            .map(|scope| permission_for(kind, scope, results, blocked))
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

/// What a probe's answer says about `scope`, before the verdict. Public for the wizard's live rows.
pub fn classify(kind: CredentialKind, scope: Scope, result: &ProbeResult) -> Finding {
    let answer = match &result.outcome {
        Ok(answer) => answer,
        Err(failure) => {
            return Finding::new(
                ScopeStatus::Unknown,
                failure.to_string(),
                format!("no answer: {failure}"),
            );
        }
    };
    let evidence = || format!("HTTP {}", answer.status);
    match answer.status {
        200..=299 => classify_success(kind, scope, answer),
        401 => Finding::new(
            ScopeStatus::Unknown,
            "HiBob did not accept the credential (401)",
            evidence(),
        ),
        403 if result.probe == Probe::Fields || answer.is_html() => Finding::new(
            ScopeStatus::Unknown,
            "HiBob refused a request that is not about permissions (403): this address or credential is blocked; see the summary",
            blocked_evidence(result.probe, answer),
        ),
        403 => Finding::new(
            ScopeStatus::Missing,
            format!(
                "HiBob answered 403: the permission is missing; {}",
                scope.how_to_grant(kind)
            ),
            evidence(),
        ),
        404 => Finding::new(
            ScopeStatus::Unavailable,
            "HiBob answered 404: the module is not active for this company, or HiBob retired this endpoint; the credential itself works and no permission would change this: if the integration needs this module, ask a HiBob admin whether the company has it",
            evidence(),
        ),
        429 => Finding::new(
            ScopeStatus::Unknown,
            "HiBob is rate limiting these requests (429); try again in a minute",
            evidence(),
        ),
        status @ 500..=599 => Finding::new(
            ScopeStatus::Unknown,
            format!("HiBob had a server error ({status}); this says nothing about the credential"),
            evidence(),
        ),
        status => Finding::new(
            ScopeStatus::Unknown,
            format!(
                "HiBob answered an unexpected HTTP {status}{}",
                error_text(answer.text_body())
            ),
            evidence(),
        ),
    }
}

fn blocked_evidence(probe: Probe, answer: &Answer) -> String {
    let page = if answer.is_html() {
        "an HTML page"
    } else {
        "no data"
    };
    match probe {
        Probe::Fields => format!("HTTP 403 with {page} on a request that needs no permission"),
        _ => format!("HTTP 403 with {page}"),
    }
}

fn classify_success(kind: CredentialKind, scope: Scope, answer: &Answer) -> Finding {
    let unexpected = || {
        Finding::new(
            ScopeStatus::Unknown,
            format!(
                "HiBob answered {} but the body was not the JSON HiBob documents",
                answer.status
            ),
            format!("HTTP {} with an undocumented body", answer.status),
        )
    };
    let AnswerBody::Seen(seen) = &answer.body else {
        return unexpected();
    };
    match (scope, seen) {
        (Scope::EmployeeFieldsRead, Seen::FieldList { fields }) => Finding::new(
            ScopeStatus::Granted,
            match kind {
                CredentialKind::ServiceUser => {
                    "the credential authenticates (this call needs no permission)"
                }
                CredentialKind::ApiToken => "the field list is readable",
            },
            format!("a list of {}", count_of(*fields, "field")),
        ),
        (Scope::FullEmployeeRead, Seen::People(people)) => classify_people(kind, people),
        (Scope::PayrollInfoRead, Seen::People(people)) => classify_payroll(kind, people),
        (Scope::TimeoffSubmitAndRead, Seen::Absences { any: true }) => Finding::new(
            ScopeStatus::Granted,
            "absences found (none read)",
            "at least one entry in who's out, a year back to a year ahead (its contents were not read)",
        ),
        (Scope::TimeoffSubmitAndRead, Seen::Absences { any: false }) => Finding::new(
            ScopeStatus::Unproven,
            format!(
                "who's out is empty from a year ago to a year ahead: either nobody took or booked time off, or HiBob hides the absences of employees this credential may not see; {}",
                Scope::TimeoffSubmitAndRead.how_to_grant(kind)
            ),
            "an empty list",
        ),
        _ => unexpected(),
    }
}

/// "3 employees; categories root, about, work returned", or the same for the employees read before
/// every category had been seen.
fn people_evidence(people: &PeopleSeen) -> String {
    let categories: Vec<&str> = people
        .categories
        .iter()
        .map(|category| category.id())
        .collect();
    let employees = employees_read(people);
    if categories.is_empty() {
        format!("{employees}; no category returned")
    } else {
        format!("{employees}; categories {} returned", categories.join(", "))
    }
}

/// "3 employees", or "2 employees read until every category was seen" when the rest was not read.
fn employees_read(people: &PeopleSeen) -> String {
    let count = count_of(people.employees, "employee");
    if people.stopped_early {
        format!("{count} read until every category was seen")
    } else {
        count
    }
}

fn no_employees(kind: CredentialKind) -> String {
    match kind {
        CredentialKind::ServiceUser => format!(
            "no employees are visible: {}",
            permission_names().fix_access_data_for()
        ),
        CredentialKind::ApiToken => "no employees are visible to this token".to_string(),
    }
}

/// The Full employee read categories HiBob left out for every employee it returned.
pub fn hidden_categories(people: &PeopleSeen) -> Vec<Category> {
    Category::FULL_EMPLOYEE_READ
        .into_iter()
        .filter(|category| !people.saw(*category))
        .collect()
}

fn classify_people(kind: CredentialKind, people: &PeopleSeen) -> Finding {
    let evidence = people_evidence(people);
    if people.employees == 0 {
        return Finding::new(ScopeStatus::Empty, no_employees(kind), evidence);
    }
    let hidden = hidden_categories(people);
    if hidden.is_empty() {
        // Short: the evidence says how many employees; the table's column is narrow.
        return Finding::new(ScopeStatus::Granted, "every category returned", evidence);
    }
    // Not stopped early: a hidden category means every employee was read.
    let visible = count_of(people.employees, "employee");
    Finding::new(
        ScopeStatus::Partial,
        format!(
            "HiBob left out the {} fields of all {visible} it returned; {}",
            category::names(&hidden),
            Scope::FullEmployeeRead.how_to_grant_categories(kind, &hidden)
        ),
        evidence,
    )
}

fn classify_payroll(kind: CredentialKind, people: &PeopleSeen) -> Finding {
    let evidence = if people.employees == 0 {
        "0 employees".to_string()
    } else if people.saw(Category::Payroll) {
        format!(
            "{}; the payroll field (pay frequency) returned",
            employees_read(people)
        )
    } else {
        format!(
            "{}; the payroll field (pay frequency) returned for none",
            employees_read(people)
        )
    };
    if people.employees == 0 {
        return Finding::new(
            ScopeStatus::Empty,
            format!("{}, so payroll fields cannot show", no_employees(kind)),
            evidence,
        );
    }
    if people.saw(Category::Payroll) {
        return Finding::new(ScopeStatus::Granted, "the payroll field returned", evidence);
    }
    Finding::new(
        ScopeStatus::Missing,
        format!(
            "HiBob left out the payroll field of every employee it returned; {}",
            Scope::PayrollInfoRead.how_to_grant(kind)
        ),
        evidence,
    )
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
            let mut finding = classify(kind, scope, result);
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

fn summarize(
    kind: CredentialKind,
    verdict: Verdict,
    results: &[ProbeResult],
    permissions: &[PermissionResult],
) -> String {
    match verdict {
        Verdict::Ok => "The credential works and every checked permission is granted.".to_string(),
        Verdict::Limited => summarize_limited(kind, results, permissions),
        Verdict::Blocked => {
            let html = results.iter().any(|result| {
                matches!(&result.outcome, Ok(answer) if answer.status == 403 && answer.is_html())
            });
            let how = if html {
                "HiBob refused the requests with a 403 page"
            } else {
                "HiBob refused the employee field list (403), a request that needs no permission"
            };
            format!(
                "The credential could not be checked: {how}, so this address or credential is blocked, and the permissions were not looked at. After many failed attempts HiBob's firewall blocks an address for about 5 minutes: wait five minutes and check again. If it persists, ask a HiBob admin whether your company restricts API access by IP address."
            )
        }
        Verdict::Rejected => match kind {
            CredentialKind::ApiToken => format!(
                "HiBob did not accept this API access token (401). HiBob stopped accepting API access tokens on 2024-10-31 and has not let anyone create one since 2024-06-15, so every API token is now rejected. Create a service user instead: {} > Create (see `hibob-auth guide --flow service-user`).",
                permission_names().service_users
            ),
            CredentialKind::ServiceUser => format!(
                "HiBob did not accept this service user (401). Check that the ID and the token belong together and were copied in full; a token is shown only once, so if in doubt reset it in {}. It was not retried: repeated rejections make HiBob's firewall block this address for about 5 minutes.",
                permission_names().service_users
            ),
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

fn summarize_limited(
    kind: CredentialKind,
    results: &[ProbeResult],
    permissions: &[PermissionResult],
) -> String {
    let names_with = |status: ScopeStatus| -> Vec<&str> {
        permissions
            .iter()
            .filter(|row| row.status == status)
            .map(|row| row.scope.name())
            .collect()
    };
    // One sentence per status some scope has, naming those scopes; in the order people should act on them.
    let listed = |status: ScopeStatus, say: &dyn Fn(String) -> String| {
        let names = names_with(status);
        (!names.is_empty()).then(|| say(names.join(", ")))
    };
    let partial_people = names_with(ScopeStatus::Partial)
        .contains(&Scope::FullEmployeeRead.name())
        .then(|| {
            let hidden = people_seen(results)
                .map(hidden_categories)
                .unwrap_or_default();
            format!(
                "Partial: {} (HiBob left out the {} fields); to fix, {}.",
                Scope::FullEmployeeRead.name(),
                category::names(&hidden),
                Scope::FullEmployeeRead.how_to_grant_categories(kind, &hidden)
            )
        });
    let parts = [
        Some("The credential works, but it is limited.".to_string()),
        listed(ScopeStatus::Missing, &|names| {
            format!("Missing: {names}; to fix, {}.", missing_fix(kind))
        }),
        partial_people,
        listed(ScopeStatus::Empty, &|names| {
            format!("Sees no employees: {names}; to fix, {}.", empty_fix(kind))
        }),
        listed(ScopeStatus::Unproven, &|names| {
            format!(
                "Not proven: {names} (HiBob answered, but with nothing a missing permission would hide); to check, {}.",
                Scope::TimeoffSubmitAndRead.how_to_grant(kind)
            )
        }),
        listed(ScopeStatus::Unavailable, &|names| {
            format!(
                "Not available: {names} (HiBob answered 404: the module is not active for this company, or the endpoint was retired); no permission changes this: if the integration needs it, ask a HiBob admin whether the company has the module."
            )
        }),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// How to grant scopes that were refused (403), for each kind of credential.
fn missing_fix(kind: CredentialKind) -> String {
    match kind {
        CredentialKind::ServiceUser => permission_names().fix_service_user_missing(),
        CredentialKind::ApiToken => permission_names().fix_api_token_missing().to_string(),
    }
}

/// How to let a credential that sees no employees see some, for each kind of credential.
fn empty_fix(kind: CredentialKind) -> String {
    match kind {
        CredentialKind::ServiceUser => permission_names().fix_access_data_for(),
        CredentialKind::ApiToken => {
            "check that the token's owner can see employees in HiBob".to_string()
        }
    }
}

/// What the people search showed, if it answered with employees data.
fn people_seen(results: &[ProbeResult]) -> Option<&PeopleSeen> {
    results
        .iter()
        .filter(|result| result.probe == Probe::People)
        .find_map(|result| match &result.outcome {
            Ok(Answer {
                body: AnswerBody::Seen(Seen::People(people)),
                ..
            }) => Some(people),
            _ => None,
        })
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

pub mod view;

#[cfg(test)]
mod tests;
