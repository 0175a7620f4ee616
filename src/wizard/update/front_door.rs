//! The front door's part of `update`: moving over the stored profiles, re-checking one (read from the
//! keyring, checked live against the API its record remembers, the result recorded), removing one, and
//! going on to the setup. Pure like the rest of `update`: the keyring and the network are effects.

use crossterm::event::{KeyCode, KeyEvent};

use crate::hibob::Report;
use crate::steps::FlowId;
use crate::store::profile::ProfileRecord;
use crate::wizard::msg::{Effect, LoadedStored};
use crate::wizard::state::{Dialog, Recheck, Screen, Wizard};
use crate::wizard::texts::{fill, texts};

use super::{go, info, start_check, warning};

pub(super) fn on_key(wizard: &mut Wizard, key: KeyEvent) -> Option<Effect> {
    if wizard.loading.is_some() {
        // One keyring read at a time; its answer decides what comes next.
        return None;
    }
    // The entries are the profiles, then "set up".
    let last = wizard.front_door.rows.len();
    let selected = wizard.front_door.selected().map(|row| row.name.clone());
    match key.code {
        KeyCode::Up => wizard.front_door.cursor = wizard.front_door.cursor.saturating_sub(1),
        KeyCode::Down => wizard.front_door.cursor = (wizard.front_door.cursor + 1).min(last),
        KeyCode::Enter => {
            return match selected {
                Some(name) => load(wizard, name),
                None => set_up(wizard),
            };
        }
        KeyCode::Char('c') => return load(wizard, selected?),
        KeyCode::Char('n') => return set_up(wizard),
        KeyCode::Char('d') | KeyCode::Delete => {
            wizard.dialog = Some(Dialog::ConfirmRemove(selected?));
        }
        _ => {}
    }
    None
}

fn load(wizard: &mut Wizard, profile: String) -> Option<Effect> {
    wizard.notice = Some(info(fill(
        &texts().front_door.loading,
        &[("profile", &profile)],
    )));
    wizard.loading = Some(profile.clone());
    wizard.spinner = 0;
    Some(Effect::LoadStored(profile))
}

fn set_up(wizard: &mut Wizard) -> Option<Effect> {
    go(wizard, Screen::Welcome);
    None
}

/// A stored profile was read (or not): start its re-check, or say why it cannot be.
pub(super) fn on_loaded(
    wizard: &mut Wizard,
    profile: String,
    result: Result<LoadedStored, String>,
) -> Option<Effect> {
    let awaited = wizard.loading.as_deref() == Some(profile.as_str());
    let rechecking = wizard
        .recheck
        .as_ref()
        .is_some_and(|r| r.profile == profile);
    if !awaited && !rechecking {
        return None;
    }
    wizard.loading = None;
    match result {
        Ok(loaded) => {
            wizard.notice = None;
            let flow = match loaded.credential.kind() {
                crate::credential::CredentialKind::ServiceUser => FlowId::ServiceUser,
                crate::credential::CredentialKind::ApiToken => FlowId::ApiToken,
            };
            wizard.set_flow(flow);
            wizard.recheck = Some(Recheck {
                profile: loaded.profile,
                record: loaded.record,
                api_url: loaded.api_url,
            });
            start_check(wizard, loaded.credential)
        }
        Err(why) => {
            back_to_front_door(wizard);
            wizard.notice = Some(warning(fill(
                &texts().front_door.load_failed,
                &[("profile", &profile), ("error", &why)],
            )));
            None
        }
    }
}

/// A re-check finished: record its result in the profile, as `hibob-auth check` does.
pub(super) fn record(wizard: &mut Wizard, report: &Report) -> Option<Effect> {
    let recheck = wizard.recheck.as_ref()?;
    wizard.last_recheck = Some((recheck.profile.clone(), report.verdict));
    Some(Effect::RecordCheck {
        profile: recheck.profile.clone(),
        record: recheck.record.clone(),
        report: report.clone(),
    })
}

pub(super) fn on_recorded(
    wizard: &mut Wizard,
    profile: &str,
    result: Result<ProfileRecord, String>,
) -> Option<Effect> {
    match result {
        Ok(record) => wizard.front_door.update(profile, record),
        Err(why) => {
            wizard.notice = Some(warning(fill(
                &texts().front_door.recorded_failed,
                &[("error", &why)],
            )));
        }
    }
    None
}

pub(super) fn confirm_remove(
    wizard: &mut Wizard,
    profile: String,
    key: KeyEvent,
) -> Option<Effect> {
    match key.code {
        KeyCode::Enter | KeyCode::Char('y') => {
            wizard.dialog = None;
            Some(Effect::Remove(profile))
        }
        KeyCode::Esc | KeyCode::Char('n') => {
            wizard.dialog = None;
            None
        }
        _ => None,
    }
}

pub(super) fn on_removed(
    wizard: &mut Wizard,
    profile: &str,
    result: Result<(), String>,
) -> Option<Effect> {
    let said = &texts().front_door;
    match result {
        Ok(()) => {
            wizard.front_door.remove(profile);
            // The summary at the end should not report on a profile that is gone.
            if wizard
                .last_recheck
                .as_ref()
                .is_some_and(|(name, _)| name == profile)
            {
                wizard.last_recheck = None;
            }
            wizard.notice = Some(info(fill(&said.removed, &[("profile", profile)])));
            if wizard.front_door.rows.is_empty() && wizard.screen == Screen::FrontDoor {
                go(wizard, Screen::Welcome);
            }
        }
        Err(why) => {
            wizard.notice = Some(warning(fill(
                &said.remove_failed,
                &[("profile", profile), ("error", &why)],
            )));
        }
    }
    None
}

/// Leave a re-check (its result stays recorded) for the list.
pub(super) fn back_to_front_door(wizard: &mut Wizard) {
    wizard.recheck = None;
    wizard.credential = None;
    wizard.report = None;
    wizard.check = None;
    go(wizard, Screen::FrontDoor);
}
