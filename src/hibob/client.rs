//! The HTTP side of a check: one reqwest client, the probes sent concurrently, bounded retries, one deadline.
//!
//! Retries happen only where they can help and cannot hurt: 429 (after `Retry-After` or the rate-limit
//! reset, within the check's deadline),
//! 5xx and connection failures, at most [`MAX_RETRIES`] per probe. A 401 or 403 is never retried:
//! HiBob's firewall blocks an address after many of them in a short time.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::future::join_all;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use tokio::sync::mpsc::UnboundedSender;

use crate::credential::Credential;
use crate::hibob::endpoint::ApiUrl;
use crate::hibob::failure::{CONNECT_TIMEOUT_SECS, classify};
use crate::hibob::probe::Seen;
use crate::hibob::probe::{
    Answer, MAX_ERROR_BODY_BYTES, Method, Probe, ProbeResult, TransportFailure,
};
use crate::hibob::proxy::ProxyUrl;
use crate::hibob::redact::redact_credential;
use crate::hibob::report::Report;
use crate::hibob::stream::body_channel;
use crate::hibob::survey::survey;
use crate::hibob::transport::{Network, NetworkError};
use crate::secret::ExposeSecret;

/// Retries per probe on 429, 5xx and connection failures (so at most three requests per probe).
pub const MAX_RETRIES: u32 = 2;
/// The longest wait for a rate-limit reset; HiBob's windows are a minute, a check should not be.
const MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(5);
/// How long one connection attempt may take before it counts as a connection failure (and may be retried).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(CONNECT_TIMEOUT_SECS);
/// The default overall deadline of a check.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The whole check, retries included, ends by then.
    pub timeout: Duration,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// A probe's result as soon as it is known, for front ends that show progress (the wizard).
pub type ProbeEvent = ProbeResult;

#[derive(Debug, Clone)]
pub struct HibobClient {
    http: reqwest::Client,
    api_url: ApiUrl,
    /// The proxy every request goes through, if any (named in failure messages).
    proxy: Option<ProxyUrl>,
}

#[derive(Debug, thiserror::Error)]
pub enum ClientSetupError {
    /// A proxy or CA setting from the environment that cannot be used.
    #[error("{0}")]
    Network(#[from] NetworkError),
    #[error("could not set up the HTTP client: {0}")]
    Http(String),
}

impl ClientSetupError {
    /// Whether the user's own setting is at fault (a usage error) rather than this machine.
    pub fn is_bad_setting(&self) -> bool {
        matches!(self, ClientSetupError::Network(err) if err.is_bad_setting())
    }
}

impl HibobClient {
    /// A client for `api_url` with the network settings found in the environment (proxies, extra CAs).
    pub fn new(api_url: ApiUrl) -> Result<Self, ClientSetupError> {
        let network = Network::from_env()?;
        Self::with_network(api_url, &network)
    }

    pub fn with_network(api_url: ApiUrl, network: &Network) -> Result<Self, ClientSetupError> {
        let (builder, proxy) = network.client_builder(&api_url)?;
        let http = builder
            .user_agent(concat!("hibob-auth/", env!("CARGO_PKG_VERSION")))
            // A redirect could carry the Authorization header somewhere unexpected; HiBob's API does not redirect.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .map_err(|err| ClientSetupError::Http(err.to_string()))?;
        Ok(HibobClient {
            http,
            api_url,
            proxy,
        })
    }

    pub fn api_url(&self) -> &ApiUrl {
        &self.api_url
    }

    /// Send one probe, retrying only where allowed, giving up at `deadline`.
    pub async fn probe(
        &self,
        credential: &Credential,
        probe: Probe,
        deadline: Instant,
    ) -> ProbeResult {
        self.probe_at(credential, probe, deadline, SystemTime::now())
            .await
    }

    /// [`HibobClient::probe`] for a check started at `started` (who's out asks for dates around it).
    pub async fn probe_at(
        &self,
        credential: &Credential,
        probe: Probe,
        deadline: Instant,
        started: SystemTime,
    ) -> ProbeResult {
        let mut attempts = 0;
        // Rounded, not floored: a 15 s deadline is a few microseconds short of 15 s by the time we get here,
        // and the message should name the deadline the user set.
        let timeout_secs = deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
            .round()
            .max(1.0) as u64;
        let work = async {
            loop {
                attempts += 1;
                let outcome = self.send_once(credential, probe, started).await;
                let Some(wait) = retry_wait(&outcome, attempts) else {
                    return outcome;
                };
                if Instant::now() + wait >= deadline {
                    return outcome;
                }
                tracing::debug!(
                    ?probe,
                    attempts,
                    wait_ms = wait.as_millis() as u64,
                    "retrying probe"
                );
                tokio::time::sleep(wait).await;
            }
        };
        let outcome = match tokio::time::timeout_at(deadline.into(), work).await {
            Ok(outcome) => outcome.map(|(answer, _)| answer),
            Err(_) => Err(TransportFailure::Timeout(timeout_secs)),
        };
        ProbeResult {
            probe,
            outcome,
            attempts,
        }
    }

    async fn send_once(
        &self,
        credential: &Credential,
        probe: Probe,
        started: SystemTime,
    ) -> Result<(Answer, RateLimitHint), TransportFailure> {
        let url = self.api_url.join(&probe.path_and_query(started));
        let mut authorization = HeaderValue::from_str(credential.authorization().expose_secret())
            .map_err(|_| {
            TransportFailure::Other("the credential cannot be sent as an HTTP header".into())
        })?;
        authorization.set_sensitive(true);
        let request = match probe.method() {
            Method::Get => self.http.get(url),
            Method::PostSearch => self
                .http
                .post(url)
                .header(CONTENT_TYPE, "application/json")
                .body(probe.body().unwrap_or_default()),
        }
        .header(AUTHORIZATION, authorization)
        .header(reqwest::header::ACCEPT, "application/json");

        let response = request
            .send()
            .await
            .map_err(|err| classify(&err, self.proxy.as_ref()))?;
        let status = response.status().as_u16();
        let reset = RateLimitHint::from_headers(response.headers(), SystemTime::now());
        let answer = if response.status().is_success() {
            Answer::seen(
                status,
                survey_body(probe, response, self.proxy.as_ref()).await?,
            )
        } else {
            let text = error_text(response, self.proxy.as_ref()).await?;
            // An answer that repeats the credential must not carry it into the report (and so into logs).
            Answer::text(status, redact_credential(&text, credential).into_owned())
        };
        tracing::debug!(?probe, status, "probe answered");
        Ok((answer, reset))
    }
}

/// Read a successful body as it arrives and keep only what it proves ([`survey`]); stop downloading as
/// soon as the survey has seen enough.
async fn survey_body(
    probe: Probe,
    mut response: reqwest::Response,
    proxy: Option<&ProxyUrl>,
) -> Result<Seen, TransportFailure> {
    let (sender, reader) = body_channel();
    let surveyor = tokio::task::spawn_blocking(move || survey(probe, reader));
    let mut failure = None;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if !sender.send(chunk).await {
                    // The survey has what it needs; the rest of the body is not downloaded.
                    break;
                }
            }
            Ok(None) => break,
            Err(err) => {
                failure = Some(classify(&err, proxy));
                break;
            }
        }
    }
    // The end of the body (or its failure) is the end of the reader's input.
    drop(sender);
    drop(response);
    let seen = surveyor
        .await
        .map_err(|_| TransportFailure::Other("reading the answer failed".into()))?;
    match failure {
        // A body cut off by the network proves nothing beyond what was read before it, unless that was enough.
        Some(failure) if !survey_is_conclusive(&seen) => Err(failure),
        _ => Ok(seen),
    }
}

/// Whether a survey stopped because it had seen enough (so a later network failure does not matter).
fn survey_is_conclusive(seen: &Seen) -> bool {
    match seen {
        Seen::People(people) => people.stopped_early,
        Seen::Absences { any } => *any,
        _ => false,
    }
}

/// The start of an error answer's body, at most [`MAX_ERROR_BODY_BYTES`], as text.
async fn error_text(
    mut response: reqwest::Response,
    proxy: Option<&ProxyUrl>,
) -> Result<String, TransportFailure> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| classify(&err, proxy))?
    {
        let room = MAX_ERROR_BODY_BYTES - body.len();
        if chunk.len() >= room {
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// How long to wait before retrying, or `None` when this outcome must not (or need not) be retried.
fn retry_wait(
    outcome: &Result<(Answer, RateLimitHint), TransportFailure>,
    attempts: u32,
) -> Option<Duration> {
    if attempts > MAX_RETRIES {
        return None;
    }
    let backoff = Duration::from_millis(250 * u64::from(attempts));
    match outcome {
        Ok((answer, reset)) => match answer.status {
            429 => Some(
                reset
                    .retry_after
                    .unwrap_or_else(|| rate_limit_wait(reset.reset, SystemTime::now())),
            ),
            500..=599 => Some(backoff),
            // 401 and 403 above all: never retried.
            _ => None,
        },
        Err(TransportFailure::Connect(_) | TransportFailure::Other(_)) => Some(backoff),
        Err(_) => None,
    }
}

/// What a 429 said about when to try again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateLimitHint {
    /// `X-RateLimit-Reset`: when HiBob's window resets, in Unix seconds (reference/rate-limiting).
    pub reset: Option<u64>,
    /// `Retry-After` (RFC 9110, 10.2.3): not documented by HiBob, but gateways and proxies in front of it
    /// send it. It wins when present; the check's deadline still caps the wait (a wait past the deadline
    /// is not started, and the 429 stands).
    pub retry_after: Option<Duration>,
}

impl RateLimitHint {
    pub fn from_headers(headers: &reqwest::header::HeaderMap, now: SystemTime) -> RateLimitHint {
        let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
        RateLimitHint {
            reset: text("x-ratelimit-reset").and_then(|value| value.trim().parse::<u64>().ok()),
            retry_after: text("retry-after").and_then(|value| retry_after(value, now)),
        }
    }
}

/// `Retry-After` as delay-seconds or as an HTTP date.
pub fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Time until the rate-limit window resets (`X-RateLimit-Reset`, Unix seconds), between 1 s and the cap.
pub fn rate_limit_wait(reset_epoch_secs: Option<u64>, now: SystemTime) -> Duration {
    let now_secs = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    reset_epoch_secs
        .map(|reset| Duration::from_secs(reset.saturating_sub(now_secs)))
        .unwrap_or(Duration::from_secs(1))
        .clamp(Duration::from_secs(1), MAX_RATE_LIMIT_WAIT)
}

/// Run every probe concurrently against one deadline and build the report.
/// Each probe's result is also sent to `progress` (if given) the moment it is known.
pub async fn run_check(
    client: &HibobClient,
    credential: &Credential,
    options: &CheckOptions,
    progress: Option<UnboundedSender<ProbeEvent>>,
) -> Report {
    let started = Instant::now();
    let checked_at = SystemTime::now();
    let deadline = started + options.timeout;
    let probes = Probe::ALL.into_iter().map(|probe| {
        let progress = progress.clone();
        async move {
            let result = client
                .probe_at(credential, probe, deadline, checked_at)
                .await;
            if let Some(progress) = &progress {
                // The receiver may be gone (a cancelled wizard check); that is fine.
                let _ = progress.send(result.clone());
            }
            result
        }
    });
    let results = join_all(probes).await;
    Report::from_results(
        credential.kind(),
        client.api_url().clone(),
        &results,
        checked_at,
        started.elapsed(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_wait_is_clamped() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000);
        assert_eq!(rate_limit_wait(Some(1_003), now), Duration::from_secs(3));
        assert_eq!(rate_limit_wait(Some(999), now), Duration::from_secs(1));
        assert_eq!(rate_limit_wait(Some(u64::MAX), now), MAX_RATE_LIMIT_WAIT);
        assert_eq!(rate_limit_wait(None, now), Duration::from_secs(1));
    }

    fn answer(status: u16) -> Result<(Answer, RateLimitHint), TransportFailure> {
        Ok((Answer::text(status, ""), RateLimitHint::default()))
    }

    #[test]
    fn retry_after_wins_and_reads_both_forms() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        // 2001-09-09T01:46:50Z is 1,000,000,010.
        assert_eq!(
            retry_after("Sun, 09 Sep 2001 01:46:50 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(retry_after("soon", now), None);
        let hinted = Ok((
            Answer::text(429, ""),
            RateLimitHint {
                reset: None,
                retry_after: Some(Duration::from_secs(12)),
            },
        ));
        assert_eq!(retry_wait(&hinted, 1), Some(Duration::from_secs(12)));
    }

    #[test]
    fn never_retries_401_or_403() {
        assert_eq!(retry_wait(&answer(401), 1), None);
        assert_eq!(retry_wait(&answer(403), 1), None);
        assert_eq!(retry_wait(&answer(200), 1), None);
    }

    #[test]
    fn retries_5xx_and_429_at_most_twice() {
        assert!(retry_wait(&answer(503), 1).is_some());
        assert!(retry_wait(&answer(429), 2).is_some());
        assert_eq!(retry_wait(&answer(503), 3), None);
    }
}
