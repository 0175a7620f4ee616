//! Test support shared by the integration tests.

/// The name of the test function it is written in (directly, not inside a closure), for a skip message
/// and a per-test keyring profile. The compiler writes it, so it cannot drift from the function's name as
/// a copied string literal did.
#[allow(unused_macros)] // Each test binary uses its own part of this module.
macro_rules! this_test {
    () => {{
        fn here() {}
        let path = std::any::type_name_of_val(&here);
        let function = path.strip_suffix("::here").expect("a function's path");
        function.rsplit("::").next().expect("a function's name")
    }};
}
#[allow(unused_imports)]
pub(crate) use this_test;

pub mod connect_proxy;
pub mod fake_hibob;
pub mod home;
pub mod keyring_gate;
pub mod leak;
pub mod openbao;
pub mod other_writer;
// GNOME Keyring on a private D-Bus session: the Secret Service exists only on Linux (and other
// freedesktop systems hibob-auth does not target); macOS and Windows have their own keyrings.
#[cfg(target_os = "linux")]
pub mod private_keyring;
// Drives a Unix pseudo-terminal (termios, process groups); the tests that need it are Unix-only.
#[cfg(unix)]
pub mod pty;
#[cfg(unix)]
pub mod pty_spawn;
pub mod stored_credential;
pub mod tls_stand_in;
