//! Why the Vault store could not be used, said for people: what happened and what to do next. Each is a
//! store failure (exit 4): none of them says anything about the HiBob credential kept there.

/// A Vault failure. Holds addresses, paths and the server's own words, never a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultFailure {
    #[error(
        "no Vault server is set.\nTo fix: set BAO_ADDR (or VAULT_ADDR) to the server's address, e.g. https://vault.example.com:8200, or choose another store with --store."
    )]
    NoAddress,
    #[error(
        "{var}={value} is not a Vault address hibob-auth can use: {reason}.\nTo fix: set {var} to https://HOST:PORT (http:// only to this machine)."
    )]
    BadAddress {
        var: String,
        value: String,
        reason: String,
    },
    #[error(
        "'{path}' is not a Vault path hibob-auth can use.\nTo fix: pass --vault-path MOUNT/PREFIX (or set HIBOB_AUTH_VAULT_PATH), e.g. secret/hibob-auth; letters, digits, '-', '_' and '.' between the slashes."
    )]
    BadPath { path: String },
    #[error(
        "no Vault token was found: BAO_TOKEN and VAULT_TOKEN are not set{}.\nTo fix: log in with `bao login` (or `vault login`), which writes the token file, or set BAO_TOKEN (or VAULT_TOKEN); BAO_TOKEN_PATH (or VAULT_TOKEN_PATH) names another token file.",
        file.as_ref().map(|file| format!(" and there is no token file at {file}")).unwrap_or_else(|| " and there is no home directory for the token file ~/.vault-token".to_string())
    )]
    NoToken { file: Option<String> },
    #[error(
        "the Vault token file {path} could not be read ({detail}).\nTo fix: make it readable, or set BAO_TOKEN (or VAULT_TOKEN)."
    )]
    TokenFile { path: String, detail: String },
    #[error(
        "the TLS settings for Vault cannot be used: {detail}.\nTo fix: point {var} at a readable PEM file (or directory), or unset it."
    )]
    TlsSettings { var: String, detail: String },
    #[error(
        "Vault at {address} could not be reached ({detail}).\nTo fix: check BAO_ADDR (or VAULT_ADDR), that the server is running and that this machine can reach it."
    )]
    Unreachable { address: String, detail: String },
    #[error(
        "Vault at {address} did not answer within {seconds} s.\nTo fix: check that the server is running and reachable, or give it longer with --timeout."
    )]
    Timeout { address: String, seconds: u64 },
    #[error(
        "the certificate of Vault at {address} is not trusted ({detail}).\nTo fix: set BAO_CACERT (or VAULT_CACERT) to the CA certificate that signed it (PEM), or BAO_CAPATH (or VAULT_CAPATH) to a directory of them."
    )]
    Untrusted { address: String, detail: String },
    #[error(
        "Vault at {address} is sealed.\nTo fix: ask a Vault operator to unseal it (`bao operator unseal`), then try again."
    )]
    Sealed { address: String },
    #[error(
        "Vault at {address} has no namespace '{namespace}'.\nTo fix: check BAO_NAMESPACE (or VAULT_NAMESPACE), or unset it to use the root namespace."
    )]
    NamespaceNotFound { address: String, namespace: String },
    #[error(
        "Vault at {address} did not accept the token (expired, revoked, or from another server or namespace).\nTo fix: log in again with `bao login` (or `vault login`), or set BAO_TOKEN (or VAULT_TOKEN) to a valid token."
    )]
    TokenRejected { address: String },
    #[error(
        "Vault at {address} has no secrets engine at '{path}' that this token may use: either nothing is mounted there, or the token's policies grant nothing under it.\nTo fix: check the path (--vault-path or HIBOB_AUTH_VAULT_PATH; `bao secrets list` shows the mounts), or ask your Vault admin for a policy on it."
    )]
    NoMount { address: String, path: String },
    #[error(
        "'{mount}' on Vault at {address} is a KV version 1 mount, which keeps no versions, so hibob-auth could not make its writes check-and-set (a login racing another would overwrite it silently).\nTo fix: upgrade the mount with `bao kv enable-versioning {mount}` (or `vault kv enable-versioning {mount}`), or choose a KV version 2 mount with --vault-path."
    )]
    KvVersion1 { address: String, mount: String },
    #[error(
        "'{mount}' on Vault at {address} is a '{kind}' secrets engine, not a KV store.\nTo fix: choose a KV version 2 mount with --vault-path (or HIBOB_AUTH_VAULT_PATH)."
    )]
    NotKv {
        address: String,
        mount: String,
        kind: String,
    },
    #[error(
        "permission denied: this Vault token may not {action} ({capability} on {path}).\nTo fix: ask your Vault admin for a policy granting \"{capability}\" on {path}, or use a token that has it."
    )]
    Denied {
        action: String,
        capability: String,
        path: String,
    },
    #[error(
        "someone else changed profile '{profile}' in Vault ({path}) while this ran, so nothing was written.\nTo fix: re-run to see the new state, then try again."
    )]
    Conflict { profile: String, path: String },
    #[error(
        "the Vault entry {path} is not a hibob-auth profile ({detail}).\nTo fix: store it again with `hibob-auth --store vault login`, or fix its data keys: kind, service_user_id, api_url, token."
    )]
    BadEntry { path: String, detail: String },
    #[error(
        "Vault at {address} answered {status} to {action} ({detail}).\nTo fix: check the server's health (`bao status`) and try again."
    )]
    Unexpected {
        address: String,
        action: String,
        status: u16,
        detail: String,
    },
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
