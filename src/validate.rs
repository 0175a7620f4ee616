//! Input validation shared by every way a credential comes in: stdin, environment, the wizard.
//!
//! Pasted tokens often carry a trailing newline or spaces; those are trimmed and the caller is told so.
//! Anything else odd is refused with a message that says what was wrong, without echoing the value.

use std::fmt;

use zeroize::Zeroizing;

use crate::secret::SecretString;

/// Longer than any HiBob token or ID seen; refusing beyond it keeps a pasted file or binary out of the keyring.
pub const MAX_TOKEN_LEN: usize = 512;
pub const MAX_ID_LEN: usize = 256;

/// What was wrong with an input. Never contains the input itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("the {what} is empty")]
    Empty { what: &'static str },
    #[error("the {what} contains whitespace in the middle; copy it again from HiBob")]
    InnerWhitespace { what: &'static str },
    #[error("the {what} contains a control or non-printable character; copy it again from HiBob")]
    ControlCharacter { what: &'static str },
    #[error("the {what} is {len} characters long, more than the {max} a HiBob {what} can be")]
    TooLong {
        what: &'static str,
        len: usize,
        max: usize,
    },
}

/// Something worth telling the user that does not stop them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputNotice {
    /// Whitespace or newlines around the value were removed.
    Trimmed { what: &'static str },
    /// A service-user ID that does not look like HiBob's usual `SERVICE-…`.
    UnusualServiceUserId,
}

impl fmt::Display for InputNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputNotice::Trimmed { what } => {
                write!(f, "removed whitespace around the {what}")
            }
            InputNotice::UnusualServiceUserId => f.write_str(
                "service-user IDs normally start with SERVICE-; check you copied the ID, not the name",
            ),
        }
    }
}

/// A validated value and anything the user should be told about it.
#[derive(Debug)]
pub struct Validated<T> {
    pub value: T,
    pub notices: Vec<InputNotice>,
}

/// Validate a token. The result is a secret; the raw input is not kept.
pub fn validate_token(raw: &str) -> Result<Validated<SecretString>, InputError> {
    let (trimmed, notices) = check_value(raw, "token", MAX_TOKEN_LEN)?;
    let owned = Zeroizing::new(trimmed.to_string());
    Ok(Validated {
        value: SecretString::from(owned.as_str()),
        notices,
    })
}

/// Validate a service-user ID (not a secret, but pasted the same way).
pub fn validate_service_user_id(raw: &str) -> Result<Validated<String>, InputError> {
    let (trimmed, mut notices) = check_value(raw, "service-user ID", MAX_ID_LEN)?;
    if !trimmed.starts_with("SERVICE-") {
        notices.push(InputNotice::UnusualServiceUserId);
    }
    Ok(Validated {
        value: trimmed.to_string(),
        notices,
    })
}

fn check_value<'a>(
    raw: &'a str,
    what: &'static str,
    max: usize,
) -> Result<(&'a str, Vec<InputNotice>), InputError> {
    let trimmed = raw.trim();
    let mut notices = Vec::new();
    if trimmed.is_empty() {
        return Err(InputError::Empty { what });
    }
    if trimmed.len() != raw.len() {
        notices.push(InputNotice::Trimmed { what });
    }
    let len = trimmed.chars().count();
    if len > max {
        return Err(InputError::TooLong { what, len, max });
    }
    if trimmed.chars().any(char::is_whitespace) {
        return Err(InputError::InnerWhitespace { what });
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() || !c.is_ascii_graphic() && !c.is_alphanumeric())
    {
        return Err(InputError::ControlCharacter { what });
    }
    Ok((trimmed, notices))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::ExposeSecret;

    #[test]
    fn trims_and_says_so() {
        let token = validate_token("  abc123\n").unwrap();
        assert_eq!(token.value.expose_secret(), "abc123");
        assert_eq!(token.notices, vec![InputNotice::Trimmed { what: "token" }]);
    }

    #[test]
    fn clean_token_has_no_notices() {
        let token = validate_token("abc123").unwrap();
        assert!(token.notices.is_empty());
    }

    #[test]
    fn refuses_empty_and_blank() {
        assert_eq!(
            validate_token(" \n\t").unwrap_err(),
            InputError::Empty { what: "token" }
        );
    }

    #[test]
    fn refuses_inner_whitespace() {
        assert!(matches!(
            validate_token("abc def"),
            Err(InputError::InnerWhitespace { .. })
        ));
    }

    #[test]
    fn refuses_control_characters() {
        assert!(matches!(
            validate_token("abc\u{7}def"),
            Err(InputError::ControlCharacter { .. })
        ));
        assert!(matches!(
            validate_token("abc\u{200b}def"),
            Err(InputError::ControlCharacter { .. })
        ));
    }

    #[test]
    fn refuses_absurd_length() {
        let long = "a".repeat(MAX_TOKEN_LEN + 1);
        assert!(matches!(
            validate_token(&long),
            Err(InputError::TooLong { .. })
        ));
    }

    #[test]
    fn errors_never_contain_the_value() {
        let err = validate_token("secretpart anotherpart").unwrap_err();
        assert!(!err.to_string().contains("secretpart"));
    }

    #[test]
    fn warns_on_unusual_service_user_id() {
        let id = validate_service_user_id("bob-integration").unwrap();
        assert_eq!(id.notices, vec![InputNotice::UnusualServiceUserId]);
        let id = validate_service_user_id("SERVICE-42").unwrap();
        assert!(id.notices.is_empty());
    }
}
