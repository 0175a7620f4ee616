//! The key table, the key handling, the footer and the help agree: in every place the wizard can be, a
//! key that changes anything is one the table binds there, every binding of the table does something
//! somewhere, and every binding has a line in the help (and every help line a binding).

mod wizard_common;

use std::collections::BTreeSet;
use std::time::UNIX_EPOCH;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hibob_auth::steps::{FlowId, StepId};
use hibob_auth::wizard::keys::{self, Binding, TABLE};
use hibob_auth::wizard::state::Dialog;
use hibob_auth::wizard::{Browser, FrontDoor, Msg, Screen, StoredRow, Wizard, update};
use wizard_common::*;

/// Every key the test presses in every place.
fn keys_to_press() -> Vec<KeyEvent> {
    let plain = |code| KeyEvent::new(code, KeyModifiers::NONE);
    let mut keys: Vec<KeyEvent> = ('a'..='z')
        .chain(['?', ' ', '1', 'Q'])
        .map(|c| plain(KeyCode::Char(c)))
        .collect();
    keys.extend(
        [
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Backspace,
            KeyCode::Delete,
            KeyCode::Insert,
            KeyCode::F(1),
            KeyCode::F(2),
        ]
        .map(plain),
    );
    keys.extend(
        ['c', 'r', 'u', 'a', 'd', 'q']
            .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    );
    keys
}

fn stored_row(name: &str) -> StoredRow {
    StoredRow {
        name: name.to_string(),
        record: stored_record(API),
    }
}

fn front_door() -> Wizard {
    let door = FrontDoor::new(
        vec![stored_row("default"), stored_row("sandbox")],
        UNIX_EPOCH,
    );
    let mut wizard = Wizard::with_front_door(context(Browser::Available), None, door);
    // On the middle entry, so both arrows move.
    press(&mut wizard, KeyCode::Down);
    wizard
}

fn at_step(step: StepId) -> Wizard {
    let mut wizard = wizard();
    press(&mut wizard, KeyCode::Enter);
    while wizard.screen != Screen::Step(step) {
        press(&mut wizard, KeyCode::Enter);
        if wizard.dialog.is_some() {
            press(&mut wizard, KeyCode::Enter);
        }
    }
    wizard
}

fn with(mut wizard: Wizard, change: impl FnOnce(&mut Wizard)) -> Wizard {
    change(&mut wizard);
    wizard
}

/// Makes the wizard in one place, fresh for every key.
type Place = Box<dyn Fn() -> Wizard>;

/// The places the wizard can be in.
fn places() -> Vec<(&'static str, Place)> {
    vec![
        ("welcome", Box::new(wizard)),
        (
            "welcome, flow given",
            Box::new(|| Wizard::new(context(Browser::Available), Some(FlowId::ServiceUser))),
        ),
        (
            "welcome after the front door",
            Box::new(|| {
                with(front_door(), |w| {
                    press(w, KeyCode::Char('n'));
                    press(w, KeyCode::Enter);
                })
            }),
        ),
        ("login", Box::new(|| at_step(StepId::Login))),
        (
            "login without a browser",
            Box::new(|| {
                let unavailable = Browser::Unavailable("ssh".to_string());
                let mut wizard = Wizard::new(context(unavailable), None);
                press(&mut wizard, KeyCode::Enter);
                wizard
            }),
        ),
        (
            "login on a small terminal",
            Box::new(|| {
                with(at_step(StepId::Login), |w| {
                    update(
                        w,
                        Msg::Resize {
                            width: 50,
                            height: 15,
                        },
                    );
                })
            }),
        ),
        ("generate", Box::new(|| at_step(StepId::Generate))),
        (
            "scopes",
            Box::new(|| with(at_step(StepId::Scopes), |w| w.checklist_cursor = 1)),
        ),
        ("copy", Box::new(|| at_step(StepId::Copy))),
        (
            "connect, on the ID",
            Box::new(|| {
                let mut wizard = at_step(StepId::Connect);
                type_text(&mut wizard, SERVICE_ID);
                press(&mut wizard, KeyCode::Left);
                wizard
            }),
        ),
        ("connect, filled", Box::new(filled_connect)),
        (
            "connect, API token",
            Box::new(|| {
                let mut wizard = Wizard::new(context(Browser::Available), Some(FlowId::ApiToken));
                walk_to_connect(&mut wizard);
                wizard
            }),
        ),
        (
            "checking",
            Box::new(|| with(filled_connect(), |w| drop(press(w, KeyCode::Enter)))),
        ),
        ("result ok", Box::new(|| result_of(None, Outcome::Ok))),
        (
            "result limited",
            Box::new(|| result_of(None, Outcome::Limited)),
        ),
        (
            "result rejected, API token",
            Box::new(|| result_of(Some(FlowId::ApiToken), Outcome::Rejected)),
        ),
        (
            "result unverifiable",
            Box::new(|| result_of(None, Outcome::Unverifiable)),
        ),
        (
            "saving",
            Box::new(|| {
                with(result_of(None, Outcome::Ok), |w| {
                    drop(press(w, KeyCode::Enter))
                })
            }),
        ),
        (
            "not stored",
            Box::new(|| {
                with(result_of(None, Outcome::Ok), |w| {
                    press(w, KeyCode::Enter);
                    let failed = Err(hibob_auth::store::StoreError::Locked);
                    update(w, Msg::SaveFinished(failed));
                })
            }),
        ),
        (
            "done",
            Box::new(|| {
                with(result_of(None, Outcome::Ok), |w| {
                    press(w, KeyCode::Enter);
                    let saved = hibob_auth::wizard::Saved {
                        profile: "default".to_string(),
                        location: "the OS keyring".to_string(),
                        store: hibob_auth::store::StoreChoice::Native,
                    };
                    update(w, Msg::SaveFinished(Ok(saved)));
                })
            }),
        ),
        ("help", Box::new(|| with(wizard(), |w| w.help = true))),
        (
            "quit question",
            Box::new(|| {
                with(result_of(None, Outcome::Ok), |w| {
                    drop(press(w, KeyCode::Char('q')))
                })
            }),
        ),
        (
            "unticked question",
            Box::new(|| {
                with(at_step(StepId::Scopes), |w| {
                    w.dialog = Some(Dialog::Unticked(vec![0]))
                })
            }),
        ),
        (
            "store-unverified question",
            Box::new(|| {
                with(result_of(None, Outcome::Unverifiable), |w| {
                    w.dialog = Some(Dialog::SaveUnverified)
                })
            }),
        ),
        (
            "remove question",
            Box::new(|| with(front_door(), |w| drop(press(w, KeyCode::Char('d'))))),
        ),
        (
            "too small",
            Box::new(|| {
                with(wizard(), |w| {
                    drop(update(
                        w,
                        Msg::Resize {
                            width: 40,
                            height: 10,
                        },
                    ))
                })
            }),
        ),
        ("front door", Box::new(front_door)),
        (
            "front door, on set up",
            Box::new(|| with(front_door(), |w| drop(press(w, KeyCode::Down)))),
        ),
        (
            "front door, reading a profile",
            Box::new(|| with(front_door(), |w| drop(press(w, KeyCode::Char('c'))))),
        ),
        (
            "naming a profile",
            Box::new(|| with(front_door(), |w| drop(press(w, KeyCode::Char('n'))))),
        ),
        (
            "rotating",
            Box::new(|| with(front_door(), |w| drop(press(w, KeyCode::Char('r'))))),
        ),
    ]
}

/// Which binding of the table acts on `key` here, by its index.
fn bound(wizard: &Wizard, key: &KeyEvent) -> Vec<usize> {
    keys::active(wizard)
        .filter(|binding| binding.keys.iter().any(|(press, _)| press.matches(key)))
        .map(index_of)
        .collect()
}

fn index_of(binding: &Binding) -> usize {
    TABLE
        .iter()
        .position(|candidate| std::ptr::eq(candidate, binding))
        .expect("a binding of the table")
}

#[test]
fn the_key_table_the_key_handling_the_footer_and_the_help_agree() {
    let mut did_something = BTreeSet::new();
    for (place, make) in places() {
        for key in keys_to_press() {
            let mut wizard = make();
            wizard.notice = None;
            let bindings = bound(&wizard, &key);
            assert!(
                bindings.len() <= 1,
                "{place}: {key:?} is bound twice here: {bindings:?}"
            );
            let before = format!("{wizard:?}");
            let effect = update(&mut wizard, Msg::Key(key));
            let changed = effect.is_some() || format!("{wizard:?}") != before;
            match bindings.first() {
                // Handled only where bound: what the footer and the help show.
                None => assert!(
                    !changed,
                    "{place}: {key:?} acts but the key table does not bind it"
                ),
                Some(index) if changed => {
                    did_something.insert(*index);
                }
                Some(_) => {}
            }
        }
        // The footer shows only the bindings that apply here.
        let wizard = make();
        let footer = keys::footer(&wizard);
        let from_active: Vec<_> = keys::active(&wizard)
            .filter_map(|binding| binding.hint)
            .filter(|(_, shown)| shown(&wizard))
            .map(|(hint, _)| hint)
            .collect();
        assert_eq!(footer.len(), from_active.len(), "{place}");
    }
    // Shown only where handled: every binding acts in some place.
    for (index, binding) in TABLE.iter().enumerate() {
        assert!(
            did_something.contains(&index),
            "binding {index} ({:?}) never does anything in any place",
            binding.keys
        );
    }
    // Every binding is in the help, and every help line belongs to a binding.
    let help: BTreeSet<_> = keys::help().map(|(line, _)| line).collect();
    let used: BTreeSet<_> = TABLE.iter().map(|binding| binding.help).collect();
    assert_eq!(help, used);
}

#[test]
fn every_footer_text_is_a_hint_of_the_table_and_every_hint_has_its_text() {
    let texts = hibob_auth::wizard::texts::texts();
    let written: BTreeSet<_> = texts.footer_hints().collect();
    let used: BTreeSet<_> = TABLE
        .iter()
        .filter_map(|binding| binding.hint)
        .map(|(hint, _)| hint)
        .collect();
    assert_eq!(written, used);
    for hint in used {
        let text = texts.footer_hint(hint);
        assert!(!text.keys.is_empty() && !text.does.is_empty(), "{hint:?}");
    }
}
