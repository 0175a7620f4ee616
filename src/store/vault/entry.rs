//! A profile as one KV version 2 entry: the data keys `kind` (`service-user` or `api-token`),
//! `service_user_id` (service users only), `api_url` and `token`, and the record read from them. The
//! entry is the whole truth: nothing of it is kept on this machine.

use serde_json::{Map, Value};

use crate::credential::Credential;
use crate::secret::{ExposeSecret, SecretString};
use crate::store::vault::client::ReadEntry;
use crate::store::{LastCheck, ProfileRecord, StoreChoice};

/// What an entry holds, read: the credential and the record without it.
pub struct Entry {
    pub credential: Credential,
    pub record: ProfileRecord,
}

/// The entry's data for `credential` against `api_url`. The token is in it: the caller sends it and
/// drops it.
pub fn data(credential: &Credential, api_url: &str) -> Value {
    let mut data = Map::new();
    data.insert("kind".into(), credential.kind().id().into());
    if let Some(id) = credential.service_user_id() {
        data.insert("service_user_id".into(), id.into());
    }
    data.insert("api_url".into(), api_url.into());
    data.insert(
        "token".into(),
        credential.token().expose_secret().to_string().into(),
    );
    Value::Object(data)
}

/// The credential and record in a read entry, or why it is not a profile (never with the token).
pub fn parse(read: ReadEntry) -> Result<Entry, String> {
    let ReadEntry {
        mut data,
        created_time,
        ..
    } = read;
    let text = |data: &Map<String, Value>, key: &str| -> Option<String> {
        data.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(str::to_string)
    };
    let token = match data.remove("token") {
        Some(Value::String(token)) if !token.trim().is_empty() => {
            let token = zeroize::Zeroizing::new(token);
            SecretString::from(token.trim().to_string())
        }
        _ => return Err("it has no `token`".to_string()),
    };
    let api_url = text(&data, "api_url").ok_or("it has no `api_url`")?;
    let kind = text(&data, "kind").ok_or("it has no `kind`")?;
    let credential = match kind.as_str() {
        "service-user" => Credential::ServiceUser {
            id: text(&data, "service_user_id")
                .ok_or("a service-user entry has no `service_user_id`")?,
            token,
        },
        "api-token" => Credential::ApiToken { token },
        other => {
            return Err(format!(
                "its `kind` is '{other}', not 'service-user' or 'api-token'"
            ));
        }
    };
    let record = record(&credential, api_url, created_time, None);
    Ok(Entry { credential, record })
}

/// The record of `credential` kept in an entry written at `stored_at`: what a read of the entry gives,
/// and what a save returns without reading it again.
pub fn record(
    credential: &Credential,
    api_url: String,
    stored_at: String,
    last_check: Option<LastCheck>,
) -> ProfileRecord {
    ProfileRecord {
        kind: credential.kind(),
        service_user_id: credential.service_user_id().map(str::to_string),
        api_url,
        store: StoreChoice::Vault,
        token_hint: credential.token_hint(),
        stored_at,
        rotated_at: None,
        last_check,
    }
}

/// Whether two credentials are the same service user (or both API tokens).
pub fn same_holder(a: &Credential, b: &Credential) -> bool {
    a.kind() == b.kind() && a.service_user_id() == b.service_user_id()
}

/// Whether two credentials hold the same token (the entry keeps the whole token, so this is exact).
pub fn same_token(a: &Credential, b: &Credential) -> bool {
    a.token().expose_secret() == b.token().expose_secret()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(data: Value) -> ReadEntry {
        ReadEntry {
            data: data.as_object().unwrap().clone(),
            version: 3,
            created_time: "2026-01-02T03:04:05Z".to_string(),
        }
    }

    #[test]
    fn a_service_user_round_trips_through_its_data() {
        let credential = Credential::ServiceUser {
            id: "SERVICE-1".into(),
            token: SecretString::from("token-value-long-enough-1234"),
        };
        let entry = parse(read(data(&credential, "https://api.hibob.com"))).unwrap();
        assert_eq!(entry.credential.service_user_id(), Some("SERVICE-1"));
        assert_eq!(
            entry.credential.token().expose_secret(),
            credential.token().expose_secret()
        );
        assert_eq!(entry.record.api_url, "https://api.hibob.com");
        assert_eq!(entry.record.store, StoreChoice::Vault);
        assert_eq!(entry.record.token_hint.as_deref(), Some("…1234"));
    }

    #[test]
    fn an_incomplete_entry_says_what_is_missing_and_not_the_token() {
        let err = parse(read(serde_json::json!({"kind": "service-user", "api_url": "https://x", "token": "secret-value"})))
            .err()
            .unwrap();
        assert!(err.contains("service_user_id"), "{err}");
        assert!(!err.contains("secret-value"), "{err}");
        let err = parse(read(
            serde_json::json!({"kind": "x", "api_url": "https://x", "token": "t"}),
        ))
        .err()
        .unwrap();
        assert!(err.contains("'x'"), "{err}");
    }
}
