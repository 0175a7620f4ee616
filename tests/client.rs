//! The library's HTTP client in-process against the fake HiBob: what the wizard relies on
//! (progress events, attempts, deadlines) and what the binary tests cannot see directly.

mod support;

use std::time::{Duration, Instant};

use hibob_auth::credential::Credential;
use hibob_auth::hibob::survey::survey;
use hibob_auth::hibob::{
    AnswerBody, ApiUrl, Category, CheckOptions, HibobClient, PeopleSeen, Placement, Probe,
    ProbeResult, Seen, TransportFailure, Verdict, run_check,
};
use hibob_auth::secret::SecretString;
use support::fake_hibob::{
    FakeHibob, LARGE_COMPANY, PATH_PEOPLE_SEARCH, PATH_WHOS_OUT, Reply, Scenario,
    TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN, closed_port_url,
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
    let server = FakeHibob::start(Scenario::ok().hide_categories(&["payroll"]));
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
    let server = FakeHibob::start(Scenario::ok().on(PATH_WHOS_OUT, Reply::error(503)));
    let deadline = Instant::now() + Duration::from_secs(10);
    let result = client(&server.url())
        .probe(&test_user(), Probe::WhosOut, deadline)
        .await;
    assert_eq!(result.attempts, 3);
    assert_eq!(result.outcome.unwrap().status, 503);
    assert_eq!(server.count(PATH_WHOS_OUT), 3);
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
        .probe(&test_user(), Probe::People, deadline)
        .await;
    assert!(
        matches!(&result.outcome, Err(TransportFailure::Connect(_))),
        "{:?}",
        result.outcome
    );
    assert_eq!(result.attempts, 3);
}

fn people_seen(result: ProbeResult) -> PeopleSeen {
    match result.outcome.expect("an answer").body {
        AnswerBody::Seen(Seen::People(people)) => people,
        other => panic!("not a people answer: {other:?}"),
    }
}

#[tokio::test]
async fn a_large_company_is_proven_by_its_first_employees_and_not_downloaded() {
    let server = FakeHibob::start(Scenario::ok().employees(LARGE_COMPANY));
    let deadline = Instant::now() + Duration::from_secs(30);
    let people = people_seen(
        client(&server.url())
            .probe(&test_user(), Probe::People, deadline)
            .await,
    );
    assert!(people.stopped_early, "{people:?}");
    assert!(people.employees < 100, "{people:?}");
    assert_eq!(
        people.categories(Placement::Defaults).len(),
        Category::ALL.len()
    );
}

#[tokio::test]
async fn a_large_company_with_a_hidden_category_is_read_to_the_end() {
    // Nothing proves payroll, so every one of the 20,000 employees is looked at (with constant memory:
    // the footprint benchmark measures it) before payroll is called missing.
    let server = FakeHibob::start(
        Scenario::ok()
            .employees(LARGE_COMPANY)
            .hide_categories(&["payroll"]),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let people = people_seen(
        client(&server.url())
            .probe(&test_user(), Probe::People, deadline)
            .await,
    );
    assert!(!people.stopped_early);
    assert_eq!(people.employees, LARGE_COMPANY);
    assert!(!people.saw(Category::Payroll, Placement::Defaults));
    assert!(people.saw(Category::Work, Placement::Defaults));
}

/// People search, sent by hand with `fields` as given.
async fn search_by_hand(server: &FakeHibob, fields: &str) -> String {
    let body = format!(r#"{{"fields":{fields},"showInactive":false}}"#);
    reqwest::Client::new()
        .post(format!("{}{PATH_PEOPLE_SEARCH}", server.url()))
        .header(
            "authorization",
            support::fake_hibob::Expected::test_service_user().header_value(),
        )
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn slash_form_ids_are_dropped_as_invalid_and_only_the_unasked_id_comes_back() {
    // HiBob documents dot notation only; an ID it does not know is left out silently (200).
    let server = FakeHibob::start(Scenario::ok());
    let answer = search_by_hand(&server, r#"["/root/id","/work/title"]"#).await;
    assert!(answer.contains(r#"{"id":"#), "{answer}");
    assert!(!answer.contains("/work/title"), "{answer}");
    let Seen::People(people) = survey(Probe::People, answer.as_bytes()) else {
        panic!("not people: {answer}");
    };
    assert_eq!(people.employees, 3);
    assert!(people.returned.is_empty(), "{:?}", people.returned);
}

#[tokio::test]
async fn nested_answers_are_understood_too() {
    // Some HiBob examples show employees nested; the survey reads that form as well.
    let server = FakeHibob::start(Scenario::ok().nested_answers());
    let fields = r#"["root.creationDateTime","about.avatar","payroll.employment.type","work.title","payroll.salary.payFrequency"]"#;
    let answer = search_by_hand(&server, fields).await;
    assert!(answer.contains(r#""work":{"title":"#), "{answer}");
    let Seen::People(people) = survey(Probe::People, answer.as_bytes()) else {
        panic!("not people: {answer}");
    };
    assert_eq!(
        people.categories(Placement::Defaults).len(),
        Category::ALL.len()
    );
}
