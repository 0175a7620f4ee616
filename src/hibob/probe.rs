//! The read-only requests a check sends, and what can come back from each.
//!
//! Three requests, sent together: the field list (authentication), one people search (Full employee read
//! and Payroll Info read, proven by which categories of fields come back) and who's out over two years
//! (the read half of the time-off scope). None changes data: `POST /v1/people/search` is a POST, but
//! HiBob documents it as a search. Nothing reads payroll history or salaries.

use std::time::SystemTime;

use serde::Serialize;

use std::collections::BTreeSet;

use crate::hibob::category::Category;
use crate::hibob::fields::{ASKED, AskedField, FieldPlaces, Placement, people_search_body};
use crate::hibob::scope::Scope;

/// One read-only request of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Probe {
    /// `GET /v1/company/people/fields`: authentication, and `Employee fields read`. HiBob documents that
    /// this call needs no permission (reference/get_company-people-fields), so a 403 here is not about
    /// permissions.
    Fields,
    /// `POST /v1/people/search` with a few fields per category: `Full employee read` and `Payroll Info read`.
    People,
    /// `GET /v1/timeoff/whosout?from=…&to=…` (reference/get_timeoff-whosout), a year back to a year ahead:
    /// the read half of `Timeoff submit request & read who's out`. Who's out *today* is empty most days.
    WhosOut,
}

/// HTTP method of a probe. Only these two exist, and neither changes data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    /// Only for people search, which is a read.
    PostSearch,
}

/// How far around today who's out looks: a year back and a year ahead, so that a company where anyone
/// has taken or booked time off shows an entry.
pub const WHOS_OUT_DAYS: u64 = 365;

impl Probe {
    pub const ALL: [Probe; 3] = [Probe::Fields, Probe::People, Probe::WhosOut];

    /// The scopes this probe's answer decides.
    pub fn scopes(self) -> &'static [Scope] {
        match self {
            Probe::Fields => &[Scope::EmployeeFieldsRead],
            Probe::People => &[Scope::FullEmployeeRead, Scope::PayrollInfoRead],
            Probe::WhosOut => &[Scope::TimeoffSubmitAndRead],
        }
    }

    /// The probe that proves a scope, if any (write scopes have none).
    pub fn for_scope(scope: Scope) -> Option<Probe> {
        Probe::ALL
            .into_iter()
            .find(|probe| probe.scopes().contains(&scope))
    }

    pub fn method(self) -> Method {
        match self {
            Probe::People => Method::PostSearch,
            _ => Method::Get,
        }
    }

    /// The path, without a query. The same for both kinds of credential: people search was open to API
    /// access tokens as well, and those are retired anyway (HiBob answers 401 to every one since 2025-05-06).
    pub fn path(self) -> &'static str {
        match self {
            Probe::Fields => "/v1/company/people/fields",
            Probe::People => "/v1/people/search",
            Probe::WhosOut => "/v1/timeoff/whosout",
        }
    }

    /// The path with its query, for a check started at `now`.
    pub fn path_and_query(self, now: SystemTime) -> String {
        match self {
            Probe::WhosOut => {
                let span = std::time::Duration::from_secs(WHOS_OUT_DAYS * 24 * 60 * 60);
                let from = now.checked_sub(span).unwrap_or(now);
                let to = now.checked_add(span).unwrap_or(now);
                format!(
                    "{}?from={}&to={}",
                    self.path(),
                    iso_date(from),
                    iso_date(to)
                )
            }
            _ => self.path().to_string(),
        }
    }

    /// The request body, for the one probe that has one.
    pub fn body(self) -> Option<String> {
        match self {
            Probe::People => Some(people_search_body()),
            _ => None,
        }
    }

    /// `METHOD /path`, as shown in reports.
    pub fn endpoint(self) -> String {
        let method = match self.method() {
            Method::Get => "GET",
            Method::PostSearch => "POST",
        };
        format!("{method} {}", self.path())
    }
}

/// `YYYY-MM-DD` (UTC), the date form HiBob's who's out takes.
fn iso_date(at: SystemTime) -> String {
    let text = humantime::format_rfc3339_seconds(at).to_string();
    text[..10].to_string()
}

/// What HiBob answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: AnswerBody,
}

/// What is kept of an answer's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerBody {
    /// A 2xx answer, read as it arrived: what it proved, never its contents.
    Seen(Seen),
    /// Any other status: the start of the body (at most [`MAX_ERROR_BODY_BYTES`]), with the credential
    /// redacted, for HiBob's error text.
    Text(String),
}

impl Answer {
    /// A successful answer that showed `seen`.
    pub fn seen(status: u16, seen: Seen) -> Self {
        Answer {
            status,
            body: AnswerBody::Seen(seen),
        }
    }

    /// An answer whose body is kept as text (error statuses).
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Answer {
            status,
            body: AnswerBody::Text(body.into()),
        }
    }

    /// The kept text of an error answer (empty for a successful one).
    pub fn text_body(&self) -> &str {
        match &self.body {
            AnswerBody::Text(text) => text,
            AnswerBody::Seen(_) => "",
        }
    }

    /// An HTML page rather than JSON: the sign of a firewall or proxy answering, not HiBob's API.
    pub fn is_html(&self) -> bool {
        let start = self.text_body().trim_start().get(..15).unwrap_or_default();
        let start = start.to_ascii_lowercase();
        start.starts_with("<!doctype html") || start.starts_with("<html")
    }
}

/// What a successful answer showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// `GET /v1/company/people/fields`: a JSON array of this many field descriptions, and where it puts the
    /// fields the check asks for.
    FieldList { fields: usize, places: FieldPlaces },
    /// People search: employees and the asked fields that came back.
    People(PeopleSeen),
    /// Who's out: whether the list has at least one entry (read no further, keep nothing of it: absences
    /// are personal data).
    Absences { any: bool },
    /// The body was not the JSON HiBob documents for this request.
    NotDocumentedJson,
}

/// What a people search answer showed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeopleSeen {
    /// Employees read (all of them, unless `stopped_early`).
    pub employees: usize,
    /// Asked fields that some employee carried (a `null` value counts: it is not hidden). Never a field
    /// that was not asked for, such as the top-level `id` HiBob adds to every employee.
    pub returned: BTreeSet<AskedField>,
    /// Every field asked for came back, so the rest of the answer was not read.
    pub stopped_early: bool,
}

impl PeopleSeen {
    /// Whether a returned field proves `category`, by `placement`.
    pub fn saw(&self, category: Category, placement: Placement) -> bool {
        self.returned
            .iter()
            .any(|field| placement.category_of(*field) == Some(category))
    }

    /// The categories the returned fields prove, by `placement`.
    pub fn categories(&self, placement: Placement) -> BTreeSet<Category> {
        self.returned
            .iter()
            .filter_map(|field| placement.category_of(*field))
            .collect()
    }

    pub fn saw_every_field(&self) -> bool {
        self.returned.len() == ASKED.len()
    }
}

/// How much of an error answer is kept: enough for any error text, bounded whatever the server sends.
pub const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// Why no answer came back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportFailure {
    #[error("could not resolve the host name ({0})")]
    Dns(String),
    #[error("could not connect ({0})")]
    Connect(String),
    /// The words say what happened and what to do (see `failure::describe_tls`).
    #[error("the TLS handshake failed: {0}")]
    Tls(String),
    #[error("no answer before the deadline of {0} s")]
    Timeout(u64),
    #[error("the check was cancelled")]
    Cancelled,
    #[error("the connection failed ({0})")]
    Other(String),
}

/// The final outcome of one probe after any retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeResult {
    pub probe: Probe,
    pub outcome: Result<Answer, TransportFailure>,
    /// How many requests were sent for this probe (1 + retries).
    pub attempts: u32,
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    #[test]
    fn whos_out_asks_a_year_back_and_a_year_ahead() {
        // 2023-11-14T22:13:20Z
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            Probe::WhosOut.path_and_query(now),
            "/v1/timeoff/whosout?from=2022-11-14&to=2024-11-13"
        );
        assert_eq!(Probe::People.path_and_query(now), "/v1/people/search");
    }

    #[test]
    fn every_checked_scope_has_one_probe_and_no_probe_reads_pay() {
        for scope in Scope::ALL {
            assert_eq!(Probe::for_scope(scope).is_none(), scope.is_write());
        }
        for probe in Probe::ALL {
            assert!(!probe.path().contains("payroll"), "{probe:?}");
            assert!(!probe.path().contains("salar"), "{probe:?}");
        }
    }

    #[test]
    fn html_pages_are_told_from_json() {
        assert!(Answer::text(403, "<!DOCTYPE html><html>blocked</html>").is_html());
        assert!(Answer::text(403, "\n <HTML><body>Forbidden").is_html());
        assert!(!Answer::text(403, r#"{"error":"Forbidden"}"#).is_html());
    }
}
