//! `hibob-auth man`: print the manual page (roff, by clap_mangen) from the same command-line definition
//! the program parses. `hibob-auth man | man -l -` reads it; the README says how to install it.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::AppError;
use crate::exit::Exit;
use crate::output;

pub fn run() -> Result<Exit, AppError> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut roff)
        .map_err(AppError::io("could not render the manual page"))?;
    output::print(&roff, "could not write the manual page to standard output")?;
    Ok(Exit::Ok)
}
