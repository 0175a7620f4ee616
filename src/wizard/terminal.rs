//! Taking the terminal over and giving it back on every exit path: normal return, error (the guard's drop),
//! panic (a hook that restores before the message prints), Ctrl-C and SIGTERM (the event loop returns).
//!
//! While the wizard runs, nothing but ratatui may write to the screen: when stderr is the same terminal,
//! it is pointed at /dev/null until the terminal is restored (logs go nowhere unless stderr is redirected).

use std::io::{self, Stdout, Write, stdout};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use base64::Engine as _;
use crossterm::cursor::Show;
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode,
    enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use zeroize::Zeroizing;

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Whether the terminal is currently taken over (so restoring twice is harmless).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Owns the taken-over terminal; dropping it restores the terminal.
pub struct TerminalGuard {
    terminal: Tui,
}

impl TerminalGuard {
    pub fn terminal(&mut self) -> &mut Tui {
        &mut self.terminal
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Raw mode, the alternate screen and bracketed paste on; the panic hook installed.
pub fn enter() -> io::Result<TerminalGuard> {
    install_panic_hook();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    stderr_redirect::silence();
    let setup = execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)
        .and_then(|()| Terminal::new(CrosstermBackend::new(stdout())));
    match setup {
        Ok(terminal) => Ok(TerminalGuard { terminal }),
        Err(err) => {
            restore();
            Err(err)
        }
    }
}

/// Give the terminal back: raw mode off, bracketed paste off, main screen, cursor visible, stderr back.
/// Safe to call more than once and from the panic hook.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        // Raw mode first: it has the most side effects (echo, line editing, signals).
        let _ = disable_raw_mode();
        // A panic in the middle of a frame leaves its synchronized update open: close it first.
        let _ = execute!(
            stdout(),
            EndSynchronizedUpdate,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            Show
        );
        let _ = stdout().flush();
        stderr_redirect::restore();
    }
}

fn install_panic_hook() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

/// Put `text` on the clipboard with OSC 52, which terminals (and tmux with `set-clipboard on`) forward to the
/// system clipboard. Invisible: it does not change what is on the screen.
pub fn copy_osc52(out: &mut impl Write, text: &str) -> io::Result<()> {
    // Base64 of a token is as good as the token: wiped when dropped, like the token itself.
    let encoded = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(text.as_bytes()));
    write!(out, "\x1b]52;c;{}\x07", encoded.as_str())?;
    out.flush()
}

#[cfg(target_os = "linux")]
mod stderr_redirect {
    //! Point fd 2 at /dev/null while the wizard draws, when it is the terminal, and back afterwards.

    use std::io::IsTerminal;
    use std::os::fd::AsRawFd;
    use std::sync::atomic::{AtomicI32, Ordering};

    /// The saved copy of the original stderr, or -1.
    static SAVED: AtomicI32 = AtomicI32::new(-1);

    pub fn silence() {
        if !std::io::stderr().is_terminal() {
            return;
        }
        let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") else {
            return;
        };
        // SAFETY: dup and dup2 on valid descriptors (2 is open: it is a terminal; `null` is open); they only
        // change this process's descriptor table.
        unsafe {
            let saved = libc::dup(2);
            if saved >= 0 && libc::dup2(null.as_raw_fd(), 2) >= 0 {
                SAVED.store(saved, Ordering::SeqCst);
            } else if saved >= 0 {
                libc::close(saved);
            }
        }
    }

    pub fn restore() {
        let saved = SAVED.swap(-1, Ordering::SeqCst);
        if saved >= 0 {
            // SAFETY: `saved` is the descriptor `silence` duplicated and nobody else closes it.
            unsafe {
                libc::dup2(saved, 2);
                libc::close(saved);
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod stderr_redirect {
    pub fn silence() {}
    pub fn restore() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_wraps_base64_of_the_text() {
        let mut out = Vec::new();
        copy_osc52(&mut out, "https://app.hibob.com").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\x1b]52;c;aHR0cHM6Ly9hcHAuaGlib2IuY29t\x07"
        );
    }
}
