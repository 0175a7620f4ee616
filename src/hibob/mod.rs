//! Everything about talking to HiBob: where (endpoint), what each scope means (scope), which read-only
//! requests prove it (probe), how answers become a verdict (report, pure) and the HTTP client itself.

pub mod client;
pub mod endpoint;
pub mod failure;
pub mod probe;
pub mod proxy;
pub mod redact;
pub mod report;
pub mod scope;
pub mod transport;
pub mod trust;

pub use client::{CheckOptions, HibobClient, ProbeEvent, run_check};
pub use endpoint::{ApiUrl, ApiUrlError, PRODUCTION_URL, SANDBOX_URL};
pub use probe::{Answer, Probe, ProbeResult, TransportFailure};
pub use report::{PermissionResult, Report, ScopeStatus, Verdict};
pub use scope::Scope;
