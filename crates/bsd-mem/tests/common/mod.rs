//! Helpers shared by the test binaries: run code in a forked child, read /proc/self/maps.
#![allow(dead_code)] // not every binary uses every helper

use bsd_sys::libc;

/// How a forked child ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Ended {
    /// `_exit(code)`.
    Exited(i32),
    /// Killed by this signal.
    Signaled(i32),
}

/// Runs `f` in a forked child that then `_exit(0)`s, and reports how the child ended.
///
/// `f` must be async-signal-safe in spirit: touch memory, no allocation, no locks, no panics
/// (report failure with `_exit(1)`).
pub fn in_child(f: impl FnOnce()) -> Ended {
    // SAFETY: the child runs only `f` (memory accesses) and `_exit`, nothing that could
    // need a lock another thread of the parent held at fork time.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        f();
        // SAFETY: leaves the child immediately, without running the parent's destructors.
        unsafe { libc::_exit(0) };
    }
    let mut status = 0;
    // SAFETY: `status` is a writable int; `pid` is our child.
    let ret = unsafe { libc::waitpid(pid, &mut status, 0) };
    assert_eq!(ret, pid, "waitpid failed");
    if libc::WIFSIGNALED(status) {
        Ended::Signaled(libc::WTERMSIG(status))
    } else {
        Ended::Exited(libc::WEXITSTATUS(status))
    }
}

/// The permission field (`rw-p`...) of the /proc/self/maps line holding `addr`.
pub fn perms_of(addr: usize) -> Option<String> {
    let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
    for line in maps.lines() {
        let mut fields = line.split_whitespace();
        let range = fields.next()?;
        let perms = fields.next()?;
        let (lo, hi) = range.split_once('-')?;
        let lo = usize::from_str_radix(lo, 16).ok()?;
        let hi = usize::from_str_radix(hi, 16).ok()?;
        if (lo..hi).contains(&addr) {
            return Some(perms.to_string());
        }
    }
    None
}

/// A fresh path in the temporary directory, removed by the returned guard.
pub struct TempPath(pub std::path::PathBuf);

impl TempPath {
    pub fn new(tag: &str) -> TempPath {
        let mut p = std::env::temp_dir();
        p.push(format!(
            "bsd-mem-{}-{}-{}",
            tag,
            std::process::id(),
            bsd_sys::BACKEND
        ));
        TempPath(p)
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
