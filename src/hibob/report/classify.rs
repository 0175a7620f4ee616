//! What one probe's answer says about one scope, before the verdict. Pure.

use crate::credential::CredentialKind;
use crate::hibob::category::{self, Category};
use crate::hibob::fields::Placement;
use crate::hibob::permissions::permission_names;
use crate::hibob::probe::{Answer, AnswerBody, PeopleSeen, Probe, ProbeResult, Seen};
use crate::hibob::report::{Finding, ScopeStatus};
use crate::hibob::scope::Scope;

/// What a probe's answer says about `scope`, before the verdict. Public for the wizard's live rows.
/// `placement` says which category each field of a people search proves ([`placement_of`]).
pub fn classify(
    kind: CredentialKind,
    scope: Scope,
    result: &ProbeResult,
    placement: Placement,
) -> Finding {
    let answer = match &result.outcome {
        Ok(answer) => answer,
        Err(failure) => {
            return Finding::new(
                ScopeStatus::Unknown,
                failure.to_string(),
                format!("no answer: {failure}"),
            );
        }
    };
    let evidence = || format!("HTTP {}", answer.status);
    match answer.status {
        200..=299 => classify_success(kind, scope, answer, placement),
        401 => Finding::new(
            ScopeStatus::Unknown,
            "HiBob did not accept the credential (401)",
            evidence(),
        ),
        403 if result.probe == Probe::Fields || answer.is_html() => Finding::new(
            ScopeStatus::Unknown,
            "HiBob refused a request that is not about permissions (403): this address or credential is blocked; see the summary",
            blocked_evidence(result.probe, answer),
        ),
        403 => Finding::new(
            ScopeStatus::Missing,
            format!(
                "HiBob answered 403: the permission is missing; {}",
                scope.how_to_grant(kind)
            ),
            evidence(),
        ),
        404 => Finding::new(
            ScopeStatus::Unavailable,
            "HiBob answered 404: the module is not active for this company, or HiBob retired this endpoint; the credential itself works and no permission would change this: if the integration needs this module, ask a HiBob admin whether the company has it",
            evidence(),
        ),
        429 => Finding::new(
            ScopeStatus::Unknown,
            "HiBob is rate limiting these requests (429); try again in a minute",
            evidence(),
        ),
        status @ 500..=599 => Finding::new(
            ScopeStatus::Unknown,
            format!("HiBob had a server error ({status}); this says nothing about the credential"),
            evidence(),
        ),
        status => Finding::new(
            ScopeStatus::Unknown,
            format!(
                "HiBob answered an unexpected HTTP {status}{}",
                error_text(answer.text_body())
            ),
            evidence(),
        ),
    }
}

fn blocked_evidence(probe: Probe, answer: &Answer) -> String {
    let page = if answer.is_html() {
        "an HTML page"
    } else {
        "no data"
    };
    match probe {
        Probe::Fields => format!("HTTP 403 with {page} on a request that needs no permission"),
        _ => format!("HTTP 403 with {page}"),
    }
}

fn classify_success(
    kind: CredentialKind,
    scope: Scope,
    answer: &Answer,
    placement: Placement,
) -> Finding {
    let unexpected = || {
        Finding::new(
            ScopeStatus::Unknown,
            format!(
                "HiBob answered {} but the body was not the JSON HiBob documents",
                answer.status
            ),
            format!("HTTP {} with an undocumented body", answer.status),
        )
    };
    let AnswerBody::Seen(seen) = &answer.body else {
        return unexpected();
    };
    match (scope, seen) {
        (Scope::EmployeeFieldsRead, Seen::FieldList { fields, .. }) => Finding::new(
            ScopeStatus::Granted,
            match kind {
                CredentialKind::ServiceUser => {
                    "the credential authenticates (this call needs no permission)"
                }
                CredentialKind::ApiToken => "the field list is readable",
            },
            format!("a list of {}", count_of(*fields, "field")),
        ),
        (Scope::FullEmployeeRead, Seen::People(people)) => classify_people(kind, people, placement),
        (Scope::PayrollInfoRead, Seen::People(people)) => classify_payroll(kind, people, placement),
        (Scope::TimeoffSubmitAndRead, Seen::Absences { any: true }) => Finding::new(
            ScopeStatus::Granted,
            "absences found (none read)",
            "at least one entry in who's out, a year back to a year ahead (its contents were not read)",
        ),
        (Scope::TimeoffSubmitAndRead, Seen::Absences { any: false }) => Finding::new(
            ScopeStatus::Unproven,
            format!(
                "who's out is empty from a year ago to a year ahead: either nobody took or booked time off, or HiBob hides the absences of employees this credential may not see; {}",
                Scope::TimeoffSubmitAndRead.how_to_grant(kind)
            ),
            "an empty list",
        ),
        _ => unexpected(),
    }
}

/// "3 employees; categories root, about, work returned", or the same for the employees read before
/// every asked field had been seen.
fn people_evidence(people: &PeopleSeen, placement: Placement) -> String {
    let categories: Vec<&str> = people
        .categories(placement)
        .into_iter()
        .map(|category| category.id())
        .collect();
    let employees = employees_read(people);
    if categories.is_empty() {
        format!("{employees}; no category returned")
    } else {
        format!("{employees}; categories {} returned", categories.join(", "))
    }
}

/// "3 employees", or "2 employees read until every field was seen" when the rest was not read.
fn employees_read(people: &PeopleSeen) -> String {
    let count = count_of(people.employees, "employee");
    if people.stopped_early {
        format!("{count} read until every field was seen")
    } else {
        count
    }
}

fn no_employees(kind: CredentialKind) -> String {
    match kind {
        CredentialKind::ServiceUser => format!(
            "no employees are visible: {}",
            permission_names().fix_access_data_for()
        ),
        CredentialKind::ApiToken => "no employees are visible to this token".to_string(),
    }
}

/// The Full employee read categories HiBob left out for every employee it returned: the metadata puts an
/// asked field in them, and none came back.
pub fn hidden_categories(people: &PeopleSeen, placement: Placement) -> Vec<Category> {
    Category::FULL_EMPLOYEE_READ
        .into_iter()
        .filter(|category| placement.fields_in(*category).next().is_some())
        .filter(|category| !people.saw(*category, placement))
        .collect()
}

/// The categories in `categories` in which the metadata puts none of the asked fields (the company moved
/// them all elsewhere, or removed them): the check cannot tell whether they are visible.
pub fn unplaced_categories(categories: &[Category], placement: Placement) -> Vec<Category> {
    categories
        .iter()
        .copied()
        .filter(|category| placement.fields_in(*category).next().is_none())
        .collect()
}

/// Why categories could not be proven, as a clause.
fn unproven_because(categories: &[Category]) -> String {
    format!(
        "HiBob's field metadata puts none of the fields the check asks for in {} (this company moved them to other categories), so the check cannot tell whether the credential sees it; to check by hand, open a service user's view in HiBob or ask a HiBob admin which category those fields are in now",
        category::names(categories)
    )
}

fn classify_people(kind: CredentialKind, people: &PeopleSeen, placement: Placement) -> Finding {
    let evidence = people_evidence(people, placement);
    if people.employees == 0 {
        return Finding::new(ScopeStatus::Empty, no_employees(kind), evidence);
    }
    let hidden = hidden_categories(people, placement);
    let unplaced = unplaced_categories(&Category::FULL_EMPLOYEE_READ, placement);
    if hidden.is_empty() && unplaced.is_empty() {
        // Short: the evidence says how many employees; the table's column is narrow.
        return Finding::new(ScopeStatus::Granted, "every category returned", evidence);
    }
    if hidden.is_empty() {
        return Finding::new(
            ScopeStatus::Unproven,
            format!(
                "the other categories returned; {}",
                unproven_because(&unplaced)
            ),
            evidence,
        );
    }
    // Not stopped early: a hidden category means every employee was read.
    let visible = count_of(people.employees, "employee");
    let also = if unplaced.is_empty() {
        String::new()
    } else {
        format!("; besides, {}", unproven_because(&unplaced))
    };
    Finding::new(
        ScopeStatus::Partial,
        format!(
            "HiBob left out the {} fields of all {visible} it returned; {}{also}",
            category::names(&hidden),
            Scope::FullEmployeeRead.how_to_grant_categories(kind, &hidden)
        ),
        evidence,
    )
}

fn classify_payroll(kind: CredentialKind, people: &PeopleSeen, placement: Placement) -> Finding {
    if people.employees == 0 {
        return Finding::new(
            ScopeStatus::Empty,
            format!("{}, so payroll fields cannot show", no_employees(kind)),
            "0 employees",
        );
    }
    let read = employees_read(people);
    if unplaced_categories(&[Category::Payroll], placement).len() == 1 {
        return Finding::new(
            ScopeStatus::Unproven,
            unproven_because(&[Category::Payroll]),
            format!("{read}; no asked field is in the Payroll category"),
        );
    }
    if people.saw(Category::Payroll, placement) {
        return Finding::new(
            ScopeStatus::Granted,
            "the payroll field returned",
            format!("{read}; the payroll field (pay frequency) returned"),
        );
    }
    Finding::new(
        ScopeStatus::Missing,
        format!(
            "HiBob left out the payroll field of every employee it returned; {}",
            Scope::PayrollInfoRead.how_to_grant(kind)
        ),
        format!("{read}; the payroll field (pay frequency) returned for none"),
    )
}

/// How the fields of a people search are placed in categories, from the results so far: by the field
/// metadata when it answered as documented, else by HiBob's default placement.
pub fn placement_of<'a>(results: impl IntoIterator<Item = &'a ProbeResult>) -> Placement<'a> {
    results
        .into_iter()
        .filter(|result| result.probe == Probe::Fields)
        .find_map(|result| match &result.outcome {
            Ok(Answer {
                body: AnswerBody::Seen(Seen::FieldList { places, .. }),
                ..
            }) => Some(Placement::Metadata(places)),
            _ => None,
        })
        .unwrap_or(Placement::Defaults)
}

/// "1 employee", "3 employees".
pub(super) fn count_of(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// HiBob's error text, if the body is `{"error": "..."}`, as a suffix. Bounded, single line.
fn error_text(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|value| value.get("error")?.as_str().map(str::to_string))
        .map(|text| {
            let line: String = text.chars().filter(|c| !c.is_control()).take(160).collect();
            format!(": {line}")
        })
        .unwrap_or_default()
}
