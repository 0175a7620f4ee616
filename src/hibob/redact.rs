//! Taking the credential out of what a server sends back.
//!
//! A report quotes the error text of unexpected answers, and reports go to terminals and CI logs. Some
//! servers and proxies repeat the credential they refused ("invalid header: Basic …"); that must not turn a
//! check into a leak. So every answer body has the credential's forms replaced before anything reads it.

use std::borrow::Cow;

use zeroize::Zeroizing;

use crate::credential::Credential;
use crate::secret::ExposeSecret;

/// What replaces the credential in a body.
pub const REDACTED: &str = "[REDACTED]";

/// `body` with every occurrence of the credential replaced by [`REDACTED`]: the whole `Authorization`
/// value, its base64 part, the token, and the token as it looks inside a JSON string (quotes and
/// backslashes escaped). A body without any of them is returned as it is, without a copy.
pub fn redact_credential<'a>(body: &'a str, credential: &Credential) -> Cow<'a, str> {
    let authorization = credential.authorization();
    let header = authorization.expose_secret();
    let token = credential.token().expose_secret();
    let json_escaped = json_escaped(token);
    // Longest first, so that a shorter form inside a longer one does not leave the rest behind.
    let mut forms: Vec<&str> = vec![header, token, json_escaped.as_str()];
    if let Some(base64) = header.strip_prefix("Basic ") {
        forms.push(base64);
    }
    forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
    forms.dedup();
    if !forms.iter().any(|form| body.contains(form)) {
        return Cow::Borrowed(body);
    }
    let mut redacted = body.to_string();
    for form in forms {
        redacted = redacted.replace(form, REDACTED);
    }
    Cow::Owned(redacted)
}

/// The token as a JSON serializer writes it between quotes (validated tokens hold no control characters,
/// so only quotes and backslashes change). Wiped on drop.
fn json_escaped(token: &str) -> Zeroizing<String> {
    let extra = token.chars().filter(|c| matches!(c, '"' | '\\')).count();
    let mut escaped = Zeroizing::new(String::with_capacity(token.len() + extra));
    for c in token.chars() {
        if matches!(c, '"' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::SecretString;

    fn service_user(token: &str) -> Credential {
        Credential::ServiceUser {
            id: "SERVICE-7".into(),
            token: SecretString::from(token),
        }
    }

    #[test]
    fn a_body_without_the_credential_is_untouched() {
        let body = r#"{"error":"filters must not be empty"}"#;
        assert!(matches!(
            redact_credential(body, &service_user("tok-123456")),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn the_header_its_base64_and_the_token_are_replaced() {
        let credential = service_user("tok-123456");
        let header = credential.authorization().expose_secret().to_string();
        let base64 = header.trim_start_matches("Basic ").to_string();
        let body = format!("refused '{header}', i.e. {base64}, token tok-123456.");
        let redacted = redact_credential(&body, &credential);
        assert_eq!(
            redacted,
            "refused '[REDACTED]', i.e. [REDACTED], token [REDACTED]."
        );
    }

    #[test]
    fn a_token_escaped_inside_json_is_replaced() {
        let credential = Credential::ApiToken {
            token: SecretString::from(r#"a"b\c-long-enough"#),
        };
        let body = r#"{"error":"bad token a\"b\\c-long-enough"}"#;
        let redacted = redact_credential(body, &credential);
        assert_eq!(redacted, r#"{"error":"bad token [REDACTED]"}"#);
        let parsed: serde_json::Value = serde_json::from_str(&redacted).unwrap();
        assert_eq!(parsed["error"], "bad token [REDACTED]");
    }
}
