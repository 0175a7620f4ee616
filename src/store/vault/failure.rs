//! Why the Vault store could not be used, said for people: what happened and what to do next. Each is a
//! store failure (exit 4): none of them says anything about the HiBob credential kept there.

use std::fmt;

/// A Vault failure. Holds addresses, paths and the server's own words, never a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
    NoToken {
        file: Option<String>,
    },
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

impl VaultFailure {
    /// What happened, and what to do about it: the two halves of every message.
    fn what_and_fix(&self) -> (String, String) {
        match self {
            Self::NoAddress => (
                "no Vault server is set".into(),
                "set BAO_ADDR (or VAULT_ADDR) to the server's address, e.g. https://vault.example.com:8200, or choose another store with --store.".into(),
            ),
            Self::BadAddress { var, value, reason } => (
                format!("{var}={value} is not a Vault address hibob-auth can use: {reason}"),
                format!("set {var} to https://HOST:PORT (http:// only to this machine)."),
            ),
            Self::BadPath { path } => (
                format!("'{path}' is not a Vault path hibob-auth can use"),
                "pass --vault-path MOUNT/PREFIX (or set HIBOB_AUTH_VAULT_PATH), e.g. secret/hibob-auth; letters, digits, '-', '_' and '.' between the slashes.".into(),
            ),
            Self::NoToken { file } => (
                match file {
                    Some(file) => format!("no Vault token was found: BAO_TOKEN and VAULT_TOKEN are not set and there is no token file at {file}"),
                    None => "no Vault token was found: BAO_TOKEN and VAULT_TOKEN are not set and there is no home directory for the token file ~/.vault-token".into(),
                },
                "log in with `bao login` (or `vault login`), which writes the token file, or set BAO_TOKEN (or VAULT_TOKEN); BAO_TOKEN_PATH (or VAULT_TOKEN_PATH) names another token file.".into(),
            ),
            Self::TokenFile { path, detail } => (
                format!("the Vault token file {path} could not be read ({detail})"),
                "make it readable, or set BAO_TOKEN (or VAULT_TOKEN).".into(),
            ),
            Self::TlsSettings { var, detail } => (
                format!("the TLS settings for Vault cannot be used: {detail}"),
                format!("point {var} at a readable PEM file (or directory), or unset it."),
            ),
            Self::Unreachable { address, detail } => (
                format!("Vault at {address} could not be reached ({detail})"),
                "check BAO_ADDR (or VAULT_ADDR), that the server is running and that this machine can reach it.".into(),
            ),
            Self::Timeout { address, seconds } => (
                format!("Vault at {address} did not answer within {seconds} s"),
                "check that the server is running and reachable, or give it longer with --timeout.".into(),
            ),
            Self::Untrusted { address, detail } => (
                format!("the certificate of Vault at {address} is not trusted ({detail})"),
                "set BAO_CACERT (or VAULT_CACERT) to the CA certificate that signed it (PEM), or BAO_CAPATH (or VAULT_CAPATH) to a directory of them.".into(),
            ),
            Self::Sealed { address } => (
                format!("Vault at {address} is sealed"),
                "ask a Vault operator to unseal it (`bao operator unseal`), then try again.".into(),
            ),
            Self::NamespaceNotFound { address, namespace } => (
                format!("Vault at {address} has no namespace '{namespace}'"),
                "check BAO_NAMESPACE (or VAULT_NAMESPACE), or unset it to use the root namespace.".into(),
            ),
            Self::TokenRejected { address } => (
                format!("Vault at {address} did not accept the token (expired, revoked, or from another server or namespace)"),
                "log in again with `bao login` (or `vault login`), or set BAO_TOKEN (or VAULT_TOKEN) to a valid token.".into(),
            ),
            Self::NoMount { address, path } => (
                format!("Vault at {address} has no secrets engine at '{path}' that this token may use: either nothing is mounted there, or the token's policies grant nothing under it"),
                "check the path (--vault-path or HIBOB_AUTH_VAULT_PATH; `bao secrets list` shows the mounts), or ask your Vault admin for a policy on it.".into(),
            ),
            Self::KvVersion1 { address, mount } => (
                format!("'{mount}' on Vault at {address} is a KV version 1 mount, which keeps no versions, so hibob-auth could not make its writes check-and-set (a login racing another would overwrite it silently)"),
                format!("upgrade the mount with `bao kv enable-versioning {mount}` (or `vault kv enable-versioning {mount}`), or choose a KV version 2 mount with --vault-path."),
            ),
            Self::NotKv { address, mount, kind } => (
                format!("'{mount}' on Vault at {address} is a '{kind}' secrets engine, not a KV store"),
                "choose a KV version 2 mount with --vault-path (or HIBOB_AUTH_VAULT_PATH).".into(),
            ),
            Self::Denied { action, capability, path } => (
                format!("permission denied: this Vault token may not {action} ({capability} on {path})"),
                format!("ask your Vault admin for a policy granting \"{capability}\" on {path}, or use a token that has it."),
            ),
            Self::Conflict { profile, path } => (
                format!("someone else changed profile '{profile}' in Vault ({path}) while this ran, so nothing was written"),
                "re-run to see the new state, then try again.".into(),
            ),
            Self::BadEntry { path, detail } => (
                format!("the Vault entry {path} is not a hibob-auth profile ({detail})"),
                "store it again with `hibob-auth --store vault login`, or fix its data keys: kind, service_user_id, api_url, token.".into(),
            ),
            Self::Unexpected { address, action, status, detail } => (
                format!("Vault at {address} answered {status} to {action} ({detail})"),
                "check the server's health (`bao status`) and try again.".into(),
            ),
        }
    }
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
            VaultFailure::NoToken { file: None },
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
}
