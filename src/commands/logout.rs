//! `hibob-auth logout [--all]`: delete a profile's keyring entry and its record (or every profile's).
//!
//! The keyring entry goes first; the record is removed only once the secret is gone, so a store that
//! cannot be reached never leaves a secret behind without a record that points to it. Both happen under
//! the profile's lock, so a `login` running at the same time cannot store between them.

use crate::cli::{LogoutArgs, StoreChoice};
use crate::commands::stored;
use crate::error::AppError;
use crate::exit::Exit;
use crate::settings::Settings;
use crate::store::lock::ProfileLock;
use crate::store::profile::{ProfileDir, validate_profile_name};
use crate::store::{self, StoreError, open_bounded};

pub async fn run(settings: &Settings, args: &LogoutArgs) -> Result<Exit, AppError> {
    let profiles = stored::profile_dir()?;
    let names = if args.all {
        profiles
            .list()?
            .into_iter()
            .map(|listed| listed.name)
            .collect()
    } else {
        validate_profile_name(&settings.profile)?;
        vec![settings.profile.clone()]
    };
    if names.is_empty() {
        println!("No stored profiles: nothing to log out of.");
    }
    let mut failed = false;
    for name in &names {
        match logout_one(&profiles, settings.store, name).await {
            Ok(outcome) => println!("{}", outcome.describe(name)),
            Err(err) => {
                failed = true;
                eprintln!("error: profile '{name}' was not logged out: {err}");
            }
        }
    }
    let vars = stored::env_credential_vars();
    if !vars.is_empty() {
        let (verb, pronoun) = if vars.len() == 1 {
            ("is", "it")
        } else {
            ("are", "them")
        };
        eprintln!(
            "note: {} {verb} still set in this environment, so `hibob-auth check` keeps using the credential from there. Unset {pronoun} to stop.",
            vars.join(", ")
        );
    }
    Ok(if failed {
        Exit::StoreUnavailable
    } else {
        Exit::Ok
    })
}

/// What logging out of one profile removed.
struct Outcome {
    store: String,
    deleted_secret: bool,
    removed_record: bool,
}

impl Outcome {
    fn describe(&self, name: &str) -> String {
        match (self.deleted_secret, self.removed_record) {
            (true, true) => format!(
                "Logged out of profile '{name}': deleted its credential from the {} and its profile record.",
                self.store
            ),
            (true, false) => format!(
                "Logged out of profile '{name}': deleted its credential from the {} (it had no profile record).",
                self.store
            ),
            (false, true) => format!(
                "Logged out of profile '{name}': removed its profile record; the {} held no credential for it.",
                self.store
            ),
            (false, false) => format!("Nothing was stored for profile '{name}'."),
        }
    }
}

async fn logout_one(
    profiles: &ProfileDir,
    default_store: StoreChoice,
    name: &str,
) -> Result<Outcome, StoreError> {
    let _one_writer = ProfileLock::acquire(profiles, name).await?;
    // The record says where the secret is; an unreadable record must not keep the secret alive.
    let choice = match profiles.read(name) {
        Ok(Some(record)) => record.store,
        Ok(None) | Err(StoreError::RecordUnreadable { .. }) => default_store,
        Err(err) => return Err(err),
    };
    let secret_store = open_bounded(choice).await?;
    let store_name = secret_store.describe();
    let deleted_secret = store::delete(secret_store, name.to_string()).await?;
    let removed_record = profiles.remove(name)?;
    Ok(Outcome {
        store: store_name,
        deleted_secret,
        removed_record,
    })
}
