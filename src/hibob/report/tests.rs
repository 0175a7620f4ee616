//! The answer-to-report mapping, case by case: every verdict, every scope status, and the messages
//! people act on. Pure inputs, no network.

use std::time::{Duration, UNIX_EPOCH};

use super::*;

const PEOPLE_OK: &str = r#"{"employees":[{"id":"1"},{"id":"2"}]}"#;
const FIELDS_OK: &str = r#"[{"id":"root.id"}]"#;
const OUTS_OK: &str = r#"{"outs":[]}"#;

fn answer(status: u16, body: &str) -> Result<Answer, TransportFailure> {
    Ok(Answer {
        status,
        body: body.to_string(),
        truncated: false,
    })
}

fn result(probe: Probe, outcome: Result<Answer, TransportFailure>) -> ProbeResult {
    ProbeResult {
        probe,
        outcome,
        attempts: 1,
    }
}

/// Every probe answered as a fully permitted credential would be answered.
fn all_granted() -> Vec<ProbeResult> {
    vec![
        result(Probe::Fields, answer(200, FIELDS_OK)),
        result(Probe::People, answer(200, PEOPLE_OK)),
        result(Probe::Payroll, answer(200, PEOPLE_OK)),
        result(Probe::OutToday, answer(200, OUTS_OK)),
    ]
}

/// `all_granted`, with one probe's outcome replaced.
fn granted_except(probe: Probe, outcome: Result<Answer, TransportFailure>) -> Vec<ProbeResult> {
    let mut results = all_granted();
    let slot = results
        .iter_mut()
        .find(|r| r.probe == probe)
        .expect("every probe is present");
    slot.outcome = outcome;
    results
}

fn build(kind: CredentialKind, results: &[ProbeResult]) -> Report {
    Report::from_results(
        kind,
        ApiUrl::parse("http://127.0.0.1:1").unwrap(),
        results,
        UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        Duration::from_millis(42),
    )
}

fn service_user(results: &[ProbeResult]) -> Report {
    build(CredentialKind::ServiceUser, results)
}

fn api_token(results: &[ProbeResult]) -> Report {
    build(CredentialKind::ApiToken, results)
}

fn status(report: &Report, scope: Scope) -> ScopeStatus {
    report.permission(scope).status
}

// ---- verdict: ok ----

#[test]
fn every_probe_granted_is_ok() {
    let report = service_user(&all_granted());
    assert_eq!(report.verdict, Verdict::Ok);
    assert_eq!(report.verdict.exit(), Exit::Ok);
    for scope in [
        Scope::FullEmployeeRead,
        Scope::EmployeeFieldsRead,
        Scope::PayrollInfoRead,
        Scope::TimeoffSubmitAndRead,
    ] {
        assert_eq!(status(&report, scope), ScopeStatus::Granted, "{scope:?}");
        assert_eq!(report.permission(scope).http_status, Some(200));
    }
    assert_eq!(
        report.summary,
        "The credential works and every checked permission is granted."
    );
}

#[test]
fn api_token_with_every_probe_granted_is_ok() {
    let report = api_token(&all_granted());
    assert_eq!(report.verdict, Verdict::Ok);
    assert_eq!(
        report
            .permission(Scope::FullEmployeeRead)
            .endpoint
            .as_deref(),
        Some("GET /v1/people")
    );
}

#[test]
fn report_keeps_kind_url_time_and_scope_order() {
    let report = service_user(&all_granted());
    assert_eq!(report.kind, CredentialKind::ServiceUser);
    assert_eq!(report.api_url.as_str(), "http://127.0.0.1:1");
    assert_eq!(report.elapsed, Duration::from_millis(42));
    assert_eq!(
        report.checked_at,
        UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    );
    let order: Vec<Scope> = report.permissions.iter().map(|row| row.scope).collect();
    assert_eq!(order, Scope::ALL.to_vec());
}

#[test]
fn each_probe_row_names_its_endpoint() {
    let report = service_user(&all_granted());
    let endpoint = |scope| report.permission(scope).endpoint.clone();
    assert_eq!(
        endpoint(Scope::FullEmployeeRead).as_deref(),
        Some("POST /v1/people/search")
    );
    assert_eq!(
        endpoint(Scope::EmployeeFieldsRead).as_deref(),
        Some("GET /v1/company/people/fields")
    );
    assert_eq!(
        endpoint(Scope::PayrollInfoRead).as_deref(),
        Some("GET /v1/payroll/history")
    );
    assert_eq!(
        endpoint(Scope::TimeoffSubmitAndRead).as_deref(),
        Some("GET /v1/timeoff/outtoday")
    );
}

#[test]
fn granted_people_detail_counts_visible_employees() {
    let one = granted_except(Probe::People, answer(200, r#"{"employees":[{"id":"1"}]}"#));
    assert_eq!(
        service_user(&one)
            .permission(Scope::FullEmployeeRead)
            .detail,
        "1 employee visible"
    );
    assert_eq!(
        service_user(&all_granted())
            .permission(Scope::FullEmployeeRead)
            .detail,
        "2 employees visible"
    );
}

// ---- status: not_checked ----

#[test]
fn write_scopes_are_never_probed() {
    let report = service_user(&all_granted());
    for scope in [Scope::EmployeeUpdate, Scope::EmployeeFieldsWrite] {
        let row = report.permission(scope);
        assert_eq!(row.status, ScopeStatus::NotChecked, "{scope:?}");
        assert_eq!(row.endpoint, None);
        assert_eq!(row.http_status, None);
        assert!(row.detail.contains("changing data"), "{}", row.detail);
    }
}

// ---- verdict: rejected ----

#[test]
fn service_user_401_on_authentication_is_rejected() {
    let results: Vec<ProbeResult> = Probe::ALL
        .into_iter()
        .map(|probe| result(probe, answer(401, r#"{"error":"Unauthorized"}"#)))
        .collect();
    let report = service_user(&results);
    assert_eq!(report.verdict, Verdict::Rejected);
    assert_eq!(report.verdict.exit(), Exit::Rejected);
    assert_eq!(
        status(&report, Scope::EmployeeFieldsRead),
        ScopeStatus::Unknown
    );
    assert_eq!(
        report.permission(Scope::EmployeeFieldsRead).http_status,
        Some(401)
    );
    assert!(report.summary.contains("(401)"), "{}", report.summary);
    assert!(report.summary.contains("not retried"), "{}", report.summary);
    assert!(
        report
            .summary
            .contains("Settings > Integrations > Service users"),
        "{}",
        report.summary
    );
}

#[test]
fn a_401_on_any_single_probe_is_rejected() {
    for probe in Probe::ALL {
        let report = service_user(&granted_except(probe, answer(401, "")));
        assert_eq!(report.verdict, Verdict::Rejected, "401 on {probe:?}");
    }
}

#[test]
fn a_401_outweighs_missing_and_failed_probes() {
    let results = vec![
        result(Probe::Fields, answer(401, "")),
        result(Probe::People, answer(403, "")),
        result(Probe::Payroll, answer(503, "")),
        result(Probe::OutToday, Err(TransportFailure::Timeout(15))),
    ];
    assert_eq!(service_user(&results).verdict, Verdict::Rejected);
}

#[test]
fn rejected_api_token_explains_the_retirement_and_points_to_service_users() {
    let report = api_token(&granted_except(Probe::Fields, answer(401, "")));
    assert_eq!(report.verdict, Verdict::Rejected);
    assert!(report.summary.contains("2024-10-31"), "{}", report.summary);
    assert!(
        report.summary.contains("service user"),
        "{}",
        report.summary
    );
    assert!(
        report
            .summary
            .contains("hibob-auth guide --flow service-user"),
        "{}",
        report.summary
    );
}

// ---- status: missing (403) and verdict: limited ----

#[test]
fn service_user_403_is_missing_with_the_permission_group_fix() {
    let report = service_user(&granted_except(Probe::Payroll, answer(403, "")));
    assert_eq!(report.verdict, Verdict::Limited);
    assert_eq!(report.verdict.exit(), Exit::Limited);
    let row = report.permission(Scope::PayrollInfoRead);
    assert_eq!(row.status, ScopeStatus::Missing);
    assert_eq!(row.http_status, Some(403));
    assert!(row.detail.contains("permission group"), "{}", row.detail);
    assert!(
        row.detail.contains("People's data > Payroll"),
        "{}",
        row.detail
    );
    assert!(
        report.summary.contains("Missing: Payroll Info read"),
        "{}",
        report.summary
    );
    assert!(
        report.summary.contains("permission group"),
        "{}",
        report.summary
    );
    // The other checked scopes are still reported as granted.
    assert_eq!(
        status(&report, Scope::FullEmployeeRead),
        ScopeStatus::Granted
    );
}

#[test]
fn api_token_403_is_missing_with_the_enable_and_save_fix() {
    let report = api_token(&granted_except(Probe::OutToday, answer(403, "")));
    assert_eq!(report.verdict, Verdict::Limited);
    let row = report.permission(Scope::TimeoffSubmitAndRead);
    assert_eq!(row.status, ScopeStatus::Missing);
    assert!(
        row.detail
            .contains("enable the scope \"Timeoff submit request & read who's out\""),
        "{}",
        row.detail
    );
    assert!(row.detail.contains("Save"), "{}", row.detail);
    assert!(report.summary.contains("click Save"), "{}", report.summary);
}

#[test]
fn every_checkable_scope_can_be_missing() {
    for probe in Probe::ALL {
        let report = service_user(&granted_except(probe, answer(403, "")));
        assert_eq!(status(&report, probe.scope()), ScopeStatus::Missing);
        assert_eq!(report.verdict, Verdict::Limited, "403 on {probe:?}");
    }
}

#[test]
fn a_missing_permission_outweighs_an_unverified_one() {
    // One definite finding (403) is worth acting on even if another probe failed.
    let mut results = granted_except(Probe::Payroll, answer(403, ""));
    results[3].outcome = answer(503, "");
    let report = service_user(&results);
    assert_eq!(report.verdict, Verdict::Limited);
    assert_eq!(
        status(&report, Scope::TimeoffSubmitAndRead),
        ScopeStatus::Unknown
    );
}

// ---- status: empty ----

#[test]
fn people_read_with_no_employees_is_empty_and_limited() {
    let report = service_user(&granted_except(
        Probe::People,
        answer(200, r#"{"employees":[]}"#),
    ));
    assert_eq!(report.verdict, Verdict::Limited);
    let row = report.permission(Scope::FullEmployeeRead);
    assert_eq!(row.status, ScopeStatus::Empty);
    assert_eq!(row.http_status, Some(200));
    assert!(row.detail.contains("Access data for"), "{}", row.detail);
    assert!(
        report
            .summary
            .contains("Sees no employees: Full employee read"),
        "{}",
        report.summary
    );
    assert!(
        report.summary.contains("Access data for"),
        "{}",
        report.summary
    );
    assert!(!report.summary.contains("Missing:"), "{}", report.summary);
}

#[test]
fn api_token_people_with_no_employees_is_empty() {
    let report = api_token(&granted_except(
        Probe::People,
        answer(200, r#"{"employees":[]}"#),
    ));
    assert_eq!(status(&report, Scope::FullEmployeeRead), ScopeStatus::Empty);
    assert_eq!(report.verdict, Verdict::Limited);
}

#[test]
fn empty_payroll_history_is_still_granted() {
    // A company may simply have no payroll history; only the people read decides "sees nobody".
    let report = service_user(&granted_except(
        Probe::Payroll,
        answer(200, r#"{"employees":[]}"#),
    ));
    assert_eq!(
        status(&report, Scope::PayrollInfoRead),
        ScopeStatus::Granted
    );
    assert_eq!(report.verdict, Verdict::Ok);
}

#[test]
fn nobody_out_today_is_granted() {
    let report = service_user(&all_granted());
    assert_eq!(
        status(&report, Scope::TimeoffSubmitAndRead),
        ScopeStatus::Granted
    );
}

// ---- status: unknown and verdict: unverifiable ----

#[test]
fn authenticated_but_one_probe_503_is_unverifiable() {
    let report = service_user(&granted_except(Probe::OutToday, answer(503, "")));
    assert_eq!(report.verdict, Verdict::Unverifiable);
    assert_eq!(report.verdict.exit(), Exit::Unverifiable);
    let row = report.permission(Scope::TimeoffSubmitAndRead);
    assert_eq!(row.status, ScopeStatus::Unknown);
    assert_eq!(row.http_status, Some(503));
    assert!(row.detail.contains("server error (503)"), "{}", row.detail);
    assert_eq!(
        status(&report, Scope::EmployeeFieldsRead),
        ScopeStatus::Granted
    );
    assert!(
        report.summary.contains("HiBob answered 503"),
        "{}",
        report.summary
    );
    assert!(
        report.summary.contains("credential itself may be fine"),
        "{}",
        report.summary
    );
}

#[test]
fn every_probe_5xx_is_unverifiable() {
    let results: Vec<ProbeResult> = Probe::ALL
        .into_iter()
        .map(|probe| result(probe, answer(500, "")))
        .collect();
    let report = service_user(&results);
    assert_eq!(report.verdict, Verdict::Unverifiable);
    assert!(
        report.summary.contains("HiBob answered 500"),
        "{}",
        report.summary
    );
}

#[test]
fn connection_refused_everywhere_is_unverifiable() {
    let refused = || Err(TransportFailure::Connect("Connection refused".into()));
    let results: Vec<ProbeResult> = Probe::ALL
        .into_iter()
        .map(|probe| result(probe, refused()))
        .collect();
    let report = service_user(&results);
    assert_eq!(report.verdict, Verdict::Unverifiable);
    for probe in Probe::ALL {
        let row = report.permission(probe.scope());
        assert_eq!(row.status, ScopeStatus::Unknown);
        assert_eq!(row.http_status, None);
    }
    assert!(
        report
            .summary
            .contains("could not connect (Connection refused)"),
        "{}",
        report.summary
    );
    assert!(
        report.summary.contains("credential itself may be fine"),
        "{}",
        report.summary
    );
}

#[test]
fn dns_tls_and_timeout_failures_are_unverifiable_and_named() {
    for (failure, words) in [
        (TransportFailure::Dns("no such host".into()), "resolve"),
        (TransportFailure::Tls("unknown issuer".into()), "TLS"),
        (TransportFailure::Timeout(15), "deadline of 15 s"),
        (TransportFailure::Cancelled, "cancelled"),
    ] {
        let results: Vec<ProbeResult> = Probe::ALL
            .into_iter()
            .map(|probe| result(probe, Err(failure.clone())))
            .collect();
        let report = service_user(&results);
        assert_eq!(report.verdict, Verdict::Unverifiable, "{failure:?}");
        assert!(report.summary.contains(words), "{}", report.summary);
    }
}

#[test]
fn rate_limited_after_retries_is_unverifiable() {
    let report = service_user(&granted_except(Probe::People, answer(429, "")));
    assert_eq!(report.verdict, Verdict::Unverifiable);
    let row = report.permission(Scope::FullEmployeeRead);
    assert_eq!(row.status, ScopeStatus::Unknown);
    assert_eq!(row.http_status, Some(429));
    assert!(row.detail.contains("rate limiting"), "{}", row.detail);
    assert!(report.summary.contains("(429)"), "{}", report.summary);
}

#[test]
fn malformed_json_on_success_is_unknown() {
    let report = service_user(&granted_except(
        Probe::Fields,
        answer(200, r#"[{"id":"root.id","#),
    ));
    let row = report.permission(Scope::EmployeeFieldsRead);
    assert_eq!(row.status, ScopeStatus::Unknown);
    assert!(row.detail.contains("not the JSON"), "{}", row.detail);
    assert_eq!(report.verdict, Verdict::Unverifiable);
}

#[test]
fn success_with_the_wrong_json_shape_is_unknown() {
    // Fields must be an array; people must carry an `employees` list; who's out must be an object.
    for (probe, body) in [
        (Probe::Fields, r#"{"fields":[]}"#),
        (Probe::People, r#"{"people":[]}"#),
        (Probe::Payroll, r#"[]"#),
        (Probe::OutToday, r#"[]"#),
    ] {
        let report = service_user(&granted_except(probe, answer(200, body)));
        assert_eq!(
            status(&report, probe.scope()),
            ScopeStatus::Unknown,
            "{probe:?} {body}"
        );
    }
}

#[test]
fn plain_text_success_body_is_unknown() {
    let report = service_user(&granted_except(Probe::People, answer(200, "OK")));
    assert_eq!(
        status(&report, Scope::FullEmployeeRead),
        ScopeStatus::Unknown
    );
}

#[test]
fn plain_text_error_body_is_a_server_error() {
    let report = service_user(&granted_except(Probe::Payroll, answer(502, "Bad Gateway")));
    let row = report.permission(Scope::PayrollInfoRead);
    assert_eq!(row.status, ScopeStatus::Unknown);
    assert!(row.detail.contains("server error (502)"), "{}", row.detail);
    assert!(!row.detail.contains("Bad Gateway"), "{}", row.detail);
    assert_eq!(report.verdict, Verdict::Unverifiable);
}

#[test]
fn a_400_is_unknown_and_carries_hibobs_error_text() {
    let report = service_user(&granted_except(
        Probe::People,
        answer(400, r#"{"error":"filters must not be empty","key":"x"}"#),
    ));
    let row = report.permission(Scope::FullEmployeeRead);
    assert_eq!(row.status, ScopeStatus::Unknown);
    assert_eq!(row.http_status, Some(400));
    assert_eq!(
        row.detail,
        "HiBob answered an unexpected HTTP 400: filters must not be empty"
    );
    assert_eq!(report.verdict, Verdict::Unverifiable);
}

#[test]
fn a_400_with_a_plain_text_body_has_no_error_text() {
    let report = service_user(&granted_except(Probe::People, answer(400, "Bad Request")));
    assert_eq!(
        report.permission(Scope::FullEmployeeRead).detail,
        "HiBob answered an unexpected HTTP 400"
    );
}

#[test]
fn hibobs_error_text_is_one_bounded_line() {
    let long = format!(r#"{{"error":"line one\nline two {}"}}"#, "x".repeat(500));
    let report = service_user(&granted_except(Probe::People, answer(404, &long)));
    let detail = &report.permission(Scope::FullEmployeeRead).detail;
    assert!(!detail.contains('\n'), "{detail}");
    assert!(detail.starts_with("HiBob answered an unexpected HTTP 404: line oneline two"));
    assert!(detail.chars().count() < 250, "{}", detail.chars().count());
}

#[test]
fn truncated_success_is_granted_without_parsing() {
    // A payroll history can be megabytes; its first megabyte (not valid JSON on its own) proves the scope.
    let mut results = all_granted();
    results[2].outcome = Ok(Answer {
        status: 200,
        body: r#"{"employees":[{"id":"1"},"#.to_string(),
        truncated: true,
    });
    let report = service_user(&results);
    assert_eq!(
        status(&report, Scope::PayrollInfoRead),
        ScopeStatus::Granted
    );
    assert_eq!(report.verdict, Verdict::Ok);
}

#[test]
fn a_probe_without_a_result_is_unknown() {
    let results: Vec<ProbeResult> = all_granted()
        .into_iter()
        .filter(|r| r.probe != Probe::OutToday)
        .collect();
    let report = service_user(&results);
    let row = report.permission(Scope::TimeoffSubmitAndRead);
    assert_eq!(row.status, ScopeStatus::Unknown);
    assert_eq!(row.detail, "the probe did not complete");
    assert_eq!(report.verdict, Verdict::Unverifiable);
}

#[test]
fn no_results_at_all_is_unverifiable() {
    let report = service_user(&[]);
    assert_eq!(report.verdict, Verdict::Unverifiable);
    assert!(
        report.summary.contains("HiBob did not answer every probe"),
        "{}",
        report.summary
    );
}

// ---- classify, as the wizard uses it for live rows ----

#[test]
fn classify_matches_the_report_rows() {
    let results = granted_except(Probe::Payroll, answer(403, ""));
    let report = service_user(&results);
    for result in &results {
        let (status, detail) = classify(CredentialKind::ServiceUser, result.probe, result);
        let row = report.permission(result.probe.scope());
        assert_eq!(status, row.status);
        assert_eq!(detail, row.detail);
    }
}

// ---- serialization names used by `--json` ----

#[test]
fn statuses_and_verdicts_serialize_in_snake_case() {
    let names: Vec<String> = [
        ScopeStatus::Granted,
        ScopeStatus::Missing,
        ScopeStatus::Empty,
        ScopeStatus::NotChecked,
        ScopeStatus::Unknown,
    ]
    .iter()
    .map(|status| serde_json::to_string(status).unwrap())
    .collect();
    assert_eq!(
        names,
        [
            "\"granted\"",
            "\"missing\"",
            "\"empty\"",
            "\"not_checked\"",
            "\"unknown\""
        ]
    );
    let verdicts: Vec<String> = [
        Verdict::Ok,
        Verdict::Limited,
        Verdict::Rejected,
        Verdict::Unverifiable,
    ]
    .iter()
    .map(|verdict| serde_json::to_string(verdict).unwrap())
    .collect();
    assert_eq!(
        verdicts,
        ["\"ok\"", "\"limited\"", "\"rejected\"", "\"unverifiable\""]
    );
}
