//! What the commands that use a stored credential (`check`, `token`) share: loading it from the OS
//! keyring, and saying precisely why it could not be loaded.

use crate::cli::StoreChoice;
use crate::commands::check::{ENV_API_TOKEN, ENV_SERVICE_USER_ID, ENV_SERVICE_USER_TOKEN};
use crate::error::AppError;
use crate::hibob::ApiUrl;
use crate::settings::Settings;
use crate::store::open_bounded;
use crate::store::persist::{LoadError, LoadedProfile, api_url_for, load_credential_in};
use crate::store::profile::{ProfileDir, ProfileRecord};

/// Load the profile's credential from the OS keyring its record names.
pub async fn load(settings: &Settings, profiles: &ProfileDir) -> Result<LoadedProfile, AppError> {
    let opener = async |choice: StoreChoice| open_bounded(choice).await;
    load_credential_in(profiles, settings, opener)
        .await
        .map_err(|err| load_error(settings, err))
}

fn load_error(settings: &Settings, err: LoadError) -> AppError {
    let profile = settings.profile.clone();
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

/// The token variables that are set in this environment (names only; values are never read here).
pub fn env_credential_vars() -> Vec<&'static str> {
    [ENV_SERVICE_USER_TOKEN, ENV_API_TOKEN]
        .into_iter()
        .filter(|name| std::env::var_os(name).is_some())
        .collect()
}

/// The API to check a profile's credential against (see [`api_url_for`]), with a usable message when
/// the remembered URL is broken.
pub fn api_url(
    settings: &Settings,
    profiles: &ProfileDir,
    record: Option<&ProfileRecord>,
) -> Result<ApiUrl, AppError> {
    api_url_for(settings, record).map_err(|err| {
        AppError::Usage(format!(
            "the API URL remembered in {} is not usable: {err}\nTo fix: pass --api-url (or --sandbox), or store the credential again with `hibob-auth login`.",
            profiles.path(&settings.profile).display()
        ))
    })
}

/// The record directory, as an application error.
pub fn profile_dir() -> Result<ProfileDir, AppError> {
    ProfileDir::from_env().map_err(AppError::Store)
}
