//! The names of the footer's hints and of the help's lines: the keys of their texts in
//! `assets/wizard.toml`, shared by the key table (which uses them) and the texts (which hold them).

use serde::Deserialize;

/// A footer hint, by the key of its text in `assets/wizard.toml` (`[footer]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hint {
    CloseHelp,
    Quit,
    ConfirmQuit,
    Stay,
    ContinueAnyway,
    BackToTheList,
    Delete,
    KeepIt,
    StoreIt,
    Cancel,
    ConfirmDelete,
    Recheck,
    StartSetUp,
    Rotate,
    Choose,
    NewSetUp,
    Back,
    Start,
    StoredCredentials,
    Tick,
    Move,
    Next,
    Connect,
    Field,
    ShowHide,
    OpenHibob,
    CopyUrl,
    CancelCheck,
    Menu,
    CheckAgain,
    CopyForStackOne,
    ServiceUser,
    QuitDone,
    HelpWhileTyping,
    Help,
    QuitWhileTyping,
}

/// A line of the help overlay, by the key of its text in `assets/wizard.toml` (`[help]`, in the order
/// shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpLine {
    Enter,
    Esc,
    Move,
    Tick,
    Tab,
    RevealClear,
    Edit,
    Scroll,
    Login,
    Result,
    Switch,
    Stored,
    Answer,
    Help,
    Quit,
    CtrlC,
}

/// A key's legend and what it does, as the footer and the help show them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyText {
    pub keys: String,
    pub does: String,
}
