//! Looking for a secret where it must not be: a distinctive credential (the canary), every form in which it
//! could show up, and the places to search (output, files, a running process's command line).
#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::path::{Path, PathBuf};

use base64::Engine as _;

use super::fake_hibob::Expected;

/// A service-user ID that the leak tests use. Not a secret (HiBob shows IDs in its UI), but distinctive.
pub const CANARY_ID: &str = "SERVICE-LEAKCANARY-4242";
/// A token nothing else in the project contains, so finding any part of it anywhere is a leak.
pub const CANARY_TOKEN: &str = "canaryQ7mZx2Lp9Wv4Rk8Tn3Bd6Hy1Jc5Fs0Ga";

/// Everything derived from the canary that would give it away.
pub struct Canary {
    forms: Vec<(&'static str, Vec<u8>)>,
}

impl Default for Canary {
    fn default() -> Self {
        Canary::new()
    }
}

impl Canary {
    pub fn new() -> Canary {
        let token = CANARY_TOKEN;
        let header = Expected::ServiceUser {
            id: CANARY_ID.to_string(),
            token: token.to_string(),
        }
        .header_value();
        let blob =
            format!(r#"{{"v":1,"kind":"service-user","id":"{CANARY_ID}","token":"{token}"}}"#);
        // The masked view may show the last four characters; anything longer than that is a leak.
        let without_hint = &token[..token.len() - 4];
        let mut forms: Vec<(&'static str, Vec<u8>)> = vec![
            ("the token", token.as_bytes().to_vec()),
            (
                "the token without its last four characters",
                without_hint.as_bytes().to_vec(),
            ),
            ("the Basic Authorization value", header.into_bytes()),
            ("the keyring's JSON blob", blob.into_bytes()),
        ];
        for (shift, name) in [
            (0, "the token in base64 (aligned)"),
            (1, "the token in base64 (offset 1)"),
            (2, "the token in base64 (offset 2)"),
        ] {
            forms.push((name, base64_core(token.as_bytes(), shift).into_bytes()));
        }
        Canary { forms }
    }

    /// The ID and token as the fake HiBob expects them.
    pub fn expected() -> Expected {
        Expected::ServiceUser {
            id: CANARY_ID.to_string(),
            token: CANARY_TOKEN.to_string(),
        }
    }

    /// The first form of the canary found in `haystack`, if any.
    pub fn find_in(&self, haystack: &[u8]) -> Option<&'static str> {
        self.forms
            .iter()
            .find(|(_, needle)| contains(haystack, needle))
            .map(|(name, _)| *name)
    }

    /// Fail, naming `place` and the form found, if any form of the canary is in `haystack`. The haystack is
    /// shown only when it is text, to make the failure readable.
    pub fn assert_absent(&self, haystack: &[u8], place: &str) {
        if let Some(form) = self.find_in(haystack) {
            panic!(
                "{form} leaked into {place}:\n{}",
                String::from_utf8_lossy(haystack)
            );
        }
    }

    /// Fail if any file under `roots` contains a form of the canary.
    pub fn assert_in_no_file(&self, roots: &[&Path]) {
        for root in roots {
            for file in files_under(root) {
                let bytes = std::fs::read(&file).unwrap_or_default();
                if let Some(form) = self.find_in(&bytes) {
                    panic!("{form} leaked into the file {}", file.display());
                }
            }
        }
    }

    /// Fail if the command line of `pid` or of any process it started contains a form of the canary.
    /// Returns how many command lines were read (a process may have ended meanwhile).
    pub fn assert_not_in_command_lines(&self, pid: u32) -> usize {
        let mut read = 0;
        for process in process_tree(pid) {
            if let Ok(cmdline) = std::fs::read(format!("/proc/{process}/cmdline")) {
                read += 1;
                self.assert_absent(&cmdline, &format!("the command line of process {process}"));
            }
        }
        read
    }
}

/// The base64 characters that depend only on `bytes` when they start `shift` bytes into a 3-byte group:
/// whatever comes before or after them in an encoded stream, these characters appear.
fn base64_core(bytes: &[u8], shift: usize) -> String {
    let mut shifted = vec![0u8; shift];
    shifted.extend_from_slice(bytes);
    let encoded = base64::engine::general_purpose::STANDARD.encode(&shifted);
    let start = if shift == 0 { 0 } else { 4 };
    let end = shifted.len() / 3 * 4;
    encoded[start..end].to_string()
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// Every regular file under `dir`, recursively (a missing directory has none).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

/// `pid` and all its descendants, as far as /proc shows them now.
pub fn process_tree(pid: u32) -> Vec<u32> {
    let mut all = vec![pid];
    let mut index = 0;
    while index < all.len() {
        let current = all[index];
        index += 1;
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{current}/task")) else {
            continue;
        };
        for task in tasks.flatten() {
            let children =
                std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
            all.extend(
                children
                    .split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
    }
    all
}
