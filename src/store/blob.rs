//! The bytes kept in a keyring entry: the whole credential (kind, service-user ID, token) as JSON.
//!
//! Keeping the kind and ID next to the token means the keyring alone is enough to use a credential; the
//! profile record only describes it. Every buffer that holds the token is zeroized when dropped.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
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
    /// The token's JSON text, borrowed from the (zeroizing) input and unescaped by [`json_string`]:
    /// serde_json would unescape it through its own scratch buffer, which is freed without being wiped.
    #[serde(borrow)]
    token: &'a RawValue,
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
    let token = json_string(blob.token.get()).ok_or(BlobError::NotJson)?;
    let token = SecretString::from(token.as_str());
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

/// The text of a JSON string literal (quotes included in `raw`), unescaped into one wiped buffer that
/// never grows: an escape is never shorter than what it stands for. `None` when `raw` is not a string.
fn json_string(raw: &str) -> Option<Zeroizing<String>> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut text = Zeroizing::new(String::with_capacity(inner.len()));
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        let unescaped = match chars.next()? {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let unit = hex4(&mut chars)?;
                if (0xD800..0xDC00).contains(&unit) {
                    // A surrogate pair: the low half must follow as another \u escape.
                    if chars.next()? != '\\' || chars.next()? != 'u' {
                        return None;
                    }
                    let low = hex4(&mut chars)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?
                } else {
                    char::from_u32(unit)?
                }
            }
            _ => return None,
        };
        text.push(unescaped);
    }
    Some(text)
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let mut value = 0;
    for _ in 0..4 {
        value = value * 16 + chars.next()?.to_digit(16)?;
    }
    Some(value)
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
    fn every_json_escape_in_a_stored_token_is_read_back() {
        let stored = br#"{"v":1,"kind":"api-token","token":"a\"b\\c\/d\u0041\ud83d\ude00\t"}"#;
        let back = decode(stored).unwrap();
        assert_eq!(back.token().expose_secret(), "a\"b\\c/dA\u{1F600}\t");
    }

    #[test]
    fn a_token_that_is_not_a_json_string_is_refused() {
        for stored in [
            &br#"{"v":1,"kind":"api-token","token":42}"#[..],
            br#"{"v":1,"kind":"api-token","token":"\ud83d"}"#,
            br#"{"v":1,"kind":"api-token","token":"\q"}"#,
        ] {
            assert!(
                decode(stored).is_err(),
                "{}",
                String::from_utf8_lossy(stored)
            );
        }
    }

    #[test]
    fn errors_never_show_the_stored_bytes() {
        let err = decode(br#"{"v":1,"kind":"nonsense","token":"secret-value-123"}"#).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("secret-value-123"));
    }
}
