//! `hibob-auth guide`: the instructions, offline. No network, keyring, config or HOME; works piped.

use std::io::{ErrorKind, IsTerminal, Write};

use crate::cli::{GuideArgs, GuideFormat};
use crate::error::AppError;
use crate::exit::Exit;
use crate::guide_render::{self, DEFAULT_WIDTH};
use crate::steps;

pub fn run(args: &GuideArgs) -> Result<Exit, AppError> {
    let guide = guide_render::select(steps::guide(), args.flow);
    let rendered = match args.format {
        GuideFormat::Text => guide_render::render_text(&guide, output_width()),
        GuideFormat::Markdown => guide_render::render_markdown(&guide),
        GuideFormat::Json => guide_render::render_json(&guide),
    };
    print_all(&rendered)
}

/// The terminal's width when standard output is one, otherwise [`DEFAULT_WIDTH`]. Checking stdout first
/// matters: the terminal size comes from the controlling terminal, which exists even when output is piped.
fn output_width() -> usize {
    if std::io::stdout().is_terminal()
        && let Ok((columns, _rows)) = crossterm::terminal::size()
        && columns > 0
    {
        return usize::from(columns);
    }
    DEFAULT_WIDTH
}

/// Write to stdout. A reader that goes away early (`guide | head -5`) is not an error: it has what it
/// wanted, so the command ends quietly with success instead of panicking as `println!` would.
fn print_all(text: &str) -> Result<Exit, AppError> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(Exit::Ok),
        Err(err) if err.kind() == ErrorKind::BrokenPipe => Ok(Exit::Ok),
        Err(err) => Err(AppError::io("could not write the guide to standard output")(err)),
    }
}
