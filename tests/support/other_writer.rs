//! This test process standing in for another hibob-auth in the middle of a change to a profile: it holds
//! the profile's lock as `store/lock.rs` takes it, so the real binary finds the profile busy.
#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::time::Duration;

use hibob_auth::store::ProfileDir;
use hibob_auth::store::ProfileLock;

/// A held profile lock; dropping it lets go.
pub struct OtherWriter {
    _lock: ProfileLock,
}

impl OtherWriter {
    /// Hold profile `name` of `profiles`, which must be free.
    pub fn hold(profiles: &ProfileDir, name: &str) -> OtherWriter {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime");
        let lock = runtime
            .block_on(ProfileLock::acquire_within(profiles, name, Duration::ZERO))
            .expect("the profile is free");
        OtherWriter { _lock: lock }
    }

    /// How a refused command names this holder.
    pub fn named() -> String {
        format!("another hibob-auth (process {})", std::process::id())
    }
}
