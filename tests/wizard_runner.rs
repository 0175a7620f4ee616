//! The wizard's runner against real HTTP on loopback (the fake HiBob) and an in-memory store: the answers
//! it sends back as messages, cancelling, and where a credential and its profile record end up.

mod support;

use std::sync::Arc;
use std::time::Duration;

use hibob_auth::credential::Credential;
use hibob_auth::hibob::{ApiUrl, CheckOptions, HibobClient, Probe, Verdict};
use hibob_auth::secret::{ExposeSecret, SecretString};
use hibob_auth::settings::Settings;
use hibob_auth::store::{MemoryStore, ProfileDir, SecretStore, StoreChoice, StoreError, Stores};
use hibob_auth::wizard::{Effect, Msg, Runner, Saved};
use support::fake_hibob::{FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN};
use tempfile::TempDir;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

fn credential() -> Credential {
    Credential::ServiceUser {
        id: TEST_SERVICE_USER_ID.to_string(),
        token: SecretString::from(TEST_SERVICE_USER_TOKEN),
    }
}

struct Harness {
    runner: Runner,
    answers: UnboundedReceiver<Msg>,
    memory: Arc<MemoryStore>,
    profiles: TempDir,
    /// The fake HiBob's API, which the runner's own client checks against.
    api_url: ApiUrl,
}

/// A runner whose OS keyring is an in-memory store; the kernel keyring is in memory too when
/// `kernel_keyring_works`, and otherwise unavailable.
fn harness(server: &FakeHibob, kernel_keyring_works: bool) -> Harness {
    let settings = Settings {
        explicit_api_url: Some(ApiUrl::parse(&server.url()).unwrap()),
        check: CheckOptions {
            timeout: Duration::from_secs(20),
        },
        profile: "default".to_string(),
        store: StoreChoice::Native,
    };
    let memory = Arc::new(MemoryStore::new());
    let store = Arc::clone(&memory);
    let profiles = TempDir::new().unwrap();
    let stores = Stores::new(
        ProfileDir::at(profiles.path()),
        move |choice| match choice {
            StoreChoice::Keyutils if !kernel_keyring_works => {
                Err(StoreError::KernelKeyringUnavailable {
                    detail: "no session keyring".to_string(),
                })
            }
            _ => Ok(Arc::clone(&store) as Arc<dyn SecretStore>),
        },
    );
    let (tx, answers) = unbounded_channel();
    let api_url = ApiUrl::parse(&server.url()).unwrap();
    let client = HibobClient::new(api_url.clone()).unwrap();
    let runner = Runner::new(tx, client, settings, stores);
    Harness {
        runner,
        answers,
        memory,
        profiles,
        api_url,
    }
}

/// Run a check to its end: the probes in the order they answered, and the report.
async fn run_check(harness: &mut Harness, check: u64) -> (Vec<Probe>, hibob_auth::hibob::Report) {
    harness.runner.run(Effect::StartCheck {
        check,
        profile: "default".to_string(),
        credential: credential(),
        api_url: harness.api_url.clone(),
    });
    let mut probes = Vec::new();
    loop {
        match harness.answers.recv().await.expect("the runner answers") {
            Msg::ProbeFinished { check: id, result } => {
                assert_eq!(id, check);
                probes.push(result.probe);
            }
            Msg::CheckFinished { check: id, report } => {
                assert_eq!(id, check);
                return (probes, report);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn every_probe_answers_before_the_report() {
    let server = FakeHibob::start(Scenario::ok());
    let mut harness = harness(&server, true);
    let (mut probes, report) = run_check(&mut harness, 7).await;
    probes.sort();
    assert_eq!(probes, Probe::ALL.to_vec());
    assert_eq!(report.verdict, Verdict::Ok);
    assert_eq!(server.requests().len(), Probe::ALL.len());
}

#[tokio::test]
async fn a_cancelled_check_sends_nothing_more() {
    let server = FakeHibob::start(Scenario::ok().never_answer());
    let mut harness = harness(&server, true);
    harness.runner.run(Effect::StartCheck {
        check: 1,
        profile: "default".to_string(),
        credential: credential(),
        api_url: harness.api_url.clone(),
    });
    harness.runner.run(Effect::CancelCheck);
    // The aborted task dropped its sender; dropping the runner drops the last one. Had the check kept
    // running, a CheckFinished would arrive (at its deadline) before the channel closed.
    let Harness {
        runner,
        mut answers,
        ..
    } = harness;
    drop(runner);
    assert!(answers.recv().await.is_none());
}

#[tokio::test]
async fn saving_stores_the_credential_and_its_record() {
    let server = FakeHibob::start(Scenario::ok());
    let mut harness = harness(&server, true);
    let (_, report) = run_check(&mut harness, 1).await;
    harness.runner.run(Effect::Save {
        profile: "default".to_string(),
        credential: credential(),
        report: Some(report),
        store: StoreChoice::Native,
    });
    let Some(Msg::SaveFinished(Ok(saved))) = harness.answers.recv().await else {
        panic!("expected a successful save");
    };
    assert_eq!(saved.profile, "default");
    assert_eq!(saved.location, MemoryStore::new().describe());

    let stored = harness.memory.load("default").unwrap().expect("stored");
    assert_eq!(stored.service_user_id(), Some(TEST_SERVICE_USER_ID));
    assert_eq!(stored.token().expose_secret(), TEST_SERVICE_USER_TOKEN);
    let record = ProfileDir::at(harness.profiles.path())
        .read("default")
        .unwrap()
        .expect("a profile record");
    assert_eq!(record.store, StoreChoice::Native);
    assert_eq!(record.api_url, server.url());
    let record_text =
        std::fs::read_to_string(ProfileDir::at(harness.profiles.path()).path("default")).unwrap();
    assert!(!record_text.contains(TEST_SERVICE_USER_TOKEN));
}

/// Save the test credential, unchecked, into `store`; what the runner answered.
async fn save(harness: &mut Harness, store: StoreChoice) -> Result<Saved, StoreError> {
    harness.runner.run(Effect::Save {
        profile: "default".to_string(),
        credential: credential(),
        report: None,
        store,
    });
    match harness.answers.recv().await {
        Some(Msg::SaveFinished(result)) => result,
        other => panic!("the save's answer, got {other:?}"),
    }
}

#[tokio::test]
async fn another_store_is_the_one_the_record_names() {
    let server = FakeHibob::start(Scenario::ok());
    let mut harness = harness(&server, true);
    save(&mut harness, StoreChoice::Keyutils).await.unwrap();
    let record = ProfileDir::at(harness.profiles.path())
        .read("default")
        .unwrap()
        .expect("a profile record");
    assert_eq!(record.store, StoreChoice::Keyutils);
}

#[tokio::test]
async fn a_store_that_cannot_be_opened_or_written_is_reported() {
    let server = FakeHibob::start(Scenario::ok());
    let mut harness = harness(&server, false);
    let unavailable = save(&mut harness, StoreChoice::Keyutils).await;
    assert!(matches!(
        unavailable,
        Err(StoreError::KernelKeyringUnavailable { .. })
    ));

    harness.memory.fail_with(Some(StoreError::Locked));
    let locked = save(&mut harness, StoreChoice::Native).await;
    assert!(matches!(locked, Err(StoreError::Locked)), "{locked:?}");
    // Nothing half-written: no record without its secret.
    assert!(
        ProfileDir::at(harness.profiles.path())
            .read("default")
            .unwrap()
            .is_none()
    );
}
