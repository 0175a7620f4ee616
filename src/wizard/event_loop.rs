//! One `select!` over terminal events, the runner's answers, signals and (only while a check or a save is in
//! flight) a spinner tick. The screen is drawn after every message; an idle wizard has nothing to wake it.

use std::io::{self, Write};
use std::time::Duration;

use crossterm::event::Event;
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use crossterm::{execute, queue};
use futures_util::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::MissedTickBehavior;
use zeroize::Zeroizing;

use crate::secret::ExposeSecret;
use crate::wizard::msg::{Effect, Msg};
use crate::wizard::runner::Runner;
use crate::wizard::state::Wizard;
use crate::wizard::terminal::copy_osc52;
use crate::wizard::theme::Theme;
use crate::wizard::update::update;
use crate::wizard::view;

/// The spinner's pace; also the only timer, and it runs only while something is in flight.
const TICK: Duration = Duration::from_millis(100);

/// Run until `update` asks to quit (or the terminal goes away).
pub async fn run<W: Write>(
    terminal: &mut Terminal<CrosstermBackend<W>>,
    wizard: &mut Wizard,
    theme: &Theme,
    runner: &mut Runner,
    answers: &mut UnboundedReceiver<Msg>,
    mut events: impl Stream<Item = io::Result<Event>> + Unpin,
    mut signals: Signals,
) -> io::Result<()> {
    let size = terminal.size()?;
    update(
        wizard,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    );
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    loop {
        // One frame, one synchronized update (mode 2026): a terminal that knows it shows the frame whole,
        // never half drawn; others ignore the two sequences. The pty tests read only whole frames too.
        queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
        terminal.draw(|frame| view::render(frame, wizard, theme))?;
        execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => match to_msg(event) {
                    Some(msg) => msg,
                    None => continue,
                },
                Some(Err(err)) => return Err(err),
                // The terminal is gone: nobody is left to answer a question.
                None => Msg::Terminate,
            },
            Some(msg) = answers.recv() => msg,
            msg = signals.recv() => msg,
            _ = tick.tick(), if wizard.is_busy() => Msg::Tick,
        };
        match update(wizard, msg) {
            Some(Effect::Quit) => return Ok(()),
            Some(Effect::CopyToClipboard(text)) => copy_osc52(terminal.backend_mut(), &text)?,
            Some(Effect::CopySecretToClipboard(secret)) => {
                copy_osc52(terminal.backend_mut(), secret.expose_secret())?
            }
            Some(effect) => runner.run(effect),
            None => {}
        }
    }
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(Zeroizing::new(text))),
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        Event::FocusGained | Event::FocusLost | Event::Mouse(_) => None,
    }
}

/// SIGTERM and SIGINT as messages. (In raw mode Ctrl-C is a key, so SIGINT only comes from `kill`.)
pub struct Signals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl Signals {
    pub fn new() -> io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                terminate: signal(SignalKind::terminate())?,
                interrupt: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Signals {})
        }
    }

    pub async fn recv(&mut self) -> Msg {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.terminate.recv() => Msg::Terminate,
                _ = self.interrupt.recv() => Msg::Interrupt,
            }
        }
        #[cfg(not(unix))]
        {
            match tokio::signal::ctrl_c().await {
                Ok(()) => Msg::Interrupt,
                // No Ctrl-C handler: never resolve, keys still work.
                Err(_) => std::future::pending().await,
            }
        }
    }
}
