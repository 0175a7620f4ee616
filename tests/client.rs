//! The library's HTTP client in-process against the fake HiBob: what the wizard relies on
//! (progress events, attempts, deadlines) and what the binary tests cannot see directly.

mod support;

use std::time::{Duration, Instant};

use hibob_auth::credential::Credential;
use hibob_auth::hibob::{
    ApiUrl, CheckOptions, HibobClient, Probe, TransportFailure, Verdict, run_check,
};
use hibob_auth::secret::SecretString;
use support::fake_hibob::{
    FakeHibob, PATH_OUT_TODAY, PATH_PAYROLL, Reply, Scenario, TEST_SERVICE_USER_ID,
    TEST_SERVICE_USER_TOKEN, closed_port_url,
};

fn test_user() -> Credential {
    Credential::ServiceUser {
        id: TEST_SERVICE_USER_ID.to_string(),
        token: SecretString::from(TEST_SERVICE_USER_TOKEN),
    }
}

fn client(url: &str) -> HibobClient {
    HibobClient::new(ApiUrl::parse(url).unwrap()).unwrap()
}

fn options(secs: u64) -> CheckOptions {
    CheckOptions {
        timeout: Duration::from_secs(secs),
    }
}

#[tokio::test]
async fn every_probe_reports_progress_once() {
    let server = FakeHibob::start(Scenario::ok().on(PATH_PAYROLL, Reply::error(403)));
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    let report = run_check(
        &client(&server.url()),
        &test_user(),
        &options(10),
        Some(sender),
    )
    .await;
    assert_eq!(report.verdict, Verdict::Limited);
    let mut seen = Vec::new();
    while let Some(event) = receiver.recv().await {
        seen.push(event.probe);
        assert_eq!(event.attempts, 1);
    }
    seen.sort();
    assert_eq!(seen, Probe::ALL.to_vec());
}

#[tokio::test]
async fn a_5xx_probe_is_tried_three_times_in_all() {
    let server = FakeHibob::start(Scenario::ok().on(PATH_OUT_TODAY, Reply::error(503)));
    let deadline = Instant::now() + Duration::from_secs(10);
    let result = client(&server.url())
        .probe(&test_user(), Probe::OutToday, deadline)
        .await;
    assert_eq!(result.attempts, 3);
    assert_eq!(result.outcome.unwrap().status, 503);
    assert_eq!(server.count(PATH_OUT_TODAY), 3);
}

#[tokio::test]
async fn a_probe_that_gets_no_answer_ends_at_the_deadline() {
    let server = FakeHibob::start(Scenario::ok().never_answer());
    let deadline = Instant::now() + Duration::from_secs(1);
    let result = client(&server.url())
        .probe(&test_user(), Probe::Fields, deadline)
        .await;
    assert_eq!(result.outcome, Err(TransportFailure::Timeout(1)));
    assert_eq!(result.attempts, 1);
}

#[tokio::test]
async fn connection_refused_is_a_connect_failure_retried_twice() {
    let url = closed_port_url();
    let deadline = Instant::now() + Duration::from_secs(10);
    let result = client(&url)
        .probe(&test_user(), Probe::Payroll, deadline)
        .await;
    assert!(
        matches!(&result.outcome, Err(TransportFailure::Connect(_))),
        "{:?}",
        result.outcome
    );
    assert_eq!(result.attempts, 3);
}

#[tokio::test]
async fn a_large_answer_is_read_only_up_to_the_cap() {
    // Two megabytes of employees: the client stops at its cap and still counts the scope as granted.
    let mut body = String::from(r#"{"employees":["#);
    while body.len() < 2 << 20 {
        body.push_str(r#"{"id":"1234567890"},"#);
    }
    body.push_str(r#"{"id":"last"}]}"#);
    let server = FakeHibob::start(Scenario::ok().on(PATH_PAYROLL, Reply::json(200, body)));
    let deadline = Instant::now() + Duration::from_secs(10);
    let result = client(&server.url())
        .probe(&test_user(), Probe::Payroll, deadline)
        .await;
    let answer = result.outcome.unwrap();
    assert!(answer.truncated);
    assert_eq!(answer.body.len(), hibob_auth::hibob::probe::MAX_BODY_BYTES);
}
