//! How the front ends reach stored profiles, in the program's terms: loading a profile's credential with
//! an error that says what to do, the API a profile's credential is checked against and saved with, a
//! check's report in the store's terms, and ages for people. Shared by the commands and the wizard; the
//! store itself knows nothing of HiBob, the settings or the program's errors.

use std::path::PathBuf;
use std::time::SystemTime;

use crate::credential::Credential;
use crate::error::AppError;
use crate::hibob::{ApiUrl, ApiUrlError, Report, ScopeStatus, Verdict};
use crate::intake::{ENV_API_TOKEN, ENV_SERVICE_USER_ID, ENV_SERVICE_USER_TOKEN};
use crate::settings::Settings;
use crate::store::{
    CheckVerdict, LastCheck, LoadError, LoadedProfile, ProfileName, ProfileRecord, Profiles,
    SaveRequest, ScopeRecord, StoreChoice, StoreError, Stores, record_time,
};

/// The profile the settings name, validated.
pub fn profile_name(settings: &Settings) -> Result<ProfileName, AppError> {
    Ok(ProfileName::new(&settings.profile)?)
}

/// Load the settings' profile's credential from the store its record names.
pub async fn load(settings: &Settings, stores: &Stores) -> Result<LoadedProfile, AppError> {
    let name = profile_name(settings)?;
    stores
        .profiles(settings.store)
        .load(&name)
        .await
        .map_err(|err| load_error(&settings.profile, err))
}

/// Why `profile`'s credential could not be loaded, said for people (with what to do).
pub fn load_error(profile: &str, err: LoadError) -> AppError {
    let profile = profile.to_string();
    match err {
        LoadError::NoProfile => AppError::NoCredential {
            profile,
            hint: store_hint(),
        },
        LoadError::NoSecret { store } => {
            let why = match store {
                StoreChoice::Keyutils => {
                    "the kernel keyring keeps credentials in memory only, so a reboot removes them"
                }
                StoreChoice::Native | StoreChoice::Vault => "it was removed outside hibob-auth",
            };
            AppError::NoCredential {
                profile,
                hint: format!(
                    "The profile is recorded, but its keyring entry is gone ({why}).\n{}",
                    store_hint()
                ),
            }
        }
        LoadError::Store(err) => AppError::Store(err),
    }
}

/// How to get a credential stored.
pub fn store_hint() -> String {
    format!(
        "To fix: store one with `printf %s \"$TOKEN\" | hibob-auth login --token-stdin --service-user-id SERVICE-…`, run `hibob-auth` for the guided setup, or set {ENV_SERVICE_USER_ID} and {ENV_SERVICE_USER_TOKEN} (or {ENV_API_TOKEN})."
    )
}

/// The flags a later command needs to find a profile stored in `store` under `profile`: the store when
/// it is the team's Vault, the profile when it is not the default. Empty, or starting with a space.
pub fn command_flags(store: StoreChoice, profile: &str) -> String {
    let mut flags = String::new();
    if store == StoreChoice::Vault {
        flags.push_str(" --store vault");
    }
    if profile != "default" {
        flags.push_str(&format!(" --profile {profile}"));
    }
    flags
}

/// The record of `name`, without its secret: `None` when there is none.
pub async fn record_of(
    profiles: &dyn Profiles,
    name: &str,
) -> Result<Option<ProfileRecord>, StoreError> {
    // A name that cannot be a profile's has no record.
    let Ok(name) = ProfileName::new(name) else {
        return Ok(None);
    };
    profiles.record(&name).await
}

/// The API a new credential for the settings' profile is checked against, chosen the same way by `login`
/// and the wizard: the one named explicitly, else the one the profile's record remembers (so a sandbox
/// profile stays on the sandbox), else production.
pub async fn api_url_for_profile(
    settings: &Settings,
    profiles: &dyn Profiles,
) -> Result<ApiUrl, AppError> {
    let name = profile_name(settings)?;
    // An unreadable record is replaced by the new credential's; it remembers no API.
    let previous = record_of(profiles, name.as_str()).await.ok().flatten();
    api_url(settings, previous.as_ref(), profiles.location(&name))
}

/// The API to check a profile's credential against (see [`api_url_for`]), with a usable message when the
/// remembered URL (in the record at `location`) is broken.
pub fn api_url(
    settings: &Settings,
    record: Option<&ProfileRecord>,
    location: String,
) -> Result<ApiUrl, AppError> {
    api_url_for(settings.explicit_api_url.as_ref(), record).map_err(|source| {
        AppError::RememberedApiUrl {
            record: PathBuf::from(location),
            source,
        }
    })
}

/// The API a profile's credential is checked against: the one named explicitly first, then the one the
/// profile remembers, then production. A remembered URL that is no longer valid (the record was edited by
/// hand) is an error, never a silent switch to production.
pub fn api_url_for(
    explicit: Option<&ApiUrl>,
    record: Option<&ProfileRecord>,
) -> Result<ApiUrl, ApiUrlError> {
    if let Some(explicit) = explicit {
        return Ok(explicit.clone());
    }
    match record {
        Some(record) => ApiUrl::parse(&record.api_url),
        None => Ok(ApiUrl::production()),
    }
}

/// What to save for `name`: `credential`, with the check that verified it (`None` for an unchecked save)
/// and the API it belongs to: the checked one, else as [`api_url_for`] chooses from the settings and the
/// profile's current record. A broken remembered URL is the store's error, as it was found in the record.
pub async fn save_request(
    settings: &Settings,
    profiles: &dyn Profiles,
    name: &ProfileName,
    credential: Credential,
    report: Option<&Report>,
) -> Result<SaveRequest, StoreError> {
    let api_url = match report {
        Some(report) => report.api_url.clone(),
        None => {
            let previous = record_of(profiles, name.as_str()).await.ok().flatten();
            api_url_for(settings.explicit_api_url.as_ref(), previous.as_ref()).map_err(|err| {
                StoreError::RecordUnreadable {
                    path: profiles.location(name),
                    detail: format!(
                        "its API URL is not usable: {err}; pass --api-url to replace it"
                    ),
                }
            })?
        }
    };
    Ok(SaveRequest {
        credential,
        api_url: api_url.as_str().to_string(),
        last_check: report.map(last_check),
    })
}

/// A check's report as a profile's record keeps it: when, the verdict, the API, every scope's status.
pub fn last_check(report: &Report) -> LastCheck {
    LastCheck {
        checked_at: record_time(report.checked_at),
        verdict: report.verdict.into(),
        api_url: report.api_url.as_str().to_string(),
        scopes: report
            .permissions
            .iter()
            .map(|row| ScopeRecord {
                scope: row.scope.name().to_string(),
                status: status_name(row.status),
            })
            .collect(),
    }
}

/// A scope status's name as the check's JSON spells it (`not_checked`), which is what records keep.
fn status_name(status: ScopeStatus) -> String {
    match serde_json::to_value(status) {
        Ok(serde_json::Value::String(name)) => name,
        // Unit variants always serialize as strings; the label is a readable stand-in regardless.
        _ => status.label().to_string(),
    }
}

impl From<Verdict> for CheckVerdict {
    fn from(verdict: Verdict) -> Self {
        match verdict {
            Verdict::Ok => CheckVerdict::Ok,
            Verdict::Limited => CheckVerdict::Limited,
            Verdict::Blocked => CheckVerdict::Blocked,
            Verdict::Rejected => CheckVerdict::Rejected,
            Verdict::Unverifiable => CheckVerdict::Unverifiable,
        }
    }
}

impl From<CheckVerdict> for Verdict {
    fn from(verdict: CheckVerdict) -> Self {
        match verdict {
            CheckVerdict::Ok => Verdict::Ok,
            CheckVerdict::Limited => Verdict::Limited,
            CheckVerdict::Blocked => Verdict::Blocked,
            CheckVerdict::Rejected => Verdict::Rejected,
            CheckVerdict::Unverifiable => Verdict::Unverifiable,
        }
    }
}

/// Whole days since the token in use was stored or last rotated; `None` for a date that cannot be read
/// (a record edited by hand) or lies in the future (a clock that was wrong).
pub fn token_age_days(record: &ProfileRecord, now: SystemTime) -> Option<u64> {
    days_since(record.token_since(), now)
}

/// Whole days from an RFC 3339 time to `now`; `None` for a time that cannot be read or lies ahead.
pub fn days_since(time: &str, now: SystemTime) -> Option<u64> {
    let since = humantime::parse_rfc3339(time).ok()?;
    Some(now.duration_since(since).ok()?.as_secs() / 86_400)
}

/// An age as people say it: "today", "1 day", "45 days", "3 months", "2 years". Days up to 99,
/// so a 90-day rotation policy can be read off exactly where it matters.
pub fn age(days: u64) -> String {
    let plural = |n: u64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    match days {
        0 => "today".to_string(),
        1..=99 => plural(days, "day"),
        100..=729 => plural(days / 30, "month"),
        _ => plural(days / 365, "year"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::credential::CredentialKind;
    use crate::hibob::CheckOptions;
    use crate::store::{MemoryStore, ProfileDir};

    fn settings(explicit_api_url: Option<ApiUrl>) -> Settings {
        Settings {
            explicit_api_url,
            check: CheckOptions::default(),
            profile: "sb".to_string(),
            store: StoreChoice::Native,
        }
    }

    #[tokio::test]
    async fn a_sandbox_profile_keeps_the_sandbox_unless_told_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let records = ProfileDir::at(dir.path());
        let stores = Stores::in_memory(records.clone(), Arc::new(MemoryStore::new()));
        let profiles = stores.profiles(StoreChoice::Native);
        assert_eq!(
            api_url_for_profile(&settings(None), &*profiles)
                .await
                .unwrap(),
            ApiUrl::production(),
            "a new profile starts on production"
        );
        records
            .write("sb", &ProfileRecord::example(ApiUrl::sandbox().as_str()))
            .unwrap();
        assert_eq!(
            api_url_for_profile(&settings(None), &*profiles)
                .await
                .unwrap(),
            ApiUrl::sandbox()
        );
        assert_eq!(
            api_url_for_profile(&settings(Some(ApiUrl::production())), &*profiles)
                .await
                .unwrap(),
            ApiUrl::production(),
            "--api-url wins"
        );
    }

    #[test]
    fn a_broken_remembered_api_url_is_an_error_not_production() {
        let mut record = ProfileRecord::example("http://hibob.example.com");
        assert!(api_url_for(None, Some(&record)).is_err());
        // An explicit URL still works: it is how the user fixes it.
        let sandbox = ApiUrl::sandbox();
        assert_eq!(api_url_for(Some(&sandbox), Some(&record)).unwrap(), sandbox);
        record.api_url = "https://api.sandbox.hibob.com".to_string();
        assert_eq!(api_url_for(None, Some(&record)).unwrap(), sandbox);
        assert_eq!(api_url_for(None, None).unwrap(), ApiUrl::production());
    }

    #[test]
    fn last_check_keeps_every_scope_of_the_report() {
        let report = Report::from_results(
            CredentialKind::ServiceUser,
            ApiUrl::sandbox(),
            &[],
            SystemTime::UNIX_EPOCH,
            Duration::ZERO,
        );
        let last = last_check(&report);
        assert_eq!(last.checked_at, "1970-01-01T00:00:00Z");
        assert_eq!(last.verdict, CheckVerdict::Unverifiable);
        assert_eq!(last.scopes.len(), 6);
        assert_eq!(last.scopes[0].scope, "Full employee read");
        assert_eq!(Verdict::from(last.verdict), Verdict::Unverifiable);
    }

    #[test]
    fn a_scope_status_is_kept_by_its_json_name() {
        assert_eq!(status_name(ScopeStatus::NotChecked), "not_checked");
        assert_eq!(status_name(ScopeStatus::Missing), "missing");
    }
}
