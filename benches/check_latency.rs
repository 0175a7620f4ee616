//! Check latency: is a full check bounded by its slowest probe (concurrent) rather than the sum of all three?
//!
//! For each delay D the fake HiBob holds every answer for D. A full check is timed in-process with
//! `run_check` (a new client each run, as the binary does), next to the four probes sent one after another
//! (the sum a sequential check would cost), and the real binary as a whole process (cargo builds it with the
//! bench profile, i.e. release settings, into `target/release/`). Medians are printed with their ratio to D:
//! about 1 means concurrent, about 3 means sequential. The target is at most 1.5 x D: one round trip, so a check
//! may never wait for one answer before sending another. Run with `cargo bench --bench check_latency`.

#[path = "../tests/support/fake_hibob.rs"]
mod fake_hibob;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fake_hibob::{FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN};
use hibob_auth::credential::Credential;
use hibob_auth::hibob::{ApiUrl, CheckOptions, HibobClient, Probe, Verdict, run_check};
use hibob_auth::secret::SecretString;

const DELAYS_MS: [u64; 2] = [100, 300];
const RUNS: usize = 15;
const BINARY_RUNS: usize = 5;
/// The binary cargo built for this benchmark, in the bench profile (release settings).
const BINARY: &str = env!("CARGO_BIN_EXE_hibob-auth");

fn credential() -> Credential {
    Credential::ServiceUser {
        id: TEST_SERVICE_USER_ID.to_string(),
        token: SecretString::from(TEST_SERVICE_USER_TOKEN),
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn report(label: &str, delay: Duration, mut samples: Vec<Duration>) {
    samples.sort();
    let runs = samples.len();
    let median = samples[runs / 2];
    println!(
        "  {label:<28} median {:>7.1} ms  (min {:>6.1}, max {:>6.1}, n={runs})  = {:.2} x D",
        ms(median),
        ms(samples[0]),
        ms(samples[runs - 1]),
        median.as_secs_f64() / delay.as_secs_f64()
    );
}

fn time_full_checks(
    runtime: &tokio::runtime::Runtime,
    url: &ApiUrl,
    options: &CheckOptions,
) -> Vec<Duration> {
    let credential = credential();
    (0..RUNS)
        .map(|_| {
            let client = HibobClient::new(url.clone()).expect("client");
            let started = Instant::now();
            let report = runtime.block_on(run_check(&client, &credential, options, None));
            let elapsed = started.elapsed();
            assert_eq!(report.verdict, Verdict::Ok, "{}", report.summary);
            elapsed
        })
        .collect()
}

fn time_sequential_probes(
    runtime: &tokio::runtime::Runtime,
    url: &ApiUrl,
    options: &CheckOptions,
) -> Vec<Duration> {
    let credential = credential();
    (0..RUNS)
        .map(|_| {
            let client = HibobClient::new(url.clone()).expect("client");
            let deadline = Instant::now() + options.timeout;
            let started = Instant::now();
            runtime.block_on(async {
                for probe in Probe::ALL {
                    let result = client.probe(&credential, probe, deadline).await;
                    assert!(result.outcome.is_ok(), "{:?}", result.outcome);
                }
            });
            started.elapsed()
        })
        .collect()
}

fn time_binary(url: &str) -> Vec<Duration> {
    (0..BINARY_RUNS)
        .map(|_| {
            let started = Instant::now();
            let status = Command::new(BINARY)
                .args(["check", "--json", "--api-url", url])
                .env("HIBOB_SERVICE_USER_ID", TEST_SERVICE_USER_ID)
                .env("HIBOB_SERVICE_USER_TOKEN", TEST_SERVICE_USER_TOKEN)
                .env_remove("HIBOB_API_TOKEN")
                .env_remove("HIBOB_API_URL")
                .stdout(Stdio::null())
                .status()
                .expect("run the binary");
            let elapsed = started.elapsed();
            assert!(status.success(), "the binary exited with {status}");
            elapsed
        })
        .collect()
}

fn main() {
    // The binary runs its check on a current-thread runtime; measure the library the same way.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let options = CheckOptions {
        timeout: Duration::from_secs(15),
    };
    println!(
        "check latency: every answer of the fake HiBob delayed by D; {} probes per check",
        Probe::ALL.len()
    );
    for delay_ms in DELAYS_MS {
        let delay = Duration::from_millis(delay_ms);
        let server = FakeHibob::start(Scenario::ok().delay(delay));
        let url = ApiUrl::parse(&server.url()).expect("a loopback URL");
        println!("D = {delay_ms} ms");
        report(
            "run_check (in-process)",
            delay,
            time_full_checks(&runtime, &url, &options),
        );
        report(
            "the probes one after another",
            delay,
            time_sequential_probes(&runtime, &url, &options),
        );
        report("binary, whole process", delay, time_binary(&server.url()));
    }
}
