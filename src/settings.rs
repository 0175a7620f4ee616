//! The global options resolved once: which API, how long a check may take, which profile and store.

use std::time::Duration;

use crate::cli::GlobalArgs;
use crate::hibob::{ApiUrl, ApiUrlError, CheckOptions};
use crate::store::StoreChoice;

#[derive(Debug, Clone)]
pub struct Settings {
    /// The API URL given explicitly (flag, `HIBOB_API_URL` or `--sandbox`); `None` means "the profile's, or production".
    pub explicit_api_url: Option<ApiUrl>,
    pub check: CheckOptions,
    pub profile: String,
    pub store: StoreChoice,
}

impl Settings {
    pub fn from_args(args: &GlobalArgs) -> Result<Settings, ApiUrlError> {
        let explicit_api_url = match (&args.api_url, args.sandbox) {
            (_, true) => Some(ApiUrl::sandbox()),
            (Some(url), false) => Some(ApiUrl::parse(url)?),
            (None, false) => None,
        };
        Ok(Settings {
            explicit_api_url,
            check: CheckOptions {
                timeout: Duration::from_secs(args.timeout),
            },
            profile: args.profile.clone(),
            store: args.store.unwrap_or(StoreChoice::Native),
        })
    }

    /// The API URL to use when nothing is remembered for the profile.
    pub fn api_url_or_default(&self) -> ApiUrl {
        self.explicit_api_url
            .clone()
            .unwrap_or_else(ApiUrl::production)
    }
}
