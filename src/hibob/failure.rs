//! What kind of failure a request met (DNS, connection, TLS, timeout), told from the types in the error's
//! `source()` chain, never from the wording of its messages (which a dependency may change at any time).
//!
//! The chain of a reqwest error looks like: `reqwest::Error` > hyper-util's client error > the connector's
//! error > an `io::Error`, which may wrap a `rustls::Error` (TLS) or our [`ResolveError`] (DNS). One trap:
//! `io::Error::source()` skips the error it wraps (it returns that error's own source), so the walk steps
//! into an `io::Error` through `get_ref()`.

use std::error::Error as StdError;
use std::io;

use rustls::{CertificateError, Error as TlsError};

use crate::hibob::probe::TransportFailure;
use crate::hibob::proxy::ProxyUrl;
use crate::hibob::transport::ResolveError;

/// How long one connection attempt may take (set on the client), named in the message when it runs out.
pub const CONNECT_TIMEOUT_SECS: u64 = 5;

/// The hint for a certificate that is not trusted, the usual case behind a company proxy.
pub const UNTRUSTED_HINT: &str = "If a proxy inspects TLS (common in companies): install the company CA in the OS, or set SSL_CERT_FILE to a PEM file holding it";

/// Classify a failed request. `proxy` is the proxy the client goes through, if any, so that a failure
/// to reach the proxy is not reported as a failure to reach HiBob.
pub fn classify(err: &reqwest::Error, proxy: Option<&ProxyUrl>) -> TransportFailure {
    classify_chain(err, err.is_timeout(), err.is_connect(), proxy)
}

/// The same for any error chain; `timed_out` and `connecting` are what reqwest knows about the request.
fn classify_chain(
    err: &(dyn StdError + 'static),
    timed_out: bool,
    connecting: bool,
    proxy: Option<&ProxyUrl>,
) -> TransportFailure {
    if let Some(tls) = find::<TlsError>(err) {
        return TransportFailure::Tls(describe_tls(tls));
    }
    if let Some(dns) = find::<ResolveError>(err) {
        let whose = match proxy {
            Some(proxy) if dns.host.eq_ignore_ascii_case(host_only(proxy)) => format!(
                "the proxy's host name {} (from {}); check that variable",
                dns.host,
                proxy.var()
            ),
            _ => format!("{}; check the API URL and your network or VPN", dns.host),
        };
        return TransportFailure::Dns(format!("{whose}: {}", dns.source));
    }
    if timed_out {
        // Only the connect phase has its own timeout; the overall deadline is enforced around the probe
        // and reported with its real length there.
        return TransportFailure::Connect(format!(
            "no connection within {CONNECT_TIMEOUT_SECS} s{}",
            proxy.map_or(String::new(), |p| format!(
                " through the proxy {}",
                p.host()
            ))
        ));
    }
    if let Some(io) = find::<io::Error>(err)
        && let Some(what) = describe_io(io.kind())
    {
        // Every connection goes to the proxy when there is one, so that is where it failed.
        let detail = match proxy {
            Some(proxy) => format!(
                "{what}, going through the proxy {} (from {})",
                proxy.host(),
                proxy.var()
            ),
            None => what.to_string(),
        };
        return if connecting {
            TransportFailure::Connect(detail)
        } else {
            TransportFailure::Other(detail)
        };
    }
    let innermost = innermost(err);
    match (connecting, proxy) {
        // The tunnel's own failures (the proxy answered CONNECT with an error, asked for a password, or
        // closed) have no public type in hyper-util; a connect-phase failure that is none of the above
        // while a proxy is in use is one of them.
        (true, Some(proxy)) => TransportFailure::Connect(format!(
            "the proxy {} (from {}) did not open a tunnel to HiBob ({innermost}); if it needs a user \
             name and password, put them in the proxy URL (http://USER:PASSWORD@HOST:PORT)",
            proxy.host(),
            proxy.var()
        )),
        (true, None) => TransportFailure::Connect(innermost),
        (false, _) => TransportFailure::Other(innermost),
    }
}

/// The first error of type `T` in the chain, stepping into `io::Error`s.
fn find<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    chain(err).find_map(|e| e.downcast_ref::<T>())
}

/// The error and its causes, outermost first, including the errors `io::Error`s wrap.
fn chain<'a>(
    err: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(err), |&e: &&'a (dyn StdError + 'static)| match e
        .downcast_ref::<io::Error>()
    {
        Some(io) => io.get_ref().map(|inner| inner as &(dyn StdError + 'static)),
        None => e.source(),
    })
}

/// The innermost cause's message: for people to read (it says the most), never to decide on.
fn innermost(err: &(dyn StdError + 'static)) -> String {
    chain(err).last().map(|e| e.to_string()).unwrap_or_default()
}

/// The connection failures told apart by their `io::ErrorKind`, in words.
fn describe_io(kind: io::ErrorKind) -> Option<&'static str> {
    Some(match kind {
        io::ErrorKind::ConnectionRefused => {
            "connection refused: nothing is listening at that address"
        }
        io::ErrorKind::TimedOut => "the connection timed out",
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
            "no route to that address (offline, or a VPN or firewall in the way)"
        }
        io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
            "the connection was closed by the other end (or by something on the way, such as a firewall)"
        }
        io::ErrorKind::UnexpectedEof => "the connection closed before an answer came",
        _ => return None,
    })
}

fn host_only(proxy: &ProxyUrl) -> &str {
    proxy.url().host_str().unwrap_or_default()
}

/// A TLS failure in words: what happened and what to do.
fn describe_tls(err: &TlsError) -> String {
    const NOT_TRUSTED: &str = "the server's certificate was not trusted";
    let TlsError::InvalidCertificate(cert) = err else {
        return match err {
            TlsError::AlertReceived(alert) => format!(
                "the server ended the handshake ({alert:?}); it may not accept this client's TLS versions"
            ),
            other => other.to_string(),
        };
    };
    let (why, what_to_do) = match cert {
        CertificateError::UnknownIssuer => (
            "it was issued by an authority this computer does not trust (UnknownIssuer).",
            UNTRUSTED_HINT,
        ),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            ("it has expired (Expired);", "check this computer's clock")
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => (
            "it is not valid yet (NotValidYet);",
            "check this computer's clock",
        ),
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => (
            "it is for a different host name (NotValidForName);",
            "check the API URL",
        ),
        CertificateError::Revoked => (
            "it has been revoked (Revoked);",
            "HiBob's certificate should never be: check the API URL",
        ),
        other => return format!("{NOT_TRUSTED} ({other:?}). {UNTRUSTED_HINT}"),
    };
    format!("{NOT_TRUSTED}: {why} {what_to_do}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error chain shaped like reqwest's: an outer error whose source is an `io::Error` wrapping `inner`.
    #[derive(Debug)]
    struct Outer(io::Error);

    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("error sending request")
        }
    }

    impl StdError for Outer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    fn classify_io(io: io::Error, connecting: bool) -> TransportFailure {
        classify_chain(&Outer(io), false, connecting, None)
    }

    #[test]
    fn tls_errors_are_found_inside_io_errors() {
        let io = io::Error::new(
            io::ErrorKind::InvalidData,
            TlsError::InvalidCertificate(CertificateError::UnknownIssuer),
        );
        let TransportFailure::Tls(detail) = classify_io(io, true) else { panic!("not TLS") };
        assert!(detail.contains("UnknownIssuer"), "{detail}");
        assert!(
            detail.contains("install the company CA in the OS, or set SSL_CERT_FILE"),
            "{detail}"
        );
    }

    #[test]
    fn every_certificate_problem_is_worded() {
        for (error, words) in [
            (CertificateError::Expired, "expired"),
            (CertificateError::NotValidYet, "not valid yet"),
            (CertificateError::NotValidForName, "different host name"),
            (CertificateError::Revoked, "revoked"),
            (CertificateError::BadSignature, "SSL_CERT_FILE"),
        ] {
            let detail = describe_tls(&TlsError::InvalidCertificate(error));
            assert!(detail.contains(words), "{detail}");
            assert!(detail.contains("certificate was not trusted"), "{detail}");
        }
        let alert = describe_tls(&TlsError::AlertReceived(
            rustls::AlertDescription::HandshakeFailure,
        ));
        assert!(alert.contains("HandshakeFailure"), "{alert}");
    }

    #[test]
    fn dns_is_our_resolver_error() {
        let dns = ResolveError {
            host: "api.hibob.example".into(),
            source: io::Error::other("no such host"),
        };
        let failure = classify_chain(&Outer(io::Error::other(dns)), false, true, None);
        let TransportFailure::Dns(detail) = failure else { panic!("not DNS: {failure:?}") };
        assert!(detail.contains("api.hibob.example"), "{detail}");
    }

    #[test]
    fn io_kinds_become_connection_failures() {
        for kind in [
            io::ErrorKind::ConnectionRefused,
            io::ErrorKind::TimedOut,
            io::ErrorKind::HostUnreachable,
            io::ErrorKind::NetworkUnreachable,
            io::ErrorKind::ConnectionReset,
        ] {
            let failure = classify_io(io::Error::from(kind), true);
            assert!(
                matches!(failure, TransportFailure::Connect(_)),
                "{kind:?}: {failure:?}"
            );
        }
        // After the connection was made, a reset is not a connection failure.
        let failure = classify_io(io::Error::from(io::ErrorKind::ConnectionReset), false);
        assert!(matches!(failure, TransportFailure::Other(_)), "{failure:?}");
    }

    #[test]
    fn a_timeout_names_the_connect_timeout() {
        let failure = classify_chain(&Outer(io::Error::other("x")), true, true, None);
        assert_eq!(
            failure,
            TransportFailure::Connect(format!("no connection within {CONNECT_TIMEOUT_SECS} s"))
        );
    }
}
