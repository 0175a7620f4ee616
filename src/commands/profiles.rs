//! `hibob-auth profiles [--json]`: list stored profiles from their records. No secret, no network, and
//! no keyring call (so it works, and is fast, even where the keyring is locked or missing).

use std::time::SystemTime;

use serde::Serialize;

use crate::cli::ProfilesArgs;
use crate::error::AppError;
use crate::exit::Exit;
use crate::hibob::Verdict;
use crate::lookup::{age, token_age_days};
use crate::output;
use crate::settings::Settings;
use crate::store::{LastCheck, ListedProfile, ProfileRecord, Stores};

/// One profile as `profiles --json` shows it: the record's fields, or why it could not be read.
#[derive(Debug, Serialize)]
pub struct ProfileJson<'a> {
    pub name: &'a str,
    /// Whether this is the profile the other commands use now (`--profile` / `HIBOB_PROFILE`).
    pub active: bool,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub record: Option<&'a ProfileRecord>,
    /// Whole days since the token in use was stored or rotated (see `rotated_at`), for rotation policies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_age_days: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

pub async fn run(
    settings: &Settings,
    stores: &Stores,
    args: &ProfilesArgs,
) -> Result<Exit, AppError> {
    let listed = stores.profiles(settings.store).list().await?;
    let text = if args.json {
        to_json(&listed, &settings.profile, SystemTime::now()) + "\n"
    } else if listed.is_empty() {
        "No stored profiles.\nStore one with `printf %s \"$TOKEN\" | hibob-auth login --token-stdin --service-user-id SERVICE-…`, or run `hibob-auth` for the guided setup.\n".to_string()
    } else {
        to_text(&listed, &settings.profile, SystemTime::now())
    };
    output::print(
        text.as_bytes(),
        "could not write the profiles to standard output",
    )?;
    Ok(Exit::Ok)
}

pub fn to_json(listed: &[ListedProfile], active: &str, now: SystemTime) -> String {
    let rows: Vec<ProfileJson<'_>> = listed
        .iter()
        .map(|profile| ProfileJson {
            name: &profile.name,
            active: profile.name == active,
            record: profile.record.as_ref().ok(),
            token_age_days: profile
                .record
                .as_ref()
                .ok()
                .and_then(|record| token_age_days(record, now)),
            error: profile.record.as_ref().err().map(ToString::to_string),
        })
        .collect();
    serde_json::to_string_pretty(&rows).expect("profiles serialize")
}

/// A table for people; the active profile is marked with `*`. Unreadable records are listed after it.
pub fn to_text(listed: &[ListedProfile], active: &str, now: SystemTime) -> String {
    let header = [
        "  PROFILE",
        "KIND",
        "SERVICE USER",
        "API",
        "STORE",
        "TOKEN",
        "TOKEN AGE",
        "LAST CHECK",
        "VERDICT",
    ]
    .map(String::from);
    let mut rows = vec![header];
    let mut broken = Vec::new();
    for profile in listed {
        let marker = if profile.name == active { "*" } else { " " };
        match &profile.record {
            Ok(record) => rows.push(row(marker, &profile.name, record, now)),
            Err(err) => broken.push(format!("{marker} {}: {err}\n", profile.name)),
        }
    }
    let mut out = output::table(&rows);
    out.extend(broken);
    out
}

fn row(marker: &str, name: &str, record: &ProfileRecord, now: SystemTime) -> [String; 9] {
    let dash = || "-".to_string();
    [
        format!("{marker} {name}"),
        record.kind.id().to_string(),
        record.service_user_id.clone().unwrap_or_else(dash),
        record.api_url.clone(),
        record.store.id().to_string(),
        record.token_hint.clone().unwrap_or_else(dash),
        token_age_days(record, now).map_or_else(dash, age),
        last_check_time(record.last_check.as_ref()),
        record
            .last_check
            .as_ref()
            .map_or("not checked", |check| Verdict::from(check.verdict).label())
            .to_string(),
    ]
}

fn last_check_time(check: Option<&LastCheck>) -> String {
    check.map_or_else(|| "never".to_string(), |check| check.checked_at.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreError;

    /// 60 days after the example record was stored (2026-01-01).
    fn now() -> SystemTime {
        humantime::parse_rfc3339("2026-03-02T00:00:00Z").unwrap()
    }

    fn listed() -> Vec<ListedProfile> {
        let api = "https://api.hibob.com";
        let checked = LastCheck {
            checked_at: "2026-01-01T00:00:01Z".into(),
            verdict: Verdict::Ok.into(),
            api_url: api.into(),
            scopes: Vec::new(),
        };
        let record = ProfileRecord {
            token_hint: Some("…abcd".into()),
            last_check: Some(checked),
            ..ProfileRecord::example(api)
        };
        vec![
            ListedProfile {
                name: "default".into(),
                record: Ok(record),
            },
            ListedProfile {
                name: "old".into(),
                record: Err(StoreError::RecordUnreadable {
                    path: "/x/old.toml".into(),
                    detail: "bad".into(),
                }),
            },
        ]
    }

    #[test]
    fn text_marks_the_active_profile_and_lists_broken_records() {
        let text = to_text(&listed(), "default", now());
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("  PROFILE"), "{text}");
        assert!(lines[1].starts_with("* default"), "{text}");
        assert!(lines[1].contains("…abcd  60 days  "), "{text}");
        assert!(lines[1].ends_with("ok"), "{text}");
        assert!(lines[2].starts_with("  old: the profile record /x/old.toml could not be read"));
    }

    #[test]
    fn json_flattens_the_record_and_names_errors() {
        let json: serde_json::Value =
            serde_json::from_str(&to_json(&listed(), "old", now())).unwrap();
        assert_eq!(json[0]["name"], "default");
        assert_eq!(json[0]["active"], false);
        assert_eq!(json[0]["service_user_id"], "SERVICE-1");
        assert_eq!(json[0]["last_check"]["verdict"], "ok");
        assert_eq!(json[0]["token_age_days"], 60);
        assert!(
            json[0].get("rotated_at").is_none(),
            "never rotated: {}",
            json[0]
        );
        assert_eq!(json[1]["active"], true);
        assert!(
            json[1]["error"]
                .as_str()
                .unwrap()
                .contains("could not be read")
        );
    }

    #[test]
    fn the_token_age_counts_from_the_last_rotation() {
        use crate::lookup::token_age_days;
        let mut record = ProfileRecord::example("https://api.hibob.com");
        assert_eq!(token_age_days(&record, now()), Some(60));
        record.rotated_at = Some("2026-02-20T12:00:00Z".into());
        assert_eq!(token_age_days(&record, now()), Some(9));
        record.rotated_at = Some("2027-01-01T00:00:00Z".into());
        assert_eq!(
            token_age_days(&record, now()),
            None,
            "a date ahead of the clock"
        );
        record.rotated_at = Some("last tuesday".into());
        assert_eq!(token_age_days(&record, now()), None, "a hand-edited date");
    }

    #[test]
    fn ages_read_as_people_say_them() {
        use crate::lookup::age;
        let cases = [
            (0, "today"),
            (1, "1 day"),
            (99, "99 days"),
            (100, "3 months"),
            (729, "24 months"),
            (730, "2 years"),
        ];
        for (days, said) in cases {
            assert_eq!(age(days), said, "{days} days");
        }
    }
}
