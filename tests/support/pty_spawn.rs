//! Starting a program in a pseudo-terminal of its own and reading what it writes on a thread: the one
//! set-up that the wizard's end-to-end tests (support/pty.rs) and the footprint benchmark share.
#![allow(dead_code)] // The benchmark and each test binary use their own part of this module.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::Path;
use std::thread::JoinHandle;
use std::time::Instant;

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// The terminal's size: what a person's default terminal window has.
pub const ROWS: u16 = 24;
pub const COLS: u16 = 80;

pub fn size(value: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(value).expect("a terminal has rows and columns")
}

/// A program started in a pseudo-terminal.
pub struct Spawned {
    pub child: Box<dyn Child + Send + Sync>,
    /// The terminal's own side: for resizing, and closing it hangs up on the program.
    pub master: Box<dyn MasterPty + Send>,
    /// The program's keyboard.
    pub writer: Box<dyn Write + Send>,
    /// Taken just before the program was started.
    pub started: Instant,
    /// Reads what the program writes until its side of the terminal closes.
    pub reader: JoinHandle<()>,
}

/// Start `program` with `args` in a new `ROWS`×`COLS` pseudo-terminal, in `cwd` if given, with exactly the
/// environment `env`. Each chunk it writes goes to `output` on a reader thread, and `None` once the
/// program's side of the terminal has closed (it exited, with every child that held the terminal).
pub fn spawn(
    program: &str,
    args: &[&str],
    env: &[(impl AsRef<OsStr>, impl AsRef<OsStr>)],
    cwd: Option<&Path>,
    mut output: impl FnMut(Option<&[u8]>) + Send + 'static,
) -> Spawned {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pseudo-terminal");
    let mut command = CommandBuilder::new(program);
    command.args(args);
    if let Some(cwd) = cwd {
        command.cwd(cwd);
    }
    command.env_clear();
    for (name, value) in env {
        command.env(name, value);
        // What was asked to pass must really be there (tests rely on it, e.g. to stop a panic test).
        assert_eq!(command.get_env(name), Some(value.as_ref()));
    }
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = pair.master.take_writer().unwrap();
    let started = Instant::now();
    let child = pair
        .slave
        .spawn_command(command)
        .expect("start the program");
    // Only the child keeps the terminal side open, so reading ends when it exits.
    drop(pair.slave);
    let reader = std::thread::spawn(move || {
        let mut buffer = [0u8; 16 * 1024];
        loop {
            match reader.read(&mut buffer) {
                Ok(read) if read > 0 => output(Some(&buffer[..read])),
                _ => break,
            }
        }
        output(None);
    });
    Spawned {
        child,
        master: pair.master,
        writer,
        started,
        reader,
    }
}
