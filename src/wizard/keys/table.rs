//! The table itself: every key of the wizard, where it applies, its footer hint and its help line.

use crossterm::event::KeyCode;

use crate::steps::StepId;
use crate::wizard::keys::{Action, Binding, Condition, HelpLine, Hint, Layer, Press};
use crate::wizard::state::{Browser, Dialog, MenuItem, Screen, Wizard};

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

fn dialog_is(wizard: &Wizard, dialog: fn(&Dialog) -> bool) -> bool {
    wizard.dialog.as_ref().is_some_and(dialog)
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

/// Shorthand for a screen binding.
const fn on_screen(
    keys: &'static [(Press, Action)],
    when: Condition,
    hint: Option<(Hint, Condition)>,
    help: HelpLine,
) -> Binding {
    Binding {
        layer: Layer::Screen,
        keys,
        when,
        hint,
        help,
    }
}

/// Every key of the wizard. Conditions of bindings that share a key never hold at once (a test proves
/// it), so the order is the footer's: most important first, help and quit last.
pub static TABLE: &[Binding] = &[
    // The terminal is too small: nothing to see, so nothing to act on but quitting.
    Binding {
        layer: Layer::TooSmall,
        keys: &[(Press::Key(KeyCode::Char('q')), Action::Quit)],
        when: always,
        hint: None,
        help: HelpLine::Quit,
    },
    // The help overlay: keys do not reach the screen under it.
    Binding {
        layer: Layer::Help,
        keys: &[
            (Press::Key(KeyCode::Esc), Action::CloseHelp),
            (Press::Key(KeyCode::Enter), Action::CloseHelp),
            (Press::Key(KeyCode::F(1)), Action::CloseHelp),
            (Press::Key(KeyCode::Char('?')), Action::CloseHelp),
        ],
        when: always,
        hint: Some((Hint::CloseHelp, always)),
        help: HelpLine::Help,
    },
    Binding {
        layer: Layer::Help,
        keys: &[(Press::Key(KeyCode::Char('q')), Action::Quit)],
        when: always,
        hint: Some((Hint::Quit, always)),
        help: HelpLine::Quit,
    },
    // The questions.
    Binding {
        layer: Layer::Dialog,
        keys: &[
            (Press::Key(KeyCode::Enter), Action::QuitNow),
            (Press::Key(KeyCode::Char('y')), Action::QuitNow),
            (Press::Key(KeyCode::Char('q')), Action::QuitNow),
        ],
        when: |w| dialog_is(w, |d| *d == Dialog::ConfirmQuit),
        hint: Some((Hint::ConfirmQuit, always)),
        help: HelpLine::Answer,
    },
    Binding {
        layer: Layer::Dialog,
        keys: NO,
        when: |w| dialog_is(w, |d| *d == Dialog::ConfirmQuit),
        hint: Some((Hint::Stay, always)),
        help: HelpLine::Answer,
    },
    Binding {
        layer: Layer::Dialog,
        keys: ENTER,
        when: |w| dialog_is(w, |d| matches!(d, Dialog::Unticked(_))),
        hint: Some((Hint::ContinueAnyway, always)),
        help: HelpLine::Enter,
    },
    Binding {
        layer: Layer::Dialog,
        keys: ESC,
        when: |w| dialog_is(w, |d| matches!(d, Dialog::Unticked(_))),
        hint: Some((Hint::BackToTheList, always)),
        help: HelpLine::Esc,
    },
    Binding {
        layer: Layer::Dialog,
        keys: YES,
        when: |w| dialog_is(w, |d| matches!(d, Dialog::ConfirmRemove(_))),
        hint: Some((Hint::ConfirmRemove, always)),
        help: HelpLine::Answer,
    },
    Binding {
        layer: Layer::Dialog,
        keys: NO,
        when: |w| dialog_is(w, |d| matches!(d, Dialog::ConfirmRemove(_))),
        hint: Some((Hint::KeepIt, always)),
        help: HelpLine::Answer,
    },
    Binding {
        layer: Layer::Dialog,
        keys: YES,
        when: |w| dialog_is(w, |d| *d == Dialog::SaveUnverified),
        hint: Some((Hint::StoreIt, always)),
        help: HelpLine::Answer,
    },
    Binding {
        layer: Layer::Dialog,
        keys: NO,
        when: |w| dialog_is(w, |d| *d == Dialog::SaveUnverified),
        hint: Some((Hint::Cancel, always)),
        help: HelpLine::Answer,
    },
    // The front door.
    on_screen(
        ENTER,
        front_door_row,
        Some((Hint::Recheck, always)),
        HelpLine::Enter,
    ),
    on_screen(
        ENTER,
        |w| front_door(w) && w.front_door.selected().is_none(),
        Some((Hint::StartSetUp, always)),
        HelpLine::Enter,
    ),
    on_screen(
        &[(Press::Key(KeyCode::Char('r')), Action::Rotate)],
        front_door_row,
        Some((Hint::Rotate, always)),
        HelpLine::Stored,
    ),
    on_screen(
        &[
            (Press::Key(KeyCode::Char('d')), Action::Remove),
            (Press::Key(KeyCode::Delete), Action::Remove),
        ],
        front_door_row,
        Some((Hint::Remove, always)),
        HelpLine::Stored,
    ),
    on_screen(
        &[(Press::Key(KeyCode::Char('n')), Action::SetUp)],
        front_door,
        // On the "set up" entry, Enter says it.
        Some((Hint::NewSetUp, |w| w.front_door.selected().is_some())),
        HelpLine::Stored,
    ),
    on_screen(
        &[(Press::Key(KeyCode::Char('c')), Action::Recheck)],
        front_door_row,
        None,
        HelpLine::Stored,
    ),
    on_screen(
        UP_DOWN,
        front_door,
        Some((Hint::Choose, always)),
        HelpLine::Move,
    ),
    // Naming the profile to set up.
    on_screen(
        ENTER,
        |w| w.screen == Screen::NewProfile,
        Some((Hint::StartSetUp, always)),
        HelpLine::Enter,
    ),
    on_screen(
        ESC,
        |w| w.screen == Screen::NewProfile,
        Some((Hint::Back, always)),
        HelpLine::Esc,
    ),
    // Welcome.
    on_screen(
        ENTER,
        |w| w.screen == Screen::Welcome,
        Some((Hint::Start, always)),
        HelpLine::Enter,
    ),
    on_screen(
        UP_DOWN,
        |w| w.screen == Screen::Welcome && !w.flow_fixed,
        Some((Hint::Choose, always)),
        HelpLine::Move,
    ),
    on_screen(
        ESC,
        |w| w.screen == Screen::Welcome && !w.front_door.rows.is_empty(),
        Some((Hint::StoredCredentials, always)),
        HelpLine::Esc,
    ),
    // Scopes.
    on_screen(
        &[(Press::Key(KeyCode::Char(' ')), Action::Tick)],
        |w| w.screen == Screen::Step(StepId::Scopes),
        Some((Hint::Tick, always)),
        HelpLine::Tick,
    ),
    on_screen(
        UP_DOWN,
        |w| w.screen == Screen::Step(StepId::Scopes),
        Some((Hint::Move, always)),
        HelpLine::Move,
    ),
    on_screen(
        ENTER,
        |w| w.screen == Screen::Step(StepId::Scopes),
        Some((Hint::Next, always)),
        HelpLine::Enter,
    ),
    on_screen(
        ESC,
        |w| w.screen == Screen::Step(StepId::Scopes),
        Some((Hint::Back, always)),
        HelpLine::Esc,
    ),
    // Connect.
    on_screen(
        ENTER,
        |w| w.screen == Screen::Step(StepId::Connect),
        Some((Hint::Connect, always)),
        HelpLine::Enter,
    ),
    on_screen(
        &[
            (Press::Key(KeyCode::Tab), Action::SwitchField),
            (Press::Key(KeyCode::BackTab), Action::SwitchField),
            (Press::Key(KeyCode::Up), Action::SwitchField),
            (Press::Key(KeyCode::Down), Action::SwitchField),
        ],
        // A rotation keeps the stored service user's ID: only the token is entered.
        |w| w.screen == Screen::Step(StepId::Connect) && w.errand.enters_id(w.kind()),
        Some((Hint::Field, always)),
        HelpLine::Tab,
    ),
    on_screen(
        &[(Press::Ctrl('r'), Action::RevealToken)],
        |w| w.screen == Screen::Step(StepId::Connect),
        Some((Hint::ShowHide, always)),
        HelpLine::RevealClear,
    ),
    on_screen(
        ESC,
        |w| w.screen == Screen::Step(StepId::Connect),
        Some((Hint::Back, always)),
        HelpLine::Esc,
    ),
    // Both text fields (Connect's and the profile name).
    on_screen(
        &[(Press::Ctrl('u'), Action::ClearField)],
        typing,
        None,
        HelpLine::RevealClear,
    ),
    on_screen(EDIT, typing, None, HelpLine::Edit),
    // Login, Generate and Copy: instructions only, and the browser on Login.
    on_screen(
        ENTER,
        instruction_step,
        Some((Hint::Next, always)),
        HelpLine::Enter,
    ),
    on_screen(
        ESC,
        instruction_step,
        Some((Hint::Back, always)),
        HelpLine::Esc,
    ),
    on_screen(
        &[(Press::Key(KeyCode::Char('o')), Action::OpenBrowser)],
        login,
        // Where no browser can be opened, `o` says why; the footer offers the copy instead.
        Some((Hint::OpenHibob, |w| w.context.browser == Browser::Available)),
        HelpLine::Login,
    ),
    on_screen(
        &[(Press::Key(KeyCode::Char('c')), Action::CopyUrl)],
        login,
        Some((Hint::CopyUrl, |w| w.context.browser != Browser::Available)),
        HelpLine::Login,
    ),
    // Checking.
    on_screen(
        ESC,
        |w| w.screen == Screen::Checking,
        Some((Hint::CancelCheck, always)),
        HelpLine::Esc,
    ),
    // The Result and Not stored menus.
    on_screen(
        ENTER,
        menu_screen,
        Some((Hint::Menu, always)),
        HelpLine::Enter,
    ),
    on_screen(
        UP_DOWN,
        menu_screen,
        Some((Hint::Move, always)),
        HelpLine::Move,
    ),
    on_screen(
        &[(Press::Key(KeyCode::Char('r')), Action::CheckAgain)],
        |w| menu_has(w, MenuItem::RetryCheck),
        Some((Hint::CheckAgain, always)),
        HelpLine::Result,
    ),
    on_screen(
        &[(Press::Key(KeyCode::Char('c')), Action::CopyForStackOne)],
        |w| menu_has(w, MenuItem::CopyForStackOne),
        Some((Hint::CopyForStackOne, always)),
        HelpLine::Result,
    ),
    on_screen(
        &[(Press::Key(KeyCode::Char('s')), Action::SwitchToServiceUser)],
        |w| menu_has(w, MenuItem::SwitchToServiceUser),
        Some((Hint::ServiceUser, always)),
        HelpLine::Switch,
    ),
    on_screen(ESC, menu_screen, Some((Hint::Back, always)), HelpLine::Esc),
    // Storing cannot be cancelled: Esc says so.
    on_screen(ESC, |w| w.screen == Screen::Saving, None, HelpLine::Esc),
    on_screen(
        &[
            (Press::Key(KeyCode::Enter), Action::QuitNow),
            (Press::Key(KeyCode::Esc), Action::QuitNow),
        ],
        |w| w.screen == Screen::Done,
        Some((Hint::QuitDone, always)),
        HelpLine::Enter,
    ),
    // Everywhere on a screen. In a text field letters are typed: F1 and Ctrl-C stand in for ? and q.
    on_screen(
        &[(Press::Key(KeyCode::F(1)), Action::Help)],
        always,
        Some((Hint::HelpWhileTyping, typing)),
        HelpLine::Help,
    ),
    on_screen(
        &[(Press::Key(KeyCode::Char('?')), Action::Help)],
        |w| !typing(w),
        Some((Hint::Help, |w| w.screen != Screen::Done)),
        HelpLine::Help,
    ),
    on_screen(
        &[(Press::Key(KeyCode::Char('q')), Action::Quit)],
        |w| !typing(w),
        Some((Hint::Quit, |w| w.screen != Screen::Done)),
        HelpLine::Quit,
    ),
    on_screen(
        &[
            (Press::Key(KeyCode::PageUp), Action::ScrollUp),
            (Press::Key(KeyCode::PageDown), Action::ScrollDown),
        ],
        always,
        None,
        HelpLine::Scroll,
    ),
    // Ctrl-C quits from anywhere; pressed again on the quit question, it confirms.
    Binding {
        layer: Layer::Any,
        keys: &[(Press::Ctrl('c'), Action::QuitNow)],
        when: |w| w.dialog == Some(Dialog::ConfirmQuit),
        hint: None,
        help: HelpLine::CtrlC,
    },
    Binding {
        layer: Layer::Any,
        keys: &[(Press::Ctrl('c'), Action::Quit)],
        when: |w| w.dialog != Some(Dialog::ConfirmQuit),
        hint: Some((Hint::QuitWhileTyping, typing)),
        help: HelpLine::CtrlC,
    },
];
