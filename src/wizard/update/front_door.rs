//! The front door's part of `update`: moving over the stored profiles, re-checking one (read from its
//! store, checked live against the API its record remembers, the result recorded), deleting one, and
//! going on to the setup. Pure like the rest of `update`: the store and the network are effects.

use crossterm::event::KeyEvent;

use crate::credential::CredentialKind;
use crate::hibob::{ApiUrl, Report};
use crate::steps::{FlowId, StepId};
use crate::store::{ProfileName, ProfileRecord, StoreChoice};
use crate::wizard::keys::Action;
use crate::wizard::msg::{Effect, LoadedStored};
use crate::wizard::state::{
    Dialog, Draft, Errand, Focus, NewProfile, Recheck, SaveState, Screen, StoredTarget, Wizard,
};
use crate::wizard::texts::{fill, store_label, texts};

use super::{edit, go, info, start_check, warning};

pub(super) fn on_action(wizard: &mut Wizard, action: Action) -> Option<Effect> {
    // The entries are the profiles, then "set up".
    let last = wizard.front_door.rows.len();
    let selected = wizard
        .front_door
        .selected()
        .map(|row| (row.name.clone(), row.store()));
    match action {
        Action::Up => wizard.front_door.cursor = wizard.front_door.cursor.saturating_sub(1),
        Action::Down => wizard.front_door.cursor = (wizard.front_door.cursor + 1).min(last),
        Action::Next => {
            return match selected {
                Some((name, store)) => load(wizard, name, store),
                None => set_up(wizard),
            };
        }
        Action::Recheck => {
            let (name, store) = selected?;
            return load(wizard, name, store);
        }
        Action::SetUp => return set_up(wizard),
        Action::Rotate => {
            let (name, store) = selected?;
            if let Err(why) = begin_rotation(wizard, &name, store) {
                wizard.notice = Some(warning(why));
            }
        }
        Action::Delete => {
            let (profile, store) = selected?;
            wizard.dialog = Some(Dialog::ConfirmDelete { profile, store });
        }
        _ => {}
    }
    None
}

fn load(wizard: &mut Wizard, profile: String, store: StoreChoice) -> Option<Effect> {
    wizard.notice = Some(info(fill(
        &texts().front_door.loading,
        &[("profile", &profile), ("store", store_label(store))],
    )));
    wizard.errand = Errand::Recheck(Recheck::Reading(profile.clone()));
    wizard.spinner = 0;
    Some(Effect::LoadStored { profile, store })
}

/// Ask which profile to set up, starting from `--profile`'s.
fn set_up(wizard: &mut Wizard) -> Option<Effect> {
    let name = wizard.profile().to_string();
    wizard.new_profile_name.set(&name);
    go(wizard, Screen::NewProfile);
    None
}

pub(super) fn on_new_profile_action(
    wizard: &mut Wizard,
    action: Action,
    key: KeyEvent,
) -> Option<Effect> {
    match action {
        Action::ClearField => wizard.new_profile_name.clear(),
        Action::Edit => edit(&mut wizard.new_profile_name, key),
        Action::Back => go(wizard, Screen::FrontDoor),
        Action::Next => {
            let name = wizard.new_profile_name.value().trim().to_string();
            if let Err(err) = ProfileName::new(&name) {
                wizard.notice = Some(warning(err.to_string()));
                return None;
            }
            wizard.errand = Errand::Setup {
                into: new_profile(wizard, name),
            };
            go(wizard, Screen::Welcome);
        }
        _ => {}
    }
    None
}

/// The setup's target when it is not `--profile`'s: the API a stored profile remembers (as `login`
/// keeps it), else the one named explicitly or production.
fn new_profile(wizard: &Wizard, name: String) -> Option<NewProfile> {
    if name == wizard.context.profile {
        return None;
    }
    let remembered = wizard
        .front_door
        .rows
        .iter()
        .find(|row| row.name == name)
        .and_then(|row| ApiUrl::parse(&row.record.api_url).ok());
    let api_url = remembered.unwrap_or_else(|| wizard.context.new_profile_api_url.clone());
    Some(NewProfile { name, api_url })
}

/// A stored profile was read (or not): start its re-check, or say why it cannot be.
pub(super) fn on_loaded(
    wizard: &mut Wizard,
    profile: String,
    result: Result<LoadedStored, String>,
) -> Option<Effect> {
    if wizard.errand.reading() != Some(profile.as_str()) {
        return None;
    }
    match result {
        Ok(loaded) => {
            wizard.notice = None;
            let flow = match loaded.credential.kind() {
                crate::credential::CredentialKind::ServiceUser => FlowId::ServiceUser,
                crate::credential::CredentialKind::ApiToken => FlowId::ApiToken,
            };
            wizard.set_flow(flow);
            wizard.errand = Errand::Recheck(Recheck::Read(StoredTarget {
                profile: loaded.profile,
                record: loaded.record,
                api_url: loaded.api_url,
            }));
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
    let Errand::Recheck(Recheck::Read(recheck)) = &wizard.errand else {
        return None;
    };
    wizard.last_recheck = Some((
        recheck.profile.clone(),
        recheck.record.store,
        report.verdict,
    ));
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

pub(super) fn on_deleted(
    wizard: &mut Wizard,
    profile: &str,
    store: StoreChoice,
    result: Result<(), String>,
) -> Option<Effect> {
    let said = &texts().front_door;
    match result {
        Ok(()) => {
            wizard.front_door.forget(profile, store);
            // The summary at the end should not report on a profile that is gone.
            if wizard
                .last_recheck
                .as_ref()
                .is_some_and(|(name, listed_in, _)| name == profile && *listed_in == store)
            {
                wizard.last_recheck = None;
            }
            wizard.notice = Some(info(fill(&said.deleted, &[("profile", profile)])));
            if wizard.front_door.rows.is_empty() && wizard.screen == Screen::FrontDoor {
                go(wizard, Screen::Welcome);
            }
        }
        Err(why) => {
            wizard.notice = Some(warning(fill(
                &said.delete_failed,
                &[("profile", profile), ("error", &why)],
            )));
        }
    }
    None
}

/// Start replacing the token of the stored service user `profile` in `store` (one of the front door's
/// rows): its ID fixed, the new token to enter on Connect. Says why not for an API access token (HiBob
/// retired them: there is nothing to rotate to) or a record whose API cannot be used.
pub fn begin_rotation(
    wizard: &mut Wizard,
    profile: &str,
    store: StoreChoice,
) -> Result<(), String> {
    let said = &texts().front_door;
    let row = wizard
        .front_door
        .rows
        .iter()
        .find(|row| row.is(profile, store))
        .ok_or_else(|| fill(&said.rotate_unknown, &[("profile", profile)]))?;
    let Some(id) = row.record.service_user_id.clone() else {
        return Err(fill(&said.rotate_api_token, &[("profile", profile)]));
    };
    let api_url = ApiUrl::parse(&row.record.api_url).map_err(|err| {
        fill(
            &said.load_failed,
            &[("profile", profile), ("error", &err.to_string())],
        )
    })?;
    let target = StoredTarget {
        profile: profile.to_string(),
        record: row.record.clone(),
        api_url,
    };
    wizard.set_flow(FlowId::ServiceUser);
    wizard.draft = Draft::new(CredentialKind::ServiceUser);
    wizard.draft.id.set(&id);
    wizard.draft.focus = Focus::Token;
    wizard.errand = Errand::Rotate(target);
    wizard.save = SaveState::NotYet;
    go(wizard, Screen::Step(StepId::Connect));
    Ok(())
}

/// Leave a rotation before anything was saved: the old token stays as it was.
pub(super) fn cancel_rotation(wizard: &mut Wizard) -> Option<Effect> {
    wizard.draft.token.clear();
    wizard.errand = Errand::setup();
    wizard.credential = None;
    wizard.report = None;
    wizard.check = None;
    wizard.notice = Some(info(&texts().front_door.rotation_cancelled));
    if wizard.front_door.rows.is_empty() {
        return super::quit(wizard);
    }
    go(wizard, Screen::FrontDoor);
    None
}

/// Leave a re-check (its result stays recorded) for the list.
pub(super) fn back_to_front_door(wizard: &mut Wizard) {
    wizard.errand = Errand::setup();
    wizard.credential = None;
    wizard.report = None;
    wizard.check = None;
    go(wizard, Screen::FrontDoor);
}
