//! Build facts for `--version`: the git commit when built from a checkout of this repository, and the
//! target. Never fails the build: without git, or outside a checkout (a source tarball, `cargo install`
//! from the registry), the version simply has no commit.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let target = std::env::var("TARGET").unwrap_or_default();
    let long = match commit() {
        Some(commit) => format!("{version} ({commit} {target})"),
        None => format!("{version} ({target})"),
    };
    println!("cargo:rustc-env=HIBOB_AUTH_VERSION={long}");
}

/// The short commit of HEAD, if this package's directory is the top of a git work tree (not merely
/// somewhere inside another repository, as an unpacked tarball might be).
fn commit() -> Option<String> {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    let top = git(&manifest_dir, &["rev-parse", "--show-toplevel"])?;
    if Path::new(&top).canonicalize().ok()? != Path::new(&manifest_dir).canonicalize().ok()? {
        return None;
    }
    // Rebuild when HEAD moves: HEAD itself (a checkout) and the ref it names (a commit). `--git-path`
    // finds them in a linked worktree too, where `.git` is a file.
    for path in ["HEAD", "packed-refs"] {
        if let Some(file) = git(&manifest_dir, &["rev-parse", "--git-path", path]) {
            println!(
                "cargo:rerun-if-changed={}",
                Path::new(&manifest_dir).join(file).display()
            );
        }
    }
    if let Some(name) = git(&manifest_dir, &["symbolic-ref", "-q", "HEAD"])
        && let Some(file) = git(&manifest_dir, &["rev-parse", "--git-path", &name])
    {
        println!(
            "cargo:rerun-if-changed={}",
            Path::new(&manifest_dir).join(file).display()
        );
    }
    git(&manifest_dir, &["rev-parse", "--short=12", "HEAD"])
}

fn git(dir: &str, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}
