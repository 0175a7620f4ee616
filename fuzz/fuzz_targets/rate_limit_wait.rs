//! `X-RateLimit-Reset` values against any clock: the wait is always between 1 s and 5 s.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use hibob_auth::hibob::client::rate_limit_wait;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (Option<u64>, u64, bool)| {
    let (reset, now_secs, before_epoch) = input;
    let now = if before_epoch {
        UNIX_EPOCH.checked_sub(Duration::from_secs(now_secs))
    } else {
        UNIX_EPOCH.checked_add(Duration::from_secs(now_secs))
    };
    let Some(now) = now else {
        return;
    };
    let wait = rate_limit_wait(reset, now);
    assert!(wait >= Duration::from_secs(1), "{wait:?}");
    assert!(wait <= Duration::from_secs(5), "{wait:?}");
});
