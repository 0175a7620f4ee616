//! One module per command, each a `run` that returns an exit code or an error; `app` dispatches to them
//! and prints errors. Helpers shared with the wizard live outside (`intake`, `lookup`).

pub mod check;
pub mod check_all;
pub mod completions;
pub mod exec;
pub mod guide;
pub mod login;
pub mod logout;
pub mod man;
pub mod profiles;
pub mod token;
