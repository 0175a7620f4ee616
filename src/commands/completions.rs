//! `hibob-auth completions SHELL`: print the shell's completion script (clap_complete), generated from
//! the same command-line definition the program parses, so it never falls out of step.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::AppError;
use crate::exit::Exit;
use crate::output;

pub fn run(args: &CompletionsArgs) -> Result<Exit, AppError> {
    let mut command = Cli::command();
    let name = command.get_name().to_string();
    // Into memory first: clap_complete's generators panic when a write fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, &name, &mut script);
    if args.shell == clap_complete::Shell::Bash {
        script = fix_bash_states(&script, &name);
    }
    output::print(
        &script,
        "could not write the completion script to standard output",
    )?;
    Ok(Exit::Ok)
}

/// clap_complete's bash script spells a subcommand's state two ways when the program's name has a
/// hyphen: the loop that walks the words arrives at `hibob__auth__subcmd__check`, the `case` arms say
/// `hibob__subcmd__auth__subcmd__check`, so nothing after a subcommand ever completes (clap-rs/clap
/// issue 6421, open in clap_complete 4.6.12). Spell the arms as the loop does; the bash test in
/// tests/shell_integration.rs completes a subcommand's values, so it fails if this stops being right.
fn fix_bash_states(script: &[u8], name: &str) -> Vec<u8> {
    let (wrong, right) = (name.replace('-', "__subcmd__"), name.replace('-', "__"));
    String::from_utf8_lossy(script)
        .replace(&format!("{wrong}__subcmd__"), &format!("{right}__subcmd__"))
        .into_bytes()
}
