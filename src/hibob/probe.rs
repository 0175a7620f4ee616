//! The read-only requests a check sends, one per checkable scope, and what can come back from each.
//!
//! Every probe is a read. `POST /v1/people/search` is a POST, but HiBob documents it as a search that
//! changes nothing; it is the people read that service users are granted.

use serde::Serialize;

use crate::credential::CredentialKind;
use crate::hibob::scope::Scope;

/// The people-search body: only the employee ID, active employees only. `filters` is left out on purpose:
/// HiBob answers 400 to an empty filter list.
pub const PEOPLE_SEARCH_BODY: &str = r#"{"fields":["root.id"],"showInactive":false}"#;

/// One read-only request that proves (or disproves) one scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Probe {
    /// `GET /v1/company/people/fields`: authentication, and `Employee fields read`.
    Fields,
    /// People read: `POST /v1/people/search` (service user) or `GET /v1/people` (API token).
    People,
    /// `GET /v1/payroll/history`: `Payroll Info read`.
    Payroll,
    /// `GET /v1/timeoff/outtoday`: the read half of the time-off scope.
    OutToday,
}

/// HTTP method of a probe. Only these two exist, and neither changes data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    /// Only for people search, which is a read.
    PostSearch,
}

impl Probe {
    pub const ALL: [Probe; 4] = [
        Probe::Fields,
        Probe::People,
        Probe::Payroll,
        Probe::OutToday,
    ];

    pub fn scope(self) -> Scope {
        match self {
            Probe::Fields => Scope::EmployeeFieldsRead,
            Probe::People => Scope::FullEmployeeRead,
            Probe::Payroll => Scope::PayrollInfoRead,
            Probe::OutToday => Scope::TimeoffSubmitAndRead,
        }
    }

    /// The probe that proves a scope, if any (write scopes have none).
    pub fn for_scope(scope: Scope) -> Option<Probe> {
        Probe::ALL.into_iter().find(|probe| probe.scope() == scope)
    }

    pub fn method(self, kind: CredentialKind) -> Method {
        match (self, kind) {
            (Probe::People, CredentialKind::ServiceUser) => Method::PostSearch,
            _ => Method::Get,
        }
    }

    pub fn path(self, kind: CredentialKind) -> &'static str {
        match (self, kind) {
            (Probe::Fields, _) => "/v1/company/people/fields",
            (Probe::People, CredentialKind::ServiceUser) => "/v1/people/search",
            (Probe::People, CredentialKind::ApiToken) => "/v1/people",
            (Probe::Payroll, _) => "/v1/payroll/history",
            (Probe::OutToday, _) => "/v1/timeoff/outtoday",
        }
    }

    /// `METHOD /path`, as shown in reports.
    pub fn endpoint(self, kind: CredentialKind) -> String {
        let method = match self.method(kind) {
            Method::Get => "GET",
            Method::PostSearch => "POST",
        };
        format!("{method} {}", self.path(kind))
    }
}

/// What HiBob answered: the status and (a bounded prefix of) the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    /// The body, or its first [`MAX_BODY_BYTES`] when HiBob sent more.
    pub body: String,
    /// The body was longer than [`MAX_BODY_BYTES`] and was cut; a successful answer that large has data in it.
    pub truncated: bool,
}

/// How much of an answer is read. A payroll history can be megabytes; the check only needs to know it has rows.
pub const MAX_BODY_BYTES: usize = 1 << 20;

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
