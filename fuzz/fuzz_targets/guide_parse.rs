//! The step assets: the first byte picks which of the three files the rest replaces (the other two stay
//! the real ones), so mutations of the real files (see seeds/guide_parse) reach the model's own rules.
//! Never a panic; a guide that parses always has both flows and all five steps, and renders.
#![no_main]

use hibob_auth::guide_render;
use hibob_auth::steps::{FlowId, Guide, StepId};
use libfuzzer_sys::fuzz_target;

const SERVICE_USER_FLOW: &str = include_str!("../../assets/steps/service-user.toml");
const API_TOKEN_FLOW: &str = include_str!("../../assets/steps/api-token.toml");
const GUIDE: &str = include_str!("../../assets/guide.toml");

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut sources = [SERVICE_USER_FLOW, API_TOKEN_FLOW, GUIDE];
    sources[usize::from(which % 3)] = text;
    let Ok(guide) = Guide::parse(sources[0], sources[1], sources[2]) else {
        return;
    };
    assert_eq!(guide.flows.len(), 2);
    for id in [FlowId::ServiceUser, FlowId::ApiToken] {
        let flow = guide.flow(id);
        let steps: Vec<StepId> = flow.steps.iter().map(|step| step.id).collect();
        assert_eq!(steps, StepId::ALL);
    }
    let width = usize::from(which / 3).max(1);
    let _ = guide_render::render_text(&guide, width);
    let _ = guide_render::render_markdown(&guide);
    let json = guide_render::render_json(&guide);
    serde_json::from_str::<serde_json::Value>(&json).expect("render_json writes JSON");
});
