//! Why the Vault store could not be used, said for people: what happened and what to do next. Each is a
//! store failure (exit 4): none of them says anything about the HiBob credential kept there.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A Vault failure. Holds addresses, paths and the server's own words, never a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "failure", rename_all = "snake_case")]
pub enum VaultFailure {
    NoAddress,
    BadAddress {
        var: String,
        value: String,
        reason: String,
    },
    BadPath {
        path: String,
    },
    /// No token in the variables, and none in the token file `file`.
    NoToken {
        file: String,
    },
    /// No token in the variables, and no home directory for the default token file.
    NoTokenNoHome,
    TokenFile {
        path: String,
        detail: String,
    },
    TlsSettings {
        var: String,
        detail: String,
    },
    Unreachable {
        address: String,
        detail: String,
    },
    Timeout {
        address: String,
        seconds: u64,
    },
    Untrusted {
        address: String,
        detail: String,
    },
    Sealed {
        address: String,
    },
    NamespaceNotFound {
        address: String,
        namespace: String,
    },
    TokenRejected {
        address: String,
    },
    NoMount {
        address: String,
        path: String,
    },
    KvVersion1 {
        address: String,
        mount: String,
    },
    NotKv {
        address: String,
        mount: String,
        kind: String,
    },
    Denied {
        action: String,
        capability: String,
        path: String,
    },
    Conflict {
        profile: String,
        path: String,
    },
    BadEntry {
        path: String,
        detail: String,
    },
    Unexpected {
        address: String,
        action: String,
        status: u16,
        detail: String,
    },
}

/// Every failure's two halves, from `assets/vault_failures.toml`, keyed by the failure's name in
/// snake case (`Unreachable` is `unreachable`).
const FAILURE_TEXTS: &str = include_str!("../../../assets/vault_failures.toml");

#[derive(Deserialize)]
struct Said {
    what: String,
    fix: String,
}

fn texts() -> &'static BTreeMap<String, Said> {
    static TEXTS: OnceLock<BTreeMap<String, Said>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        toml::from_str(FAILURE_TEXTS)
            .expect("assets/vault_failures.toml is valid (a unit test reads it)")
    })
}

impl VaultFailure {
    /// What happened, and what to do about it: the failure's texts with its fields put in.
    fn what_and_fix(&self) -> (String, String) {
        let fields =
            serde_json::to_value(self).expect("a failure's fields are strings and numbers");
        let name = fields["failure"].as_str().unwrap_or_default();
        match texts().get(name) {
            Some(said) => (fill(&said.what, &fields), fill(&said.fix, &fields)),
            // Unreachable while the unit test holds: every failure has its texts.
            None => (name.replace('_', " "), "try again.".to_string()),
        }
    }
}

/// `template` with each `{field}` replaced by that field of `fields`.
fn fill(template: &str, fields: &Value) -> String {
    let mut text = template.to_string();
    if let Value::Object(fields) = fields {
        for (name, value) in fields {
            let value = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            text = text.replace(&format!("{{{name}}}"), &value);
        }
    }
    text
}

impl fmt::Display for VaultFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, fix) = self.what_and_fix();
        write!(f, "{what}.\nTo fix: {fix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_failure_says_how_to_fix_it_and_never_blames_the_credential() {
        let address = "https://v".to_string();
        let failures = [
            VaultFailure::NoAddress,
            VaultFailure::NoTokenNoHome,
            VaultFailure::Sealed {
                address: address.clone(),
            },
            VaultFailure::Conflict {
                profile: "p".into(),
                path: "secret/hibob-auth/p".into(),
            },
            VaultFailure::KvVersion1 {
                address: address.clone(),
                mount: "kv".into(),
            },
            VaultFailure::Denied {
                action: "store profiles".into(),
                capability: "create".into(),
                path: "secret/data/hibob-auth/p".into(),
            },
        ];
        for failure in failures {
            let text = failure.to_string();
            assert!(text.contains("To fix:"), "{text}");
            assert!(!text.contains("rejected"), "{text}");
            assert!(!text.contains("HiBob"), "{text}");
        }
    }

    /// One of every failure, with fields whose names show where they land.
    fn one_of_each() -> Vec<VaultFailure> {
        let text = |name: &str| format!("<{name}>");
        vec![
            VaultFailure::NoAddress,
            VaultFailure::BadAddress {
                var: text("var"),
                value: text("value"),
                reason: text("reason"),
            },
            VaultFailure::BadPath { path: text("path") },
            VaultFailure::NoToken { file: text("file") },
            VaultFailure::NoTokenNoHome,
            VaultFailure::TokenFile {
                path: text("path"),
                detail: text("detail"),
            },
            VaultFailure::TlsSettings {
                var: text("var"),
                detail: text("detail"),
            },
            VaultFailure::Unreachable {
                address: text("address"),
                detail: text("detail"),
            },
            VaultFailure::Timeout {
                address: text("address"),
                seconds: 7,
            },
            VaultFailure::Untrusted {
                address: text("address"),
                detail: text("detail"),
            },
            VaultFailure::Sealed {
                address: text("address"),
            },
            VaultFailure::NamespaceNotFound {
                address: text("address"),
                namespace: text("namespace"),
            },
            VaultFailure::TokenRejected {
                address: text("address"),
            },
            VaultFailure::NoMount {
                address: text("address"),
                path: text("path"),
            },
            VaultFailure::KvVersion1 {
                address: text("address"),
                mount: text("mount"),
            },
            VaultFailure::NotKv {
                address: text("address"),
                mount: text("mount"),
                kind: text("kind"),
            },
            VaultFailure::Denied {
                action: text("action"),
                capability: text("capability"),
                path: text("path"),
            },
            VaultFailure::Conflict {
                profile: text("profile"),
                path: text("path"),
            },
            VaultFailure::BadEntry {
                path: text("path"),
                detail: text("detail"),
            },
            VaultFailure::Unexpected {
                address: text("address"),
                action: text("action"),
                status: 502,
                detail: text("detail"),
            },
        ]
    }

    #[test]
    fn every_failure_has_its_texts_and_every_field_is_put_in() {
        let failures = one_of_each();
        let mut named = Vec::new();
        for failure in &failures {
            let name = serde_json::to_value(failure).unwrap()["failure"]
                .as_str()
                .unwrap()
                .to_string();
            assert!(
                texts().contains_key(&name),
                "assets/vault_failures.toml has no [{name}]"
            );
            let text = failure.to_string();
            assert!(
                !text.contains('{') && !text.contains('}'),
                "a field was not put in: {text}"
            );
            let (what, fix) = failure.what_and_fix();
            assert_eq!(text, format!("{what}.\nTo fix: {fix}"));
            named.push(name);
        }
        // No text is left over from a failure that no longer exists.
        let listed: Vec<&String> = texts().keys().collect();
        named.sort();
        assert_eq!(listed, named.iter().collect::<Vec<_>>());
        // Numbers and quotes come through as written.
        let timeout = &failures[8];
        assert!(
            timeout
                .to_string()
                .starts_with("Vault at <address> did not answer within 7 s.\n")
        );
        assert_eq!(
            failures[16].to_string(),
            "permission denied: this Vault token may not <action> (<capability> on <path>).\nTo fix: ask your \
             Vault admin for a policy granting \"<capability>\" on <path>, or use a token that has it."
        );
    }
}
