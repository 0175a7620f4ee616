//! Process hardening while secrets are in memory: no core file that could hold the token, and no other
//! process of the same user reading this one's memory through a debugger interface.
//!
//! - Linux: the core-file limit is set to zero and the process marks itself non-dumpable
//!   (`PR_SET_DUMPABLE`), which also refuses ptrace and `/proc/<pid>/mem` to other processes of the same
//!   user. ssh-agent does the same for the same reason (OpenSSH `platform_disable_tracing`).
//! - macOS: the core-file limit is set to zero (macOS writes core files to /cores only when that limit
//!   allows it), and `ptrace(PT_DENY_ATTACH)` refuses debuggers from now on; a process already being traced
//!   is ended by the kernel instead. OpenSSH's ssh-agent calls the same on macOS (platform-tracing.c).
//!   Unlike Linux this does not stop a process with the `task_for_pid` right (root, or a debugger the user
//!   has authorised); there is no cheap, standard way to refuse those.
//! - Windows: nothing. There is no core-file limit to lower: Windows Error Reporting writes a crash dump
//!   only where an administrator has configured `LocalDumps`, which a process cannot override for itself.
//!   Any process of the same user may open this one for reading (`PROCESS_VM_READ`) regardless of what it
//!   does: it owns the process object and could rewrite any access list the process set on itself, so
//!   such a list would promise protection it does not give. The Credential Manager is the line of defence.
//! - Elsewhere: nothing (hibob-auth has no OS keyring there either).

/// Apply the hardening above. Returns whether every step of it was done on this platform (always
/// `false` where there is none).
pub fn disable_core_dumps() -> bool {
    #[cfg(any(target_os = "linux", target_os = "macos"))]
    {
        no_core_files() && refuse_debuggers()
    }
    #[cfg(not(any(target_os = "linux", target_os = "macos")))]
    {
        false
    }
}

/// Core-file limit zero, soft and hard, so nothing started later can raise it again.
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn no_core_files() -> bool {
    let no_core = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: a plain system call with a valid pointer; it only changes this process's own limit.
    unsafe { libc::setrlimit(libc::RLIMIT_CORE, &no_core) == 0 }
}

#[cfg(target_os = "linux")]
fn refuse_debuggers() -> bool {
    // SAFETY: PR_SET_DUMPABLE takes an integer argument and no pointers; it changes only this process.
    unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 }
}

#[cfg(target_os = "macos")]
fn refuse_debuggers() -> bool {
    // SAFETY: PT_DENY_ATTACH takes no address or data (they are ignored) and applies to the calling process.
    unsafe { libc::ptrace(libc::PT_DENY_ATTACH, 0, std::ptr::null_mut(), 0) == 0 }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn core_dumps_are_disabled() {
        assert!(disable_core_dumps());
        // SAFETY: reading this process's own attribute.
        let dumpable = unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) };
        assert_eq!(dumpable, 0);
        let mut limit = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        // SAFETY: `limit` is a valid, writable rlimit.
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut limit) }, 0);
        assert_eq!(limit.rlim_cur, 0);
    }
}
