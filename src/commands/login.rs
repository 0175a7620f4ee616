//! `hibob-auth login --token-stdin`: the non-interactive way to store a credential, for scripts and CI.
//!
//! Order matters: read and validate the input, open the store (so a missing keyring fails before any
//! request is sent and before anything is written), check live, then store only what HiBob accepted.

use crate::cli::LoginArgs;
use crate::commands::check::{check_live, print_report};
use crate::commands::report_view::Source;
use crate::commands::{stdin_token, stored};
use crate::credential::Credential;
use crate::error::AppError;
use crate::exit::Exit;
use crate::hibob::Verdict;
use crate::settings::Settings;
use crate::store::profile::validate_profile_name;
use crate::store::{StoredProfile, open_bounded, store_credential};
use crate::validate::{validate_service_user_id, validate_token};

pub async fn run(settings: &Settings, args: &LoginArgs) -> Result<Exit, AppError> {
    validate_profile_name(&settings.profile)?;
    let credential = read_credential(args)?;
    let store = open_bounded(settings.store).await?;

    if args.no_verify {
        let stored = store_credential(settings, store, credential, None).await?;
        eprintln!("{}", stored_message(&stored));
        eprintln!(
            "note: it was not checked (--no-verify). Check it with `hibob-auth check{}`.",
            profile_flag(settings)
        );
        return Ok(Exit::Ok);
    }

    let profiles = stored::profile_dir()?;
    let previous = profiles.read(&settings.profile).ok().flatten();
    let api_url = stored::api_url(settings, &profiles, previous.as_ref())?;
    let report = check_live(api_url, &credential, settings).await?;
    print_report(settings, args.json, &report, Source::Stdin, &credential);
    match report.verdict {
        Verdict::Ok | Verdict::Limited => {
            let stored = store_credential(settings, store, credential, Some(&report)).await?;
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

/// The credential from standard input (the token) and `--service-user-id`, through the shared validation.
fn read_credential(args: &LoginArgs) -> Result<Credential, AppError> {
    let raw = stdin_token::read_token()?;
    let token = validate_token(&raw)?;
    drop(raw);
    for notice in &token.notices {
        eprintln!("note: {notice}");
    }
    match &args.service_user_id {
        Some(id) => {
            let id = validate_service_user_id(id)?;
            for notice in &id.notices {
                eprintln!("note: {notice}");
            }
            Ok(Credential::ServiceUser {
                id: id.value,
                token: token.value,
            })
        }
        None => {
            eprintln!(
                "note: no --service-user-id given, so this is taken as an API access token; HiBob stopped accepting those on 2024-10-31. For a service user, pass --service-user-id SERVICE-…"
            );
            Ok(Credential::ApiToken { token: token.value })
        }
    }
}

fn stored_message(stored: &StoredProfile) -> String {
    format!(
        "Stored profile '{}' in the {}. Profile record (no secret): {}",
        stored.name,
        stored.store,
        stored.record_path.display()
    )
}

fn profile_flag(settings: &Settings) -> String {
    if settings.profile == "default" {
        String::new()
    } else {
        format!(" --profile {}", settings.profile)
    }
}
