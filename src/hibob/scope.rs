//! The six approved scopes of the documented flow, by their exact names, and what each maps to today.

use serde::{Serialize, Serializer};

use crate::credential::CredentialKind;
use crate::hibob::category::{Category, names};

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
    /// (Settings > Account > Permission groups > a group > Permissions). Sources: HiBob's help on service
    /// users and permission groups, which says Full employee read needs the Basic info, About, Employment
    /// and Work categories; HiBob's people read API contract (field-level permissions per category); the
    /// time-off names as Unified.to's HiBob guide quotes them ("People's Data > Time off > See who's out").
    pub fn service_user_permission(self) -> &'static str {
        match self {
            Scope::FullEmployeeRead => {
                "People's data > View selected employees' Basic info, About, Employment and Work sections"
            }
            Scope::EmployeeFieldsRead => {
                "none needed: HiBob lets any service user read the field list"
            }
            Scope::PayrollInfoRead => "People's data > View selected employees' Payroll sections",
            Scope::TimeoffSubmitAndRead => {
                "People's data > Time off > See who's out (submitting also needs Time off > Requests)"
            }
            Scope::EmployeeUpdate => {
                "People's data > Edit selected employees' <Category> sections, for each category it writes"
            }
            Scope::EmployeeFieldsWrite => {
                "the matching fields-management permission (not documented by HiBob)"
            }
        }
    }

    /// Whether this scope can only be proven by changing data; such scopes are never probed.
    pub fn is_write(self) -> bool {
        matches!(self, Scope::EmployeeUpdate | Scope::EmployeeFieldsWrite)
    }

    /// Where to fix a missing scope, for the kind of credential at hand.
    pub fn how_to_grant(self, kind: CredentialKind) -> String {
        match kind {
            CredentialKind::ServiceUser => format!(
                "in HiBob, open Settings > Account > Permission groups, open the group that holds this service user, enable {} and save",
                self.service_user_permission()
            ),
            CredentialKind::ApiToken => self.how_to_enable_scope(),
        }
    }

    /// Where to fix some hidden categories of this scope (only those), for the kind of credential at hand.
    pub fn how_to_grant_categories(self, kind: CredentialKind, categories: &[Category]) -> String {
        match kind {
            CredentialKind::ServiceUser => format!(
                "in HiBob, open Settings > Account > Permission groups, open the group that holds this service user, enable People's data > View selected employees' {} sections and save",
                names(categories)
            ),
            CredentialKind::ApiToken => self.how_to_enable_scope(),
        }
    }

    fn how_to_enable_scope(self) -> String {
        format!(
            "in HiBob's API access page, enable the scope \"{}\" and click Save",
            self.name()
        )
    }
}

impl Serialize for Scope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}
