//! `hibob-auth guide`: the instructions, offline. No network, keyring, config or HOME; works piped.

use crate::cli::{GuideArgs, GuideFormat};
use crate::error::AppError;
use crate::exit::Exit;
use crate::guide_render::{self, DEFAULT_WIDTH};
use crate::output;
use crate::steps;

pub fn run(args: &GuideArgs) -> Result<Exit, AppError> {
    let guide = guide_render::select(steps::guide(), args.flow);
    let rendered = match args.format {
        GuideFormat::Text => guide_render::render_text(&guide, output_width()),
        GuideFormat::Markdown => guide_render::render_markdown(&guide),
        GuideFormat::Json => guide_render::render_json(&guide),
    };
    output::print(
        rendered.as_bytes(),
        "could not write the guide to standard output",
    )?;
    Ok(Exit::Ok)
}

/// The terminal's width, otherwise [`DEFAULT_WIDTH`].
fn output_width() -> usize {
    output::terminal_width().unwrap_or(DEFAULT_WIDTH)
}
