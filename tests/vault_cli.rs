//! `--store vault` against a real OpenBao server (tests/support/openbao.rs): one KV version 2 entry per
//! profile, shared by a team; every write check-and-set; failures are store failures (exit 4) with their
//! fix. HiBob is the fake over loopback. Each test uses a profile of its own on the binary's one server,
//! except those that change the server itself (seal, TLS), which start their own.
#![cfg(unix)]

mod support;

use std::process::{Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use support::fake_hibob::{
    Expected, FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN,
};
use support::home::{TestHome, never_says, says};
use support::leak::{contains, files_under};
use support::openbao::{OpenBao, Options, ROOT_TOKEN};
use support::this_test;

/// The admins' policy of the README: everything hibob-auth does on its prefix.
const ADMIN_POLICY: &str = r#"
path "secret/data/hibob-auth/*" { capabilities = ["create", "read", "update"] }
path "secret/metadata/hibob-auth/*" { capabilities = ["read", "list", "delete"] }
path "secret/destroy/hibob-auth/*" { capabilities = ["update"] }
"#;

/// The CI policy of the README: read only.
const CI_POLICY: &str = r#"
path "secret/data/hibob-auth/*" { capabilities = ["read"] }
path "secret/metadata/hibob-auth/*" { capabilities = ["list"] }
"#;

/// The binary's shared server with the two policies, or `None` when the tests skip.
fn server(test: &str) -> Option<&'static OpenBao> {
    static SERVER: OnceLock<Option<OpenBao>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let server = OpenBao::start(test)?;
            server.policy("hibob-admin", ADMIN_POLICY);
            server.policy("hibob-ci", CI_POLICY);
            Some(server)
        })
        .as_ref()
}

/// A machine: a fresh home (no keyring, no D-Bus) whose commands use Vault with `token` and profile `profile`.
struct Machine {
    home: TestHome,
    vars: Vec<(String, String)>,
}

impl Machine {
    fn new(server: &OpenBao, token: &str, profile: &str) -> Machine {
        Machine::with_vars(&[
            ("BAO_ADDR", &server.address()),
            ("BAO_TOKEN", token),
            ("HIBOB_AUTH_STORE", "vault"),
            ("HIBOB_PROFILE", profile),
        ])
    }

    fn with_vars(vars: &[(&str, &str)]) -> Machine {
        Machine {
            home: TestHome::new(),
            vars: vars
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
        }
    }

    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut command = assert_cmd::Command::from_std(self.home.without_bus(args));
        command.envs(self.vars.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        command.timeout(support::home::HANG_GUARD);
        command
            .write_stdin(stdin.unwrap_or_default())
            .output()
            .expect("run hibob-auth")
    }

    /// `login` of the test service user, checked against `hibob`.
    fn login(&self, hibob: &FakeHibob, token: &str) -> Output {
        self.run(
            &[
                "login",
                "--token-stdin",
                "--service-user-id",
                TEST_SERVICE_USER_ID,
                "--api-url",
                &hibob.url(),
            ],
            Some(token),
        )
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn hibob() -> FakeHibob {
    FakeHibob::start(Scenario::ok().expecting(Expected::test_service_user()))
}

/// The entry's data keys as `bao kv get` reads them.
fn data(server: &OpenBao, profile: &str) -> Option<serde_json::Value> {
    server
        .kv_get("secret", &format!("hibob-auth/{profile}"))
        .map(|entry| entry["data"]["data"].clone())
}

fn current_version(server: &OpenBao, profile: &str) -> u64 {
    server
        .kv_metadata("secret", &format!("hibob-auth/{profile}"))
        .map(|meta| meta["data"]["current_version"].as_u64().unwrap())
        .unwrap_or(0)
}

/// The issue's "done when": an admin stores the credential; a teammate on a second machine (fresh home,
/// no keyring, nothing on disk) with the CI's read-only token checks it and runs `exec` with it.
#[test]
fn a_teammate_on_a_second_machine_checks_and_runs_exec_with_what_an_admin_stored() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    let profile = "teammate";
    let hibob = hibob();
    let admin = Machine::new(server, &server.token(&["hibob-admin"]), profile);
    let stored = admin.login(&hibob, TEST_SERVICE_USER_TOKEN);
    assert_eq!(stored.status.code(), Some(0), "{}", stderr(&stored));
    says(
        &stderr(&stored),
        &["Stored profile 'teammate' in the Vault at"],
    );
    assert_eq!(
        data(server, profile).unwrap(),
        serde_json::json!({
            "kind": "service-user",
            "service_user_id": TEST_SERVICE_USER_ID,
            "api_url": hibob.url(),
            "token": TEST_SERVICE_USER_TOKEN,
        })
    );

    let teammate = Machine::new(server, &server.token(&["hibob-ci"]), profile);
    let checked = teammate.run(&["check"], None);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    says(&stdout(&checked), &["source      Vault"]);
    let json = teammate.run(&["check", "--json"], None);
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(json["source"], "vault");
    let exec = teammate.run(
        &["exec", "--", "sh", "-c", "printf '%s %s %s' \"$HIBOB_SERVICE_USER_ID\" \"$HIBOB_SERVICE_USER_TOKEN\" \"$HIBOB_API_URL\""],
        None,
    );
    assert_eq!(exec.status.code(), Some(0), "{}", stderr(&exec));
    assert_eq!(
        stdout(&exec),
        format!(
            "{TEST_SERVICE_USER_ID} {TEST_SERVICE_USER_TOKEN} {}",
            hibob.url()
        )
    );
    let token = teammate.run(&["token"], None);
    assert_eq!(stdout(&token).trim(), TEST_SERVICE_USER_TOKEN);
    // Nothing of the credential on either machine's disk: no record file, no secret anywhere.
    for machine in [&admin, &teammate] {
        for file in files_under(machine.home.path()) {
            let bytes = std::fs::read(&file).unwrap_or_default();
            assert!(
                !contains(&bytes, TEST_SERVICE_USER_TOKEN.as_bytes()),
                "{}",
                file.display()
            );
        }
        assert!(machine.home.record(profile).is_none());
    }
}

#[test]
fn vault_variables_work_and_openbao_ones_win() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    let profile = "families";
    server.kv_put(
        "secret",
        &format!("hibob-auth/{profile}"),
        &[
            ("kind", "service-user"),
            ("service_user_id", TEST_SERVICE_USER_ID),
            ("api_url", "http://127.0.0.1:9"),
            ("token", TEST_SERVICE_USER_TOKEN),
        ],
    );
    let address = server.address();
    let vault_only = Machine::with_vars(&[
        ("VAULT_ADDR", &address),
        ("VAULT_TOKEN", ROOT_TOKEN),
        ("HIBOB_AUTH_STORE", "vault"),
        ("HIBOB_PROFILE", profile),
    ]);
    let output = vault_only.run(&["token"], None);
    assert_eq!(
        stdout(&output).trim(),
        TEST_SERVICE_USER_TOKEN,
        "{}",
        stderr(&output)
    );
    // BAO_* first: a wrong VAULT_* beside a right BAO_* is not used.
    let both = Machine::with_vars(&[
        ("BAO_ADDR", &address),
        ("VAULT_ADDR", "https://vault.invalid"),
        ("BAO_TOKEN", ROOT_TOKEN),
        ("VAULT_TOKEN", "not-a-token"),
        ("HIBOB_AUTH_STORE", "vault"),
        ("HIBOB_PROFILE", profile),
    ]);
    let output = both.run(&["token"], None);
    assert_eq!(
        stdout(&output).trim(),
        TEST_SERVICE_USER_TOKEN,
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_token_file_is_used_and_no_token_anywhere_says_where_to_put_one() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    let profile = "token-file";
    server.kv_put(
        "secret",
        &format!("hibob-auth/{profile}"),
        &[
            ("kind", "api-token"),
            ("api_url", "http://127.0.0.1:9"),
            ("token", "an-api-token-from-vault-0042"),
        ],
    );
    let address = server.address();
    let machine = Machine::with_vars(&[
        ("BAO_ADDR", &address),
        ("HIBOB_AUTH_STORE", "vault"),
        ("HIBOB_PROFILE", profile),
    ]);
    let missing = machine.run(&["token"], None);
    assert_eq!(missing.status.code(), Some(4));
    says(
        &stderr(&missing),
        &["BAO_TOKEN", "VAULT_TOKEN", ".vault-token", "To fix:"],
    );
    std::fs::write(
        machine.home.path().join(".vault-token"),
        format!("{ROOT_TOKEN}\n"),
    )
    .unwrap();
    let output = machine.run(&["token"], None);
    assert_eq!(
        stdout(&output).trim(),
        "an-api-token-from-vault-0042",
        "{}",
        stderr(&output)
    );

    let elsewhere = machine.home.path().join("team-token");
    std::fs::write(&elsewhere, ROOT_TOKEN).unwrap();
    std::fs::remove_file(machine.home.path().join(".vault-token")).unwrap();
    let mut with_path = Machine::with_vars(&[
        ("BAO_ADDR", &address),
        ("HIBOB_AUTH_STORE", "vault"),
        ("HIBOB_PROFILE", profile),
    ]);
    with_path
        .vars
        .push(("VAULT_TOKEN_PATH".into(), elsewhere.display().to_string()));
    let output = with_path.run(&["token"], None);
    assert_eq!(
        stdout(&output).trim(),
        "an-api-token-from-vault-0042",
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_read_only_token_checks_but_its_login_and_logout_change_nothing() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    let profile = "read-only";
    let hibob = hibob();
    let admin = Machine::new(server, &server.token(&["hibob-admin"]), profile);
    assert_eq!(
        admin.login(&hibob, TEST_SERVICE_USER_TOKEN).status.code(),
        Some(0)
    );
    let before = current_version(server, profile);

    let ci = Machine::new(server, &server.token(&["hibob-ci"]), profile);
    assert_eq!(ci.run(&["check"], None).status.code(), Some(0));
    // The same credential again: HiBob accepts it, so only the store can refuse.
    let login = ci.login(&hibob, TEST_SERVICE_USER_TOKEN);
    assert_eq!(login.status.code(), Some(4), "{}", stderr(&login));
    says(
        &stderr(&login),
        &[
            "permission denied",
            "update",
            "secret/data/hibob-auth/read-only",
            "To fix:",
        ],
    );
    never_says(&stderr(&login), &["rejected"]);
    let logout = ci.run(&["logout"], None);
    assert_eq!(logout.status.code(), Some(4), "{}", stderr(&logout));
    says(
        &stderr(&logout),
        &["delete", "secret/metadata/hibob-auth/read-only"],
    );
    assert_eq!(current_version(server, profile), before);
    assert_eq!(
        data(server, profile).unwrap()["token"],
        TEST_SERVICE_USER_TOKEN
    );
}

#[test]
fn a_token_without_access_is_a_store_failure_that_names_the_path() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    let nobody = Machine::new(server, &server.token(&[]), "no-access");
    let output = nobody.run(&["check"], None);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    says(
        &stderr(&output),
        &["secret/hibob-auth", "policy", "To fix:"],
    );
    never_says(&stderr(&output), &["rejected", "401"]);
    let bad = Machine::new(server, "not-a-real-token", "no-access");
    let output = bad.run(&["check"], None);
    assert_eq!(output.status.code(), Some(4));
    says(&stderr(&output), &["did not accept the token", "bao login"]);
}

#[test]
fn a_write_that_lost_the_race_fails_and_overwrites_nothing() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    let profile = "race";
    let key = format!("hibob-auth/{profile}");
    let admin_token = server.token(&["hibob-admin"]);
    let first = hibob();
    let admin = Machine::new(server, &admin_token, profile);
    assert_eq!(
        admin.login(&first, TEST_SERVICE_USER_TOKEN).status.code(),
        Some(0)
    );
    // A slow HiBob keeps this login between its read of the entry and its write...
    let slow = FakeHibob::start(
        Scenario::ok()
            .expecting(Expected::test_service_user())
            .delay(Duration::from_secs(2)),
    );
    let mut racing = Machine::new(server, &admin_token, profile)
        .home
        .without_bus(&[
            "login",
            "--token-stdin",
            "--service-user-id",
            TEST_SERVICE_USER_ID,
            "--api-url",
            &slow.url(),
        ]);
    racing
        .env("BAO_ADDR", server.address())
        .env("BAO_TOKEN", &admin_token)
        .env("HIBOB_AUTH_STORE", "vault")
        .env("HIBOB_PROFILE", profile)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = racing.spawn().unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(TEST_SERVICE_USER_TOKEN.as_bytes())
        .unwrap();
    // ...and while HiBob is answering it, a teammate stores another credential.
    let started = Instant::now();
    while slow.requests().is_empty() {
        assert!(
            started.elapsed() < support::home::HANG_GUARD,
            "the login never reached HiBob"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    server.kv_put(
        "secret",
        &key,
        &[
            ("kind", "api-token"),
            ("api_url", "http://127.0.0.1:9"),
            ("token", "the-teammates-token-000000"),
        ],
    );
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    says(
        &stderr(&output),
        &[
            "someone else changed profile 'race'",
            "re-run to see the new state",
        ],
    );
    assert_eq!(
        data(server, profile).unwrap()["token"],
        "the-teammates-token-000000"
    );
}

#[test]
fn concurrent_logins_leave_one_whole_entry() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    let profile = "concurrent";
    let token = server.token(&["hibob-admin"]);
    let hibob = FakeHibob::start(Scenario::ok());
    let writers: Vec<(String, String)> = (0..4)
        .map(|n| {
            (
                format!("SERVICE-CONCURRENT-{n}"),
                format!("token-of-writer-number-{n}-abcdef"),
            )
        })
        .collect();
    let handles: Vec<_> = writers
        .iter()
        .cloned()
        .map(|(id, secret)| {
            let machine = Machine::new(server, &token, profile);
            let url = hibob.url();
            std::thread::spawn(move || {
                machine.run(
                    &[
                        "login",
                        "--token-stdin",
                        "--no-verify",
                        "--service-user-id",
                        &id,
                        "--api-url",
                        &url,
                    ],
                    Some(&secret),
                )
            })
        })
        .collect();
    let outputs: Vec<Output> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    for output in &outputs {
        let code = output.status.code();
        assert!(code == Some(0) || code == Some(4), "{}", stderr(output));
        if code == Some(4) {
            says(&stderr(output), &["someone else changed profile"]);
        }
    }
    assert!(outputs.iter().any(|o| o.status.code() == Some(0)));
    let entry = data(server, profile).unwrap();
    let pair = (
        entry["service_user_id"].as_str().unwrap().to_string(),
        entry["token"].as_str().unwrap().to_string(),
    );
    assert!(writers.contains(&pair), "a torn entry: {entry}");
}

#[test]
fn a_rotation_keeps_only_the_new_token_readable() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    let profile = "rotation";
    let key = format!("hibob-auth/{profile}");
    let admin = Machine::new(server, &server.token(&["hibob-admin"]), profile);
    let url = FakeHibob::start(Scenario::ok()).url();
    let login = |secret: &str| {
        admin.run(
            &[
                "login",
                "--token-stdin",
                "--no-verify",
                "--service-user-id",
                "SERVICE-ROT",
                "--api-url",
                &url,
            ],
            Some(secret),
        )
    };
    assert_eq!(
        login("the-first-token-of-rotation-1111").status.code(),
        Some(0)
    );
    let rotated = login("the-second-token-of-rotation-2222");
    assert_eq!(rotated.status.code(), Some(0), "{}", stderr(&rotated));
    says(&stderr(&rotated), &["a rotation"]);
    let meta = server.kv_metadata("secret", &key).unwrap();
    assert_eq!(meta["data"]["current_version"], 2);
    assert_eq!(meta["data"]["versions"]["1"]["destroyed"], true);
    assert_eq!(meta["data"]["versions"]["2"]["destroyed"], false);
    let old = server.bao(&["kv", "get", "-version=1", "-mount=secret", &key]);
    never_says(
        &String::from_utf8_lossy(&old.stdout),
        &["the-first-token-of-rotation-1111"],
    );

    // A token that may write but not destroy: stored, with a warning.
    server.policy(
        "no-destroy",
        r#"
path "secret/data/hibob-auth/*" { capabilities = ["create", "read", "update"] }
path "secret/metadata/hibob-auth/*" { capabilities = ["read", "list"] }
"#,
    );
    let limited = Machine::new(server, &server.token(&["no-destroy"]), profile);
    let output = limited.run(
        &[
            "login",
            "--token-stdin",
            "--no-verify",
            "--service-user-id",
            "SERVICE-ROT",
            "--api-url",
            &url,
        ],
        Some("the-third-token-of-rotation-3333"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    says(
        &stderr(&output),
        &[
            "warning: the older versions",
            "not destroyed",
            "secret/destroy/hibob-auth/rotation",
        ],
    );
    assert_eq!(
        data(server, profile).unwrap()["token"],
        "the-third-token-of-rotation-3333"
    );
}

#[test]
fn logout_deletes_the_entry_with_every_version() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    let profile = "logout";
    let admin = Machine::new(server, &server.token(&["hibob-admin"]), profile);
    let output = admin.run(
        &[
            "login",
            "--token-stdin",
            "--no-verify",
            "--service-user-id",
            "SERVICE-OUT",
            "--api-url",
            "http://127.0.0.1:9",
        ],
        Some("a-token-to-log-out-of-000000"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let listed = admin.run(&["profiles"], None);
    says(&stdout(&listed), &["logout", "SERVICE-OUT", "vault"]);
    let output = admin.run(&["logout"], None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    says(&stdout(&output), &["Logged out of profile 'logout'"]);
    assert!(server.kv_metadata("secret", "hibob-auth/logout").is_none());
    let again = admin.run(&["logout"], None);
    says(
        &stdout(&again),
        &["Nothing was stored for profile 'logout'"],
    );
}

#[test]
fn check_all_reads_the_list_once_and_a_check_reads_vault_twice() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    server.policy(
        "speed",
        r#"
path "secret/data/speed/*" { capabilities = ["create", "read", "update"] }
path "secret/metadata/speed/*" { capabilities = ["read", "list", "delete"] }
path "secret/destroy/speed/*" { capabilities = ["update"] }
"#,
    );
    let token = server.token(&["speed"]);
    let hibob = hibob();
    let mut machine = Machine::new(server, &token, "one");
    machine
        .vars
        .push(("HIBOB_AUTH_VAULT_PATH".into(), "secret/speed".into()));
    for profile in ["one", "two"] {
        server.kv_put(
            "secret",
            &format!("speed/{profile}"),
            &[
                ("kind", "service-user"),
                ("service_user_id", TEST_SERVICE_USER_ID),
                ("api_url", &hibob.url()),
                ("token", TEST_SERVICE_USER_TOKEN),
            ],
        );
    }
    let before = server.requests_by(&token).len();
    let output = machine.run(&["check"], None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let check: Vec<String> = server.requests_by(&token)[before..].to_vec();
    assert_eq!(
        check,
        [
            "read sys/internal/ui/mounts/secret/speed",
            "read secret/data/speed/one"
        ],
    );
    let before = server.requests_by(&token).len();
    let output = machine.run(&["check", "--all"], None);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let all: Vec<String> = server.requests_by(&token)[before..].to_vec();
    assert_eq!(
        all.iter().filter(|r| r.starts_with("list ")).count(),
        1,
        "{all:?}"
    );
    assert_eq!(
        all.iter().filter(|r| r.contains("/mounts/")).count(),
        1,
        "{all:?}"
    );

    // A login reads its own profile only, never the others' entries.
    let before = server.requests_by(&token).len();
    let output = machine.run(
        &[
            "login",
            "--token-stdin",
            "--no-verify",
            "--service-user-id",
            TEST_SERVICE_USER_ID,
        ],
        Some(TEST_SERVICE_USER_TOKEN),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let login: Vec<String> = server.requests_by(&token)[before..].to_vec();
    assert!(login.iter().all(|r| !r.contains("speed/two")), "{login:?}");
    assert!(
        login.iter().any(|r| r == "update secret/data/speed/one"),
        "{login:?}"
    );
}

#[test]
fn kv_version_1_is_refused_with_the_upgrade_command() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    server.kv1_mount("kv-one");
    let mut machine = Machine::new(server, ROOT_TOKEN, "v1");
    machine
        .vars
        .push(("HIBOB_AUTH_VAULT_PATH".into(), "kv-one/hibob".into()));
    let output = machine.run(
        &[
            "login",
            "--token-stdin",
            "--no-verify",
            "--service-user-id",
            "SERVICE-V1",
        ],
        Some("a-token-for-a-kv1-mount-0000"),
    );
    assert_eq!(output.status.code(), Some(4));
    says(
        &stderr(&output),
        &["KV version 1", "kv enable-versioning kv-one"],
    );
    let no_mount = Machine::new(server, ROOT_TOKEN, "v1");
    let output = no_mount.run(&["--vault-path", "nowhere/hibob", "token"], None);
    assert_eq!(output.status.code(), Some(4));
    says(
        &stderr(&output),
        &["no secrets engine at 'nowhere/hibob'", "bao secrets list"],
    );
}

#[test]
fn a_mount_with_slashes_and_a_namespace_are_found() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    server.admin(&["namespace", "create", "people-ops"]);
    server.admin(&[
        "secrets",
        "enable",
        "-namespace=people-ops",
        "-version=2",
        "-path=team/kv",
        "kv",
    ]);
    let mut machine = Machine::new(server, ROOT_TOKEN, "deep");
    machine
        .vars
        .push(("VAULT_NAMESPACE".into(), "people-ops".into()));
    machine
        .vars
        .push(("HIBOB_AUTH_VAULT_PATH".into(), "team/kv/hibob".into()));
    let output = machine.run(
        &[
            "login",
            "--token-stdin",
            "--no-verify",
            "--service-user-id",
            "SERVICE-NS",
            "--api-url",
            "http://127.0.0.1:9",
        ],
        Some("a-token-in-a-namespace-00000"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let read = server.admin(&[
        "kv",
        "get",
        "-namespace=people-ops",
        "-field=token",
        "-mount=team/kv",
        "hibob/deep",
    ]);
    assert_eq!(read, "a-token-in-a-namespace-00000");
    let mut wrong = Machine::new(server, ROOT_TOKEN, "deep");
    wrong
        .vars
        .push(("BAO_NAMESPACE".into(), "no-such-team".into()));
    let output = wrong.run(&["token"], None);
    assert_eq!(output.status.code(), Some(4));
    says(
        &stderr(&output),
        &["no namespace 'no-such-team'", "BAO_NAMESPACE"],
    );
}

#[test]
fn an_unreachable_server_is_named_and_not_a_bad_credential() {
    let machine = Machine::with_vars(&[
        ("BAO_ADDR", "http://127.0.0.1:9"),
        ("BAO_TOKEN", "unused"),
        ("HIBOB_AUTH_STORE", "vault"),
    ]);
    let output = machine.run(&["check"], None);
    assert_eq!(output.status.code(), Some(4));
    says(
        &stderr(&output),
        &[
            "Vault at http://127.0.0.1:9/ could not be reached",
            "BAO_ADDR",
        ],
    );
    never_says(&stderr(&output), &["rejected", "unused"]);
    let remote = Machine::with_vars(&[
        ("BAO_ADDR", "http://vault.example.com:8200"),
        ("BAO_TOKEN", "unused"),
        ("HIBOB_AUTH_STORE", "vault"),
    ]);
    let output = remote.run(&["check"], None);
    assert_eq!(output.status.code(), Some(4));
    says(
        &stderr(&output),
        &["plain http is allowed only to this machine"],
    );
}

#[test]
fn a_sealed_server_says_to_unseal_it() {
    let Some(server) = OpenBao::start(this_test!()) else {
        return;
    };
    server.seal();
    let machine = Machine::new(&server, ROOT_TOKEN, "sealed");
    let output = machine.run(&["token"], None);
    assert_eq!(output.status.code(), Some(4));
    says(&stderr(&output), &["is sealed", "unseal"]);
}

#[test]
fn tls_needs_the_servers_ca_and_works_with_it() {
    let Some(server) = OpenBao::start_with(this_test!(), Options { tls: true }) else {
        return;
    };
    server.kv_put(
        "secret",
        "hibob-auth/tls",
        &[
            ("kind", "api-token"),
            ("api_url", "http://127.0.0.1:9"),
            ("token", "a-token-over-tls-0000000"),
        ],
    );
    let without = Machine::new(&server, ROOT_TOKEN, "tls");
    let output = without.run(&["token"], None);
    assert_eq!(output.status.code(), Some(4));
    says(
        &stderr(&output),
        &["is not trusted", "BAO_CACERT", "VAULT_CACERT"],
    );
    let mut with = Machine::new(&server, ROOT_TOKEN, "tls");
    with.vars.push((
        "VAULT_CACERT".into(),
        server.ca_cert().display().to_string(),
    ));
    let output = with.run(&["token"], None);
    assert_eq!(
        stdout(&output).trim(),
        "a-token-over-tls-0000000",
        "{}",
        stderr(&output)
    );
    // Another CA than the server's: still not trusted.
    let elsewhere = TestHome::new();
    let other_ca = elsewhere.path().join("other-ca.pem");
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    std::fs::write(&other_ca, params.self_signed(&key).unwrap().pem()).unwrap();
    let mut wrong = Machine::new(&server, ROOT_TOKEN, "tls");
    wrong
        .vars
        .push(("BAO_CACERT".into(), other_ca.display().to_string()));
    let output = wrong.run(&["token"], None);
    assert_eq!(output.status.code(), Some(4));
    says(&stderr(&output), &["is not trusted"]);

    // Skipping verification works, and says loudly what it costs.
    let mut skip = Machine::new(&server, ROOT_TOKEN, "tls");
    skip.vars.push(("VAULT_SKIP_VERIFY".into(), "true".into()));
    let output = skip.run(&["token"], None);
    assert_eq!(
        stdout(&output).trim(),
        "a-token-over-tls-0000000",
        "{}",
        stderr(&output)
    );
    says(
        &stderr(&output),
        &["warning: VAULT_SKIP_VERIFY is set", "NOT verified"],
    );
}

#[test]
fn a_server_that_never_answers_is_given_up_on_within_the_deadline() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", silent.local_addr().unwrap());
    // Accepts connections (the kernel's backlog) and never answers.
    let machine = Machine::with_vars(&[
        ("BAO_ADDR", &address),
        ("BAO_TOKEN", "unused"),
        ("HIBOB_AUTH_STORE", "vault"),
    ]);
    let output = machine.run(&["--timeout", "1", "token"], None);
    assert_eq!(output.status.code(), Some(4), "{}", stderr(&output));
    says(
        &stderr(&output),
        &["did not answer within 1 s", "--timeout"],
    );
    drop(silent);
}

#[test]
fn the_front_door_lists_the_vault_profiles() {
    use support::pty::Pty;

    let Some(server) = server(this_test!()) else {
        return;
    };
    server.kv_put(
        "secret",
        "hibob-auth/front-door-listed",
        &[
            ("kind", "service-user"),
            ("service_user_id", "SERVICE-FRONT"),
            ("api_url", "http://127.0.0.1:9"),
            ("token", "a-token-for-the-front-door-0"),
        ],
    );
    let address = server.address();
    let mut pty = Pty::spawn_with(
        support::pty::BIN,
        &["--store", "vault"],
        &[("BAO_ADDR", &address), ("BAO_TOKEN", ROOT_TOKEN)],
        TestHome::new(),
    );
    let screen = pty.wait_for("front-door-listed");
    assert!(screen.contains("SERVICE-FRONT"), "{screen}");
    pty.send("q");
    pty.wait_exit_restored();

    // Without --store: the keyring's profiles (none in this home) and, with an address set, the Vault's.
    let mut pty = Pty::spawn_with(
        support::pty::BIN,
        &[],
        &[("BAO_ADDR", &address), ("BAO_TOKEN", ROOT_TOKEN)],
        TestHome::new(),
    );
    let screen = pty.wait_for("front-door-listed");
    assert!(screen.contains("in your team's Vault"), "{screen}");
    pty.send("q");
    pty.wait_exit_restored();

    // A Vault that cannot be listed is one line; the setup opens as it would without it.
    let mut pty = Pty::spawn_with(
        support::pty::BIN,
        &[],
        &[
            ("BAO_ADDR", &address),
            ("BAO_TOKEN", "not-a-token-of-this-server"),
        ],
        TestHome::new(),
    );
    let screen = pty.wait_for("Vault profiles not listed:");
    assert!(screen.contains("Choose how to connect"), "{screen}");
    assert!(!screen.contains("not-a-token-of-this-server"), "{screen}");
    pty.send("q");
    pty.wait_exit_restored();
}

#[test]
fn no_secret_at_trace_level() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    let profile = "trace";
    let hibob = hibob();
    let vault_token = server.token(&["hibob-admin"]);
    let mut machine = Machine::new(server, &vault_token, profile);
    machine.vars.push(("HIBOB_AUTH_LOG".into(), "trace".into()));
    machine.vars.push(("RUST_LOG".into(), "trace".into()));
    let login = machine.login(&hibob, TEST_SERVICE_USER_TOKEN);
    assert_eq!(login.status.code(), Some(0), "{}", stderr(&login));
    let check = machine.run(&["-vvv", "check"], None);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    for output in [&login, &check] {
        let text = stderr(output) + &stdout(output);
        assert!(text.contains("Vault request"), "trace logging is on");
        never_says(&text, &[&vault_token, TEST_SERVICE_USER_TOKEN]);
    }
}

/// The issue's "done when" as a new user would do it: an admin sets BAO_ADDR, runs the guided setup and
/// picks "your team's Vault" on the result; a teammate on a second machine then checks and runs `exec`.
#[test]
fn an_admin_stores_through_the_wizard_and_a_teammate_uses_it() {
    use support::pty::{ENTER, Pty, TAB, walk_service_user_to_connect};

    let Some(server) = server(this_test!()) else {
        return;
    };
    let profile = "wizard";
    let hibob = hibob();
    let admin_token = server.token(&["hibob-admin"]);
    let address = server.address();
    let url = hibob.url();
    // Straight to the setup: the other tests' profiles on this server would open the front door.
    let mut pty = Pty::spawn_with(
        support::pty::BIN,
        &["--api-url", &url, "--profile", profile, "setup"],
        &[("BAO_ADDR", &address), ("BAO_TOKEN", &admin_token)],
        TestHome::new(),
    );
    walk_service_user_to_connect(&mut pty);
    pty.send(TEST_SERVICE_USER_ID);
    pty.send(TAB);
    pty.send(TEST_SERVICE_USER_TOKEN);
    pty.send(ENTER);
    let screen = pty.wait_for("Store it in your team's Vault instead");
    assert!(!screen.contains(TEST_SERVICE_USER_TOKEN), "{screen}");
    pty.send(support::pty::DOWN);
    pty.send(ENTER);
    let screen = pty.wait_for("Stored. You can use the credential now.");
    assert!(screen.contains("Vault at"), "{screen}");
    assert!(
        screen.contains("hibob-auth check --store vault --profile wizard"),
        "{screen}"
    );
    pty.send(ENTER);
    assert_eq!(pty.wait_exit_restored(), 0);
    // The summary left on the terminal names the store too, as the Done screen did.
    let summary = pty.wait_for("Next: `hibob-auth check --store vault --profile wizard`");
    assert!(!summary.contains(TEST_SERVICE_USER_TOKEN), "{summary}");
    assert_eq!(
        data(server, profile).unwrap()["token"],
        TEST_SERVICE_USER_TOKEN
    );

    let teammate = Machine::new(server, &server.token(&["hibob-ci"]), profile);
    let checked = teammate.run(&["check"], None);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    let exec = teammate.run(
        &[
            "exec",
            "--",
            "sh",
            "-c",
            "printf '%s' \"$HIBOB_SERVICE_USER_TOKEN\"",
        ],
        None,
    );
    assert_eq!(stdout(&exec), TEST_SERVICE_USER_TOKEN, "{}", stderr(&exec));
}

/// `rotate` on a Vault profile: the new token is checked, stored as a new version, and the old one destroyed.
#[test]
fn rotate_replaces_the_token_in_vault_and_destroys_the_old_one() {
    use support::pty::{ENTER, Pty};

    let Some(server) = server(this_test!()) else {
        return;
    };
    const NEW_TOKEN: &str = "the-rotated-service-user-token-77";
    let hibob = FakeHibob::start(Scenario::ok().expecting(Expected::ServiceUser {
        id: "SERVICE-ROTATE".to_string(),
        token: NEW_TOKEN.to_string(),
    }));
    server.kv_put(
        "secret",
        "hibob-auth/rotate",
        &[
            ("kind", "service-user"),
            ("service_user_id", "SERVICE-ROTATE"),
            ("api_url", &hibob.url()),
            ("token", "the-old-service-user-token-0001"),
        ],
    );
    let address = server.address();
    let admin_token = server.token(&["hibob-admin"]);
    let mut pty = Pty::spawn_with(
        support::pty::BIN,
        &["--store", "vault", "--profile", "rotate", "rotate"],
        &[("BAO_ADDR", &address), ("BAO_TOKEN", &admin_token)],
        TestHome::new(),
    );
    pty.wait_for("Rotate the token of profile");
    pty.send(NEW_TOKEN);
    pty.send(ENTER);
    pty.wait_for("Congratulations, you're all set!");
    pty.send(ENTER);
    pty.wait_for("Stored. You can use the credential now.");
    pty.send(ENTER);
    assert_eq!(pty.wait_exit_restored(), 0);
    assert_eq!(data(server, "rotate").unwrap()["token"], NEW_TOKEN);
    let meta = server.kv_metadata("secret", "hibob-auth/rotate").unwrap();
    assert_eq!(meta["data"]["current_version"], 2);
    assert_eq!(meta["data"]["versions"]["1"]["destroyed"], true);
}

/// A profile whose latest version someone deleted with `bao kv delete` reads as not stored, and a new
/// login writes over it (check-and-set against the deleted version's number).
#[test]
fn a_soft_deleted_entry_is_absent_and_can_be_stored_again() {
    let Some(server) = server(this_test!()) else {
        return;
    };
    let profile = "soft-deleted";
    let key = format!("hibob-auth/{profile}");
    server.kv_put(
        "secret",
        &key,
        &[
            ("kind", "api-token"),
            ("api_url", "http://127.0.0.1:9"),
            ("token", "a-token-deleted-by-a-teammate"),
        ],
    );
    server.admin(&["kv", "delete", "-mount=secret", &key]);
    let admin = Machine::new(server, &server.token(&["hibob-admin"]), profile);
    let output = admin.run(&["token"], None);
    assert_eq!(output.status.code(), Some(6), "{}", stderr(&output));
    let output = admin.run(
        &[
            "login",
            "--token-stdin",
            "--no-verify",
            "--service-user-id",
            "SERVICE-AGAIN",
            "--api-url",
            "http://127.0.0.1:9",
        ],
        Some("a-token-stored-again-000000"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        data(server, profile).unwrap()["token"],
        "a-token-stored-again-000000"
    );
    assert_eq!(current_version(server, profile), 2);
}
