//! Connect: the ID field (service user only) and the masked token field, with the shared validation inline.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::credential::CredentialKind;
use crate::hibob::permissions::permission_names;
use crate::steps::StepId;
use crate::validate::{InputNotice, validate_service_user_id, validate_token};
use crate::wizard::field::Field;
use crate::wizard::state::{Draft, Errand, Focus, Wizard};
use crate::wizard::texts::{fill, texts};
use crate::wizard::theme::Theme;
use crate::wizard::view::steps::retired_note;
use crate::wizard::view::{Body, text};

pub fn body(wizard: &Wizard, theme: &Theme, width: usize) -> Body {
    let model = wizard.flow_model().step(StepId::Connect);
    let mut body = Body::new(&model.title);
    let intro = match &wizard.errand {
        Errand::Rotate(rotation) => fill(
            &texts().front_door.rotate_intro,
            &[
                ("profile", &rotation.profile),
                ("service_users", &permission_names().service_users),
                ("id", wizard.draft.id.value()),
                ("api", rotation.api_url.as_str()),
            ],
        ),
        Errand::Setup { .. } | Errand::Recheck(_) => model.text.clone(),
    };
    body.lines.extend(text::wrap(&intro, width, theme.text));
    let draft = &wizard.draft;
    let said = &texts().connect;

    if wizard.kind() == CredentialKind::ServiceUser {
        let notices = validate_service_user_id(draft.id.value()).map(|valid| valid.notices);
        let view = field_view(&said.id_label, &draft.id, draft, Focus::Id, notices);
        push_field(&mut body, view, theme, width);
    }
    let label = if draft.token.is_visible() {
        &said.token_label_shown
    } else {
        &said.token_label_hidden
    };
    let notices = validate_token(draft.token.value()).map(|valid| valid.notices);
    let view = field_view(label, &draft.token, draft, Focus::Token, notices);
    push_field(&mut body, view, theme, width);
    retired_note(wizard, theme, width, &mut body);
    body
}

/// What the validation says about a field, as shown under it.
enum FieldVerdict {
    Silent,
    Valid,
    Note(String),
    Invalid(String),
}

fn draft_verdict(
    field: &Field,
    submitted: bool,
    result: Result<Vec<InputNotice>, crate::validate::InputError>,
) -> FieldVerdict {
    if field.is_empty() && !submitted {
        return FieldVerdict::Silent;
    }
    match result {
        Err(error) => FieldVerdict::Invalid(error.to_string()),
        Ok(notices) if notices.is_empty() => FieldVerdict::Valid,
        Ok(notices) => FieldVerdict::Note(
            notices
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        ),
    }
}

/// One field of the draft with what its validation says.
fn field_view<'a>(
    label: &str,
    field: &'a Field,
    draft: &Draft,
    focus: Focus,
    notices: Result<Vec<InputNotice>, crate::validate::InputError>,
) -> FieldView<'a> {
    FieldView {
        label: label.to_string(),
        field,
        focused: draft.focus == focus,
        verdict: draft_verdict(field, draft.submitted, notices),
    }
}

struct FieldView<'a> {
    label: String,
    field: &'a Field,
    focused: bool,
    verdict: FieldVerdict,
}

/// A blank line, the field's label, its input line and what its validation says.
fn push_field(body: &mut Body, view: FieldView, theme: &Theme, width: usize) {
    body.lines.push(Line::default());
    let start = body.lines.len();
    let label_style = if view.focused {
        theme.title
    } else {
        theme.text
    };
    body.lines.push(Line::styled(view.label, label_style));
    // The input line: "› [" then the text on a field background as wide as the screen allows, then "]".
    // The brackets keep an empty field visible without colour.
    let input_width = width.saturating_sub(4).max(1);
    let (shown, cursor) = view.field.display(input_width);
    let input_style = if view.focused {
        theme.input_focused
    } else {
        theme.input
    };
    let marker = if view.focused { "› " } else { "  " };
    body.lines.push(Line::from(vec![
        Span::styled(marker, theme.title),
        Span::styled("[", theme.dim),
        Span::styled(text::fit(&shown, input_width), input_style),
        Span::styled("]", theme.dim),
    ]));
    if view.focused {
        body.cursor = Some((body.lines.len() - 1, 3 + cursor as u16));
    }
    let (message, style): (String, Style) = match view.verdict {
        FieldVerdict::Silent => (String::new(), theme.dim),
        FieldVerdict::Valid => (format!("✓ {}", texts().connect.valid), theme.ok),
        FieldVerdict::Note(note) => (format!("! {note}"), theme.warning),
        FieldVerdict::Invalid(error) => (format!("✗ {error}"), theme.error),
    };
    if message.is_empty() {
        body.lines.push(Line::default());
    } else {
        body.lines
            .extend(text::indented(&message, width, "  ", "    ", style));
    }
    if view.focused {
        body.focus = Some(start..body.lines.len());
    }
}
