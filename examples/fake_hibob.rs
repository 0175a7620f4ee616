//! Try `hibob-auth` without a HiBob account: a stand-in for HiBob's API on 127.0.0.1.
//!
//!     cargo run --example fake_hibob -- [--scenario NAME] [--port N] [--api-token]
//!
//! It prints the URL, the test credential and the commands to try, logs each request it receives, and
//! serves until Ctrl-C. `--scenario list` shows every scenario. It is the same server the tests use.

#[path = "../tests/support/fake_hibob.rs"]
mod fake_hibob;

use std::process::ExitCode;

use fake_hibob::{
    FakeHibob, Scenario, TEST_API_TOKEN, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN,
};

struct Options {
    scenario: String,
    port: u16,
    api_token: bool,
}

const USAGE: &str =
    "usage: cargo run --example fake_hibob -- [--scenario NAME|list] [--port N] [--api-token]";

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        scenario: "ok".to_string(),
        port: 0,
        api_token: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--scenario" | "-s" => {
                options.scenario = args.next().ok_or("--scenario needs a name")?;
            }
            "--port" | "-p" => {
                let value = args.next().ok_or("--port needs a number")?;
                options.port = value
                    .parse()
                    .map_err(|_| format!("'{value}' is not a port number"))?;
            }
            "--api-token" => options.api_token = true,
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok(options)
}

fn print_scenarios() {
    eprintln!("scenarios:");
    for (name, what) in Scenario::NAMES {
        eprintln!("  {name:<13} {what}");
    }
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            eprintln!("{USAGE}");
            print_scenarios();
            return ExitCode::from(2);
        }
    };
    if options.scenario == "list" {
        print_scenarios();
        return ExitCode::SUCCESS;
    }
    let Some(scenario) = Scenario::named(&options.scenario, options.api_token) else {
        eprintln!("error: no scenario named '{}'", options.scenario);
        print_scenarios();
        return ExitCode::from(2);
    };
    let server = match FakeHibob::start_on(options.port, scenario.log_requests()) {
        Ok(server) => server,
        Err(err) => {
            eprintln!(
                "error: could not listen on 127.0.0.1:{}: {err}",
                options.port
            );
            return ExitCode::from(1);
        }
    };
    let url = server.url();
    let what = Scenario::NAMES
        .iter()
        .find(|(name, _)| *name == options.scenario)
        .map(|(_, what)| *what)
        .unwrap_or_default();
    println!("Fake HiBob listening on {url}");
    println!("Scenario: {} ({what})", options.scenario);
    println!();
    if options.api_token {
        println!("Test API access token: {TEST_API_TOKEN}");
        println!();
        println!("Try:");
        println!("  HIBOB_API_TOKEN={TEST_API_TOKEN} cargo run -- check --api-url {url}");
        println!("  HIBOB_API_TOKEN={TEST_API_TOKEN} cargo run -- check --api-url {url} --json");
    } else {
        println!("Test service user ID:    {TEST_SERVICE_USER_ID}");
        println!("Test service user token: {TEST_SERVICE_USER_TOKEN}");
        println!();
        println!("Try:");
        println!(
            "  HIBOB_SERVICE_USER_ID={TEST_SERVICE_USER_ID} HIBOB_SERVICE_USER_TOKEN={TEST_SERVICE_USER_TOKEN} cargo run -- check --api-url {url}"
        );
        println!(
            "  HIBOB_SERVICE_USER_ID={TEST_SERVICE_USER_ID} HIBOB_SERVICE_USER_TOKEN={TEST_SERVICE_USER_TOKEN} cargo run -- check --api-url {url} --json"
        );
        println!(
            "  HIBOB_SERVICE_USER_ID={TEST_SERVICE_USER_ID} HIBOB_SERVICE_USER_TOKEN=wrong-token cargo run -- check --api-url {url}"
        );
    }
    println!("  (then `echo $?` shows the exit code; `--scenario list` shows other cases)");
    println!();
    println!("These are test values, not real credentials. Press Ctrl-C to stop.");

    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: could not start a runtime: {err}");
            return ExitCode::from(1);
        }
    };
    let _ = runtime.block_on(tokio::signal::ctrl_c());
    drop(server);
    eprintln!("\nstopped");
    ExitCode::SUCCESS
}
