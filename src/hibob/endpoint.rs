//! The base URL a check talks to, and the rule that keeps tokens off the network in clear text.

use std::fmt;

use reqwest::Url;

use crate::net::is_loopback_host as is_loopback;

pub const PRODUCTION_URL: &str = "https://api.hibob.com";
pub const SANDBOX_URL: &str = "https://api.sandbox.hibob.com";

/// A validated HiBob API base URL: `https://` anywhere, `http://` only to this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiUrl(Url);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiUrlError {
    #[error("'{0}' is not a valid URL; give a base URL such as {PRODUCTION_URL}")]
    Invalid(String),
    #[error(
        "refusing to send a credential over plain http:// to {0}; use https:// (plain http is allowed only to this machine: 127.0.0.1, ::1, localhost)"
    )]
    PlainHttpToRemoteHost(String),
    #[error("unsupported URL scheme '{0}'; use https://")]
    UnsupportedScheme(String),
    /// Not echoed: the part before `@` may be a password.
    #[error(
        "the API URL must not contain a user name or password (user:password@); give the base URL only, such as {PRODUCTION_URL}"
    )]
    UserInfo,
}

impl ApiUrl {
    pub fn parse(input: &str) -> Result<Self, ApiUrlError> {
        let url = Url::parse(input.trim()).map_err(|_| ApiUrlError::Invalid(input.to_string()))?;
        let host = url
            .host_str()
            .ok_or_else(|| ApiUrlError::Invalid(input.to_string()))?
            .to_string();
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&host) => {}
            "http" => return Err(ApiUrlError::PlainHttpToRemoteHost(host)),
            other => return Err(ApiUrlError::UnsupportedScheme(other.to_string())),
        }
        // User info would be sent as its own Authorization header and shown wherever the URL is shown.
        if !url.username().is_empty() || url.password().is_some() {
            return Err(ApiUrlError::UserInfo);
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(ApiUrlError::Invalid(input.to_string()));
        }
        Ok(ApiUrl(url))
    }

    pub fn production() -> Self {
        ApiUrl::parse(PRODUCTION_URL).expect("the production URL is valid")
    }

    pub fn sandbox() -> Self {
        ApiUrl::parse(SANDBOX_URL).expect("the sandbox URL is valid")
    }

    /// The full URL of an API path such as `/v1/people/search`, keeping any path prefix of the base.
    pub fn join(&self, path: &str) -> Url {
        let base = self.as_str().trim_end_matches('/');
        Url::parse(&format!("{base}{path}")).expect("a valid base URL joined with a static path")
    }

    /// Whether this API is on this machine (loopback). Such a check is never sent through a proxy.
    pub fn is_loopback(&self) -> bool {
        self.0.host_str().is_some_and(is_loopback)
    }

    /// The base URL without a trailing slash, as shown to people and stored in profiles.
    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }
}

impl fmt::Display for ApiUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere() {
        assert_eq!(
            ApiUrl::parse("https://api.hibob.com/").unwrap().as_str(),
            "https://api.hibob.com"
        );
    }

    #[test]
    fn http_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.3.4.5",
            "http://[::1]:9000",
            "http://localhost:1",
        ] {
            assert!(ApiUrl::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            ApiUrl::parse("http://example.com"),
            Err(ApiUrlError::PlainHttpToRemoteHost("example.com".into()))
        );
        assert!(ApiUrl::parse("http://10.0.0.1").is_err());
    }

    #[test]
    fn rejects_garbage_and_other_schemes() {
        assert!(matches!(
            ApiUrl::parse("not a url"),
            Err(ApiUrlError::Invalid(_))
        ));
        assert!(matches!(
            ApiUrl::parse("ftp://api.hibob.com"),
            Err(ApiUrlError::UnsupportedScheme(_))
        ));
    }

    #[test]
    fn refuses_user_info_without_echoing_it() {
        // Found by the api_url fuzz target: an empty user name with a password (`https://:pw@host`) was
        // accepted, so the password would have been shown in reports and sent as Basic auth by reqwest.
        for input in [
            "https://:hunter2@api.hibob.com",
            "https://user@api.hibob.com",
            "https://user:hunter2@api.hibob.com",
            "http://:hunter2@127.0.0.1:8080",
        ] {
            let err = ApiUrl::parse(input).unwrap_err();
            assert_eq!(err, ApiUrlError::UserInfo, "{input}");
            assert!(!err.to_string().contains("hunter2"));
        }
    }

    #[test]
    fn join_keeps_prefix() {
        let base = ApiUrl::parse("http://127.0.0.1:1/prefix/").unwrap();
        assert_eq!(
            base.join("/v1/people").as_str(),
            "http://127.0.0.1:1/prefix/v1/people"
        );
    }
}
