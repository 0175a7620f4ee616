//! One writer per profile: an advisory file lock beside the profile record, held by every change to a
//! profile (login, the wizard's save, logout, recording a check) across its keyring write and its record
//! write, so the keyring entry and the record always describe the same credential.
//!
//! The lock is `<profiles>/<name>.lock`, locked with the OS's own file locks through the `fs4` crate
//! (`flock` on Unix, `LockFileEx` on Windows). The operating system releases it when the holder exits or
//! crashes, so a stale lock cannot outlive its process and there is nothing to clean up; the file itself
//! stays (deleting a lock file that another process has open would let two writers in).
//!
//! The holder writes its process ID into `<profiles>/<name>.holder` so that a waiting process can name it.
//! Not into the lock file: on Windows a `LockFileEx` lock "denies all other processes both read and write
//! access to the specified region" (Microsoft's LockFile documentation), and fs4 locks the whole file, so
//! a waiting process could never read it. (Wine does not enforce that, so only real Windows shows it.)

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use fs4::{FileExt, TryLockError};

use crate::store::ProfileName;
use crate::store::StoreError;
use crate::store::records::{ProfileDir, create_private_dir};

/// Seconds a change to a profile waits for another hibob-auth that is changing the same profile.
pub const WAIT_ENV: &str = "HIBOB_AUTH_LOCK_WAIT";
/// Long enough for another process's keyring write and record write on a busy machine; an unlock prompt
/// that nobody answers keeps a writer longer, and then waiting on is not useful either.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(30);

/// First pause between attempts; it doubles up to [`MAX_PAUSE`] (the holder is normally done in
/// milliseconds, a prompt can take minutes).
const FIRST_PAUSE: Duration = Duration::from_millis(5);
const MAX_PAUSE: Duration = Duration::from_millis(200);

const EXTENSION: &str = "lock";
const HOLDER_EXTENSION: &str = "holder";

/// The held lock of one profile. Dropping it releases the lock.
#[derive(Debug)]
pub struct ProfileLock {
    file: File,
    /// Where this holder wrote its process ID.
    holder: PathBuf,
}

impl ProfileLock {
    /// Lock the profile `name`, waiting at most [`wait_from_env`] for another holder.
    pub async fn acquire(profiles: &ProfileDir, name: &str) -> Result<ProfileLock, StoreError> {
        Self::acquire_within(profiles, name, wait_from_env()).await
    }

    /// Lock the profile `name`, trying again until `wait` has passed. A holder that does not let go in
    /// time is [`StoreError::ProfileBusy`], naming its process ID when the lock file tells it.
    pub async fn acquire_within(
        profiles: &ProfileDir,
        name: &str,
        wait: Duration,
    ) -> Result<ProfileLock, StoreError> {
        ProfileName::new(name)?;
        let path = lock_path(profiles, name);
        let file = open(&path).map_err(|err| unusable(&path, &err))?;
        let deadline = tokio::time::Instant::now() + wait;
        let mut pause = FIRST_PAUSE;
        loop {
            match FileExt::try_lock(&file) {
                Ok(()) => {
                    let lock = ProfileLock {
                        file,
                        holder: holder_path(profiles, name),
                    };
                    lock.name_holder();
                    return Ok(lock);
                }
                Err(TryLockError::WouldBlock) => {}
                Err(TryLockError::Error(err)) => return Err(unusable(&path, &err)),
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Err(StoreError::ProfileBusy {
                    profile: name.to_string(),
                    holder: holder_of(&holder_path(profiles, name)),
                    seconds: wait.as_secs(),
                });
            }
            tokio::time::sleep(pause.min(deadline - now)).await;
            pause = (pause * 2).min(MAX_PAUSE);
        }
    }

    /// Write this process's ID into the holder file, for a waiting process's message. Best effort: the
    /// lock itself is what keeps writers apart (a waiter that reads the file while it is being rewritten
    /// finds no ID and names no process).
    fn name_holder(&self) {
        let _ = open(&self.holder).and_then(|mut file| {
            file.set_len(0)?;
            writeln!(file, "{}", std::process::id())?;
            file.flush()
        });
    }
}

impl Drop for ProfileLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first makes it immediate on every platform.
        let _ = FileExt::unlock(&self.file);
    }
}

/// The lock file of profile `name`, beside its record.
pub fn lock_path(profiles: &ProfileDir, name: &str) -> PathBuf {
    profiles.root().join(format!("{name}.{EXTENSION}"))
}

/// Where the holder of profile `name`'s lock writes its process ID, beside the lock file.
pub fn holder_path(profiles: &ProfileDir, name: &str) -> PathBuf {
    profiles.root().join(format!("{name}.{HOLDER_EXTENSION}"))
}

/// How long to wait for another writer: [`WAIT_ENV`] in seconds, else [`DEFAULT_WAIT`].
pub fn wait_from_env() -> Duration {
    std::env::var(WAIT_ENV)
        .ok()
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map_or(DEFAULT_WAIT, Duration::from_secs)
}

/// Open (or create) a private file; its directory is made first, private too.
fn open(path: &Path) -> std::io::Result<File> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// The process ID the holder wrote, if there is one (best effort: the holder may not have written it yet).
fn holder_of(path: &Path) -> Option<u32> {
    let mut text = String::new();
    File::open(path).ok()?.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

fn unusable(path: &Path, err: &std::io::Error) -> StoreError {
    StoreError::LockUnavailable {
        path: path.display().to_string(),
        detail: err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A profile directory that does not exist yet (the lock creates it), and the temporary directory it is in.
    fn profiles() -> (tempfile::TempDir, ProfileDir) {
        let dir = tempfile::tempdir().unwrap();
        let profiles = ProfileDir::at(dir.path().join("profiles"));
        (dir, profiles)
    }

    async fn hold(profiles: &ProfileDir, profile: &str) -> ProfileLock {
        ProfileLock::acquire_within(profiles, profile, Duration::ZERO)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_second_writer_waits_then_is_told_who_holds_the_profile() {
        let (_dir, profiles) = profiles();
        let held = hold(&profiles, "p").await;
        let err = ProfileLock::acquire_within(&profiles, "p", Duration::from_millis(30))
            .await
            .unwrap_err();
        assert_eq!(
            err,
            StoreError::ProfileBusy {
                profile: "p".to_string(),
                holder: Some(std::process::id()),
                seconds: 0,
            }
        );
        let text = err.to_string();
        assert!(text.contains("another hibob-auth"), "{text}");
        assert!(
            text.contains(&format!("process {}", std::process::id())),
            "{text}"
        );
        assert!(text.contains("To fix:"), "{text}");
        // Another profile is not held up.
        ProfileLock::acquire_within(&profiles, "q", Duration::ZERO)
            .await
            .unwrap();
        drop(held);
        ProfileLock::acquire_within(&profiles, "p", Duration::ZERO)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_waiting_writer_gets_the_lock_when_the_holder_lets_go() {
        let (_dir, profiles) = profiles();
        let held = hold(&profiles, "p").await;
        let waiter = {
            let profiles = profiles.clone();
            // Bounded only so that a broken lock fails the test instead of hanging it.
            tokio::spawn(async move {
                ProfileLock::acquire_within(&profiles, "p", Duration::from_secs(60)).await
            })
        };
        tokio::task::yield_now().await;
        drop(held);
        waiter.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn the_lock_files_are_private_and_hold_no_more_than_a_process_id() {
        let (_dir, profiles) = profiles();
        let _held = hold(&profiles, "p").await;
        let (lock, holder) = (lock_path(&profiles, "p"), holder_path(&profiles, "p"));
        assert_eq!(std::fs::read_to_string(&lock).unwrap(), "");
        assert_eq!(
            std::fs::read_to_string(&holder).unwrap(),
            format!("{}\n", std::process::id())
        );
        #[cfg(unix)]
        for path in [&lock, &holder] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", path.display());
        }
        // Neither is a profile.
        assert!(profiles.list().unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_bad_name_or_an_unusable_directory_is_an_error_not_a_wait() {
        let dir = tempfile::tempdir().unwrap();
        let err = ProfileLock::acquire_within(&ProfileDir::at(dir.path()), "../x", DEFAULT_WAIT)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::InvalidProfileName { .. }));
        let blocked = dir.path().join("file");
        std::fs::write(&blocked, "not a directory").unwrap();
        let err = ProfileLock::acquire_within(&ProfileDir::at(&blocked), "p", DEFAULT_WAIT)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::LockUnavailable { .. }), "{err:?}");
        assert!(err.to_string().contains("To fix:"), "{err}");
    }
}
