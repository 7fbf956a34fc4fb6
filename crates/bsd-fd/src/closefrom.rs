//! `closefrom`: closing every descriptor from a number up.

use std::os::fd::RawFd;

use bsd_sys::{Errno, Result};

/// Closes every open descriptor `>= min`.
///
/// A negative `min` gives `Errno::INVAL`; nothing to close is success on every OS.
///
/// # Platform
/// - OpenBSD: `closefrom(2)`; its `Errno::BADF` for "nothing open at or above `min`"
///   (`sys_closefrom`, `sys/kern/kern_descrip.c`) is turned into `Ok(())` here.
/// - DragonFly: `closefrom(2)` (system call 474).
/// - Linux: `close_range(min, ~0, 0)`, one system call, Linux 5.9 and later (older kernels give
///   `Errno::NOSYS`; no loop fallback).
///
/// # Safety
/// Every descriptor `>= min` is closed, whoever owns it (an `OwnedFd`, a `File`, the standard
/// library's own): the caller guarantees that none of them is used again, as in a child between
/// `fork` and `exec`, or a process that owns every descriptor in that range.
///
/// # References
/// - [OpenBSD closefrom(2)](https://man.openbsd.org/closefrom.2)
/// - [DragonFly closefrom(2)](https://man.dragonflybsd.org/?command=closefrom&section=2)
/// - [Linux close_range(2)](https://man7.org/linux/man-pages/man2/close_range.2.html)
///
/// # Examples
/// ```no_run
/// // In a freshly forked child that owns nothing above stderr:
/// unsafe { bsd_fd::closefrom(3) }.unwrap();
/// ```
#[doc(alias = "close_range")]
pub unsafe fn closefrom(min: RawFd) -> Result<()> {
    if min < 0 {
        return Err(Errno::INVAL);
    }
    // SAFETY: forwarded to the caller.
    match unsafe { bsd_sys::fd::closefrom(min) } {
        Err(Errno::BADF) if cfg!(target_os = "openbsd") => Ok(()),
        other => other,
    }
}
