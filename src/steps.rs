//! The documented steps as data. Both flows live in `assets/`, are embedded at build time and parsed once;
//! `guide`, the wizard and the tests all render this one model. Changing a sentence never touches Rust.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::credential::CredentialKind;
use crate::hibob::Scope;

const SERVICE_USER_FLOW: &str = include_str!("../assets/steps/service-user.toml");
const API_TOKEN_FLOW: &str = include_str!("../assets/steps/api-token.toml");
const GUIDE: &str = include_str!("../assets/guide.toml");

/// The five steps, the same in both flows, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepId {
    Login,
    Generate,
    Scopes,
    Copy,
    Connect,
}

impl StepId {
    pub const ALL: [StepId; 5] = [
        StepId::Login,
        StepId::Generate,
        StepId::Scopes,
        StepId::Copy,
        StepId::Connect,
    ];

    /// 1-based position, for "Step 3 of 5".
    pub fn number(self) -> usize {
        StepId::ALL
            .iter()
            .position(|step| *step == self)
            .expect("listed")
            + 1
    }
}

/// Which flow: the same identifiers as [`CredentialKind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum FlowId {
    ServiceUser,
    ApiToken,
}

impl FlowId {
    pub fn kind(self) -> CredentialKind {
        match self {
            FlowId::ServiceUser => CredentialKind::ServiceUser,
            FlowId::ApiToken => CredentialKind::ApiToken,
        }
    }
}

/// Whether HiBob still accepts credentials made by a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlowStatus {
    Current,
    Retired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: StepId,
    pub title: String,
    pub text: String,
    #[serde(default)]
    pub checklist: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub id: FlowId,
    pub title: String,
    pub summary: String,
    pub status: FlowStatus,
    pub status_note: String,
    pub steps: Vec<Step>,
}

impl Flow {
    pub fn step(&self, id: StepId) -> &Step {
        self.steps
            .iter()
            .find(|step| step.id == id)
            .expect("every flow has all five steps (checked when parsed)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Troubleshooting {
    /// The error text as the user sees it.
    pub error: String,
    pub fixes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// Everything the instructions say, in the order they are shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guide {
    pub flows: Vec<Flow>,
    pub troubleshooting: Vec<Troubleshooting>,
    pub links: Vec<Link>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GuideFile {
    flow_order: Vec<FlowId>,
    troubleshooting: Vec<Troubleshooting>,
    links: Vec<Link>,
}

/// Why the step assets could not be used. Only reachable by editing `assets/` badly; tests catch it.
#[derive(Debug, thiserror::Error)]
pub enum StepsError {
    #[error("{file}: {source}")]
    Parse {
        file: &'static str,
        source: toml::de::Error,
    },
    #[error(
        "{file}: the steps must be exactly login, generate, scopes, copy, connect in that order"
    )]
    StepOrder { file: &'static str },
    #[error("{file}: the flow's id must be \"{expected}\"")]
    FlowId {
        file: &'static str,
        expected: &'static str,
    },
    #[error("guide.toml: flow_order must name each flow once")]
    FlowOrder,
}

impl Guide {
    /// Parse the guide from its sources. Public so that tests and fuzzing can feed it other text.
    pub fn parse(service_user: &str, api_token: &str, guide: &str) -> Result<Guide, StepsError> {
        let parse_flow = |file: &'static str, expected: FlowId, text: &str| {
            let flow: Flow =
                toml::from_str(text).map_err(|source| StepsError::Parse { file, source })?;
            // Each file must hold its own flow: two flows with one id would leave the other missing.
            if flow.id != expected {
                return Err(StepsError::FlowId {
                    file,
                    expected: expected.kind().id(),
                });
            }
            let ids: Vec<StepId> = flow.steps.iter().map(|step| step.id).collect();
            if ids != StepId::ALL {
                return Err(StepsError::StepOrder { file });
            }
            Ok(flow)
        };
        let mut flows = vec![
            parse_flow("service-user.toml", FlowId::ServiceUser, service_user)?,
            parse_flow("api-token.toml", FlowId::ApiToken, api_token)?,
        ];
        let file: GuideFile = toml::from_str(guide).map_err(|source| StepsError::Parse {
            file: "guide.toml",
            source,
        })?;
        let mut order = file.flow_order.clone();
        order.sort_by_key(|id| *id as u8);
        order.dedup();
        if order.len() != flows.len() || file.flow_order.len() != flows.len() {
            return Err(StepsError::FlowOrder);
        }
        flows.sort_by_key(|flow| file.flow_order.iter().position(|id| *id == flow.id));
        Ok(Guide {
            flows,
            troubleshooting: file.troubleshooting,
            links: file.links,
        })
    }

    pub fn flow(&self, id: FlowId) -> &Flow {
        self.flows
            .iter()
            .find(|flow| flow.id == id)
            .expect("both flows are present (checked when parsed)")
    }
}

/// The guide embedded in the binary, parsed on first use.
pub fn guide() -> &'static Guide {
    static GUIDE_MODEL: OnceLock<Guide> = OnceLock::new();
    GUIDE_MODEL.get_or_init(|| {
        Guide::parse(SERVICE_USER_FLOW, API_TOKEN_FLOW, GUIDE)
            .expect("the embedded step assets are valid (a unit test proves it)")
    })
}

/// The scope a checklist item stands for, when it names one (the scopes step of either flow).
pub fn scope_named_in(item: &str) -> Option<Scope> {
    Scope::ALL
        .into_iter()
        .find(|scope| item == scope.name() || item.ends_with(&format!("({})", scope.name())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_assets_parse() {
        let guide = guide();
        assert_eq!(guide.flows[0].id, FlowId::ServiceUser);
        assert_eq!(guide.flows[1].id, FlowId::ApiToken);
    }

    #[test]
    fn both_scope_steps_name_all_six_scopes() {
        for flow in &guide().flows {
            let named: Vec<Scope> = flow
                .step(StepId::Scopes)
                .checklist
                .iter()
                .filter_map(|item| scope_named_in(item))
                .collect();
            assert_eq!(named, Scope::ALL.to_vec(), "{:?}", flow.id);
        }
    }

    /// The service-user checklist names HiBob's permissions exactly as the fixes in reports do: both come
    /// from `assets/permissions.toml`'s names.
    #[test]
    fn the_service_user_checklist_names_the_permissions_the_reports_name() {
        let checklist = &guide()
            .flow(FlowId::ServiceUser)
            .step(StepId::Scopes)
            .checklist;
        for scope in Scope::ALL {
            let permission = scope.service_user_permission();
            if !permission.starts_with("People's data >") {
                continue; // "none needed" and the undocumented one are worded for a checklist there
            }
            let expected = format!("{permission} ({})", scope.name());
            assert!(checklist.contains(&expected), "{expected}");
        }
    }

    #[test]
    fn each_file_must_hold_its_own_flow() {
        // Found by the property tests: a service-user file saying `id = "api-token"` used to parse, and
        // `Guide::flow(FlowId::ServiceUser)` then panicked.
        let wrong = SERVICE_USER_FLOW.replacen("id = \"service-user\"", "id = \"api-token\"", 1);
        let err = Guide::parse(&wrong, API_TOKEN_FLOW, GUIDE).unwrap_err();
        assert!(matches!(
            err,
            StepsError::FlowId {
                file: "service-user.toml",
                ..
            }
        ));
        assert_eq!(
            err.to_string(),
            "service-user.toml: the flow's id must be \"service-user\""
        );
        let wrong = API_TOKEN_FLOW.replacen("id = \"api-token\"", "id = \"service-user\"", 1);
        assert!(matches!(
            Guide::parse(SERVICE_USER_FLOW, &wrong, GUIDE),
            Err(StepsError::FlowId {
                file: "api-token.toml",
                ..
            })
        ));
    }

    #[test]
    fn step_order_is_enforced() {
        let swapped = API_TOKEN_FLOW.replacen("id = \"login\"", "id = \"copy\"", 1);
        assert!(matches!(
            Guide::parse(SERVICE_USER_FLOW, &swapped, GUIDE),
            Err(StepsError::StepOrder { .. })
        ));
    }
}
