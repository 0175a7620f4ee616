//! Thin entry point: parse the command line, set up logging, run the command, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

use hibob_auth::cli::Cli;

fn main() -> ExitCode {
    // Before any secret is read: no core files, no ptrace by other processes of this user.
    hibob_auth::hardening::disable_core_dumps();
    let cli = Cli::parse();
    hibob_auth::logging::init(cli.global.verbose);
    let exit = hibob_auth::app::run(cli);
    exit.into()
}
