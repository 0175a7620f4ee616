//! A profile's name, validated once where it enters: it becomes a file name, a keyring user and a path in
//! a secret store, so it can never name something outside the place that holds profiles.

use std::fmt;

use crate::store::StoreError;

/// Long enough for any sensible name, short enough to stay a file name and a keyring user everywhere.
pub const MAX_PROFILE_NAME_LEN: usize = 64;

/// A valid profile name: letters, digits, `-`, `_` and `.`, not starting with `.` (no hidden files, no
/// `..`), at most [`MAX_PROFILE_NAME_LEN`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProfileName(String);

impl ProfileName {
    /// The name, or why it cannot be one (the error quotes at most 80 characters of it).
    pub fn new(name: &str) -> Result<ProfileName, StoreError> {
        let reason = if name.is_empty() {
            Some("it is empty")
        } else if name.chars().count() > MAX_PROFILE_NAME_LEN {
            Some("it is longer than 64 characters")
        } else if name.starts_with('.') {
            Some("it starts with a dot")
        } else if name.contains(['/', '\\']) {
            Some("it contains a path separator")
        } else if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            Some("use only letters, digits, '-', '_' and '.'")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(StoreError::InvalidProfileName {
                name: name.chars().take(80).collect(),
                reason,
            }),
            None => Ok(ProfileName(name.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProfileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_could_escape_the_directory_are_refused() {
        for bad in [
            "", "../x", "a/b", "a\\b", ".hidden", "..", "a b", "ü", "x:y",
        ] {
            assert!(
                matches!(
                    ProfileName::new(bad),
                    Err(StoreError::InvalidProfileName { .. })
                ),
                "{bad:?} was accepted"
            );
        }
        assert!(ProfileName::new(&"a".repeat(65)).is_err());
        for good in ["default", "sandbox", "prod-eu_2", "team.payroll", "A1"] {
            assert_eq!(ProfileName::new(good).unwrap().as_str(), good);
        }
    }
}
