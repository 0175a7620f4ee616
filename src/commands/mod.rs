//! One module per command. `dispatch` is the only place that turns errors into messages and exit codes.

pub mod check;
pub mod exec;
pub mod guide;
pub mod login;
pub mod logout;
pub mod profiles;
pub mod report_view;
pub mod stdin_token;
pub mod stored;
pub mod token;

use crate::cli::{Cli, Command};
use crate::error::AppError;
use crate::exit::Exit;
use crate::settings::Settings;

/// Run the command the user asked for and return the exit code. Errors are printed here, once.
pub fn dispatch(cli: Cli) -> Exit {
    match run(cli) {
        Ok(exit) => exit,
        Err(error) => {
            eprintln!("error: {error}");
            error.exit()
        }
    }
}

fn run(cli: Cli) -> Result<Exit, AppError> {
    // `guide` is offline and needs no runtime, settings or store.
    if let Some(Command::Guide(args)) = &cli.command {
        return guide::run(args);
    }
    let settings = Settings::from_args(&cli.global)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| AppError::Io(format!("could not start the async runtime: {err}")))?;
    let result = match cli.command {
        None => runtime.block_on(crate::wizard::run(&settings, cli.setup.flow)),
        Some(Command::Setup(args)) => {
            let flow = args.flow.or(cli.setup.flow);
            runtime.block_on(crate::wizard::run(&settings, flow))
        }
        Some(Command::Check(args)) => runtime.block_on(check::run(&settings, &args)),
        Some(Command::Guide(_)) => unreachable!("handled above"),
        Some(Command::Login(args)) => runtime.block_on(login::run(&settings, &args)),
        Some(Command::Token(args)) => runtime.block_on(token::run(&settings, &args)),
        Some(Command::Logout(args)) => runtime.block_on(logout::run(&settings, &args)),
        Some(Command::Profiles(args)) => profiles::run(&settings, &args),
        Some(Command::Exec(args)) => runtime.block_on(exec::run(&settings, &args)),
    };
    // A keyring call that timed out still holds a blocking thread; do not wait for it on the way out.
    runtime.shutdown_background();
    result
}
