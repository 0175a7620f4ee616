//! The keyring's [`Profiles`]: a record file per profile (see [`ProfileDir`]) beside its secret in the
//! OS keyring the record names. Both writes of a profile happen under its lock ([`ProfileLock`]), so a
//! concurrent writer cannot pair its record with this secret.
//!
//! The secret goes to the keyring first, then the record is written. Both or a clear error: if the record
//! cannot be written after the keyring accepted the secret, the error says exactly that.

use std::sync::Arc;
use std::time::SystemTime;

use futures_util::FutureExt;
use futures_util::future::BoxFuture;

use crate::store::lock::ProfileLock;
use crate::store::records::ProfileDir;
use crate::store::{
    Deleted, LastCheck, ListedProfile, LoadError, LoadedProfile, ProfileName, ProfileRecord,
    Profiles, READ_TIMEOUT, Replaced, SaveRequest, SecretStore, StoreChoice, StoreError,
    StoredProfile, WRITE_TIMEOUT, bounded, record::rfc3339,
};

/// Opens the secret store of a choice; blocking is fine, it runs off the runtime.
pub(crate) type OpenSecrets =
    dyn Fn(StoreChoice) -> Result<Arc<dyn SecretStore>, StoreError> + Send + Sync;

/// Profiles kept as record files with their secrets in the keyring each record names.
pub(crate) struct KeyringProfiles {
    /// The record directory, or why there is none (no home directory): said when it is first needed, so
    /// a command that does not need records (a check of an environment credential) still runs.
    pub(crate) records: Result<ProfileDir, StoreError>,
    pub(crate) open: Arc<OpenSecrets>,
    /// The store a profile without a readable record is deleted from (an unreadable record must not keep
    /// its secret alive), and the one [`Profiles::ready`] opens.
    pub(crate) default: StoreChoice,
}

impl KeyringProfiles {
    fn records(&self) -> Result<&ProfileDir, StoreError> {
        self.records.as_ref().map_err(Clone::clone)
    }

    /// Open the secret store `choice`, off the async runtime, bounded by [`READ_TIMEOUT`]: connecting to a
    /// keyring daemon can block.
    async fn open(&self, choice: StoreChoice) -> Result<Arc<dyn SecretStore>, StoreError> {
        let open = Arc::clone(&self.open);
        bounded(READ_TIMEOUT, move || open(choice)).await
    }

    async fn save_now(
        &self,
        name: &ProfileName,
        choice: StoreChoice,
        request: SaveRequest,
    ) -> Result<StoredProfile, StoreError> {
        let records = self.records()?;
        let store = self.open(choice).await?;
        let _one_writer = ProfileLock::acquire(records, name.as_str()).await?;
        // Read the old record before anything changes: it decides what the new one replaces.
        let previous = records.read(name.as_str()).ok().flatten();
        let SaveRequest {
            credential,
            api_url,
            last_check,
        } = request;
        let record = ProfileRecord {
            kind: credential.kind(),
            service_user_id: credential.service_user_id().map(str::to_string),
            api_url,
            store: choice,
            token_hint: credential.token_hint(),
            stored_at: String::new(),
            rotated_at: None,
            last_check,
        };
        let (record, replaced) = dated(record, previous.as_ref(), SystemTime::now());
        let store_name = store.describe();
        let entry = name.to_string();
        bounded(WRITE_TIMEOUT, move || store.save(&entry, &credential)).await?;
        match records.write(name.as_str(), &record) {
            Ok(path) => Ok(StoredProfile {
                name: name.clone(),
                record,
                replaced,
                store: store_name,
                location: path.display().to_string(),
                warnings: Vec::new(),
            }),
            Err(err) => Err(StoreError::RecordNotWritten {
                profile: name.to_string(),
                store: store_name,
                path: self.location(name),
                detail: err.to_string(),
            }),
        }
    }

    /// Load from the store the record names (where it was put), bounded by [`READ_TIMEOUT`].
    async fn load_now(&self, name: &ProfileName) -> Result<LoadedProfile, LoadError> {
        let record = self
            .records()?
            .read(name.as_str())?
            .ok_or(LoadError::NoProfile)?;
        let store = self.open(record.store).await?;
        let store_name = store.describe();
        let entry = name.to_string();
        match bounded(READ_TIMEOUT, move || store.load(&entry)).await? {
            Some(credential) => Ok(LoadedProfile {
                name: name.clone(),
                record,
                credential,
                store: store_name,
            }),
            None => Err(LoadError::NoSecret {
                store: record.store,
            }),
        }
    }

    /// The keyring entry first, then the record, so a store that cannot be reached never leaves a secret
    /// behind without a record that points to it. Under the profile's lock, so a `login` running at the
    /// same time cannot store between them.
    async fn delete_now(&self, name: &ProfileName) -> Result<Deleted, StoreError> {
        let records = self.records()?;
        let _one_writer = ProfileLock::acquire(records, name.as_str()).await?;
        let choice = match records.read(name.as_str()) {
            Ok(Some(record)) => record.store,
            Ok(None) | Err(StoreError::RecordUnreadable { .. }) => self.default,
            Err(err) => return Err(err),
        };
        let store = self.open(choice).await?;
        let store_name = store.describe();
        let entry = name.to_string();
        let secret = bounded(WRITE_TIMEOUT, move || store.delete(&entry)).await?;
        let record = records.remove(name.as_str())?;
        Ok(Deleted {
            store: store_name,
            secret,
            record: Some(record),
        })
    }

    /// Under the profile's lock: a result about a credential the profile no longer holds is not recorded.
    async fn record_check_now(
        &self,
        name: &ProfileName,
        checked: &ProfileRecord,
        check: LastCheck,
    ) -> Result<ProfileRecord, StoreError> {
        let records = self.records()?;
        let _one_writer = ProfileLock::acquire(records, name.as_str()).await?;
        let not_changed = |detail: String| StoreError::RecordNotChanged {
            path: self.location(name),
            detail,
        };
        let mut record = records
            .read(name.as_str())?
            .ok_or_else(|| not_changed("the profile was removed during the check".to_string()))?;
        if !record.same_credential(checked) {
            return Err(not_changed(
                "the profile was stored again during the check, so this result is not about the credential it holds now"
                    .to_string(),
            ));
        }
        // The check ran against this API; remember it so the next check goes there too.
        record.api_url = check.api_url.clone();
        record.last_check = Some(check);
        records
            .write(name.as_str(), &record)
            .map_err(|err| not_changed(err.to_string()))?;
        Ok(record)
    }
}

impl Profiles for KeyringProfiles {
    fn describe(&self) -> String {
        match &self.records {
            Ok(records) => format!(
                "the OS keyring, profile records in {}",
                records.root().display()
            ),
            Err(_) => "the OS keyring".to_string(),
        }
    }

    fn location(&self, name: &ProfileName) -> String {
        match &self.records {
            Ok(records) => records.path(name.as_str()).display().to_string(),
            Err(_) => format!("the record of profile '{name}'"),
        }
    }

    fn ready(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        async move { self.open(self.default).await.map(drop) }.boxed()
    }

    fn list(&self) -> BoxFuture<'_, Result<Vec<ListedProfile>, StoreError>> {
        async move { self.records()?.list() }.boxed()
    }

    fn load<'a>(
        &'a self,
        name: &'a ProfileName,
    ) -> BoxFuture<'a, Result<LoadedProfile, LoadError>> {
        self.load_now(name).boxed()
    }

    fn save<'a>(
        &'a self,
        name: &'a ProfileName,
        choice: StoreChoice,
        request: SaveRequest,
    ) -> BoxFuture<'a, Result<StoredProfile, StoreError>> {
        self.save_now(name, choice, request).boxed()
    }

    fn delete<'a>(&'a self, name: &'a ProfileName) -> BoxFuture<'a, Result<Deleted, StoreError>> {
        self.delete_now(name).boxed()
    }

    fn record_check<'a>(
        &'a self,
        name: &'a ProfileName,
        checked: &'a ProfileRecord,
        check: LastCheck,
    ) -> BoxFuture<'a, Result<ProfileRecord, StoreError>> {
        self.record_check_now(name, checked, check).boxed()
    }
}

/// Date `record` (a credential about to be saved over `previous`) at `now`: a new credential starts
/// its life now; a new token for the same service user keeps the first store's date and is rotated now;
/// the same token stored again keeps both dates. "Same token" is judged by its last four characters
/// (the record holds nothing more), so a new token that happens to end alike counts as the same.
fn dated(
    mut record: ProfileRecord,
    previous: Option<&ProfileRecord>,
    now: SystemTime,
) -> (ProfileRecord, Replaced) {
    let same_user = |old: &ProfileRecord| {
        old.kind == record.kind && old.service_user_id == record.service_user_id
    };
    let replaced = match previous {
        Some(old) if same_user(old) && old.token_hint == record.token_hint => {
            record.stored_at = old.stored_at.clone();
            record.rotated_at = old.rotated_at.clone();
            Replaced::Same
        }
        Some(old) if same_user(old) => {
            record.stored_at = old.stored_at.clone();
            record.rotated_at = Some(rfc3339(now));
            Replaced::Token
        }
        _ => {
            record.stored_at = rfc3339(now);
            Replaced::Nothing
        }
    };
    (record, replaced)
}

#[cfg(test)]
mod tests;
