//! The opener: which [`Profiles`] serves a store choice, and which choices exist here. Made once by the
//! program's wiring and handed to every front end, so tests (and a second kind of store) swap it in one
//! place.

use std::sync::Arc;

use crate::store::keyring_profiles::{KeyringProfiles, OpenSecrets};
use crate::store::memory::MemoryStore;
use crate::store::records::ProfileDir;
use crate::store::vault::{VaultProfiles, VaultSettings};
use crate::store::{Profiles, SecretStore, StoreChoice, StoreError, keyring};

/// The stores a user can choose from. Cheap to clone.
#[derive(Clone)]
pub struct Stores {
    records: Result<ProfileDir, StoreError>,
    open: Arc<OpenSecrets>,
    vault: VaultSettings,
}

impl Stores {
    /// The OS keyring stores (see [`keyring::open`]), records in the platform's config directory; never a
    /// file holding a secret.
    pub fn os_keyring() -> Stores {
        Stores {
            records: ProfileDir::from_env(),
            open: Arc::new(keyring::open),
            vault: VaultSettings::none(),
        }
    }

    /// Records in `records`, secrets in what `open` answers for a choice (tests: in-memory stores, or a
    /// store that fails).
    pub fn new(
        records: ProfileDir,
        open: impl Fn(StoreChoice) -> Result<Arc<dyn SecretStore>, StoreError> + Send + Sync + 'static,
    ) -> Stores {
        Stores {
            records: Ok(records),
            open: Arc::new(open),
            vault: VaultSettings::none(),
        }
    }

    /// The same stores, and Vault as `vault` describes it (without it, choosing Vault says how to set
    /// one up).
    pub fn with_vault(self, vault: VaultSettings) -> Stores {
        Stores { vault, ..self }
    }

    /// Records in `records`, every choice's secrets in `memory`: for tests.
    pub fn in_memory(records: ProfileDir, memory: Arc<MemoryStore>) -> Stores {
        Stores::new(records, move |_choice| {
            Ok(Arc::clone(&memory) as Arc<dyn SecretStore>)
        })
    }

    /// The profiles `choice` serves. The keyring choices share one implementation: a profile's record
    /// names the keyring its secret is in, and `choice` is where a profile without a readable record is
    /// deleted from and what [`Profiles::ready`] opens.
    pub fn profiles(&self, choice: StoreChoice) -> Arc<dyn Profiles> {
        if choice == StoreChoice::Vault {
            return Arc::new(VaultProfiles(Arc::clone(&self.vault.store)));
        }
        Arc::new(KeyringProfiles {
            records: self.records.clone(),
            open: Arc::clone(&self.open),
            default: choice,
        })
    }

    /// The choices that exist here, the default first: Vault when a server address is set.
    pub fn choices(&self) -> Vec<StoreChoice> {
        let mut choices = if cfg!(target_os = "linux") {
            vec![StoreChoice::Native, StoreChoice::Keyutils]
        } else {
            vec![StoreChoice::Native]
        };
        if self.vault.address_set {
            choices.push(StoreChoice::Vault);
        }
        choices
    }

    /// Where a save that failed in `choice` may go instead on this machine: the other OS keyring, if
    /// there is one. A team's shared store has none: its profile is not silently kept on one machine.
    pub fn fallback_for(&self, choice: StoreChoice) -> Option<StoreChoice> {
        if choice == StoreChoice::Vault {
            return None;
        }
        self.choices()
            .into_iter()
            .find(|other| *other != choice && *other != StoreChoice::Vault)
    }

    /// The team's shared store, offered beside `choice` for a new credential: Vault when a server
    /// address is set and `choice` is not already Vault.
    pub fn team_store_besides(&self, choice: StoreChoice) -> Option<StoreChoice> {
        (choice != StoreChoice::Vault)
            .then(|| {
                self.choices()
                    .into_iter()
                    .find(|c| *c == StoreChoice::Vault)
            })
            .flatten()
    }

    /// The store used when none is chosen.
    pub fn default_choice(&self) -> StoreChoice {
        StoreChoice::Native
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::Credential;
    use crate::secret::SecretString;
    use crate::store::{ProfileName, SaveRequest};

    #[tokio::test]
    async fn the_profiles_of_a_choice_pass_its_store_and_its_errors_through() {
        let dir = tempfile::tempdir().unwrap();
        let memory = Arc::new(MemoryStore::new());
        let store = Arc::clone(&memory);
        let stores = Stores::new(ProfileDir::at(dir.path()), move |choice| match choice {
            StoreChoice::Native => Ok(Arc::clone(&store) as Arc<dyn SecretStore>),
            StoreChoice::Keyutils | StoreChoice::Vault => Err(StoreError::Locked),
        });
        let name = ProfileName::new("p").unwrap();
        let request = SaveRequest {
            credential: Credential::ApiToken {
                token: SecretString::from("abc"),
            },
            api_url: "https://api.hibob.com".to_string(),
            last_check: None,
        };
        let native = stores.profiles(StoreChoice::Native);
        native.ready().await.unwrap();
        native
            .save(&name, StoreChoice::Native, request.clone())
            .await
            .unwrap();
        assert!(memory.load("p").unwrap().is_some());
        let kernel = stores.profiles(StoreChoice::Keyutils);
        assert_eq!(kernel.ready().await, Err(StoreError::Locked));
        assert_eq!(
            kernel
                .save(&name, StoreChoice::Keyutils, request)
                .await
                .err(),
            Some(StoreError::Locked)
        );
    }

    #[test]
    fn the_default_choice_is_offered_first() {
        let stores = Stores::os_keyring();
        assert_eq!(stores.choices()[0], stores.default_choice());
    }

    #[test]
    fn a_failed_save_falls_back_to_the_other_keyring_only() {
        let stores = Stores::os_keyring();
        if cfg!(target_os = "linux") {
            assert_eq!(
                stores.fallback_for(StoreChoice::Native),
                Some(StoreChoice::Keyutils)
            );
            assert_eq!(
                stores.fallback_for(StoreChoice::Keyutils),
                Some(StoreChoice::Native)
            );
        } else {
            assert_eq!(stores.fallback_for(StoreChoice::Native), None);
        }
        // A team's profile is never kept on one machine instead.
        assert_eq!(stores.fallback_for(StoreChoice::Vault), None);
        // Without a Vault address there is no team store to offer.
        assert_eq!(stores.team_store_besides(StoreChoice::Native), None);
    }
}
