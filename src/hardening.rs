//! Process hardening while secrets are in memory.
//!
//! On Linux the process marks itself non-dumpable and sets its core-file limit to zero, so a crash never
//! writes the token to a core file and other processes of the same user cannot read its memory through
//! ptrace or /proc. (ssh-agent does the same for the same reason.) Elsewhere this does nothing.

/// Disable core dumps for this process. Returns whether it was done.
pub fn disable_core_dumps() -> bool {
    #[cfg(target_os = "linux")]
    {
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: plain system calls with valid arguments; they only change this process's own attributes.
        let limited = unsafe { libc::setrlimit(libc::RLIMIT_CORE, &no_core) } == 0;
        // SAFETY: as above; PR_SET_DUMPABLE takes an integer argument and no pointers.
        let undumpable = unsafe { libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0) } == 0;
        limited && undumpable
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
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
