//! Credential intake: how a credential comes in from a person or a script, for every front end alike.
//!
//! One function, [`credential`], turns a service-user ID (or none) and a token into a validated
//! [`Credential`] with what the user should be told; the wizard's Connect step, `login` (token on
//! standard input, see [`stdin`]) and `check` (the `HIBOB_*` variables, see [`from_env`]) all call it.

pub mod stdin;

use crate::credential::Credential;
use crate::validate::{InputError, Validated, validate_service_user_id, validate_token};

/// The service user's ID, for `check` (with [`ENV_SERVICE_USER_TOKEN`]) and as `login`'s `--service-user-id`.
pub const ENV_SERVICE_USER_ID: &str = "HIBOB_SERVICE_USER_ID";
/// The service user's token, for `check`.
pub const ENV_SERVICE_USER_TOKEN: &str = "HIBOB_SERVICE_USER_TOKEN";
/// A (retired) API access token, for `check`.
pub const ENV_API_TOKEN: &str = "HIBOB_API_TOKEN";
/// The API's base URL: read as `--api-url`, and set by `exec` for its command.
pub const ENV_API_URL: &str = "HIBOB_API_URL";

/// Which part of the input was wrong. Never contains the input itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    #[error("{0}")]
    Id(InputError),
    #[error("{0}")]
    Token(InputError),
}

/// The credential made of a service-user ID (`None`: an API access token) and a token, both validated
/// the same way wherever they come from, with the notices the caller shows (trimmed whitespace, an
/// unusual ID). The ID is checked first, so a form that is wrong twice points at its first field.
pub fn credential(id: Option<&str>, token: &str) -> Result<Validated<Credential>, IntakeError> {
    let id = id
        .map(validate_service_user_id)
        .transpose()
        .map_err(IntakeError::Id)?;
    let token = validate_token(token).map_err(IntakeError::Token)?;
    let mut notices = Vec::new();
    let value = match id {
        Some(id) => {
            notices.extend(id.notices);
            Credential::ServiceUser {
                id: id.value,
                token: token.value,
            }
        }
        None => Credential::ApiToken { token: token.value },
    };
    notices.extend(token.notices);
    Ok(Validated { value, notices })
}

/// Why the environment's credential cannot be used. Names the variable, never its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvError {
    #[error("{name} contains bytes that are not text; copy the value again from HiBob")]
    NotText { name: &'static str },
    #[error("{name}: {source}")]
    Invalid {
        name: &'static str,
        source: InputError,
    },
    #[error(
        "{ENV_SERVICE_USER_TOKEN} is set but {ENV_SERVICE_USER_ID} is not; set both, or neither"
    )]
    TokenWithoutId,
}

/// A credential found in the environment, if any, and what to tell the user about it.
#[derive(Debug)]
pub struct FromEnv {
    pub credential: Option<Credential>,
    /// Sentences for stderr, each printed as a note.
    pub notes: Vec<String>,
}

/// The credential this process's environment gives (see [`from_env`]).
pub fn from_process_env() -> Result<FromEnv, EnvError> {
    // A variable that is set but not valid UTF-8 is an error, not "no credential".
    for name in [ENV_SERVICE_USER_ID, ENV_SERVICE_USER_TOKEN, ENV_API_TOKEN] {
        if let Err(std::env::VarError::NotUnicode(_)) = std::env::var(name) {
            return Err(EnvError::NotText { name });
        }
    }
    from_env(|name| std::env::var(name).ok())
}

/// The credential given by environment variables, if any. `lookup` reads a variable (injected for tests).
/// A service user (ID + token) wins over an API token; a service-user token without its ID is an error.
pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Result<FromEnv, EnvError> {
    let id = lookup(ENV_SERVICE_USER_ID);
    let token = lookup(ENV_SERVICE_USER_TOKEN);
    let mut notes = Vec::new();
    let (id, token, token_name) = match (id, token) {
        (Some(id), Some(token)) => (Some(id), token, ENV_SERVICE_USER_TOKEN),
        (None, Some(_)) => return Err(EnvError::TokenWithoutId),
        // An ID alone is no credential, and `login` reads the same variable for its --service-user-id,
        // so it may well be set on purpose: say it is not used, and go on.
        (id, None) => {
            if id.is_some() {
                notes.push(format!(
                    "{ENV_SERVICE_USER_ID} is set without {ENV_SERVICE_USER_TOKEN}, so it is not used for this check"
                ));
            }
            match lookup(ENV_API_TOKEN) {
                Some(token) => (None, token, ENV_API_TOKEN),
                None => {
                    return Ok(FromEnv {
                        credential: None,
                        notes,
                    });
                }
            }
        }
    };
    let validated = credential(id.as_deref(), &token).map_err(|err| match err {
        IntakeError::Id(source) => EnvError::Invalid {
            name: ENV_SERVICE_USER_ID,
            source,
        },
        IntakeError::Token(source) => EnvError::Invalid {
            name: token_name,
            source,
        },
    })?;
    notes.extend(validated.notices.iter().map(ToString::to_string));
    Ok(FromEnv {
        credential: Some(validated.value),
        notes,
    })
}

/// The token variables that are set in this environment (names only; values are never read here).
pub fn token_vars_set() -> Vec<&'static str> {
    [ENV_SERVICE_USER_TOKEN, ENV_API_TOKEN]
        .into_iter()
        .filter(|name| std::env::var_os(name).is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::ExposeSecret;
    use crate::validate::InputNotice;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(set, _)| *set == name)
                .map(|(_, value)| value.to_string())
        }
    }

    #[test]
    fn one_function_validates_both_parts_and_keeps_their_notices() {
        let made = credential(Some(" SERVICE-1 "), "token-value\n").unwrap();
        assert_eq!(made.value.service_user_id(), Some("SERVICE-1"));
        assert_eq!(made.value.token().expose_secret(), "token-value");
        assert_eq!(
            made.notices,
            [
                InputNotice::Trimmed {
                    what: "service-user ID"
                },
                InputNotice::Trimmed { what: "token" }
            ]
        );
        let api = credential(None, "abc").unwrap();
        assert!(matches!(api.value, Credential::ApiToken { .. }));
        assert!(matches!(
            credential(Some(""), ""),
            Err(IntakeError::Id(InputError::Empty { .. }))
        ));
        assert!(matches!(
            credential(Some("SERVICE-1"), "a b"),
            Err(IntakeError::Token(InputError::InnerWhitespace { .. }))
        ));
    }

    #[test]
    fn the_environment_names_the_variable_that_is_wrong() {
        let err = from_env(env(&[
            (ENV_SERVICE_USER_ID, "SERVICE-1"),
            (ENV_SERVICE_USER_TOKEN, "a b"),
        ]))
        .unwrap_err();
        assert!(err.to_string().starts_with(ENV_SERVICE_USER_TOKEN), "{err}");
        let err = from_env(env(&[(ENV_API_TOKEN, "")])).unwrap_err();
        assert!(err.to_string().starts_with(ENV_API_TOKEN), "{err}");
        assert_eq!(
            from_env(env(&[(ENV_SERVICE_USER_TOKEN, "t")])).unwrap_err(),
            EnvError::TokenWithoutId
        );
    }

    #[test]
    fn a_service_user_wins_and_an_id_alone_is_noted_not_used() {
        let both = from_env(env(&[
            (ENV_SERVICE_USER_ID, "SERVICE-1"),
            (ENV_SERVICE_USER_TOKEN, "t1"),
            (ENV_API_TOKEN, "t2"),
        ]))
        .unwrap();
        assert_eq!(
            both.credential.unwrap().service_user_id(),
            Some("SERVICE-1")
        );
        let id_only = from_env(env(&[(ENV_SERVICE_USER_ID, "SERVICE-1")])).unwrap();
        assert!(id_only.credential.is_none());
        assert_eq!(id_only.notes.len(), 1, "{:?}", id_only.notes);
        let none = from_env(env(&[])).unwrap();
        assert!(none.credential.is_none() && none.notes.is_empty());
    }
}
