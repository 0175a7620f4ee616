//! What the user is doing in the wizard right now: setting a credential up, re-checking a stored one, or
//! rotating a stored service user's token. It is one value, so the steps walked, where a check goes, what
//! the result offers and which texts are shown all follow from it, and no screen can speak of a step the
//! user never saw.

use crate::credential::CredentialKind;
use crate::hibob::{ApiUrl, Verdict};
use crate::steps::StepId;
use crate::store::StoreChoice;
use crate::wizard::state::front_door::{NewProfile, StoredTarget};
use crate::wizard::state::{Context, MenuItem};

#[derive(Debug, Clone)]
pub enum Errand {
    /// The guided setup: the five steps, a check, then storing the credential as `--profile`'s profile or,
    /// when named on the front door, as `into`.
    Setup { into: Option<NewProfile> },
    /// A stored profile's credential checked again: nothing is stored, the result is recorded.
    Recheck(Recheck),
    /// A stored service user's new token: its ID is fixed, only the token is entered, and it replaces the
    /// old one (in the store its record names) only once it passed its check.
    Rotate(StoredTarget),
}

/// How far a re-check got.
// One value lives in the wizard's state and moves only when the errand changes: boxing the larger
// variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Recheck {
    /// The credential of this profile is being read from its store.
    Reading(String),
    /// Read: checked against the API its record remembers.
    Read(StoredTarget),
}

/// Where a credential the errand checked is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveTarget {
    pub profile: String,
    pub store: StoreChoice,
}

impl Errand {
    /// The setup of `--profile`'s own profile.
    pub fn setup() -> Errand {
        Errand::Setup { into: None }
    }

    /// The steps the user walks, in order (a re-check walks none: its credential is stored).
    pub fn steps(&self) -> &'static [StepId] {
        match self {
            Errand::Setup { .. } => &StepId::ALL,
            Errand::Rotate(_) => &[StepId::Connect],
            Errand::Recheck(_) => &[],
        }
    }

    /// The stored profile the errand works on, once it is known.
    pub fn stored(&self) -> Option<&StoredTarget> {
        match self {
            Errand::Recheck(Recheck::Read(target)) | Errand::Rotate(target) => Some(target),
            Errand::Setup { .. } | Errand::Recheck(Recheck::Reading(_)) => None,
        }
    }

    /// The profile whose credential is being read from its store, if any.
    pub fn reading(&self) -> Option<&str> {
        match self {
            Errand::Recheck(Recheck::Reading(profile)) => Some(profile),
            _ => None,
        }
    }

    /// The profile this errand checks a credential for.
    pub fn profile<'a>(&'a self, context: &'a Context) -> &'a str {
        match self {
            Errand::Setup { into: Some(new) } => &new.name,
            Errand::Setup { into: None } => &context.profile,
            Errand::Recheck(Recheck::Reading(profile)) => profile,
            Errand::Recheck(Recheck::Read(target)) | Errand::Rotate(target) => &target.profile,
        }
    }

    /// The API this errand's checks go to: the one a stored profile remembers, the one a newly named
    /// profile was given, else the one the wizard was started for.
    pub fn api_url<'a>(&'a self, context: &'a Context) -> &'a ApiUrl {
        match self {
            Errand::Setup { into: Some(new) } => &new.api_url,
            Errand::Recheck(Recheck::Read(target)) | Errand::Rotate(target) => &target.api_url,
            Errand::Setup { into: None } | Errand::Recheck(Recheck::Reading(_)) => &context.api_url,
        }
    }

    /// Where a checked credential goes, in the store the user chose (`chosen`): a rotated token replaces the
    /// old one in the store its record names; a re-checked credential is stored already.
    pub fn save_target(&self, context: &Context, chosen: StoreChoice) -> Option<SaveTarget> {
        let store = match self {
            Errand::Setup { .. } => chosen,
            Errand::Rotate(target) => target.record.store,
            Errand::Recheck(_) => return None,
        };
        Some(SaveTarget {
            profile: self.profile(context).to_string(),
            store,
        })
    }

    /// Whether the user types the service-user ID (a rotation keeps the stored one).
    pub fn enters_id(&self, kind: CredentialKind) -> bool {
        kind == CredentialKind::ServiceUser && matches!(self, Errand::Setup { .. })
    }

    /// Whether another store than the one that failed may be offered: not for a rotation, whose old token
    /// would stay behind in the store its record names.
    pub fn offers_other_stores(&self) -> bool {
        !matches!(self, Errand::Rotate(_))
    }

    /// The Result screen's choices for a check that ended in `verdict`, before the hand-over to StackOne
    /// (which `Wizard::menu` adds where a credential is verified and not stored yet).
    pub fn result_menu(&self, verdict: Verdict, kind: CredentialKind) -> Vec<MenuItem> {
        match self {
            // Stored already: nothing to store; check it again (after a fix in HiBob) or go back.
            Errand::Recheck(_) => match verdict {
                Verdict::Ok | Verdict::Rejected => vec![MenuItem::BackToFrontDoor],
                _ => vec![MenuItem::RetryCheck, MenuItem::BackToFrontDoor],
            },
            // A new token replaces a working one only once it passed its check: no storing unverified,
            // and there is no Scopes step to go back to.
            Errand::Rotate(_) => match verdict {
                Verdict::Ok => vec![MenuItem::Save],
                Verdict::Limited => vec![MenuItem::SaveAnyway, MenuItem::RetryCheck],
                Verdict::Rejected => vec![MenuItem::BackToConnect],
                Verdict::Blocked | Verdict::Unverifiable => {
                    vec![MenuItem::RetryCheck, MenuItem::BackToConnect]
                }
            },
            Errand::Setup { .. } => match verdict {
                Verdict::Ok => vec![MenuItem::Save],
                // Fixed in HiBob meanwhile? Check again with the credential in memory.
                Verdict::Limited => vec![
                    MenuItem::SaveAnyway,
                    MenuItem::RetryCheck,
                    MenuItem::BackToScopes,
                ],
                Verdict::Rejected => match kind {
                    CredentialKind::ApiToken => {
                        vec![MenuItem::SwitchToServiceUser, MenuItem::BackToConnect]
                    }
                    CredentialKind::ServiceUser => {
                        vec![MenuItem::BackToConnect, MenuItem::BackToScopes]
                    }
                },
                Verdict::Blocked => vec![MenuItem::RetryCheck, MenuItem::BackToConnect],
                Verdict::Unverifiable => vec![
                    MenuItem::RetryCheck,
                    MenuItem::SaveUnverified,
                    MenuItem::BackToConnect,
                ],
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every errand's menu only offers steps that errand has: a rotation or a re-check never sends the
    /// user back to a Scopes step it never walked.
    #[test]
    fn a_result_menu_goes_back_only_to_steps_the_errand_has() {
        let verdicts = [
            Verdict::Ok,
            Verdict::Limited,
            Verdict::Rejected,
            Verdict::Blocked,
            Verdict::Unverifiable,
        ];
        const SANDBOX: &str = "https://api.sandbox.hibob.com";
        let stored = || StoredTarget {
            profile: "sandbox".to_string(),
            record: crate::store::ProfileRecord::example(SANDBOX),
            api_url: ApiUrl::parse(SANDBOX).unwrap(),
        };
        let errands = [
            Errand::setup(),
            Errand::Recheck(Recheck::Read(stored())),
            Errand::Rotate(stored()),
        ];
        for errand in &errands {
            for verdict in verdicts {
                for kind in [CredentialKind::ServiceUser, CredentialKind::ApiToken] {
                    for item in errand.result_menu(verdict, kind) {
                        let step = match item {
                            MenuItem::BackToScopes => StepId::Scopes,
                            MenuItem::BackToConnect => StepId::Connect,
                            _ => continue,
                        };
                        assert!(
                            errand.steps().contains(&step),
                            "{errand:?} {verdict:?}: {item:?}"
                        );
                    }
                }
            }
        }
    }
}
