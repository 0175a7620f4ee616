//! How a check reaches HiBob: which proxy (if any), which certificate authorities, and how host names
//! are resolved. Everything here is decided once, when the client is built, for the one API it talks to.

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::hibob::endpoint::ApiUrl;
use crate::hibob::proxy::{ProxyError, ProxySettings, ProxyUrl};
use crate::net::trust::{TrustError, TrustSettings};

/// The network settings a check uses, as found in the environment.
#[derive(Debug, Clone, Default)]
pub struct Network {
    pub proxies: ProxySettings,
    pub trust: TrustSettings,
}

#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error(transparent)]
    Proxy(#[from] ProxyError),
    #[error(transparent)]
    Trust(#[from] TrustError),
}

impl NetworkError {
    /// Whether a variable the user set is at fault (usage), not this machine's trust store.
    pub fn is_bad_setting(&self) -> bool {
        !matches!(self, NetworkError::Trust(TrustError::Platform(_)))
    }
}

impl Network {
    pub fn from_env() -> Result<Self, NetworkError> {
        Ok(Network {
            proxies: ProxySettings::from_env()?,
            trust: TrustSettings::from_env(),
        })
    }

    /// A reqwest client builder for talking to `api` and nothing else: the proxy decided for `api` (none
    /// for this machine), the OS trust store plus the extra roots, and a resolver whose failures can be
    /// told apart by type.
    pub fn client_builder(
        &self,
        api: &ApiUrl,
    ) -> Result<(reqwest::ClientBuilder, Option<ProxyUrl>), NetworkError> {
        // Without `no_proxy`, reqwest would also read the proxy variables itself, including for loopback.
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .use_preconfigured_tls(self.trust.client_config()?)
            .dns_resolver(Arc::new(SystemResolver));
        let proxy = self.proxies.proxy_for(api).cloned();
        match &proxy {
            Some(proxy) => {
                tracing::info!(proxy = %proxy.host(), api = %api, "connecting through a proxy");
                // `all`: the API is https (http is loopback only, never proxied), so this is a CONNECT tunnel.
                let rule = reqwest::Proxy::all(proxy.url().as_str()).map_err(|_| ProxyError {
                    name: proxy.var(),
                    reason: "not a valid URL",
                })?;
                builder = builder.proxy(rule);
            }
            None => tracing::info!(api = %api, "connecting directly (no proxy)"),
        }
        Ok((builder, proxy))
    }
}

/// A host name that did not resolve. Its own type, so that a failure is known to be DNS by its type and
/// not by the wording of a message.
#[derive(Debug, thiserror::Error)]
#[error("could not resolve {host}: {source}")]
pub struct ResolveError {
    pub host: String,
    #[source]
    pub source: io::Error,
}

/// The system resolver (`getaddrinfo`, as reqwest's default), on a blocking thread.
#[derive(Debug)]
struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let lookup = host.clone();
            let addrs: Vec<SocketAddr> =
                tokio::task::spawn_blocking(move || (lookup.as_str(), 0).to_socket_addrs())
                    .await
                    .map_err(|err| io::Error::other(err.to_string()))
                    .and_then(|result| result)
                    .map_err(|source| ResolveError { host, source })?
                    .collect();
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}
