//! Start-up, idle cost, memory and size of the real binary. Run with `benches/run.sh footprint`, which
//! measures the binary `cargo build --release` makes (passed in `HIBOB_AUTH_BENCH_BINARY`). A bare
//! `cargo bench --bench footprint` measures the copy cargo links for benchmarks, with the dev-dependencies'
//! features unified in: the same code plus e.g. tokio's multi-threaded runtime, about 0.5 MB bigger.
//!
//! - First frame: the wizard is started in a pseudo-terminal and timed until its first screen is complete
//!   (the emulator shows the Welcome screen's bottom key bar and the box's closing corner, the last cells a
//!   frame writes). Beside it, `true` is started in a pseudo-terminal the same way and timed until it has
//!   ended (its terminal side closed). Runs alternate, so both see the same machine load.
//! - `guide`: the whole run (spawn to exit, output to /dev/null) beside `true`, alternating.
//! - Idle CPU: a wizard on its Welcome screen, and one on its Connect screen (a text field with the
//!   cursor in it), left alone for 10 s; CPU time from /proc/<pid>/stat (utime + stime, all threads) and
//!   context switches of all its threads from /proc/<pid>/task/*/status, i.e. how often it woke up.
//! - Peak RSS during a check: `check --json` against the fake HiBob on 127.0.0.1, the child's ru_maxrss
//!   from wait4(2): a small company, a 20,000-employee one (`ok`, proven by data), and the same with the
//!   payroll fields hidden (read to the end); and the wizard's VmHWM once it has shown a check's result.
//! - Binary size: the binary as built (the release profile strips symbols), and after `strip` to confirm.
//!
//! Targets: first frame ≤ 30 ms over `true`; idle CPU < 1 %; peak RSS < 20 MB; stripped binary
//! < 8 MB. Figures are printed; nothing here asserts a time (a failed target is reported, not hidden).
//!
//! Idle CPU and peak RSS read /proc and call wait4(2), so they are measured on Linux only; elsewhere the
//! benchmark says so and measures the rest (CI only compiles it for macOS and Windows).
// Helpers that only the Linux measurements use are unused elsewhere.
#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

#[path = "../tests/support/fake_hibob.rs"]
mod fake_hibob;
#[path = "../tests/support/pty_spawn.rs"]
mod pty_spawn;

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

#[cfg(target_os = "linux")]
use fake_hibob::{
    FakeHibob, LARGE_COMPANY, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN,
};
use portable_pty::{Child, MasterPty};
use pty_spawn::{COLS, ROWS};
use tempfile::TempDir;

/// The binary cargo built for this benchmark; `HIBOB_AUTH_BENCH_BINARY` measures another build instead
/// (e.g. one made with different release-profile settings).
const BUILT_BINARY: &str = env!("CARGO_BIN_EXE_hibob-auth");

fn binary() -> String {
    std::env::var("HIBOB_AUTH_BENCH_BINARY").unwrap_or_else(|_| BUILT_BINARY.to_string())
}
const FRAME_RUNS: usize = 21;
const GUIDE_RUNS: usize = 31;
const RSS_RUNS: usize = 9;
const IDLE: Duration = Duration::from_secs(10);
/// Anything slower than this is a hang, not a measurement.
const PATIENCE: Duration = Duration::from_secs(30);

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn describe(label: &str, samples: &mut [Duration]) -> Duration {
    let mid = median(samples);
    println!(
        "  {label:<34} median {:>7.2} ms  (min {:>7.2}, max {:>7.2}, n={})",
        ms(mid),
        ms(samples[0]),
        ms(samples[samples.len() - 1]),
        samples.len()
    );
    mid
}

/// A clean environment for the binary: PATH, a terminal type, and HOME/XDG in `home`.
fn clean_env(home: &TempDir) -> Vec<(String, String)> {
    let mut env = vec![
        (
            "PATH".to_string(),
            std::env::var("PATH").unwrap_or_default(),
        ),
        ("TERM".to_string(), "xterm-256color".to_string()),
        ("LANG".to_string(), "C.UTF-8".to_string()),
        ("HOME".to_string(), home.path().display().to_string()),
    ];
    for (name, dir) in [
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_RUNTIME_DIR", "runtime"),
    ] {
        let path = home.path().join(dir);
        std::fs::create_dir_all(&path).unwrap();
        env.push((name.to_string(), path.display().to_string()));
    }
    env
}

/// A program in a pseudo-terminal whose output is fed to a terminal emulator on the reader thread. The
/// reader reports the moment `done` first holds for the screen (or the output ends).
struct PtyRun {
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    done_at: mpsc::Receiver<Instant>,
    started: Instant,
    screen: Arc<Mutex<vt100::Parser>>,
}

impl PtyRun {
    fn start(
        program: &str,
        args: &[&str],
        env: &[(String, String)],
        done: impl Fn(&vt100::Screen) -> bool + Send + 'static,
    ) -> PtyRun {
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            pty_spawn::size(ROWS),
            pty_spawn::size(COLS),
            0,
        )));
        let parser = Arc::clone(&screen);
        let (report, done_at) = mpsc::channel();
        // The clock starts just before the program is started, and stops on the reader thread the moment
        // the screen is complete: no polling interval in the figure.
        let mut reported = false;
        let spawned = pty_spawn::spawn(program, args, env, None, move |output| {
            let complete = match output {
                Some(bytes) => {
                    let mut parser = parser.lock().unwrap();
                    parser.process(bytes);
                    done(parser.screen())
                }
                None => true,
            };
            if complete && !reported {
                reported = true;
                let _ = report.send(Instant::now());
            }
        });
        PtyRun {
            child: spawned.child,
            _master: spawned.master,
            writer: spawned.writer,
            done_at,
            started: spawned.started,
            screen,
        }
    }

    /// Time from start until the screen was complete (or the output ended).
    fn elapsed_until_done(&self) -> Duration {
        let at = self
            .done_at
            .recv_timeout(PATIENCE)
            .expect("the screen never completed");
        at - self.started
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + PATIENCE;
        while !self
            .screen
            .lock()
            .unwrap()
            .screen()
            .contents()
            .contains(text)
        {
            assert!(Instant::now() < deadline, "never showed {text:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("a pid")
    }

    fn finish(mut self) {
        let deadline = Instant::now() + PATIENCE;
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "did not exit");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// The wizard in the service-user flow (with `args` besides), walked to its Connect step as a person
/// would: Enter on each step, nothing ticked on Scopes (the question answered "continue anyway").
fn at_connect(args: &[&str], env: &[(String, String)]) -> PtyRun {
    let args: Vec<&str> = ["--flow", "service-user"]
        .iter()
        .chain(args)
        .copied()
        .collect();
    let mut run = PtyRun::start(&binary(), &args, env, |screen: &vt100::Screen| {
        screen.contents().contains("Flow: Service user")
    });
    run.elapsed_until_done();
    for step in 1..=3 {
        run.send("\r");
        run.wait_for(&format!("Step {step} of 5"));
    }
    run.send("\r");
    run.wait_for("Some items are not ticked");
    run.send("\r");
    run.wait_for("Step 4 of 5");
    run.send("\r");
    run.wait_for("Step 5 of 5");
    run
}

/// The Welcome screen is complete: its bottom key bar and the box's closing corner are drawn.
fn welcome_complete(screen: &vt100::Screen) -> bool {
    let rows: Vec<String> = screen.rows(0, COLS).collect();
    rows.len() == usize::from(ROWS)
        && rows[0].contains("hibob-auth")
        && rows[usize::from(ROWS) - 2].ends_with('┘')
        && rows[usize::from(ROWS) - 1].contains("q quit")
        && screen.contents().contains("Choose how to connect")
}

fn which(program: &str) -> String {
    std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(program))
                .find(|candidate| candidate.is_file())
        })
        .map(|path| path.display().to_string())
        .unwrap_or_else(|| panic!("{program} is not on PATH"))
}

fn first_frame() {
    println!("First frame in a pseudo-terminal ({COLS}x{ROWS}), beside `true`:");
    let true_bin = which("true");
    let mut wizard = Vec::new();
    let mut minimal = Vec::new();
    for _ in 0..FRAME_RUNS {
        let home = TempDir::new().unwrap();
        let env = clean_env(&home);
        let run = PtyRun::start(&true_bin, &[], &env, |_| false);
        minimal.push(run.elapsed_until_done());
        run.finish();

        let mut run = PtyRun::start(&binary(), &[], &env, welcome_complete);
        wizard.push(run.elapsed_until_done());
        run.send("q");
        run.finish();
    }
    let minimal = describe("true (start to exit)", &mut minimal);
    let wizard = describe("wizard (start to first frame)", &mut wizard);
    println!(
        "  => first frame is {:.2} ms over `true` (target <= 30 ms)\n",
        ms(wizard.saturating_sub(minimal))
    );
}

fn time_process(program: &str, args: &[&str], env: &[(String, String)]) -> Duration {
    let mut command = Command::new(program);
    command
        .args(args)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let status = command.status().expect("run");
    let elapsed = started.elapsed();
    assert!(status.success(), "{program} {args:?} failed: {status}");
    elapsed
}

fn guide_run_time() {
    println!("`guide` whole run (output to /dev/null), beside `true`:");
    let true_bin = which("true");
    let home = TempDir::new().unwrap();
    let env = clean_env(&home);
    let mut guide = Vec::new();
    let mut minimal = Vec::new();
    for _ in 0..GUIDE_RUNS {
        minimal.push(time_process(&true_bin, &[], &env));
        guide.push(time_process(&binary(), &["guide"], &env));
    }
    let minimal = describe("true", &mut minimal);
    let guide = describe("hibob-auth guide", &mut guide);
    println!(
        "  => guide takes {:.2} ms over `true`\n",
        ms(guide.saturating_sub(minimal))
    );
}

/// utime + stime of the whole process (all threads), in clock ticks.
#[cfg(target_os = "linux")]
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc/pid/stat");
    // Fields after the command name (which may contain spaces) start at "state"; utime is field 14.
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// Context switches (voluntary and not) of every thread: each is a wake-up or a preemption.
#[cfg(target_os = "linux")]
fn context_switches(pid: u32) -> u64 {
    let mut total = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))
        .unwrap()
        .flatten()
    {
        let status = std::fs::read_to_string(task.path().join("status")).unwrap_or_default();
        for line in status.lines() {
            if line.starts_with("voluntary_ctxt_switches:")
                || line.starts_with("nonvoluntary_ctxt_switches:")
            {
                total += line
                    .split_whitespace()
                    .nth(1)
                    .and_then(|n| n.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
    }
    total
}

#[cfg(target_os = "linux")]
fn measure_idle(label: &str, run: &PtyRun) {
    // SAFETY: sysconf with a valid name.
    let ticks_per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let pid = run.pid();
    // Let start-up work settle before measuring.
    std::thread::sleep(Duration::from_secs(1));
    let (cpu_before, switches_before, started) =
        (cpu_ticks(pid), context_switches(pid), Instant::now());
    std::thread::sleep(IDLE);
    let (cpu_after, switches_after, elapsed) =
        (cpu_ticks(pid), context_switches(pid), started.elapsed());
    let cpu_seconds = (cpu_after - cpu_before) as f64 / ticks_per_second;
    println!(
        "  {label:<34} {:.3} s CPU in {:.1} s = {:.2} % (target < 1 %); {} context switches",
        cpu_seconds,
        elapsed.as_secs_f64(),
        100.0 * cpu_seconds / elapsed.as_secs_f64(),
        switches_after - switches_before
    );
}

#[cfg(target_os = "linux")]
fn idle_cpu() {
    println!("Idle wizard, {} s untouched:", IDLE.as_secs());
    let home = TempDir::new().unwrap();
    let env = clean_env(&home);
    let mut run = PtyRun::start(&binary(), &[], &env, welcome_complete);
    run.elapsed_until_done();
    measure_idle("on the Welcome screen", &run);
    run.send("q");
    run.finish();

    let mut run = at_connect(&[], &env);
    run.send("SERVICE-1");
    measure_idle("on Connect, cursor in a text field", &run);
    run.send("\x03");
    run.finish();
    println!();
}

/// Peak resident set size of a child that has ended, from wait4(2), in KiB.
#[cfg(target_os = "linux")]
fn wait_peak_rss_kib(pid: u32) -> (i32, i64) {
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for a child of this process with valid pointers.
    let waited = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid as libc::pid_t, "wait4");
    (status, usage.ru_maxrss)
}

#[cfg(target_os = "linux")]
fn vm_hwm_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|kib| kib.parse().ok())
        .expect("VmHWM")
}

/// `check --json` against `server` RSS_RUNS times: the child's peak RSS (KiB) of each run, sorted.
#[cfg(target_os = "linux")]
fn check_peaks(server: &FakeHibob, env: &[(String, String)], expected_exit: i32) -> Vec<i64> {
    let mut peaks = Vec::new();
    for _ in 0..RSS_RUNS {
        // Reaped by wait4 below, which also reports the child's peak memory (std's wait cannot).
        #[allow(clippy::zombie_processes)]
        let child = Command::new(binary())
            .args(["check", "--json", "--api-url", &server.url()])
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("HIBOB_SERVICE_USER_ID", TEST_SERVICE_USER_ID)
            .env("HIBOB_SERVICE_USER_TOKEN", TEST_SERVICE_USER_TOKEN)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run check");
        let (status, peak) = wait_peak_rss_kib(child.id());
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == expected_exit,
            "check did not exit {expected_exit} (wait status {status})"
        );
        peaks.push(peak);
    }
    peaks.sort();
    peaks
}

#[cfg(target_os = "linux")]
fn print_peaks(label: &str, peaks: &[i64]) {
    println!(
        "  {label:<34} median {:.1} MiB, max {:.1} MiB (n={}; target < 20 MiB)",
        peaks[peaks.len() / 2] as f64 / 1024.0,
        peaks[peaks.len() - 1] as f64 / 1024.0,
        peaks.len()
    );
}

#[cfg(target_os = "linux")]
fn peak_rss() {
    println!("Peak RSS during a check (fake HiBob on 127.0.0.1, every probe granted):");
    let server = FakeHibob::start(Scenario::ok());
    let home = TempDir::new().unwrap();
    let env = clean_env(&home);
    print_peaks("check --json (ru_maxrss)", &check_peaks(&server, &env, 0));
    // A company of 20,000 employees: `ok` is proven by the first employee and the rest is not downloaded;
    // with payroll hidden nothing proves it early, so all 20,000 are read (streamed) before `limited`.
    let large = FakeHibob::start(Scenario::ok().employees(LARGE_COMPANY));
    print_peaks("20,000 employees, ok", &check_peaks(&large, &env, 0));
    let large_hidden = FakeHibob::start(
        Scenario::ok()
            .employees(LARGE_COMPANY)
            .hide_categories(&["payroll"]),
    );
    print_peaks(
        "20,000 employees read to the end",
        &check_peaks(&large_hidden, &env, 5),
    );

    // The wizard through a whole check, measured while it shows the result.
    let mut run = at_connect(&["--api-url", &server.url()], &env);
    run.send(TEST_SERVICE_USER_ID);
    run.send("\t");
    run.send(TEST_SERVICE_USER_TOKEN);
    run.send("\r");
    run.wait_for("all set");
    println!(
        "  wizard after a check (VmHWM)       {:.1} MiB",
        vm_hwm_kib(run.pid()) as f64 / 1024.0
    );
    run.send("\x03");
    run.wait_for("Quit anyway?");
    run.send("\r");
    run.finish();
    println!();
}

fn binary_size() {
    println!("Release binary size:");
    let built = std::fs::metadata(binary()).expect("the binary").len();
    println!(
        "  as built (release profile, strip = \"symbols\")  {:.2} MiB ({built} bytes)",
        built as f64 / (1024.0 * 1024.0)
    );
    let stripped = std::env::temp_dir().join(format!("hibob-auth-stripped-{}", std::process::id()));
    match Command::new("strip")
        .arg("-o")
        .arg(&stripped)
        .arg(binary())
        .status()
    {
        Ok(status) if status.success() => {
            let size = std::fs::metadata(&stripped).unwrap().len();
            println!(
                "  after strip(1)                                 {:.2} MiB ({size} bytes; target < 8 MB = 8,000,000 bytes)",
                size as f64 / (1024.0 * 1024.0)
            );
            let _ = std::fs::remove_file(&stripped);
        }
        _ => println!(
            "  strip(1) is not installed; the as-built size is already stripped of symbols"
        ),
    }
    println!();
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument selects parts by name.
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let run = |name: &str| wanted.is_empty() || wanted.iter().any(|w| name.contains(w.as_str()));
    println!("binary: {}\n", binary());
    if run("size") {
        binary_size();
    }
    if run("first-frame") {
        first_frame();
    }
    if run("guide") {
        guide_run_time();
    }
    #[cfg(target_os = "linux")]
    {
        if run("rss") {
            peak_rss();
        }
        if run("idle") {
            idle_cpu();
        }
    }
    #[cfg(not(target_os = "linux"))]
    println!("Peak RSS and idle CPU are measured on Linux only (/proc, wait4).");
}
