//! Everything about talking to HiBob: where (endpoint), what each scope means (scope), which read-only
//! requests prove it (probe, category, fields), how their bodies are read as they arrive (stream, survey), how
//! answers become a verdict (report, pure) and the HTTP client itself.

pub mod category;
pub mod client;
pub mod endpoint;
pub mod failure;
pub mod fields;
pub mod permissions;
pub mod probe;
pub mod proxy;
pub mod redact;
pub mod report;
pub mod scope;
pub mod stream;
pub mod survey;
pub mod transport;

pub use category::Category;
pub use client::{CheckOptions, HibobClient, ProbeEvent, run_check};
pub use endpoint::{ApiUrl, ApiUrlError, PRODUCTION_URL, SANDBOX_URL};
pub use fields::{AskedField, FieldPlaces, Placement};
pub use probe::{Answer, AnswerBody, PeopleSeen, Probe, ProbeResult, Seen, TransportFailure};
pub use report::{PermissionResult, Report, ScopeStatus, Verdict};
pub use scope::Scope;
