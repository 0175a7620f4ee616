//! The HTTP side of a check: one reqwest client, the probes sent concurrently, bounded retries, one deadline.
//!
//! Retries happen only where they can help and cannot hurt: 429 (after the rate-limit reset, capped),
//! 5xx and connection failures, at most [`MAX_RETRIES`] per probe. A 401 or 403 is never retried:
//! HiBob's firewall blocks an address after many of them in a short time.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::future::join_all;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use tokio::sync::mpsc::UnboundedSender;

use crate::credential::Credential;
use crate::hibob::endpoint::ApiUrl;
use crate::hibob::failure::{CONNECT_TIMEOUT_SECS, classify};
use crate::hibob::probe::{
    Answer, MAX_BODY_BYTES, Method, PEOPLE_SEARCH_BODY, Probe, ProbeResult, TransportFailure,
};
use crate::hibob::proxy::ProxyUrl;
use crate::hibob::redact::redact_credential;
use crate::hibob::report::Report;
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
                let outcome = self.send_once(credential, probe).await;
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
    ) -> Result<(Answer, Option<u64>), TransportFailure> {
        let kind = credential.kind();
        let url = self.api_url.join(probe.path(kind));
        let mut authorization = HeaderValue::from_str(credential.authorization().expose_secret())
            .map_err(|_| {
            TransportFailure::Other("the credential cannot be sent as an HTTP header".into())
        })?;
        authorization.set_sensitive(true);
        let request = match probe.method(kind) {
            Method::Get => self.http.get(url),
            Method::PostSearch => self
                .http
                .post(url)
                .header(CONTENT_TYPE, "application/json")
                .body(PEOPLE_SEARCH_BODY),
        }
        .header(AUTHORIZATION, authorization)
        .header(reqwest::header::ACCEPT, "application/json");

        let mut response = request
            .send()
            .await
            .map_err(|err| classify(&err, self.proxy.as_ref()))?;
        let status = response.status().as_u16();
        let reset = response
            .headers()
            .get("x-ratelimit-reset")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok());
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|err| classify(&err, self.proxy.as_ref()))?
        {
            let room = MAX_BODY_BYTES - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        tracing::debug!(
            ?probe,
            status,
            bytes = body.len(),
            truncated,
            "probe answered"
        );
        // An answer that repeats the credential must not carry it into the report (and so into logs).
        let body = redact_credential(&String::from_utf8_lossy(&body), credential).into_owned();
        Ok((
            Answer {
                status,
                body,
                truncated,
            },
            reset,
        ))
    }
}

/// How long to wait before retrying, or `None` when this outcome must not (or need not) be retried.
fn retry_wait(
    outcome: &Result<(Answer, Option<u64>), TransportFailure>,
    attempts: u32,
) -> Option<Duration> {
    if attempts > MAX_RETRIES {
        return None;
    }
    let backoff = Duration::from_millis(250 * u64::from(attempts));
    match outcome {
        Ok((answer, reset)) => match answer.status {
            429 => Some(rate_limit_wait(*reset, SystemTime::now())),
            500..=599 => Some(backoff),
            // 401 and 403 above all: never retried.
            _ => None,
        },
        Err(TransportFailure::Connect(_) | TransportFailure::Other(_)) => Some(backoff),
        Err(_) => None,
    }
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
            let result = client.probe(credential, probe, deadline).await;
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

    fn answer(status: u16) -> Result<(Answer, Option<u64>), TransportFailure> {
        Ok((
            Answer {
                status,
                body: String::new(),
                truncated: false,
            },
            None,
        ))
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
