//! The Vault [`Profiles`]: one KV version 2 entry per profile at `MOUNT/PREFIX/<profile>`.
//!
//! - Every write is check-and-set against the version this process read (or, when it read none, the
//!   version current just before the write): a writer that lost a race fails and says so, never
//!   overwrites blindly.
//! - After a save the older versions are destroyed, so a replaced token is not left readable in the
//!   entry's history; a token that may not destroy gets a warning, not a failure.
//! - `delete` deletes the metadata: the entry with every version.
//! - `record_check` keeps nothing: the entry is shared by a team and its CI, and a check from a read-only
//!   CI token cannot write; a result written there would also be one machine's view presented as the
//!   team's. So the check's outcome is returned, not stored, and no second copy of anything is made.
//! - Nothing of a profile is written to this machine's disk.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::FutureExt;
use futures_util::future::{BoxFuture, join_all};
use tokio::sync::OnceCell;

use crate::store::vault::client::{Intent, Mount, Read, VaultClient};
use crate::store::vault::config::VaultConfig;
use crate::store::vault::entry::{self, Entry};
use crate::store::vault::failure::VaultFailure;
use crate::store::{
    Deleted, LastCheck, ListedProfile, LoadError, LoadedProfile, ProfileName, ProfileRecord,
    Profiles, Replaced, SaveRequest, StoreChoice, StoreError, StoredProfile,
};

/// One server and path, shared by every [`VaultProfiles`] the opener hands out: one HTTP client, one
/// mount lookup per run, and the versions read so far (what the writes check against).
pub struct VaultStore {
    /// Read from the environment when Vault is first used, not before: a command that never touches
    /// Vault does not read its token file.
    config: std::sync::OnceLock<Result<VaultConfig, VaultFailure>>,
    read_config: Box<dyn Fn() -> Result<VaultConfig, VaultFailure> + Send + Sync>,
    client: OnceCell<Arc<VaultClient>>,
    place: OnceCell<Place>,
    /// Profile name -> the version this process read (0: read, and there was none; a deleted latest
    /// version keeps its number).
    seen: Mutex<HashMap<String, u64>>,
}

/// Where the profiles are: the mount and the prefix inside it.
#[derive(Debug, Clone)]
struct Place {
    mount: String,
    prefix: String,
}

impl Place {
    fn key(&self, name: &str) -> String {
        if self.prefix.is_empty() {
            name.to_string()
        } else {
            format!("{}/{name}", self.prefix)
        }
    }

    /// The API path of `kind` (`data`, `metadata`, `destroy`) of `name`: where its requests go, and
    /// what a policy names.
    fn api_path(&self, kind: &str, name: &str) -> String {
        format!("{}/{kind}/{}", self.mount, self.key(name))
    }
}

impl VaultStore {
    /// A store whose configuration `read_config` reads when it is first needed.
    pub fn new(
        read_config: impl Fn() -> Result<VaultConfig, VaultFailure> + Send + Sync + 'static,
    ) -> VaultStore {
        VaultStore {
            config: std::sync::OnceLock::new(),
            read_config: Box::new(read_config),
            client: OnceCell::new(),
            place: OnceCell::new(),
            seen: Mutex::new(HashMap::new()),
        }
    }

    fn config(&self) -> Result<&VaultConfig, VaultFailure> {
        self.config
            .get_or_init(|| (self.read_config)())
            .as_ref()
            .map_err(Clone::clone)
    }

    async fn client(&self) -> Result<Arc<VaultClient>, VaultFailure> {
        let config = self.config()?;
        self.client
            .get_or_try_init(|| async { VaultClient::new(config).map(Arc::new) })
            .await
            .cloned()
    }

    /// The mount and prefix, found once with the server's mount lookup (the mount may contain slashes).
    async fn place(&self) -> Result<(Arc<VaultClient>, Place), VaultFailure> {
        let client = self.client().await?;
        let path = self.config()?.path.clone();
        let place = self
            .place
            .get_or_try_init(|| async {
                let Mount {
                    path: mount,
                    version,
                    kind,
                } = client.mount(&path).await?;
                let address = client.address().to_string();
                if kind != "kv" {
                    return Err(VaultFailure::NotKv {
                        address,
                        mount,
                        kind,
                    });
                }
                if version != "2" {
                    return Err(VaultFailure::KvVersion1 { address, mount });
                }
                let prefix = path
                    .strip_prefix(&mount)
                    .unwrap_or_default()
                    .trim_matches('/')
                    .to_string();
                Ok(Place { mount, prefix })
            })
            .await?
            .clone();
        Ok((client, place))
    }

    fn remember(&self, name: &str, version: u64) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.insert(name.to_string(), version);
        }
    }

    fn forget(&self, name: &str) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.remove(name);
        }
    }

    fn seen(&self, name: &str) -> Option<u64> {
        self.seen.lock().ok()?.get(name).copied()
    }

    fn describe(&self) -> String {
        match self.config() {
            Ok(config) => format!(
                "Vault at {} ({})",
                config.address.as_str().trim_end_matches('/'),
                config.path
            ),
            Err(_) => "Vault".to_string(),
        }
    }

    fn location(&self, name: &ProfileName) -> String {
        match self.config() {
            Ok(config) => format!(
                "{}/{name} in Vault at {}",
                config.path,
                config.address.as_str().trim_end_matches('/')
            ),
            Err(_) => format!("the Vault entry of profile '{name}'"),
        }
    }

    /// Read `name`'s entry and remember its version; `None` when there is none.
    async fn read(&self, name: &str) -> Result<Option<Entry>, VaultFailure> {
        let (client, place) = self.place().await?;
        let path = place.api_path("data", name);
        let action = Intent {
            words: "read the profile",
            capability: "read",
            path: &path,
        };
        let read = match client.read(&action).await? {
            Read::Found(read) => read,
            Read::Absent { version } => {
                self.remember(name, version);
                return Ok(None);
            }
        };
        let version = read.version;
        self.remember(name, version);
        entry::parse(read)
            .map(Some)
            .map_err(|detail| VaultFailure::BadEntry { path, detail })
    }

    async fn list_now(&self) -> Result<Vec<ListedProfile>, StoreError> {
        let (client, place) = self.place().await?;
        let path = format!("{}/metadata/{}", place.mount, place.prefix);
        let action = Intent {
            words: "list the profiles",
            capability: "list",
            path: &path,
        };
        let mut names: Vec<String> = client
            .list(&action)
            .await?
            .into_iter()
            // Folders end with '/'; a profile name never holds one.
            .filter(|key| !key.ends_with('/') && ProfileName::new(key).is_ok())
            .collect();
        names.sort();
        // Vault keeps no record apart from the entry, so each is read (side by side) and only the
        // record is kept: its token is dropped here.
        let records = join_all(names.iter().map(|name| async move {
            match self.read(name).await {
                Ok(Some(entry)) => Ok(entry.record),
                Ok(None) => Err(StoreError::Unreadable {
                    profile: name.clone(),
                    detail:
                        "its latest version was deleted in Vault; `bao kv undelete` brings it back"
                            .to_string(),
                }),
                Err(err) => Err(StoreError::from(err)),
            }
        }))
        .await;
        Ok(names
            .into_iter()
            .zip(records)
            .map(|(name, record)| ListedProfile { name, record })
            .collect())
    }

    async fn load_now(&self, name: &ProfileName) -> Result<LoadedProfile, LoadError> {
        let entry = self
            .read(name.as_str())
            .await
            .map_err(StoreError::from)?
            .ok_or(LoadError::NoProfile)?;
        Ok(LoadedProfile {
            name: name.clone(),
            record: entry.record,
            credential: entry.credential,
            store: self.describe(),
        })
    }

    async fn save_now(
        &self,
        name: &ProfileName,
        request: SaveRequest,
    ) -> Result<StoredProfile, StoreError> {
        let (client, place) = self.place().await?;
        // The version this run saw; else what is there now. The previous credential decides what the
        // save replaces.
        let previous = match self.seen(name.as_str()) {
            Some(_) => None,
            None => match self.read(name.as_str()).await {
                Ok(entry) => entry,
                // Not a profile: this save replaces it (the read remembered its version).
                Err(VaultFailure::BadEntry { .. }) => None,
                Err(err) => return Err(err.into()),
            },
        };
        let expected = self.seen(name.as_str()).unwrap_or(0);
        let previous = match previous {
            Some(previous) => Some(previous),
            None if expected > 0 => self.read_version_kept(name.as_str()).await,
            None => None,
        };
        let SaveRequest {
            credential,
            api_url,
            last_check,
        } = request;
        let replaced = match &previous {
            Some(old) if entry::same_holder(&old.credential, &credential) => {
                if entry::same_token(&old.credential, &credential) {
                    Replaced::Same
                } else {
                    Replaced::Token
                }
            }
            _ => Replaced::Nothing,
        };
        let path = place.api_path("data", name.as_str());
        let action = Intent {
            words: "store profiles",
            capability: if expected == 0 { "create" } else { "update" },
            path: &path,
        };
        let data = entry::data(&credential, &api_url);
        let written = client.write(&action, data, expected).await?;
        let Some(written) = written else {
            // Read afresh next time: the version this run saw is no longer the entry's.
            self.forget(name.as_str());
            return Err(VaultFailure::Conflict {
                profile: name.to_string(),
                path: format!("{}/{}", place.mount, place.key(name.as_str())),
            }
            .into());
        };
        self.remember(name.as_str(), written.version);
        let mut warnings = Vec::new();
        if let Some(warning) = self
            .destroy_older(&client, &place, name, written.version)
            .await
        {
            warnings.push(warning);
        }
        let record = entry::record(&credential, api_url, written.created_time, last_check);
        Ok(StoredProfile {
            name: name.clone(),
            record,
            store: self.describe(),
            location: format!("{}/{}", place.mount, place.key(name.as_str())),
            replaced,
            warnings,
        })
    }

    /// The entry as it is now, when only its version was remembered (a listing read it earlier), to
    /// tell what a save replaces. The remembered version stays the one the write checks against.
    async fn read_version_kept(&self, name: &str) -> Option<Entry> {
        let remembered = self.seen(name);
        let entry = self.read(name).await.ok().flatten();
        if let Some(version) = remembered {
            self.remember(name, version);
        }
        entry
    }

    /// Destroy every version before `current`, so a replaced token is not left readable. A failure is
    /// a warning: the new credential is stored.
    async fn destroy_older(
        &self,
        client: &VaultClient,
        place: &Place,
        name: &ProfileName,
        current: u64,
    ) -> Option<String> {
        if current <= 1 {
            return None;
        }
        let older: Vec<u64> = (1..current).collect();
        let path = place.api_path("destroy", name.as_str());
        let action = Intent {
            words: "destroy old versions",
            capability: "update",
            path: &path,
        };
        match client.destroy(&action, &older).await {
            Ok(()) => None,
            Err(err) => Some(format!(
                "the older versions of {}/{} were not destroyed, so the previous token stays readable in the entry's history: {err}",
                place.mount,
                place.key(name.as_str())
            )),
        }
    }

    async fn delete_now(&self, name: &ProfileName) -> Result<Deleted, StoreError> {
        let (client, place) = self.place().await?;
        let path = place.api_path("metadata", name.as_str());
        let read = Intent {
            words: "read the profile's metadata",
            capability: "read",
            path: &path,
        };
        // Whether there was anything, to say so; a token that may delete but not read still deletes.
        let existed = match client.metadata(&read).await {
            Ok(found) => found.is_some(),
            Err(VaultFailure::Denied { .. }) => true,
            Err(err) => return Err(err.into()),
        };
        if existed {
            let delete = Intent {
                words: "delete profiles",
                capability: "delete",
                path: &path,
            };
            client.delete_metadata(&delete).await?;
        }
        self.forget(name.as_str());
        Ok(Deleted {
            store: self.describe(),
            secret: existed,
            record: None,
        })
    }
}

/// The profiles of one Vault path, as the front ends see them.
pub struct VaultProfiles(pub Arc<VaultStore>);

impl Profiles for VaultProfiles {
    fn describe(&self) -> String {
        self.0.describe()
    }

    fn location(&self, name: &ProfileName) -> String {
        self.0.location(name)
    }

    fn ready(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        async move {
            self.0.place().await?;
            Ok(())
        }
        .boxed()
    }

    fn list(&self) -> BoxFuture<'_, Result<Vec<ListedProfile>, StoreError>> {
        self.0.list_now().boxed()
    }

    /// One read of the entry (the default would read every profile's).
    fn record<'a>(
        &'a self,
        name: &'a ProfileName,
    ) -> BoxFuture<'a, Result<Option<ProfileRecord>, StoreError>> {
        async move { Ok(self.0.read(name.as_str()).await?.map(|entry| entry.record)) }.boxed()
    }

    fn load<'a>(
        &'a self,
        name: &'a ProfileName,
    ) -> BoxFuture<'a, Result<LoadedProfile, LoadError>> {
        self.0.load_now(name).boxed()
    }

    fn save<'a>(
        &'a self,
        name: &'a ProfileName,
        _choice: StoreChoice,
        request: SaveRequest,
    ) -> BoxFuture<'a, Result<StoredProfile, StoreError>> {
        self.0.save_now(name, request).boxed()
    }

    fn delete<'a>(&'a self, name: &'a ProfileName) -> BoxFuture<'a, Result<Deleted, StoreError>> {
        self.0.delete_now(name).boxed()
    }

    /// Kept nowhere (see the module's comment): the record with the check is returned as it would read.
    fn record_check<'a>(
        &'a self,
        _name: &'a ProfileName,
        checked: &'a ProfileRecord,
        check: LastCheck,
    ) -> BoxFuture<'a, Result<ProfileRecord, StoreError>> {
        let mut record = checked.clone();
        record.last_check = Some(check);
        async move { Ok(record) }.boxed()
    }
}
