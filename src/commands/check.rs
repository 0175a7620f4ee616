//! `hibob-auth check`: check a credential live and report per scope, with a script-grade exit code.

use crate::cli::CheckArgs;
use crate::credential::Credential;
use crate::error::AppError;
use crate::exit::Exit;
use crate::hibob::report::view::{self as report_view, Source};
use crate::hibob::{ApiUrl, HibobClient, Report, run_check};
use crate::intake;
use crate::lookup::{self, last_check, record_of};
use crate::output;
use crate::settings::Settings;
use crate::store::{StoreChoice, Stores};

pub async fn run(settings: &Settings, stores: &Stores, args: &CheckArgs) -> Result<Exit, AppError> {
    let from_env = intake::from_process_env()?;
    for note in &from_env.notes {
        eprintln!("note: {note}");
    }
    match from_env.credential {
        Some(credential) => check_env_credential(settings, stores, args, credential).await,
        None => check_stored_credential(settings, stores, args).await,
    }
}

/// An environment credential wins over a stored one; say so when a stored one exists, so nobody
/// believes the keyring's credential was checked.
async fn check_env_credential(
    settings: &Settings,
    stores: &Stores,
    args: &CheckArgs,
    credential: Credential,
) -> Result<Exit, AppError> {
    let profiles = stores.profiles(settings.store);
    let has_stored_profile = record_of(&*profiles, &settings.profile)
        .await
        .ok()
        .flatten()
        .is_some();
    if has_stored_profile {
        eprintln!(
            "note: checking the credential from environment variables ({}); the one stored for profile '{}' is not used. Unset them to check the stored one.",
            intake::token_vars_set().join(", "),
            settings.profile
        );
    }
    let report = check_live(settings.api_url_or_default(), &credential, settings).await?;
    print_report(settings, args.json, &report, Source::Env, &credential);
    Ok(report.verdict.exit())
}

/// Re-check the profile's stored credential against the API the profile remembers, and record the result.
async fn check_stored_credential(
    settings: &Settings,
    stores: &Stores,
    args: &CheckArgs,
) -> Result<Exit, AppError> {
    let profiles = stores.profiles(settings.store);
    let loaded = lookup::load(settings, stores).await?;
    let location = profiles.location(&loaded.name);
    let api_url = lookup::api_url(settings, Some(&loaded.record), location)?;
    let report = check_live(api_url, &loaded.credential, settings).await?;
    print_report(
        settings,
        args.json,
        &report,
        stored_source(settings.store),
        &loaded.credential,
    );
    let check = last_check(&report);
    if let Err(err) = profiles
        .record_check(&loaded.name, &loaded.record, check)
        .await
    {
        // The verdict stands; only its record is missing.
        eprintln!("warning: the check's result was not recorded: {err}");
    }
    Ok(report.verdict.exit())
}

/// How a report names the store a profile's credential was read from.
pub fn stored_source(store: StoreChoice) -> Source {
    match store {
        StoreChoice::Native | StoreChoice::Keyutils => Source::Keyring,
        StoreChoice::Vault => Source::Vault,
    }
}

pub async fn check_live(
    api_url: ApiUrl,
    credential: &Credential,
    settings: &Settings,
) -> Result<Report, AppError> {
    let client = HibobClient::new(api_url)?;
    Ok(run_check(&client, credential, &settings.check, None).await)
}

/// Print a check's report as text or JSON on stdout. A reader that went away (`check | head -1`) is not an
/// error: the exit code still carries the verdict (`println!` would panic there instead).
pub fn print_report(
    settings: &Settings,
    json: bool,
    report: &Report,
    source: Source,
    credential: &Credential,
) {
    let output = if json {
        report_view::to_json(report, &settings.profile, source) + "\n"
    } else {
        report_view::to_text_width(
            report,
            &settings.profile,
            source,
            &credential.identity(),
            output_width(),
        )
    };
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(err) = stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
        && err.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("warning: could not print the report: {err}");
    }
}

/// The report's width: the terminal's, at most 120 columns (lines longer than that read badly), else the
/// default.
pub fn output_width() -> usize {
    output::terminal_width()
        .map(|columns| columns.min(120))
        .unwrap_or(report_view::DEFAULT_WIDTH)
}
