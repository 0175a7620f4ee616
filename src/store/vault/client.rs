//! A thin client for the seven calls the store makes to Vault's HTTP API (KV version 2 and the mount
//! lookup), over the reqwest the project already uses for HiBob.
//!
//! Why not a Vault crate: the maintained ones bring their own reqwest version and TLS library (a second
//! HTTP stack in the binary and in its trust decisions), read none of OpenBao's `BAO_*` variables, and
//! their KV v2 helpers drop the version that a read returns, which a safe check-and-set write needs.
//! Seven JSON calls are less code than adapting one.

use std::error::Error as StdError;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use serde::Deserialize;
use serde_json::Value;

use crate::secret::ExposeSecret;
use crate::store::vault::config::VaultConfig;
use crate::store::vault::failure::VaultFailure;
use crate::store::vault::tls;

/// A KV mount as the server's mount lookup describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// The mount's path without its trailing slash, e.g. `secret` or `kv/people-ops`.
    pub path: String,
    /// The KV version from the mount's options (`1` when unset, as Vault treats it).
    pub version: String,
    pub kind: String,
}

/// What a read found.
pub enum Read {
    Found(ReadEntry),
    /// No readable version. `version` is the entry's current version when it has one that was deleted
    /// or destroyed (a write must check-and-set against it), else 0.
    Absent {
        version: u64,
    },
}

/// One version of an entry as read: its data (the caller takes what it needs) and its number.
pub struct ReadEntry {
    pub data: serde_json::Map<String, Value>,
    pub version: u64,
    pub created_time: String,
}

/// The answer to a write: the new version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub version: u64,
    pub created_time: String,
}

/// What the caller is doing: the action in words and the capability it needs, for messages, and the
/// path it is done on (`MOUNT/data/KEY`), which is both where the request goes and what a policy names.
pub struct Intent<'a> {
    pub words: &'a str,
    pub capability: &'a str,
    pub path: &'a str,
}

/// The connection to one server as one identity.
pub struct VaultClient {
    http: reqwest::Client,
    address: Url,
    timeout: Duration,
    namespace: Option<String>,
}

impl std::fmt::Debug for VaultClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "VaultClient({})", self.address)
    }
}

impl VaultClient {
    pub fn new(config: &VaultConfig) -> Result<VaultClient, VaultFailure> {
        let mut headers = HeaderMap::new();
        let mut token = HeaderValue::from_str(config.token.expose_secret()).map_err(|_| {
            VaultFailure::TokenRejected {
                address: config.address.to_string(),
            }
        })?;
        // Kept out of reqwest's and hyper's logs at every level.
        token.set_sensitive(true);
        headers.insert("X-Vault-Token", token);
        if let Some(namespace) = &config.namespace {
            let value =
                HeaderValue::from_str(namespace).map_err(|_| VaultFailure::NamespaceNotFound {
                    address: config.address.to_string(),
                    namespace: namespace.clone(),
                })?;
            headers.insert("X-Vault-Namespace", value);
        }
        let http = reqwest::Client::builder()
            // Loopback is never proxied, and a Vault server is normally reached directly; reqwest would
            // otherwise read the proxy variables itself, loopback included.
            .no_proxy()
            .use_preconfigured_tls(tls::client_config(&config.tls)?)
            .default_headers(headers)
            .connect_timeout(config.timeout)
            .timeout(config.timeout)
            .build()
            .map_err(|err| VaultFailure::Unreachable {
                address: config.address.to_string(),
                detail: err.to_string(),
            })?;
        Ok(VaultClient {
            http,
            address: config.address.clone(),
            timeout: config.timeout,
            namespace: config.namespace.clone(),
        })
    }

    pub fn address(&self) -> &Url {
        &self.address
    }

    /// The KV mount that holds `path` (`GET /v1/sys/internal/ui/mounts/PATH`), which also says its
    /// version. A mount may contain slashes; the lookup finds the longest one that matches.
    pub async fn mount(&self, path: &str) -> Result<Mount, VaultFailure> {
        let lookup = format!("sys/internal/ui/mounts/{path}");
        let action = Intent {
            words: "look up the mount",
            capability: "read",
            path: &lookup,
        };
        self.call(
            Method::GET,
            &lookup,
            None,
            &action,
            |status, body| match status {
                StatusCode::OK => Some(Ok(Mount::from_answer(&body["data"]))),
                StatusCode::FORBIDDEN if errors(body).contains("preflight capability check") => {
                    Some(Err(VaultFailure::NoMount {
                        address: self.address.to_string(),
                        path: path.to_string(),
                    }))
                }
                StatusCode::FORBIDDEN => Some(Err(VaultFailure::TokenRejected {
                    address: self.address.to_string(),
                })),
                _ => None,
            },
        )
        .await?
    }

    /// The current version of the entry at `action.path` (`GET MOUNT/data/KEY`).
    pub async fn read(&self, action: &Intent<'_>) -> Result<Read, VaultFailure> {
        self.call(Method::GET, action.path, None, action, |status, body| {
            match status {
                StatusCode::OK => Some(Read::Found(ReadEntry::from_answer(body))),
                // A deleted or destroyed latest version still says its number (`bao kv delete`).
                StatusCode::NOT_FOUND => Some(Read::Absent {
                    version: body["data"]["metadata"]["version"].as_u64().unwrap_or(0),
                }),
                _ => None,
            }
        })
        .await
    }

    /// Write a new version of the entry at `action.path` only if its current version is `cas` (0: only
    /// if there is none): `POST MOUNT/data/KEY` with `options.cas`. `Ok(None)` when another writer got
    /// there first.
    pub async fn write(
        &self,
        action: &Intent<'_>,
        data: Value,
        cas: u64,
    ) -> Result<Option<Written>, VaultFailure> {
        let body = serde_json::json!({ "options": { "cas": cas }, "data": data });
        self.call(
            Method::POST,
            action.path,
            Some(body),
            action,
            |status, answer| {
                match status {
                    StatusCode::OK => Some(Some(Written {
                        version: answer["data"]["version"].as_u64().unwrap_or(0),
                        created_time: text(&answer["data"]["created_time"]),
                    })),
                    // Vault's words for a lost check-and-set race.
                    StatusCode::BAD_REQUEST if errors(answer).contains("check-and-set") => {
                        Some(None)
                    }
                    _ => None,
                }
            },
        )
        .await
    }

    /// The keys in the folder `action.path` (`LIST MOUNT/metadata/PREFIX/`); folders end with `/`.
    pub async fn list(&self, action: &Intent<'_>) -> Result<Vec<String>, VaultFailure> {
        // A list names a folder, which ends with a slash.
        let folder = format!("{}/", action.path.trim_end_matches('/'));
        let list = Method::from_bytes(b"LIST").expect("LIST is a valid method");
        self.call(list, &folder, None, action, |status, body| match status {
            StatusCode::OK => Some(
                body["data"]["keys"]
                    .as_array()
                    .map(|keys| {
                        keys.iter()
                            .filter_map(|key| key.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            StatusCode::NOT_FOUND => Some(Vec::new()),
            _ => None,
        })
        .await
    }

    /// The current version of the entry whose metadata is at `action.path` (`GET MOUNT/metadata/KEY`);
    /// `None` when there is no entry.
    pub async fn metadata(&self, action: &Intent<'_>) -> Result<Option<u64>, VaultFailure> {
        self.call(
            Method::GET,
            action.path,
            None,
            action,
            |status, body| match status {
                StatusCode::OK => Some(Some(body["data"]["current_version"].as_u64().unwrap_or(0))),
                StatusCode::NOT_FOUND => Some(None),
                _ => None,
            },
        )
        .await
    }

    /// Delete the entry with every version and its metadata (`DELETE MOUNT/metadata/KEY`).
    pub async fn delete_metadata(&self, action: &Intent<'_>) -> Result<(), VaultFailure> {
        self.call(Method::DELETE, action.path, None, action, |status, _| {
            matches!(
                status,
                StatusCode::OK | StatusCode::NO_CONTENT | StatusCode::NOT_FOUND
            )
            .then_some(())
        })
        .await
    }

    /// Destroy the data of `versions` for good (`POST MOUNT/destroy/KEY`).
    pub async fn destroy(&self, action: &Intent<'_>, versions: &[u64]) -> Result<(), VaultFailure> {
        let body = serde_json::json!({ "versions": versions });
        self.call(
            Method::POST,
            action.path,
            Some(body),
            action,
            |status, _| matches!(status, StatusCode::OK | StatusCode::NO_CONTENT).then_some(()),
        )
        .await
    }

    /// Send one request for `action` and let `answered` read the answer: it gives `None` for a status
    /// the call does not expect, which becomes the action's failure.
    async fn call<T>(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        action: &Intent<'_>,
        answered: impl FnOnce(StatusCode, &mut Value) -> Option<T>,
    ) -> Result<T, VaultFailure> {
        let (status, mut answer) = self.send(method, path, body).await?;
        match answered(status, &mut answer) {
            Some(read) => Ok(read),
            None => Err(self.failure(action, status, &answer)),
        }
    }

    /// Send one request and read its JSON answer (an empty body is `null`). Failures that are the same
    /// for every call (unreachable, untrusted, sealed, unknown namespace) are told apart here.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<(StatusCode, Value), VaultFailure> {
        let url = format!("{}/v1/{path}", self.address.as_str().trim_end_matches('/'));
        tracing::debug!(%method, path, "Vault request");
        let mut request = self.http.request(method, url);
        if let Some(mut body) = body {
            // A write's body holds the token: its one serialized copy goes to reqwest (which cannot be
            // made to wipe what it sends), and the strings it was made from are wiped here.
            let bytes = serde_json::to_vec(&body).unwrap_or_default();
            wipe_strings(&mut body);
            request = request
                .header("Content-Type", "application/json")
                .body(bytes);
        }
        let response = request.send().await.map_err(|err| self.transport(&err))?;
        let status = response.status();
        // A read's answer holds the token: the raw bytes are wiped once parsed (the conversion takes
        // reqwest's buffer over without a copy when nothing else holds it).
        let bytes = zeroize::Zeroizing::new(Vec::<u8>::from(
            response.bytes().await.map_err(|err| self.transport(&err))?,
        ));
        tracing::debug!(status = status.as_u16(), path, "Vault answer");
        let answer: Value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::Null)
        };
        if status == StatusCode::SERVICE_UNAVAILABLE && errors(&answer).contains("sealed") {
            return Err(VaultFailure::Sealed {
                address: self.address.to_string(),
            });
        }
        if status == StatusCode::NOT_FOUND && errors(&answer).contains("namespace not found") {
            return Err(VaultFailure::NamespaceNotFound {
                address: self.address.to_string(),
                namespace: self.namespace.clone().unwrap_or_default(),
            });
        }
        Ok((status, answer))
    }

    /// A request that got no answer: timed out, untrusted, or not reached.
    fn transport(&self, err: &reqwest::Error) -> VaultFailure {
        let address = self.address.to_string();
        if err.is_timeout() {
            return VaultFailure::Timeout {
                address,
                seconds: self.timeout.as_secs(),
            };
        }
        if let Some(tls) =
            chain(err as &(dyn StdError + 'static)).find_map(|e| e.downcast_ref::<rustls::Error>())
        {
            if let rustls::Error::InvalidCertificate(why) = tls {
                return VaultFailure::Untrusted {
                    address,
                    detail: format!("{why:?}"),
                };
            }
            return VaultFailure::Unreachable {
                address,
                detail: format!("TLS: {tls}"),
            };
        }
        let detail = chain(err as &(dyn StdError + 'static))
            .last()
            .map(|root| root.to_string())
            .unwrap_or_else(|| err.to_string());
        VaultFailure::Unreachable { address, detail }
    }

    /// A call refused or failed: permission denied says which capability on which path.
    fn failure(&self, action: &Intent<'_>, status: StatusCode, body: &Value) -> VaultFailure {
        if status == StatusCode::FORBIDDEN {
            return VaultFailure::Denied {
                action: action.words.to_string(),
                capability: action.capability.to_string(),
                path: action.path.to_string(),
            };
        }
        VaultFailure::Unexpected {
            address: self.address.to_string(),
            action: action.words.to_string(),
            status: status.as_u16(),
            detail: errors(body),
        }
    }
}

impl Mount {
    /// The `data` of a mount lookup's answer.
    fn from_answer(data: &Value) -> Mount {
        Mount {
            path: text(&data["path"]).trim_end_matches('/').to_string(),
            version: data["options"]["version"]
                .as_str()
                .unwrap_or("1")
                .to_string(),
            kind: text(&data["type"]),
        }
    }
}

impl ReadEntry {
    /// The entry in a read's answer; its data is taken out of `answer`, not copied.
    fn from_answer(answer: &mut Value) -> ReadEntry {
        let metadata = &answer["data"]["metadata"];
        let version = metadata["version"].as_u64().unwrap_or(0);
        let created_time = text(&metadata["created_time"]);
        let data = match answer["data"]["data"].take() {
            Value::Object(data) => data,
            _ => serde_json::Map::new(),
        };
        ReadEntry {
            data,
            version,
            created_time,
        }
    }
}

/// A string field of an answer; empty when it is missing or not a string.
fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

/// The server's `errors` array as one line.
fn errors(body: &Value) -> String {
    #[derive(Deserialize)]
    struct Errors {
        errors: Vec<String>,
    }
    serde_json::from_value::<Errors>(body.clone())
        .map(|errors| {
            errors
                .errors
                .iter()
                .map(|error| error.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

/// An error and its sources; an `io::Error` hides what it wraps from `source()`, so it is opened with
/// `get_ref()` (where hyper puts rustls' error).
fn chain<'a>(
    err: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(
        Some(err),
        |&current: &&'a (dyn StdError + 'static)| match current.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
            None => current.source(),
        },
    )
}

/// Overwrite every string in `value` (a request body that held a token) before it is dropped.
fn wipe_strings(value: &mut Value) {
    match value {
        Value::String(text) => zeroize::Zeroize::zeroize(text),
        Value::Array(items) => items.iter_mut().for_each(wipe_strings),
        Value::Object(fields) => fields.values_mut().for_each(wipe_strings),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_body_keeps_no_string_after_it_was_sent() {
        let mut body = serde_json::json!({
            "options": {"cas": 3},
            "data": {"kind": "service-user", "token": "a-token-to-wipe", "list": ["x"]},
        });
        wipe_strings(&mut body);
        assert_eq!(
            body,
            serde_json::json!({
                "options": {"cas": 3},
                "data": {"kind": "", "token": "", "list": [""]},
            })
        );
    }
}
