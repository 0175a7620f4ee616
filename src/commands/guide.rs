//! `hibob-auth guide`: the instructions, offline.

use crate::cli::GuideArgs;
use crate::error::AppError;
use crate::exit::Exit;
use crate::steps::guide;

pub fn run(_args: &GuideArgs) -> Result<Exit, AppError> {
    println!(
        "{}",
        serde_json::to_string_pretty(guide()).expect("serializes")
    );
    Ok(Exit::Ok)
}
