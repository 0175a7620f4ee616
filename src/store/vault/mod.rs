//! Profiles in HashiCorp Vault or OpenBao: one KV version 2 entry per profile, shared by a team and its
//! CI, with nothing of the credential on this machine's disk.
//!
//! - `config`: which server, token, namespace, TLS and path, from `BAO_*` / `VAULT_*`;
//! - `tls`: the TLS configuration those variables describe;
//! - `client`: the seven HTTP calls, over the project's reqwest;
//! - `failure`: every way it fails, said with its fix;
//! - `entry`: a profile as the entry's data;
//! - `profiles`: the [`crate::store::Profiles`] built on them.

mod client;
mod config;
mod entry;
mod failure;
mod profiles;
mod tls;

use std::sync::Arc;
use std::time::Duration;

pub use config::{ADDRESS_VARS, DEFAULT_PATH, PATH_ENV};
pub use failure::VaultFailure;
pub(crate) use profiles::{VaultProfiles, VaultStore};

use config::{Environment, VaultConfig};

/// Which Vault the program would use, read from the environment once: made by the program's wiring and
/// given to the opener ([`crate::store::Stores::with_vault`]).
#[derive(Clone)]
pub struct VaultSettings {
    pub(crate) store: Arc<VaultStore>,
    /// Whether a server address is set (the wizard offers Vault only then).
    pub(crate) address_set: bool,
}

impl VaultSettings {
    /// From the process's environment, with `path` (`--vault-path` / `HIBOB_AUTH_VAULT_PATH`, else the
    /// default `secret/hibob-auth`); `timeout` bounds each request to the server.
    pub fn from_env(path: Option<&str>, timeout: Duration) -> VaultSettings {
        VaultSettings::from_lookup(|name| std::env::var(name).ok(), path, timeout)
    }

    /// As [`VaultSettings::from_env`], with the variables read through `lookup` (tests inject them).
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
        path: Option<&str>,
        timeout: Duration,
    ) -> VaultSettings {
        let address_set = Environment::new(&lookup).has_address();
        let path = path.map(str::to_string);
        VaultSettings {
            store: Arc::new(VaultStore::new(move || {
                VaultConfig::from_environment(&Environment::new(&lookup), path.as_deref(), timeout)
            })),
            address_set,
        }
    }

    /// No Vault: choosing it says how to set one up.
    pub fn none() -> VaultSettings {
        VaultSettings {
            store: Arc::new(VaultStore::new(|| Err(VaultFailure::NoAddress))),
            address_set: false,
        }
    }
}
