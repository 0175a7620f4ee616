//! The six approved scopes of the documented flow, by their exact names, and what each maps to today.

use serde::{Serialize, Serializer};

use crate::credential::CredentialKind;

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

    /// The service-user permission that matches this scope (HiBob's permission-group settings).
    pub fn service_user_permission(self) -> &'static str {
        match self {
            Scope::FullEmployeeRead => {
                "People's data > View selected employees' Basic info, About and Employment sections"
            }
            Scope::EmployeeFieldsRead => {
                "none needed: HiBob lets any service user read the field list"
            }
            Scope::PayrollInfoRead => {
                "People's data > Payroll > View selected employees' Payroll sections"
            }
            Scope::TimeoffSubmitAndRead => {
                "People's data > Time off > See who's out today (submitting also needs Time off > Requests)"
            }
            Scope::EmployeeUpdate => "People's data > Edit selected employees' sections",
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
                "in HiBob, open Settings > Integrations > Service users, find the permission group that holds this service user, enable {} and save",
                self.service_user_permission()
            ),
            CredentialKind::ApiToken => format!(
                "in HiBob's API access page, enable the scope \"{}\" and click Save",
                self.name()
            ),
        }
    }
}

impl Serialize for Scope {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}
