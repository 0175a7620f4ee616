//! Checking: one row per scope, filled in as each probe answers; and the scope table the Result reuses.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::hibob::report::{classify, placement_of};
use crate::hibob::{Probe, Report, Scope, ScopeStatus};
use crate::wizard::state::Wizard;
use crate::wizard::texts::{fill, texts};
use crate::wizard::theme::Theme;
use crate::wizard::view::{Body, spinner, text};

/// The longest scope name, so the table's columns line up.
const NAME_WIDTH: usize = 39;
/// Below this width a row's detail goes on its own line.
const WIDE: usize = 70;

pub fn body(wizard: &Wizard, theme: &Theme, width: usize) -> Body {
    let said = &texts().checking;
    let mut body = Body::new(&texts().title.checking);
    body.lines.extend(text::wrap(
        &fill(
            &said.intro,
            &[("api", wizard.errand.api_url(&wizard.context).as_str())],
        ),
        width,
        theme.text,
    ));
    if let Some(credential) = &wizard.credential {
        body.lines.extend(text::indented(
            &credential.identity(),
            width,
            &said.credential_label,
            "  ",
            theme.dim,
        ));
    }
    body.lines.push(Line::default());
    let Some(live) = &wizard.check else {
        return body;
    };
    let answered = |probe: Probe| {
        live.rows
            .iter()
            .find(|row| row.probe == probe)
            .and_then(|row| row.answer.as_ref())
    };
    // Which category a people search field proves comes from the field metadata: a people row waits for it.
    let placement = placement_of(live.rows.iter().filter_map(|row| row.answer.as_ref()));
    let metadata_known = answered(Probe::Fields).is_some();
    for scope in Scope::ALL {
        let row = match Probe::for_scope(scope) {
            None => TableRow::not_checked(scope, &said.never_probed),
            Some(probe) => {
                match answered(probe).filter(|_| probe != Probe::People || metadata_known) {
                    Some(result) => {
                        let finding = classify(live.kind, scope, result, placement);
                        TableRow::answered(scope, finding.status, &finding.detail)
                    }
                    None => TableRow {
                        mark: spinner(wizard).to_string(),
                        scope,
                        status: None,
                        detail: fill(&said.probing, &[("endpoint", &probe.endpoint())]),
                    },
                }
            }
        };
        body.lines.extend(row.lines(theme, width));
    }
    body
}

/// One line (or two, when narrow) of the scope table.
pub struct TableRow {
    pub mark: String,
    pub scope: Scope,
    /// `None` while the probe is still running.
    pub status: Option<ScopeStatus>,
    pub detail: String,
}

impl TableRow {
    pub fn answered(scope: Scope, status: ScopeStatus, detail: &str) -> Self {
        TableRow {
            mark: status.mark().to_string(),
            scope,
            status: Some(status),
            detail: detail.to_string(),
        }
    }

    fn not_checked(scope: Scope, detail: &str) -> Self {
        TableRow::answered(scope, ScopeStatus::NotChecked, detail)
    }

    /// The row's lines: the mark, the scope name and the detail, wrapped in its own column when wide, or
    /// under the name when narrow. Never cut: the detail is what says what to do.
    pub fn lines(&self, theme: &Theme, width: usize) -> Vec<Line<'static>> {
        let style = self
            .status
            .map_or(theme.dim, |status| status_style(status, theme));
        let mark = Span::styled(format!("{} ", self.mark), style);
        if width >= WIDE {
            let indent = 2 + NAME_WIDTH + 1;
            let room = width.saturating_sub(indent).max(1);
            let detail = text::wrap(&self.detail, room, style);
            let mut lines = Vec::with_capacity(detail.len());
            for (index, line) in detail.into_iter().enumerate() {
                let mut spans = if index == 0 {
                    vec![
                        mark.clone(),
                        Span::styled(
                            format!("{} ", text::fit(self.scope.name(), NAME_WIDTH)),
                            theme.text,
                        ),
                    ]
                } else {
                    vec![Span::raw(" ".repeat(indent))]
                };
                spans.extend(line.spans);
                lines.push(Line::from(spans));
            }
            lines
        } else {
            let mut lines = vec![Line::from(vec![
                mark,
                Span::styled(text::truncate(self.scope.name(), width - 2), theme.text),
            ])];
            lines.extend(text::indented(&self.detail, width, "    ", "    ", style));
            lines
        }
    }
}

/// The report's table, one row per scope.
pub fn report_table(report: &Report, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    report
        .permissions
        .iter()
        .flat_map(|row| TableRow::answered(row.scope, row.status, &row.detail).lines(theme, width))
        .collect()
}

fn status_style(status: ScopeStatus, theme: &Theme) -> Style {
    match status {
        ScopeStatus::Granted => theme.ok,
        ScopeStatus::Missing => theme.error,
        ScopeStatus::Partial
        | ScopeStatus::Empty
        | ScopeStatus::Unproven
        | ScopeStatus::Unavailable
        | ScopeStatus::Unknown => theme.warning,
        ScopeStatus::NotChecked => theme.dim,
    }
}
