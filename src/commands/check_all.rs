//! `hibob-auth check --all`: every stored profile checked at once, each against the API it remembers.
//! One line per profile for people, a JSON array for scripts, and the exit code of the profile that needs
//! attention first ([`ATTENTION_ORDER`]).

use futures_util::future::join_all;
use serde::Serialize;

use crate::cli::CheckArgs;
use crate::commands::check::{check_live, output_width, stored_source};
use crate::error::AppError;
use crate::exit::Exit;
use crate::hibob::report::view::{self as report_view, ReportJson, Source};
use crate::hibob::{Report, Verdict};
use crate::intake;
use crate::lookup::{self, last_check};
use crate::output;
use crate::settings::Settings;
use crate::store::{ListedProfile, Stores};

/// The exit codes of the profiles' outcomes, the one that needs attention first leading: a credential that
/// no longer works or is gone, then what must be fixed on this machine, then what stands between it and
/// HiBob, then permissions, then ok. `check --all` exits with the first of these that any profile has.
pub const ATTENTION_ORDER: [Exit; 9] = [
    Exit::Rejected,
    Exit::NoCredential,
    Exit::Usage,
    Exit::StoreUnavailable,
    Exit::Blocked,
    Exit::Unverifiable,
    Exit::Io,
    Exit::Limited,
    Exit::Ok,
];

/// How one profile came out: checked (with the credential's masked identity), or not, and why.
enum Outcome {
    Checked {
        report: Report,
        identity: String,
        /// The check's result could not be written into the record (the verdict stands).
        not_recorded: Option<String>,
    },
    NotChecked(AppError),
}

impl Outcome {
    fn exit(&self) -> Exit {
        match self {
            Outcome::Checked { report, .. } => report.verdict.exit(),
            Outcome::NotChecked(err) => err.exit(),
        }
    }
}

struct ProfileOutcome {
    name: String,
    outcome: Outcome,
}

pub async fn run(settings: &Settings, stores: &Stores, args: &CheckArgs) -> Result<Exit, AppError> {
    if settings.explicit_api_url.is_some() {
        return Err(AppError::AllWithApiUrl);
    }
    let from_env = intake::token_vars_set();
    if !from_env.is_empty() {
        eprintln!(
            "note: --all checks the stored profiles; the credential in {} is not checked.",
            from_env.join(", ")
        );
    }
    let listed = stores.profiles(settings.store).list().await?;
    if listed.is_empty() {
        return Err(AppError::NoProfiles {
            hint: lookup::store_hint(),
        });
    }
    // Each profile's load, check and record run side by side: the slowest API sets the pace, not the sum.
    let outcomes = join_all(
        listed
            .into_iter()
            .map(|profile| check_profile(settings, stores, profile)),
    )
    .await;
    for outcome in &outcomes {
        if let Outcome::Checked {
            not_recorded: Some(why),
            ..
        } = &outcome.outcome
        {
            eprintln!(
                "warning: the check of profile '{}' was not recorded: {why}",
                outcome.name
            );
        }
    }
    let output = if args.json {
        to_json(&outcomes, stored_source(settings.store)) + "\n"
    } else {
        to_text(&outcomes, output_width())
    };
    output::print(
        output.as_bytes(),
        "could not write the report to standard output",
    )?;
    Ok(worst(outcomes.iter().map(|outcome| outcome.outcome.exit())))
}

/// The exit code that needs attention first, by [`ATTENTION_ORDER`].
pub fn worst(exits: impl IntoIterator<Item = Exit>) -> Exit {
    let rank = |exit: &Exit| {
        ATTENTION_ORDER
            .iter()
            .position(|ranked| ranked == exit)
            // A code outside the order (none today) is treated as the most urgent: never hidden.
            .unwrap_or(0)
    };
    exits.into_iter().min_by_key(rank).unwrap_or(Exit::Ok)
}

async fn check_profile(
    settings: &Settings,
    stores: &Stores,
    listed: ListedProfile,
) -> ProfileOutcome {
    let name = listed.name;
    let outcome = match listed.record {
        Err(err) => Outcome::NotChecked(AppError::Store(err)),
        Ok(_) => {
            let settings = Settings {
                profile: name.clone(),
                ..settings.clone()
            };
            check_stored(&settings, stores)
                .await
                .unwrap_or_else(Outcome::NotChecked)
        }
    };
    ProfileOutcome { name, outcome }
}

/// The same steps as `check --profile NAME`: load from the store the record names, check against the API
/// it remembers, record the result.
async fn check_stored(settings: &Settings, stores: &Stores) -> Result<Outcome, AppError> {
    let profiles = stores.profiles(settings.store);
    let loaded = lookup::load(settings, stores).await?;
    let location = profiles.location(&loaded.name);
    let api_url = lookup::api_url(settings, Some(&loaded.record), location)?;
    let report = check_live(api_url, &loaded.credential, settings).await?;
    let not_recorded = profiles
        .record_check(&loaded.name, &loaded.record, last_check(&report))
        .await
        .err()
        .map(|err| err.to_string());
    Ok(Outcome::Checked {
        report,
        identity: loaded.credential.identity(),
        not_recorded,
    })
}

/// One element of the `check --all --json` array. A checked profile has the shape of `check --json`;
/// one that could not be checked has `verdict: null` and an `error`. Both carry the profile's `exit_code`.
#[derive(Serialize)]
#[serde(untagged)]
enum CheckedProfileJson<'a> {
    Checked {
        #[serde(flatten)]
        report: ReportJson<'a>,
        exit_code: u8,
    },
    NotChecked {
        profile: &'a str,
        verdict: Option<Verdict>,
        error: String,
        exit_code: u8,
    },
}

fn to_json(outcomes: &[ProfileOutcome], source: Source) -> String {
    let rows: Vec<CheckedProfileJson<'_>> = outcomes
        .iter()
        .map(|profile| match &profile.outcome {
            Outcome::Checked { report, .. } => CheckedProfileJson::Checked {
                report: report_view::report_json(report, &profile.name, source),
                exit_code: profile.outcome.exit().code(),
            },
            Outcome::NotChecked(err) => CheckedProfileJson::NotChecked {
                profile: &profile.name,
                verdict: None,
                error: err.to_string(),
                exit_code: err.exit().code(),
            },
        })
        .collect();
    serde_json::to_string_pretty(&rows).expect("the reports serialize")
}

/// A table of the profiles (verdict, credential, API), then one line for each profile that needs
/// something done, wrapped to `width`.
fn to_text(outcomes: &[ProfileOutcome], width: usize) -> String {
    let mut rows = vec![["PROFILE", "VERDICT", "CREDENTIAL", "API"].map(String::from)];
    for profile in outcomes {
        rows.push(match &profile.outcome {
            Outcome::Checked {
                report, identity, ..
            } => [
                profile.name.clone(),
                report.verdict.label().to_string(),
                identity.clone(),
                report.api_url.as_str().to_string(),
            ],
            Outcome::NotChecked(err) => [
                profile.name.clone(),
                not_checked_label(err.exit()).to_string(),
                "-".to_string(),
                "-".to_string(),
            ],
        });
    }
    let ok = outcomes
        .iter()
        .filter(|profile| profile.outcome.exit() == Exit::Ok)
        .count();
    let mut out = format!(
        "HiBob credential check of {} profile{}: {ok} ok, {} to look at\n\n",
        outcomes.len(),
        if outcomes.len() == 1 { "" } else { "s" },
        outcomes.len() - ok
    );
    out.push_str(&output::table(&rows));
    let mut notes = String::new();
    for profile in outcomes {
        let line = match &profile.outcome {
            Outcome::Checked { report, .. } if report.verdict == Verdict::Ok => continue,
            Outcome::Checked { report, .. } => report.summary.clone(),
            Outcome::NotChecked(err) => err.to_string(),
        };
        if !notes.is_empty() {
            notes.push('\n');
        }
        let first = format!("{}: ", profile.name);
        let options = textwrap::Options::new(width)
            .initial_indent(&first)
            .subsequent_indent("    ");
        for wrapped in textwrap::wrap(&line.replace('\n', " "), options) {
            notes.push_str(&wrapped);
            notes.push('\n');
        }
    }
    if !notes.is_empty() {
        out.push('\n');
        out.push_str(&notes);
        out.push_str("\nEach profile's report in full: hibob-auth check --profile NAME\n");
    }
    out
}

/// The VERDICT cell of a profile that was not checked, from its exit code.
fn not_checked_label(exit: Exit) -> &'static str {
    match exit {
        Exit::NoCredential => "no credential",
        Exit::StoreUnavailable => "store failed",
        Exit::Usage => "record unusable",
        Exit::Io => "local failure",
        _ => "not checked",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_is_the_one_that_needs_attention_first() {
        assert_eq!(worst([]), Exit::Ok, "nothing checked is nothing wrong");
        assert_eq!(worst([Exit::Ok, Exit::Limited]), Exit::Limited);
        assert_eq!(
            worst([Exit::Limited, Exit::Unverifiable, Exit::Ok]),
            Exit::Unverifiable
        );
        assert_eq!(
            worst([Exit::Blocked, Exit::StoreUnavailable]),
            Exit::StoreUnavailable
        );
        assert_eq!(worst([Exit::NoCredential, Exit::Rejected]), Exit::Rejected);
    }

    #[test]
    fn every_exit_a_check_can_end_in_is_ranked() {
        let ranked: std::collections::HashSet<_> = ATTENTION_ORDER.into_iter().collect();
        for verdict in [
            Verdict::Ok,
            Verdict::Limited,
            Verdict::Blocked,
            Verdict::Rejected,
            Verdict::Unverifiable,
        ] {
            assert!(ranked.contains(&verdict.exit()), "{verdict:?}");
        }
        assert_eq!(ranked.len(), ATTENTION_ORDER.len(), "no code twice");
    }

    #[test]
    fn the_help_gives_the_same_order() {
        let listed: Vec<u8> = crate::exit::CHECK_ALL_EXIT_HELP
            .lines()
            .nth(1)
            .unwrap()
            .split(", ")
            .map(|entry| entry.trim().split(' ').next().unwrap().parse().unwrap())
            .collect();
        let order: Vec<u8> = ATTENTION_ORDER.iter().map(|exit| exit.code()).collect();
        assert_eq!(listed, order);
    }
}
