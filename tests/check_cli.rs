//! `hibob-auth check`: the real binary against the fake HiBob on 127.0.0.1, one test per verdict, status
//! and exit code, plus what may and may not be sent and printed.
//!
//! Each run is in a test home (support/home.rs): an empty environment (PATH kept) with HOME and the XDG
//! directories in a temporary directory and no D-Bus address, so nothing reaches the user's real
//! configuration or keyring.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;
use support::fake_hibob::{
    CHECK_PATHS, Expected, FakeHibob, LARGE_COMPANY, MOVED_CATEGORY, PATH_FIELDS,
    PATH_PEOPLE_SEARCH, PATH_WHOS_OUT, Reply, SCOPE_NAMES, Scenario, TEST_API_TOKEN,
    TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN, TIME_OFF_MODULE, closed_port_url,
};
use support::home::{TestHome, field_of_each, keys, never_says, says};

/// Only a hang guard: a run that takes this long is stuck. Tests do not assert on time.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// What a credential looks like in the environment of one run.
enum Cred<'a> {
    ServiceUser { id: &'a str, token: &'a str },
    ApiToken(&'a str),
    None,
}

const TEST_USER: Cred<'static> = Cred::ServiceUser {
    id: TEST_SERVICE_USER_ID,
    token: TEST_SERVICE_USER_TOKEN,
};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|err| panic!("stdout is not JSON ({err}):\n{}", self.stdout))
    }

    /// Neither the token nor the header built from it appears anywhere the user or a log can see.
    fn assert_no_secret(&self) {
        let basic = base64::engine::general_purpose::STANDARD
            .encode(format!("{TEST_SERVICE_USER_ID}:{TEST_SERVICE_USER_TOKEN}"));
        for secret in [
            TEST_SERVICE_USER_TOKEN,
            TEST_API_TOKEN,
            basic.as_str(),
            "wrong-token-that-must-stay-secret",
        ] {
            assert!(
                !self.stdout.contains(secret),
                "secret in stdout:\n{}",
                self.stdout
            );
            assert!(
                !self.stderr.contains(secret),
                "secret in stderr:\n{}",
                self.stderr
            );
        }
    }
}

impl Cred<'_> {
    /// Put this credential in `cmd`'s environment, as a user exports it.
    fn export(&self, cmd: &mut std::process::Command) {
        match self {
            Cred::ServiceUser { id, token } => {
                cmd.env("HIBOB_SERVICE_USER_ID", id)
                    .env("HIBOB_SERVICE_USER_TOKEN", token);
            }
            Cred::ApiToken(token) => {
                cmd.env("HIBOB_API_TOKEN", token);
            }
            Cred::None => {}
        }
    }
}

/// `hibob-auth ARGS` in `home` (nothing of the user's environment, no D-Bus: support/home.rs), with `cred`
/// exported.
fn std_command(home: &TestHome, cred: &Cred, args: &[&str]) -> std::process::Command {
    let mut cmd = home.command(args);
    cred.export(&mut cmd);
    cmd
}

fn command(home: &TestHome, cred: &Cred, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::from_std(std_command(home, cred, args));
    cmd.timeout(HANG_GUARD);
    cmd
}

/// `hibob-auth ARGS` to its end in a home of its own.
fn run(cred: &Cred, args: &[&str]) -> Run {
    let output = command(&TestHome::new(), cred, args)
        .output()
        .expect("run hibob-auth");
    Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    }
}

/// `hibob-auth check [--json] --api-url URL --timeout 10`.
fn check(server: &FakeHibob, cred: &Cred, json: bool) -> Run {
    let url = server.url();
    let mut args = vec!["check", "--api-url", &url, "--timeout", "10"];
    if json {
        args.push("--json");
    }
    let run = run(cred, &args);
    run.assert_no_secret();
    run
}

fn permission<'a>(json: &'a Value, scope: &str) -> &'a Value {
    json["permissions"]
        .as_array()
        .expect("permissions is an array")
        .iter()
        .find(|row| row["scope"] == scope)
        .unwrap_or_else(|| panic!("no row for {scope}"))
}

fn statuses(json: &Value) -> Vec<(String, String)> {
    json["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["scope"].as_str().unwrap().to_string(),
                row["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The human report opens with the verdict in capitals.
fn headline_is(run: &Run, verdict: &str) {
    let headline = format!("HiBob credential check: {verdict}\n");
    assert!(run.stdout.starts_with(&headline), "{}", run.stdout);
}

/// `check --json` of the test service user against `server`, which must end with exit `code` and the
/// verdict that code stands for.
fn checked_json(server: &FakeHibob, code: i32) -> Value {
    let run = check(server, &TEST_USER, true);
    assert_eq!(run.code, code, "{}", run.stderr);
    let json = run.json();
    // Each verdict has its own exit code (README, "Exit codes").
    let verdict = match code {
        0 => "ok",
        1 => "rejected",
        3 => "unverifiable",
        5 => "limited",
        7 => "blocked",
        _ => panic!("exit {code} has no verdict"),
    };
    assert_eq!(json["verdict"], verdict, "exit {code}");
    json
}

/// A JSON string field says each of `parts`.
fn says_in(field: &Value, parts: &[&str]) {
    says(field.as_str().expect("a string"), parts);
}

/// The JSON report's scope statuses are `checked` for the four probed scopes, the two write scopes not
/// checked.
fn statuses_are(json: &Value, checked: [&str; 4]) {
    assert_eq!(statuses(json), expected_statuses(checked));
}

fn expected_statuses(read: [&str; 4]) -> Vec<(String, String)> {
    SCOPE_NAMES
        .iter()
        .zip(read.iter().chain(["not_checked", "not_checked"].iter()))
        .map(|(scope, status)| (scope.to_string(), status.to_string()))
        .collect()
}

fn sent(server: &FakeHibob) -> BTreeSet<(String, String)> {
    server
        .requests()
        .into_iter()
        .map(|request| (request.method, request.path))
        .collect()
}

fn route(method: &str, path: &str) -> (String, String) {
    (method.to_string(), path.to_string())
}

/// What a check sends, whatever the credential: the three reads, nothing else.
fn the_three_reads() -> BTreeSet<(String, String)> {
    BTreeSet::from([
        route("GET", PATH_FIELDS),
        route("POST", PATH_PEOPLE_SEARCH),
        route("GET", PATH_WHOS_OUT),
    ])
}

// ---- ok: exit 0 ----

#[test]
fn ok_service_user_exits_0_with_a_readable_table() {
    let server = FakeHibob::start(Scenario::ok());
    let run = check(&server, &TEST_USER, false);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let mut lines = run.stdout.lines();
    assert_eq!(lines.next(), Some("HiBob credential check: OK"));
    says(&run.stdout, &["environment variables"]);
    // The ID is shown (it is not a secret); the token at most by its last four characters.
    says(
        &run.stdout,
        &["SERVICE-FAKE-0001, token ••••9c2e", &server.url()],
    );
    for scope in SCOPE_NAMES {
        assert!(
            run.stdout.contains(scope),
            "{scope} missing:\n{}",
            run.stdout
        );
    }
    says(&run.stdout, &["✓ granted      Payroll Info read"]);
    // What was seen is shown under each checked row.
    says(
        &run.stdout,
        &[
            "seen: a list of 15 fields",
            "- not checked  Employee update",
        ],
    );
}

#[test]
fn json_has_exactly_the_documented_shape() {
    let server = FakeHibob::start(Scenario::ok());
    let json = checked_json(&server, 0);
    assert_eq!(
        keys(&json),
        BTreeSet::from([
            "profile",
            "source",
            "kind",
            "api_url",
            "verdict",
            "summary",
            "permissions",
            "checked_at",
            "elapsed_ms",
        ])
    );
    assert_eq!(json["profile"], "default");
    assert_eq!(json["source"], "env");
    assert_eq!(json["kind"], "service-user");
    assert_eq!(json["api_url"], server.url());
    assert_eq!(json["verdict"], "ok");
    assert!(json["summary"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(json["elapsed_ms"].is_u64(), "{}", json["elapsed_ms"]);
    let checked_at = json["checked_at"].as_str().expect("checked_at is a string");
    assert!(
        humantime::parse_rfc3339(checked_at).is_ok(),
        "not RFC 3339: {checked_at}"
    );

    assert_eq!(field_of_each(&json["permissions"], "scope"), SCOPE_NAMES);
    for row in json["permissions"].as_array().unwrap() {
        assert_eq!(
            keys(row),
            BTreeSet::from([
                "scope",
                "status",
                "endpoint",
                "http_status",
                "detail",
                "evidence"
            ])
        );
        assert!(row["evidence"].as_str().is_some_and(|e| !e.is_empty()));
    }
    statuses_are(&json, ["granted", "granted", "granted", "granted"]);
    let people = permission(&json, "Full employee read");
    assert_eq!(people["endpoint"], "POST /v1/people/search");
    assert_eq!(people["http_status"], 200);
    assert_eq!(
        people["evidence"],
        "1 employee read until every field was seen; categories root, about, employment, work, payroll returned"
    );
    assert_eq!(
        permission(&json, "Payroll Info read")["endpoint"],
        "POST /v1/people/search"
    );
    assert_eq!(
        permission(&json, "Timeoff submit request & read who's out")["evidence"],
        "at least one entry in who's out, a year back to a year ahead (its contents were not read)"
    );
    let update = permission(&json, "Employee update");
    assert!(update["endpoint"].is_null());
    assert!(update["http_status"].is_null());
}

#[test]
fn ok_api_token_exits_0_with_the_same_people_search() {
    // API access tokens are retired (401 since 2025-05-06); one that still worked would be checked alike.
    let server = FakeHibob::start(Scenario::ok_for_api_token());
    let run = check(&server, &Cred::ApiToken(TEST_API_TOKEN), true);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["kind"], "api-token");
    assert_eq!(json["verdict"], "ok");
    assert_eq!(
        permission(&json, "Full employee read")["endpoint"],
        "POST /v1/people/search"
    );
}

#[test]
fn api_url_can_come_from_the_environment() {
    let server = FakeHibob::start(Scenario::ok());
    let home = TestHome::new();
    let mut cmd = command(&home, &TEST_USER, &["check", "--json"]);
    cmd.env("HIBOB_API_URL", server.url());
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["api_url"], server.url());
    assert_eq!(server.requests().len(), 3);
}

// ---- only the listed probes are sent ----

#[test]
fn a_service_user_check_sends_three_reads_and_never_asks_for_pay() {
    let server = FakeHibob::start(Scenario::ok());
    let run = check(&server, &TEST_USER, false);
    assert_eq!(run.code, 0);
    let requests = server.requests();
    // At most 6 requests per check (the issue's bound); three without retries.
    assert_eq!(requests.len(), 3, "{requests:#?}");
    assert_eq!(sent(&server), the_three_reads());
    // No payroll history, no salaries endpoint, nothing but the three read paths.
    for request in &requests {
        assert!(CHECK_PATHS.contains(&request.path.as_str()), "{request:?}");
        let path = request.path.to_lowercase();
        assert!(!path.contains("payroll"), "{request:?}");
        assert!(!path.contains("salar"), "{request:?}");
    }
    for request in &requests {
        assert!(request.authorization_matches, "{request:?}");
        let agent = request.user_agent.as_deref().unwrap_or_default();
        assert!(agent.starts_with("hibob-auth/"), "user agent {agent}");
        if request.method == "GET" {
            assert!(request.body.is_empty(), "{request:?}");
        }
    }
    let search = requests
        .iter()
        .find(|request| request.path == PATH_PEOPLE_SEARCH)
        .unwrap();
    let body: Value = serde_json::from_str(&search.body).expect("search body is JSON");
    // A few harmless fields per category, in the dot notation HiBob documents (reference/post_people-search);
    // no salary amount, bank, address or personal contact.
    assert_eq!(
        body,
        serde_json::json!({
            "fields": [
                "root.id",
                "root.creationDateTime",
                "root.companyId",
                "about.avatar",
                "about.hobbies",
                "payroll.employment.type",
                "payroll.employment.contract",
                "work.title",
                "work.department",
                "work.site",
                "payroll.salary.payFrequency"
            ],
            "showInactive": false
        })
    );
    // Who's out over two years around today, as ISO dates.
    let whos_out = requests
        .iter()
        .find(|request| request.path == PATH_WHOS_OUT)
        .unwrap();
    let query = whos_out.query.as_deref().unwrap_or_default();
    let dates: Vec<&str> = query
        .split('&')
        .map(|pair| pair.split_once('=').expect("key=value").1)
        .collect();
    assert!(
        query.starts_with("from=") && query.contains("&to="),
        "{query}"
    );
    assert_eq!(dates.len(), 2, "{query}");
    for date in &dates {
        assert!(
            humantime::parse_rfc3339(&format!("{date}T00:00:00Z")).is_ok(),
            "{query}"
        );
    }
    assert!(dates[0] < dates[1], "{query}");
}

#[test]
fn a_large_company_is_ok_proved_by_data() {
    let server = FakeHibob::start(Scenario::ok().employees(LARGE_COMPANY));
    let json = checked_json(&server, 0);
    let evidence = permission(&json, "Full employee read")["evidence"]
        .as_str()
        .unwrap()
        .to_string();
    says(&evidence, &["read until every field was seen"]);
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn an_api_token_check_sends_the_same_three_reads() {
    let server = FakeHibob::start(Scenario::ok_for_api_token());
    let run = check(&server, &Cred::ApiToken(TEST_API_TOKEN), false);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(server.requests().len(), 3);
    assert_eq!(sent(&server), the_three_reads());
    assert!(server.requests().iter().all(|r| r.authorization_matches));
}

// ---- rejected: exit 1, 401 never retried ----

#[test]
fn a_wrong_service_user_token_is_rejected_with_one_request_per_probe() {
    let server = FakeHibob::start(Scenario::ok());
    let wrong = Cred::ServiceUser {
        id: TEST_SERVICE_USER_ID,
        token: "wrong-token-that-must-stay-secret",
    };
    let run = check(&server, &wrong, true);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["verdict"], "rejected");
    assert_eq!(
        permission(&json, "Employee fields read")["http_status"],
        401
    );
    says_in(&json["summary"], &["not retried"]);
    // Exactly one request per probe: HiBob's firewall punishes repeated 401s.
    for path in CHECK_PATHS {
        assert_eq!(server.count(path), 1, "{path}");
    }
    assert_eq!(server.requests().len(), 3);
    assert!(server.requests().iter().all(|r| !r.authorization_matches));
}

#[test]
fn a_revoked_service_user_is_rejected_in_the_table() {
    let server = FakeHibob::start(Scenario::ok().reject_everything());
    let run = check(&server, &TEST_USER, false);
    assert_eq!(run.code, 1);
    headline_is(&run, "REJECTED");
    says(&run.stdout, &["(401)"]);
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_rejected_api_token_explains_the_retirement() {
    // HiBob answers 401 to every API access token since 2025-05-06.
    let server = FakeHibob::start(Scenario::ok_for_api_token().reject_everything());
    let run = check(&server, &Cred::ApiToken(TEST_API_TOKEN), false);
    assert_eq!(run.code, 1);
    says(&run.stdout, &["2025-05-06", "service user"]);
    for path in CHECK_PATHS {
        assert_eq!(server.count(path), 1, "{path}");
    }
}

#[test]
fn a_service_user_header_sent_to_an_api_token_server_is_rejected() {
    // The Authorization scheme matters: Basic for service users, bare for API tokens.
    let server = FakeHibob::start(
        Scenario::ok().expecting(Expected::ApiToken(TEST_SERVICE_USER_TOKEN.into())),
    );
    let run = check(&server, &TEST_USER, false);
    assert_eq!(run.code, 1);
}

// ---- limited: exit 5 ----

#[test]
fn basic_info_only_is_partial_and_limited_and_nothing_is_granted_unproven() {
    // HiBob answers 200 and silently leaves out every field of the categories the service user may not see.
    let server = FakeHibob::start(
        Scenario::ok()
            .only_categories(&["root"])
            .without_time_off_permission(),
    );
    let json = checked_json(&server, 5);
    statuses_are(&json, ["partial", "granted", "missing", "unproven"]);
    let people = permission(&json, "Full employee read");
    assert_eq!(people["evidence"], "3 employees; categories root returned");
    let detail = people["detail"].as_str().unwrap();
    says(
        detail,
        &["View selected employees' About, Employment and Work sections"],
    );
    let summary = json["summary"].as_str().unwrap();
    says(
        summary,
        &[
            "Partial: Full employee read",
            "Missing: Payroll Info read",
            "Not proven: Timeoff",
        ],
    );
}

#[test]
fn basic_info_only_in_the_human_report() {
    let server = FakeHibob::start(Scenario::ok().only_categories(&["root"]));
    let run = check(&server, &TEST_USER, false);
    assert_eq!(run.code, 5, "{}", run.stderr);
    headline_is(&run, "LIMITED");
    says(
        &run.stdout,
        &[
            "◐ partial      Full employee read",
            "✗ missing      Payroll Info read",
            "seen: 3 employees; categories root returned",
        ],
    );
}

#[test]
fn hidden_payroll_fields_are_missing_without_any_payroll_request() {
    let server = FakeHibob::start(Scenario::ok().hide_categories(&["payroll"]));
    let json = checked_json(&server, 5);
    statuses_are(&json, ["granted", "granted", "missing", "granted"]);
    let payroll = permission(&json, "Payroll Info read");
    assert_eq!(payroll["http_status"], 200);
    says_in(
        &payroll["detail"],
        &["Settings > Account > Permission groups"],
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_403_on_people_search_is_missing_and_never_retried() {
    let server = FakeHibob::start(Scenario::ok().on(PATH_PEOPLE_SEARCH, Reply::error(403)));
    let json = checked_json(&server, 5);
    statuses_are(&json, ["missing", "granted", "missing", "granted"]);
    assert_eq!(permission(&json, "Payroll Info read")["http_status"], 403);
    assert_eq!(
        server.count(PATH_PEOPLE_SEARCH),
        1,
        "a 403 is never retried"
    );
}

#[test]
fn a_403_for_an_api_token_says_to_enable_the_scope_and_save() {
    let server =
        FakeHibob::start(Scenario::ok_for_api_token().on(PATH_WHOS_OUT, Reply::error(403)));
    let run = check(&server, &Cred::ApiToken(TEST_API_TOKEN), true);
    assert_eq!(run.code, 5);
    let detail = permission(&run.json(), "Timeoff submit request & read who's out")["detail"]
        .as_str()
        .unwrap()
        .to_string();
    says(&detail, &["click Save"]);
}

#[test]
fn nobody_visible_is_empty_and_limited() {
    let server = FakeHibob::start(Scenario::ok().sees_nobody());
    let run = check(&server, &TEST_USER, true);
    assert_eq!(run.code, 5);
    let json = run.json();
    assert_eq!(json["verdict"], "limited");
    statuses_are(&json, ["empty", "granted", "empty", "unproven"]);
    says_in(&json["summary"], &["Access data for"]);
}

#[test]
fn without_the_time_off_module_the_rest_is_granted_and_time_off_unavailable() {
    let server = FakeHibob::start(Scenario::ok().without_module(TIME_OFF_MODULE));
    let json = checked_json(&server, 5);
    statuses_are(&json, ["granted", "granted", "granted", "unavailable"]);
    let time_off = permission(&json, "Timeoff submit request & read who's out");
    assert_eq!(time_off["http_status"], 404);
    says_in(&json["summary"], &["module is not active"]);
}

#[test]
fn nobody_out_is_unproven_not_granted() {
    let server = FakeHibob::start(Scenario::ok().nobody_out());
    let run = check(&server, &TEST_USER, false);
    assert_eq!(run.code, 5, "{}", run.stderr);
    says(
        &run.stdout,
        &[
            "! unproven     Timeoff submit request & read who's out",
            "See who's out",
        ],
    );
}

// ---- blocked: exit 7 ----

#[test]
fn a_blocked_address_is_blocked_exit_7_and_nothing_is_missing() {
    let server = FakeHibob::start(Scenario::ok().blocked());
    let json = checked_json(&server, 7);
    for (scope, status) in statuses(&json) {
        assert_ne!(status, "missing", "{scope}");
    }
    let summary = json["summary"].as_str().unwrap();
    assert!(!summary.to_lowercase().contains("missing"), "{summary}");
    says(summary, &["wait five minutes", "IP address"]);
    // Never retried: a 403 is not.
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_blocked_address_in_the_human_report() {
    let server = FakeHibob::start(Scenario::ok().blocked());
    let run = check(&server, &TEST_USER, false);
    assert_eq!(run.code, 7, "{}", run.stderr);
    headline_is(&run, "BLOCKED");
    never_says(&run.stdout, &["missing"]);
    says(&run.stdout, &["an HTML page"]);
}

#[test]
fn a_json_403_on_the_field_list_is_blocked_too() {
    let server = FakeHibob::start(Scenario::ok().on(PATH_FIELDS, Reply::error(403)));
    let run = check(&server, &TEST_USER, true);
    assert_eq!(run.code, 7, "{}", run.stderr);
    assert_eq!(run.json()["verdict"], "blocked");
}

// ---- unverifiable: exit 3 ----

#[test]
fn a_503_on_one_probe_is_unverifiable_and_retried_at_most_twice() {
    let server = FakeHibob::start(Scenario::ok().on(PATH_WHOS_OUT, Reply::error(503)));
    let json = checked_json(&server, 3);
    statuses_are(&json, ["granted", "granted", "granted", "unknown"]);
    says_in(&json["summary"], &["credential itself may be fine"]);
    assert_eq!(
        server.count(PATH_WHOS_OUT),
        3,
        "one request and two retries"
    );
    assert_eq!(server.count(PATH_FIELDS), 1);
}

#[test]
fn a_500_everywhere_is_unverifiable() {
    let server = FakeHibob::start(Scenario::ok().everywhere(Reply::error(500)));
    let run = check(&server, &TEST_USER, true);
    assert_eq!(run.code, 3);
    assert_eq!(
        statuses(&run.json()),
        expected_statuses(["unknown", "unknown", "unknown", "unknown"])
    );
}

#[test]
fn a_429_then_success_is_ok_after_one_retry() {
    let server = FakeHibob::start(Scenario::ok().rate_limit(PATH_PEOPLE_SEARCH, 1));
    let run = check(&server, &TEST_USER, true);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(server.count(PATH_PEOPLE_SEARCH), 2);
    assert_eq!(
        permission(&run.json(), "Full employee read")["http_status"],
        200
    );
}

#[test]
fn a_429_that_never_ends_is_unverifiable_after_two_retries() {
    let server = FakeHibob::start(Scenario::ok().rate_limit(PATH_WHOS_OUT, 10));
    let run = check(&server, &TEST_USER, true);
    assert_eq!(run.code, 3, "{}", run.stdout);
    let json = run.json();
    assert_eq!(
        permission(&json, "Timeoff submit request & read who's out")["http_status"],
        429
    );
    says_in(&json["summary"], &["429"]);
    assert_eq!(server.count(PATH_WHOS_OUT), 3);
}

#[test]
fn a_429_with_only_retry_after_is_waited_out() {
    // A gateway in front of HiBob sends `Retry-After` without HiBob's `X-RateLimit-*` headers.
    let server = FakeHibob::start(Scenario::ok().retry_after(PATH_PEOPLE_SEARCH, 1, 1));
    let json = checked_json(&server, 0);
    assert_eq!(server.count(PATH_PEOPLE_SEARCH), 2);
    assert_eq!(permission(&json, "Full employee read")["http_status"], 200);
}

// ---- HiBob as its reference describes it: dot-notation IDs, metadata categories, the unasked `id` ----

#[test]
fn full_access_is_ok_with_slash_keyed_answers_and_the_unasked_id() {
    // The fake drops slash-form IDs as invalid and answers every employee with a top-level `id`.
    let json = checked_json(&FakeHibob::start(Scenario::ok()), 0);
    statuses_are(&json, ["granted", "granted", "granted", "granted"]);
}

#[test]
fn full_access_is_ok_with_nested_answers_too() {
    let json = checked_json(&FakeHibob::start(Scenario::ok().nested_answers()), 0);
    statuses_are(&json, ["granted", "granted", "granted", "granted"]);
}

#[test]
fn without_basic_info_the_unasked_id_proves_nothing_and_the_check_is_partial() {
    for scenario in [Scenario::ok(), Scenario::ok().nested_answers()] {
        let server = FakeHibob::start(scenario.hide_categories(&["root"]));
        let json = checked_json(&server, 5);
        statuses_are(&json, ["partial", "granted", "granted", "granted"]);
        says_in(
            &permission(&json, "Full employee read")["detail"],
            &["left out the Basic info fields"],
        );
    }
}

#[test]
fn a_field_moved_to_a_custom_category_never_makes_a_visible_category_missing() {
    let server = FakeHibob::start(Scenario::ok().move_field(
        "work.title",
        MOVED_CATEGORY.0,
        MOVED_CATEGORY.1,
    ));
    let json = checked_json(&server, 0);
    statuses_are(&json, ["granted", "granted", "granted", "granted"]);
}

#[test]
fn every_asked_field_of_a_category_moved_makes_it_unproven_not_missing() {
    let scenario = ["work.title", "work.department", "work.site"]
        .into_iter()
        .fold(Scenario::ok(), |scenario, id| {
            scenario.move_field(id, MOVED_CATEGORY.0, MOVED_CATEGORY.1)
        });
    let json = checked_json(&FakeHibob::start(scenario), 5);
    statuses_are(&json, ["unproven", "granted", "granted", "granted"]);
    says_in(&json["summary"], &["Not proven: the Work category"]);
    never_says(json["summary"].as_str().unwrap(), &["Missing", "Partial"]);
}

/// A category's ID is what it is; its display name is only how the UI shows it. A company that renamed
/// the built-in Work and gave the freed name to a category of its own has not put the fields it moved
/// there into Work.
#[test]
fn a_category_of_the_companys_own_named_like_a_built_in_one_proves_nothing_about_it() {
    let scenario = ["work.title", "work.department", "work.site"]
        .into_iter()
        .fold(Scenario::ok(), |scenario, id| {
            scenario.move_field(id, MOVED_CATEGORY.0, "Work")
        });
    let json = checked_json(&FakeHibob::start(scenario), 5);
    statuses_are(&json, ["unproven", "granted", "granted", "granted"]);
    says_in(&json["summary"], &["Not proven: the Work category"]);
}

/// Malformed JSON on a success, a plain-text error body: HiBob's answer cannot be read, so the scope is
/// unknown and the check unverifiable.
#[test]
fn an_answer_that_cannot_be_read_is_unverifiable() {
    for (path, reply, scope, http_status) in [
        (
            PATH_FIELDS,
            Reply::json(200, r#"[{"id":"root.id","#),
            "Employee fields read",
            200,
        ),
        (
            PATH_WHOS_OUT,
            Reply::text(502, "Bad Gateway"),
            "Timeoff submit request & read who's out",
            502,
        ),
    ] {
        let server = FakeHibob::start(Scenario::ok().on(path, reply));
        let json = checked_json(&server, 3);
        let row = permission(&json, scope);
        assert_eq!(row["status"], "unknown", "{path}");
        assert_eq!(row["http_status"], http_status, "{path}");
    }
}

#[test]
fn a_400_is_unverifiable_and_shows_hibobs_error() {
    let server = FakeHibob::start(Scenario::ok().on(
        PATH_PEOPLE_SEARCH,
        Reply::json(400, r#"{"error":"filters must not be empty","key":"bad"}"#),
    ));
    let json = checked_json(&server, 3);
    let people = permission(&json, "Full employee read");
    assert_eq!(people["status"], "unknown");
    says_in(&people["detail"], &["filters must not be empty"]);
    assert_eq!(server.count(PATH_PEOPLE_SEARCH), 1, "a 400 is not retried");
}

#[test]
fn a_server_that_never_answers_is_unverifiable_at_the_deadline() {
    let server = FakeHibob::start(Scenario::ok().never_answer());
    let url = server.url();
    let run = run(
        &TEST_USER,
        &["check", "--api-url", &url, "--timeout", "2", "--json"],
    );
    run.assert_no_secret();
    assert_eq!(run.code, 3, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["verdict"], "unverifiable");
    says_in(&json["summary"], &["no answer before the deadline of 2 s"]);
    // Every probe was sent once (it was read, then left waiting).
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_body_that_trickles_past_the_deadline_is_unverifiable() {
    let server = FakeHibob::start(Scenario::ok().on(
        PATH_WHOS_OUT,
        Reply::trickle(
            r#"{"outs":[{"employeeId":"1"}]}"#,
            1,
            Duration::from_secs(1),
        ),
    ));
    let url = server.url();
    let run = run(
        &TEST_USER,
        &["check", "--api-url", &url, "--timeout", "2", "--json"],
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    let json = run.json();
    assert_eq!(
        permission(&json, "Timeoff submit request & read who's out")["status"],
        "unknown"
    );
    assert_eq!(permission(&json, "Full employee read")["status"], "granted");
}

#[test]
fn connection_refused_is_unverifiable() {
    let url = closed_port_url();
    let run = run(&TEST_USER, &["check", "--api-url", &url, "--timeout", "10"]);
    run.assert_no_secret();
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("HiBob credential check: UNVERIFIABLE\n"),
        "{}",
        run.stdout
    );
    says(&run.stdout, &["could not connect", "may be fine"]);
}

// ---- usage errors: exit 2 ----

#[test]
fn plain_http_to_a_remote_host_is_refused_before_sending() {
    let run = run(&TEST_USER, &["check", "--api-url", "http://example.com"]);
    run.assert_no_secret();
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    says(
        &run.stderr,
        &[
            "refusing to send a credential over plain http://",
            "example.com",
        ],
    );
}

#[test]
fn a_service_user_token_without_its_id_is_a_usage_error() {
    let home = TestHome::new();
    let url = closed_port_url();
    let mut only_token = command(&home, &Cred::None, &["check", "--api-url", &url]);
    only_token.env("HIBOB_SERVICE_USER_TOKEN", TEST_SERVICE_USER_TOKEN);
    let output = only_token.output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    says(
        &stderr,
        &["HIBOB_SERVICE_USER_TOKEN is set but HIBOB_SERVICE_USER_ID is not"],
    );
    never_says(&stderr, &[TEST_SERVICE_USER_TOKEN]);
}

#[test]
fn a_service_user_id_alone_is_noted_and_is_no_credential() {
    // `login` reads HIBOB_SERVICE_USER_ID for its --service-user-id, so an ID alone may be set on purpose:
    // check says it is not used and goes on (here: nothing stored, so exit 6).
    let server = FakeHibob::start(Scenario::ok());
    let home = TestHome::new();
    let mut only_id = command(
        &home,
        &Cred::None,
        &[
            "check",
            "--api-url",
            &server.url(),
            "--profile",
            "check-cli-test-never-stored",
        ],
    );
    only_id.env("HIBOB_SERVICE_USER_ID", TEST_SERVICE_USER_ID);
    let output = only_id.output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(6), "{stderr}");
    says(
        &stderr,
        &["HIBOB_SERVICE_USER_ID is set without HIBOB_SERVICE_USER_TOKEN"],
    );
    assert!(server.requests().is_empty(), "nothing is sent");
}

#[test]
fn a_token_with_inner_whitespace_is_refused_without_echoing_it() {
    let server = FakeHibob::start(Scenario::ok());
    let token = "secretpart-one secretpart-two";
    let run = run(
        &Cred::ServiceUser {
            id: TEST_SERVICE_USER_ID,
            token,
        },
        &["check", "--api-url", &server.url()],
    );
    assert_eq!(run.code, 2);
    says(&run.stderr, &["HIBOB_SERVICE_USER_TOKEN", "whitespace"]);
    for part in ["secretpart-one", "secretpart-two"] {
        never_says(&run.stderr, &[part]);
        never_says(&run.stdout, &[part]);
    }
    assert!(server.requests().is_empty(), "nothing is sent");
}

#[test]
fn an_empty_api_token_names_its_variable() {
    let run = run(
        &Cred::ApiToken(""),
        &["check", "--api-url", &closed_port_url()],
    );
    assert_eq!(run.code, 2);
    says(&run.stderr, &["HIBOB_API_TOKEN: the token is empty"]);
}

#[test]
fn surrounding_whitespace_is_trimmed_and_said() {
    let server = FakeHibob::start(Scenario::ok());
    let padded = format!("  {TEST_SERVICE_USER_TOKEN}\n");
    let run = run(
        &Cred::ServiceUser {
            id: TEST_SERVICE_USER_ID,
            token: &padded,
        },
        &["check", "--api-url", &server.url()],
    );
    run.assert_no_secret();
    assert_eq!(run.code, 0, "{}", run.stderr);
    says(&run.stderr, &["removed whitespace around the token"]);
    assert!(server.requests().iter().all(|r| r.authorization_matches));
}

// ---- no credential: exit 6 ----

#[test]
fn no_credential_exits_6_with_a_hint() {
    // A profile nobody has stored, and no D-Bus session: whatever store lookup `check` may do
    // (stored credentials come with the keyring work), nothing can be found.
    let url = closed_port_url();
    let run = run(
        &Cred::None,
        &[
            "check",
            "--api-url",
            &url,
            "--profile",
            "check-cli-test-never-stored",
        ],
    );
    assert_eq!(run.code, 6, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    says(&run.stderr, &["no HiBob credential found"]);
    assert!(
        run.stderr.contains("HIBOB_SERVICE_USER_ID") && run.stderr.contains("HIBOB_API_TOKEN"),
        "{}",
        run.stderr
    );
}

// ---- secrets in logs ----

#[test]
fn the_most_verbose_logs_never_show_the_token() {
    let server = FakeHibob::start(Scenario::ok().hide_categories(&["payroll"]));
    let url = server.url();
    let run = run(&TEST_USER, &["-vvv", "check", "--api-url", &url]);
    run.assert_no_secret();
    assert_eq!(run.code, 5);
    says(&run.stderr, &["probe answered"]);
}

#[test]
fn trace_logging_of_every_crate_never_shows_the_token() {
    let server = FakeHibob::start(Scenario::ok().rate_limit(PATH_FIELDS, 1));
    let home = TestHome::new();
    let url = server.url();
    let mut cmd = command(&home, &TEST_USER, &["check", "--api-url", &url]);
    cmd.env("HIBOB_AUTH_LOG", "trace");
    let output = cmd.output().unwrap();
    let run = Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    run.assert_no_secret();
    assert_eq!(run.code, 0, "{}", run.stderr);
    says(&run.stderr, &["retrying probe"]);
}

// ---- help ----

#[test]
fn check_help_documents_the_exit_codes() {
    let run = run(&Cred::None, &["check", "--help"]);
    assert_eq!(run.code, 0);
    for line in [
        "0  ok",
        "1  rejected",
        "2  usage",
        "3  unverifiable",
        "5  limited",
        "6  no credential",
        "7  blocked",
    ] {
        assert!(run.stdout.contains(line), "{line} missing:\n{}", run.stdout);
    }
}

// ---- output to a reader that went away ----

#[test]
fn a_closed_stdout_does_not_panic_and_keeps_the_verdict_exit_code() {
    let server = FakeHibob::start(Scenario::ok().hide_categories(&["payroll"]));
    let url = server.url();
    let home = TestHome::new();
    let mut child = std_command(&home, &TEST_USER, &["check", "--api-url", &url])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end before the report is written, as `check | head -0` would.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    never_says(&stderr, &["panicked"]);
    assert_eq!(output.status.code(), Some(5), "{stderr}");
}
