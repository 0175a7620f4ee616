//! `hibob-auth login --token-stdin`: the non-interactive way to store a credential, for scripts and CI.
//!
//! Order matters: read and validate the input, open the store (so a missing keyring fails before any
//! request is sent and before anything is written), check live, then store only what HiBob accepted.

use crate::cli::LoginArgs;
use crate::commands::check::{check_live, print_report};
use crate::credential::Credential;
use crate::error::AppError;
use crate::exit::Exit;
use crate::hibob::Verdict;
use crate::hibob::report::view::Source;
use crate::intake;
use crate::lookup::{self, api_url_for_profile, save_request};
use crate::settings::Settings;
use crate::store::{Replaced, StoreChoice, StoredProfile, Stores};

pub async fn run(settings: &Settings, stores: &Stores, args: &LoginArgs) -> Result<Exit, AppError> {
    let name = lookup::profile_name(settings)?;
    let credential = read_credential(args)?;
    let profiles = stores.profiles(settings.store);
    profiles.ready().await?;

    if args.no_verify {
        let request = save_request(settings, &*profiles, &name, credential, None).await?;
        let stored = profiles.save(&name, settings.store, request).await?;
        eprintln!("{}", stored_message(&stored));
        eprintln!(
            "note: it was not checked (--no-verify). Check it with `hibob-auth check{}`.",
            profile_flag(settings)
        );
        return Ok(Exit::Ok);
    }

    let api_url = api_url_for_profile(settings, &*profiles).await?;
    let report = check_live(api_url, &credential, settings).await?;
    print_report(settings, args.json, &report, Source::Stdin, &credential);
    match report.verdict {
        Verdict::Ok | Verdict::Limited => {
            let request =
                save_request(settings, &*profiles, &name, credential, Some(&report)).await?;
            let stored = profiles.save(&name, settings.store, request).await?;
            eprintln!("{}", stored_message(&stored));
        }
        Verdict::Blocked => {
            eprintln!(
                "Nothing was stored: HiBob blocked the check, so the credential could not be verified. Check again in five minutes, or store it with --no-verify only if you are sure it is right."
            );
        }
        Verdict::Rejected | Verdict::Unverifiable => {
            eprintln!(
                "Nothing was stored: the credential was {}. Store it anyway with --no-verify only if you are sure it is right.",
                report.verdict.label()
            );
        }
    }
    Ok(report.verdict.exit())
}

/// The credential from standard input (the token) and `--service-user-id`, through the shared intake.
fn read_credential(args: &LoginArgs) -> Result<Credential, AppError> {
    let raw = intake::stdin::read_token(std::time::Duration::from_secs(args.stdin_timeout))?;
    let made = intake::credential(args.service_user_id.as_deref(), &raw)?;
    drop(raw);
    for notice in &made.notices {
        eprintln!("note: {notice}");
    }
    if args.service_user_id.is_none() {
        eprintln!(
            "note: no --service-user-id given, so this is taken as an API access token; HiBob stopped accepting those on 2025-05-06. For a service user, pass --service-user-id SERVICE-…"
        );
    }
    Ok(made.value)
}

fn stored_message(stored: &StoredProfile) -> String {
    let mut message = if stored.record.store == StoreChoice::Vault {
        // One entry holds the whole credential: there is no separate record to point to.
        format!(
            "Stored profile '{}' in the {}, entry {}.",
            stored.name, stored.store, stored.location
        )
    } else {
        format!(
            "Stored profile '{}' in the {}. Profile record (no secret): {}",
            stored.name, stored.store, stored.location
        )
    };
    for warning in &stored.warnings {
        message.push_str(&format!("\nwarning: {warning}"));
    }
    if stored.replaced == Replaced::Token {
        // A rotation is finished only when every holder of the old token has the new one.
        message.push_str(
            "\nnote: this replaced the profile's previous token for the same service user (a rotation). Give the new token to every integration that used the old one, StackOne's Link Account included.",
        );
    }
    message
}

fn profile_flag(settings: &Settings) -> String {
    lookup::command_flags(settings.store, &settings.profile)
}
