//! Which HTTP proxy a check goes through, read from the environment the way curl reads it, and the rule
//! that a check to this machine never goes through one.
//!
//! curl's conventions (curl(1), "ENVIRONMENT"; libcurl's CURLOPT_NOPROXY): `https_proxy` / `HTTPS_PROXY`
//! name the proxy for https URLs, `all_proxy` / `ALL_PROXY` the proxy for any URL without its own, and
//! `no_proxy` / `NO_PROXY` a comma-separated list of hosts, domains (which cover their subdomains) and IP
//! ranges to reach directly, or `*` for all. The lower-case name wins when both are set, as in curl.
//!
//! An https check is tunnelled through the proxy with `CONNECT`, so the proxy sees the host name and
//! encrypted bytes, never the `Authorization` header. Plain http is only ever allowed to this machine
//! ([`ApiUrl`]), and a check to this machine is never proxied whatever the environment says: a proxy
//! would otherwise receive the credential in clear text.

use std::fmt;

use hyper_util::client::proxy::matcher::Matcher;
use reqwest::Url;

use crate::hibob::endpoint::ApiUrl;
use crate::net::env::first_set;

/// The variables read, in the order they are looked up (lower case first, as curl does).
pub const HTTPS_PROXY_VARS: [&str; 2] = ["https_proxy", "HTTPS_PROXY"];
pub const ALL_PROXY_VARS: [&str; 2] = ["all_proxy", "ALL_PROXY"];
pub const NO_PROXY_VARS: [&str; 2] = ["no_proxy", "NO_PROXY"];

/// A proxy's URL. It may carry a user name and password, so only [`ProxyUrl::host`] is ever shown.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyUrl {
    url: Url,
    /// The variable it came from, to name in messages.
    var: &'static str,
}

impl ProxyUrl {
    /// `host:port`, for logs and messages: never the user name or password.
    pub fn host(&self) -> String {
        let host = self.url.host_str().unwrap_or_default();
        match self.url.port_or_known_default() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        }
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The environment variable that named this proxy.
    pub fn var(&self) -> &'static str {
        self.var
    }
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProxyUrl({} from {})", self.host(), self.var)
    }
}

/// A proxy variable that cannot be used. The value is not echoed: it may hold a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the environment variable {name} is not a proxy URL hibob-auth can use ({reason}); \
     set it to http://HOST:PORT (or http://USER:PASSWORD@HOST:PORT), or unset it"
)]
pub struct ProxyError {
    pub name: &'static str,
    pub reason: &'static str,
}

/// The proxy settings found in the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxySettings {
    https: Option<ProxyUrl>,
    all: Option<ProxyUrl>,
    /// The raw `NO_PROXY` list; reqwest applies it with curl's matching rules.
    no_proxy: Option<String>,
}

impl ProxySettings {
    /// Read the settings through `lookup` (the process environment in the program, a map in tests).
    /// An empty variable counts as unset, as in curl.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ProxyError> {
        let first = |names: [&'static str; 2]| first_set(&lookup, names);
        let parse = |found: Option<(&'static str, String)>| {
            found
                .map(|(name, value)| parse_proxy_url(name, &value))
                .transpose()
        };
        Ok(ProxySettings {
            https: parse(first(HTTPS_PROXY_VARS))?,
            all: parse(first(ALL_PROXY_VARS))?,
            no_proxy: first(NO_PROXY_VARS).map(|(_, value)| value),
        })
    }

    pub fn from_env() -> Result<Self, ProxyError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// The proxy a check to `api` goes through, or `None` for a direct connection. A client talks only to
    /// its one API host (redirects are off), so this one decision covers every request it sends.
    pub fn proxy_for(&self, api: &ApiUrl) -> Option<&ProxyUrl> {
        if api.is_loopback() {
            return None;
        }
        let proxy = self.https.as_ref().or(self.all.as_ref())?;
        match &self.no_proxy {
            Some(list) if bypasses(list, api) => None,
            _ => Some(proxy),
        }
    }
}

/// Whether `NO_PROXY` (`list`) sends `api` direct, by curl's rules as hyper-util implements them for
/// reqwest (its `NoProxy` is not public): a matcher whose only proxy is a placeholder intercepts exactly
/// the hosts the list does not name.
fn bypasses(list: &str, api: &ApiUrl) -> bool {
    let Ok(target) = api.join("/").as_str().parse::<http::Uri>() else {
        return false;
    };
    Matcher::builder()
        .all("http://placeholder.invalid")
        .no(list)
        .build()
        .intercept(&target)
        .is_none()
}

/// Parse a proxy variable's value as curl does: a URL, or `HOST:PORT` meaning `http://HOST:PORT`.
fn parse_proxy_url(name: &'static str, value: &str) -> Result<ProxyUrl, ProxyError> {
    let value = value.trim();
    let with_scheme = if value.contains("://") {
        value.to_string()
    } else {
        format!("http://{value}")
    };
    let error = |reason| ProxyError { name, reason };
    let url = Url::parse(&with_scheme).map_err(|_| error("not a valid URL"))?;
    match url.scheme() {
        "http" | "https" => {}
        // reqwest is built without SOCKS support; saying so beats a connection failure later.
        _ => return Err(error("only http:// and https:// proxies are supported")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(error("no host name"));
    }
    Ok(ProxyUrl { url, var: name })
}

#[cfg(test)]
mod tests {
    use crate::net::env::fixed;

    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Result<ProxySettings, ProxyError> {
        ProxySettings::from_lookup(fixed(vars))
    }

    fn host_for(vars: &[(&str, &str)], api: &str) -> Option<String> {
        settings(vars)
            .unwrap()
            .proxy_for(&ApiUrl::parse(api).unwrap())
            .map(ProxyUrl::host)
    }

    const EVERY_PROXY_VARIABLE: [(&str, &str); 6] = [
        ("https_proxy", "http://proxy.corp:3128"),
        ("HTTPS_PROXY", "http://proxy.corp:3128"),
        ("all_proxy", "http://proxy.corp:3128"),
        ("ALL_PROXY", "http://proxy.corp:3128"),
        ("http_proxy", "http://proxy.corp:3128"),
        ("HTTP_PROXY", "http://proxy.corp:3128"),
    ];

    #[test]
    fn this_machine_is_never_proxied_whatever_the_environment_says() {
        for api in [
            "http://127.0.0.1:8080",
            "http://127.9.9.9:1",
            "http://[::1]:8080",
            "http://localhost:8080",
            "https://localhost:8443",
            "https://127.0.0.1:8443",
        ] {
            assert_eq!(host_for(&EVERY_PROXY_VARIABLE, api), None, "{api}");
        }
    }

    #[test]
    fn https_proxy_then_all_proxy_lower_case_first() {
        let api = "https://api.hibob.com";
        assert_eq!(host_for(&[], api), None);
        assert_eq!(
            host_for(&[("HTTPS_PROXY", "http://upper:1")], api).as_deref(),
            Some("upper:1")
        );
        assert_eq!(
            host_for(
                &[
                    ("HTTPS_PROXY", "http://upper:1"),
                    ("https_proxy", "http://lower:2")
                ],
                api
            )
            .as_deref(),
            Some("lower:2")
        );
        assert_eq!(
            host_for(&[("ALL_PROXY", "http://all:3")], api).as_deref(),
            Some("all:3")
        );
        assert_eq!(
            host_for(
                &[
                    ("ALL_PROXY", "http://all:3"),
                    ("HTTPS_PROXY", "http://https:4")
                ],
                api
            )
            .as_deref(),
            Some("https:4")
        );
        // The http proxy is for http URLs, and http goes only to this machine.
        assert_eq!(host_for(&[("HTTP_PROXY", "http://plain:5")], api), None);
        // A bare HOST:PORT means http://HOST:PORT, as in curl; the default port of http is 80.
        assert_eq!(
            host_for(&[("HTTPS_PROXY", "proxy.corp:3128")], api).as_deref(),
            Some("proxy.corp:3128")
        );
        assert_eq!(
            host_for(&[("HTTPS_PROXY", "http://proxy.corp")], api).as_deref(),
            Some("proxy.corp:80")
        );
    }

    #[test]
    fn no_proxy_follows_curl() {
        let proxy = ("HTTPS_PROXY", "http://proxy.corp:3128");
        let direct =
            |no_proxy: &str, api: &str| host_for(&[proxy, ("NO_PROXY", no_proxy)], api).is_none();
        assert!(
            direct("hibob.com", "https://api.hibob.com"),
            "a domain covers its subdomains"
        );
        assert!(direct(".hibob.com", "https://api.sandbox.hibob.com"));
        assert!(direct("api.hibob.com", "https://api.hibob.com"));
        assert!(direct("example.org, *", "https://api.hibob.com"));
        assert!(direct("10.0.0.0/8", "https://10.1.2.3"));
        assert!(
            !direct("bob.com", "https://api.hibob.com"),
            "not a suffix at a dot"
        );
        assert!(!direct("sandbox.hibob.com", "https://api.hibob.com"));
        assert!(!direct("", "https://api.hibob.com"));
        assert!(
            host_for(
                &[proxy, ("no_proxy", "hibob.com"), ("NO_PROXY", "other")],
                "https://api.hibob.com"
            )
            .is_none(),
            "lower case first"
        );
    }

    #[test]
    fn a_bad_proxy_variable_is_named_and_its_value_never_echoed() {
        for (value, reason) in [
            (
                "socks5://user:hunter2@proxy:1080",
                "only http:// and https://",
            ),
            ("http://user:hunter2@", "not a valid URL"),
            ("http://[hunter2", "not a valid URL"),
        ] {
            let err = settings(&[("https_proxy", value)]).unwrap_err();
            let message = err.to_string();
            assert!(message.contains("https_proxy"), "{message}");
            assert!(message.contains(reason), "{message}");
            assert!(!message.contains("hunter2"), "{message}");
        }
        // Empty means unset, as in curl.
        assert_eq!(
            settings(&[("HTTPS_PROXY", " ")]).unwrap(),
            ProxySettings::default()
        );
    }

    #[test]
    fn a_proxy_url_shows_its_host_never_its_password() {
        let settings =
            settings(&[("HTTPS_PROXY", "http://alice:hunter2@proxy.corp:3128")]).unwrap();
        let proxy = settings
            .proxy_for(&ApiUrl::parse("https://api.hibob.com").unwrap())
            .unwrap();
        assert_eq!(proxy.host(), "proxy.corp:3128");
        assert!(!format!("{settings:?}").contains("hunter2"));
        assert!(!format!("{settings:?}").contains("alice"));
    }
}
