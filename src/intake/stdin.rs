//! Reading a token from standard input for `login --token-stdin`, without ever blocking forever.
//!
//! The token is the first line of input, or everything up to the end of input: `printf %s "$T" |` and
//! `echo "$T" |` both work, and a producer that keeps the pipe open after the newline does not hang us.
//! If nothing complete arrives in time, the read gives up with a message that says how to pipe a token.

use std::io::{IsTerminal, Read};
use std::sync::mpsc;
use std::time::Duration;

use zeroize::Zeroizing;

/// Seconds to wait for the token; a slow secret manager in the pipe may need more than the default.
pub const TIMEOUT_ENV: &str = "HIBOB_AUTH_STDIN_TIMEOUT";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// More than any token (validation allows 512 characters); anything longer is not a token.
const MAX_INPUT: usize = 4096;
/// Reads ask for at least this much so that std's 8 KiB stdin buffer is bypassed and keeps no copy.
const READ_SIZE: usize = 16 * 1024;

/// Why no token was read. Never contains any of the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StdinError {
    #[error(
        "standard input is a terminal. --token-stdin reads a token piped in, e.g.\n  printf %s \"$HIBOB_TOKEN\" | hibob-auth login --token-stdin --service-user-id SERVICE-123\nor run `hibob-auth` with no command for the guided setup, which asks for the token without echoing it."
    )]
    Terminal,
    #[error(
        "no token arrived on standard input within {0} s. Pipe the token in and end the line or close the pipe, e.g. printf %s \"$HIBOB_TOKEN\" | hibob-auth login --token-stdin (set {TIMEOUT_ENV} to wait longer)."
    )]
    Timeout(u64),
    #[error(
        "the input on standard input is longer than {MAX_INPUT} bytes; that is not a HiBob token"
    )]
    TooLong,
    #[error("the input on standard input is not UTF-8 text; that is not a HiBob token")]
    NotText,
    #[error("standard input could not be read: {0}")]
    Read(String),
}

/// Read the token from this process's standard input. Refuses a terminal: a token typed there would be
/// echoed and kept in the scroll-back.
/// `timeout` is `login --stdin-timeout` (or [`TIMEOUT_ENV`]), parsed and bounded by clap.
pub fn read_token(timeout: Duration) -> Result<Zeroizing<String>, StdinError> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(StdinError::Terminal);
    }
    read_first_line(stdin, timeout)
}

/// The first line of `reader` (without its line ending), or all of it when it ends without one.
/// The read runs on its own thread; if it has not finished after `timeout` it is abandoned (the thread
/// stays blocked until the process ends, which is harmless: nothing waits for it).
pub fn read_first_line<R: Read + Send + 'static>(
    reader: R,
    timeout: Duration,
) -> Result<Zeroizing<String>, StdinError> {
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("stdin-token".to_string())
        .spawn(move || {
            let _ = sender.send(read_line_blocking(reader));
        })
        .map_err(|err| StdinError::Read(err.to_string()))?;
    match receiver.recv_timeout(timeout) {
        Ok(result) => result,
        Err(_) => Err(StdinError::Timeout(timeout.as_secs())),
    }
}

fn read_line_blocking<R: Read>(mut reader: R) -> Result<Zeroizing<String>, StdinError> {
    // One buffer, allocated once and wiped on drop: no reallocation leaves copies of the token behind.
    let mut buffer = Zeroizing::new(vec![0u8; MAX_INPUT + READ_SIZE]);
    let mut filled = 0;
    let end = loop {
        if let Some(newline) = buffer[..filled].iter().position(|&byte| byte == b'\n') {
            break newline;
        }
        if filled > MAX_INPUT {
            return Err(StdinError::TooLong);
        }
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break filled,
            Ok(count) => filled += count,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(StdinError::Read(err.kind().to_string())),
        }
    };
    if end > MAX_INPUT {
        return Err(StdinError::TooLong);
    }
    let text = std::str::from_utf8(&buffer[..end]).map_err(|_| StdinError::NotText)?;
    let mut line = Zeroizing::new(String::with_capacity(text.len()));
    line.push_str(text);
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A reader that hands out its chunks one by one, then blocks until the test ends.
    struct Trickle {
        chunks: Vec<&'static [u8]>,
        hold: mpsc::Receiver<()>,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.chunks.is_empty() {
                let _ = self.hold.recv();
                return Ok(0);
            }
            let chunk = self.chunks.remove(0);
            buf[..chunk.len()].copy_from_slice(chunk);
            Ok(chunk.len())
        }
    }

    fn trickle(chunks: Vec<&'static [u8]>) -> (Trickle, mpsc::Sender<()>) {
        let (release, hold) = mpsc::channel();
        (Trickle { chunks, hold }, release)
    }

    const LONG: Duration = Duration::from_secs(30);

    #[test]
    fn reads_to_the_end_of_input() {
        let line = read_first_line(Cursor::new(b"token-123".to_vec()), LONG).unwrap();
        assert_eq!(line.as_str(), "token-123");
    }

    #[test]
    fn stops_at_the_first_line_even_if_the_pipe_stays_open() {
        let (reader, _release) = trickle(vec![b"tok", b"en-456\r\nsecond line"]);
        let line = read_first_line(reader, LONG).unwrap();
        // The carriage return is left for the shared validation, which trims and says so.
        assert_eq!(line.as_str(), "token-456\r");
    }

    #[test]
    fn gives_up_when_nothing_complete_arrives() {
        let (reader, _release) = trickle(vec![b"partial-without-newline"]);
        let err = read_first_line(reader, Duration::from_millis(50)).unwrap_err();
        assert_eq!(err, StdinError::Timeout(0));
        assert!(err.to_string().contains("printf %s"));
        assert!(!err.to_string().contains("partial"));
    }

    #[test]
    fn empty_input_is_an_empty_line() {
        let line = read_first_line(Cursor::new(Vec::new()), LONG).unwrap();
        assert_eq!(line.as_str(), "");
    }

    #[test]
    fn refuses_what_cannot_be_a_token() {
        let huge = vec![b'a'; MAX_INPUT + 10];
        assert_eq!(
            read_first_line(Cursor::new(huge), LONG).unwrap_err(),
            StdinError::TooLong
        );
        assert_eq!(
            read_first_line(Cursor::new(b"\xff\xfe\n".to_vec()), LONG).unwrap_err(),
            StdinError::NotText
        );
    }

    #[test]
    fn the_terminal_hint_shows_the_pipe_and_the_wizard() {
        let text = StdinError::Terminal.to_string();
        assert!(text.contains("printf %s"), "{text}");
        assert!(text.contains("guided setup"), "{text}");
    }
}
