//! The command line: commands, flags and the environment variables behind them.
//! No flag takes a token: tokens come from standard input, the environment or the wizard.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::exit::{CHECK_ALL_EXIT_HELP, EXEC_EXIT_CODES_HELP, EXIT_CODES_HELP};
use crate::steps::FlowId;
use crate::store::StoreChoice;

#[derive(Debug, Parser)]
#[command(
    name = "hibob-auth",
    // The version, the git commit it was built from (when built from a checkout) and the target: build.rs.
    version = env!("HIBOB_AUTH_VERSION"),
    about = "Get a HiBob API credential verified and into your OS keyring, and keep it usable.",
    long_about = "Get a HiBob API credential verified and into your OS keyring, and keep it usable.\n\n\
        With no command, opens the guided setup: a full-screen walk through the steps in HiBob, a live \
        check of the credential, and storage in the OS keyring. When credentials are stored it first lists \
        them, to re-check or delete one, or go on to the setup.",
    after_help = main_after_help()
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    /// Options of the guided setup when no command is given.
    #[command(flatten)]
    pub setup: SetupArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// HiBob API base URL (https://, or http:// to this machine only).
    #[arg(
        long,
        global = true,
        env = crate::intake::ENV_API_URL,
        value_name = "URL",
        conflicts_with = "sandbox"
    )]
    pub api_url: Option<String>,

    /// Use HiBob's sandbox, https://api.sandbox.hibob.com.
    #[arg(long, global = true)]
    pub sandbox: bool,

    /// Overall deadline of a live check, in seconds (retries included).
    #[arg(long, global = true, value_name = "SECS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=300))]
    pub timeout: u64,

    /// More logging on stderr (-v, -vv, -vvv). Secrets are never logged. HIBOB_AUTH_LOG takes a filter.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Which stored credential to use.
    #[arg(
        long,
        global = true,
        env = "HIBOB_PROFILE",
        value_name = "NAME",
        default_value = "default"
    )]
    pub profile: String,

    /// Where credentials are kept: the platform's keyring (default), on Linux the kernel keyring (kept
    /// in memory until reboot), or a team's Vault / OpenBao (BAO_ADDR or VAULT_ADDR, see Environment).
    #[arg(long, global = true, env = "HIBOB_AUTH_STORE", value_name = "STORE")]
    pub store: Option<StoreChoice>,

    /// With --store vault: the KV version 2 mount and the prefix under it, MOUNT/PREFIX (the mount may
    /// contain slashes).
    #[arg(
        long,
        global = true,
        env = crate::store::VAULT_PATH_ENV,
        value_name = "MOUNT/PREFIX",
        default_value = crate::store::DEFAULT_VAULT_PATH
    )]
    pub vault_path: String,
}

#[derive(Debug, Args, Clone, Default)]
pub struct SetupArgs {
    /// Skip the flow choice: service-user (HiBob's current method) or api-token (retired by HiBob).
    #[arg(long, value_name = "FLOW")]
    pub flow: Option<FlowId>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The guided setup, straight away (with no command, stored credentials are listed first).
    Setup(SetupArgs),
    /// Replace the profile's service-user token with a new one (reset in HiBob), in the guided setup:
    /// checked live first, stored over the old one only if HiBob accepts it.
    Rotate,
    /// Check a credential live against HiBob: from the environment, or the profile's stored one.
    Check(CheckArgs),
    /// Print the step-by-step instructions. Offline: no network, no keyring.
    Guide(GuideArgs),
    /// Store a credential read from standard input, after checking it live.
    Login(LoginArgs),
    /// Print the stored token (or Authorization header value) for scripts.
    Token(TokenArgs),
    /// Delete the stored credential of a profile (or of all profiles).
    Logout(LogoutArgs),
    /// List stored profiles. No secret, no network.
    Profiles(ProfilesArgs),
    /// Print the completion script of a shell (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `hibob-auth man | man -l -`.
    Man,
    /// Run a command with the profile's credential in its environment, and nowhere else.
    #[command(
        override_usage = "hibob-auth exec [OPTIONS] -- <COMMAND> [ARGS]...",
        long_about = "Run a command with the profile's stored credential in its environment, and nowhere else.\n\n\
        The command gets HIBOB_SERVICE_USER_ID and HIBOB_SERVICE_USER_TOKEN (or HIBOB_API_TOKEN for an API \
        access token) and HIBOB_API_URL, the profile's API. Nothing goes on a command line or into your \
        shell. As with `op run` and `aws-vault exec`, the token is then in that command's environment: the \
        command and every process it starts can read it, and so can its own user and root (on Linux through \
        /proc/PID/environ). Give it only to commands you trust.\n\n\
        On Unix hibob-auth replaces itself with the command, so signals reach the command and its exit status \
        is yours; elsewhere hibob-auth waits for it and exits with its status.\n\n\
        Example: hibob-auth exec --profile sandbox -- python sync.py"
    )]
    Exec(ExecArgs),
}

// ---- the environment ----

/// Every variable the program reads that is not behind a flag above (those show `[env: …]` beside
/// their flag). The proxy and CA variables follow curl's and OpenSSL's conventions, with two spellings
/// each, so they are read by `hibob::proxy` and `net::trust`, which name the variable in any error.
pub const ENVIRONMENT_HELP: &str = "\
Environment:
  HIBOB_SERVICE_USER_ID, HIBOB_SERVICE_USER_TOKEN  the service user `check` checks
  HIBOB_API_TOKEN                     a (retired) API access token to check
  https_proxy, HTTPS_PROXY            the proxy for https (http://[USER:PASSWORD@]HOST:PORT)
  all_proxy, ALL_PROXY                the proxy when no https proxy is set
  no_proxy, NO_PROXY                  hosts, domains or IP ranges to reach directly (* for all);
                                      this machine (127.0.0.0/8, ::1, localhost) is never proxied
  SSL_CERT_FILE, SSL_CERT_DIR         CA certificates (PEM) to trust besides the OS's
  BAO_ADDR, VAULT_ADDR                the Vault / OpenBao server of --store vault (BAO_* read first)
  BAO_TOKEN, VAULT_TOKEN              its token; else the file BAO_TOKEN_PATH, VAULT_TOKEN_PATH
                                      or ~/.vault-token (written by `bao login` / `vault login`)
  BAO_NAMESPACE, VAULT_NAMESPACE      its namespace (sent as X-Vault-Namespace)
  BAO_CACERT, BAO_CAPATH              the CA (a PEM file, or a directory) that signed its certificate,
                                      instead of the OS's (and VAULT_CACERT, VAULT_CAPATH)
  BAO_CLIENT_CERT, BAO_CLIENT_KEY     a client certificate for it (and VAULT_CLIENT_CERT, …_KEY)
  BAO_SKIP_VERIFY, VAULT_SKIP_VERIFY  do not check its certificate (unsafe; warned about every time)
  HIBOB_AUTH_LOG                      a log filter (e.g. hibob_auth=debug), instead of -v
  NO_COLOR                            no colour in the wizard and the logs when set";

fn main_after_help() -> String {
    format!("{ENVIRONMENT_HELP}\n\n{EXIT_CODES_HELP}")
}

// ---- shell integration ----

#[derive(Debug, Args)]
#[command(after_help = "Install (see the README for every shell):\n  \
    bash: hibob-auth completions bash > ~/.local/share/bash-completion/completions/hibob-auth\n  \
    zsh:  hibob-auth completions zsh > ~/.zfunc/_hibob-auth  (with fpath+=~/.zfunc before compinit)\n  \
    fish: hibob-auth completions fish > ~/.config/fish/completions/hibob-auth.fish")]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[command(after_help = check_after_help())]
pub struct CheckArgs {
    /// Print the report as JSON (with --all, an array of them).
    #[arg(long)]
    pub json: bool,
    /// Check every stored profile at once, each against the API it remembers: one line per profile,
    /// and the exit code of the one that needs attention first.
    #[arg(long)]
    pub all: bool,
}

fn check_after_help() -> String {
    format!("{EXIT_CODES_HELP}\n\n{CHECK_ALL_EXIT_HELP}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum GuideFormat {
    #[default]
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct GuideArgs {
    /// Only this flow (default: both, service user first).
    #[arg(long, value_name = "FLOW")]
    pub flow: Option<FlowId>,
    /// Output format.
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    pub format: GuideFormat,
}

#[derive(Debug, Args)]
#[command(after_help = EXIT_CODES_HELP)]
pub struct LoginArgs {
    /// Read the token from standard input (the only way to give one on the command line).
    #[arg(long, required = true)]
    pub token_stdin: bool,
    /// The service user's ID (SERVICE-…). Without it, the token is taken as a (retired) API access token.
    #[arg(long, value_name = "ID", env = "HIBOB_SERVICE_USER_ID")]
    pub service_user_id: Option<String>,
    /// How long to wait for the token on standard input, in seconds.
    #[arg(long, value_name = "SECS", env = "HIBOB_AUTH_STDIN_TIMEOUT", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub stdin_timeout: u64,
    /// Store without checking the credential against HiBob.
    #[arg(long)]
    pub no_verify: bool,
    /// Print the check's report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// Print the whole Authorization header value (`Basic …`, or the bare API token).
    #[arg(long)]
    pub header: bool,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Delete every profile.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
#[command(after_help = EXEC_EXIT_CODES_HELP)]
pub struct ExecArgs {
    /// The command to run (after `--`). PATH is searched as a shell does.
    #[arg(value_name = "COMMAND", value_parser = clap::value_parser!(std::ffi::OsString))]
    pub program: std::ffi::OsString,
    /// Its arguments, passed as they are.
    #[arg(
        value_name = "ARGS",
        num_args = 0..,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_parser = clap::value_parser!(std::ffi::OsString)
    )]
    pub args: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct ProfilesArgs {
    /// Print the profiles as JSON.
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn exec_takes_the_command_and_its_own_flags_after_the_separator() {
        let cli = Cli::try_parse_from([
            "hibob-auth",
            "exec",
            "--profile",
            "sandbox",
            "--",
            "curl",
            "-v",
            "--profile",
            "x",
        ])
        .unwrap();
        assert_eq!(cli.global.profile, "sandbox");
        let Some(Command::Exec(args)) = cli.command else {
            panic!("exec");
        };
        assert_eq!(args.program, "curl");
        assert_eq!(args.args, ["-v", "--profile", "x"]);
        assert!(Cli::try_parse_from(["hibob-auth", "exec"]).is_err());
    }

    #[test]
    fn global_options_work_after_the_subcommand() {
        let cli =
            Cli::try_parse_from(["hibob-auth", "check", "--sandbox", "--timeout", "3", "-vv"])
                .unwrap();
        assert!(cli.global.sandbox);
        assert_eq!(cli.global.timeout, 3);
        assert_eq!(cli.global.verbose, 2);
    }
}
