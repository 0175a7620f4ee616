//! Test support shared by the integration tests.

pub mod connect_proxy;
pub mod fake_hibob;
pub mod home;
pub mod keyring_gate;
pub mod leak;
pub mod private_keyring;
pub mod pty;
pub mod tls_stand_in;
