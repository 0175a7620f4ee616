//! An in-memory store for tests and for code paths that need a store but must not touch the OS.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::credential::Credential;
use crate::store::{SecretStore, StoreError};

#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, Credential>>,
    /// When set, every call fails with this error (to test failure paths).
    failure: Mutex<Option<StoreError>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Make every later call fail with `error`, or work again with `None`.
    pub fn fail_with(&self, error: Option<StoreError>) {
        *self.failure.lock().expect("not poisoned") = error;
    }

    fn check_failure(&self) -> Result<(), StoreError> {
        match &*self.failure.lock().expect("not poisoned") {
            Some(error) => Err(error.clone()),
            None => Ok(()),
        }
    }
}

impl SecretStore for MemoryStore {
    fn describe(&self) -> String {
        "in-memory store (tests only)".to_string()
    }

    fn save(&self, profile: &str, credential: &Credential) -> Result<(), StoreError> {
        self.check_failure()?;
        self.entries
            .lock()
            .expect("not poisoned")
            .insert(profile.to_string(), credential.clone());
        Ok(())
    }

    fn load(&self, profile: &str) -> Result<Option<Credential>, StoreError> {
        self.check_failure()?;
        Ok(self
            .entries
            .lock()
            .expect("not poisoned")
            .get(profile)
            .cloned())
    }

    fn delete(&self, profile: &str) -> Result<bool, StoreError> {
        self.check_failure()?;
        Ok(self
            .entries
            .lock()
            .expect("not poisoned")
            .remove(profile)
            .is_some())
    }
}
