//! The front door's state: the stored profiles the wizard lists, a profile being named, and the stored
//! profile a re-check or a rotation is about.

use std::time::SystemTime;

use crate::hibob::ApiUrl;
use crate::store::{ProfileRecord, StoreChoice};

/// The front door's list: the stored profiles when the wizard started, and the choice on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontDoor {
    pub rows: Vec<StoredRow>,
    /// Highlighted entry: a profile, or (one past the last) "set up".
    pub cursor: usize,
    /// When the list was read: "checked 3 days ago" counts from here, so drawing stays pure.
    pub listed_at: SystemTime,
}

impl FrontDoor {
    pub fn new(rows: Vec<StoredRow>, listed_at: SystemTime) -> FrontDoor {
        FrontDoor {
            rows,
            cursor: 0,
            listed_at,
        }
    }

    /// No stored profile: the wizard starts on the Welcome screen.
    pub fn empty() -> FrontDoor {
        FrontDoor::new(Vec::new(), SystemTime::UNIX_EPOCH)
    }

    /// The highlighted profile (`None` on "set up").
    pub fn selected(&self) -> Option<&StoredRow> {
        self.rows.get(self.cursor)
    }

    /// Put a profile's record as it is now in its store into the list (after a re-check was recorded).
    pub(crate) fn update(&mut self, name: &str, record: ProfileRecord) {
        let store = record.store;
        if let Some(row) = self.rows.iter_mut().find(|row| row.is(name, store)) {
            row.record = record;
        }
    }

    /// Take a deleted profile off the list; the cursor stays on a profile while there is one.
    pub(crate) fn forget(&mut self, name: &str, store: StoreChoice) {
        self.rows.retain(|row| !row.is(name, store));
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }

    /// The stores the listed profiles are in, each once, in the order listed.
    pub fn stores(&self) -> Vec<StoreChoice> {
        let mut stores: Vec<StoreChoice> = Vec::new();
        for row in &self.rows {
            if !stores.contains(&row.store()) {
                stores.push(row.store());
            }
        }
        stores
    }
}

/// A stored profile as the front door lists it: its record, never its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRow {
    pub name: String,
    pub record: ProfileRecord,
}

impl StoredRow {
    /// Where it is stored, as its record names it: one of the OS keyrings, or the team's Vault.
    pub fn store(&self) -> StoreChoice {
        self.record.store
    }

    /// Whether this is profile `name` in `store`. The same name may be listed twice, once in the
    /// keyring and once in the team's Vault; the two keyrings share one list of records.
    pub fn is(&self, name: &str, store: StoreChoice) -> bool {
        self.name == name && (self.store() == StoreChoice::Vault) == (store == StoreChoice::Vault)
    }

    /// The credential as people may see it: the service-user ID and at most the token's last characters.
    pub fn identity(&self) -> String {
        let hint = self.record.token_hint.as_deref().unwrap_or("…");
        match &self.record.service_user_id {
            Some(id) => format!("{id}, token {hint}"),
            None => format!("API token {hint}"),
        }
    }
}

/// Another profile than `--profile`'s to set up, named on the front door, and the API its check goes
/// to (the one it remembers if it is stored, else the one named explicitly, else production).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProfile {
    pub name: String,
    pub api_url: ApiUrl,
}

/// A stored profile the wizard is working on (re-checking its credential, or rotating its token): checks
/// go to the API its record remembers.
#[derive(Debug, Clone)]
pub struct StoredTarget {
    pub profile: String,
    /// The record as it was read (a re-check's result is recorded only if it is still current).
    pub record: ProfileRecord,
    pub api_url: ApiUrl,
}
