//! The wizard's one state transition: `update(&mut Wizard, Msg) -> Option<Effect>`.
//!
//! Pure and synchronous: it changes the state and returns the side effect it wants, and never awaits,
//! spawns, logs or touches the network or the keyring. That is what makes every flow testable by feeding
//! messages and looking at the returned effects.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use crate::credential::{Credential, CredentialKind};
use crate::hibob::Probe;
use crate::intake::{self, IntakeError};
use crate::steps::{StepId, guide};
use crate::validate::InputNotice;
use crate::wizard::field::Field;
use crate::wizard::keys::{self, Action};
use crate::wizard::msg::{Effect, Msg};
use crate::wizard::state::{
    Browser, Dialog, Errand, Focus, Handover, LiveCheck, Notice, ProbeRow, SaveState, Screen, Tone,
    Wizard,
};
use crate::wizard::texts::{fill, scope_checklist, texts};
use crate::wizard::view;

mod connect;
mod front_door;
mod result;

use connect::on_connect_action;
use result::{on_menu_action, start_save};

pub use front_door::begin_rotation;

/// Lines one PgUp/PgDn moves.
const PAGE: u16 = 5;

pub fn update(wizard: &mut Wizard, msg: Msg) -> Option<Effect> {
    match msg {
        Msg::Key(key) => on_key(wizard, key),
        Msg::Paste(text) => {
            on_paste(wizard, &text);
            None
        }
        Msg::Resize { width, height } => {
            wizard.viewport = (width, height);
            wizard.scroll = wizard.scroll.min(view::max_scroll(wizard));
            None
        }
        Msg::Tick => {
            if wizard.is_busy() {
                wizard.spinner = wizard.spinner.wrapping_add(1);
            }
            None
        }
        Msg::ProbeFinished { check, result } => {
            if wizard.screen == Screen::Checking
                && let Some(live) = wizard.check.as_mut().filter(|live| live.id == check)
                && let Some(row) = live.rows.iter_mut().find(|row| row.probe == result.probe)
            {
                row.answer = Some(result);
            }
            None
        }
        Msg::CheckFinished { check, report } => {
            let current = wizard.check.as_ref().is_some_and(|live| live.id == check);
            if current && wizard.screen == Screen::Checking {
                let recorded = front_door::record(wizard, &report);
                wizard.report = Some(report);
                go(wizard, Screen::Result);
                return recorded;
            }
            None
        }
        Msg::CheckNotStarted { check, why } => {
            let current = wizard.check.as_ref().is_some_and(|live| live.id == check);
            if current && wizard.screen == Screen::Checking {
                let said = fill(&texts().notice.check_not_started, &[("error", &why)]);
                leave_check(wizard, warning(said));
            }
            None
        }
        Msg::StoredLoaded { profile, result } => front_door::on_loaded(wizard, profile, result),
        Msg::CheckRecorded { profile, result } => front_door::on_recorded(wizard, &profile, result),
        Msg::Deleted {
            profile,
            store,
            result,
        } => front_door::on_deleted(wizard, &profile, store, result),
        Msg::SaveFinished(result) => {
            let SaveState::InFlight(store) = wizard.save else {
                return None;
            };
            // A quit question asked during the save is about a save that is over now.
            if wizard.dialog == Some(Dialog::ConfirmQuit) {
                wizard.dialog = None;
            }
            match result {
                Ok(saved) => {
                    wizard.save = SaveState::Saved(saved);
                    go(wizard, Screen::Done);
                }
                Err(error) => {
                    wizard.save = SaveState::Failed { store, error };
                    go(wizard, Screen::SaveFailed);
                }
            }
            None
        }
        Msg::BrowserOpened(result) => {
            let (url, notices) = (&texts().login.url, &texts().notice);
            wizard.notice = Some(match result {
                Ok(()) => info(fill(&notices.browser_opened, &[("url", url)])),
                Err(why) => warning(fill(
                    &notices.browser_failed,
                    &[("url", url), ("why", &why)],
                )),
            });
            None
        }
        Msg::Interrupt => request_quit(wizard),
        Msg::Terminate => quit(wizard),
    }
}

fn on_key(wizard: &mut Wizard, key: KeyEvent) -> Option<Effect> {
    // Some platforms report releases too; only presses (and auto-repeat) act.
    if key.kind == KeyEventKind::Release {
        return None;
    }
    wizard.notice = None;
    // Only what the key table binds here acts: what the footer and the help show.
    let action = keys::action(wizard, &key)?;
    match action {
        Action::Quit => return request_quit(wizard),
        Action::QuitNow => return quit(wizard),
        Action::Help => {
            wizard.help = true;
            return None;
        }
        Action::CloseHelp => {
            wizard.help = false;
            return None;
        }
        Action::ScrollDown => {
            wizard.scroll = (wizard.scroll + PAGE).min(view::max_scroll(wizard));
            return None;
        }
        Action::ScrollUp => {
            wizard.scroll = wizard.scroll.saturating_sub(PAGE);
            return None;
        }
        _ => {}
    }
    if let Some(dialog) = wizard.dialog.clone() {
        return on_answer(wizard, dialog, action);
    }
    match wizard.screen {
        Screen::FrontDoor => front_door::on_action(wizard, action),
        Screen::NewProfile => front_door::on_new_profile_action(wizard, action, key),
        Screen::Welcome => on_welcome_action(wizard, action),
        Screen::Step(StepId::Scopes) => on_scopes_action(wizard, action),
        Screen::Step(StepId::Connect) => on_connect_action(wizard, action, key),
        Screen::Step(step) => on_instruction_action(wizard, step, action),
        Screen::Checking => {
            leave_check(wizard, info(&texts().notice.check_cancelled));
            Some(Effect::CancelCheck)
        }
        Screen::Result | Screen::SaveFailed => on_menu_action(wizard, action),
        Screen::Saving => {
            wizard.notice = Some(info(&texts().notice.saving_not_cancellable));
            None
        }
        // Done binds only quitting, handled above.
        Screen::Done => None,
    }
}

/// A question answered: `Next` is yes, `Back` is no.
fn on_answer(wizard: &mut Wizard, dialog: Dialog, action: Action) -> Option<Effect> {
    wizard.dialog = None;
    match (dialog, action) {
        (Dialog::Unticked(_), Action::Next) => {
            let next = next_screen(wizard, StepId::Scopes);
            go(wizard, next);
        }
        (Dialog::ConfirmDelete { profile, store }, Action::Next) => {
            return Some(Effect::Delete { profile, store });
        }
        (Dialog::SaveUnverified, Action::Next) => return start_save(wizard, wizard.context.store),
        _ => {}
    }
    None
}

fn on_welcome_action(wizard: &mut Wizard, action: Action) -> Option<Effect> {
    let count = guide().flows.len();
    match action {
        Action::Up => wizard.flow_cursor = wizard.flow_cursor.saturating_sub(1),
        Action::Down => wizard.flow_cursor = (wizard.flow_cursor + 1).min(count - 1),
        Action::Next => {
            let flow = if wizard.flow_fixed {
                wizard.flow
            } else {
                guide().flows[wizard.flow_cursor].id
            };
            wizard.set_flow(flow);
            go(wizard, Screen::Step(StepId::Login));
        }
        Action::Back => go(wizard, Screen::FrontDoor),
        _ => {}
    }
    None
}

/// Login, Generate and Copy: instructions only (and the browser on Login).
fn on_instruction_action(wizard: &mut Wizard, step: StepId, action: Action) -> Option<Effect> {
    match action {
        Action::Next => go(wizard, next_screen(wizard, step)),
        Action::Back => go(wizard, previous_screen(wizard, step)),
        Action::OpenBrowser => {
            let url = texts().login.url.clone();
            return match &wizard.context.browser {
                Browser::Available => {
                    wizard.notice = Some(info(fill(
                        &texts().notice.browser_opening,
                        &[("url", &url)],
                    )));
                    Some(Effect::OpenBrowser(url))
                }
                Browser::Unavailable(reason) => {
                    wizard.notice = Some(warning(
                        fill(&texts().login.no_browser, &[("reason", reason)])
                            + " "
                            + &texts().notice.copy_hint,
                    ));
                    None
                }
            };
        }
        Action::CopyUrl => {
            let url = texts().login.url.clone();
            wizard.notice = Some(info(fill(&texts().notice.url_copied, &[("url", &url)])));
            return Some(Effect::CopyToClipboard(url));
        }
        _ => {}
    }
    None
}

fn on_scopes_action(wizard: &mut Wizard, action: Action) -> Option<Effect> {
    let count = wizard.checklist_done.len();
    match action {
        Action::Up => wizard.checklist_cursor = wizard.checklist_cursor.saturating_sub(1),
        Action::Down => wizard.checklist_cursor = (wizard.checklist_cursor + 1).min(count - 1),
        Action::Tick => {
            if let Some(done) = wizard.checklist_done.get_mut(wizard.checklist_cursor) {
                *done = !*done;
            }
        }
        Action::Next => {
            let flow = wizard.flow;
            let items = scope_checklist(flow);
            let breaking: Vec<usize> = wizard
                .unticked()
                .into_iter()
                .filter(|index| texts().unticked_consequence(flow, &items[*index]).is_some())
                .collect();
            if breaking.is_empty() {
                go(wizard, next_screen(wizard, StepId::Scopes));
            } else {
                wizard.dialog = Some(Dialog::Unticked(breaking));
            }
        }
        Action::Back => go(wizard, previous_screen(wizard, StepId::Scopes)),
        _ => {}
    }
    None
}

/// A key the table binds as editing a text field, applied to `field`.
fn edit(field: &mut Field, key: KeyEvent) {
    match key.code {
        KeyCode::Char(c) => field.insert_char(c),
        KeyCode::Backspace => field.backspace(),
        KeyCode::Delete => field.delete(),
        KeyCode::Left => field.left(),
        KeyCode::Right => field.right(),
        KeyCode::Home => field.home(),
        KeyCode::End => field.end(),
        _ => {}
    }
}

/// Start a live check of `credential`: of the setup's draft, or of the stored profile being re-checked
/// (against the API its record remembers).
fn start_check(wizard: &mut Wizard, credential: Credential) -> Option<Effect> {
    let check = wizard.take_check_id();
    wizard.check = Some(LiveCheck {
        id: check,
        kind: credential.kind(),
        rows: Probe::ALL
            .into_iter()
            .map(|probe| ProbeRow {
                probe,
                answer: None,
            })
            .collect(),
    });
    wizard.credential = Some(credential.clone());
    wizard.report = None;
    wizard.save = SaveState::NotYet;
    // A new check starts a new hand-over, with nothing shown in clear.
    wizard.handover = Handover::NothingCopied;
    wizard.revealed_for_copy = false;
    wizard.spinner = 0;
    go(wizard, Screen::Checking);
    Some(Effect::StartCheck {
        check,
        profile: wizard.profile().to_string(),
        credential,
        api_url: wizard.errand.api_url(&wizard.context).clone(),
    })
}

/// Leave the Checking screen without its result: a cancelled check, or one that could not start.
fn leave_check(wizard: &mut Wizard, notice: Notice) {
    if matches!(wizard.errand, Errand::Recheck(_)) {
        front_door::back_to_front_door(wizard);
    } else {
        wizard.check = None;
        wizard.credential = None;
        go(wizard, Screen::Step(StepId::Connect));
    }
    wizard.notice = Some(notice);
}

fn on_paste(wizard: &mut Wizard, text: &str) {
    if !wizard.in_text_field() {
        return;
    }
    if wizard.screen == Screen::NewProfile {
        wizard.new_profile_name.insert_str(text.trim());
        return;
    }
    let trimmed = text.trim();
    let said = match wizard.draft.focus {
        Focus::Id => &texts().notice.paste_trimmed_id,
        Focus::Token => &texts().notice.paste_trimmed_token,
    };
    wizard.draft.focused_mut().insert_str(trimmed);
    wizard.notice = (trimmed.len() != text.len()).then(|| info(said));
}

/// Quit, unless that would lose verified work or interrupt a save: then ask first.
fn request_quit(wizard: &mut Wizard) -> Option<Effect> {
    if wizard.has_unsaved_verified_work() || wizard.screen == Screen::Saving {
        wizard.help = false;
        wizard.dialog = Some(Dialog::ConfirmQuit);
        None
    } else {
        quit(wizard)
    }
}

fn quit(wizard: &mut Wizard) -> Option<Effect> {
    wizard.quit = true;
    wizard.dialog = None;
    Some(Effect::Quit)
}

fn go(wizard: &mut Wizard, screen: Screen) {
    wizard.screen = screen;
    wizard.scroll = 0;
    wizard.menu_cursor = 0;
}

/// The step after `step` among the errand's steps (itself if it is the last).
fn next_screen(wizard: &Wizard, step: StepId) -> Screen {
    let steps = wizard.errand.steps();
    let index = steps.iter().position(|candidate| *candidate == step);
    let next = index.and_then(|index| steps.get(index + 1));
    Screen::Step(*next.unwrap_or(&step))
}

/// The step before `step` among the errand's steps, or the Welcome screen before the first.
fn previous_screen(wizard: &Wizard, step: StepId) -> Screen {
    let steps = wizard.errand.steps();
    match steps.iter().position(|candidate| *candidate == step) {
        Some(index) if index > 0 => Screen::Step(steps[index - 1]),
        _ => Screen::Welcome,
    }
}

fn info(text: impl Into<String>) -> Notice {
    Notice::new(text, Tone::Info)
}

fn warning(text: impl Into<String>) -> Notice {
    Notice::new(text, Tone::Warning)
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
