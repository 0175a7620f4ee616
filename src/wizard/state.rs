//! The wizard's whole state: which screen, which flow, what was entered, what the check and the save said.
//! Only `update` changes it; the views only read it.

use crate::credential::{Credential, CredentialKind};
use crate::hibob::{ApiUrl, Probe, ProbeResult, Report, Verdict};
use crate::steps::{Flow, FlowId, StepId, guide};
use crate::store::StoreChoice;
use crate::store::StoreError;
use crate::wizard::field::Field;
use crate::wizard::msg::{CheckId, Saved};
use crate::wizard::texts::scope_checklist;

mod errand;
mod front_door;

pub use errand::{Errand, Recheck, SaveTarget};
pub use front_door::{FrontDoor, NewProfile, StoredRow, StoredTarget};

/// Below this size the layout cannot hold a step; a short message asks for a bigger window instead.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 15;

/// Whether a terminal of this size (columns, rows) gets the "enlarge the window" message instead.
pub fn too_small((width, height): (u16, u16)) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// The screens, in the order a user meets them. The five steps share one variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The stored profiles, when there are any: re-check, delete, or go on to set up.
    FrontDoor,
    /// The name of another profile to set up (from the front door).
    NewProfile,
    Welcome,
    Step(StepId),
    Checking,
    Result,
    Saving,
    Done,
    SaveFailed,
}

/// Facts about this run that do not change while it lasts. Read from the environment once, before the
/// wizard starts, so `update` stays pure.
#[derive(Debug, Clone)]
pub struct Context {
    pub profile: String,
    /// The store a verified credential goes to first.
    pub store: StoreChoice,
    /// Where the checks of `profile`'s credential go.
    pub api_url: ApiUrl,
    /// Whether `o` can open a browser here, or why not.
    pub browser: Browser,
    /// Another store to offer when storing fails (the kernel keyring on Linux).
    pub alternative_store: Option<StoreChoice>,
    /// A team's shared store (Vault) to offer beside the first one for a verified credential: when a
    /// server address is set and the first store is not already it.
    pub team_store: Option<StoreChoice>,
    /// The API a profile that is not stored yet is checked against: the one named with `--api-url`,
    /// `--sandbox` or `HIBOB_API_URL`, else production (`api_url` is the one `profile` remembers).
    pub new_profile_api_url: ApiUrl,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Browser {
    Available,
    /// Why not, e.g. "this is an SSH session".
    Unavailable(String),
}

/// Which input of the Connect screen has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Id,
    Token,
}

/// What the user entered on the Connect screen.
#[derive(Debug)]
pub struct Draft {
    pub id: Field,
    pub token: Field,
    pub focus: Focus,
    /// Set once the user tried to connect: from then on, empty fields show their error too.
    pub submitted: bool,
}

impl Draft {
    pub fn new(kind: CredentialKind) -> Self {
        Draft {
            id: Field::plain(),
            token: Field::secret(),
            focus: match kind {
                CredentialKind::ServiceUser => Focus::Id,
                CredentialKind::ApiToken => Focus::Token,
            },
            submitted: false,
        }
    }

    pub fn focused_mut(&mut self) -> &mut Field {
        match self.focus {
            Focus::Id => &mut self.id,
            Focus::Token => &mut self.token,
        }
    }
}

/// One row of the live check: a probe and, once it answered, its result (the view classifies it per scope).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeRow {
    pub probe: Probe,
    pub answer: Option<ProbeResult>,
}

/// The check in flight (or the last one), row by row.
#[derive(Debug, Clone)]
pub struct LiveCheck {
    pub id: CheckId,
    pub kind: CredentialKind,
    pub rows: Vec<ProbeRow>,
}

/// A question over the current screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    /// Leaving Scopes with items not ticked: the indexes of those items.
    Unticked(Vec<usize>),
    /// Storing a credential whose check was unverifiable.
    SaveUnverified,
    /// Quitting would lose verified, unsaved work (or interrupt a save).
    ConfirmQuit,
    /// Deleting this stored profile (front door).
    ConfirmDelete { profile: String, store: StoreChoice },
}

/// What the user can choose on the Result and SaveFailed screens, in menu order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuItem {
    Save,
    SaveAnyway,
    BackToScopes,
    BackToConnect,
    SwitchToServiceUser,
    RetryCheck,
    SaveUnverified,
    RetrySave,
    UseStore(StoreChoice),
    RevealToCopy,
    QuitWithoutSaving,
    /// After re-checking a stored profile: back to the front door.
    BackToFrontDoor,
    /// The hand-over: the service-user ID to the clipboard, then, on the next press, the token.
    CopyForStackOne,
}

/// How far the hand-over to StackOne's Link Account got. The service-user ID goes to the clipboard first;
/// the token only on a second, explicit key press, and never by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Handover {
    #[default]
    NothingCopied,
    IdCopied,
    TokenCopied,
}

/// How saving went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    NotYet,
    InFlight(StoreChoice),
    Saved(Saved),
    Failed {
        store: StoreChoice,
        error: StoreError,
    },
}

/// A one-line message about the last thing that happened ("Check cancelled", "Removed whitespace ...").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub tone: Tone,
}

impl Notice {
    pub fn new(text: impl Into<String>, tone: Tone) -> Notice {
        Notice {
            text: text.into(),
            tone,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Warning,
}

#[derive(Debug)]
pub struct Wizard {
    pub context: Context,
    pub screen: Screen,
    pub front_door: FrontDoor,
    /// What the user is doing: setting up, re-checking a stored profile, or rotating its token.
    pub errand: Errand,
    /// The name being typed on the NewProfile screen.
    pub new_profile_name: Field,
    /// The last re-checked profile, the store it is in and its verdict, for the summary printed at the
    /// end.
    pub last_recheck: Option<(String, StoreChoice, Verdict)>,
    pub flow: FlowId,
    /// The flow was given with `--flow`: the Welcome screen does not offer the choice.
    pub flow_fixed: bool,
    /// Highlighted flow on the Welcome screen (index into the guide's flows).
    pub flow_cursor: usize,
    /// Per item of the current flow's Scopes checklist: whether the user ticked it as done in HiBob.
    pub checklist_done: Vec<bool>,
    /// Highlighted item of the Scopes checklist.
    pub checklist_cursor: usize,
    pub draft: Draft,
    pub check: Option<LiveCheck>,
    next_check_id: CheckId,
    /// The credential that was checked last; what gets stored.
    pub credential: Option<Credential>,
    pub report: Option<Report>,
    /// Highlighted entry of the Result or SaveFailed menu.
    pub menu_cursor: usize,
    pub save: SaveState,
    /// On SaveFailed, or on the Result after a hand-over: the credential is shown in clear so it can be
    /// copied by hand.
    pub revealed_for_copy: bool,
    /// What the hand-over to StackOne sent to the clipboard so far, for the checked credential.
    pub handover: Handover,
    pub dialog: Option<Dialog>,
    pub help: bool,
    pub notice: Option<Notice>,
    /// Lines scrolled down in the current screen's text (PgDn/PgUp), for small terminals.
    pub scroll: u16,
    /// The terminal's size, as last reported.
    pub viewport: (u16, u16),
    /// Spinner frame, advanced by ticks while something is in flight.
    pub spinner: usize,
    pub quit: bool,
}

impl Wizard {
    /// A new wizard on the Welcome screen. With `flow`, the flow choice is skipped.
    pub fn new(context: Context, flow: Option<FlowId>) -> Self {
        Wizard::with_front_door(context, flow, FrontDoor::empty())
    }

    /// A new wizard that opens on the front door when it lists any profile and no flow was asked for
    /// (`--flow` means "set up"), else on the Welcome screen.
    pub fn with_front_door(context: Context, flow: Option<FlowId>, front_door: FrontDoor) -> Self {
        let chosen = flow.unwrap_or(guide().flows[0].id);
        let screen = if front_door.rows.is_empty() || flow.is_some() {
            Screen::Welcome
        } else {
            Screen::FrontDoor
        };
        Wizard {
            context,
            screen,
            front_door,
            errand: Errand::setup(),
            new_profile_name: Field::plain(),
            last_recheck: None,
            flow: chosen,
            flow_fixed: flow.is_some(),
            flow_cursor: flow_index(chosen),
            checklist_done: vec![false; scope_checklist(chosen).len()],
            checklist_cursor: 0,
            draft: Draft::new(chosen.kind()),
            check: None,
            next_check_id: 1,
            credential: None,
            report: None,
            menu_cursor: 0,
            save: SaveState::NotYet,
            revealed_for_copy: false,
            handover: Handover::NothingCopied,
            dialog: None,
            help: false,
            notice: None,
            scroll: 0,
            viewport: (80, 24),
            spinner: 0,
            quit: false,
        }
    }

    pub fn flow_model(&self) -> &'static Flow {
        guide().flow(self.flow)
    }

    pub fn kind(&self) -> CredentialKind {
        self.flow.kind()
    }

    /// A check, a save or a keyring read is running: the spinner needs ticks.
    pub fn is_busy(&self) -> bool {
        matches!(self.screen, Screen::Checking | Screen::Saving) || self.errand.reading().is_some()
    }

    /// A text field has the keyboard: letters are typed, not commands.
    pub fn in_text_field(&self) -> bool {
        matches!(
            self.screen,
            Screen::Step(StepId::Connect) | Screen::NewProfile
        ) && self.dialog.is_none()
            && !self.help
    }

    /// The profile the errand is about: the one a setup stores into (named on the front door, else
    /// `--profile`'s), or the stored one re-checked or rotated.
    pub fn profile(&self) -> &str {
        self.errand.profile(&self.context)
    }

    /// A credential passed a check (ok or limited), or storing it failed, and it is not stored: quitting would
    /// lose it.
    pub fn has_unsaved_verified_work(&self) -> bool {
        let verified = self
            .report
            .as_ref()
            .is_some_and(|report| matches!(report.verdict, Verdict::Ok | Verdict::Limited));
        let kept_after_failure = matches!(self.save, SaveState::Failed { .. });
        // A re-checked stored credential is already stored.
        (verified || kept_after_failure)
            && !matches!(self.errand, Errand::Recheck(_))
            && self.credential.is_some()
            && !matches!(self.save, SaveState::Saved(_))
    }

    /// The menu of the current screen.
    pub fn menu(&self) -> Vec<MenuItem> {
        match self.screen {
            Screen::Result => {
                let Some(verdict) = self.report.as_ref().map(|report| report.verdict) else {
                    return Vec::new();
                };
                let items = self.errand.result_menu(verdict, self.kind());
                // A verified credential that is not stored yet can be handed over to StackOne (and any
                // integration) as well.
                let verified = matches!(verdict, Verdict::Ok | Verdict::Limited);
                match self.errand {
                    Errand::Recheck(_) => items,
                    _ if !verified => items,
                    // Only a new credential may go to the team's store: a rotation stays where it is.
                    Errand::Setup { .. } => self.with_team_store(self.with_handover(items)),
                    Errand::Rotate(_) => self.with_handover(items),
                }
            }
            Screen::SaveFailed => {
                let failed = match &self.save {
                    SaveState::Failed { store, .. } => Some(*store),
                    _ => None,
                };
                let mut items = vec![MenuItem::RetrySave];
                // Offer every other store the user could use here, not the one that just failed.
                if self.errand.offers_other_stores() {
                    let stores = [Some(self.context.store), self.context.alternative_store];
                    for store in stores.into_iter().flatten() {
                        if Some(store) != failed {
                            items.push(MenuItem::UseStore(store));
                        }
                    }
                }
                items.push(MenuItem::RevealToCopy);
                items.push(MenuItem::QuitWithoutSaving);
                items
            }
            _ => Vec::new(),
        }
    }

    /// A verified credential's menu, with the hand-over to StackOne after its first item; once something
    /// was sent to the clipboard, the reveal follows as the fallback for terminals that refuse OSC 52.
    fn with_handover(&self, mut items: Vec<MenuItem>) -> Vec<MenuItem> {
        let mut handover = vec![MenuItem::CopyForStackOne];
        if self.handover != Handover::NothingCopied {
            handover.push(MenuItem::RevealToCopy);
        }
        items.splice(1..1, handover);
        items
    }

    /// A new credential's menu with the team's store offered right after the first store's item.
    fn with_team_store(&self, mut items: Vec<MenuItem>) -> Vec<MenuItem> {
        if let Some(team) = self.context.team_store {
            items.insert(1, MenuItem::UseStore(team));
        }
        items
    }

    /// The unticked items of the Scopes checklist, by index.
    pub fn unticked(&self) -> Vec<usize> {
        self.checklist_done
            .iter()
            .enumerate()
            .filter(|(_, ticked)| !**ticked)
            .map(|(index, _)| index)
            .collect()
    }

    /// A fresh id for the next check.
    pub(crate) fn take_check_id(&mut self) -> CheckId {
        let id = self.next_check_id;
        self.next_check_id += 1;
        id
    }

    /// Switch to another flow: the checklist and the draft belong to the flow, so they start over.
    pub(crate) fn set_flow(&mut self, flow: FlowId) {
        if flow != self.flow {
            self.flow = flow;
            self.checklist_done = vec![false; scope_checklist(flow).len()];
            self.checklist_cursor = 0;
            self.draft = Draft::new(flow.kind());
            self.credential = None;
            self.report = None;
            self.check = None;
        }
        self.flow_cursor = flow_index(flow);
    }
}

/// Position of a flow in the guide's order (the Welcome screen's list).
pub fn flow_index(flow: FlowId) -> usize {
    guide()
        .flows
        .iter()
        .position(|candidate| candidate.id == flow)
        .expect("both flows are in the guide")
}
