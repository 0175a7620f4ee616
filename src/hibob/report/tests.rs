//! The answer-to-report mapping, case by case: every verdict, every scope status, and the messages
//! people act on. Pure inputs, no network: bodies go through the same survey the client uses.

use std::time::{Duration, UNIX_EPOCH};

use super::*;
use crate::hibob::fields::{ASKED, Placement};
use crate::hibob::probe::{Answer, AnswerBody, Seen, TransportFailure};
use crate::hibob::survey::survey;

/// Three employees; every field asked for comes back by the second (as `null`, which is not hidden), so
/// the third is never read. Each carries the top-level `id` HiBob always adds.
const PEOPLE_OK: &str = r#"{"employees":[{"id":"1","/root/id":{"value":null}},{"id":"2","/root/id":{"value":null},"/root/creationDateTime":{"value":null},"/root/companyId":{"value":null},"/about/avatar":{"value":null},"/about/hobbies":{"value":null},"/payroll/employment/type":{"value":null},"/payroll/employment/contract":{"value":null},"/work/title":{"value":null},"/work/department":{"value":null},"/work/site":{"value":null},"/payroll/salary/payFrequency":{"value":null}},{"id":"3","/root/id":{"value":null}}]}"#;
/// What a permission group with Basic info only shows.
const PEOPLE_BASIC_ONLY: &str = r#"{"employees":[{"id":"1","/root/id":{"value":null},"/root/creationDateTime":{"value":null},"/root/companyId":{"value":null}},{"id":"2","/root/id":{"value":null},"/root/creationDateTime":{"value":null},"/root/companyId":{"value":null}},{"id":"3","/root/id":{"value":null},"/root/creationDateTime":{"value":null},"/root/companyId":{"value":null}}]}"#;
/// Everything but the payroll field.
const PEOPLE_NO_PAYROLL: &str = r#"{"employees":[{"id":"1","/root/id":{"value":null},"/root/creationDateTime":{"value":null},"/root/companyId":{"value":null},"/about/avatar":{"value":null},"/about/hobbies":{"value":null},"/payroll/employment/type":{"value":null},"/payroll/employment/contract":{"value":null},"/work/title":{"value":null},"/work/department":{"value":null},"/work/site":{"value":null}}]}"#;
/// The field metadata's entries for the asked fields, each in its default category.
const FIELDS_OK: &str = r#"[{"id":"root.id","categoryId":"root","categoryDisplayName":"Basic info"},{"id":"root.creationDateTime","categoryId":"root","categoryDisplayName":"Basic info"},{"id":"root.companyId","categoryId":"root","categoryDisplayName":"Basic info"},{"id":"about.avatar","categoryId":"about","categoryDisplayName":"About"},{"id":"about.hobbies","categoryId":"about","categoryDisplayName":"About"},{"id":"payroll.employment.type","categoryId":"employment","categoryDisplayName":"Employment"},{"id":"payroll.employment.contract","categoryId":"employment","categoryDisplayName":"Employment"},{"id":"work.title","categoryId":"work","categoryDisplayName":"Work"},{"id":"work.department","categoryId":"work","categoryDisplayName":"Work"},{"id":"work.site","categoryId":"work","categoryDisplayName":"Work"},{"id":"payroll.salary.payFrequency","categoryId":"payroll","categoryDisplayName":"Payroll"}]"#;
const OUTS_OK: &str = r#"{"outs":[{"employeeId":"1","startDate":"2023-11-20"}]}"#;
const OUTS_EMPTY: &str = r#"{"outs":[]}"#;

/// An answer as HiBob sent it; [`result`] reads a successful body the way the client does.
fn answer(status: u16, body: &str) -> Result<Answer, TransportFailure> {
    Ok(Answer::text(status, body))
}

fn result(probe: Probe, outcome: Result<Answer, TransportFailure>) -> ProbeResult {
    let outcome = outcome.map(|answer| match answer.body {
        AnswerBody::Text(text) if (200..300).contains(&answer.status) => {
            Answer::seen(answer.status, survey(probe, text.as_bytes()))
        }
        _ => answer,
    });
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
        result(Probe::WhosOut, answer(200, OUTS_OK)),
    ]
}

/// Every probe answered alike.
fn every_probe(outcome: impl Fn() -> Result<Answer, TransportFailure>) -> Vec<ProbeResult> {
    Probe::ALL
        .into_iter()
        .map(|probe| result(probe, outcome()))
        .collect()
}

/// `all_granted`, with one probe's outcome replaced.
fn granted_except(probe: Probe, outcome: Result<Answer, TransportFailure>) -> Vec<ProbeResult> {
    let mut results = all_granted();
    let slot = results
        .iter_mut()
        .find(|r| r.probe == probe)
        .expect("every probe is present");
    *slot = result(probe, outcome);
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

/// A service user's report where every probe but `probe` was answered as for a fully permitted credential.
fn service_user_except(probe: Probe, outcome: Result<Answer, TransportFailure>) -> Report {
    service_user(&granted_except(probe, outcome))
}

/// [`service_user_except`] for an API access token.
fn api_token_except(probe: Probe, outcome: Result<Answer, TransportFailure>) -> Report {
    api_token(&granted_except(probe, outcome))
}

/// `text` (a summary, a detail, a piece of evidence) says each of `parts`.
fn says(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} is not in: {text}");
    }
}

/// `text` says none of `parts`.
fn never_says(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(!text.contains(part), "{part:?} is in: {text}");
    }
}

/// The report's verdict, and the exit code it maps to.
fn verdict_is(report: &Report, verdict: Verdict, exit: Exit) {
    assert_eq!(report.verdict, verdict, "{}", report.summary);
    assert_eq!(report.verdict.exit(), exit);
}

/// A scope's row has `status`, and came with the HTTP status `http`.
fn status_is(row: &PermissionResult, status: ScopeStatus, http: Option<u16>) {
    assert_eq!(row.status, status, "{:?}", row.scope);
    assert_eq!(row.http_status, http, "{:?}", row.scope);
}

fn scope_is(report: &Report, scope: Scope, status: ScopeStatus) {
    assert_eq!(report.permission(scope).status, status, "{scope:?}");
}

fn status(report: &Report, scope: Scope) -> ScopeStatus {
    report.permission(scope).status
}

// ---- verdict: ok ----

#[test]
fn every_probe_granted_is_ok() {
    let report = service_user(&all_granted());
    verdict_is(&report, Verdict::Ok, Exit::Ok);
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
    // API access tokens are retired; they get the same people search as service users.
    assert_eq!(
        report
            .permission(Scope::FullEmployeeRead)
            .endpoint
            .as_deref(),
        Some("POST /v1/people/search")
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
    // Payroll is proven by a field in the same people search: no payroll endpoint at all.
    assert_eq!(
        endpoint(Scope::PayrollInfoRead).as_deref(),
        Some("POST /v1/people/search")
    );
    assert_eq!(
        endpoint(Scope::TimeoffSubmitAndRead).as_deref(),
        Some("GET /v1/timeoff/whosout")
    );
}

#[test]
fn granted_rows_say_what_was_seen() {
    let report = service_user(&all_granted());
    let people = report.permission(Scope::FullEmployeeRead);
    assert_eq!(people.detail, "every category returned");
    assert_eq!(
        people.evidence,
        "2 employees read until every field was seen; categories root, about, employment, work, payroll returned"
    );
    assert_eq!(
        report.permission(Scope::PayrollInfoRead).evidence,
        "2 employees read until every field was seen; the payroll field (pay frequency) returned"
    );
    assert_eq!(
        report.permission(Scope::EmployeeFieldsRead).evidence,
        "a list of 11 fields"
    );
    assert_eq!(
        report.permission(Scope::TimeoffSubmitAndRead).evidence,
        "at least one entry in who's out, a year back to a year ahead (its contents were not read)"
    );
}

#[test]
fn a_people_answer_read_only_until_everything_was_seen_says_so() {
    let keys: Vec<String> = ASKED
        .iter()
        .map(|field| format!(r#""/{}":{{"value":null}}"#, field.id.replace('.', "/")))
        .collect();
    let first = format!("{{{}}}", keys.join(","));
    // Only the first employee is read: the rest is not even valid JSON.
    let body = format!(r#"{{"employees":[{first},{{"broken"#);
    let report = service_user_except(Probe::People, answer(200, &body));
    let row = report.permission(Scope::FullEmployeeRead);
    assert_eq!(row.status, ScopeStatus::Granted);
    assert!(
        row.evidence
            .starts_with("1 employee read until every field was seen"),
        "{}",
        row.evidence
    );
    assert_eq!(report.verdict, Verdict::Ok);
}

// ---- proof by data: partial, payroll hidden, unproven, unavailable ----

#[test]
fn basic_info_only_is_partial_and_payroll_missing() {
    let report = service_user_except(Probe::People, answer(200, PEOPLE_BASIC_ONLY));
    verdict_is(&report, Verdict::Limited, Exit::Limited);
    let people = report.permission(Scope::FullEmployeeRead);
    status_is(people, ScopeStatus::Partial, Some(200));
    says(
        &people.detail,
        &[
            "left out the About, Employment and Work fields of all 3 employees",
            "View selected employees' About, Employment and Work sections",
            "Settings > Account > Permission groups",
        ],
    );
    assert_eq!(people.evidence, "3 employees; categories root returned");
    assert_ne!(
        status(&report, Scope::PayrollInfoRead),
        ScopeStatus::Granted
    );
    scope_is(&report, Scope::PayrollInfoRead, ScopeStatus::Missing);
    says(
        &report.summary,
        &[
            "Partial: Full employee read (HiBob left out the About, Employment and Work fields)",
            "Missing: Payroll Info read",
            "HiBob advises a permission group of the service user's own",
        ],
    );
}

#[test]
fn a_hidden_payroll_field_is_missing_with_the_payroll_permission() {
    let report = service_user_except(Probe::People, answer(200, PEOPLE_NO_PAYROLL));
    scope_is(&report, Scope::FullEmployeeRead, ScopeStatus::Granted);
    let payroll = report.permission(Scope::PayrollInfoRead);
    assert_eq!(payroll.status, ScopeStatus::Missing);
    says(
        &payroll.detail,
        &["View selected employees' Payroll sections"],
    );
    assert_eq!(
        payroll.evidence,
        "1 employee; the payroll field (pay frequency) returned for none"
    );
    assert_eq!(report.verdict, Verdict::Limited);
}

#[test]
fn the_nested_answer_form_proves_the_same() {
    let body = r#"{"employees":[{"id":"1","creationDateTime":null,"about":{"avatar":null},"payroll":{"employment":{"type":"Permanent"},"salary":{"payFrequency":"Monthly"}},"work":{"title":"1"}}]}"#;
    let report = service_user_except(Probe::People, answer(200, body));
    assert_eq!(report.verdict, Verdict::Ok, "{}", report.summary);
}

// ---- what HiBob's reference says a check must not assume ----

/// The field metadata of a company that moved `moved` to a category of its own.
fn fields_with_moved(moved: &[&str]) -> String {
    let entries: Vec<String> = ASKED
        .iter()
        .map(|field| {
            let (id, name) = if moved.contains(&field.id) {
                ("category_1690000000000", "Job details")
            } else {
                (field.home.id(), field.home.name())
            };
            format!(
                r#"{{"id":"{}","categoryId":"{id}","categoryDisplayName":"{name}","category":"{}"}}"#,
                field.id,
                field.home.id()
            )
        })
        .collect();
    format!("[{}]", entries.join(","))
}

/// Every asked field but those in `hidden_categories` (by metadata ID) comes back, for one employee.
fn people_without(hidden: &[&str], metadata: &str) -> String {
    let Seen::FieldList { places, .. } = survey(Probe::Fields, metadata.as_bytes()) else {
        panic!("not a field list")
    };
    let placement = Placement::Metadata(&places);
    let keys: Vec<String> = ASKED
        .iter()
        .filter(|field| {
            placement
                .category_of(**field)
                .is_none_or(|category| !hidden.contains(&category.id()))
        })
        .filter(|field| placement.category_of(**field).is_some())
        .map(|field| format!(r#""/{}":{{"value":null}}"#, field.id.replace('.', "/")))
        .collect();
    format!(r#"{{"employees":[{{"id":"1",{}}}]}}"#, keys.join(","))
}

fn with_fields_and_people(metadata: &str, people: &str) -> Report {
    service_user(&[
        result(Probe::Fields, answer(200, metadata)),
        result(Probe::People, answer(200, people)),
        result(Probe::WhosOut, answer(200, OUTS_OK)),
    ])
}

#[test]
fn the_top_level_id_alone_does_not_prove_basic_info() {
    // A permission group without Basic info: HiBob still adds `id` to every employee.
    let metadata = fields_with_moved(&[]);
    let report = with_fields_and_people(&metadata, &people_without(&["root"], &metadata));
    verdict_is(&report, Verdict::Limited, Exit::Limited);
    let people = report.permission(Scope::FullEmployeeRead);
    status_is(people, ScopeStatus::Partial, Some(200));
    says(&people.detail, &["left out the Basic info fields"]);
    says(
        &report.summary,
        &["Partial: Full employee read (HiBob left out the Basic info fields)"],
    );
}

#[test]
fn a_moved_field_still_proves_its_category_through_the_others() {
    // Job title moved to a custom category the service user does not see: the other Work fields prove Work.
    let metadata = fields_with_moved(&["work.title"]);
    let people = people_without(&["category_1690000000000"], &metadata);
    let report = with_fields_and_people(&metadata, &people);
    verdict_is(&report, Verdict::Ok, Exit::Ok);
    scope_is(&report, Scope::FullEmployeeRead, ScopeStatus::Granted);
}

#[test]
fn a_field_named_like_work_proves_the_category_the_metadata_gives_it() {
    // Work fields that came back after a move prove nothing about Work: the category follows the metadata.
    let metadata = fields_with_moved(&["work.title", "work.department", "work.site"]);
    let report = with_fields_and_people(&metadata, &people_without(&[], &metadata));
    verdict_is(&report, Verdict::Limited, Exit::Limited);
    let people = report.permission(Scope::FullEmployeeRead);
    status_is(people, ScopeStatus::Unproven, Some(200));
    says(
        &people.detail,
        &["puts none of the fields the check asks for in Work"],
    );
    never_says(&people.detail, &["left out"]);
    says(&report.summary, &["Not proven: the Work category"]);
    never_says(&report.summary, &["Missing", "Partial"]);
}

#[test]
fn a_moved_payroll_field_is_unproven_not_missing() {
    let metadata = fields_with_moved(&["payroll.salary.payFrequency"]);
    let report = with_fields_and_people(&metadata, &people_without(&[], &metadata));
    let payroll = report.permission(Scope::PayrollInfoRead);
    status_is(payroll, ScopeStatus::Unproven, Some(200));
    says(&report.summary, &["Not proven: the Payroll category"]);
    scope_is(&report, Scope::FullEmployeeRead, ScopeStatus::Granted);
}

#[test]
fn without_field_metadata_the_default_categories_stand_in() {
    // The metadata answered 5xx: the check cannot be `ok`, but what came back is still read by HiBob's
    // default placement, not thrown away.
    let report = service_user_except(Probe::Fields, answer(503, ""));
    scope_is(&report, Scope::FullEmployeeRead, ScopeStatus::Granted);
    assert_eq!(report.verdict, Verdict::Unverifiable);
}

#[test]
fn nobody_out_in_two_years_is_unproven_and_limited() {
    let report = service_user_except(Probe::WhosOut, answer(200, OUTS_EMPTY));
    let row = report.permission(Scope::TimeoffSubmitAndRead);
    assert_eq!(row.status, ScopeStatus::Unproven);
    assert_eq!(row.evidence, "an empty list");
    says(&row.detail, &["See who's out"]);
    assert_eq!(report.verdict, Verdict::Limited);
    says(
        &report.summary,
        &["Not proven: Timeoff submit request & read who's out"],
    );
}

#[test]
fn a_404_is_unavailable_and_limited_not_unverifiable() {
    let report = service_user_except(Probe::WhosOut, answer(404, r#"{"error":"Not Found"}"#));
    let row = report.permission(Scope::TimeoffSubmitAndRead);
    assert_eq!(row.status, ScopeStatus::Unavailable);
    says(&row.detail, &["module is not active"]);
    assert_eq!(report.verdict, Verdict::Limited);
    for scope in [
        Scope::FullEmployeeRead,
        Scope::EmployeeFieldsRead,
        Scope::PayrollInfoRead,
    ] {
        assert_eq!(status(&report, scope), ScopeStatus::Granted, "{scope:?}");
    }
    says(&report.summary, &["Not available: Timeoff"]);
}

// ---- verdict: blocked ----

#[test]
fn a_403_on_the_field_list_is_blocked_and_names_no_missing_scope() {
    let report = service_user(&every_probe(|| answer(403, r#"{"error":"Forbidden"}"#)));
    verdict_is(&report, Verdict::Blocked, Exit::Blocked);
    assert_eq!(Exit::Blocked.code(), 7);
    for row in &report.permissions {
        assert_ne!(row.status, ScopeStatus::Missing, "{:?}", row.scope);
    }
    never_says(&report.summary.to_lowercase(), &["missing"]);
    says(&report.summary, &["five minutes", "by IP address"]);
}

#[test]
fn an_html_403_page_anywhere_is_blocked() {
    let page = "<!DOCTYPE html><html><body>Access denied</body></html>";
    let report = service_user_except(Probe::People, answer(403, page));
    assert_eq!(report.verdict, Verdict::Blocked);
    assert_eq!(
        report.permission(Scope::FullEmployeeRead).evidence,
        "HTTP 403 with an HTML page"
    );
    never_says(&report.summary.to_lowercase(), &["missing"]);
}

#[test]
fn a_401_outweighs_a_block() {
    let results = vec![
        result(Probe::Fields, answer(403, "")),
        result(Probe::People, answer(401, "")),
    ];
    assert_eq!(service_user(&results).verdict, Verdict::Rejected);
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
        says(&row.detail, &["changing data"]);
    }
}

// ---- verdict: rejected ----

#[test]
fn service_user_401_on_authentication_is_rejected() {
    let report = service_user(&every_probe(|| answer(401, r#"{"error":"Unauthorized"}"#)));
    verdict_is(&report, Verdict::Rejected, Exit::Rejected);
    scope_is(&report, Scope::EmployeeFieldsRead, ScopeStatus::Unknown);
    assert_eq!(
        report.permission(Scope::EmployeeFieldsRead).http_status,
        Some(401)
    );
    says(
        &report.summary,
        &[
            "(401)",
            "not retried",
            "System settings > Integrations > Automation > Service users",
            "inactive or in no permission group",
        ],
    );
}

#[test]
fn a_401_on_any_single_probe_is_rejected() {
    for probe in Probe::ALL {
        let report = service_user_except(probe, answer(401, ""));
        assert_eq!(report.verdict, Verdict::Rejected, "401 on {probe:?}");
    }
}

#[test]
fn a_401_outweighs_missing_and_failed_probes() {
    let results = vec![
        result(Probe::Fields, answer(401, "")),
        result(Probe::People, answer(403, "")),
        result(Probe::WhosOut, Err(TransportFailure::Timeout(15))),
    ];
    assert_eq!(service_user(&results).verdict, Verdict::Rejected);
}

#[test]
fn rejected_api_token_explains_the_retirement_and_points_to_service_users() {
    let report = api_token_except(Probe::Fields, answer(401, ""));
    assert_eq!(report.verdict, Verdict::Rejected);
    says(
        &report.summary,
        &[
            "2025-05-06",
            "service user",
            "hibob-auth guide --flow service-user",
        ],
    );
}

// ---- status: missing (403) and verdict: limited ----

#[test]
fn service_user_403_is_missing_with_the_permission_group_fix() {
    // A 403 on people search: neither people nor payroll fields can be read.
    let report = service_user_except(Probe::People, answer(403, ""));
    verdict_is(&report, Verdict::Limited, Exit::Limited);
    let row = report.permission(Scope::PayrollInfoRead);
    status_is(row, ScopeStatus::Missing, Some(403));
    says(
        &row.detail,
        &[
            "Permission groups",
            "People's data > View selected employees' Payroll sections",
            "Settings > Account > Permission groups",
        ],
    );
    says(
        &report.summary,
        &[
            "Missing: Full employee read, Payroll Info read",
            "permission group",
        ],
    );
    // The other checked scopes are still reported as granted.
    scope_is(&report, Scope::TimeoffSubmitAndRead, ScopeStatus::Granted);
}

#[test]
fn api_token_403_is_missing_with_the_enable_and_save_fix() {
    let report = api_token_except(Probe::WhosOut, answer(403, ""));
    assert_eq!(report.verdict, Verdict::Limited);
    let row = report.permission(Scope::TimeoffSubmitAndRead);
    assert_eq!(row.status, ScopeStatus::Missing);
    says(
        &row.detail,
        &[
            "enable the scope \"Timeoff submit request & read who's out\"",
            "Save",
        ],
    );
    says(&report.summary, &["click Save"]);
}

#[test]
fn every_checkable_scope_can_be_missing() {
    // Except the field list: a 403 there is a block (see the blocked tests).
    for probe in [Probe::People, Probe::WhosOut] {
        let report = service_user_except(probe, answer(403, ""));
        for scope in probe.scopes() {
            scope_is(&report, *scope, ScopeStatus::Missing);
        }
        assert_eq!(report.verdict, Verdict::Limited, "403 on {probe:?}");
    }
}

#[test]
fn a_missing_permission_outweighs_an_unverified_one() {
    // One definite finding (403) is worth acting on even if another probe failed.
    let mut results = granted_except(Probe::People, answer(403, ""));
    results[2] = result(Probe::WhosOut, answer(503, ""));
    let report = service_user(&results);
    assert_eq!(report.verdict, Verdict::Limited);
    scope_is(&report, Scope::TimeoffSubmitAndRead, ScopeStatus::Unknown);
}

// ---- status: empty ----

#[test]
fn people_read_with_no_employees_is_empty_and_limited() {
    let report = service_user_except(Probe::People, answer(200, r#"{"employees":[]}"#));
    assert_eq!(report.verdict, Verdict::Limited);
    let row = report.permission(Scope::FullEmployeeRead);
    status_is(row, ScopeStatus::Empty, Some(200));
    says(&row.detail, &["Access data for"]);
    says(
        &report.summary,
        &["Sees no employees: Full employee read", "Access data for"],
    );
    never_says(&report.summary, &["Missing:"]);
    // Payroll cannot show either when nobody is visible.
    scope_is(&report, Scope::PayrollInfoRead, ScopeStatus::Empty);
}

#[test]
fn api_token_people_with_no_employees_is_empty() {
    let report = api_token_except(Probe::People, answer(200, r#"{"employees":[]}"#));
    scope_is(&report, Scope::FullEmployeeRead, ScopeStatus::Empty);
    assert_eq!(report.verdict, Verdict::Limited);
}

// ---- status: unknown and verdict: unverifiable ----

#[test]
fn authenticated_but_one_probe_503_is_unverifiable() {
    let report = service_user_except(Probe::WhosOut, answer(503, ""));
    verdict_is(&report, Verdict::Unverifiable, Exit::Unverifiable);
    let row = report.permission(Scope::TimeoffSubmitAndRead);
    status_is(row, ScopeStatus::Unknown, Some(503));
    says(&row.detail, &["server error (503)"]);
    scope_is(&report, Scope::EmployeeFieldsRead, ScopeStatus::Granted);
    says(
        &report.summary,
        &["HiBob answered 503", "credential itself may be fine"],
    );
}

#[test]
fn every_probe_5xx_is_unverifiable() {
    let report = service_user(&every_probe(|| answer(500, "")));
    assert_eq!(report.verdict, Verdict::Unverifiable);
    says(&report.summary, &["HiBob answered 500"]);
}

#[test]
fn connection_refused_everywhere_is_unverifiable() {
    let refused = || Err(TransportFailure::Connect("Connection refused".into()));
    let report = service_user(&every_probe(refused));
    assert_eq!(report.verdict, Verdict::Unverifiable);
    for probe in Probe::ALL {
        for scope in probe.scopes() {
            status_is(report.permission(*scope), ScopeStatus::Unknown, None);
        }
    }
    says(
        &report.summary,
        &[
            "could not connect (Connection refused)",
            "credential itself may be fine",
        ],
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
        let report = service_user(&every_probe(|| Err(failure.clone())));
        assert_eq!(report.verdict, Verdict::Unverifiable, "{failure:?}");
        says(&report.summary, &[words]);
    }
}

#[test]
fn rate_limited_after_retries_is_unverifiable() {
    let report = service_user_except(Probe::People, answer(429, ""));
    assert_eq!(report.verdict, Verdict::Unverifiable);
    let row = report.permission(Scope::FullEmployeeRead);
    status_is(row, ScopeStatus::Unknown, Some(429));
    says(&row.detail, &["rate limiting"]);
    says(&report.summary, &["(429)"]);
}

#[test]
fn malformed_json_on_success_is_unknown() {
    let report = service_user_except(Probe::Fields, answer(200, r#"[{"id":"root.id","#));
    let row = report.permission(Scope::EmployeeFieldsRead);
    assert_eq!(row.status, ScopeStatus::Unknown);
    says(&row.detail, &["not the JSON"]);
    assert_eq!(report.verdict, Verdict::Unverifiable);
}

#[test]
fn success_with_the_wrong_json_shape_is_unknown() {
    // Fields must be an array; people must carry an `employees` list; who's out an `outs` list.
    for (probe, body) in [
        (Probe::Fields, r#"{"fields":[]}"#),
        (Probe::People, r#"{"people":[]}"#),
        (Probe::People, r#"[]"#),
        (Probe::WhosOut, r#"{"absences":[]}"#),
    ] {
        let report = service_user_except(probe, answer(200, body));
        assert_eq!(
            status(&report, probe.scopes()[0]),
            ScopeStatus::Unknown,
            "{probe:?} {body}"
        );
    }
}

#[test]
fn plain_text_success_body_is_unknown() {
    let report = service_user_except(Probe::People, answer(200, "OK"));
    scope_is(&report, Scope::FullEmployeeRead, ScopeStatus::Unknown);
}

#[test]
fn plain_text_error_body_is_a_server_error() {
    let report = service_user_except(Probe::WhosOut, answer(502, "Bad Gateway"));
    let row = report.permission(Scope::TimeoffSubmitAndRead);
    assert_eq!(row.status, ScopeStatus::Unknown);
    says(&row.detail, &["server error (502)"]);
    never_says(&row.detail, &["Bad Gateway"]);
    assert_eq!(report.verdict, Verdict::Unverifiable);
}

#[test]
fn a_400_is_unknown_and_carries_hibobs_error_text() {
    let report = service_user_except(
        Probe::People,
        answer(400, r#"{"error":"filters must not be empty","key":"x"}"#),
    );
    let row = report.permission(Scope::FullEmployeeRead);
    status_is(row, ScopeStatus::Unknown, Some(400));
    assert_eq!(
        row.detail,
        "HiBob answered an unexpected HTTP 400: filters must not be empty"
    );
    assert_eq!(report.verdict, Verdict::Unverifiable);
}

#[test]
fn a_400_with_a_plain_text_body_has_no_error_text() {
    let report = service_user_except(Probe::People, answer(400, "Bad Request"));
    assert_eq!(
        report.permission(Scope::FullEmployeeRead).detail,
        "HiBob answered an unexpected HTTP 400"
    );
}

#[test]
fn hibobs_error_text_is_one_bounded_line() {
    let long = format!(r#"{{"error":"line one\nline two {}"}}"#, "x".repeat(500));
    let report = service_user_except(Probe::People, answer(409, &long));
    let detail = &report.permission(Scope::FullEmployeeRead).detail;
    assert!(!detail.contains('\n'), "{detail}");
    assert!(detail.starts_with("HiBob answered an unexpected HTTP 409: line oneline two"));
    assert!(detail.chars().count() < 250, "{}", detail.chars().count());
}

#[test]
fn a_probe_without_a_result_is_unknown() {
    let results: Vec<ProbeResult> = all_granted()
        .into_iter()
        .filter(|r| r.probe != Probe::WhosOut)
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
    says(&report.summary, &["HiBob did not answer every probe"]);
}

// ---- classify, as the wizard uses it for live rows ----

#[test]
fn classify_matches_the_report_rows() {
    let results = granted_except(Probe::People, answer(200, PEOPLE_BASIC_ONLY));
    let report = service_user(&results);
    for result in &results {
        for scope in result.probe.scopes() {
            let finding = classify(
                CredentialKind::ServiceUser,
                *scope,
                result,
                placement_of(&results),
            );
            let row = report.permission(*scope);
            assert_eq!(finding.status, row.status);
            assert_eq!(finding.detail, row.detail);
            assert_eq!(finding.evidence, row.evidence);
        }
    }
}

// ---- serialization names used by `--json` ----

#[test]
fn statuses_and_verdicts_serialize_in_snake_case() {
    let names: Vec<String> = [
        ScopeStatus::Granted,
        ScopeStatus::Partial,
        ScopeStatus::Missing,
        ScopeStatus::Empty,
        ScopeStatus::Unproven,
        ScopeStatus::Unavailable,
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
            "\"partial\"",
            "\"missing\"",
            "\"empty\"",
            "\"unproven\"",
            "\"unavailable\"",
            "\"not_checked\"",
            "\"unknown\""
        ]
    );
    let verdicts: Vec<String> = [
        Verdict::Ok,
        Verdict::Limited,
        Verdict::Blocked,
        Verdict::Rejected,
        Verdict::Unverifiable,
    ]
    .iter()
    .map(|verdict| serde_json::to_string(verdict).unwrap())
    .collect();
    assert_eq!(
        verdicts,
        [
            "\"ok\"",
            "\"limited\"",
            "\"blocked\"",
            "\"rejected\"",
            "\"unverifiable\""
        ]
    );
}
