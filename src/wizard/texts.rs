//! The wizard's own sentences, kept as data in `assets/wizard.toml` like the steps are in `assets/steps/`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::steps::{FlowId, StepId, guide, scope_named_in};
use crate::store::StoreChoice;
use crate::wizard::hints::{HelpLine, Hint, KeyText};

const WIZARD_TEXTS: &str = include_str!("../../assets/wizard.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub header: Header,
    footer: BTreeMap<Hint, KeyText>,
    help: BTreeMap<HelpLine, KeyText>,
    pub title: Titles,
    pub front_door: FrontDoorTexts,
    pub welcome: Welcome,
    pub steps: Steps,
    pub login: Login,
    pub scopes: Scopes,
    unticked: BTreeMap<String, BTreeMap<String, String>>,
    pub connect: Connect,
    pub checking: Checking,
    pub result: ResultTexts,
    pub saving: Saving,
    pub done: Done,
    pub save_failed: SaveFailed,
    pub too_small: TooSmall,
    pub quit: Quit,
    pub notice: Notices,
    pub menu: Menu,
    pub summary: Summary,
}

/// The line above every screen (see `assets/wizard.toml` for the placeholders).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub program: String,
    pub guided_setup: String,
    pub service_user: String,
    pub api_token: String,
    pub stored: String,
    pub welcome: String,
    pub step: String,
    pub check: String,
    pub storing: String,
    pub done: String,
    pub recheck: String,
    pub rotate: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Titles {
    pub welcome: String,
    pub checking: String,
    pub result: String,
    /// Has a `{verdict}` placeholder.
    pub result_with_verdict: String,
    pub saving: String,
    pub done: String,
    pub save_failed: String,
    pub confirm_quit: String,
    pub save_unverified: String,
    pub help: String,
}

/// The front door's sentences (see `assets/wizard.toml` for their placeholders).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontDoorTexts {
    pub title: String,
    pub intro: String,
    pub profile: String,
    pub credential: String,
    pub api: String,
    pub last_check: String,
    pub never_checked: String,
    pub checked_today: String,
    pub checked_ago: String,
    pub checked_unknown: String,
    pub set_up: String,
    pub set_up_note: String,
    pub new_profile_title: String,
    pub new_profile_intro: String,
    pub new_profile_label: String,
    pub new_profile_replaces: String,
    pub loading: String,
    pub load_failed: String,
    pub recorded_failed: String,
    pub listed_in: String,
    pub team_not_listed: String,
    pub team_no_answer: String,
    pub delete_title: String,
    pub delete_question: String,
    pub deleted: String,
    pub delete_failed: String,
    pub back: String,
    pub rotate_unknown: String,
    pub rotate_api_token: String,
    pub rotation_cancelled: String,
    pub rotate_intro: String,
    pub rotated: String,
    pub rotate_save: String,
    pub summary_checked: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Welcome {
    pub intro: String,
    pub admin_warning: String,
    pub choose: String,
    pub recommended: String,
    pub flow_label: String,
    /// Has a `{flow}` placeholder.
    pub flow_fixed: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Steps {
    pub before_you_continue: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub url: String,
    /// Has a `{reason}` placeholder.
    pub no_browser: String,
    pub no_browser_ssh: String,
    pub no_browser_display: String,
    /// Has a `{url}` placeholder, like `link_with_browser`.
    pub link: String,
    pub link_with_browser: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scopes {
    pub save_reminder: String,
    pub save_reminder_api_token: String,
    pub save_item: String,
    pub unticked_title: String,
    pub unticked_intro: String,
    /// Has `{done}` and `{total}` placeholders.
    pub progress: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connect {
    pub id_label: String,
    pub token_label_shown: String,
    pub token_label_hidden: String,
    pub valid: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checking {
    /// Has an `{api}` placeholder.
    pub intro: String,
    pub credential_label: String,
    pub never_probed: String,
    /// Has an `{endpoint}` placeholder.
    pub probing: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultTexts {
    /// Has `{identity}` and `{api}` placeholders.
    pub identity: String,
    pub ok_title: String,
    pub limited_title: String,
    pub limited_note: String,
    pub rejected_save_unticked: String,
    pub unverifiable_title: String,
    pub unverifiable_note: String,
    pub blocked_title: String,
    pub blocked_note: String,
    pub save_unverified_question: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Saving {
    /// Has a `{store}` placeholder.
    pub working: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Done {
    pub title: String,
    pub profile: String,
    pub stored_in: String,
    pub credential: String,
    pub check: String,
    pub next: String,
    pub check_command: String,
    pub header_command: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveFailed {
    pub title: String,
    /// Has a `{store}` placeholder.
    pub store_failed: String,
    /// When the menu offers another store.
    pub kept: String,
    pub kept_no_other_store: String,
    /// Has a `{profile}` placeholder.
    pub rotation_unchanged: String,
    pub reveal_warning: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TooSmall {
    /// Has `{min}` and `{now}` placeholders.
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quit {
    pub unsaved: String,
    pub saving: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notices {
    pub browser_opening: String,
    pub browser_opened: String,
    pub browser_failed: String,
    pub copy_hint: String,
    pub url_copied: String,
    pub check_cancelled: String,
    /// Has an `{error}` placeholder.
    pub check_not_started: String,
    pub saving_not_cancellable: String,
    pub fix_id: String,
    pub fix_token: String,
    pub fix_permissions: String,
    pub fix_scopes: String,
    pub switched_to_service_user: String,
    pub paste_trimmed_id: String,
    pub paste_trimmed_token: String,
    pub handover_id: String,
    pub handover_token: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Menu {
    pub save: String,
    pub save_anyway: String,
    pub save_anyway_api_token: String,
    pub back_to_scopes: String,
    pub back_to_scopes_api_token: String,
    pub back_to_connect: String,
    pub switch_to_service_user: String,
    pub retry_check: String,
    pub copy_id: String,
    pub copy_token: String,
    pub save_unverified: String,
    pub retry_save: String,
    pub use_store: String,
    pub reveal: String,
    pub hide: String,
    pub quit: String,
    pub what_to_try: String,
    pub switch_now: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub finishing_save: String,
    pub stored: String,
    /// Has a `{profile}` placeholder.
    pub profile_line: String,
    /// Has an `{identity}` placeholder.
    pub credential_line: String,
    pub next: String,
    pub save_failed: String,
    pub quit_while_saving: String,
    pub last_check_failed: String,
    pub quit_before_saving: String,
    pub nothing_checked: String,
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

impl Texts {
    /// A footer hint's key legend and words (the key table's tests prove each hint has its entry).
    pub fn footer_hint(&self, hint: Hint) -> &KeyText {
        &self.footer[&hint]
    }

    /// Every footer hint that has a text.
    pub fn footer_hints(&self) -> impl Iterator<Item = Hint> + '_ {
        self.footer.keys().copied()
    }

    /// The help overlay's lines, in their order.
    pub fn help_lines(&self) -> impl Iterator<Item = (HelpLine, &KeyText)> {
        self.help.iter().map(|(line, text)| (*line, text))
    }

    /// What stays broken while a Scopes checklist item is not done, or `None` when nothing does.
    pub fn unticked_consequence(&self, flow: FlowId, item: &str) -> Option<&str> {
        let table = self.unticked.get(flow_key(flow))?;
        let key = scope_named_in(item).map_or(item, |scope| scope.name());
        table
            .get(key)
            .map(String::as_str)
            .filter(|text| !text.is_empty())
    }

    /// Whether `item` is the checklist item that stands for clicking Save.
    pub fn is_save_item(&self, item: &str) -> bool {
        item == self.scopes.save_item
    }
}

fn flow_key(flow: FlowId) -> &'static str {
    flow.kind().id()
}

/// The texts embedded in the binary, parsed on first use.
pub fn texts() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    TEXTS.get_or_init(|| {
        toml::from_str(WIZARD_TEXTS).expect("assets/wizard.toml is valid (a unit test proves it)")
    })
}

/// The checklist of the Scopes step of a flow.
pub fn scope_checklist(flow: FlowId) -> &'static [String] {
    &guide().flow(flow).step(StepId::Scopes).checklist
}

/// How a store is named before it is opened.
pub fn store_label(store: StoreChoice) -> &'static str {
    match store {
        StoreChoice::Native => "the OS keyring",
        StoreChoice::Keyutils => "the Linux kernel keyring",
        StoreChoice::Vault => "your team's Vault",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_texts_parse() {
        let texts: Texts = toml::from_str(WIZARD_TEXTS).unwrap();
        assert_eq!(texts.result.ok_title, "Congratulations, you're all set!");
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        assert_eq!(
            fill(
                &texts().menu.save,
                &[("store", "the OS keyring"), ("profile", "p")]
            ),
            "Store it in the OS keyring (profile \"p\")"
        );
        assert_eq!(
            fill("{a} and {a}, not {b}", &[("a", "x")]),
            "x and x, not {b}"
        );
    }

    #[test]
    fn every_scopes_item_has_a_consequence_entry() {
        let texts = texts();
        for flow in [FlowId::ServiceUser, FlowId::ApiToken] {
            let table = &texts.unticked[flow_key(flow)];
            for item in scope_checklist(flow) {
                let key = scope_named_in(item).map_or(item.as_str(), |scope| scope.name());
                assert!(table.contains_key(key), "{flow:?}: no entry for {item:?}");
            }
            assert_eq!(
                table.len(),
                scope_checklist(flow).len(),
                "{flow:?}: entries that match no checklist item"
            );
        }
    }

    #[test]
    fn both_checklists_have_the_save_item() {
        for flow in [FlowId::ServiceUser, FlowId::ApiToken] {
            assert!(
                scope_checklist(flow)
                    .iter()
                    .any(|item| texts().is_save_item(item)),
                "{flow:?}"
            );
        }
    }

    #[test]
    fn nothing_breaks_without_a_permission_that_is_not_needed() {
        let item = &scope_checklist(FlowId::ServiceUser)[1];
        assert_eq!(
            texts().unticked_consequence(FlowId::ServiceUser, item),
            None
        );
        assert!(
            texts()
                .unticked_consequence(FlowId::ApiToken, "Employee fields read")
                .is_some()
        );
    }
}
