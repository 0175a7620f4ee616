//! `hibob-auth logout [--all]`: delete a profile's keyring entry and its record (or every profile's),
//! through [`store::delete`] (the keyring entry first, then the record).

use crate::cli::LogoutArgs;
use crate::error::AppError;
use crate::exit::Exit;
use crate::lookup;
use crate::output;
use crate::settings::Settings;
use crate::store::validate_profile_name;
use crate::store::{self, Deleted, Opener};

pub async fn run(
    settings: &Settings,
    opener: &Opener,
    args: &LogoutArgs,
) -> Result<Exit, AppError> {
    let profiles = lookup::profile_dir()?;
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
        output::print(
            b"No stored profiles: nothing to log out of.\n",
            "could not write to standard output",
        )?;
    }
    let mut failed = false;
    for name in &names {
        match store::delete(&profiles, name, opener, settings.store).await {
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
fn describe(name: &str, deleted: &Deleted) -> String {
    match (deleted.secret, deleted.record) {
        (true, true) => format!(
            "Logged out of profile '{name}': deleted its credential from the {} and its profile record.",
            deleted.store
        ),
        (true, false) => format!(
            "Logged out of profile '{name}': deleted its credential from the {} (it had no profile record).",
            deleted.store
        ),
        (false, true) => format!(
            "Logged out of profile '{name}': removed its profile record; the {} held no credential for it.",
            deleted.store
        ),
        (false, false) => format!("Nothing was stored for profile '{name}'."),
    }
}
