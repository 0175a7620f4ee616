//! `hibob-auth logout [--all]`: delete a profile's stored credential and its record (or every profile's),
//! through the store's `delete` (the secret first, then the record).

use crate::cli::LogoutArgs;
use crate::error::AppError;
use crate::exit::Exit;
use crate::lookup;
use crate::output;
use crate::settings::Settings;
use crate::store::{Deleted, ProfileName, Stores};

pub async fn run(
    settings: &Settings,
    stores: &Stores,
    args: &LogoutArgs,
) -> Result<Exit, AppError> {
    let profiles = stores.profiles(settings.store);
    let names: Vec<ProfileName> = if args.all {
        // A listing holds valid names only.
        profiles
            .list()
            .await?
            .into_iter()
            .filter_map(|listed| ProfileName::new(&listed.name).ok())
            .collect()
    } else {
        vec![lookup::profile_name(settings)?]
    };
    if names.is_empty() {
        output::print(
            b"No stored profiles: nothing to log out of.\n",
            "could not write to standard output",
        )?;
    }
    let mut failed = false;
    for name in &names {
        match profiles.delete(name).await {
            // Saying so must not stop the other profiles from being logged out.
            Ok(deleted) => {
                let _ = output::print(
                    format!("{}\n", describe(name, &deleted)).as_bytes(),
                    "could not write to standard output",
                );
            }
            Err(err) => {
                failed = true;
                eprintln!("error: profile '{name}' was not logged out: {err}");
            }
        }
    }
    let vars = crate::intake::token_vars_set();
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

/// What logging out of `name` did, in a sentence.
fn describe(name: &ProfileName, deleted: &Deleted) -> String {
    match (deleted.secret, deleted.record) {
        // One entry holds the credential and all that describes it.
        (true, None) => format!(
            "Logged out of profile '{name}': deleted its credential from the {}.",
            deleted.store
        ),
        (false, None) => format!("Nothing was stored for profile '{name}'."),
        (true, Some(true)) => format!(
            "Logged out of profile '{name}': deleted its credential from the {} and its profile record.",
            deleted.store
        ),
        (true, Some(false)) => format!(
            "Logged out of profile '{name}': deleted its credential from the {} (it had no profile record).",
            deleted.store
        ),
        (false, Some(true)) => format!(
            "Logged out of profile '{name}': deleted its profile record; the {} held no credential for it.",
            deleted.store
        ),
        (false, Some(false)) => format!("Nothing was stored for profile '{name}'."),
    }
}
