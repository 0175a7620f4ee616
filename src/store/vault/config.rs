//! Which Vault (or OpenBao) server, as who, and where in it: read from the environment by the
//! conventions users already have. OpenBao's `BAO_*` variables first, then Vault's `VAULT_*`; the
//! token from the variable, else the token file (`BAO_TOKEN_PATH` / `VAULT_TOKEN_PATH`, else the
//! `~/.vault-token` both CLIs write at `login`).

use std::path::PathBuf;
use std::time::Duration;

use reqwest::Url;

use crate::net::env::first_set;
use crate::net::is_loopback_host;
use crate::secret::SecretString;
use crate::store::vault::failure::VaultFailure;

/// Where profiles go when no path is given: mount `secret` (the dev server's and many teams' KV v2
/// mount), prefix `hibob-auth`.
pub const DEFAULT_PATH: &str = "secret/hibob-auth";

/// The variable that names another path (the `--vault-path` flag's).
pub const PATH_ENV: &str = "HIBOB_AUTH_VAULT_PATH";

/// The variables that name the server, in the order they are read.
pub const ADDRESS_VARS: [&str; 2] = ["BAO_ADDR", "VAULT_ADDR"];

/// The two families of variables, in the order they are read.
const FAMILIES: [&str; 2] = ["BAO_", "VAULT_"];

/// The token file both CLIs write at `login`, in the home directory.
const TOKEN_FILE: &str = ".vault-token";

/// A variable's value and the name it was found under, to name in messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub var: String,
    pub value: String,
}

/// Everything needed to talk to the server. The token is a secret: redacted in `Debug`, never shown.
#[derive(Debug, Clone)]
pub struct VaultConfig {
    pub address: Url,
    pub token: SecretString,
    pub namespace: Option<String>,
    pub tls: TlsFiles,
    /// `MOUNT/PREFIX` as the user gave it; the mount is found with the server's mount lookup.
    pub path: String,
    /// The deadline of each request to the server.
    pub timeout: Duration,
}

/// The TLS settings of the Vault CLI.
#[derive(Debug, Clone, Default)]
pub struct TlsFiles {
    pub ca_cert: Option<Found>,
    pub ca_path: Option<Found>,
    pub client_cert: Option<Found>,
    pub client_key: Option<Found>,
    /// Set only by a variable a person set on purpose; said loudly on every use.
    pub skip_verify: Option<String>,
}

/// Reads variables through `lookup` (tests pass their own; the program passes the process's).
pub struct Environment<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
}

impl<'a> Environment<'a> {
    pub fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Environment { lookup }
    }

    /// `BAO_<suffix>`, else `VAULT_<suffix>`; an empty variable counts as unset.
    pub fn get(&self, suffix: &str) -> Option<Found> {
        let names = FAMILIES.map(|family| format!("{family}{suffix}"));
        first_set(self.lookup, names).map(|(var, value)| Found { var, value })
    }

    fn raw(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|value| !value.is_empty())
    }

    /// Whether a server address is set at all: the wizard offers Vault only then.
    pub fn has_address(&self) -> bool {
        self.get("ADDR").is_some()
    }
}

impl VaultConfig {
    /// The configuration the environment describes, with `path` (the flag's or its variable's) or the
    /// default. Nothing is sent anywhere.
    pub fn from_environment(
        env: &Environment<'_>,
        path: Option<&str>,
        timeout: Duration,
    ) -> Result<VaultConfig, VaultFailure> {
        let address = address(env)?;
        let token = token(env)?;
        let skip_verify = env
            .get("SKIP_VERIFY")
            .filter(|found| is_true(&found.value))
            .map(|found| found.var);
        Ok(VaultConfig {
            address,
            token,
            namespace: env
                .get("NAMESPACE")
                .map(|found| found.value.trim().trim_matches('/').to_string())
                .filter(|namespace| !namespace.is_empty()),
            tls: TlsFiles {
                ca_cert: env.get("CACERT"),
                ca_path: env.get("CAPATH"),
                client_cert: env.get("CLIENT_CERT"),
                client_key: env.get("CLIENT_KEY"),
                skip_verify,
            },
            path: normalize_path(path.unwrap_or(DEFAULT_PATH))?,
            timeout,
        })
    }
}

/// The server's address: https anywhere, http only to this machine (the token would otherwise cross the
/// network in clear text).
fn address(env: &Environment<'_>) -> Result<Url, VaultFailure> {
    let Some(found) = env.get("ADDR") else {
        return Err(VaultFailure::NoAddress);
    };
    let bad = |reason: &str| VaultFailure::BadAddress {
        var: found.var.clone(),
        value: found.value.clone(),
        reason: reason.to_string(),
    };
    let url = Url::parse(found.value.trim()).map_err(|err| bad(&err.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("it holds a user name or password"));
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if url.host_str().is_some_and(is_loopback_host) => Ok(url),
        "http" => Err(bad(
            "plain http is allowed only to this machine: the Vault token would cross the network unencrypted",
        )),
        _ => Err(bad("it must start with https://")),
    }
}

/// The token: the variable, else the token file.
fn token(env: &Environment<'_>) -> Result<SecretString, VaultFailure> {
    if let Some(found) = env.get("TOKEN") {
        let value = zeroize::Zeroizing::new(found.value);
        return Ok(SecretString::from(value.trim().to_string()));
    }
    let file = match env.get("TOKEN_PATH") {
        Some(found) => PathBuf::from(found.value),
        None => match env.raw("HOME").or_else(|| env.raw("USERPROFILE")) {
            Some(home) => PathBuf::from(home).join(TOKEN_FILE),
            None => return Err(VaultFailure::NoTokenNoHome),
        },
    };
    match std::fs::read(&file) {
        Ok(bytes) => {
            let bytes = zeroize::Zeroizing::new(bytes);
            let text = String::from_utf8_lossy(&bytes).trim().to_string();
            if text.is_empty() {
                Err(VaultFailure::NoToken {
                    file: file.display().to_string(),
                })
            } else {
                Ok(SecretString::from(text))
            }
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(VaultFailure::NoToken {
            file: file.display().to_string(),
        }),
        Err(err) => Err(VaultFailure::TokenFile {
            path: file.display().to_string(),
            detail: err.to_string(),
        }),
    }
}

/// `MOUNT/PREFIX` without stray slashes; at least the mount.
fn normalize_path(path: &str) -> Result<String, VaultFailure> {
    let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
    let valid = !parts.is_empty()
        && parts.iter().all(|part| {
            *part != "."
                && *part != ".."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        });
    if valid {
        Ok(parts.join("/"))
    } else {
        Err(VaultFailure::BadPath {
            path: path.to_string(),
        })
    }
}

/// Go's `strconv.ParseBool` trues, as the Vault CLI reads `VAULT_SKIP_VERIFY`.
fn is_true(value: &str) -> bool {
    matches!(value.trim(), "1" | "t" | "T" | "true" | "TRUE" | "True")
}

#[cfg(test)]
mod tests {
    use crate::net::env::fixed;

    use super::*;
    use crate::secret::ExposeSecret;

    fn config(vars: &[(&str, &str)]) -> Result<VaultConfig, VaultFailure> {
        let lookup = fixed(vars);
        VaultConfig::from_environment(&Environment::new(&lookup), None, Duration::from_secs(5))
    }

    #[test]
    fn openbao_variables_win_over_vault_ones() {
        let config = config(&[
            ("BAO_ADDR", "https://bao.example.com:8200"),
            ("VAULT_ADDR", "https://vault.example.com"),
            ("VAULT_TOKEN", "vault-token"),
            ("BAO_NAMESPACE", "/people-ops/"),
        ])
        .unwrap();
        assert_eq!(config.address.host_str(), Some("bao.example.com"));
        assert_eq!(config.token.expose_secret(), "vault-token");
        assert_eq!(config.namespace.as_deref(), Some("people-ops"));
        assert_eq!(config.path, DEFAULT_PATH);
    }

    #[test]
    fn the_token_file_is_read_when_no_token_variable_is_set() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".vault-token"), "from-file\n").unwrap();
        let home = dir.path().to_str().unwrap();
        let from_home = config(&[("VAULT_ADDR", "https://v.example.com"), ("HOME", home)]).unwrap();
        assert_eq!(from_home.token.expose_secret(), "from-file");
        let other = dir.path().join("other");
        std::fs::write(&other, "elsewhere").unwrap();
        let from_path = config(&[
            ("VAULT_ADDR", "https://v.example.com"),
            ("HOME", home),
            ("BAO_TOKEN_PATH", other.to_str().unwrap()),
        ])
        .unwrap();
        assert_eq!(from_path.token.expose_secret(), "elsewhere");
    }

    #[test]
    fn no_token_names_the_variables_and_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let err = config(&[
            ("BAO_ADDR", "https://v.example.com"),
            ("HOME", dir.path().to_str().unwrap()),
        ])
        .unwrap_err();
        let text = err.to_string();
        for name in ["BAO_TOKEN", "VAULT_TOKEN", ".vault-token", "To fix:"] {
            assert!(text.contains(name), "{text}");
        }
    }

    #[test]
    fn http_only_to_this_machine() {
        assert!(config(&[("BAO_ADDR", "http://127.0.0.1:8200"), ("BAO_TOKEN", "t")]).is_ok());
        let err =
            config(&[("BAO_ADDR", "http://vault.example.com"), ("BAO_TOKEN", "t")]).unwrap_err();
        assert!(err.to_string().contains("BAO_ADDR"), "{err}");
        assert!(matches!(err, VaultFailure::BadAddress { .. }));
        assert_eq!(
            config(&[("BAO_TOKEN", "t")]).unwrap_err(),
            VaultFailure::NoAddress
        );
    }

    #[test]
    fn paths_are_tidied_and_checked() {
        assert_eq!(
            normalize_path("/kv/people-ops/hibob/").unwrap(),
            "kv/people-ops/hibob"
        );
        assert!(normalize_path("kv/../sys").is_err());
        assert!(normalize_path("").is_err());
        assert!(normalize_path("kv/with space").is_err());
    }

    #[test]
    fn skip_verify_only_when_true() {
        let base = [("BAO_ADDR", "https://v.example.com"), ("BAO_TOKEN", "t")];
        let on = config(&[base[0], base[1], ("VAULT_SKIP_VERIFY", "true")]).unwrap();
        assert_eq!(on.tls.skip_verify.as_deref(), Some("VAULT_SKIP_VERIFY"));
        let off = config(&[base[0], base[1], ("VAULT_SKIP_VERIFY", "0")]).unwrap();
        assert_eq!(off.tls.skip_verify, None);
    }
}
