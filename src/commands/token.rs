//! `hibob-auth token [--header]`: print the stored token, or the whole `Authorization` header value, on
//! stdout for `$(…)`. Nothing else goes to stdout; a warning goes to stderr when stdout is a terminal.

use std::io::{IsTerminal, Write};

use zeroize::Zeroizing;

use crate::cli::TokenArgs;
use crate::error::AppError;
use crate::exit::Exit;
use crate::lookup;
use crate::secret::ExposeSecret;
use crate::settings::Settings;
use crate::store::Stores;

pub async fn run(settings: &Settings, stores: &Stores, args: &TokenArgs) -> Result<Exit, AppError> {
    let loaded = lookup::load(settings, stores).await?;
    let value = if args.header {
        loaded.credential.authorization()
    } else {
        loaded.credential.token().clone()
    };
    let mut stdout = std::io::stdout().lock();
    if stdout.is_terminal() {
        eprintln!(
            "warning: this prints a secret to your terminal, where it stays in the scroll-back. Use it in a command instead, e.g. curl -H \"Authorization: $(hibob-auth token --header)\" …"
        );
    }
    let mut line = Zeroizing::new(String::with_capacity(value.expose_secret().len() + 1));
    line.push_str(value.expose_secret());
    line.push('\n');
    stdout
        .write_all(line.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(AppError::io("could not write to standard output"))?;
    Ok(Exit::Ok)
}
