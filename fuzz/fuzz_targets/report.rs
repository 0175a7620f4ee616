//! HiBob's answers (any status, any body, any transport failure, probes missing or repeated) turned into
//! scope statuses and a verdict. Never a panic; a 401 anywhere is Rejected; a 403 on the field list or an
//! HTML 403 page is Blocked with no scope Missing; otherwise a probe's first answer of 403 is Missing;
//! HiBob's text reaches a detail without control characters. Successful bodies go through the survey, as
//! in the client.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use hibob_auth::credential::CredentialKind;
use hibob_auth::hibob::report::classify;
use hibob_auth::hibob::survey::survey;
use hibob_auth::hibob::{
    Answer, ApiUrl, Probe, ProbeResult, Report, Scope, ScopeStatus, TransportFailure, Verdict,
};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
enum Outcome {
    Answer { status: u16, body: String },
    Dns(String),
    Connect(String),
    Tls(String),
    Timeout(u64),
    Cancelled,
    Other(String),
}

#[derive(Debug, Arbitrary)]
struct Input {
    service_user: bool,
    results: Vec<(u8, Outcome, u32)>,
}

fuzz_target!(|input: Input| {
    let kind = if input.service_user {
        CredentialKind::ServiceUser
    } else {
        CredentialKind::ApiToken
    };
    let results: Vec<ProbeResult> = input
        .results
        .into_iter()
        .map(|(probe, outcome, attempts)| ProbeResult {
            probe: Probe::ALL[usize::from(probe) % Probe::ALL.len()],
            outcome: match outcome {
                Outcome::Answer { status, body } if (200..300).contains(&status) => {
                    let probe = Probe::ALL[usize::from(probe) % Probe::ALL.len()];
                    Ok(Answer::seen(status, survey(probe, body.as_bytes())))
                }
                Outcome::Answer { status, body } => Ok(Answer::text(status, body)),
                Outcome::Dns(text) => Err(TransportFailure::Dns(text)),
                Outcome::Connect(text) => Err(TransportFailure::Connect(text)),
                Outcome::Tls(text) => Err(TransportFailure::Tls(text)),
                Outcome::Timeout(secs) => Err(TransportFailure::Timeout(secs)),
                Outcome::Cancelled => Err(TransportFailure::Cancelled),
                Outcome::Other(text) => Err(TransportFailure::Other(text)),
            },
            attempts,
        })
        .collect();
    let answered = |result: &ProbeResult, status: u16| matches!(&result.outcome, Ok(answer) if answer.status == status);

    let blocking = |result: &ProbeResult| matches!(&result.outcome, Ok(answer) if answer.status == 403
        && (result.probe == Probe::Fields || answer.is_html()));
    let blocked = results.iter().any(blocking);

    for result in &results {
        for scope in result.probe.scopes() {
            let finding = classify(kind, *scope, result);
            if answered(result, 403) && !blocking(result) {
                assert_eq!(finding.status, ScopeStatus::Missing);
            }
            if result.outcome.is_ok() {
                assert!(!finding.detail.chars().any(char::is_control), "{:?}", finding.detail);
            }
        }
    }

    let report = Report::from_results(
        kind,
        ApiUrl::production(),
        &results,
        UNIX_EPOCH,
        Duration::ZERO,
    );
    let scopes: Vec<Scope> = report.permissions.iter().map(|row| row.scope).collect();
    assert_eq!(scopes, Scope::ALL);
    assert_eq!(
        report.verdict == Verdict::Rejected,
        results.iter().any(|result| answered(result, 401))
    );
    if report.verdict == Verdict::Blocked {
        assert!(blocked);
        assert!(report.permissions.iter().all(|row| row.status != ScopeStatus::Missing));
    }
    for probe in Probe::ALL {
        if let Some(first) = results.iter().find(|result| result.probe == probe)
            && answered(first, 403)
            && !blocked
        {
            for scope in probe.scopes() {
                assert_eq!(report.permission(*scope).status, ScopeStatus::Missing);
            }
        }
    }
});
