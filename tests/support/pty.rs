//! The real binary in a pseudo-terminal (portable-pty), its screen read back with a terminal emulator
//! (vt100): spawning, typing and pasting, waiting for a screen, and checking that the terminal was given
//! back. Shared by the wizard's end-to-end tests, the fault matrix and the leak tests.
#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::home::TestHome;
use super::pty_spawn;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub use super::pty_spawn::{COLS, ROWS, size};

pub const BIN: &str = env!("CARGO_BIN_EXE_hibob-auth");
/// How long a screen may take to appear. Generous: a loaded CI machine builds and runs several tests at once.
pub const PATIENCE: Duration = Duration::from_secs(30);

pub const DOWN: &str = "\x1b[B";
pub const ENTER: &str = "\r";
pub const TAB: &str = "\t";
pub const CTRL_C: &str = "\x03";
pub const PAGE_DOWN: &str = "\x1b[6~";

/// A program running in a pseudo-terminal, and what its screen shows.
pub struct Pty {
    pub child: Box<dyn Child + Send + Sync>,
    /// Private, with the emulator: both change size together in [`Pty::resize`].
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<Emulator>>,
    /// Every byte the program wrote to the terminal, as written.
    raw: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
    home: TestHome,
}

impl Pty {
    pub fn spawn(program: &str, args: &[&str], home: TestHome) -> Pty {
        Pty::spawn_with(program, args, &[], home)
    }

    pub fn spawn_with(program: &str, args: &[&str], env: &[(&str, &str)], home: TestHome) -> Pty {
        // The test home's environment (support/home.rs): no HIBOB_* of the person running the tests, no
        // display (so no browser opens), no D-Bus session but the one a test starts itself. And a colour
        // terminal as people have one: the home's NO_COLOR is for piped output, not for a screen.
        let mut environment: Vec<(&str, OsString)> = home
            .env()
            .into_iter()
            .filter(|(name, _)| *name != "NO_COLOR")
            .collect();
        environment.push(("TERM", "xterm-256color".into()));
        environment.push(("LANG", "C.UTF-8".into()));
        environment.extend(env.iter().map(|(name, value)| (*name, value.into())));
        let screen = Arc::new(Mutex::new(Emulator::new()));
        let emulator = Arc::clone(&screen);
        let raw = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&raw);
        let spawned = pty_spawn::spawn(
            program,
            args,
            &environment,
            Some(home.path()),
            move |output| match output {
                Some(bytes) => {
                    recorded.lock().unwrap().extend_from_slice(bytes);
                    emulator.lock().unwrap().feed(bytes);
                }
                // The program is gone: whatever it left on the screen is all there will be.
                None => emulator.lock().unwrap().in_frame = false,
            },
        );
        Pty {
            child: spawned.child,
            master: spawned.master,
            writer: spawned.writer,
            screen,
            raw,
            reader: Some(spawned.reader),
            home,
        }
    }

    pub fn wizard(args: &[&str]) -> Pty {
        Pty::spawn(BIN, args, TestHome::new())
    }

    /// Read the screen as it is between frames: while the program is inside a synchronized update (a
    /// frame it has begun and not yet ended, see the wizard's event loop), wait for the update to end, so
    /// no capture holds half of one frame and half of the one before.
    pub fn whole_frame<T>(&self, read: impl FnOnce(&vt100::Screen) -> T) -> T {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let emulator = self.screen.lock().unwrap();
            if !emulator.in_frame {
                return read(emulator.parser.screen());
            }
            drop(emulator);
            assert!(Instant::now() < deadline, "a frame never ended");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Terminal modes the emulator has seen set (alternate screen, bracketed paste, ...).
    pub fn modes<T>(&self, read: impl FnOnce(&vt100::Screen) -> T) -> T {
        self.whole_frame(read)
    }

    pub fn contents(&self) -> String {
        self.whole_frame(vt100::Screen::contents)
    }

    /// Wait until the screen shows `text`; return the screen.
    pub fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let screen = self.contents();
            if screen.contains(text) {
                return self.settled(screen, text, deadline);
            }
            assert!(
                Instant::now() < deadline,
                "the screen never showed {text:?}; it shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The screen once a frame has finished arriving: ratatui sends only the cells that changed, so a
    /// capture taken the moment one text appears can still hold parts of the previous screen. Two equal
    /// captures in a row mean the frame is complete (a spinner's tick is slower than this), or the deadline.
    /// If the screen moves on and the text is gone (a passing state), the last capture that held it is kept.
    fn settled(&self, mut screen: String, text: &str, deadline: Instant) -> String {
        loop {
            std::thread::sleep(Duration::from_millis(40));
            let next = self.contents();
            if !next.contains(text) || next == screen || Instant::now() >= deadline {
                return if next.contains(text) { next } else { screen };
            }
            screen = next;
        }
    }

    /// Wait until the screen no longer shows `text`.
    pub fn wait_gone(&self, text: &str) {
        let deadline = Instant::now() + PATIENCE;
        while self.contents().contains(text) {
            assert!(
                Instant::now() < deadline,
                "the screen kept showing {text:?}:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Paste the way a terminal does with bracketed paste on.
    pub fn paste(&mut self, text: &str) {
        self.send(&format!("\x1b[200~{text}\x1b[201~"));
    }

    /// Wait for the program to end; its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                if let Some(reader) = self.reader.take() {
                    reader.join().unwrap();
                }
                return status.exit_code();
            }
            assert!(
                Instant::now() < deadline,
                "the program did not exit; the screen shows:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The directory that holds HOME and the XDG directories of the program.
    pub fn home(&self) -> &std::path::Path {
        self.home.path()
    }

    /// Every byte the program has written to the terminal so far.
    pub fn raw_output(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// Resize the terminal (the program gets SIGWINCH) and the emulator with it. Both change under the
    /// emulator's lock, which the reader thread needs to parse anything: resizing the pty first and the
    /// emulator after let a frame drawn for the new size in between be parsed at the old one.
    pub fn resize(&self, rows: u16, cols: u16) {
        let mut emulator = self.screen.lock().unwrap();
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
        emulator.parser.set_size(size(rows), size(cols));
    }

    /// One row of the screen as text (trailing blanks dropped).
    pub fn row(&self, row: u16) -> String {
        self.whole_frame(|screen| {
            let (_, cols) = screen.size();
            screen
                .rows(0, cols.get())
                .nth(usize::from(row))
                .unwrap_or_default()
                .trim_end()
                .to_string()
        })
    }

    pub fn pid(&self) -> i32 {
        self.child.process_id().expect("a process id") as i32
    }

    /// Wait for the program to end, check that it gave the terminal back as it found it
    /// ([`Pty::assert_restored`]), and return its exit code.
    pub fn wait_exit_restored(&mut self) -> u32 {
        let code = self.wait_exit();
        self.assert_restored();
        code
    }

    /// The terminal is as a shell left it: main screen, cursor shown, bracketed paste off, cooked mode, echo.
    pub fn assert_restored(&self) {
        let (alternate, hidden, paste) = self.whole_frame(|screen| {
            (
                screen.alternate_screen(),
                screen.hide_cursor(),
                screen.bracketed_paste(),
            )
        });
        assert!(!alternate, "still on the alternate screen");
        assert!(!hidden, "the cursor is still hidden");
        assert!(!paste, "bracketed paste is still on");
        let fd = self.master.as_raw_fd().expect("the pty's descriptor");
        // SAFETY: tcgetattr fills a zeroed termios from an open pty descriptor that outlives the call.
        let flags = unsafe {
            let mut termios: libc::termios = std::mem::zeroed();
            assert_eq!(libc::tcgetattr(fd, &mut termios), 0, "tcgetattr");
            termios.c_lflag
        };
        assert_ne!(flags & libc::ICANON, 0, "still in raw mode (ICANON off)");
        assert_ne!(flags & libc::ECHO, 0, "echo is still off");
        assert_ne!(flags & libc::ISIG, 0, "signals from keys are still off");
    }
}

/// The terminal emulator, and whether the program is inside a synchronized update (DEC private mode
/// 2026: `CSI ? 2026 h` begins a frame, `CSI ? 2026 l` ends it; vt100 itself ignores the mode).
struct Emulator {
    parser: vt100::Parser,
    in_frame: bool,
    /// The end of the last chunk read, for a marker split across two reads.
    tail: Vec<u8>,
}

impl Emulator {
    const BEGIN: &[u8] = b"\x1b[?2026h";
    const END: &[u8] = b"\x1b[?2026l";
    /// Leaving the alternate screen ends any frame (a program that stopped mid-frame and restored the terminal).
    const LEAVE: &[u8] = b"\x1b[?1049l";

    fn new() -> Emulator {
        Emulator {
            parser: vt100::Parser::new(size(ROWS), size(COLS), 0),
            in_frame: false,
            tail: Vec::new(),
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.parser.process(bytes);
        let mut seen = std::mem::take(&mut self.tail);
        seen.extend_from_slice(bytes);
        // The last marker in what was read decides whether a frame is open now.
        let last = |marker: &[u8]| {
            seen.windows(marker.len())
                .rposition(|window| window == marker)
        };
        let begin = last(Self::BEGIN);
        let end = [last(Self::END), last(Self::LEAVE)]
            .into_iter()
            .flatten()
            .max();
        match (begin, end) {
            (Some(begin), Some(end)) => self.in_frame = begin > end,
            (Some(_), None) => self.in_frame = true,
            (None, Some(_)) => self.in_frame = false,
            (None, None) => {}
        }
        let keep = seen.len().saturating_sub(Self::BEGIN.len() - 1);
        self.tail = seen.split_off(keep);
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // A failed test must leave nothing running: the child leads its own session (portable-pty calls
        // setsid), so its process group holds the wizard and, in the keyring walks, the D-Bus daemon too.
        if let Ok(None) = self.child.try_wait() {
            // SAFETY: signalling the process group of the child this test started.
            unsafe { libc::kill(-self.pid(), libc::SIGKILL) };
            let _ = self.child.wait();
        }
    }
}

// ---- walking the wizard ----

/// Welcome (service user preselected) to Connect, ticking every Scopes item on the way.
pub fn walk_service_user_to_connect(pty: &mut Pty) {
    pty.wait_for("Choose how to connect");
    pty.send(ENTER);
    pty.wait_for("Step 1 of 5");
    pty.send(ENTER);
    pty.wait_for("Step 2 of 5");
    pty.send(ENTER);
    pty.wait_for("Step 3 of 5");
    tick_everything(pty, 8);
    pty.send(ENTER);
    pty.wait_for("Step 4 of 5");
    pty.send(ENTER);
    pty.wait_for("Step 5 of 5");
}

pub fn tick_everything(pty: &mut Pty, items: usize) {
    for ticked in 1..=items {
        pty.send(" ");
        pty.wait_for(&format!("Ticked {ticked} of {items}"));
        pty.send(DOWN);
    }
}

/// Run a command to its end with a pseudo-terminal as stdin, stdout and stderr (for the commands that
/// behave differently on a terminal), and return its exit code and everything it wrote there.
pub fn run_to_end(command: CommandBuilder) -> (u32, String) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    // Read on another thread: the child blocks once the terminal's buffer is full.
    let collector = std::thread::spawn(move || {
        let mut screen = Vec::new();
        let _ = reader.read_to_end(&mut screen);
        screen
    });
    let status = child.wait().unwrap();
    drop(pty.master);
    let screen = String::from_utf8_lossy(&collector.join().unwrap()).into_owned();
    (status.exit_code(), screen)
}
