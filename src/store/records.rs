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

use crate::store::{ListedProfile, ProfileName, ProfileRecord, StoreError};

const EXTENSION: &str = "toml";

/// The directory of profile records.
#[derive(Debug, Clone)]
pub struct ProfileDir {
    root: PathBuf,
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
        ProfileName::new(name)?;
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
        ProfileName::new(name).map_err(|err| io::Error::other(err.to_string()))?;
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
        ProfileName::new(name)?;
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
            if ProfileName::new(name).is_err() {
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
    use crate::credential::CredentialKind;
    use crate::store::{CheckVerdict, LastCheck, ScopeRecord, StoreChoice};

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
                verdict: CheckVerdict::Limited,
                api_url: "https://api.sandbox.hibob.com".to_string(),
                scopes: vec![ScopeRecord {
                    scope: "Payroll Info read".to_string(),
                    status: "missing".to_string(),
                }],
            }),
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
}
