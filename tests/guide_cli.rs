//! `hibob-auth guide`, run as a real process: every format, flow selection, a bare environment, a closed pipe.

mod support;

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use assert_cmd::cargo::{cargo_bin, cargo_bin_cmd};
use support::fake_hibob::SCOPE_NAMES;
use support::home::{field_of_each, keys};

const TROUBLESHOOTING: &str =
    "Could not connect account. Please check your credentials and try again";
const STEP_IDS: [&str; 5] = ["login", "generate", "scopes", "copy", "connect"];

fn guide(args: &[&str]) -> String {
    let output = cargo_bin_cmd!("hibob-auth")
        .arg("guide")
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn default_text_has_both_flows_every_step_scope_and_fix() {
    let text = guide(&[]);
    let service_user = text
        .find("Service user (HiBob's current method)")
        .expect("service-user flow");
    let api_token = text
        .find("API access token (the documented steps, retired by HiBob)")
        .expect("api-token flow");
    assert!(service_user < api_token, "service user comes first");
    for number in 1..=5 {
        assert_eq!(
            count(&text, &format!("Step {number} of 5: ")),
            2,
            "step {number}"
        );
    }
    for scope in SCOPE_NAMES {
        assert!(text.contains(scope), "{scope}");
    }
    assert!(text.contains(TROUBLESHOOTING));
    assert!(text.contains("2025-05-06"));
    assert!(text.contains("2024-06-15"));
    assert!(text.contains("https://apidocs.hibob.com/docs"));
    assert!(text.contains("  [ ] Save was clicked"));
}

#[test]
fn text_says_the_api_token_flow_is_retired_before_its_first_step() {
    let text = guide(&["--flow", "api-token"]);
    let retired = text.find("!! RETIRED BY HIBOB: ").expect("retired note");
    assert!(retired < text.find("Step 1 of 5").unwrap());
    assert!(!text.contains("Service user (HiBob's current method)"));
    assert_eq!(count(&text, "Step 1 of 5: "), 1);
}

#[test]
fn text_wraps_at_80_columns_when_piped() {
    let text = guide(&[]);
    let widest = text.lines().map(|line| line.chars().count()).max().unwrap();
    assert!(widest <= 80, "widest line: {widest}");
    assert!(
        widest >= 70,
        "the text fills the width: widest line {widest}"
    );
}

#[test]
fn text_snapshot() {
    insta::assert_snapshot!("guide_text_80_columns", guide(&[]));
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!("guide_markdown", guide(&["--format", "markdown"]));
}

#[test]
fn markdown_has_headings_task_lists_alert_and_links() {
    let markdown = guide(&["--format", "markdown"]);
    assert!(markdown.starts_with("## Service user (HiBob's current method)\n"));
    assert_eq!(count(&markdown, "### Step 3 of 5: "), 2);
    assert!(markdown.contains("> [!WARNING]\n> **RETIRED BY HIBOB.** HiBob stopped accepting"));
    for scope in SCOPE_NAMES {
        assert!(markdown.contains(&format!("- [ ] {scope}\n")), "{scope}");
    }
    assert!(markdown.contains(&format!("### {TROUBLESHOOTING}\n")));
    assert!(markdown.contains("- [HiBob API reference](https://apidocs.hibob.com/docs)\n"));
}

fn strings(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|item| item.as_str().expect("a string"))
        .collect()
}

#[test]
fn json_has_the_documented_shape() {
    let json: serde_json::Value = serde_json::from_str(&guide(&["--format", "json"])).unwrap();
    assert_eq!(
        keys(&json),
        BTreeSet::from(["flows", "troubleshooting", "links"])
    );
    assert_eq!(
        field_of_each(&json["flows"], "id"),
        ["service-user", "api-token"]
    );
    let flows = json["flows"].as_array().unwrap();
    for flow in flows {
        assert_eq!(
            keys(flow),
            BTreeSet::from(["id", "title", "summary", "status", "status_note", "steps"])
        );
        assert!(!flow["title"].as_str().unwrap().is_empty());
        assert_eq!(field_of_each(&flow["steps"], "id"), STEP_IDS);
        for step in flow["steps"].as_array().unwrap() {
            assert_eq!(
                keys(step),
                BTreeSet::from(["id", "title", "text", "checklist"])
            );
            assert!(!step["title"].as_str().unwrap().is_empty());
            assert!(!step["text"].as_str().unwrap().is_empty());
            assert!(!strings(&step["checklist"]).is_empty());
        }
    }
    assert_eq!(flows[0]["status"], "current");
    assert_eq!(flows[1]["status"], "retired");
    let api_scopes = strings(&flows[1]["steps"][2]["checklist"]);
    assert_eq!(&api_scopes[..6], SCOPE_NAMES);

    let troubleshooting = json["troubleshooting"].as_array().unwrap();
    assert_eq!(troubleshooting[0]["error"], TROUBLESHOOTING);
    assert_eq!(strings(&troubleshooting[0]["fixes"]).len(), 2);
    for entry in troubleshooting {
        assert_eq!(keys(entry), BTreeSet::from(["error", "fixes"]));
    }
    let links = json["links"].as_array().unwrap();
    assert!(
        links
            .iter()
            .any(|link| link["url"] == "https://apidocs.hibob.com/docs")
    );
    for link in links {
        assert_eq!(keys(link), BTreeSet::from(["title", "url"]));
    }
}

#[test]
fn flow_option_selects_one_flow_in_every_format() {
    let json: serde_json::Value =
        serde_json::from_str(&guide(&["--flow", "service-user", "--format", "json"])).unwrap();
    let flows = json["flows"].as_array().unwrap();
    assert_eq!(flows.len(), 1);
    assert_eq!(flows[0]["id"], "service-user");
    assert!(!json["troubleshooting"].as_array().unwrap().is_empty());

    let markdown = guide(&["--flow", "api-token", "--format", "markdown"]);
    assert!(markdown.starts_with("## API access token"));
    assert!(!markdown.contains("## Service user"));
    assert_eq!(count(&markdown, "### Step 1 of 5: "), 1);
}

#[test]
fn unknown_flow_or_format_is_a_usage_error() {
    cargo_bin_cmd!("hibob-auth")
        .args(["guide", "--flow", "password"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("service-user"));
    cargo_bin_cmd!("hibob-auth")
        .args(["guide", "--format", "html"])
        .assert()
        .code(2);
}

/// No HOME, no terminal, nothing on stdin, only PATH: the guide still prints in full.
#[test]
fn works_with_a_bare_environment_and_no_stdin() {
    let output = StdCommand::new(cargo_bin("hibob-auth"))
        .arg("guide")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(output.stderr.is_empty(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text, guide(&[]), "the same output as in a full environment");
}

/// With a home and config directory of its own, `guide` leaves them untouched; an API URL that points at a
/// listener on this machine (and one that is invalid) changes nothing and receives no connection.
#[test]
fn touches_neither_config_nor_network() {
    let home = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let api_url = format!("http://{}", listener.local_addr().unwrap());
    for url in [api_url.as_str(), "http://example.com"] {
        Command::new(cargo_bin("hibob-auth"))
            .arg("guide")
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("HIBOB_API_URL", url)
            .env("HIBOB_AUTH_LOG", "trace")
            .assert()
            .success();
    }
    let created: Vec<_> = std::fs::read_dir(home.path()).unwrap().collect();
    assert!(created.is_empty(), "guide created {created:?}");
    let connection = listener.accept();
    assert!(
        matches!(&connection, Err(err) if err.kind() == std::io::ErrorKind::WouldBlock),
        "guide connected to the API URL: {connection:?}"
    );
}

/// `hibob-auth guide | head -1`: the reader is gone before the guide is written. The command ends quietly
/// with success, and never with a panic message. The pipe's read end is closed before the process starts,
/// so the very first write fails whatever the timing.
#[test]
fn closed_pipe_is_not_a_panic() {
    for format in ["text", "markdown", "json"] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = StdCommand::new(cargo_bin("hibob-auth"))
            .args(["guide", "--format", format])
            .stdin(Stdio::null())
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{format}");
    }
}

/// The same through a real shell pipeline, as a user would type it. Unix only: it needs `sh` and `head`;
/// `closed_pipe_is_not_a_panic` above covers a closed pipe on every platform.
#[cfg(unix)]
#[test]
fn piped_into_head_prints_the_first_line_only() {
    use std::io::Read;

    let bin = cargo_bin("hibob-auth");
    let mut child = StdCommand::new("sh")
        .arg("-c")
        .arg(r#""$0" guide | head -n 1"#)
        .arg(&bin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(stdout, "Service user (HiBob's current method)\n");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.success());
}
