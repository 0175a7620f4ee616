//! Round trips per check: how many network round trips a whole check costs on a fresh TLS connection.
//!
//! Method: the client talks to a link that delays every byte by half of a round-trip time R in each direction
//! (a forwarding proxy on 127.0.0.1, infinite bandwidth, order kept), behind which the TLS stand-in (rustls,
//! TLS 1.3, a test authority the client is told to trust through `SSL_CERT_FILE`) passes the plain requests
//! to the fake HiBob. Loopback itself costs microseconds, so a check's time divided by R is its round trips:
//! one for TCP, one for the TLS 1.3 handshake, one for the wave of requests that the field list, the people
//! search and who's out are sent in together. The target is at most 3.3 in the common case.
//!
//! A check also spends a fixed time on this machine (the TLS handshake's cryptography, reading the trusted
//! authority, building the report) that does not grow with R. So the round trips are the slope: the median
//! time at R = 100 ms minus the median at R = 50 ms, divided by 50 ms. The raw ratio time / R is printed too;
//! it overstates the round trips by that fixed time divided by R.
//!
//! Two companies: the common case, and one that moved every asked Work field to a category of its own (the
//! check must learn that from the field metadata read in the same wave, not from a second wave). Each is
//! measured at both R, 9 checks each, a new client (a fresh connection) per check, as the binary does. Both
//! sides of the link set TCP_NODELAY, so Nagle's algorithm adds no wait of its own. Run with
//! `cargo bench --bench round_trips`.

#[path = "../tests/support/fake_hibob.rs"]
mod fake_hibob;
#[path = "../tests/support/tls_stand_in.rs"]
mod tls_stand_in;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use fake_hibob::{
    FakeHibob, MOVED_CATEGORY, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN,
};
use hibob_auth::credential::Credential;
use hibob_auth::hibob::{ApiUrl, CheckOptions, HibobClient, Verdict, run_check};
use hibob_auth::secret::SecretString;
use tls_stand_in::{TestCa, TlsStandIn};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ROUND_TRIPS_MS: [u64; 2] = [50, 100];
const RUNS: usize = 9;

/// Forward one direction of a connection, each chunk delivered `one_way` after it was read.
async fn delayed_copy(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    one_way: Duration,
) {
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let writer = tokio::spawn(async move {
        let mut pending: VecDeque<(Instant, Vec<u8>)> = VecDeque::new();
        while let Some(chunk) = receiver.recv().await {
            pending.push_back(chunk);
            while let Some((due, bytes)) = pending.pop_front() {
                tokio::time::sleep_until(due.into()).await;
                if to.write_all(&bytes).await.is_err() {
                    return;
                }
                while let Ok(next) = receiver.try_recv() {
                    pending.push_back(next);
                }
            }
        }
        let _ = to.shutdown().await;
    });
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        match from.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(read) => {
                let due = Instant::now() + one_way;
                if sender.send((due, buffer[..read].to_vec())).is_err() {
                    break;
                }
            }
        }
    }
    drop(sender);
    let _ = writer.await;
}

/// A link with round-trip time `rtt` in front of `upstream`; returns the address to connect to.
async fn slow_link(upstream: SocketAddr, rtt: Duration) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the link");
    let addr = listener.local_addr().expect("the link's address");
    let one_way = rtt / 2;
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(async move {
                // The connection to the far side is made when the client's SYN "arrives": after one_way.
                tokio::time::sleep(one_way).await;
                let Ok(server) = TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                // ... and its SYN-ACK takes one_way back before the client may send.
                tokio::time::sleep(one_way).await;
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                tokio::join!(
                    delayed_copy(client_read, server_write, one_way),
                    delayed_copy(server_read, client_write, one_way),
                );
            });
        }
    });
    addr
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let ca = TestCa::new();
    let dir = tempfile::tempdir().expect("a temporary directory");
    // The stand-in's authority, trusted the way a company's root certificate is (src/hibob/trust.rs). Set
    // before any client exists, while this program has one thread of its own.
    unsafe { std::env::set_var("SSL_CERT_FILE", ca.write_pem(dir.path(), "ca.pem")) };
    let credential = Credential::ServiceUser {
        id: TEST_SERVICE_USER_ID.to_string(),
        token: SecretString::from(TEST_SERVICE_USER_TOKEN),
    };
    let moved = ["work.title", "work.department", "work.site"]
        .into_iter()
        .fold(Scenario::ok(), |scenario, id| {
            scenario.move_field(id, MOVED_CATEGORY.0, MOVED_CATEGORY.1)
        });
    let cases = [
        ("common case", Scenario::ok(), Verdict::Ok),
        ("moved category", moved, Verdict::Limited),
    ];
    println!(
        "round trips per check: fresh TLS 1.3 connection, R = round-trip time, {RUNS} checks each"
    );
    for (label, scenario, verdict) in cases {
        let fake = FakeHibob::start(scenario);
        let tls = TlsStandIn::start(&ca, &["localhost"], fake.addr());
        let mut medians = Vec::new();
        for rtt_ms in ROUND_TRIPS_MS {
            let rtt = Duration::from_millis(rtt_ms);
            let link = runtime.block_on(slow_link(tls.addr(), rtt));
            let url = ApiUrl::parse(&format!("https://localhost:{}", link.port())).expect("a URL");
            let options = CheckOptions {
                timeout: Duration::from_secs(30),
            };
            let mut samples: Vec<Duration> = (0..RUNS)
                .map(|_| {
                    let client = HibobClient::new(url.clone()).expect("a client");
                    let started = Instant::now();
                    let report = runtime.block_on(run_check(&client, &credential, &options, None));
                    let elapsed = started.elapsed();
                    assert_eq!(report.verdict, verdict, "{}", report.summary);
                    elapsed
                })
                .collect();
            samples.sort();
            let trips = |sample: Duration| sample.as_secs_f64() / rtt.as_secs_f64();
            println!(
                "  {label:<15} R = {rtt_ms:>3} ms: median {:>6.1} ms = {:.2} round trips (min {:.2}, max {:.2})",
                samples[RUNS / 2].as_secs_f64() * 1000.0,
                trips(samples[RUNS / 2]),
                trips(samples[0]),
                trips(samples[RUNS - 1]),
            );
            medians.push(samples[RUNS / 2]);
        }
        let (low, high) = (ROUND_TRIPS_MS[0] as f64, ROUND_TRIPS_MS[1] as f64);
        let slope = (medians[1].as_secs_f64() - medians[0].as_secs_f64()) * 1000.0 / (high - low);
        let fixed = medians[0].as_secs_f64() * 1000.0 - slope * low;
        println!(
            "  {label:<15} round trips per check (slope): {slope:.2}; fixed local time {fixed:.1} ms"
        );
    }
}
