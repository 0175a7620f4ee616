//! The six approved scopes of the documented flow, by their exact names, and what each maps to today.

use serde::{Serialize, Serializer};

use crate::credential::CredentialKind;
use crate::hibob::category::Category;
use crate::hibob::permissions::permission_names;

/// One of the six scopes StackOne's guide asks for, in the guide's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    FullEmployeeRead,
    EmployeeFieldsRead,
    PayrollInfoRead,
    TimeoffSubmitAndRead,
    EmployeeUpdate,
    EmployeeFieldsWrite,
}

impl Scope {
    pub const ALL: [Scope; 6] = [
        Scope::FullEmployeeRead,
        Scope::EmployeeFieldsRead,
        Scope::PayrollInfoRead,
        Scope::TimeoffSubmitAndRead,
        Scope::EmployeeUpdate,
        Scope::EmployeeFieldsWrite,
    ];

    /// The exact scope name as HiBob's API access page showed it.
    pub fn name(self) -> &'static str {
        match self {
            Scope::FullEmployeeRead => "Full employee read",
            Scope::EmployeeFieldsRead => "Employee fields read",
            Scope::PayrollInfoRead => "Payroll Info read",
            Scope::TimeoffSubmitAndRead => "Timeoff submit request & read who's out",
            Scope::EmployeeUpdate => "Employee update",
            Scope::EmployeeFieldsWrite => "Employee fields write",
        }
    }

    /// The service-user permission that matches this scope, as HiBob's permission groups name it
    /// (`assets/permissions.toml`, which cites where each name was read).
    pub fn service_user_permission(self) -> &'static str {
        permission_names()
            .for_scope(self.name())
            .expect("every scope has a permission (a unit test proves it)")
    }

    /// Whether this scope can only be proven by changing data; such scopes are never probed.
    pub fn is_write(self) -> bool {
        matches!(self, Scope::EmployeeUpdate | Scope::EmployeeFieldsWrite)
    }

    /// Where to fix a missing scope, for the kind of credential at hand.
    pub fn how_to_grant(self, kind: CredentialKind) -> String {
        match kind {
            CredentialKind::ServiceUser => {
                permission_names().fix_service_user(self.service_user_permission())
            }
            CredentialKind::ApiToken => self.how_to_enable_scope(),
        }
    }

    /// Where to fix some hidden categories of this scope (only those), for the kind of credential at hand.
    pub fn how_to_grant_categories(self, kind: CredentialKind, categories: &[Category]) -> String {
        match kind {
            CredentialKind::ServiceUser => {
                let permissions = permission_names();
                permissions.fix_service_user(&permissions.view_categories(categories))
            }
            CredentialKind::ApiToken => self.how_to_enable_scope(),
        }
    }

    fn how_to_enable_scope(self) -> String {
        permission_names().fix_api_token(self.name())
    }
}

impl Serialize for Scope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_permissions_asset_names_every_scope_and_nothing_else() {
        let mut expected: Vec<&str> = Scope::ALL.iter().map(|scope| scope.name()).collect();
        expected.sort_unstable();
        let named: Vec<&str> = permission_names().scope_names().collect();
        assert_eq!(named, expected);
    }

    #[test]
    fn edit_permissions_are_per_category() {
        assert!(
            Scope::EmployeeUpdate
                .service_user_permission()
                .contains("Edit selected employees' <Category> sections")
        );
    }
}
