//! Logging through `tracing` to stderr. Nothing that is logged carries a secret: secrets are typed
//! (`SecretString`, `Credential`) so that even `{:?}` shows them redacted.

use std::io::IsTerminal;

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
        .with_ansi(colour_wanted(
            std::io::stderr().is_terminal(),
            std::env::var_os("NO_COLOR"),
        ))
        .with_target(false)
        .try_init();
}

/// Colour escapes only for a person at a terminal: never into a pipe or a file, and never when
/// `NO_COLOR` is set to anything but the empty string (<https://no-color.org>).
fn colour_wanted(stderr_is_terminal: bool, no_color: Option<std::ffi::OsString>) -> bool {
    stderr_is_terminal && no_color.is_none_or(|value| value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_at_a_terminal_without_no_color() {
        assert!(colour_wanted(true, None));
        assert!(colour_wanted(true, Some("".into())));
        assert!(!colour_wanted(true, Some("1".into())));
        assert!(!colour_wanted(false, None));
        assert!(!colour_wanted(false, Some("".into())));
    }
}
