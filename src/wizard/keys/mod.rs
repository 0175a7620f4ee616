//! The one table of the wizard's keys. `update` acts only on a key the table binds where the user is,
//! the footer shows the hints of the bindings that apply there, and the help overlay lists the help line
//! of every binding: a key cannot be handled without being shown, or shown without being handled.
//!
//! Where a binding applies is said in two parts: its layer (what has the keyboard: the "enlarge the
//! window" message, the help, a question, or the screen) and a condition on the state.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::wizard::state::{Wizard, too_small};
use crate::wizard::texts::texts;

pub use crate::wizard::hints::{HelpLine, Hint, KeyText};

mod table;

pub use table::TABLE;

/// A key as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    /// A key without Ctrl (letters are matched as typed).
    Key(KeyCode),
    /// A letter with Ctrl.
    Ctrl(char),
    /// Any character typed without Ctrl (into a text field).
    AnyChar,
}

impl Press {
    pub fn matches(self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match self {
            Press::Key(code) => !ctrl && key.code == code,
            Press::Ctrl(letter) => ctrl && key.code == KeyCode::Char(letter),
            Press::AnyChar => !ctrl && matches!(key.code, KeyCode::Char(_)),
        }
    }
}

/// What a bound key asks `update` to do; what that means depends on where the user is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Continue, choose the highlighted entry, or answer a question with yes.
    Next,
    /// Go back, cancel, or answer a question with no.
    Back,
    Up,
    Down,
    Tick,
    SwitchField,
    RevealToken,
    ClearField,
    /// A key that edits the focused text field (typing, Backspace, Delete, arrows, Home, End).
    Edit,
    OpenBrowser,
    CopyUrl,
    Recheck,
    Rotate,
    Delete,
    SetUp,
    CheckAgain,
    CopyForStackOne,
    SwitchToServiceUser,
    ScrollUp,
    ScrollDown,
    Help,
    CloseHelp,
    /// Quit, asking first where that would lose work.
    Quit,
    /// Quit without asking (the quit question answered).
    QuitNow,
}

/// What has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Whatever is shown (Ctrl-C).
    Any,
    /// The terminal is too small: only its message is shown.
    TooSmall,
    Help,
    Dialog,
    Screen,
}

/// A condition on the wizard's state.
pub type Condition = fn(&Wizard) -> bool;

pub struct Binding {
    pub layer: Layer,
    /// The keys and what each asks for (keys that share a hint, like ↑/↓, share a binding).
    pub keys: &'static [(Press, Action)],
    /// Whether it applies, within its layer.
    pub when: Condition,
    /// Its footer hint, if it has one, and when the footer shows it (where it applies, the footer may
    /// still leave out a key that the help explains).
    pub hint: Option<(Hint, Condition)>,
    pub help: HelpLine,
}

/// What has the keyboard now.
pub fn layer(wizard: &Wizard) -> Layer {
    if too_small(wizard.viewport) {
        Layer::TooSmall
    } else if wizard.help {
        Layer::Help
    } else if wizard.dialog.is_some() {
        Layer::Dialog
    } else {
        Layer::Screen
    }
}

/// The bindings that apply now.
pub fn active(wizard: &Wizard) -> impl Iterator<Item = &'static Binding> + '_ {
    let now = layer(wizard);
    TABLE
        .iter()
        .filter(move |binding| binding.layer == Layer::Any || binding.layer == now)
        .filter(move |binding| (binding.when)(wizard))
}

/// What `key` asks for now, if the table binds it here.
pub fn action(wizard: &Wizard, key: &KeyEvent) -> Option<Action> {
    active(wizard).find_map(|binding| {
        binding
            .keys
            .iter()
            .find(|(press, _)| press.matches(key))
            .map(|(_, action)| *action)
    })
}

/// The footer's hints now, most important first.
pub fn footer(wizard: &Wizard) -> Vec<&'static KeyText> {
    active(wizard)
        .filter_map(|binding| binding.hint)
        .filter(|(_, shown)| shown(wizard))
        .map(|(hint, _)| texts().footer_hint(hint))
        .collect()
}

/// The help overlay's lines, in order.
pub fn help() -> impl Iterator<Item = (HelpLine, &'static KeyText)> {
    texts().help_lines()
}
