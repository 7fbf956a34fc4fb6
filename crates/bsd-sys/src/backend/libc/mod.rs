//! The libc backend: every call goes through the C library's own stub.
//!
//! The only legal path on OpenBSD (pinsyscalls(2)); selectable on DragonFly and the Linux default.

pub(crate) mod event;
pub(crate) mod fd;
pub(crate) mod fd_ext;
pub(crate) mod mem;
pub(crate) mod process;
pub(crate) mod random;
pub(crate) mod signal;
pub(crate) mod signal_wait;
#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
pub(crate) mod sysctl;
pub(crate) mod thread;
pub(crate) mod time;
pub(crate) mod time_sleep;

use crate::{Errno, Result};

/// The calling thread's `errno`, read right after a failed call.
#[inline]
pub(crate) fn last_errno() -> Errno {
    // SAFETY: the errno accessor returns a valid pointer to the calling thread's errno.
    Errno::from_raw(unsafe { *errno_location() })
}

cfg_if::cfg_if! {
    if #[cfg(target_os = "openbsd")] {
        use ::libc::__errno as errno_location;
    } else {
        use ::libc::__errno_location as errno_location;
    }
}

/// Turns a C `-1`-and-errno return into a `Result`.
#[inline]
pub(crate) fn check(ret: ::libc::c_int) -> Result<::libc::c_int> {
    if ret == -1 {
        Err(last_errno())
    } else {
        Ok(ret)
    }
}

/// Turns a C `-1`-and-errno `ssize_t` return into a `Result`.
#[inline]
pub(crate) fn check_size(ret: ::libc::ssize_t) -> Result<usize> {
    if ret < 0 {
        Err(last_errno())
    } else {
        Ok(ret as usize)
    }
}
