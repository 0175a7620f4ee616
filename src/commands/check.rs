//! `hibob-auth check`: check a credential live and report per scope, with a script-grade exit code.

use crate::cli::CheckArgs;
use crate::commands::report_view::{self, Source};
use crate::commands::stored;
use crate::credential::Credential;
use crate::error::AppError;
use crate::exit::Exit;
use crate::hibob::{ApiUrl, HibobClient, Report, run_check};
use crate::secret::masked;
use crate::settings::Settings;
use crate::store::persist::record_check;
use crate::validate::{validate_service_user_id, validate_token};

pub const ENV_SERVICE_USER_ID: &str = "HIBOB_SERVICE_USER_ID";
pub const ENV_SERVICE_USER_TOKEN: &str = "HIBOB_SERVICE_USER_TOKEN";
pub const ENV_API_TOKEN: &str = "HIBOB_API_TOKEN";

pub async fn run(settings: &Settings, args: &CheckArgs) -> Result<Exit, AppError> {
    refuse_non_unicode_env()?;
    match credential_from_env(|name| std::env::var(name).ok())? {
        Some(credential) => check_env_credential(settings, args, credential).await,
        None => check_stored_credential(settings, args).await,
    }
}

/// An environment credential wins over a stored one; say so when a stored one exists, so nobody
/// believes the keyring's credential was checked.
async fn check_env_credential(
    settings: &Settings,
    args: &CheckArgs,
    credential: Credential,
) -> Result<Exit, AppError> {
    let has_stored_profile = stored::profile_dir()
        .ok()
        .and_then(|profiles| profiles.read(&settings.profile).ok().flatten())
        .is_some();
    if has_stored_profile {
        eprintln!(
            "note: checking the credential from environment variables ({}); the one stored for profile '{}' is not used. Unset them to check the stored one.",
            stored::env_credential_vars().join(", "),
            settings.profile
        );
    }
    let report = check_live(settings.api_url_or_default(), &credential, settings).await?;
    print_report(settings, args.json, &report, Source::Env, &credential);
    Ok(report.verdict.exit())
}

/// Re-check the profile's stored credential against the API the profile remembers, and record the result.
async fn check_stored_credential(settings: &Settings, args: &CheckArgs) -> Result<Exit, AppError> {
    let profiles = stored::profile_dir()?;
    let loaded = stored::load(settings, &profiles).await?;
    let api_url = stored::api_url(settings, &profiles, Some(&loaded.record))?;
    let report = check_live(api_url, &loaded.credential, settings).await?;
    print_report(
        settings,
        args.json,
        &report,
        Source::Keyring,
        &loaded.credential,
    );
    if let Err(err) = record_check(&profiles, &loaded.name, &loaded.record, &report).await {
        // The verdict stands; only its record is missing.
        eprintln!("warning: the check's result was not recorded: {err}");
    }
    Ok(report.verdict.exit())
}

pub async fn check_live(
    api_url: ApiUrl,
    credential: &Credential,
    settings: &Settings,
) -> Result<Report, AppError> {
    let client = HibobClient::new(api_url).map_err(|err| AppError::Io(err.to_string()))?;
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
            &identity(credential),
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

/// The terminal's width when printing to one, else the default (pipes, logs, CI).
fn output_width() -> usize {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal()
        && let Ok((columns, _)) = crossterm::terminal::size()
    {
        return usize::from(columns).min(120);
    }
    report_view::DEFAULT_WIDTH
}

/// A credential variable that is set but not valid UTF-8 is a usage error, not "no credential".
fn refuse_non_unicode_env() -> Result<(), AppError> {
    for name in [ENV_SERVICE_USER_ID, ENV_SERVICE_USER_TOKEN, ENV_API_TOKEN] {
        if let Err(std::env::VarError::NotUnicode(_)) = std::env::var(name) {
            return Err(AppError::Usage(format!(
                "{name} contains bytes that are not text; copy the value again from HiBob"
            )));
        }
    }
    Ok(())
}

/// Name the variable in a validation error, so the user knows which one to fix. The value is never shown.
fn in_variable(name: &str) -> impl Fn(crate::validate::InputError) -> AppError + '_ {
    move |err| AppError::Usage(format!("{name}: {err}"))
}

/// How a credential is named to people: the service-user ID and the masked token.
pub fn identity(credential: &Credential) -> String {
    match credential.service_user_id() {
        Some(id) => format!("{id}, token {}", masked(credential.token())),
        None => format!("token {}", masked(credential.token())),
    }
}

/// The credential given by environment variables, if any. `lookup` reads a variable (injected for tests).
/// A service user (ID + token) wins over an API token; a service-user token without its ID is a usage error.
pub fn credential_from_env(
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<Option<Credential>, AppError> {
    let id = lookup(ENV_SERVICE_USER_ID);
    let token = lookup(ENV_SERVICE_USER_TOKEN);
    match (id, token) {
        (Some(id), Some(token)) => {
            let id = validate_service_user_id(&id).map_err(in_variable(ENV_SERVICE_USER_ID))?;
            let token = validate_token(&token).map_err(in_variable(ENV_SERVICE_USER_TOKEN))?;
            for notice in id.notices.iter().chain(&token.notices) {
                eprintln!("note: {notice}");
            }
            Ok(Some(Credential::ServiceUser {
                id: id.value,
                token: token.value,
            }))
        }
        (None, Some(_)) => Err(AppError::Usage(format!(
            "{ENV_SERVICE_USER_TOKEN} is set but {ENV_SERVICE_USER_ID} is not; set both, or neither"
        ))),
        // An ID alone is no credential, and `login` reads the same variable for its --service-user-id,
        // so it may well be set on purpose: say it is not used, and go on.
        (id, None) => {
            if id.is_some() {
                eprintln!(
                    "note: {ENV_SERVICE_USER_ID} is set without {ENV_SERVICE_USER_TOKEN}, so it is not used for this check"
                );
            }
            api_token_from_env(&lookup)
        }
    }
}

fn api_token_from_env(
    lookup: &impl Fn(&str) -> Option<String>,
) -> Result<Option<Credential>, AppError> {
    match lookup(ENV_API_TOKEN) {
        Some(token) => {
            let token = validate_token(&token).map_err(in_variable(ENV_API_TOKEN))?;
            for notice in &token.notices {
                eprintln!("note: {notice}");
            }
            Ok(Some(Credential::ApiToken { token: token.value }))
        }
        None => Ok(None),
    }
}
