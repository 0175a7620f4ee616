//! `hibob-auth check`: check a credential live and report per scope, with a script-grade exit code.

use crate::cli::CheckArgs;
use crate::commands::report_view::{self, Source};
use crate::credential::Credential;
use crate::error::AppError;
use crate::exit::Exit;
use crate::hibob::{HibobClient, run_check};
use crate::secret::masked;
use crate::settings::Settings;
use crate::validate::{validate_service_user_id, validate_token};

pub const ENV_SERVICE_USER_ID: &str = "HIBOB_SERVICE_USER_ID";
pub const ENV_SERVICE_USER_TOKEN: &str = "HIBOB_SERVICE_USER_TOKEN";
pub const ENV_API_TOKEN: &str = "HIBOB_API_TOKEN";

pub async fn run(settings: &Settings, args: &CheckArgs) -> Result<Exit, AppError> {
    refuse_non_unicode_env()?;
    let Some(credential) = credential_from_env(|name| std::env::var(name).ok())? else {
        return Err(AppError::NoCredential {
            profile: settings.profile.clone(),
            hint: format!(
                "Run `hibob-auth` for the guided setup, or set {ENV_SERVICE_USER_ID} and {ENV_SERVICE_USER_TOKEN} (or {ENV_API_TOKEN})."
            ),
        });
    };
    let api_url = settings.api_url_or_default();
    let client = HibobClient::new(api_url).map_err(|err| AppError::Io(err.to_string()))?;
    let report = run_check(&client, &credential, &settings.check, None).await;
    let source = Source::Env;
    let output = if args.json {
        report_view::to_json(&report, &settings.profile, source) + "\n"
    } else {
        report_view::to_text_width(
            &report,
            &settings.profile,
            source,
            &identity(&credential),
            output_width(),
        )
    };
    print_report(&output)?;
    Ok(report.verdict.exit())
}

/// Print the report. A reader that went away (`check | head -1`) is not an error: the exit code still
/// carries the verdict. `println!` would panic there instead.
fn print_report(output: &str) -> Result<(), AppError> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(output.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(AppError::Io(format!("could not print the report: {err}")))
        }
        _ => Ok(()),
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
/// A service user (ID + token) wins over an API token; half a service user is a usage error.
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
        (Some(_), None) => Err(AppError::Usage(format!(
            "{ENV_SERVICE_USER_ID} is set but {ENV_SERVICE_USER_TOKEN} is not; set both, or neither"
        ))),
        (None, Some(_)) => Err(AppError::Usage(format!(
            "{ENV_SERVICE_USER_TOKEN} is set but {ENV_SERVICE_USER_ID} is not; set both, or neither"
        ))),
        (None, None) => match lookup(ENV_API_TOKEN) {
            Some(token) => {
                let token = validate_token(&token).map_err(in_variable(ENV_API_TOKEN))?;
                for notice in &token.notices {
                    eprintln!("note: {notice}");
                }
                Ok(Some(Credential::ApiToken { token: token.value }))
            }
            None => Ok(None),
        },
    }
}
