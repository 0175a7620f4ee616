//! What a store keeps about a profile besides its secret: the record. It holds no secret (at most a hint
//! of the token's last four characters) and nothing of the HiBob client's types: a check's outcome is
//! kept in the store's own terms, and converting a check's report into them happens outside the store.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::credential::CredentialKind;
use crate::store::StoreChoice;

/// What is known about a stored credential, without the credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileRecord {
    pub kind: CredentialKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_user_id: Option<String>,
    /// The API this credential belongs to (production, sandbox, ...): later checks use it. Validated
    /// where it is used (the file may have been edited by hand).
    pub api_url: String,
    /// Which store holds the secret.
    pub store: StoreChoice,
    /// At most the last four characters of the token, e.g. `…a1b2`; none for short tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_hint: Option<String>,
    /// When this credential (this service user, or this API token) was first stored in the profile
    /// (RFC 3339, UTC). Storing the same token again keeps it; so does a rotation.
    pub stored_at: String,
    /// When its token was last replaced by a new one for the same service user (a rotation), if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_check: Option<LastCheck>,
}

impl ProfileRecord {
    /// Whether both records describe the same stored credential (the same save), whatever was checked since.
    pub fn same_credential(&self, other: &ProfileRecord) -> bool {
        self.kind == other.kind
            && self.service_user_id == other.service_user_id
            && self.token_hint == other.token_hint
            && self.store == other.store
            && self.stored_at == other.stored_at
            && self.rotated_at == other.rotated_at
    }

    /// When the token in use was made part of this profile: its last rotation, else its first store. A
    /// security policy's "reset every N days" counts from here.
    pub fn token_since(&self) -> &str {
        self.rotated_at.as_deref().unwrap_or(&self.stored_at)
    }
}

/// The outcome of the last live check of a profile's credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastCheck {
    pub checked_at: String,
    pub verdict: CheckVerdict,
    pub api_url: String,
    #[serde(default)]
    pub scopes: Vec<ScopeRecord>,
}

/// A check's overall verdict as records keep it. The names are the check's own (`ok`, `limited`, ...),
/// so a record reads the same as the check's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckVerdict {
    Ok,
    Limited,
    Blocked,
    Rejected,
    Unverifiable,
}

/// One scope's status at the last check, by the scope's exact name and the status's name as the check's
/// JSON spells it (`granted`, `missing`, `not_checked`, ...). Kept for people and scripts reading the
/// record; nothing decides on it, so the store keeps it as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeRecord {
    pub scope: String,
    pub status: String,
}

/// A time as RFC 3339 in UTC, to the second, as records keep it.
pub fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

#[cfg(test)]
impl ProfileRecord {
    /// A service user's record against `api_url`, never checked: tests change what they need.
    pub(crate) fn example(api_url: &str) -> ProfileRecord {
        ProfileRecord {
            kind: CredentialKind::ServiceUser,
            service_user_id: Some("SERVICE-1".to_string()),
            api_url: api_url.to_string(),
            store: StoreChoice::Native,
            token_hint: None,
            stored_at: "2026-01-01T00:00:00Z".to_string(),
            rotated_at: None,
            last_check: None,
        }
    }
}
