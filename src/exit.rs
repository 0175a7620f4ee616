//! The documented exit codes. Every failure path of every command ends in one of these.

/// Process exit codes, as documented in `--help` and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exit {
    /// The credential works and every checked permission is granted (or the command simply succeeded).
    Ok = 0,
    /// HiBob rejected the credential (401).
    Rejected = 1,
    /// Bad usage or invalid input (a malformed token, an `http://` URL to a remote host, ...).
    Usage = 2,
    /// HiBob could not be reached or did not answer usefully; the credential itself may be fine.
    Unverifiable = 3,
    /// The credential store (OS keyring) could not be used: missing, locked, or timed out.
    StoreUnavailable = 4,
    /// The credential authenticates but a checked permission is missing, partial, unproven, unavailable or
    /// sees no employees.
    Limited = 5,
    /// No credential was found in the environment or the store.
    NoCredential = 6,
    /// HiBob refused a request that needs no permission: the address or the credential is blocked
    /// (its firewall after many failures, or an IP restriction). Not a permission problem.
    Blocked = 7,
    /// A local I/O failure: the terminal, standard input or output, or another local resource (the
    /// async runtime, the HTTP client's set-up) could not be used. Not the user's input, not HiBob.
    Io = 8,
    /// `exec`: the command was found but could not be run (not executable, not a program), as shells do.
    CommandNotRunnable = 126,
    /// `exec`: the command was not found, as shells do.
    CommandNotFound = 127,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

/// The exit code table as shown at the end of `--help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  ok: the credential works and every checked permission is granted
  1  rejected: HiBob did not accept the credential (401)
  2  usage or invalid input
  3  unverifiable: HiBob could not be reached or answered with an error; the credential may be fine
  4  the credential store (OS keyring or Vault) is unavailable, locked, timed out or refused access
  5  limited: the credential works but a checked permission is missing, partial, unproven or unavailable,
     or it sees no employees
  6  no credential found
  7  blocked: HiBob refused a request that needs no permission (a firewall block or an IP restriction)
  8  I/O failure: the terminal, standard input or output, or another local resource could not be used";

/// How `check --all` picks its exit code, as shown at the end of `check --help`; the order is
/// `commands::check_all::ATTENTION_ORDER`, and a test keeps the two the same.
pub const CHECK_ALL_EXIT_HELP: &str = "\
With --all, the exit code is that of the profile that needs attention first, in this order:
  1 rejected, 6 no credential, 2 unusable record, 4 store, 7 blocked, 3 unverifiable, 8 I/O, 5 limited, 0 ok";

/// The exit codes of `exec`, as shown at the end of `exec --help`.
pub const EXEC_EXIT_CODES_HELP: &str = "\
Exit codes: the command's own; or, when it could not be started:
  2    usage
  4    the credential store (OS keyring or Vault) is unavailable, locked, timed out or refused access
  6    no credential stored for the profile
  126  the command was found but could not be run (not executable)
  127  the command was not found";
