//! hibob-auth: guided setup, live checks and OS-keyring storage for HiBob API credentials.
//!
//! The binary is a thin shell over this library; `tests/` drives the same code.

pub mod app;
pub mod cli;
pub mod commands;
pub mod credential;
pub mod error;
pub mod exit;
pub mod guide_render;
pub mod hardening;
pub mod hibob;
pub mod intake;
pub mod logging;
pub mod lookup;
pub mod net;
pub mod output;
pub mod secret;
pub mod settings;
pub mod steps;
pub mod store;
pub mod validate;
pub mod wizard;
