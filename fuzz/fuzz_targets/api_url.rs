//! API base URLs: any text, never a panic; an accepted plain http:// URL is always this machine, and
//! joining a probe's path never changes the scheme, host or port a token would be sent to.
#![no_main]

use hibob_auth::hibob::ApiUrl;
use libfuzzer_sys::fuzz_target;

fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fuzz_target!(|input: &str| {
    let Ok(api_url) = ApiUrl::parse(input) else {
        return;
    };
    let url = reqwest::Url::parse(api_url.as_str()).expect("an accepted URL prints as a valid URL");
    let host = url.host_str().expect("an accepted URL has a host");
    match url.scheme() {
        "https" => {}
        "http" => assert!(is_loopback_host(host), "{input:?} -> http://{host}"),
        other => panic!("{input:?} accepted with scheme {other}"),
    }
    assert!(url.username().is_empty() && url.password().is_none());
    for path in [
        "/v1/company/people/fields",
        "/v1/people/search",
        "/v1/timeoff/outtoday",
    ] {
        let joined = api_url.join(path);
        assert_eq!(joined.scheme(), url.scheme());
        assert_eq!(joined.host_str(), Some(host));
        assert_eq!(joined.port_or_known_default(), url.port_or_known_default());
    }
});
