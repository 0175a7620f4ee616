//! Secrets: a string whose `Debug` is redacted, that has no `Display`, and is wiped from memory on drop.
//!
//! `secrecy::SecretString` gives exactly that (it zeroizes on drop and prints `[REDACTED]`); this module adds
//! the one derived view of a token that may be shown to people: a hint of at most its last four characters.

pub use secrecy::{ExposeSecret, SecretString};

/// Tokens shorter than this get no hint at all: four characters of a short token would give too much away.
const MIN_LEN_FOR_HINT: usize = 16;

/// At most the last four characters of a token, for telling stored credentials apart, e.g. `…a1b2`.
/// Returns `None` when the token is too short to reveal any of it safely.
pub fn token_hint(token: &SecretString) -> Option<String> {
    let value = token.expose_secret();
    let count = value.chars().count();
    if count < MIN_LEN_FOR_HINT {
        return None;
    }
    let tail: String = value.chars().skip(count - 4).collect();
    Some(format!("…{tail}"))
}

/// How a token is shown to people: its hint, or a fixed mask when it is too short for one.
pub fn masked(token: &SecretString) -> String {
    token_hint(token)
        .map(|hint| format!("••••{}", hint.trim_start_matches('…')))
        .unwrap_or_else(|| "••••".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = SecretString::from("super-secret-token-value-1234");
        let shown = format!("{secret:?}");
        assert!(!shown.contains("super-secret"), "{shown}");
    }

    #[test]
    fn hint_shows_at_most_last_four() {
        let secret = SecretString::from("abcdefghijklmnopqrstuvwxyz0123");
        assert_eq!(token_hint(&secret).as_deref(), Some("…0123"));
        assert_eq!(masked(&secret), "••••0123");
    }

    #[test]
    fn short_tokens_get_no_hint() {
        let secret = SecretString::from("short1234");
        assert_eq!(token_hint(&secret), None);
        assert_eq!(masked(&secret), "••••");
    }
}
