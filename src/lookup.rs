//! Looking up a profile's stored credential as the front ends need it: loading it from the OS keyring its record
//! names and saying precisely why it could not be loaded, the API it is checked against, and where the
//! records are. Shared by the commands (`check`, `token`, `login`, `logout`, `profiles`) and the wizard.

use std::time::SystemTime;

use crate::error::AppError;
use crate::hibob::ApiUrl;
use crate::intake::{ENV_API_TOKEN, ENV_SERVICE_USER_ID, ENV_SERVICE_USER_TOKEN};
use crate::settings::Settings;
use crate::store::{self, LoadError, LoadedProfile, Opener, StoreChoice};
use crate::store::{ProfileDir, ProfileRecord};

/// Load the profile's credential from the OS keyring its record names.
pub async fn load(
    settings: &Settings,
    opener: &Opener,
    profiles: &ProfileDir,
) -> Result<LoadedProfile, AppError> {
    store::load(profiles, &settings.profile, opener)
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
        LoadError::NoKeyringEntry { store } => {
            let why = match store {
                StoreChoice::Keyutils => {
                    "the kernel keyring keeps credentials in memory only, so a reboot removes them"
                }
                StoreChoice::Native => "it was removed outside hibob-auth",
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

/// The API a new credential for the profile is checked against, chosen the same way by `login` and the
/// wizard: the one named explicitly, else the one the profile's record remembers (so a sandbox profile
/// stays on the sandbox), else production.
pub fn api_url_for_profile(settings: &Settings, profiles: &ProfileDir) -> Result<ApiUrl, AppError> {
    // An unreadable record is replaced by the new credential's; it remembers no API.
    let previous = profiles.read(&settings.profile).ok().flatten();
    api_url(settings, profiles, previous.as_ref())
}

/// The API to check a profile's credential against (see [`store::api_url_for`]), with a usable message
/// when the remembered URL is broken.
pub fn api_url(
    settings: &Settings,
    profiles: &ProfileDir,
    record: Option<&ProfileRecord>,
) -> Result<ApiUrl, AppError> {
    store::api_url_for(settings.explicit_api_url.as_ref(), record).map_err(|source| {
        AppError::RememberedApiUrl {
            record: profiles.path(&settings.profile),
            source,
        }
    })
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

/// The record directory, as an application error.
pub fn profile_dir() -> Result<ProfileDir, AppError> {
    ProfileDir::from_env().map_err(AppError::Store)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hibob::CheckOptions;

    fn settings(explicit_api_url: Option<ApiUrl>) -> Settings {
        Settings {
            explicit_api_url,
            check: CheckOptions::default(),
            profile: "sb".to_string(),
            store: StoreChoice::Native,
        }
    }

    #[test]
    fn a_sandbox_profile_keeps_the_sandbox_unless_told_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = ProfileDir::at(dir.path());
        assert_eq!(
            api_url_for_profile(&settings(None), &profiles).unwrap(),
            ApiUrl::production(),
            "a new profile starts on production"
        );
        let record = ProfileRecord::example(ApiUrl::sandbox().as_str());
        profiles.write("sb", &record).unwrap();
        assert_eq!(
            api_url_for_profile(&settings(None), &profiles).unwrap(),
            ApiUrl::sandbox()
        );
        assert_eq!(
            api_url_for_profile(&settings(Some(ApiUrl::production())), &profiles).unwrap(),
            ApiUrl::production(),
            "--api-url wins"
        );
    }
}
