//! Logging through `tracing` to stderr. Nothing that is logged carries a secret: secrets are typed
//! (`SecretString`, `Credential`) so that even `{:?}` shows them redacted.

use tracing_subscriber::EnvFilter;

/// The variable that takes a full filter, e.g. `HIBOB_AUTH_LOG=hibob_auth=trace,reqwest=debug`.
pub const LOG_ENV: &str = "HIBOB_AUTH_LOG";

/// Install the stderr logger. `-v` shows info, `-vv` debug, `-vvv` trace; `HIBOB_AUTH_LOG` overrides.
pub fn init(verbosity: u8) {
    let default = match verbosity {
        0 => "warn",
        1 => "hibob_auth=info",
        2 => "hibob_auth=debug",
        _ => "hibob_auth=trace,reqwest=debug,hyper_util=debug",
    };
    let filter = EnvFilter::try_from_env(LOG_ENV).unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
