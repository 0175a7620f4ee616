//! The table itself: every key of the wizard, where it applies, its footer hint and its help line.

use crossterm::event::KeyCode;

use crate::steps::StepId;
use crate::wizard::keys::{Action, Binding, Condition, HelpLine, Hint, Layer, Press};
use crate::wizard::state::{Browser, Dialog, MenuItem, Screen, Wizard};

use HelpLine as H;
use Layer::{Any, Dialog as Question, Help, Screen as On, TooSmall};

fn always(_: &Wizard) -> bool {
    true
}

fn typing(wizard: &Wizard) -> bool {
    wizard.in_text_field()
}

fn front_door_row(wizard: &Wizard) -> bool {
    front_door(wizard) && wizard.front_door.selected().is_some()
}

fn front_door(wizard: &Wizard) -> bool {
    // One keyring read at a time: its answer decides what comes next.
    wizard.screen == Screen::FrontDoor && wizard.errand.reading().is_none()
}

fn instruction_step(wizard: &Wizard) -> bool {
    matches!(
        wizard.screen,
        Screen::Step(StepId::Login | StepId::Generate | StepId::Copy)
    )
}

fn login(wizard: &Wizard) -> bool {
    wizard.screen == Screen::Step(StepId::Login)
}

fn menu_screen(wizard: &Wizard) -> bool {
    matches!(wizard.screen, Screen::Result | Screen::SaveFailed)
}

fn menu_has(wizard: &Wizard, item: MenuItem) -> bool {
    menu_screen(wizard) && wizard.menu().contains(&item)
}

fn on(wizard: &Wizard, screen: Screen) -> bool {
    wizard.screen == screen
}

fn scopes(wizard: &Wizard) -> bool {
    on(wizard, Screen::Step(StepId::Scopes))
}

fn connect(wizard: &Wizard) -> bool {
    on(wizard, Screen::Step(StepId::Connect))
}

fn confirm_quit(wizard: &Wizard) -> bool {
    wizard.dialog == Some(Dialog::ConfirmQuit)
}

fn unticked(wizard: &Wizard) -> bool {
    matches!(wizard.dialog, Some(Dialog::Unticked(_)))
}

fn confirm_delete(wizard: &Wizard) -> bool {
    matches!(wizard.dialog, Some(Dialog::ConfirmDelete { .. }))
}

fn save_unverified(wizard: &Wizard) -> bool {
    wizard.dialog == Some(Dialog::SaveUnverified)
}

const UP_DOWN: &[(Press, Action)] = &[
    (Press::Key(KeyCode::Up), Action::Up),
    (Press::Key(KeyCode::Down), Action::Down),
];
const ENTER: &[(Press, Action)] = &[(Press::Key(KeyCode::Enter), Action::Next)];
const ESC: &[(Press, Action)] = &[(Press::Key(KeyCode::Esc), Action::Back)];
const YES: &[(Press, Action)] = &[
    (Press::Key(KeyCode::Enter), Action::Next),
    (Press::Key(KeyCode::Char('y')), Action::Next),
];
const NO: &[(Press, Action)] = &[
    (Press::Key(KeyCode::Esc), Action::Back),
    (Press::Key(KeyCode::Char('n')), Action::Back),
];
const EDIT: &[(Press, Action)] = &[
    (Press::AnyChar, Action::Edit),
    (Press::Key(KeyCode::Backspace), Action::Edit),
    (Press::Key(KeyCode::Delete), Action::Edit),
    (Press::Key(KeyCode::Left), Action::Edit),
    (Press::Key(KeyCode::Right), Action::Edit),
    (Press::Key(KeyCode::Home), Action::Edit),
    (Press::Key(KeyCode::End), Action::Edit),
];
const HELP_CLOSE: &[(Press, Action)] = &[
    (Press::Key(KeyCode::Esc), Action::CloseHelp),
    (Press::Key(KeyCode::Enter), Action::CloseHelp),
    (Press::Key(KeyCode::F(1)), Action::CloseHelp),
    (Press::Key(KeyCode::Char('?')), Action::CloseHelp),
];
const QUIT_ANSWERED: &[(Press, Action)] = &[
    (Press::Key(KeyCode::Enter), Action::QuitNow),
    (Press::Key(KeyCode::Char('y')), Action::QuitNow),
    (Press::Key(KeyCode::Char('q')), Action::QuitNow),
];
const SWITCH_FIELD: &[(Press, Action)] = &[
    (Press::Key(KeyCode::Tab), Action::SwitchField),
    (Press::Key(KeyCode::BackTab), Action::SwitchField),
    (Press::Key(KeyCode::Up), Action::SwitchField),
    (Press::Key(KeyCode::Down), Action::SwitchField),
];
const DELETE: &[(Press, Action)] = &[
    (Press::Key(KeyCode::Char('d')), Action::Delete),
    (Press::Key(KeyCode::Delete), Action::Delete),
];
const SCROLL: &[(Press, Action)] = &[
    (Press::Key(KeyCode::PageUp), Action::ScrollUp),
    (Press::Key(KeyCode::PageDown), Action::ScrollDown),
];
const DONE: &[(Press, Action)] = &[
    (Press::Key(KeyCode::Enter), Action::QuitNow),
    (Press::Key(KeyCode::Esc), Action::QuitNow),
];

/// One key and what it asks for.
const fn key(code: KeyCode, action: Action) -> [(Press, Action); 1] {
    [(Press::Key(code), action)]
}

const fn bind(
    layer: Layer,
    keys: &'static [(Press, Action)],
    when: Condition,
    hint: Option<(Hint, Condition)>,
    help: HelpLine,
) -> Binding {
    Binding {
        layer,
        keys,
        when,
        hint,
        help,
    }
}

/// An answer to a question's dialog: shown in the footer, and listed in the help under "answer".
const fn answer(keys: &'static [(Press, Action)], when: Condition, hint: Hint) -> Binding {
    bind(Question, keys, when, shown(hint), H::Answer)
}

/// A hint the footer shows wherever its binding applies.
const fn shown(hint: Hint) -> Option<(Hint, Condition)> {
    Some((hint, always))
}

/// Every key of the wizard, one binding a line: its layer, its keys and what each asks for, where it
/// applies, its footer hint (and where the footer shows it), its help line. Conditions of bindings that
/// share a key never hold at once (a test proves it), so the order is the footer's: most important
/// first, help and quit last.
#[rustfmt::skip]
pub static TABLE: &[Binding] = &[
    // The terminal is too small: nothing to see, so nothing to act on but quitting.
    bind(TooSmall, &key(KeyCode::Char('q'), Action::Quit), always, None, H::Quit),
    // The help overlay: keys do not reach the screen under it.
    bind(Help, HELP_CLOSE, always, shown(Hint::CloseHelp), H::Help),
    bind(Help, &key(KeyCode::Char('q'), Action::Quit), always, shown(Hint::Quit), H::Quit),
    // The questions: Enter (or y) is yes, Esc (or n) is no.
    answer(QUIT_ANSWERED, confirm_quit, Hint::ConfirmQuit),
    answer(NO, confirm_quit, Hint::Stay),
    bind(Question, ENTER, unticked, shown(Hint::ContinueAnyway), H::Enter),
    bind(Question, ESC, unticked, shown(Hint::BackToTheList), H::Esc),
    answer(YES, confirm_delete, Hint::ConfirmDelete),
    answer(NO, confirm_delete, Hint::KeepIt),
    answer(YES, save_unverified, Hint::StoreIt),
    answer(NO, save_unverified, Hint::Cancel),
    // The front door: a stored profile highlighted, or "set up" (where Enter says it, not n).
    bind(On, ENTER, front_door_row, shown(Hint::Recheck), H::Enter),
    bind(On, ENTER, front_door_set_up, shown(Hint::StartSetUp), H::Enter),
    bind(On, &key(KeyCode::Char('r'), Action::Rotate), front_door_row, shown(Hint::Rotate), H::Stored),
    bind(On, DELETE, front_door_row, shown(Hint::Delete), H::Stored),
    bind(On, &key(KeyCode::Char('n'), Action::SetUp), front_door, Some((Hint::NewSetUp, front_door_row)), H::Stored),
    bind(On, &key(KeyCode::Char('c'), Action::Recheck), front_door_row, None, H::Stored),
    bind(On, UP_DOWN, front_door, shown(Hint::Choose), H::Move),
    // Naming the profile to set up.
    bind(On, ENTER, |w| on(w, Screen::NewProfile), shown(Hint::StartSetUp), H::Enter),
    bind(On, ESC, |w| on(w, Screen::NewProfile), shown(Hint::Back), H::Esc),
    // Welcome: the flow to choose (unless given), and back to the stored profiles (if any).
    bind(On, ENTER, welcome, shown(Hint::Start), H::Enter),
    bind(On, UP_DOWN, welcome_choice, shown(Hint::Choose), H::Move),
    bind(On, ESC, welcome_back, shown(Hint::StoredCredentials), H::Esc),
    // Scopes.
    bind(On, &key(KeyCode::Char(' '), Action::Tick), scopes, shown(Hint::Tick), H::Tick),
    bind(On, UP_DOWN, scopes, shown(Hint::Move), H::Move),
    bind(On, ENTER, scopes, shown(Hint::Next), H::Enter),
    bind(On, ESC, scopes, shown(Hint::Back), H::Esc),
    // Connect. A rotation keeps the stored service user's ID: only the token is entered.
    bind(On, ENTER, connect, shown(Hint::Connect), H::Enter),
    bind(On, SWITCH_FIELD, two_fields, shown(Hint::Field), H::Tab),
    bind(On, &[(Press::Ctrl('r'), Action::RevealToken)], connect, shown(Hint::ShowHide), H::RevealClear),
    bind(On, ESC, connect, shown(Hint::Back), H::Esc),
    // Both text fields (Connect's and the profile name).
    bind(On, &[(Press::Ctrl('u'), Action::ClearField)], typing, None, H::RevealClear),
    bind(On, EDIT, typing, None, H::Edit),
    // Login, Generate and Copy: instructions only, and the browser on Login. Where no browser can be
    // opened, o says why and the footer offers the copy instead.
    bind(On, ENTER, instruction_step, shown(Hint::Next), H::Enter),
    bind(On, ESC, instruction_step, shown(Hint::Back), H::Esc),
    bind(On, &key(KeyCode::Char('o'), Action::OpenBrowser), login, Some((Hint::OpenHibob, browser)), H::Login),
    bind(On, &key(KeyCode::Char('c'), Action::CopyUrl), login, Some((Hint::CopyUrl, no_browser)), H::Login),
    // Checking.
    bind(On, ESC, |w| on(w, Screen::Checking), shown(Hint::CancelCheck), H::Esc),
    // The Result and Not stored menus; a letter only where the menu has its entry.
    bind(On, ENTER, menu_screen, shown(Hint::Menu), H::Enter),
    bind(On, UP_DOWN, menu_screen, shown(Hint::Move), H::Move),
    bind(On, &key(KeyCode::Char('r'), Action::CheckAgain), retry_in_menu, shown(Hint::CheckAgain), H::Result),
    bind(On, &key(KeyCode::Char('c'), Action::CopyForStackOne), handover_in_menu, shown(Hint::CopyForStackOne), H::Result),
    bind(On, &key(KeyCode::Char('s'), Action::SwitchToServiceUser), switch_in_menu, shown(Hint::ServiceUser), H::Switch),
    bind(On, ESC, menu_screen, shown(Hint::Back), H::Esc),
    // Storing cannot be cancelled: Esc says so.
    bind(On, ESC, |w| on(w, Screen::Saving), None, H::Esc),
    bind(On, DONE, |w| on(w, Screen::Done), shown(Hint::QuitDone), H::Enter),
    // Everywhere on a screen. In a text field letters are typed: F1 and Ctrl-C stand in for ? and q.
    bind(On, &key(KeyCode::F(1), Action::Help), always, Some((Hint::HelpWhileTyping, typing)), H::Help),
    bind(On, &key(KeyCode::Char('?'), Action::Help), not_typing, Some((Hint::Help, not_done)), H::Help),
    bind(On, &key(KeyCode::Char('q'), Action::Quit), not_typing, Some((Hint::Quit, not_done)), H::Quit),
    bind(On, SCROLL, always, None, H::Scroll),
    // Ctrl-C quits from anywhere; pressed again on the quit question, it confirms.
    bind(Any, &[(Press::Ctrl('c'), Action::QuitNow)], confirm_quit, None, H::CtrlC),
    bind(Any, &[(Press::Ctrl('c'), Action::Quit)], not_confirm_quit, Some((Hint::QuitWhileTyping, typing)), H::CtrlC),
];

fn front_door_set_up(wizard: &Wizard) -> bool {
    front_door(wizard) && wizard.front_door.selected().is_none()
}

fn welcome(wizard: &Wizard) -> bool {
    on(wizard, Screen::Welcome)
}

fn welcome_choice(wizard: &Wizard) -> bool {
    welcome(wizard) && !wizard.flow_fixed
}

fn welcome_back(wizard: &Wizard) -> bool {
    welcome(wizard) && !wizard.front_door.rows.is_empty()
}

fn two_fields(wizard: &Wizard) -> bool {
    connect(wizard) && wizard.errand.enters_id(wizard.kind())
}

fn retry_in_menu(wizard: &Wizard) -> bool {
    menu_has(wizard, MenuItem::RetryCheck)
}

fn handover_in_menu(wizard: &Wizard) -> bool {
    menu_has(wizard, MenuItem::CopyForStackOne)
}

fn switch_in_menu(wizard: &Wizard) -> bool {
    menu_has(wizard, MenuItem::SwitchToServiceUser)
}

fn not_confirm_quit(wizard: &Wizard) -> bool {
    !confirm_quit(wizard)
}

fn not_typing(wizard: &Wizard) -> bool {
    !typing(wizard)
}

fn not_done(wizard: &Wizard) -> bool {
    wizard.screen != Screen::Done
}

fn browser(wizard: &Wizard) -> bool {
    wizard.context.browser == Browser::Available
}

fn no_browser(wizard: &Wizard) -> bool {
    !browser(wizard)
}
