//! The bytes kept in a keyring entry: the whole credential (kind, service-user ID, token) as JSON.
//!
//! Keeping the kind and ID next to the token means the keyring alone is enough to use a credential; the
//! profile record only describes it. Every buffer that holds the token is zeroized when dropped.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::credential::{Credential, CredentialKind};
use crate::secret::{ExposeSecret, SecretString};

/// The layout version, so a later layout can be told apart instead of misread.
const VERSION: u8 = 1;

#[derive(Serialize)]
struct BlobOut<'a> {
    v: u8,
    kind: CredentialKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    token: &'a str,
}

#[derive(Deserialize)]
struct BlobIn<'a> {
    v: u8,
    kind: CredentialKind,
    #[serde(default)]
    id: Option<String>,
    /// Borrowed from the (zeroizing) input whenever the JSON needs no unescaping.
    #[serde(borrow)]
    token: Cow<'a, str>,
}

/// Why stored bytes are not a credential. Never contains the bytes.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
pub enum BlobError {
    #[error("the stored value is not the JSON hibob-auth writes")]
    NotJson,
    #[error(
        "the stored value has layout version {0}, which this version of hibob-auth does not know"
    )]
    UnknownVersion(u8),
    #[error("the stored service-user credential has no ID")]
    MissingId,
    #[error("the stored token is empty")]
    EmptyToken,
}

impl fmt::Debug for BlobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Serialize a credential for the keyring. The buffer is wiped when dropped.
pub fn encode(credential: &Credential) -> Zeroizing<Vec<u8>> {
    let token = credential.token().expose_secret();
    let id = credential.service_user_id();
    // Reserve enough up front that the buffer never reallocates (a reallocation would leave a copy of the
    // token behind in freed memory): JSON escaping at most doubles these validated, control-free values.
    let capacity = 64 + 2 * token.len() + 2 * id.map_or(0, str::len);
    let mut buffer = Zeroizing::new(Vec::with_capacity(capacity));
    let blob = BlobOut {
        v: VERSION,
        kind: credential.kind(),
        id,
        token,
    };
    serde_json::to_writer(&mut *buffer, &blob).expect("writing JSON to memory cannot fail");
    buffer
}

/// Parse what [`encode`] wrote. `bytes` is the caller's zeroizing buffer; no other copy of the token survives.
pub fn decode(bytes: &[u8]) -> Result<Credential, BlobError> {
    let blob: BlobIn<'_> = serde_json::from_slice(bytes).map_err(|_| BlobError::NotJson)?;
    if blob.v != VERSION {
        return Err(BlobError::UnknownVersion(blob.v));
    }
    let token = match blob.token {
        Cow::Borrowed(text) => SecretString::from(text),
        Cow::Owned(text) => {
            let text = Zeroizing::new(text);
            SecretString::from(text.as_str())
        }
    };
    if token.expose_secret().is_empty() {
        return Err(BlobError::EmptyToken);
    }
    match blob.kind {
        CredentialKind::ServiceUser => match blob.id {
            Some(id) if !id.is_empty() => Ok(Credential::ServiceUser { id, token }),
            _ => Err(BlobError::MissingId),
        },
        CredentialKind::ApiToken => Ok(Credential::ApiToken { token }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service_user() -> Credential {
        Credential::ServiceUser {
            id: "SERVICE-42".into(),
            token: SecretString::from("tok-with-\"quote\"-and-\\-in-it"),
        }
    }

    #[test]
    fn service_user_round_trips() {
        let bytes = encode(&service_user());
        let back = decode(&bytes).unwrap();
        assert_eq!(back.kind(), CredentialKind::ServiceUser);
        assert_eq!(back.service_user_id(), Some("SERVICE-42"));
        assert_eq!(
            back.token().expose_secret(),
            "tok-with-\"quote\"-and-\\-in-it"
        );
    }

    #[test]
    fn api_token_round_trips_without_an_id() {
        let credential = Credential::ApiToken {
            token: SecretString::from("abcdef0123456789"),
        };
        let bytes = encode(&credential);
        let text = std::str::from_utf8(&bytes).unwrap();
        assert_eq!(
            text,
            r#"{"v":1,"kind":"api-token","token":"abcdef0123456789"}"#
        );
        let back = decode(&bytes).unwrap();
        assert_eq!(back.kind(), CredentialKind::ApiToken);
        assert_eq!(back.token().expose_secret(), "abcdef0123456789");
    }

    #[test]
    fn encoding_never_reallocates() {
        let credential = service_user();
        let bytes = encode(&credential);
        assert!(bytes.len() <= bytes.capacity());
        let expected_capacity = 64 + 2 * credential.token().expose_secret().len() + 2 * 10;
        assert_eq!(bytes.capacity(), expected_capacity);
    }

    #[test]
    fn refuses_what_it_did_not_write() {
        assert_eq!(decode(b"plain token").unwrap_err(), BlobError::NotJson);
        assert_eq!(
            decode(br#"{"v":2,"kind":"api-token","token":"x"}"#).unwrap_err(),
            BlobError::UnknownVersion(2)
        );
        assert_eq!(
            decode(br#"{"v":1,"kind":"service-user","token":"x"}"#).unwrap_err(),
            BlobError::MissingId
        );
        assert_eq!(
            decode(br#"{"v":1,"kind":"api-token","token":""}"#).unwrap_err(),
            BlobError::EmptyToken
        );
    }

    #[test]
    fn errors_never_show_the_stored_bytes() {
        let err = decode(br#"{"v":1,"kind":"nonsense","token":"secret-value-123"}"#).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("secret-value-123"));
    }
}
