//! The Connect step's part of `update`: typing, pasting and revealing the ID and token, and submitting
//! them for a live check once they pass validation. Pure like the rest of `update`.

// A part of `update`: it shares the parent's helpers and imports.
use super::*;

pub(super) fn on_connect_action(
    wizard: &mut Wizard,
    action: Action,
    key: KeyEvent,
) -> Option<Effect> {
    let draft = &mut wizard.draft;
    match action {
        Action::SwitchField => {
            draft.focus = match draft.focus {
                Focus::Id => Focus::Token,
                Focus::Token => Focus::Id,
            };
        }
        Action::RevealToken => draft.token.toggle_reveal(),
        Action::ClearField => draft.focused_mut().clear(),
        Action::Edit => edit(draft.focused_mut(), key),
        Action::Back if matches!(wizard.errand, Errand::Rotate(_)) => {
            return front_door::cancel_rotation(wizard);
        }
        Action::Back => {
            draft.token.hide();
            let previous = previous_screen(wizard, StepId::Connect);
            go(wizard, previous);
        }
        Action::Next => {
            if draft.focus == Focus::Id && draft.token.is_empty() {
                draft.focus = Focus::Token;
                return None;
            }
            return submit(wizard);
        }
        _ => {}
    }
    None
}

/// Validate the draft and, when it is valid, start the check.
fn submit(wizard: &mut Wizard) -> Option<Effect> {
    let draft = &mut wizard.draft;
    draft.submitted = true;
    let id = match wizard.flow.kind() {
        CredentialKind::ServiceUser => Some(draft.id.value()),
        CredentialKind::ApiToken => None,
    };
    let made = match intake::credential(id, draft.token.value()) {
        Ok(made) => made,
        Err(IntakeError::Id(_)) => {
            draft.focus = Focus::Id;
            wizard.notice = Some(warning(&texts().notice.fix_id));
            return None;
        }
        Err(IntakeError::Token(_)) => {
            draft.focus = Focus::Token;
            wizard.notice = Some(warning(&texts().notice.fix_token));
            return None;
        }
    };
    // An unusual ID is shown under its field; only the trimming is said here.
    let trimmed: Vec<String> = made
        .notices
        .iter()
        .filter(|notice| matches!(notice, InputNotice::Trimmed { .. }))
        .map(ToString::to_string)
        .collect();
    let credential = made.value;
    wizard.draft.token.hide();
    let effect = start_check(wizard, credential);
    if !trimmed.is_empty() {
        wizard.notice = Some(info(capitalize(&trimmed.join("; ")) + "."));
    }
    effect
}
