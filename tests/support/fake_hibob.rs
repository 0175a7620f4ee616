//! A stand-in for HiBob's API on 127.0.0.1, for tests, benchmarks and the `fake_hibob` example.
//!
//! Real HTTP/1.1 over a real socket (hyper 1), on its own thread with its own tokio runtime, so that
//! synchronous tests (assert_cmd running the binary) and async tests (the library's client) can both use it.
//! It records every request, checks the `Authorization` header the way HiBob does (401 when wrong), and can
//! be told per path what to answer: a status, a body, a rate limit, a delay, a trickle, or nothing at all.
//! It stops when the [`FakeHibob`] is dropped.
//!
//! The answers follow the facts in `shared/hibob-api.md`: fields is a JSON array, people search answers from
//! a modelled company (`fake_company.rs`: the requested fields only, in both path forms, silently without
//! the categories the service user may not see), who's out takes a date range, 429 comes with
//! `X-RateLimit-Reset` in Unix seconds, a module the company has not bought answers 404, and a blocked
//! address gets an HTML 403 page on every path.
#![allow(dead_code)] // Each test binary uses its own part of this module.

#[path = "fake_company.rs"]
pub mod company;
// A module of this file, not of `support/`, so that the benchmarks and the example that include this
// file by path get it too (as with `company`).
#[path = "server_thread.rs"]
pub mod server_thread;

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{SocketAddr, TcpListener as StdTcpListener};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

use server_thread::ServerThread;

/// The service user the fake server accepts by default. Not a real credential.
/// The six scopes by the names HiBob's service-user permission page gives them (see hibob-api.md), in the
/// order every report lists them.
pub const SCOPE_NAMES: [&str; 6] = [
    "Full employee read",
    "Employee fields read",
    "Payroll Info read",
    "Timeoff submit request & read who's out",
    "Employee update",
    "Employee fields write",
];

pub const TEST_SERVICE_USER_ID: &str = "SERVICE-FAKE-0001";
/// The token of [`TEST_SERVICE_USER_ID`]. Long enough that a masked view may show its last four characters.
pub const TEST_SERVICE_USER_TOKEN: &str = "fake-service-user-token-7f3a9c2e";
/// The API access token the fake server accepts when told to expect one.
pub const TEST_API_TOKEN: &str = "fake-api-access-token-41d8e5b0";

pub const PATH_FIELDS: &str = "/v1/company/people/fields";
pub const PATH_PEOPLE_SEARCH: &str = "/v1/people/search";
pub const PATH_PEOPLE: &str = "/v1/people";
pub const PATH_PAYROLL: &str = "/v1/payroll/history";
pub const PATH_OUT_TODAY: &str = "/v1/timeoff/outtoday";
pub const PATH_WHOS_OUT: &str = "/v1/timeoff/whosout";
/// Where HiBob's Time off module answers; a company without the module gets 404 there.
pub const TIME_OFF_MODULE: &str = "/v1/timeoff/";

/// A category a company made (ID and display name), for fields it moved out of a built-in one. HiBob
/// gives custom categories generated IDs; the form here is made up.
pub const MOVED_CATEGORY: (&str, &str) = ("category_1690000000000", "Job details");

/// The paths a check sends requests to, and no other.
pub const CHECK_PATHS: [&str; 3] = [PATH_FIELDS, PATH_PEOPLE_SEARCH, PATH_WHOS_OUT];

/// Every path the fake knows, each with the one method HiBob documents for it. Payroll history and who's
/// out today are HiBob endpoints a check must not (or need not) call; the fake answers them so that a test
/// can prove nobody does.
pub const KNOWN_ROUTES: [(&str, &str); 6] = [
    ("GET", PATH_FIELDS),
    ("POST", PATH_PEOPLE_SEARCH),
    ("GET", PATH_PEOPLE),
    ("GET", PATH_PAYROLL),
    ("GET", PATH_OUT_TODAY),
    ("GET", PATH_WHOS_OUT),
];

/// The page a firewall or an IP restriction answers with: HTML, not HiBob's JSON.
pub const BLOCK_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head><body><h1>Access denied</h1><p>Your request was blocked.</p></body></html>\n";

/// Which `Authorization` header the server accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// `Basic base64(ID:TOKEN)`.
    ServiceUser { id: String, token: String },
    /// The bare token, no scheme.
    ApiToken(String),
}

impl Expected {
    pub fn test_service_user() -> Self {
        Expected::ServiceUser {
            id: TEST_SERVICE_USER_ID.to_string(),
            token: TEST_SERVICE_USER_TOKEN.to_string(),
        }
    }

    pub fn test_api_token() -> Self {
        Expected::ApiToken(TEST_API_TOKEN.to_string())
    }

    /// The exact header value HiBob would accept.
    pub fn header_value(&self) -> String {
        match self {
            Expected::ServiceUser { id, token } => format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{id}:{token}"))
            ),
            Expected::ApiToken(token) => token.clone(),
        }
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Answer at once with this status, these headers and this body.
    Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Read the request and never answer (the connection stays open until the server stops).
    Hang,
    /// Answer the status and headers at once, then the body `chunk` bytes at a time, one chunk per `every`.
    Trickle {
        status: u16,
        body: String,
        chunk: usize,
        every: Duration,
    },
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Reply::Answer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    /// An HTML answer (a firewall's or proxy's page).
    pub fn html(status: u16, body: impl Into<String>) -> Self {
        Reply::Answer {
            status,
            headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
            body: body.into(),
        }
    }

    /// A plain-text answer (HiBob's edge sometimes answers errors this way).
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Reply::Answer {
            status,
            headers: vec![("content-type".into(), "text/plain; charset=utf-8".into())],
            body: body.into(),
        }
    }

    /// An error status with a body shaped like HiBob's documented errors.
    pub fn error(status: u16) -> Self {
        let text = StatusCode::from_u16(status)
            .ok()
            .and_then(|code| code.canonical_reason())
            .unwrap_or("error");
        Reply::json(
            status,
            format!(r#"{{"error":"{text}","key":"fake-{status}"}}"#),
        )
    }

    pub fn hang() -> Self {
        Reply::Hang
    }

    /// A 200 whose body arrives slowly: `chunk` bytes every `every`.
    pub fn trickle(body: impl Into<String>, chunk: usize, every: Duration) -> Self {
        Reply::Trickle {
            status: 200,
            body: body.into(),
            chunk: chunk.max(1),
            every,
        }
    }

    /// Add a response header (only to an immediate answer).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Answer { headers, .. } = &mut self {
            headers.push((name.to_string(), value.to_string()));
        }
        self
    }
}

/// The successful answer of each path that does not depend on the request, as HiBob documents it.
/// People search and who's out answer from the scenario's [`company::Company`].
pub fn default_reply(path: &str) -> Option<Reply> {
    let body = match path {
        // `GET /v1/people` was shut down on 2025-05-06, with API access tokens (changelog "final deprecation
        // notice: GET /v1/people and API tokens"): a retired endpoint answers 404.
        PATH_PEOPLE => return Some(Reply::error(404)),
        PATH_PAYROLL => r#"{"employees":[{"id":"1","payroll":{"salary":[]}}]}"#,
        PATH_OUT_TODAY => r#"{"outs":[]}"#,
        _ => return None,
    };
    Some(Reply::json(200, body))
}

/// How the fake HiBob behaves. Start from [`Scenario::ok`] (or [`Scenario::ok_for_api_token`]) and adjust.
#[derive(Clone, Debug)]
pub struct Scenario {
    expected: Expected,
    /// Answers that replace the default for one path.
    overrides: HashMap<String, Reply>,
    /// An answer for every path (after authentication), unless the path has its own override.
    everywhere: Option<Reply>,
    /// Answer 401 to every request, whatever its header (a revoked or retired credential).
    reject_all: bool,
    /// Per path: how many requests get 429 before the normal answer.
    rate_limits: HashMap<String, u32>,
    /// Per path: how many requests get a 429 that carries only `Retry-After: N` (as a gateway or proxy in
    /// front of HiBob sends it; HiBob itself documents the `X-RateLimit-*` headers), and N in seconds.
    retry_after_limits: HashMap<String, (u32, u64)>,
    /// Wait this long before every answer.
    delay: Duration,
    /// Print each request to stderr (for the example).
    log: bool,
    /// The company people search and who's out answer from.
    company: company::Company,
    /// Path prefixes of modules the company has not bought: 404 there (HiBob, error handling: "module not
    /// activated").
    inactive_modules: Vec<String>,
    /// A firewall block or an IP restriction: an HTML 403 page on every path, before any authentication.
    blocked: bool,
}

impl Scenario {
    /// Every probe succeeds for the test service user.
    pub fn ok() -> Self {
        Scenario {
            expected: Expected::test_service_user(),
            overrides: HashMap::new(),
            everywhere: None,
            reject_all: false,
            rate_limits: HashMap::new(),
            retry_after_limits: HashMap::new(),
            delay: Duration::ZERO,
            log: false,
            company: company::Company::default(),
            inactive_modules: Vec::new(),
            blocked: false,
        }
    }

    /// Every probe succeeds for the test API access token (as HiBob did until 2025-05-06).
    pub fn ok_for_api_token() -> Self {
        Scenario::ok().expecting(Expected::test_api_token())
    }

    /// Accept this credential instead of the test service user.
    pub fn expecting(mut self, expected: Expected) -> Self {
        self.expected = expected;
        self
    }

    /// Answer `reply` on `path` (after the Authorization check).
    pub fn on(mut self, path: &str, reply: Reply) -> Self {
        self.overrides.insert(path.to_string(), reply);
        self
    }

    /// Answer `reply` on every known path without its own override (after the Authorization check).
    pub fn everywhere(mut self, reply: Reply) -> Self {
        self.everywhere = Some(reply);
        self
    }

    /// Answer 401 to everything, as HiBob does for a revoked service user or a retired API token.
    pub fn reject_everything(mut self) -> Self {
        self.reject_all = true;
        self
    }

    /// Answer 429 (with `X-RateLimit-Reset` one second ahead) to the first `times` requests on `path`.
    pub fn rate_limit(mut self, path: &str, times: u32) -> Self {
        self.rate_limits.insert(path.to_string(), times);
        self
    }

    /// Answer 429 with only `Retry-After: seconds` (no `X-RateLimit-*`) to the first `times` requests on
    /// `path`, as a gateway in front of HiBob does.
    pub fn retry_after(mut self, path: &str, times: u32, seconds: u64) -> Self {
        self.retry_after_limits
            .insert(path.to_string(), (times, seconds));
        self
    }

    /// The company moved field `id` to a category of its own (`category_id`, shown as `display_name`):
    /// its ID stays, the metadata gives the new category, and permissions follow it.
    pub fn move_field(mut self, id: &str, category_id: &str, display_name: &str) -> Self {
        self.company.moved.insert(
            id.to_string(),
            (category_id.to_string(), display_name.to_string()),
        );
        self
    }

    /// People search answers employees nested (`{"work": {"title": …}}`), as some HiBob examples show.
    pub fn nested_answers(mut self) -> Self {
        self.company.nested_answers = true;
        self
    }

    /// Delay every answer by `delay` (the benchmark's stand-in for network and server time).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Read every request and never answer.
    pub fn never_answer(self) -> Self {
        self.everywhere(Reply::Hang)
    }

    /// Print one line per request to stderr.
    pub fn log_requests(mut self) -> Self {
        self.log = true;
        self
    }

    /// A company of `count` active employees (generated as they are read).
    pub fn employees(mut self, count: usize) -> Self {
        self.company.employees = count;
        self
    }

    /// The service user may see only these categories (by HiBob's id: root, about, employment, work,
    /// payroll); people search leaves out the fields of every other one.
    pub fn only_categories(mut self, categories: &[&str]) -> Self {
        self.company.visible = categories.iter().map(|c| c.to_string()).collect();
        self
    }

    /// The service user may not see these categories.
    pub fn hide_categories(mut self, categories: &[&str]) -> Self {
        for category in categories {
            self.company.visible.remove(*category);
        }
        self
    }

    /// The permission group's "Access data for" selects nobody: every list is empty.
    pub fn sees_nobody(mut self) -> Self {
        self.company.accessible = 0;
        self
    }

    /// The service user may not see who's out: who's out answers 200 with an empty list.
    pub fn without_time_off_permission(mut self) -> Self {
        self.company.sees_time_off = false;
        self
    }

    /// Nobody took or booked time off.
    pub fn nobody_out(mut self) -> Self {
        self.company.absent = 0;
        self
    }

    /// The company has not bought the module under `prefix` (e.g. [`TIME_OFF_MODULE`]): 404 there.
    pub fn without_module(mut self, prefix: &str) -> Self {
        self.inactive_modules.push(prefix.to_string());
        self
    }

    /// The address is blocked (HiBob's firewall after many failures, or an IP restriction): an HTML 403
    /// page on every path, whatever the credential.
    pub fn blocked(mut self) -> Self {
        self.blocked = true;
        self
    }

    /// The named scenarios of the example, with a line saying what each shows.
    pub const NAMES: [(&'static str, &'static str); 21] = [
        (
            "ok",
            "every checked permission granted, proved by data (exit 0)",
        ),
        (
            "basic-info-only",
            "the service user sees only Basic info: Full employee read partial, payroll missing (exit 5)",
        ),
        (
            "limited",
            "the payroll fields are left out: payroll missing (exit 5)",
        ),
        (
            "empty",
            "\"Access data for\" selects nobody: empty lists (exit 5)",
        ),
        (
            "no-time-off",
            "the Time off module is not active: 404, time off unavailable (exit 5)",
        ),
        (
            "nobody-out",
            "who's out is empty: time off unproven (exit 5)",
        ),
        (
            "blocked",
            "an HTML 403 page on every path, as from a firewall (exit 7)",
        ),
        ("large", "a company of 20,000 employees (exit 0)"),
        ("rejected", "401 on every request (exit 1)"),
        (
            "rate-limited",
            "429 twice on people search, then success (exit 0, after a wait)",
        ),
        ("server-error", "503 on every request (exit 3)"),
        ("flaky", "503 on who's out, the rest fine (exit 3)"),
        (
            "malformed",
            "200 with broken JSON on the fields list (exit 3)",
        ),
        ("plain-text", "a plain-text 502 on who's out (exit 3)"),
        ("slow", "every answer delayed by 300 ms (exit 0)"),
        (
            "trickle",
            "the people search body arrives one byte per second (exit 3 at the deadline)",
        ),
        (
            "hang",
            "reads every request and never answers (exit 3 at the deadline)",
        ),
        (
            "moved-field",
            "the company moved Job title to a category of its own: Work still proven by the other fields (exit 0)",
        ),
        (
            "moved-category",
            "the company moved every asked Work field to a category of its own: Work unproven (exit 5)",
        ),
        (
            "retry-after",
            "429 with only Retry-After: 1 on people search, then success (exit 0, after a wait)",
        ),
        (
            "payroll-forbidden",
            "people search answers 403: Full employee read and payroll missing (exit 5)",
        ),
    ];

    /// A scenario by name (see [`Scenario::NAMES`]), for the service user unless `api_token`.
    pub fn named(name: &str, api_token: bool) -> Option<Scenario> {
        let base = if api_token {
            Scenario::ok_for_api_token()
        } else {
            Scenario::ok()
        };
        Some(match name {
            "ok" => base,
            "basic-info-only" => base.only_categories(&["root"]),
            "limited" => base.hide_categories(&["payroll"]),
            "empty" => base.sees_nobody(),
            "no-time-off" => base.without_module(TIME_OFF_MODULE),
            "nobody-out" => base.nobody_out(),
            "blocked" => base.blocked(),
            "large" => base.employees(LARGE_COMPANY),
            "rejected" => base.reject_everything(),
            "rate-limited" => base.rate_limit(PATH_PEOPLE_SEARCH, 2),
            "server-error" => base.everywhere(Reply::error(503)),
            "flaky" => base.on(PATH_WHOS_OUT, Reply::error(503)),
            "malformed" => base.on(PATH_FIELDS, Reply::json(200, r#"[{"id":"root.id","#)),
            "plain-text" => base.on(PATH_WHOS_OUT, Reply::text(502, "Bad Gateway")),
            "slow" => base.delay(Duration::from_millis(300)),
            "trickle" => base.on(
                PATH_PEOPLE_SEARCH,
                Reply::trickle(
                    r#"{"employees":[{"/root/id":{"value":"1"}},{"/root/id":{"value":"2"}}]}"#,
                    1,
                    Duration::from_secs(1),
                ),
            ),
            "hang" => base.never_answer(),
            "payroll-forbidden" => base.on(PATH_PEOPLE_SEARCH, Reply::error(403)),
            "moved-field" => base.move_field("work.title", MOVED_CATEGORY.0, MOVED_CATEGORY.1),
            "moved-category" => ["work.title", "work.department", "work.site"]
                .into_iter()
                .fold(base, |base, id| {
                    base.move_field(id, MOVED_CATEGORY.0, MOVED_CATEGORY.1)
                }),
            "retry-after" => base.retry_after(PATH_PEOPLE_SEARCH, 1, 1),
            _ => return None,
        })
    }
}

/// The size of the large company (benchmarks, the `large` scenario).
pub const LARGE_COMPANY: usize = 20_000;

/// One request as the server saw it. The Authorization value itself is not kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    /// The query string, if any (who's out's dates).
    pub query: Option<String>,
    pub has_authorization: bool,
    /// The header was exactly the one the scenario expects.
    pub authorization_matches: bool,
    pub user_agent: Option<String>,
    pub body: String,
}

struct Shared {
    /// Behind a lock so that a test can change it while the server runs ([`FakeHibob::change`]); every
    /// request is answered from the scenario as it was when the request arrived.
    scenario: Mutex<Scenario>,
    /// When the fake started: who's out places its absences relative to it.
    started: SystemTime,
    requests: Mutex<Vec<RecordedRequest>>,
    /// Requests seen so far per path, for rate limits.
    seen: Mutex<HashMap<String, u32>>,
}

/// A running fake HiBob. Dropping it stops the server and closes every connection.
pub struct FakeHibob {
    addr: SocketAddr,
    shared: Arc<Shared>,
    /// Stops the server when the fake is dropped.
    _thread: ServerThread,
}

impl FakeHibob {
    /// Start on a free port of 127.0.0.1.
    pub fn start(scenario: Scenario) -> FakeHibob {
        FakeHibob::start_on(0, scenario).expect("bind a free port on 127.0.0.1")
    }

    /// Start on the given port of 127.0.0.1 (0: any free port).
    pub fn start_on(port: u16, scenario: Scenario) -> std::io::Result<FakeHibob> {
        let listener = StdTcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            scenario: Mutex::new(scenario),
            started: SystemTime::now(),
            requests: Mutex::new(Vec::new()),
            seen: Mutex::new(HashMap::new()),
        });
        let thread_shared = Arc::clone(&shared);
        let thread = ServerThread::spawn("fake-hibob", move |stopped| {
            serve(listener, thread_shared, stopped)
        })?;
        Ok(FakeHibob {
            addr,
            shared,
            _thread: thread,
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// How many requests arrived on `path`.
    pub fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path == path).count()
    }

    /// From the next request on, answer as `scenario` says, while the server keeps running on the same
    /// address (the recorded requests and the rate-limit counts carry on).
    ///
    /// What it models: a HiBob admin changing the company while a user is checking, typically fixing the
    /// service user's permission group (Settings > Account > Permission groups, enable a category, Save)
    /// after a check showed it partial, then the user checking again. HiBob applies the permission group's
    /// saved settings to the service user's API requests like any user's: "Bob's Public API permissions
    /// follow the same logic as the permissions you grant other users on the Bob platform"
    /// (apidocs.hibob.com/reference/permissions), and HiBob's service-user guide goes from "Step 3: Set
    /// permissions" straight to "Step 4: Test the API" with nothing to wait for
    /// (apidocs.hibob.com/docs/api-service-users). No HiBob page states how soon a saved change applies
    /// (*unconfirmed*); the fake applies it to the next request, and a test waits for what the screen
    /// shows, never for a time.
    pub fn change(&self, scenario: Scenario) {
        *self.shared.scenario.lock().unwrap() = scenario;
    }
}

/// A base URL on 127.0.0.1 where nothing listens: connecting is refused.
pub fn closed_port_url() -> String {
    let listener = StdTcpListener::bind(("127.0.0.1", 0)).expect("bind a free port");
    let addr = listener.local_addr().expect("local address");
    drop(listener);
    format!("http://{addr}")
}

fn serve(listener: StdTcpListener, shared: Arc<Shared>, mut stopped: oneshot::Receiver<()>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the fake HiBob");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).expect("register the listener");
        loop {
            tokio::select! {
                _ = &mut stopped => break,
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else { continue };
                    let shared = Arc::clone(&shared);
                    tokio::spawn(async move {
                        let service = service_fn(move |request| {
                            let shared = Arc::clone(&shared);
                            async move { Ok::<_, Infallible>(handle(&shared, request).await) }
                        });
                        // A client that goes away mid-answer is normal (deadlines); nothing to report.
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            }
        }
    });
    // Dropping the runtime cancels every connection task, including those that never answer.
    drop(runtime);
}

async fn handle(shared: &Shared, request: Request<Incoming>) -> Response<FakeBody> {
    let scenario = shared.scenario.lock().unwrap().clone();
    let scenario = &scenario;
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let authorization = request
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .map(|value| value.as_bytes().to_vec());
    let user_agent = request
        .headers()
        .get(hyper::header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let body = match request.into_body().collect().await {
        Ok(collected) => String::from_utf8_lossy(&collected.to_bytes()).into_owned(),
        Err(_) => String::new(),
    };
    let authorization_matches =
        authorization.as_deref() == Some(scenario.expected.header_value().as_bytes());
    let recorded = RecordedRequest {
        method: method.clone(),
        path: path.clone(),
        query,
        has_authorization: authorization.is_some(),
        authorization_matches,
        user_agent,
        body,
    };
    if scenario.log {
        eprintln!(
            "fake-hibob: {method} {path} (authorization {})",
            match (recorded.has_authorization, authorization_matches) {
                (false, _) => "missing",
                (true, true) => "accepted",
                (true, false) => "wrong",
            }
        );
    }
    let reply = choose_reply(shared, scenario, &recorded);
    shared.requests.lock().unwrap().push(recorded);
    if !scenario.delay.is_zero() {
        tokio::time::sleep(scenario.delay).await;
    }
    respond(reply).await
}

/// What the server sends: a fixed reply, or an answer generated as it is read.
enum Outgoing {
    Reply(Reply),
    Generated(Box<dyn Iterator<Item = Bytes> + Send>),
}

fn choose_reply(shared: &Shared, scenario: &Scenario, request: &RecordedRequest) -> Outgoing {
    match answer_for(shared, scenario, request) {
        Ok(generated) => Outgoing::Generated(generated),
        Err(reply) => Outgoing::Reply(reply),
    }
}

/// The company's answer to `request` (`Ok`, generated), or a fixed reply (`Err`).
fn answer_for(
    shared: &Shared,
    scenario: &Scenario,
    request: &RecordedRequest,
) -> Result<Box<dyn Iterator<Item = Bytes> + Send>, Reply> {
    let RecordedRequest {
        method,
        path,
        query,
        body,
        authorization_matches,
        ..
    } = request;
    let (path, authorization_matches) = (path.as_str(), *authorization_matches);
    // A firewall answers before HiBob's API sees the request.
    if scenario.blocked {
        return Err(Reply::html(403, BLOCK_PAGE));
    }
    let Some((route_method, _)) = KNOWN_ROUTES.iter().find(|(_, p)| *p == path) else {
        return Err(Reply::error(404));
    };
    if route_method != method {
        return Err(Reply::error(405));
    }
    if scenario.reject_all || !authorization_matches {
        return Err(Reply::error(401));
    }
    if scenario
        .inactive_modules
        .iter()
        .any(|prefix| path.starts_with(prefix.as_str()))
    {
        return Err(Reply::error(404));
    }
    let seen = {
        let mut seen = shared.seen.lock().unwrap();
        let count = seen.entry(path.to_string()).or_insert(0);
        *count += 1;
        *count
    };
    if let Some(&times) = scenario.rate_limits.get(path)
        && seen <= times
    {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        return Err(Reply::error(429)
            .with_header("x-ratelimit-limit", "50")
            .with_header("x-ratelimit-remaining", "0")
            .with_header("x-ratelimit-reset", &(now + 1).to_string()));
    }
    if let Some(&(times, seconds)) = scenario.retry_after_limits.get(path)
        && seen <= times
    {
        return Err(Reply::error(429).with_header("retry-after", &seconds.to_string()));
    }
    if let Some(reply) = scenario
        .overrides
        .get(path)
        .or(scenario.everywhere.as_ref())
    {
        return Err(reply.clone());
    }
    match path {
        PATH_FIELDS => Err(Reply::json(200, scenario.company.field_metadata())),
        PATH_PEOPLE_SEARCH => match company::Search::parse(body) {
            Ok(search) => Ok(Box::new(scenario.company.clone().people_search(search))),
            Err(company::BadSearch(why)) => Err(Reply::json(
                400,
                format!(r#"{{"error":"{why}","key":"fake-400"}}"#),
            )),
        },
        PATH_WHOS_OUT => match scenario.company.whos_out(query.as_deref(), shared.started) {
            Some(outs) => Err(Reply::json(200, outs)),
            None => Err(Reply::json(
                400,
                r#"{"error":"from and to are required","key":"fake-400"}"#,
            )),
        },
        _ => Err(default_reply(path).unwrap_or_else(|| Reply::error(404))),
    }
}

async fn respond(outgoing: Outgoing) -> Response<FakeBody> {
    let reply = match outgoing {
        Outgoing::Reply(reply) => reply,
        Outgoing::Generated(pieces) => {
            let mut response = Response::new(FakeBody::generated(pieces));
            response.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("application/json"),
            );
            return response;
        }
    };
    match reply {
        Reply::Answer {
            status,
            headers,
            body,
        } => {
            let mut response = Response::new(FakeBody::whole(body));
            *response.status_mut() = StatusCode::from_u16(status).expect("a valid status");
            for (name, value) in headers {
                response.headers_mut().insert(
                    hyper::header::HeaderName::from_bytes(name.as_bytes()).expect("header name"),
                    hyper::header::HeaderValue::from_str(&value).expect("header value"),
                );
            }
            response
        }
        Reply::Hang => std::future::pending().await,
        Reply::Trickle {
            status,
            body,
            chunk,
            every,
        } => {
            let mut response = Response::new(FakeBody::trickle(body, chunk, every));
            *response.status_mut() = StatusCode::from_u16(status).expect("a valid status");
            response.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("application/json"),
            );
            response
        }
    }
}

/// A response body: all at once, a few bytes at a time with a pause before each piece, or generated piece
/// by piece as the client reads it.
pub struct FakeBody {
    remaining: Bytes,
    chunk: usize,
    every: Duration,
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
    /// More pieces to come after `remaining` (a generated answer; its length is not known up front).
    pieces: Option<Box<dyn Iterator<Item = Bytes> + Send>>,
}

impl FakeBody {
    fn whole(body: String) -> Self {
        let remaining = Bytes::from(body);
        FakeBody {
            chunk: remaining.len().max(1),
            remaining,
            every: Duration::ZERO,
            pause: None,
            pieces: None,
        }
    }

    fn generated(pieces: Box<dyn Iterator<Item = Bytes> + Send>) -> Self {
        FakeBody {
            remaining: Bytes::new(),
            chunk: usize::MAX,
            every: Duration::ZERO,
            pause: None,
            pieces: Some(pieces),
        }
    }

    fn trickle(body: String, chunk: usize, every: Duration) -> Self {
        FakeBody {
            remaining: Bytes::from(body),
            chunk,
            every,
            pause: None,
            pieces: None,
        }
    }
}

impl Body for FakeBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.remaining.is_empty() {
            match self.pieces.as_mut().and_then(|pieces| pieces.next()) {
                Some(piece) => return Poll::Ready(Some(Ok(Frame::data(piece)))),
                None => return Poll::Ready(None),
            }
        }
        if !self.every.is_zero() {
            let every = self.every;
            let pause = self
                .pause
                .get_or_insert_with(|| Box::pin(tokio::time::sleep(every)));
            if pause.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.pause = None;
        }
        let take = self.chunk.min(self.remaining.len());
        let piece = self.remaining.split_to(take);
        Poll::Ready(Some(Ok(Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.remaining.is_empty() && self.pieces.is_none()
    }

    // A fixed body's length is known up front, so hyper sends Content-Length (as HiBob does) rather than
    // chunks; a generated one goes out chunked.
    fn size_hint(&self) -> hyper::body::SizeHint {
        if self.pieces.is_some() {
            hyper::body::SizeHint::default()
        } else {
            hyper::body::SizeHint::with_exact(self.remaining.len() as u64)
        }
    }
}
