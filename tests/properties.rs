//! Property tests: everything that parses outside input must never panic and must keep its promises
//! for any input, not just the cases the unit tests thought of. The same entry points are fuzzed by the
//! cargo-fuzz targets in `fuzz/`.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;

use hibob_auth::credential::CredentialKind;
use hibob_auth::guide_render;
use hibob_auth::hibob::client::rate_limit_wait;
use hibob_auth::hibob::report::classify;
use hibob_auth::hibob::survey::survey;
use hibob_auth::hibob::{
    Answer, ApiUrl, Placement, Probe, ProbeResult, Report, Scope, ScopeStatus, TransportFailure,
    Verdict,
};
use hibob_auth::secret::ExposeSecret;
use hibob_auth::steps::{FlowId, Guide, StepId};
use hibob_auth::validate::{
    InputError, InputNotice, MAX_ID_LEN, MAX_TOKEN_LEN, validate_service_user_id, validate_token,
};

const SERVICE_USER_FLOW: &str = include_str!("../assets/steps/service-user.toml");
const API_TOKEN_FLOW: &str = include_str!("../assets/steps/api-token.toml");
const GUIDE: &str = include_str!("../assets/guide.toml");

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------------------
// Token and service-user ID validation

/// What a pasted value may be surrounded by, or contain by mistake.
fn noise() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ \t\r\n]{1,4}",
        "[\u{0}-\u{1f}\u{7f}\u{85}\u{a0}\u{200b}\u{2028}\u{feff}]{1,3}",
        any::<String>(),
    ]
}

/// A value containing a distinctive secret: twelve or more letters and digits, a run that no error
/// message can contain by accident (their longest run of letters is ten).
fn value_around_secret() -> impl Strategy<Value = (String, String)> {
    (noise(), "[A-Za-z0-9]{12,600}", noise()).prop_map(|(before, secret, after)| {
        let value = format!("{before}{secret}{after}");
        (value, secret)
    })
}

fn assert_clean(value: &str, raw: &str, max: usize) -> Result<(), TestCaseError> {
    prop_assert!(!value.is_empty());
    prop_assert!(value.chars().count() <= max);
    prop_assert!(!value.chars().any(char::is_whitespace), "{value:?}");
    prop_assert!(!value.chars().any(char::is_control), "{value:?}");
    prop_assert_eq!(value, raw.trim());
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn validate_token_accepts_only_clean_values(raw in any::<String>()) {
        match validate_token(&raw) {
            Ok(validated) => {
                assert_clean(validated.value.expose_secret(), &raw, MAX_TOKEN_LEN)?;
                let trimmed = raw.trim().len() != raw.len();
                prop_assert_eq!(validated.notices.contains(&InputNotice::Trimmed { what: "token" }), trimmed);
            }
            Err(InputError::Empty { .. }) => prop_assert!(raw.trim().is_empty()),
            Err(_) => {}
        }
    }

    #[test]
    fn validate_service_user_id_accepts_only_clean_values(raw in any::<String>()) {
        if let Ok(validated) = validate_service_user_id(&raw) {
            assert_clean(&validated.value, &raw, MAX_ID_LEN)?;
            prop_assert_eq!(
                validated.notices.contains(&InputNotice::UnusualServiceUserId),
                !validated.value.starts_with("SERVICE-")
            );
        }
    }

    #[test]
    fn validation_messages_never_contain_the_value((raw, secret) in value_around_secret()) {
        match validate_token(&raw) {
            Ok(validated) => {
                prop_assert!(validated.value.expose_secret().contains(&secret));
                let debug = format!("{validated:?}");
                prop_assert!(!debug.contains(&secret), "Debug shows the token: {debug}");
                for notice in &validated.notices {
                    prop_assert!(!notice.to_string().contains(&secret));
                }
            }
            Err(err) => {
                prop_assert!(!err.to_string().contains(&secret), "{err}");
                prop_assert!(!format!("{err:?}").contains(&secret), "{err:?}");
            }
        }
        if let Err(err) = validate_service_user_id(&raw) {
            prop_assert!(!err.to_string().contains(&secret), "{err}");
        }
    }

    #[test]
    fn whitespace_around_a_good_token_is_trimmed_and_reported(
        before in "[ \t\r\n]{0,3}",
        token in "[A-Za-z0-9._~+/=-]{1,512}",
        after in "[ \t\r\n]{0,3}",
    ) {
        let validated = validate_token(&format!("{before}{token}{after}")).unwrap();
        prop_assert_eq!(validated.value.expose_secret(), token.as_str());
        let expected = if before.is_empty() && after.is_empty() {
            vec![]
        } else {
            vec![InputNotice::Trimmed { what: "token" }]
        };
        prop_assert_eq!(validated.notices, expected);
    }
}

// ---------------------------------------------------------------------------------------------------------
// The step assets

/// An edit of a TOML file: some blind (bytes), some aware of the format (swapping known words).
#[derive(Debug, Clone)]
enum Edit {
    Delete {
        at: usize,
        len: usize,
    },
    Insert {
        at: usize,
        text: String,
    },
    Truncate {
        at: usize,
    },
    /// Replace an occurrence of a known word with another, usually of the same kind (a flow id with a
    /// flow id, a key with a key), which keeps the TOML valid and tests the model's own rules.
    ReplaceWord {
        group: usize,
        word: usize,
        occurrence: usize,
        with_group: Option<usize>,
        with: usize,
    },
    SwapLines {
        a: usize,
        b: usize,
    },
    DuplicateLine {
        line: usize,
    },
}

/// Words of the asset format, by kind.
const WORDS: [&[&str]; 5] = [
    &["service-user", "api-token"],
    &["login", "generate", "scopes", "copy", "connect"],
    &["current", "retired"],
    &[
        "id",
        "title",
        "text",
        "checklist",
        "steps",
        "summary",
        "status",
        "status_note",
        "flow_order",
        "troubleshooting",
        "links",
        "error",
        "fixes",
        "url",
    ],
    &[
        "[[steps]]",
        "[[links]]",
        "[[troubleshooting]]",
        "\"\"\"",
        "=",
        "[",
        "]",
    ],
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => (any::<usize>(), 1usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        1 => (any::<usize>(), prop_oneof![any::<String>(), "[\\[\\]=\"'#\n{},.a-z0-9 ]{1,12}"])
            .prop_map(|(at, text)| Edit::Insert { at, text }),
        1 => any::<usize>().prop_map(|at| Edit::Truncate { at }),
        3 => (
            0..WORDS.len(),
            any::<usize>(),
            any::<usize>(),
            prop_oneof![3 => Just(None), 1 => (0..WORDS.len()).prop_map(Some)],
            any::<usize>(),
        )
            .prop_map(|(group, word, occurrence, with_group, with)| Edit::ReplaceWord {
                group,
                word,
                occurrence,
                with_group,
                with,
            }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines { a, b }),
        1 => any::<usize>().prop_map(|line| Edit::DuplicateLine { line }),
    ]
}

fn char_boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut text = text.to_string();
    match edit {
        Edit::Delete { at, len } => {
            let start = char_boundary(&text, *at);
            let end = char_boundary(&text, (start + len).min(text.len()));
            text.replace_range(start..end.max(start), "");
        }
        Edit::Insert { at, text: inserted } => {
            let at = char_boundary(&text, *at);
            text.insert_str(at, inserted);
        }
        Edit::Truncate { at } => {
            let at = char_boundary(&text, *at);
            text.truncate(at);
        }
        Edit::ReplaceWord {
            group,
            word,
            occurrence,
            with_group,
            with,
        } => {
            let words = WORDS[*group];
            let word = words[word % words.len()];
            let replacements = WORDS[with_group.unwrap_or(*group)];
            let replacement = replacements[with % replacements.len()];
            let found: Vec<usize> = text.match_indices(word).map(|(at, _)| at).collect();
            if let Some(at) = found.get(occurrence % found.len().max(1)).copied() {
                text.replace_range(at..at + word.len(), replacement);
            }
        }
        Edit::SwapLines { a, b } => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let (a, b) = (a % lines.len(), b % lines.len());
                lines.swap(a, b);
            }
            text = lines.join("\n");
        }
        Edit::DuplicateLine { line } => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let line = line % lines.len();
                lines.insert(line, lines[line]);
            }
            text = lines.join("\n");
        }
    }
    text
}

/// What every successfully parsed guide promises its front ends, whatever text it came from.
fn assert_guide_usable(guide: &Guide) -> Result<(), TestCaseError> {
    let ids: BTreeSet<u8> = guide.flows.iter().map(|flow| flow.id as u8).collect();
    prop_assert_eq!(guide.flows.len(), 2);
    prop_assert_eq!(ids.len(), 2, "both flows, each once");
    for id in [FlowId::ServiceUser, FlowId::ApiToken] {
        let flow = guide.flow(id);
        prop_assert_eq!(flow.id, id);
        let steps: Vec<StepId> = flow.steps.iter().map(|step| step.id).collect();
        prop_assert_eq!(steps, StepId::ALL.to_vec());
        for step in StepId::ALL {
            prop_assert_eq!(flow.step(step).id, step);
        }
    }
    for width in [0, 80] {
        let text = guide_render::render_text(guide, width);
        prop_assert!(!text.is_empty());
    }
    prop_assert!(!guide_render::render_markdown(guide).is_empty());
    let json: serde_json::Value =
        serde_json::from_str(&guide_render::render_json(guide)).expect("render_json is JSON");
    prop_assert_eq!(json["flows"].as_array().map(Vec::len), Some(2));
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn guide_parse_never_panics_on_arbitrary_text(
        service_user in any::<String>(),
        api_token in any::<String>(),
        guide in any::<String>(),
    ) {
        if let Ok(parsed) = Guide::parse(&service_user, &api_token, &guide) {
            assert_guide_usable(&parsed)?;
        }
    }
}

proptest! {
    // The edits have many combinations: more cases than elsewhere.
    #![proptest_config(ProptestConfig { cases: 1024, ..config() })]

    #[test]
    fn guide_parse_never_panics_on_edited_assets(
        file in 0usize..3,
        edits in proptest::collection::vec(edit(), 1..6),
    ) {
        let mut sources = [SERVICE_USER_FLOW.to_string(), API_TOKEN_FLOW.to_string(), GUIDE.to_string()];
        for edit in &edits {
            sources[file] = apply(&sources[file], edit);
        }
        match Guide::parse(&sources[0], &sources[1], &sources[2]) {
            Ok(parsed) => assert_guide_usable(&parsed)?,
            Err(err) => prop_assert!(!err.to_string().is_empty()),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Turning HiBob's answers into a report

fn kind() -> impl Strategy<Value = CredentialKind> {
    prop_oneof![
        Just(CredentialKind::ServiceUser),
        Just(CredentialKind::ApiToken)
    ]
}

fn probe() -> impl Strategy<Value = Probe> {
    proptest::sample::select(Probe::ALL.to_vec())
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        proptest::sample::select(vec![
            200u16, 201, 204, 301, 400, 401, 403, 404, 429, 500, 502, 503
        ]),
        any::<u16>(),
    ]
}

/// Bodies HiBob sends, bodies it might send, and garbage.
fn body() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        Just(String::new()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just(r#"{"outs":[]}"#.to_string()),
        Just(r#"{"outs":[{"employeeId":"1"}]}"#.to_string()),
        Just("<!DOCTYPE html><html><body>Access denied</body></html>".to_string()),
        (
            0usize..5,
            proptest::sample::subsequence(
                vec![
                    "id",
                    "/root/id",
                    "/root/creationDateTime",
                    "/about/avatar",
                    "/payroll/employment/type",
                    "/work/title",
                    "/payroll/salary/payFrequency"
                ],
                0..=7,
            )
        )
            .prop_map(|(n, fields)| {
                let employees: Vec<serde_json::Value> = (0..n)
                    .map(|i| {
                        let mut employee = serde_json::Map::new();
                        for field in &fields {
                            employee.insert(field.to_string(), serde_json::json!({ "value": i }));
                        }
                        serde_json::Value::Object(employee)
                    })
                    .collect();
                serde_json::json!({ "employees": employees }).to_string()
            }),
        any::<String>().prop_map(|text| serde_json::json!({ "error": text }).to_string()),
        Just(r#"{"employees":"not a list"}"#.to_string()),
        Just(r#"{"error":"\u001b[31mred\u001b[0m\r\nforged line"}"#.to_string()),
    ]
}

fn failure() -> impl Strategy<Value = TransportFailure> {
    prop_oneof![
        any::<String>().prop_map(TransportFailure::Dns),
        any::<String>().prop_map(TransportFailure::Connect),
        any::<String>().prop_map(TransportFailure::Tls),
        any::<u64>().prop_map(TransportFailure::Timeout),
        Just(TransportFailure::Cancelled),
        any::<String>().prop_map(TransportFailure::Other),
    ]
}

fn probe_result() -> impl Strategy<Value = ProbeResult> {
    let answer = (status(), body()).prop_map(|(status, body)| Ok((status, body)));
    let outcome = prop_oneof![3 => answer, 1 => failure().prop_map(Err)];
    (probe(), outcome, 1u32..=3).prop_map(|(probe, outcome, attempts)| ProbeResult {
        probe,
        // As the client keeps it: a successful body read by the survey, an error body as text.
        outcome: outcome.map(|(status, body): (u16, String)| {
            if (200..300).contains(&status) {
                Answer::seen(status, survey(probe, body.as_bytes()))
            } else {
                Answer::text(status, body)
            }
        }),
        attempts,
    })
}

fn answered(result: &ProbeResult, status: u16) -> bool {
    matches!(&result.outcome, Ok(answer) if answer.status == status)
}

/// A 403 that is not about a permission: on the field list (which needs none), or an HTML page.
fn blocking(result: &ProbeResult) -> bool {
    matches!(&result.outcome, Ok(answer) if answer.status == 403
        && (result.probe == Probe::Fields || answer.is_html()))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn classify_never_panics_and_maps_401_and_403(kind in kind(), result in probe_result()) {
        for scope in result.probe.scopes() {
            let finding = classify(kind, *scope, &result, Placement::Defaults);
            let (status, detail) = (finding.status, finding.detail);
            prop_assert!(!detail.is_empty());
            prop_assert!(!finding.evidence.is_empty());
            if answered(&result, 403) && !blocking(&result) {
                prop_assert_eq!(status, ScopeStatus::Missing);
            }
            if answered(&result, 401) || blocking(&result) {
                prop_assert_eq!(status, ScopeStatus::Unknown);
            }
            if matches!(status, ScopeStatus::Empty | ScopeStatus::Partial) {
                prop_assert_eq!(result.probe, Probe::People);
            }
            // Proof by data: granted only from a successful answer.
            if status == ScopeStatus::Granted {
                prop_assert!(matches!(&result.outcome, Ok(answer) if (200..300).contains(&answer.status)));
            }
            prop_assert_ne!(status, ScopeStatus::NotChecked);
            if result.outcome.is_ok() {
                // HiBob's text reaches the terminal; no escape sequence or line break may come with it.
                prop_assert!(!detail.chars().any(char::is_control), "{detail:?}");
            }
        }
    }

    #[test]
    fn report_never_panics_and_keeps_its_promises(
        kind in kind(),
        results in proptest::collection::vec(probe_result(), 0..9),
        elapsed_ms in any::<u32>(),
    ) {
        let report = Report::from_results(
            kind,
            ApiUrl::production(),
            &results,
            UNIX_EPOCH,
            Duration::from_millis(u64::from(elapsed_ms)),
        );
        let scopes: Vec<Scope> = report.permissions.iter().map(|row| row.scope).collect();
        prop_assert_eq!(scopes, Scope::ALL.to_vec());
        prop_assert!(!report.summary.is_empty());
        for row in &report.permissions {
            let never_probed = Probe::for_scope(row.scope).is_none();
            prop_assert_eq!(row.status == ScopeStatus::NotChecked, never_probed);
            prop_assert_eq!(row.endpoint.is_none(), never_probed);
        }

        // A 401 anywhere means HiBob refused the credential, whatever else came back.
        if results.iter().any(|result| answered(result, 401)) {
            prop_assert_eq!(report.verdict, Verdict::Rejected);
        } else {
            prop_assert_ne!(report.verdict, Verdict::Rejected);
        }
        // A 403 on a request that needs no permission, or an HTML 403 page: blocked, and no scope is
        // called missing.
        let blocked = results.iter().any(blocking);
        if blocked && report.verdict != Verdict::Rejected {
            prop_assert_eq!(report.verdict, Verdict::Blocked);
        }
        if report.verdict == Verdict::Blocked {
            prop_assert!(blocked);
            for row in &report.permissions {
                prop_assert_ne!(row.status, ScopeStatus::Missing);
            }
            prop_assert!(!report.summary.to_lowercase().contains("missing"));
        }
        // The first answer of a probe decides its rows; otherwise a 403 there is a missing permission.
        for probe in Probe::ALL {
            for scope in probe.scopes() {
                if let Some(first) = results.iter().find(|result| result.probe == probe) {
                    if answered(first, 403) && !blocked {
                        prop_assert_eq!(report.permission(*scope).status, ScopeStatus::Missing);
                        if report.verdict != Verdict::Rejected {
                            prop_assert_eq!(report.verdict, Verdict::Limited);
                        }
                    }
                } else {
                    prop_assert_eq!(report.permission(*scope).status, ScopeStatus::Unknown);
                }
            }
        }
        if report.verdict == Verdict::Ok {
            for row in &report.permissions {
                prop_assert!(matches!(row.status, ScopeStatus::Granted | ScopeStatus::NotChecked));
            }
        }
        prop_assert_eq!(report.verdict.exit(), report.verdict.exit());
    }
}

// ---------------------------------------------------------------------------------------------------------
// Rate-limit waits

proptest! {
    #![proptest_config(config())]

    #[test]
    fn rate_limit_wait_is_between_one_and_five_seconds(
        reset in proptest::option::of(prop_oneof![any::<u64>(), 1_600_000_000u64..1_900_000_000]),
        now_secs in prop_oneof![any::<u32>().prop_map(u64::from), 1_600_000_000u64..1_900_000_000],
        before_epoch in any::<bool>(),
    ) {
        let now = if before_epoch {
            UNIX_EPOCH.checked_sub(Duration::from_secs(now_secs)).unwrap_or(UNIX_EPOCH)
        } else {
            UNIX_EPOCH + Duration::from_secs(now_secs)
        };
        let wait = rate_limit_wait(reset, now);
        prop_assert!(wait >= Duration::from_secs(1), "{wait:?}");
        prop_assert!(wait <= Duration::from_secs(5), "{wait:?}");
        if let (Some(reset), false) = (reset, before_epoch) {
            let expected = reset.saturating_sub(now_secs).clamp(1, 5);
            prop_assert_eq!(wait, Duration::from_secs(expected));
        }
    }

    #[test]
    fn rate_limit_wait_never_panics_at_any_time(reset in proptest::option::of(any::<u64>()), nanos in any::<u64>()) {
        let now = SystemTime::now() + Duration::from_nanos(nanos);
        let wait = rate_limit_wait(reset, now);
        prop_assert!((Duration::from_secs(1)..=Duration::from_secs(5)).contains(&wait));
    }
}

// ---------------------------------------------------------------------------------------------------------
// API base URLs

/// URL-shaped text that lands near the rules: loopback and remote hosts, odd schemes, user info, tricks.
fn url_like() -> impl Strategy<Value = String> {
    let scheme = proptest::sample::select(vec![
        "http", "https", "HTTP", "HtTpS", "ftp", "file", "ws", "", "http ", " https",
    ]);
    let separator = proptest::sample::select(vec![
        "://", ":/", ":", ":///", "://user@", "://u:p@", "://:p@", "://:@", "://\\",
    ]);
    let host = prop_oneof![
        proptest::sample::select(vec![
            "127.0.0.1",
            "127.255.255.254",
            "localhost",
            "LOCALHOST",
            "localhost.",
            "[::1]",
            "[::ffff:127.0.0.1]",
            "[0:0:0:0:0:0:0:1]",
            "0x7f.1",
            "2130706433",
            "0177.0.0.1",
            "127.1",
            "0.0.0.0",
            "[::]",
            "10.0.0.1",
            "api.hibob.com",
            "localhost.evil.com",
            "127.0.0.1.nip.io",
            "evil.com#@127.0.0.1",
            "127.0.0.1@evil.com",
            "evil.com\\@127.0.0.1",
            "%31%32%37.0.0.1",
            "xn--localhost",
            "",
        ])
        .prop_map(str::to_string),
        (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}")),
        any::<[u16; 8]>().prop_map(|parts| format!("[{}]", std::net::Ipv6Addr::from(parts))),
        "[a-z0-9.:@%\\[\\]-]{0,24}",
    ];
    let port = proptest::option::of(any::<u16>());
    let path = prop_oneof![
        Just(String::new()),
        Just("/".to_string()),
        "/[a-z0-9/._%-]{1,16}",
        "[a-zA-Z0-9/._%?#@\\\\-]{1,20}",
    ];
    (scheme, separator, host, port, path).prop_map(|(scheme, separator, host, port, path)| {
        let port = port.map(|port| format!(":{port}")).unwrap_or_default();
        format!("{scheme}{separator}{host}{port}{path}")
    })
}

fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn assert_api_url_safe(input: &str) -> Result<(), TestCaseError> {
    let Ok(api_url) = ApiUrl::parse(input) else {
        return Ok(());
    };
    // Read the accepted URL back independently: what a probe would really be sent to.
    let url = reqwest::Url::parse(api_url.as_str()).expect("an accepted URL prints as a valid URL");
    let host = url
        .host_str()
        .expect("an accepted URL has a host")
        .to_string();
    match url.scheme() {
        "https" => {}
        "http" => prop_assert!(
            is_loopback_host(&host),
            "{input:?} accepted with http:// to {host}"
        ),
        other => prop_assert!(false, "{input:?} accepted with scheme {other}"),
    }
    prop_assert!(
        url.username().is_empty() && url.password().is_none(),
        "{input:?}"
    );
    for path in [
        "/v1/company/people/fields",
        "/v1/people/search",
        "/v1/people",
        "/v1/payroll/history",
        "/v1/timeoff/outtoday",
    ] {
        let joined = api_url.join(path);
        prop_assert_eq!(joined.scheme(), url.scheme());
        prop_assert_eq!(
            joined.host_str(),
            Some(host.as_str()),
            "{} moved the host",
            path
        );
        prop_assert_eq!(joined.port_or_known_default(), url.port_or_known_default());
        prop_assert!(joined.path().ends_with(path), "{} -> {}", path, joined);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn api_url_parse_never_panics_on_arbitrary_text(input in any::<String>()) {
        assert_api_url_safe(&input)?;
    }

    #[test]
    fn plain_http_is_accepted_only_to_loopback(input in url_like()) {
        assert_api_url_safe(&input)?;
    }
}
