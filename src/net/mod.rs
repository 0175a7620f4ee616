//! What every outgoing connection shares, whoever it talks to (HiBob or a secret store): how its
//! settings are read from the environment, which certificate authorities are trusted, and which hosts
//! are this machine.

pub mod env;
pub mod trust;

use std::net::IpAddr;

/// Whether `host` (as a URL spells it: a name, an IPv4 address or a bracketed IPv6 address) is this
/// machine. Plain http is allowed only there, and a connection there is never sent through a proxy.
pub fn is_loopback_host(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_machine_by_name_and_by_address() {
        for host in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.8.9.10",
            "[::1]",
            "::1",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "example.com",
            "localhost.example.com",
            "10.0.0.1",
            "[::2]",
            "",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }
}
