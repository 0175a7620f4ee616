//! The result's part of `update`: the menu under a check's result or a failed save (store, check again,
//! copy for StackOne, go back), and starting a save. Pure like the rest of `update`.

use crate::credential::CredentialKind;
use crate::steps::{FlowId, StepId};
use crate::store::StoreChoice;
use crate::wizard::keys::Action;
use crate::wizard::msg::Effect;
use crate::wizard::state::{Dialog, Errand, Handover, MenuItem, SaveState, Screen, Wizard};
use crate::wizard::texts::texts;

use super::{front_door, go, info, request_quit, start_check};

pub(super) fn on_menu_action(wizard: &mut Wizard, action: Action) -> Option<Effect> {
    let items = wizard.menu();
    match action {
        Action::Up => wizard.menu_cursor = wizard.menu_cursor.saturating_sub(1),
        Action::Down => {
            wizard.menu_cursor = (wizard.menu_cursor + 1).min(items.len().saturating_sub(1));
        }
        Action::Next => {
            if let Some(item) = items.get(wizard.menu_cursor).copied() {
                return choose(wizard, item);
            }
        }
        // The key table binds these only where the menu has them.
        Action::CheckAgain => return choose(wizard, MenuItem::RetryCheck),
        Action::CopyForStackOne => return choose(wizard, MenuItem::CopyForStackOne),
        Action::SwitchToServiceUser => return choose(wizard, MenuItem::SwitchToServiceUser),
        Action::Back if matches!(wizard.errand, Errand::Recheck(_)) => {
            front_door::back_to_front_door(wizard);
        }
        Action::Back => match wizard.screen {
            Screen::SaveFailed => {
                wizard.revealed_for_copy = false;
                go(wizard, Screen::Result);
            }
            _ => go(wizard, Screen::Step(StepId::Connect)),
        },
        _ => {}
    }
    None
}

fn choose(wizard: &mut Wizard, item: MenuItem) -> Option<Effect> {
    match item {
        MenuItem::Save | MenuItem::SaveAnyway => start_save(wizard, wizard.context.store),
        MenuItem::SaveUnverified => {
            wizard.dialog = Some(Dialog::SaveUnverified);
            None
        }
        MenuItem::RetrySave => {
            let store = match &wizard.save {
                SaveState::Failed { store, .. } => *store,
                _ => wizard.context.store,
            };
            start_save(wizard, store)
        }
        MenuItem::UseStore(store) => start_save(wizard, store),
        MenuItem::RevealToCopy => {
            wizard.revealed_for_copy = !wizard.revealed_for_copy;
            None
        }
        MenuItem::QuitWithoutSaving => request_quit(wizard),
        // The same credential, from memory: after a fix in HiBob nothing needs retyping. The check itself
        // is the runner's side effect.
        MenuItem::RetryCheck => {
            let credential = wizard.credential.clone()?;
            start_check(wizard, credential)
        }
        MenuItem::BackToConnect => {
            go(wizard, Screen::Step(StepId::Connect));
            None
        }
        MenuItem::BackToScopes => {
            go(wizard, Screen::Step(StepId::Scopes));
            // A service user has HiBob permissions; an API access token had scopes.
            let said = match wizard.kind() {
                CredentialKind::ServiceUser => &texts().notice.fix_permissions,
                CredentialKind::ApiToken => &texts().notice.fix_scopes,
            };
            wizard.notice = Some(info(said));
            None
        }
        MenuItem::CopyForStackOne => hand_over(wizard),
        MenuItem::BackToFrontDoor => {
            front_door::back_to_front_door(wizard);
            None
        }
        MenuItem::SwitchToServiceUser => {
            wizard.set_flow(FlowId::ServiceUser);
            go(wizard, Screen::Step(StepId::Login));
            wizard.notice = Some(info(&texts().notice.switched_to_service_user));
            None
        }
    }
}

/// The hand-over to StackOne's Link Account, one explicit key press per part: the service-user ID first,
/// the token on the next press (an API access token has no ID, so its press sends the token). Terminals
/// never confirm OSC 52, so the notice says that some refuse it and where the reveal is.
fn hand_over(wizard: &mut Wizard) -> Option<Effect> {
    let credential = wizard.credential.as_ref()?;
    let notices = &texts().notice;
    let (effect, copied, notice) = match (wizard.handover, credential.service_user_id()) {
        (Handover::NothingCopied | Handover::TokenCopied, Some(id)) => (
            Effect::CopyToClipboard(id.to_string()),
            Handover::IdCopied,
            &notices.handover_id,
        ),
        _ => (
            Effect::CopySecretToClipboard(credential.token().clone()),
            Handover::TokenCopied,
            &notices.handover_token,
        ),
    };
    wizard.handover = copied;
    wizard.notice = Some(info(notice));
    Some(effect)
}

/// Store the checked credential where the errand says, in `chosen` (the store the user picked) unless
/// the errand names its own.
pub(super) fn start_save(wizard: &mut Wizard, chosen: StoreChoice) -> Option<Effect> {
    let credential = wizard.credential.clone()?;
    let target = wizard.errand.save_target(&wizard.context, chosen)?;
    wizard.save = SaveState::InFlight(target.store);
    wizard.revealed_for_copy = false;
    wizard.spinner = 0;
    go(wizard, Screen::Saving);
    Some(Effect::Save {
        profile: target.profile,
        credential,
        report: wizard.report.clone(),
        store: target.store,
    })
}
