//! Credential storage, and its one door: code outside `store` uses what this file exports, never an
//! inner module. There is no plain-text store and no fallback to one. `store` knows nothing of HiBob,
//! the command line or the front ends.
//!
//! # The interface
//!
//! - [`Stores`], the opener: made once by the program's wiring ([`Stores::os_keyring`]; tests use
//!   [`Stores::new`] or [`Stores::in_memory`]) and handed to the wizard and every command.
//!   [`Stores::profiles`] answers the [`Profiles`] that serve a [`StoreChoice`]; [`Stores::choices`] the
//!   choices that exist here; [`Stores::default_choice`] the one used when none is chosen.
//! - [`Profiles`], one home for profiles (object-safe, `Arc<dyn Profiles>`, async methods return
//!   `BoxFuture`s): `describe`, `location` (where a record is, for messages), `ready` (open the store, to
//!   fail before work whose result could not be kept), `list` -> [`ListedProfile`]s, `load` ->
//!   [`LoadedProfile`] or [`LoadError`] (`NoProfile`, `NoSecret`, `Store`), `save(name, choice,
//!   SaveRequest)` -> [`StoredProfile`] (with what it [`Replaced`] and any warnings), `delete` ->
//!   [`Deleted`], and `record_check(name, checked, LastCheck)` which refuses when the profile changed
//!   since `checked` was loaded.
//! - Values: [`ProfileName`] (validated on construction), [`ProfileRecord`] with its [`LastCheck`]
//!   ([`CheckVerdict`], [`ScopeRecord`]s; converting a check's report into these happens outside
//!   `store`), [`StoreError`] (every variant says what to do next; all exit with code 4).
//! - The keyring implementation: a record file per profile in [`ProfileDir`] beside one OS-keyring entry
//!   ([`SecretStore`]) holding the whole credential ([`encode_entry`]). [`ProfileLock`] serialises writers
//!   of one profile across processes. [`MemoryStore`] is the in-memory [`SecretStore`] for tests.
//!
//! - The Vault implementation: one KV version 2 entry per profile, nothing on this machine's disk
//!   ([`VaultSettings`] says which server and path; [`Stores::with_vault`] adds it).
//!
//! A new store is one new module implementing [`Profiles`], one [`StoreChoice`] variant and one arm in
//! [`Stores::profiles`].

mod blob;
mod error;
mod keyring;
mod keyring_profiles;
mod lock;
mod memory;
mod name;
mod profiles;
mod record;
mod records;
mod stores;
mod vault;

pub use blob::{BlobError, decode as decode_entry, encode as encode_entry};
pub use error::StoreError;
pub use lock::ProfileLock;
pub use memory::MemoryStore;
pub use name::{MAX_PROFILE_NAME_LEN, ProfileName};
pub use profiles::{
    Deleted, ListedProfile, LoadError, LoadedProfile, Profiles, Replaced, SaveRequest,
    StoredProfile,
};
pub use record::{CheckVerdict, LastCheck, ProfileRecord, ScopeRecord, rfc3339 as record_time};
pub use records::ProfileDir;
pub use stores::Stores;
pub use vault::{
    ADDRESS_VARS as VAULT_ADDRESS_VARS, DEFAULT_PATH as DEFAULT_VAULT_PATH,
    PATH_ENV as VAULT_PATH_ENV, VaultFailure, VaultSettings,
};

use std::time::Duration;

use crate::credential::Credential;

/// Credential stores a user can choose. There is no plain-text file store, on purpose. The derives let
/// `--store` take it and profile records name it; nothing here depends on the command line.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum StoreChoice {
    /// The platform's own keyring: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows.
    Native,
    /// Linux kernel keyring: kept in memory until reboot (needs a session keyring).
    Keyutils,
    /// A HashiCorp Vault or OpenBao KV version 2 mount, shared by a team (BAO_ADDR / VAULT_ADDR).
    Vault,
}

impl StoreChoice {
    /// The name `--store` and profile records use.
    pub fn id(self) -> &'static str {
        match self {
            StoreChoice::Native => "native",
            StoreChoice::Keyutils => "keyutils",
            StoreChoice::Vault => "vault",
        }
    }
}

/// A place that keeps credentials, one per profile. Calls may block (D-Bus, prompts): run them off the
/// async runtime and with a timeout (see the keyring module's bounded helpers).
pub trait SecretStore: Send + Sync {
    /// How the store is named to people, e.g. "Secret Service (login keyring)".
    fn describe(&self) -> String;
    fn save(&self, profile: &str, credential: &Credential) -> Result<(), StoreError>;
    fn load(&self, profile: &str) -> Result<Option<Credential>, StoreError>;
    /// Returns whether there was anything to delete.
    fn delete(&self, profile: &str) -> Result<bool, StoreError>;
}

/// Reads should be quick; a store that takes longer is stuck.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Writes may wait on an unlock prompt that a person has to answer.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(60);

/// Run a blocking store call off the async runtime, giving up after `limit`.
/// A call that times out keeps its thread until it returns; the command ends without waiting for it.
pub(crate) async fn bounded<T: Send + 'static>(
    limit: Duration,
    call: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    match tokio::time::timeout(limit, tokio::task::spawn_blocking(call)).await {
        Ok(Ok(result)) => result,
        Ok(Err(join_error)) => Err(StoreError::Other(format!(
            "the keyring call stopped unexpectedly ({join_error})"
        ))),
        Err(_) => Err(StoreError::Timeout {
            seconds: limit.as_secs(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_store_call_that_does_not_return_is_a_timeout() {
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let result = bounded(Duration::from_millis(20), move || {
            // Stands in for a keyring waiting on an unlock prompt nobody answers.
            let _ = wait.recv();
            Ok(())
        })
        .await;
        assert_eq!(result, Err(StoreError::Timeout { seconds: 0 }));
        release.send(()).unwrap();
    }
}
