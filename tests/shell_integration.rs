//! Shell integration and manners, with the real binary: the bash completion loaded in a real `bash`, the
//! manual page rendered by a real `man -l`, `--version`, output into a closed pipe, and logs without
//! colour escapes when stderr is not a terminal.

mod support;

use std::process::{Command, Output, Stdio};

use assert_cmd::cargo::cargo_bin;
use support::fake_hibob::{FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN};
use support::home::TestHome;

const SUBCOMMANDS: [&str; 9] = [
    "setup",
    "check",
    "guide",
    "login",
    "token",
    "logout",
    "profiles",
    "completions",
    "man",
];

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What bash completes for the words `line` (the last one being completed), after loading the script
/// `hibob-auth completions bash` prints, through the function the script registers with `complete`.
// bash and man are Unix tools: the tests that run them are Unix-only.
#[cfg(unix)]
fn bash_completes(words: &[&str]) -> Vec<String> {
    let script = r#"
        set -e
        source <("$HIBOB_AUTH_BIN" completions bash)
        spec=$(complete -p hibob-auth)
        fn=${spec#* -F }; fn=${fn%% *}
        read -r -a COMP_WORDS <<< "$WORDS"
        [[ $WORDS == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
        COMP_LINE=$WORDS; COMP_POINT=${#COMP_LINE}
        "$fn" hibob-auth "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let output = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", script])
        .env("HIBOB_AUTH_BIN", cargo_bin!("hibob-auth"))
        .env("WORDS", words.join(" "))
        .output()
        .expect("run bash");
    assert!(output.status.success(), "{}", text(&output.stderr));
    text(&output.stdout)
        .lines()
        .map(|line| line.trim().to_string())
        .filter(|line| !line.is_empty())
        .collect()
}

#[cfg(unix)]
#[test]
fn the_bash_completion_loads_in_bash_and_completes_the_subcommands() {
    assert_eq!(bash_completes(&["hibob-auth", "ch"]), ["check"]);
    assert_eq!(bash_completes(&["hibob-auth", "com"]), ["completions"]);
    let all = bash_completes(&["hibob-auth", ""]);
    for subcommand in SUBCOMMANDS {
        assert!(
            all.iter().any(|c| c == subcommand),
            "{subcommand} in {all:?}"
        );
    }
    // And the values of an argument: the shells `completions` takes.
    let shells = bash_completes(&["hibob-auth", "completions", ""]);
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        assert!(shells.iter().any(|c| c == shell), "{shell} in {shells:?}");
    }
}

#[test]
fn every_shell_gets_a_script_that_names_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = Command::new(cargo_bin!("hibob-auth"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "{shell}: {}", text(&output.stderr));
        let script = text(&output.stdout);
        for subcommand in SUBCOMMANDS {
            assert!(script.contains(subcommand), "{shell} lacks {subcommand}");
        }
    }
    let output = Command::new(cargo_bin!("hibob-auth"))
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn man_renders_with_man_l() {
    let home = TestHome::new();
    let page = home.path().join("hibob-auth.1");
    let roff = Command::new(cargo_bin!("hibob-auth"))
        .arg("man")
        .output()
        .unwrap();
    assert!(roff.status.success());
    std::fs::write(&page, &roff.stdout).unwrap();
    let rendered = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANWIDTH", "100")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("LANG", "C.UTF-8")
        .output()
        .expect("run man (the man-db package)");
    assert!(rendered.status.success(), "{}", text(&rendered.stderr));
    let rendered = text(&rendered.stdout);
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "OPTIONS",
        "SUBCOMMANDS",
        "VERSION",
    ] {
        assert!(rendered.contains(section), "{section} in:\n{rendered}");
    }
    assert!(rendered.contains("hibob-auth-check"), "{rendered}");
    assert!(rendered.contains("--api-url"), "{rendered}");
}

#[test]
fn version_names_the_commit_and_the_target() {
    let output = Command::new(cargo_bin!("hibob-auth"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(output.status.success());
    let version = text(&output.stdout);
    assert!(
        version.starts_with(&format!("hibob-auth {} (", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    assert!(version.contains(std::env::consts::ARCH), "{version}");
    assert!(version.contains(std::env::consts::OS), "{version}");
    // Built from a checkout (as here, and in CI's fresh clone): the commit checked out.
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("git, to know which commit this is");
    assert!(
        head.status.success(),
        "not a checkout: {}",
        text(&head.stderr)
    );
    let head = text(&head.stdout);
    assert!(version.contains(head.trim()), "{version} vs HEAD {head}");
}

/// Run `hibob-auth ARGS` with stdout a pipe whose reader is already gone, as in `… | head -0`.
fn into_a_closed_pipe(home: &TestHome, args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut command = home.command(args);
    command.stdout(writer).stderr(Stdio::piped());
    command.output().unwrap()
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let home = TestHome::new();
    for args in [
        &["profiles"][..],
        &["profiles", "--json"],
        &["guide"],
        &["guide", "--format", "json"],
        &["completions", "bash"],
        &["man"],
    ] {
        let output = into_a_closed_pipe(&home, args);
        let stderr = text(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[test]
fn logs_carry_no_colour_escapes_into_a_pipe_even_without_no_color() {
    let hibob = FakeHibob::start(Scenario::ok());
    let home = TestHome::new();
    let output = home
        .command(&["check", "-vv", "--api-url", &hibob.url()])
        .env_remove("NO_COLOR")
        .env("HIBOB_SERVICE_USER_ID", TEST_SERVICE_USER_ID)
        .env("HIBOB_SERVICE_USER_TOKEN", TEST_SERVICE_USER_TOKEN)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("DEBUG"), "-vv logs: {stderr}");
    assert!(
        !stderr.contains('\u{1b}'),
        "colour escapes in a pipe: {stderr:?}"
    );
}

#[test]
fn help_lists_every_environment_variable_the_program_reads() {
    let output = Command::new(cargo_bin!("hibob-auth"))
        .arg("--help")
        .output()
        .unwrap();
    let help = text(&output.stdout);
    for name in [
        "HIBOB_API_URL",
        "HIBOB_PROFILE",
        "HIBOB_AUTH_STORE",
        "HIBOB_SERVICE_USER_ID",
        "HIBOB_SERVICE_USER_TOKEN",
        "HIBOB_API_TOKEN",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "NO_PROXY",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "HIBOB_AUTH_LOG",
        "NO_COLOR",
    ] {
        assert!(help.contains(name), "{name} missing from --help:\n{help}");
    }
    let login = Command::new(cargo_bin!("hibob-auth"))
        .args(["login", "--help"])
        .output()
        .unwrap();
    assert!(text(&login.stdout).contains("HIBOB_AUTH_STDIN_TIMEOUT"));
}

#[test]
fn a_bad_stdin_timeout_is_a_clear_usage_error() {
    let home = TestHome::new();
    for bad in ["soon", "0", "99999"] {
        let output = home
            .command(&["login", "--token-stdin", "--no-verify"])
            .env("HIBOB_AUTH_STDIN_TIMEOUT", bad)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains("--stdin-timeout"), "{stderr}");
        assert!(stderr.contains(bad), "{stderr}");
    }
}
