//! Thread calls through libc.

use crate::ThreadId;

#[cfg(target_os = "dragonfly")]
extern "C" {
    /// `lwpid_t lwp_gettid(void)`: DragonFly libc, lwp_gettid(2); not bound by the libc crate.
    fn lwp_gettid() -> ::libc::lwpid_t;
}

#[inline]
pub(crate) fn gettid() -> ThreadId {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "openbsd")] {
            // SAFETY: getthrid(2) takes no arguments and cannot fail.
            ThreadId::from_raw(unsafe { ::libc::getthrid() })
        } else if #[cfg(target_os = "dragonfly")] {
            // SAFETY: lwp_gettid(2) takes no arguments and cannot fail.
            ThreadId::from_raw(unsafe { lwp_gettid() })
        } else {
            // SAFETY: gettid(2) takes no arguments and cannot fail.
            ThreadId::from_raw(unsafe { ::libc::gettid() })
        }
    }
}
