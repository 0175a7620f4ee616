//! Writing a command's output to standard output without `println!`, which panics when the reader has
//! gone away (`hibob-auth profiles | head -0`).

use std::io::{ErrorKind, Write};

use crate::error::AppError;

/// Write `bytes` to stdout and flush. A reader that went away early is not an error: it has what it
/// wanted, so the command ends quietly (Rust ignores SIGPIPE, so the write fails with `BrokenPipe`
/// instead of killing the process). Any other failure is an I/O error, said as `what`.
pub fn print(bytes: &[u8], what: &'static str) -> Result<(), AppError> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() != ErrorKind::BrokenPipe => Err(AppError::io(what)(err)),
        _ => Ok(()),
    }
}

/// The terminal's width in columns when standard output is one, else `None` (pipes, logs, CI). Checking
/// stdout first matters: the terminal size comes from the controlling terminal, which exists even when
/// output is piped.
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal()
        && let Ok((columns, _rows)) = crossterm::terminal::size()
        && columns > 0
    {
        return Some(usize::from(columns));
    }
    None
}

/// Rows of cells as a plain-text table: each column as wide as its widest cell, two spaces between
/// columns, no trailing blanks. Widths count characters, so `…` in a token hint counts as one.
pub fn table<const N: usize>(rows: &[[String; N]]) -> String {
    let mut widths = [0usize; N];
    for cells in rows {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for cells in rows {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(padded.join("  ").trim_end());
        out.push('\n');
    }
    out
}
