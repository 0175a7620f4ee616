//! The two kinds of HiBob credential and the `Authorization` header each one sends.

use std::fmt;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::secret::{ExposeSecret, SecretString, masked, token_hint};

/// Which kind of credential: HiBob's current service users, or the retired API access tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialKind {
    /// Service user: an ID (normally `SERVICE-…`) and a token, sent as HTTP Basic.
    ServiceUser,
    /// API access token: the documented StackOne flow. HiBob stopped creating these on 2024-06-15 and accepting them on 2025-05-06.
    ApiToken,
}

impl CredentialKind {
    /// The stable identifier used in JSON, flags and profile files.
    pub fn id(self) -> &'static str {
        match self {
            CredentialKind::ServiceUser => "service-user",
            CredentialKind::ApiToken => "api-token",
        }
    }

    /// How the kind is named to people.
    pub fn label(self) -> &'static str {
        match self {
            CredentialKind::ServiceUser => "service user",
            CredentialKind::ApiToken => "API access token",
        }
    }
}

impl fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The scheme of a service user's `Authorization` value.
const BASIC: &str = "Basic ";

/// A HiBob credential. Its `Debug` never shows the token.
#[derive(Clone)]
pub enum Credential {
    ServiceUser { id: String, token: SecretString },
    ApiToken { token: SecretString },
}

impl Credential {
    pub fn kind(&self) -> CredentialKind {
        match self {
            Credential::ServiceUser { .. } => CredentialKind::ServiceUser,
            Credential::ApiToken { .. } => CredentialKind::ApiToken,
        }
    }

    pub fn token(&self) -> &SecretString {
        match self {
            Credential::ServiceUser { token, .. } | Credential::ApiToken { token } => token,
        }
    }

    /// The service-user ID, when there is one. Not a secret: HiBob shows it in the admin UI.
    pub fn service_user_id(&self) -> Option<&str> {
        match self {
            Credential::ServiceUser { id, .. } => Some(id),
            Credential::ApiToken { .. } => None,
        }
    }

    /// The value of the `Authorization` header: `Basic base64(ID:TOKEN)` for a service user,
    /// the bare token for an API access token (HiBob's API tokens used no scheme).
    pub fn authorization(&self) -> SecretString {
        match self {
            Credential::ServiceUser { id, token } => {
                // Every buffer is sized exactly up front: a buffer that grows is moved, and the old block
                // is freed still holding the secret. The pair is wiped; the header becomes the secret.
                let token = token.expose_secret();
                let mut pair =
                    zeroize::Zeroizing::new(String::with_capacity(id.len() + 1 + token.len()));
                pair.push_str(id);
                pair.push(':');
                pair.push_str(token);
                let encoded_len = base64::encoded_len(pair.len(), true)
                    .expect("a validated credential is far too short to overflow");
                let mut header = String::with_capacity(BASIC.len() + encoded_len);
                header.push_str(BASIC);
                base64::engine::general_purpose::STANDARD
                    .encode_string(pair.as_bytes(), &mut header);
                // Full to capacity, so turning it into the secret's boxed str does not reallocate.
                SecretString::from(header)
            }
            Credential::ApiToken { token } => token.clone(),
        }
    }

    /// At most the last four characters of the token, for people to tell credentials apart.
    pub fn token_hint(&self) -> Option<String> {
        token_hint(self.token())
    }

    /// How the credential is named to people, by the wizard and the report alike: the service-user ID
    /// and the masked token, e.g. `SERVICE-123, token ••••a1b2`.
    pub fn identity(&self) -> String {
        match self.service_user_id() {
            Some(id) => format!("{id}, token {}", masked(self.token())),
            None => format!("token {}", masked(self.token())),
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::ServiceUser { id, .. } => f
                .debug_struct("ServiceUser")
                .field("id", id)
                .field("token", &"[REDACTED]")
                .finish(),
            Credential::ApiToken { .. } => f
                .debug_struct("ApiToken")
                .field("token", &"[REDACTED]")
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_sends_its_own_authorization() {
        let service_user = Credential::ServiceUser {
            id: "SERVICE-123".into(),
            token: SecretString::from("tok"),
        };
        let api_token = Credential::ApiToken {
            token: SecretString::from("abc"),
        };
        // base64("SERVICE-123:tok") as HTTP Basic; the API token bare.
        for (credential, header) in [
            (service_user, "Basic U0VSVklDRS0xMjM6dG9r"),
            (api_token, "abc"),
        ] {
            assert_eq!(credential.authorization().expose_secret(), header);
        }
    }

    #[test]
    fn identity_names_the_id_and_masks_the_token() {
        let service_user = Credential::ServiceUser {
            id: "SERVICE-1".into(),
            token: SecretString::from("0123456789abcdef-wxyz"),
        };
        assert_eq!(service_user.identity(), "SERVICE-1, token ••••wxyz");
        let api_token = Credential::ApiToken {
            token: SecretString::from("short"),
        };
        assert_eq!(api_token.identity(), "token ••••");
    }

    #[test]
    fn debug_hides_token() {
        let credential = Credential::ServiceUser {
            id: "SERVICE-1".into(),
            token: SecretString::from("very-secret-value"),
        };
        let shown = format!("{credential:?}");
        assert!(shown.contains("SERVICE-1"));
        assert!(!shown.contains("very-secret-value"));
    }
}
