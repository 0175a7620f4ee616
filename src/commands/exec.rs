//! `hibob-auth exec [--profile P] -- COMMAND [ARGS…]`: run a command with the profile's stored credential in
//! its environment, and nowhere else: not on any command line, not in the calling shell.
//!
//! This is the contract of `op run`, `aws-vault exec` and `doppler run`: the secret is in the one child's
//! environment, so whatever can read that environment (the command, the processes it starts, which inherit
//! it, and on Linux its own user or root through /proc/PID/environ) can read the token. On Unix hibob-auth
//! replaces itself with the command (execve), so signals reach the command directly and its exit status is
//! the one the caller sees; elsewhere it starts the command, waits, and exits with the command's status.

use std::ffi::OsStr;
use std::process::Command;

use crate::cli::ExecArgs;
use crate::credential::Credential;
use crate::error::AppError;
use crate::exit::Exit;
use crate::hibob::ApiUrl;
use crate::intake::{
    ENV_API_TOKEN, ENV_API_URL, ENV_SERVICE_USER_ID, ENV_SERVICE_USER_TOKEN, token_vars_set,
};
use crate::lookup;
use crate::secret::ExposeSecret;
use crate::settings::Settings;
use crate::store::Stores;

pub async fn run(settings: &Settings, stores: &Stores, args: &ExecArgs) -> Result<Exit, AppError> {
    let program = args.program.as_os_str();
    let loaded = lookup::load(settings, stores).await?;
    let location = stores.profiles(settings.store).location(&loaded.name);
    let api_url = lookup::api_url(settings, Some(&loaded.record), location)?;

    let replaced = token_vars_set();
    if !replaced.is_empty() {
        eprintln!(
            "note: {} from this environment {} replaced, for the command only, by the credential of profile '{}'.",
            replaced.join(", "),
            if replaced.len() == 1 { "is" } else { "are" },
            loaded.name
        );
    }

    let mut command = Command::new(program);
    command.args(&args.args);
    let environment = ChildEnvironment::of(&loaded.credential, &api_url);
    for name in &environment.removed {
        command.env_remove(name);
    }
    for (name, value) in &environment.set {
        command.env(name, value.expose_secret());
    }
    drop(environment);
    drop(loaded);
    hand_over(command, program)
}

/// What the command's environment gets: the variables `check` reads a credential from, and the API URL.
/// The other kind's token variable is removed, so a stale one from the caller's shell cannot be used
/// instead of the profile's.
struct ChildEnvironment {
    set: Vec<(&'static str, crate::secret::SecretString)>,
    removed: Vec<&'static str>,
}

impl ChildEnvironment {
    fn of(credential: &Credential, api_url: &ApiUrl) -> ChildEnvironment {
        use crate::secret::SecretString;
        let url = (ENV_API_URL, SecretString::from(api_url.as_str()));
        match credential {
            Credential::ServiceUser { id, token } => ChildEnvironment {
                set: vec![
                    (ENV_SERVICE_USER_ID, SecretString::from(id.as_str())),
                    (ENV_SERVICE_USER_TOKEN, token.clone()),
                    url,
                ],
                removed: vec![ENV_API_TOKEN],
            },
            Credential::ApiToken { token } => ChildEnvironment {
                set: vec![(ENV_API_TOKEN, token.clone()), url],
                removed: vec![ENV_SERVICE_USER_ID, ENV_SERVICE_USER_TOKEN],
            },
        }
    }
}

/// Become the command. Returns only when it could not be started.
#[cfg(unix)]
fn hand_over(mut command: Command, program: &OsStr) -> Result<Exit, AppError> {
    use std::os::unix::process::CommandExt;
    // std resets the signal mask and SIGPIPE (which Rust programs ignore) to their defaults for the new
    // program, so the command starts as it would from a shell.
    let err = command.exec();
    Err(not_started(program, &err))
}

/// Start the command, wait for it and leave with its exit status. Returns only when it could not be started.
#[cfg(not(unix))]
fn hand_over(mut command: Command, program: &OsStr) -> Result<Exit, AppError> {
    let status = command.status().map_err(|err| not_started(program, &err))?;
    // The command's status is the result, whatever its value: Windows exit codes are 32-bit, more than the
    // documented codes (`Exit`) can carry. Nothing is left to clean up: the credential was dropped above.
    std::process::exit(status.code().unwrap_or(1))
}

/// Why the command did not start, with the exit code a shell would give: 127 not found, 126 not runnable.
fn not_started(program: &OsStr, err: &std::io::Error) -> AppError {
    let program = program.to_string_lossy().into_owned();
    if err.kind() == std::io::ErrorKind::NotFound {
        AppError::CommandNotFound { program }
    } else {
        AppError::CommandNotRunnable {
            program,
            detail: err.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretString;

    fn names(environment: &ChildEnvironment) -> Vec<&'static str> {
        environment.set.iter().map(|(name, _)| *name).collect()
    }

    #[test]
    fn a_service_user_gets_id_token_and_api_and_no_api_token() {
        let credential = Credential::ServiceUser {
            id: "SERVICE-7".into(),
            token: SecretString::from("tok-en"),
        };
        let environment = ChildEnvironment::of(&credential, &ApiUrl::sandbox());
        assert_eq!(
            names(&environment),
            [ENV_SERVICE_USER_ID, ENV_SERVICE_USER_TOKEN, ENV_API_URL]
        );
        let values: Vec<&str> = environment
            .set
            .iter()
            .map(|(_, value)| value.expose_secret())
            .collect();
        assert_eq!(
            values,
            ["SERVICE-7", "tok-en", "https://api.sandbox.hibob.com"]
        );
        assert_eq!(environment.removed, [ENV_API_TOKEN]);
    }

    #[test]
    fn an_api_token_gets_the_token_and_api_and_no_service_user() {
        let credential = Credential::ApiToken {
            token: SecretString::from("tok-en"),
        };
        let environment = ChildEnvironment::of(&credential, &ApiUrl::production());
        assert_eq!(names(&environment), [ENV_API_TOKEN, ENV_API_URL]);
        assert_eq!(
            environment.removed,
            [ENV_SERVICE_USER_ID, ENV_SERVICE_USER_TOKEN]
        );
    }

    #[test]
    fn a_command_that_cannot_start_exits_as_a_shell_would() {
        let missing = not_started(
            OsStr::new("nope"),
            &std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        assert_eq!(missing.exit(), Exit::CommandNotFound);
        assert!(
            missing.to_string().contains("'nope' was not found"),
            "{missing}"
        );
        let denied = not_started(
            OsStr::new("./script"),
            &std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        );
        assert_eq!(denied.exit(), Exit::CommandNotRunnable);
        assert!(denied.to_string().contains("To fix:"), "{denied}");
    }
}
