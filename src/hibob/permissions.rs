//! HiBob's names for the places and permissions a fix points to, kept as data in `assets/permissions.toml`
//! (with the source of each) so that the reports, `login` and the wizard say what HiBob's UI says, and a
//! renamed menu in HiBob is one edit there.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::hibob::category::{Category, names};

const PERMISSIONS: &str = include_str!("../../assets/permissions.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Permissions {
    /// "Settings > Account > Permission groups".
    pub permission_groups: String,
    /// "System settings > Integrations > Automation > Service users".
    pub service_users: String,
    /// Has a `{category}` placeholder.
    view_category: String,
    fixes: Fixes,
    /// By the scope's exact name.
    scopes: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixes {
    service_user: String,
    service_user_missing: String,
    dedicated_group: String,
    access_data_for: String,
    api_token: String,
    api_token_missing: String,
}

/// The parsed asset. It is embedded, so a parse error can only come from editing it badly; a unit test
/// parses it, so such an edit never ships.
pub fn permission_names() -> &'static Permissions {
    static PARSED: OnceLock<Permissions> = OnceLock::new();
    PARSED.get_or_init(|| {
        toml::from_str(PERMISSIONS)
            .expect("assets/permissions.toml is valid (a unit test proves it)")
    })
}

impl Permissions {
    /// The service-user permission that matches the scope named `scope` (its exact name), as HiBob's
    /// permission groups name it.
    pub fn for_scope(&self, scope: &str) -> Option<&str> {
        self.scopes.get(scope).map(String::as_str)
    }

    /// The scope names the asset knows, in its order.
    pub fn scope_names(&self) -> impl Iterator<Item = &str> {
        self.scopes.keys().map(String::as_str)
    }

    /// "People's data > View selected employees' About and Work sections".
    pub fn view_categories(&self, categories: &[Category]) -> String {
        self.view_category.replace("{category}", &names(categories))
    }

    /// "in HiBob, open Settings > Account > Permission groups, …, enable {permission} and save".
    pub fn fix_service_user(&self, permission: &str) -> String {
        self.fixes
            .service_user
            .replace("{permission_groups}", &self.permission_groups)
            .replace("{permission}", permission)
    }

    /// The fix for several missing scopes at once, for a service user.
    pub fn fix_service_user_missing(&self) -> String {
        self.fixes
            .service_user_missing
            .replace("{permission_groups}", &self.permission_groups)
    }

    /// HiBob's advice on the group a service user belongs in, one sentence.
    pub fn dedicated_group(&self) -> &str {
        &self.fixes.dedicated_group
    }

    /// The fix when the permission group's "Access data for" selects nobody.
    pub fn fix_access_data_for(&self) -> String {
        self.fixes
            .access_data_for
            .replace("{permission_groups}", &self.permission_groups)
    }

    /// The fix for the scope named `scope` of an API access token.
    pub fn fix_api_token(&self, scope: &str) -> String {
        self.fixes.api_token.replace("{scope}", scope)
    }

    /// The fix for several missing scopes of an API access token.
    pub fn fix_api_token_missing(&self) -> &str {
        &self.fixes.api_token_missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_fill_every_placeholder() {
        let permissions = permission_names();
        let filled = [
            permissions.fix_service_user("P"),
            permissions.fix_service_user_missing(),
            permissions.fix_access_data_for(),
            permissions.fix_api_token("Payroll Info read"),
            permissions.view_categories(&[Category::Work]),
        ];
        for text in filled {
            assert!(!text.contains('{'), "{text}");
        }
        assert!(
            permissions
                .fix_service_user("P")
                .contains("Settings > Account > Permission groups")
        );
    }

    #[test]
    fn full_employee_read_names_the_four_categories_it_needs() {
        let permissions = permission_names();
        let permission = permissions.for_scope("Full employee read").unwrap();
        assert_eq!(
            permission,
            permissions.view_categories(&Category::FULL_EMPLOYEE_READ)
        );
        assert!(permission.contains("Basic info, About, Employment and Work"));
    }
}
