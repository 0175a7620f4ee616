//! Test support shared by the integration tests.

pub mod connect_proxy;
pub mod fake_hibob;
pub mod home;
pub mod keyring_gate;
pub mod leak;
// GNOME Keyring on a private D-Bus session: the Secret Service exists only on Linux (and other
// freedesktop systems hibob-auth does not target); macOS and Windows have their own keyrings.
#[cfg(target_os = "linux")]
pub mod private_keyring;
// Drives a Unix pseudo-terminal (termios, process groups); the tests that need it are Unix-only.
#[cfg(unix)]
pub mod pty;
pub mod tls_stand_in;
