//! Profile records: everything about a stored credential that is not secret, one TOML file per profile
//! in `<config dir>/hibob-auth/profiles/<name>.toml`, the config dir the `directories` crate names: on Linux
//! `$XDG_CONFIG_HOME/hibob-auth/profiles`, on macOS `~/Library/Application Support/hibob-auth/profiles`, on
//! Windows `%APPDATA%\hibob-auth\config\profiles` (the Roaming AppData known folder).
//!
//! A record never holds the token: at most a hint of its last four characters. Files are written
//! atomically (a temporary file in the same directory, then a rename), mode 0600, in a 0700 directory.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::credential::CredentialKind;
use crate::hibob::{ApiUrl, Report, ScopeStatus, Verdict};
use crate::store::StoreChoice;
use crate::store::StoreError;

/// Long enough for any sensible name, short enough to stay a file name and a keyring user everywhere.
pub const MAX_PROFILE_NAME_LEN: usize = 64;

const EXTENSION: &str = "toml";

/// Check that `name` can be a profile: it becomes a file name and a keyring user, so only letters,
/// digits, `-`, `_` and `.`, not starting with `.` (no hidden files, no `..`), at most 64 characters.
pub fn validate_profile_name(name: &str) -> Result<(), StoreError> {
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
        None => Ok(()),
    }
}

/// What is known about a stored credential, without the credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileRecord {
    pub kind: CredentialKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_user_id: Option<String>,
    /// The API this credential belongs to (production, sandbox, ...): later checks use it.
    pub api_url: String,
    /// Which store holds the secret.
    pub store: StoreChoice,
    /// At most the last four characters of the token, e.g. `…a1b2`; none for short tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_hint: Option<String>,
    /// When this credential (this service user, or this API token) was first stored in the profile
    /// (RFC 3339, UTC). Storing the same token again keeps it; so does a rotation.
    pub stored_at: String,
    /// When its token was last replaced by a new one for the same service user (a rotation), if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_check: Option<LastCheck>,
}

impl ProfileRecord {
    /// The remembered API URL, validated again (the file may have been edited by hand).
    pub fn api_url(&self) -> Result<ApiUrl, crate::hibob::ApiUrlError> {
        ApiUrl::parse(&self.api_url)
    }

    /// Whether both records describe the same stored credential (the same save), whatever was checked since.
    pub fn same_credential(&self, other: &ProfileRecord) -> bool {
        self.kind == other.kind
            && self.service_user_id == other.service_user_id
            && self.token_hint == other.token_hint
            && self.store == other.store
            && self.stored_at == other.stored_at
            && self.rotated_at == other.rotated_at
    }

    /// When the token in use was made part of this profile: its last rotation, else its first store. A
    /// security policy's "reset every N days" counts from here.
    pub fn token_since(&self) -> &str {
        self.rotated_at.as_deref().unwrap_or(&self.stored_at)
    }
}

/// The outcome of the last live check of a profile's credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastCheck {
    pub checked_at: String,
    pub verdict: Verdict,
    pub api_url: String,
    #[serde(default)]
    pub scopes: Vec<ScopeRecord>,
}

/// One scope's status at the last check, by the scope's exact name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeRecord {
    pub scope: String,
    pub status: ScopeStatus,
}

#[cfg(test)]
impl ProfileRecord {
    /// A service user's record against `api_url`, never checked: tests change what they need.
    pub(crate) fn example(api_url: &str) -> ProfileRecord {
        ProfileRecord {
            kind: CredentialKind::ServiceUser,
            service_user_id: Some("SERVICE-1".to_string()),
            api_url: api_url.to_string(),
            store: StoreChoice::Native,
            token_hint: None,
            stored_at: "2026-01-01T00:00:00Z".to_string(),
            rotated_at: None,
            last_check: None,
        }
    }
}

impl LastCheck {
    pub fn from_report(report: &Report) -> LastCheck {
        LastCheck {
            checked_at: rfc3339(report.checked_at),
            verdict: report.verdict,
            api_url: report.api_url.as_str().to_string(),
            scopes: report
                .permissions
                .iter()
                .map(|row| ScopeRecord {
                    scope: row.scope.name().to_string(),
                    status: row.status,
                })
                .collect(),
        }
    }
}

/// A time as RFC 3339 in UTC, to the second, as records keep it.
pub fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

/// The directory of profile records.
#[derive(Debug, Clone)]
pub struct ProfileDir {
    root: PathBuf,
}

/// A record file that exists but could not be read, listed next to the good ones.
#[derive(Debug)]
pub struct ListedProfile {
    pub name: String,
    pub record: Result<ProfileRecord, StoreError>,
}

impl ProfileDir {
    /// `<platform config dir>/hibob-auth/profiles`, from the `directories` crate.
    pub fn from_env() -> Result<ProfileDir, StoreError> {
        let dirs = directories::ProjectDirs::from("", "", "hibob-auth").ok_or_else(|| {
            StoreError::Other(
                "no home directory was found, so there is no place for profile records; set HOME"
                    .to_string(),
            )
        })?;
        Ok(ProfileDir::at(dirs.config_dir().join("profiles")))
    }

    pub fn at(root: impl Into<PathBuf>) -> ProfileDir {
        ProfileDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(format!("{name}.{EXTENSION}"))
    }

    /// The record of `name`, or `None` when there is none.
    pub fn read(&self, name: &str) -> Result<Option<ProfileRecord>, StoreError> {
        validate_profile_name(name)?;
        let path = self.path(name);
        match fs::read_to_string(&path) {
            Ok(text) => parse(&path, &text).map(Some),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(StoreError::RecordUnreadable {
                path: path.display().to_string(),
                detail: err.to_string(),
            }),
        }
    }

    /// Write the record of `name` atomically, mode 0600, creating the directory (0700) if needed.
    pub fn write(&self, name: &str, record: &ProfileRecord) -> Result<PathBuf, io::Error> {
        validate_profile_name(name).map_err(|err| io::Error::other(err.to_string()))?;
        create_private_dir(&self.root)?;
        let path = self.path(name);
        let text = format!(
            "# hibob-auth profile '{name}'. No secret here: the credential itself is in the OS keyring.\n{}",
            toml::to_string(record).map_err(io::Error::other)?
        );
        write_atomically(&self.root, &path, text.as_bytes())?;
        Ok(path)
    }

    /// Delete the record of `name`. Returns whether there was one.
    pub fn remove(&self, name: &str) -> Result<bool, StoreError> {
        validate_profile_name(name)?;
        let path = self.path(name);
        match fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(err) => Err(StoreError::RecordNotChanged {
                path: path.display().to_string(),
                detail: err.to_string(),
            }),
        }
    }

    /// Every profile with a record, sorted by name. A missing directory means no profiles.
    pub fn list(&self) -> Result<Vec<ListedProfile>, StoreError> {
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => {
                return Err(StoreError::RecordUnreadable {
                    path: self.root.display().to_string(),
                    detail: err.to_string(),
                });
            }
        };
        let mut listed = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().and_then(|ext| ext.to_str()) != Some(EXTENSION) {
                continue;
            }
            let Some(name) = path.file_stem().and_then(|stem| stem.to_str()) else {
                continue;
            };
            // Temporary files of an interrupted write and anything that is not a profile name are skipped.
            if validate_profile_name(name).is_err() {
                continue;
            }
            let record = self.read(name).and_then(|record| {
                record.ok_or_else(|| StoreError::RecordUnreadable {
                    path: path.display().to_string(),
                    detail: "it disappeared while being read".to_string(),
                })
            });
            listed.push(ListedProfile {
                name: name.to_string(),
                record,
            });
        }
        listed.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(listed)
    }
}

fn parse(path: &Path, text: &str) -> Result<ProfileRecord, StoreError> {
    toml::from_str(text).map_err(|err| StoreError::RecordUnreadable {
        path: path.display().to_string(),
        // toml's message quotes the offending line; a record holds no secret, so that is safe to show.
        detail: err.message().to_string(),
    })
}

pub(crate) fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    // The directory may predate us with looser permissions; it is ours, so tighten it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Write `bytes` to `path` so that a reader sees the old file or the new one, never half of one.
fn write_atomically(dir: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let file_name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("profile");
    let temp = dir.join(format!(
        ".{file_name}.{}-{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)?;
        // Make the rename itself durable; a directory that cannot be synced is not worth failing over.
        if let Ok(handle) = fs::File::open(dir) {
            let _ = handle.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ProfileRecord {
        ProfileRecord {
            kind: CredentialKind::ServiceUser,
            service_user_id: Some("SERVICE-7".to_string()),
            api_url: "https://api.sandbox.hibob.com".to_string(),
            store: StoreChoice::Native,
            token_hint: Some("…wxyz".to_string()),
            stored_at: "2026-01-02T03:04:05Z".to_string(),
            rotated_at: Some("2026-03-04T05:06:07Z".to_string()),
            last_check: Some(LastCheck {
                checked_at: "2026-01-02T03:04:06Z".to_string(),
                verdict: Verdict::Limited,
                api_url: "https://api.sandbox.hibob.com".to_string(),
                scopes: vec![ScopeRecord {
                    scope: "Payroll Info read".to_string(),
                    status: ScopeStatus::Missing,
                }],
            }),
        }
    }

    #[test]
    fn names_that_could_escape_the_directory_are_refused() {
        for bad in [
            "", "../x", "a/b", "a\\b", ".hidden", "..", "a b", "ü", "x:y",
        ] {
            assert!(
                matches!(
                    validate_profile_name(bad),
                    Err(StoreError::InvalidProfileName { .. })
                ),
                "{bad:?} was accepted"
            );
        }
        assert!(validate_profile_name(&"a".repeat(65)).is_err());
        for good in ["default", "sandbox", "prod-eu_2", "team.payroll", "A1"] {
            validate_profile_name(good).unwrap();
        }
    }

    #[test]
    fn a_record_round_trips_through_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = ProfileDir::at(dir.path().join("hibob-auth/profiles"));
        let path = profiles.write("sandbox", &record()).unwrap();
        assert_eq!(path, profiles.path("sandbox"));
        assert_eq!(profiles.read("sandbox").unwrap(), Some(record()));
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# hibob-auth profile 'sandbox'"), "{text}");
        assert!(text.contains("verdict = \"limited\""), "{text}");
        assert!(text.contains("store = \"native\""), "{text}");
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("hibob-auth/profiles");
        let profiles = ProfileDir::at(&root);
        let path = profiles.write("default", &record()).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&root), 0o700);
    }

    #[test]
    fn rewriting_replaces_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = ProfileDir::at(dir.path());
        profiles.write("default", &record()).unwrap();
        let mut changed = record();
        changed.last_check = None;
        profiles.write("default", &changed).unwrap();
        assert_eq!(profiles.read("default").unwrap(), Some(changed));
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["default.toml".to_string()]);
    }

    #[test]
    fn missing_records_and_directories_are_empty_not_errors() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = ProfileDir::at(dir.path().join("nothing-here"));
        assert_eq!(profiles.read("default").unwrap(), None);
        assert!(profiles.list().unwrap().is_empty());
        assert!(!profiles.remove("default").unwrap());
    }

    #[test]
    fn list_is_sorted_and_reports_broken_records() {
        let dir = tempfile::tempdir().unwrap();
        let profiles = ProfileDir::at(dir.path());
        profiles.write("zeta", &record()).unwrap();
        profiles.write("alpha", &record()).unwrap();
        fs::write(dir.path().join("broken.toml"), "kind = 12").unwrap();
        fs::write(dir.path().join(".alpha.toml.1-0.tmp"), "junk").unwrap();
        fs::write(dir.path().join("notes.txt"), "junk").unwrap();
        let listed = profiles.list().unwrap();
        let names: Vec<&str> = listed.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["alpha", "broken", "zeta"]);
        assert!(matches!(
            listed[1].record,
            Err(StoreError::RecordUnreadable { .. })
        ));
    }

    #[test]
    fn a_hand_edited_plain_http_url_is_refused_when_used() {
        let mut edited = record();
        edited.api_url = "http://example.com".to_string();
        assert!(edited.api_url().is_err());
        assert!(record().api_url().is_ok());
    }

    #[test]
    fn last_check_keeps_every_scope_of_the_report() {
        let report = Report::from_results(
            CredentialKind::ServiceUser,
            ApiUrl::sandbox(),
            &[],
            SystemTime::UNIX_EPOCH,
            std::time::Duration::ZERO,
        );
        let last = LastCheck::from_report(&report);
        assert_eq!(last.checked_at, "1970-01-01T00:00:00Z");
        assert_eq!(last.verdict, Verdict::Unverifiable);
        assert_eq!(last.scopes.len(), 6);
        assert_eq!(last.scopes[0].scope, "Full employee read");
    }
}
