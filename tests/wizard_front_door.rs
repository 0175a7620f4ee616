//! The wizard's front door, the first screen when credentials are stored: its flows through the pure
//! `update` (re-check a stored profile against the API its record remembers and record the result, delete
//! one, go on to the setup), its screens as insta snapshots, and one walk of the real binary in a
//! pseudo-terminal against the fake HiBob with a real Secret Service.

#[cfg(target_os = "linux")]
mod support;
mod wizard_common;

use std::time::{Duration, UNIX_EPOCH};

use crossterm::event::KeyCode;
use hibob_auth::credential::{Credential, CredentialKind};
use hibob_auth::hibob::{ApiUrl, Verdict};
use hibob_auth::secret::SecretString;
use hibob_auth::steps::FlowId;
use hibob_auth::steps::StepId;
use hibob_auth::store::StoreChoice;
use hibob_auth::store::{LastCheck, ProfileRecord};
use hibob_auth::wizard::msg::LoadedStored;
use hibob_auth::wizard::state::{Dialog, Focus, MenuItem};
use hibob_auth::wizard::{
    Browser, Effect, Errand, FrontDoor, Msg, Saved, Screen, StoredRow, Wizard, summary, update,
};
use wizard_common::*;

/// Where the sandbox profile's record says its API is (nothing is sent there: `update` is pure).
const SANDBOX_API: &str = "https://api.sandbox.hibob.com";

fn record(api_url: &str, last_check: Option<Verdict>) -> ProfileRecord {
    ProfileRecord {
        last_check: last_check.map(|verdict| LastCheck {
            checked_at: "2026-01-01T00:00:05Z".to_string(),
            verdict: verdict.into(),
            api_url: api_url.to_string(),
            scopes: Vec::new(),
        }),
        ..stored_record(api_url)
    }
}

/// Two stored profiles, listed ten days after the first was checked.
fn front_door() -> FrontDoor {
    let rows = vec![
        StoredRow {
            name: "default".to_string(),
            record: record(API, Some(Verdict::Ok)),
        },
        StoredRow {
            name: "sandbox".to_string(),
            record: record(SANDBOX_API, None),
        },
    ];
    FrontDoor::new(rows, UNIX_EPOCH + Duration::from_secs(1_768_089_600)) // 2026-01-11
}

fn at_the_front_door() -> Wizard {
    Wizard::with_front_door(context(Browser::Available), None, front_door())
}

fn credential() -> Credential {
    Credential::ServiceUser {
        id: SERVICE_ID.to_string(),
        token: SecretString::from(TOKEN),
    }
}

/// What the runner answers after reading `profile` from the keyring.
fn loaded(wizard: &Wizard, profile: &str) -> Msg {
    let row = wizard
        .front_door
        .rows
        .iter()
        .find(|row| row.name == profile)
        .unwrap();
    Msg::StoredLoaded {
        profile: profile.to_string(),
        result: Ok(LoadedStored {
            profile: profile.to_string(),
            record: row.record.clone(),
            credential: credential(),
            api_url: ApiUrl::parse(&row.record.api_url).unwrap(),
        }),
    }
}

/// Re-check the highlighted profile up to its result: the keyring read, the check, the record asked for.
fn recheck(wizard: &mut Wizard, profile: &str, outcome: Outcome) -> u64 {
    let asked = press(wizard, KeyCode::Enter);
    assert!(
        matches!(&asked, Some(Effect::LoadStored { profile: name, store: StoreChoice::Native }) if name == profile),
        "{asked:?}"
    );
    assert!(
        wizard.is_busy(),
        "the spinner turns while the keyring is read"
    );
    let answer = loaded(wizard, profile);
    let started = update(wizard, answer);
    let (check, checked, api_url) = started_against_a_stored_api(started);
    assert_eq!(checked, profile);
    let remembered = wizard.front_door.rows[wizard.front_door.cursor]
        .record
        .api_url
        .clone();
    assert_eq!(api_url.as_str(), remembered, "the API the record remembers");
    assert_eq!(wizard.screen, Screen::Checking);
    for probe in hibob_auth::hibob::Probe::ALL {
        let result = probe_result(outcome, probe);
        update(wizard, Msg::ProbeFinished { check, result });
    }
    let report = report(CredentialKind::ServiceUser, outcome);
    let recorded = update(wizard, Msg::CheckFinished { check, report });
    let Some(Effect::RecordCheck {
        profile: recorded_profile,
        record,
        ..
    }) = recorded
    else {
        panic!("expected RecordCheck, got {recorded:?}");
    };
    assert_eq!(recorded_profile, profile);
    assert_eq!(
        record.api_url, remembered,
        "recorded against the record it was loaded with"
    );
    assert_eq!(wizard.screen, Screen::Result);
    check
}

// ---- where the wizard opens ----

#[test]
fn it_opens_on_the_front_door_only_when_profiles_are_stored_and_no_flow_is_asked_for() {
    let cases = [
        (front_door(), None, Screen::FrontDoor),
        (front_door(), Some(FlowId::ServiceUser), Screen::Welcome),
        (FrontDoor::empty(), None, Screen::Welcome),
    ];
    for (door, flow, screen) in cases {
        let wizard = Wizard::with_front_door(context(Browser::Available), flow, door);
        assert_eq!(wizard.screen, screen, "flow {flow:?}");
    }
}

// ---- re-checking a stored profile ----

#[test]
fn a_recheck_reads_the_keyring_checks_the_remembered_api_and_records_the_result() {
    let mut wizard = at_the_front_door();
    press(&mut wizard, KeyCode::Down);
    recheck(&mut wizard, "sandbox", Outcome::Partial);
    // Stored already: nothing to store, the menu offers checking again after a fix in HiBob.
    assert_eq!(
        wizard.menu(),
        [MenuItem::RetryCheck, MenuItem::BackToFrontDoor]
    );
    assert!(
        !wizard.has_unsaved_verified_work(),
        "quitting loses nothing"
    );
    let again = update(&mut wizard, key(KeyCode::Enter));
    assert!(
        matches!(again, Some(Effect::StartCheck { .. })),
        "{again:?}"
    );

    let mut now = record(SANDBOX_API, Some(Verdict::Limited));
    now.last_check.as_mut().unwrap().checked_at = "2026-01-11T00:00:00Z".to_string();
    update(
        &mut wizard,
        Msg::CheckRecorded {
            profile: "sandbox".to_string(),
            result: Ok(now.clone()),
        },
    );
    assert_eq!(
        wizard.front_door.rows[1].record, now,
        "the list shows the new result"
    );
}

#[test]
fn after_a_recheck_the_menu_fits_the_verdict_and_leads_back_to_the_list() {
    let cases = [
        (Outcome::Ok, vec![MenuItem::BackToFrontDoor]),
        (Outcome::Rejected, vec![MenuItem::BackToFrontDoor]),
        (
            Outcome::Blocked,
            vec![MenuItem::RetryCheck, MenuItem::BackToFrontDoor],
        ),
        (
            Outcome::Unverifiable,
            vec![MenuItem::RetryCheck, MenuItem::BackToFrontDoor],
        ),
    ];
    for (outcome, menu) in cases {
        let mut wizard = at_the_front_door();
        recheck(&mut wizard, "default", outcome);
        assert_eq!(wizard.menu(), menu, "{outcome:?}");
        // The last entry goes back, keeping the highlighted profile.
        for _ in 1..menu.len() {
            press(&mut wizard, KeyCode::Down);
        }
        assert!(press(&mut wizard, KeyCode::Enter).is_none());
        assert_eq!(wizard.screen, Screen::FrontDoor, "{outcome:?}");
        assert_eq!(wizard.front_door.cursor, 0);
        assert!(wizard.credential.is_none(), "the secret is not kept around");
    }
}

#[test]
fn esc_cancels_a_recheck_and_leaves_its_result() {
    let mut wizard = at_the_front_door();
    press(&mut wizard, KeyCode::Enter);
    let answer = loaded(&wizard, "default");
    update(&mut wizard, answer);
    assert_eq!(wizard.screen, Screen::Checking);
    assert!(matches!(
        press(&mut wizard, KeyCode::Esc),
        Some(Effect::CancelCheck)
    ));
    assert_eq!(wizard.screen, Screen::FrontDoor);

    recheck(&mut wizard, "default", Outcome::Ok);
    assert!(press(&mut wizard, KeyCode::Esc).is_none());
    assert_eq!(wizard.screen, Screen::FrontDoor);
}

#[test]
fn a_profile_that_cannot_be_read_is_said_and_nothing_starts() {
    let mut wizard = at_the_front_door();
    press(&mut wizard, KeyCode::Enter);
    assert!(
        press(&mut wizard, KeyCode::Enter).is_none(),
        "one keyring read at a time"
    );
    let failed = update(
        &mut wizard,
        Msg::StoredLoaded {
            profile: "default".to_string(),
            result: Err("the OS keyring is locked".to_string()),
        },
    );
    assert!(failed.is_none());
    assert_eq!(wizard.screen, Screen::FrontDoor);
    assert!(!wizard.is_busy());
    let notice = wizard.notice.as_ref().unwrap().text.clone();
    assert!(notice.contains("\"default\""), "{notice}");
    assert!(notice.contains("locked"), "{notice}");
}

#[test]
fn the_summary_reports_the_last_recheck_with_its_exit_code() {
    let mut wizard = at_the_front_door();
    recheck(&mut wizard, "default", Outcome::Partial);
    let (text, exit) = summary(&wizard);
    assert!(
        text.contains("Checked profile \"default\": limited"),
        "{text}"
    );
    assert_eq!(exit.code(), 5);
}

// ---- deleting a stored profile ----

#[test]
fn deleting_asks_first_and_the_last_deletion_leads_to_the_setup() {
    let mut wizard = at_the_front_door();
    press(&mut wizard, KeyCode::Char('d'));
    assert_eq!(
        wizard.dialog,
        Some(Dialog::ConfirmDelete {
            profile: "default".to_string(),
            store: StoreChoice::Native,
        })
    );
    assert!(press(&mut wizard, KeyCode::Esc).is_none(), "Esc keeps it");
    assert_eq!(wizard.dialog, None);

    for name in ["default", "sandbox"] {
        press(&mut wizard, KeyCode::Char('d'));
        let asked = press(&mut wizard, KeyCode::Enter);
        assert!(
            matches!(&asked, Some(Effect::Delete { profile, store: StoreChoice::Native }) if profile == name),
            "{asked:?}"
        );
        update(
            &mut wizard,
            Msg::Deleted {
                profile: name.to_string(),
                store: StoreChoice::Native,
                result: Ok(()),
            },
        );
        let notice = wizard.notice.as_ref().unwrap().text.clone();
        assert!(
            notice.contains(&format!("Deleted profile \"{name}\"")),
            "{notice}"
        );
    }
    assert!(wizard.front_door.rows.is_empty());
    assert_eq!(wizard.screen, Screen::Welcome, "nothing left to list");
}

#[test]
fn a_failed_deletion_keeps_the_profile_listed() {
    let mut wizard = at_the_front_door();
    press(&mut wizard, KeyCode::Char('d'));
    press(&mut wizard, KeyCode::Enter);
    update(
        &mut wizard,
        Msg::Deleted {
            profile: "default".to_string(),
            store: StoreChoice::Native,
            result: Err("the OS keyring timed out".to_string()),
        },
    );
    assert_eq!(wizard.front_door.rows.len(), 2);
    let notice = wizard.notice.as_ref().unwrap().text.clone();
    assert!(
        notice.contains("Could not delete profile \"default\""),
        "{notice}"
    );
}

/// The same name in the keyring and in the team's Vault: two rows, each re-checked and deleted in its
/// own store, and the list says which is where.
#[test]
fn a_profile_in_the_keyring_and_one_in_the_teams_vault_are_two_rows_each_in_its_store() {
    let mut door = front_door();
    door.rows.push(StoredRow {
        name: "default".to_string(),
        record: ProfileRecord {
            store: StoreChoice::Vault,
            ..record(SANDBOX_API, None)
        },
    });
    let mut wizard = Wizard::with_front_door(context(Browser::Available), None, door);
    let screen = screen_words(&mut wizard);
    assert!(
        screen.contains("credentials in the OS keyring and your team's Vault"),
        "{screen}"
    );
    assert!(screen.contains("in your team's Vault"), "{screen}");

    press(&mut wizard, KeyCode::Down);
    press(&mut wizard, KeyCode::Down);
    let asked = press(&mut wizard, KeyCode::Enter);
    assert!(
        matches!(&asked, Some(Effect::LoadStored { profile, store: StoreChoice::Vault }) if profile == "default"),
        "{asked:?}"
    );
    press(&mut wizard, KeyCode::Esc);
    update(
        &mut wizard,
        Msg::StoredLoaded {
            profile: "default".to_string(),
            result: Err("gone".to_string()),
        },
    );
    assert_eq!(wizard.screen, Screen::FrontDoor);

    press(&mut wizard, KeyCode::Char('d'));
    let asked = press(&mut wizard, KeyCode::Enter);
    assert!(
        matches!(&asked, Some(Effect::Delete { profile, store: StoreChoice::Vault }) if profile == "default"),
        "{asked:?}"
    );
    update(
        &mut wizard,
        Msg::Deleted {
            profile: "default".to_string(),
            store: StoreChoice::Vault,
            result: Ok(()),
        },
    );
    // The keyring's "default" stays; only the Vault's is gone.
    let left: Vec<_> = wizard
        .front_door
        .rows
        .iter()
        .map(|row| (row.name.as_str(), row.store()))
        .collect();
    assert_eq!(
        left,
        [
            ("default", StoreChoice::Native),
            ("sandbox", StoreChoice::Native)
        ]
    );
}

// ---- the setup from the front door ----

#[test]
fn set_up_is_the_last_entry_and_asks_which_profile_first() {
    let mut wizard = at_the_front_door();
    for _ in 0..5 {
        press(&mut wizard, KeyCode::Down);
    }
    assert_eq!(wizard.front_door.cursor, 2, "stops on \"set up\"");
    assert!(
        press(&mut wizard, KeyCode::Char('d')).is_none(),
        "nothing to delete there"
    );
    assert_eq!(wizard.dialog, None);
    assert!(press(&mut wizard, KeyCode::Enter).is_none());
    assert_eq!(wizard.screen, Screen::NewProfile);
    assert_eq!(
        wizard.new_profile_name.value(),
        "default",
        "--profile's, to accept or change"
    );
    assert!(wizard.in_text_field(), "q is typed, not quitting");
    press(&mut wizard, KeyCode::Esc);
    assert_eq!(wizard.screen, Screen::FrontDoor);
    press(&mut wizard, KeyCode::Char('n'));
    assert_eq!(wizard.screen, Screen::NewProfile);
    press(&mut wizard, KeyCode::Enter);
    assert_eq!(wizard.screen, Screen::Welcome);
    assert!(
        matches!(wizard.errand, Errand::Setup { into: None }),
        "--profile's own: the setup as without the front door"
    );
    press(&mut wizard, KeyCode::Esc);
    assert_eq!(wizard.screen, Screen::FrontDoor);
}

/// Naming the profile: which API its check goes to, and where it is saved.
#[test]
fn another_profile_is_checked_against_its_own_api_and_saved_under_its_name() {
    // (name typed, the API its check goes to)
    let cases = [
        ("acme-prod", API), // not stored: the explicit API or production (the context's)
        ("sandbox", SANDBOX_API), // stored: the API it remembers, as `login` keeps it
    ];
    for (name, api) in cases {
        let mut wizard = at_the_front_door();
        press(&mut wizard, KeyCode::Char('n'));
        update(&mut wizard, ctrl('u'));
        type_text(&mut wizard, name);
        press(&mut wizard, KeyCode::Enter);
        assert_eq!(wizard.profile(), name);
        walk_to_connect(&mut wizard);
        type_text(&mut wizard, SERVICE_ID);
        press(&mut wizard, KeyCode::Tab);
        type_text(&mut wizard, TOKEN);
        let started = press(&mut wizard, KeyCode::Enter);
        let (check, profile, api_url) = started_against_a_stored_api(started);
        assert_eq!((profile.as_str(), api_url.as_str()), (name, api));
        finish_check(&mut wizard, check, Outcome::Ok);
        let saved = press(&mut wizard, KeyCode::Enter);
        assert!(
            matches!(&saved, Some(Effect::Save { profile, .. }) if profile == name),
            "{saved:?}"
        );
    }
}

#[test]
fn a_profile_name_that_cannot_be_one_is_refused_on_the_spot() {
    let mut wizard = at_the_front_door();
    press(&mut wizard, KeyCode::Char('n'));
    update(&mut wizard, ctrl('u'));
    type_text(&mut wizard, "../etc");
    assert!(press(&mut wizard, KeyCode::Enter).is_none());
    assert_eq!(wizard.screen, Screen::NewProfile);
    let notice = wizard.notice.as_ref().unwrap().text.clone();
    assert!(notice.contains("not a valid profile name"), "{notice}");
}

// ---- rotating a stored service user's token ----

/// The sandbox profile, ready for its new token on Connect.
fn rotating_the_sandbox() -> Wizard {
    let mut wizard = at_the_front_door();
    press(&mut wizard, KeyCode::Down);
    assert!(press(&mut wizard, KeyCode::Char('r')).is_none());
    assert_eq!(wizard.screen, Screen::Step(StepId::Connect));
    wizard
}

/// The sandbox's rotation after the new token's check ended as `outcome`.
fn rotation_checked(outcome: Outcome) -> Wizard {
    let mut wizard = rotating_the_sandbox();
    type_text(&mut wizard, TOKEN);
    let check = check_of(press(&mut wizard, KeyCode::Enter));
    finish_check(&mut wizard, check, outcome);
    wizard
}

/// The sandbox's rotation whose verified new token could not be stored (the keyring was locked).
fn rotation_not_stored() -> Wizard {
    let mut wizard = rotation_checked(Outcome::Ok);
    press(&mut wizard, KeyCode::Enter);
    update(
        &mut wizard,
        Msg::SaveFinished(Err(hibob_auth::store::StoreError::Locked)),
    );
    wizard
}

#[test]
fn rotation_keeps_the_id_checks_the_remembered_api_and_replaces_only_after_the_check() {
    let mut wizard = rotating_the_sandbox();
    assert_eq!(
        wizard.draft.id.value(),
        SERVICE_ID,
        "the stored service user's ID"
    );
    assert_eq!(wizard.draft.focus, Focus::Token);
    press(&mut wizard, KeyCode::Tab);
    assert_eq!(
        wizard.draft.focus,
        Focus::Token,
        "the ID is not for editing"
    );
    type_text(&mut wizard, TOKEN);
    let started = press(&mut wizard, KeyCode::Enter);
    let (check, _, api_url) = started_against_a_stored_api(started);
    assert_eq!(api_url.as_str(), SANDBOX_API);
    for outcome in [Outcome::Unverifiable, Outcome::Ok] {
        let check = if outcome == Outcome::Ok {
            check_of(press(&mut wizard, KeyCode::Char('r')))
        } else {
            check
        };
        finish_check(&mut wizard, check, outcome);
    }
    assert_eq!(
        wizard.menu(),
        [MenuItem::Save, MenuItem::CopyForStackOne],
        "the new token can go to StackOne's Link Account"
    );
    let replace = press(&mut wizard, KeyCode::Enter);
    let Some(Effect::Save { profile, store, .. }) = replace else {
        panic!("expected Save, got {replace:?}");
    };
    assert_eq!(profile, "sandbox", "the rotated profile, not the setup's");
    assert_eq!(store, StoreChoice::Native, "the store its record names");
}

#[test]
fn a_rotation_never_stores_an_unverified_token_and_a_failed_save_keeps_it_on_screen() {
    let cases = [
        (
            Outcome::Unverifiable,
            vec![MenuItem::RetryCheck, MenuItem::BackToConnect],
        ),
        (
            Outcome::Blocked,
            vec![MenuItem::RetryCheck, MenuItem::BackToConnect],
        ),
        (Outcome::Rejected, vec![MenuItem::BackToConnect]),
        (
            Outcome::Partial,
            vec![
                MenuItem::SaveAnyway,
                MenuItem::CopyForStackOne,
                MenuItem::RetryCheck,
            ],
        ),
    ];
    for (outcome, menu) in cases {
        let wizard = rotation_checked(outcome);
        assert_eq!(wizard.menu(), menu, "{outcome:?}");
    }

    let mut wizard = rotation_not_stored();
    assert_eq!(wizard.screen, Screen::SaveFailed);
    assert!(
        !wizard
            .menu()
            .iter()
            .any(|item| matches!(item, MenuItem::UseStore(_))),
        "no other store: the old token would stay behind in its own"
    );
    assert!(wizard.has_unsaved_verified_work(), "quitting asks first");
    assert!(matches!(
        press(&mut wizard, KeyCode::Enter),
        Some(Effect::Save { .. })
    ));
}

#[test]
fn esc_cancels_a_rotation_and_an_api_token_cannot_be_rotated() {
    let mut wizard = rotating_the_sandbox();
    type_text(&mut wizard, "half-typed");
    assert!(press(&mut wizard, KeyCode::Esc).is_none());
    assert_eq!(wizard.screen, Screen::FrontDoor);
    assert!(matches!(wizard.errand, Errand::Setup { .. }));
    assert!(wizard.draft.token.is_empty(), "nothing of the token kept");
    assert!(wizard.notice.as_ref().unwrap().text.contains("unchanged"));

    let mut door = front_door();
    door.rows[0].record.kind = CredentialKind::ApiToken;
    door.rows[0].record.service_user_id = None;
    let mut wizard = Wizard::with_front_door(context(Browser::Available), None, door);
    press(&mut wizard, KeyCode::Char('r'));
    assert_eq!(wizard.screen, Screen::FrontDoor);
    let notice = wizard.notice.as_ref().unwrap().text.clone();
    assert!(notice.contains("retired"), "{notice}");
}

fn check_of(effect: Option<Effect>) -> u64 {
    started_against_a_stored_api(effect).0
}

/// The check, profile and API of a `StartCheck`: a check that goes to a profile's own API.
fn started_against_a_stored_api(effect: Option<Effect>) -> (u64, String, ApiUrl) {
    match effect {
        Some(Effect::StartCheck {
            check,
            profile,
            api_url,
            ..
        }) => (check, profile, api_url),
        other => panic!("expected StartCheck, got {other:?}"),
    }
}

// ---- screens ----

#[test]
fn front_door_screens() {
    let mut wizard = at_the_front_door();
    let snap = |name: &str, wizard: &mut Wizard| {
        insta::assert_snapshot!(format!("{name}__80x24"), render(wizard, 80, 24));
        insta::assert_snapshot!(format!("{name}__60x20"), render(wizard, 60, 20));
    };
    snap("front_door_01_list", &mut wizard);
    press(&mut wizard, KeyCode::Char('n'));
    update(&mut wizard, ctrl('u'));
    type_text(&mut wizard, "sandbox");
    snap("front_door_06_new_profile_replacing", &mut wizard);
    press(&mut wizard, KeyCode::Esc);
    press(&mut wizard, KeyCode::Char('d'));
    snap("front_door_02_delete_question", &mut wizard);
    press(&mut wizard, KeyCode::Esc);
    press(&mut wizard, KeyCode::Down);
    recheck(&mut wizard, "sandbox", Outcome::Partial);
    snap("front_door_03_recheck_result_partial", &mut wizard);

    let mut wizard = rotating_the_sandbox();
    snap("front_door_04_rotate_connect", &mut wizard);
    type_text(&mut wizard, TOKEN);
    let check = check_of(press(&mut wizard, KeyCode::Enter));
    finish_check(&mut wizard, check, Outcome::Ok);
    press(&mut wizard, KeyCode::Enter);
    let saved = Saved {
        profile: "sandbox".to_string(),
        location: "Secret Service (your desktop keyring)".to_string(),
        store: StoreChoice::Native,
    };
    update(&mut wizard, Msg::SaveFinished(Ok(saved)));
    snap("front_door_05_rotated", &mut wizard);
    let (text, exit) = summary(&wizard);
    assert!(text.contains("StackOne's Link Account"), "{text}");
    assert_eq!(exit.code(), 0);

    snap(
        "front_door_07_rotation_not_stored",
        &mut rotation_not_stored(),
    );
    snap(
        "front_door_08_rotation_rejected",
        &mut rotation_checked(Outcome::Rejected),
    );
}

#[test]
fn a_rejected_rotation_speaks_of_what_the_rotation_did() {
    // A rotation walks no Scopes step: its result names HiBob's causes of a 401, never that checklist.
    let mut wizard = rotation_checked(Outcome::Rejected);
    let screen = render(&mut wizard, 160, 60);
    assert!(!screen.contains("Save was clicked"), "{screen}");
    assert!(!screen.contains("Scopes step"), "{screen}");
    assert!(!screen.contains("approved scope"), "{screen}");
    assert!(screen.contains("in no permission group"), "{screen}");
}

#[test]
fn a_rejected_recheck_speaks_of_what_the_recheck_did() {
    // A re-check walks no step and stores nothing: no Scopes checklist, and no flow to switch to.
    let mut wizard = at_the_front_door();
    recheck(&mut wizard, "default", Outcome::Rejected);
    let screen = render(&mut wizard, 160, 60);
    assert!(!screen.contains("Save was clicked"), "{screen}");
    assert!(!screen.contains("Scopes step"), "{screen}");
    assert!(screen.contains("in no permission group"), "{screen}");

    // A stored API access token that HiBob rejects: HiBob retired them, but the re-check's menu has no
    // switch to the service-user flow, so the result does not offer one.
    let mut wizard = at_the_front_door();
    press(&mut wizard, KeyCode::Enter);
    let Msg::StoredLoaded {
        profile,
        result: Ok(mut stored),
    } = loaded(&wizard, "default")
    else {
        unreachable!("loaded() reads a listed profile")
    };
    stored.credential = Credential::ApiToken {
        token: SecretString::from(TOKEN),
    };
    let started = update(
        &mut wizard,
        Msg::StoredLoaded {
            profile,
            result: Ok(stored),
        },
    );
    let (check, _, _) = started_against_a_stored_api(started);
    let report = report(CredentialKind::ApiToken, Outcome::Rejected);
    update(&mut wizard, Msg::CheckFinished { check, report });
    assert_eq!(wizard.menu(), [MenuItem::BackToFrontDoor]);
    let screen = render(&mut wizard, 160, 60);
    assert!(
        screen.contains("2025-05-06"),
        "HiBob's retirement: {screen}"
    );
    assert!(!screen.contains("Press s"), "{screen}");
}

#[test]
fn a_check_that_cannot_start_goes_back_to_where_it_was_started() {
    // A re-check: back to the list; a rotation: back to its token.
    let mut wizard = at_the_front_door();
    press(&mut wizard, KeyCode::Enter);
    let answer = loaded(&wizard, "default");
    let (check, _, _) = started_against_a_stored_api(update(&mut wizard, answer));
    let why = "no proxy".to_string();
    assert!(update(&mut wizard, Msg::CheckNotStarted { check, why }).is_none());
    assert_eq!(wizard.screen, Screen::FrontDoor);
    let notice = wizard.notice.as_ref().unwrap().text.clone();
    assert!(notice.contains("could not start: no proxy"), "{notice}");

    let mut wizard = rotating_the_sandbox();
    type_text(&mut wizard, TOKEN);
    let check = check_of(press(&mut wizard, KeyCode::Enter));
    let why = "no proxy".to_string();
    update(&mut wizard, Msg::CheckNotStarted { check, why });
    assert_eq!(wizard.screen, Screen::Step(StepId::Connect));
    assert!(matches!(wizard.errand, Errand::Rotate(_)), "still rotating");
}

// ---- the real binary ----

/// The tools a walk in its own D-Bus session with GNOME Keyring needs, those of a private keyring (a skip
/// on a developer machine without them; a failure in CI).
#[cfg(target_os = "linux")]
fn private_keyring_tools(walk: &str) -> bool {
    support::keyring_gate::tools(walk, &support::private_keyring::TOOLS)
}

/// Stored with `login`, then the wizard in a pty, all in one private D-Bus session with GNOME Keyring: the
/// front door lists the profile; a re-check shows it partial; HiBob's permission group is fixed (the fake
/// changes) and "Check again" shows it ok, recorded; then it is deleted from the front door, and
/// `secret-tool` (not our code) finds no entry left.
#[cfg(target_os = "linux")]
#[test]
fn a_stored_profile_is_rechecked_fixed_rechecked_and_deleted_from_the_front_door() {
    use support::fake_hibob::{FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN};
    use support::pty::{BIN, ENTER, Pty};

    if !private_keyring_tools("the front door's walk") {
        return;
    }
    // HiBob leaves out the categories a permission group may not see (support/fake_hibob.rs).
    let server = FakeHibob::start(Scenario::ok().only_categories(&["root"]));
    let script = r#"echo -n throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
printf %s "$TEST_TOKEN" | "$0" login --token-stdin --no-verify --profile prod \
    --service-user-id "$TEST_ID" --api-url "$TEST_API" >/dev/null 2>&1 || { echo "login failed"; exit 9; }
"$0" --timeout 10
code=$?
if [ -z "$(secret-tool lookup service hibob-auth username prod)" ]; then echo "keyring: prod gone"; fi
echo "wizard exit: $code""#;
    let url = server.url();
    let mut pty = Pty::spawn_with(
        "dbus-run-session",
        &["--", "sh", "-c", script, BIN],
        &[
            ("TEST_TOKEN", TEST_SERVICE_USER_TOKEN),
            ("TEST_ID", TEST_SERVICE_USER_ID),
            ("TEST_API", &url),
        ],
        support::home::TestHome::new(),
    );
    let screen = pty.wait_for("never checked");
    assert!(screen.contains("Stored credentials"), "{screen}");
    assert!(screen.contains(&url), "{screen}");

    pty.send(ENTER);
    let screen = pty.wait_for("Result: limited");
    assert!(screen.contains("Re-check · prod"), "{screen}");
    assert!(screen.contains("Check again"), "{screen}");
    assert!(!screen.contains("Store it"), "already stored: {screen}");

    server.change(Scenario::ok());
    pty.send(ENTER);
    pty.wait_for("Result: ok");
    pty.send(ENTER);
    pty.wait_for("ok, checked today");

    pty.send("d");
    pty.wait_for("Delete the credential?");
    pty.send(ENTER);
    pty.wait_for("Choose how to connect");
    pty.send("q");
    assert_eq!(pty.wait_exit_restored(), 0);
    pty.wait_for("keyring: prod gone");
    pty.wait_for("wizard exit: 0");
    assert!(
        !pty.home()
            .join("config/hibob-auth/profiles/prod.toml")
            .exists(),
        "the record went with the entry"
    );
}

/// `hibob-auth rotate` twice in one private Secret Service: a new token HiBob rejects changes nothing
/// (the old one is still in the keyring), then the right one replaces it and the record says so.
#[cfg(target_os = "linux")]
#[test]
fn rotate_replaces_the_token_only_after_hibob_accepts_the_new_one() {
    use support::fake_hibob::{FakeHibob, Scenario, TEST_SERVICE_USER_ID, TEST_SERVICE_USER_TOKEN};
    use support::home::TestHome;
    use support::pty::{BIN, ENTER, PAGE_DOWN, Pty};

    if !private_keyring_tools("the rotation's walk") {
        return;
    }
    // After the reset in HiBob, only the new token (the fake's test token) is accepted.
    let server = FakeHibob::start(Scenario::ok());
    let script = r#"echo -n throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
printf %s old-token-before-the-reset-0000 | "$0" login --token-stdin --no-verify --profile prod \
    --service-user-id "$TEST_ID" --api-url "$TEST_API" >/dev/null 2>&1 || { echo "login failed"; exit 9; }
for attempt in first second; do
  "$0" rotate --profile prod --timeout 10
  echo "$attempt exit: $? keyring now: $(secret-tool lookup service hibob-auth username prod | tr -d '{}"')"
  # The next rotate would take the screen at once: wait until the test has read this line (it presses Enter).
  if [ "$attempt" = first ]; then read -r _; fi
done
grep -c '^rotated_at = ' "$XDG_CONFIG_HOME/hibob-auth/profiles/prod.toml" | sed 's/^/rotated_at lines: /'"#;
    let url = server.url();
    let mut pty = Pty::spawn_with(
        "dbus-run-session",
        &["--", "sh", "-c", script, BIN],
        &[("TEST_ID", TEST_SERVICE_USER_ID), ("TEST_API", &url)],
        TestHome::new(),
    );
    pty.wait_for("Rotate · prod");
    pty.send("a-token-hibob-does-not-know-1234");
    pty.send(ENTER);
    // The rejection speaks of what the rotation did: HiBob's causes of a 401, and back to the token;
    // never the setup's Scopes step, which a rotation does not have.
    let mut screen = pty.wait_for("Result: rejected");
    pty.send(PAGE_DOWN);
    screen.push_str(&pty.wait_for("in no permission group"));
    assert!(screen.contains("The token was reset since"), "{screen}");
    assert!(screen.contains("Back to Connect"), "{screen}");
    for setup_only in ["Save was clicked", "Scopes"] {
        assert!(!screen.contains(setup_only), "{setup_only}: {screen}");
    }
    pty.send("q");
    let screen = pty.wait_for("first exit: 1");
    assert!(
        screen.contains("old-token-before-the-reset-0000"),
        "{screen}"
    );

    pty.send(ENTER);
    pty.wait_for("Rotate · prod");
    pty.send(TEST_SERVICE_USER_TOKEN);
    // Each key, then what the screen must show next.
    for (key, then) in [
        (ENTER, "Result: ok"),
        (ENTER, "needs the new one now"),
        (ENTER, "rotated_at lines: 1"),
    ] {
        pty.send(key);
        pty.wait_for(then);
    }
    let screen = pty.contents();
    assert!(screen.contains("second exit: 0"), "{screen}");
    assert!(
        screen.contains(TEST_SERVICE_USER_TOKEN),
        "the new token is stored: {screen}"
    );
    assert_eq!(pty.wait_exit(), 0);
}
