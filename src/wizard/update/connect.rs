//! The Connect step's part of `update`: typing, pasting and revealing the ID and token, and submitting
//! them for a live check once they pass validation. Pure like the rest of `update`.

// A part of `update`: it shares the parent's helpers and imports.
use super::*;

pub(super) fn on_connect_key(wizard: &mut Wizard, key: KeyEvent) -> Option<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    // A rotation keeps the stored service user's ID: only the token is entered.
    let two_fields = wizard.errand.enters_id(wizard.kind());
    let rotating = matches!(wizard.errand, Errand::Rotate(_));
    let draft = &mut wizard.draft;
    match key.code {
        KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down if two_fields => {
            draft.focus = match draft.focus {
                Focus::Id => Focus::Token,
                Focus::Token => Focus::Id,
            };
        }
        KeyCode::Char('r') if ctrl => draft.token.toggle_reveal(),
        KeyCode::Char('u') if ctrl => draft.focused_mut().clear(),
        KeyCode::Char(c) if !ctrl => draft.focused_mut().insert_char(c),
        KeyCode::Backspace => draft.focused_mut().backspace(),
        KeyCode::Delete => draft.focused_mut().delete(),
        KeyCode::Left => draft.focused_mut().left(),
        KeyCode::Right => draft.focused_mut().right(),
        KeyCode::Home => draft.focused_mut().home(),
        KeyCode::End => draft.focused_mut().end(),
        KeyCode::Esc if rotating => return front_door::cancel_rotation(wizard),
        KeyCode::Esc => {
            draft.token.hide();
            go(wizard, Screen::Step(StepId::Copy));
        }
        KeyCode::Enter => {
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
