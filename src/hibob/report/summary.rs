//! The sentence or two under a report: why the verdict is what it is, and what to do next. Pure.

use crate::credential::CredentialKind;
use crate::hibob::category::{self, Category};
use crate::hibob::permissions::permission_names;
use crate::hibob::probe::{
    Answer, AnswerBody, PeopleSeen, Probe, ProbeResult, Seen, TransportFailure,
};
use crate::hibob::report::classify::{hidden_categories, placement_of, unplaced_categories};
use crate::hibob::report::{PermissionResult, ScopeStatus, Verdict};
use crate::hibob::scope::Scope;

pub(super) fn summarize(
    kind: CredentialKind,
    verdict: Verdict,
    results: &[ProbeResult],
    permissions: &[PermissionResult],
) -> String {
    match verdict {
        Verdict::Ok => "The credential works and every checked permission is granted.".to_string(),
        Verdict::Limited => summarize_limited(kind, results, permissions),
        Verdict::Blocked => {
            let html = results.iter().any(|result| {
                matches!(&result.outcome, Ok(answer) if answer.status == 403 && answer.is_html())
            });
            let how = if html {
                "HiBob refused the requests with a 403 page"
            } else {
                "HiBob refused the employee field list (403), a request that needs no permission"
            };
            format!(
                "The credential could not be checked: {how}, so this address or credential is blocked, and the permissions were not looked at. After many failed attempts HiBob's firewall blocks an address for about 5 minutes: wait five minutes and check again. If it persists, ask a HiBob admin whether your company restricts API access by IP address."
            )
        }
        Verdict::Rejected => match kind {
            CredentialKind::ApiToken => format!(
                "HiBob did not accept this API access token (401). HiBob stopped accepting API access tokens on 2025-05-06 and has not let anyone create one since 2024-06-15, so every API token is now rejected. Create a service user instead: {} > Manage > New service user (see `hibob-auth guide --flow service-user`).",
                permission_names().service_users
            ),
            CredentialKind::ServiceUser => format!(
                "HiBob did not accept this service user (401). Check that the ID and the token belong together and were copied in full, and that the token was not reset since; HiBob also answers 401 when the service user is inactive or in no permission group. A token is shown only once, so if in doubt reset it in {}. It was not retried: repeated rejections make HiBob's firewall block this address for about 5 minutes.",
                permission_names().service_users
            ),
        },
        Verdict::Unverifiable => {
            let reason = first_failure(results)
                .unwrap_or_else(|| "HiBob did not answer every probe".to_string());
            format!(
                "The credential could not be verified: {reason}. The credential itself may be fine; check your network or HiBob's status and try again."
            )
        }
    }
}

fn summarize_limited(
    kind: CredentialKind,
    results: &[ProbeResult],
    permissions: &[PermissionResult],
) -> String {
    let names_with = |status: ScopeStatus| -> Vec<&str> {
        permissions
            .iter()
            .filter(|row| row.status == status)
            .map(|row| row.scope.name())
            .collect()
    };
    // One sentence per status some scope has, naming those scopes; in the order people should act on them.
    let listed = |status: ScopeStatus, say: &dyn Fn(String) -> String| {
        let names = names_with(status);
        (!names.is_empty()).then(|| say(names.join(", ")))
    };
    let partial_people = names_with(ScopeStatus::Partial)
        .contains(&Scope::FullEmployeeRead.name())
        .then(|| {
            let placement = placement_of(results);
            let hidden = people_seen(results)
                .map(|people| hidden_categories(people, placement))
                .unwrap_or_default();
            format!(
                "Partial: {} (HiBob left out the {} fields); to fix, {}.",
                Scope::FullEmployeeRead.name(),
                category::names(&hidden),
                Scope::FullEmployeeRead.how_to_grant_categories(kind, &hidden)
            )
        });
    let unproven = |scope: Scope| {
        permissions
            .iter()
            .any(|row| row.scope == scope && row.status == ScopeStatus::Unproven)
    };
    let unproven_time_off = unproven(Scope::TimeoffSubmitAndRead).then(|| {
        format!(
            "Not proven: {} (HiBob answered, but with nothing a missing permission would hide); to check, {}.",
            Scope::TimeoffSubmitAndRead.name(),
            Scope::TimeoffSubmitAndRead.how_to_grant(kind)
        )
    });
    // Full employee read or Payroll Info read, when the company moved every asked field of a category.
    let unplaced: Vec<Category> = [
        (Scope::FullEmployeeRead, &Category::FULL_EMPLOYEE_READ[..]),
        (Scope::PayrollInfoRead, &[Category::Payroll][..]),
    ]
    .into_iter()
    .filter(|(scope, _)| unproven(*scope))
    .flat_map(|(_, categories)| unplaced_categories(categories, placement_of(results)))
    .collect();
    let unproven_categories = (!unplaced.is_empty()).then(|| {
        format!(
            "Not proven: the {} category (HiBob's field metadata puts none of the fields the check asks for there: this company moved them); the check never guesses from a field's name, so confirm it in HiBob (the service user's permission group, or a HiBob admin).",
            category::names(&unplaced)
        )
    });
    // Said once, where a permission is to be given, for the kind of credential that has permission groups.
    let needs_permissions = permissions
        .iter()
        .any(|row| matches!(row.status, ScopeStatus::Missing | ScopeStatus::Partial));
    let dedicated_group = (needs_permissions && kind == CredentialKind::ServiceUser)
        .then(|| permission_names().dedicated_group().to_string());
    let parts = [
        Some("The credential works, but it is limited.".to_string()),
        listed(ScopeStatus::Missing, &|names| {
            format!("Missing: {names}; to fix, {}.", missing_fix(kind))
        }),
        partial_people,
        dedicated_group,
        listed(ScopeStatus::Empty, &|names| {
            format!("Sees no employees: {names}; to fix, {}.", empty_fix(kind))
        }),
        unproven_time_off,
        unproven_categories,
        listed(ScopeStatus::Unavailable, &|names| {
            format!(
                "Not available: {names} (HiBob answered 404: the module is not active for this company, or the endpoint was retired); no permission changes this: if the integration needs it, ask a HiBob admin whether the company has the module."
            )
        }),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// How to grant scopes that were refused (403), for each kind of credential.
fn missing_fix(kind: CredentialKind) -> String {
    match kind {
        CredentialKind::ServiceUser => permission_names().fix_service_user_missing(),
        CredentialKind::ApiToken => permission_names().fix_api_token_missing().to_string(),
    }
}

/// How to let a credential that sees no employees see some, for each kind of credential.
fn empty_fix(kind: CredentialKind) -> String {
    match kind {
        CredentialKind::ServiceUser => permission_names().fix_access_data_for(),
        CredentialKind::ApiToken => {
            "check that the token's owner can see employees in HiBob".to_string()
        }
    }
}

/// What the people search showed, if it answered with employees data.
fn people_seen(results: &[ProbeResult]) -> Option<&PeopleSeen> {
    results
        .iter()
        .filter(|result| result.probe == Probe::People)
        .find_map(|result| match &result.outcome {
            Ok(Answer {
                body: AnswerBody::Seen(Seen::People(people)),
                ..
            }) => Some(people),
            _ => None,
        })
}

fn first_failure(results: &[ProbeResult]) -> Option<String> {
    // Prefer the fields probe: it is the authentication check.
    let mut ordered: Vec<&ProbeResult> = results.iter().collect();
    ordered.sort_by_key(|result| result.probe);
    ordered
        .into_iter()
        .find_map(|result| match &result.outcome {
            Err(TransportFailure::Cancelled) => Some("the check was cancelled".to_string()),
            Err(failure) => Some(failure.to_string()),
            Ok(answer) if answer.status == 429 => {
                Some("HiBob kept rate limiting the requests (429)".to_string())
            }
            Ok(answer) if answer.status >= 500 => Some(format!("HiBob answered {}", answer.status)),
            Ok(_) => None,
        })
}
