//! The top-level wiring: resolve the settings, start the async runtime, run the guided setup or the
//! command the user asked for, and turn the outcome into a message and an exit code. The two front ends,
//! `wizard` and `commands`, are peers: only this module knows both.

use crate::cli::{Cli, Command};
use crate::commands::{
    check, check_all, completions, exec, guide, login, logout, man, profiles, token,
};
use crate::error::AppError;
use crate::exit::Exit;
use crate::settings::Settings;
use crate::store::{Stores, VaultSettings};
use crate::wizard::{self, Start};

/// Run what the user asked for and return the exit code. Errors are printed here, once.
pub fn run(cli: Cli) -> Exit {
    match dispatch(cli) {
        Ok(exit) => exit,
        Err(error) => {
            eprintln!("error: {error}");
            error.exit()
        }
    }
}

fn dispatch(cli: Cli) -> Result<Exit, AppError> {
    // `guide`, `completions` and `man` are offline and need no runtime, settings or store.
    match &cli.command {
        Some(Command::Guide(args)) => return guide::run(args),
        Some(Command::Completions(args)) => return completions::run(args),
        Some(Command::Man) => return man::run(),
        _ => {}
    }
    let settings = Settings::from_args(&cli.global)?;
    // The one place the OS keyring is chosen: every front end is handed this opener (tests and another
    // store swap it here), as the GitHub CLI's factory hands its commands their dependencies.
    let stores = Stores::os_keyring().with_vault(VaultSettings::from_env(
        Some(&cli.global.vault_path),
        settings.check.timeout,
    ));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(AppError::io("could not start the async runtime"))?;
    let result = match cli.command {
        None => runtime.block_on(wizard::run(
            &settings,
            &stores,
            cli.setup.flow,
            Start::FrontDoor,
        )),
        Some(Command::Setup(args)) => {
            let flow = args.flow.or(cli.setup.flow);
            runtime.block_on(wizard::run(&settings, &stores, flow, Start::Setup))
        }
        Some(Command::Rotate) => {
            runtime.block_on(wizard::run(&settings, &stores, None, Start::Rotate))
        }
        Some(Command::Check(args)) if args.all => {
            runtime.block_on(check_all::run(&settings, &stores, &args))
        }
        Some(Command::Check(args)) => runtime.block_on(check::run(&settings, &stores, &args)),
        Some(Command::Guide(_) | Command::Completions(_) | Command::Man) => {
            unreachable!("handled above")
        }
        Some(Command::Login(args)) => runtime.block_on(login::run(&settings, &stores, &args)),
        Some(Command::Token(args)) => runtime.block_on(token::run(&settings, &stores, &args)),
        Some(Command::Logout(args)) => runtime.block_on(logout::run(&settings, &stores, &args)),
        Some(Command::Profiles(args)) => runtime.block_on(profiles::run(&settings, &stores, &args)),
        Some(Command::Exec(args)) => runtime.block_on(exec::run(&settings, &stores, &args)),
    };
    // A keyring call that timed out still holds a blocking thread; do not wait for it on the way out.
    runtime.shutdown_background();
    result
}
