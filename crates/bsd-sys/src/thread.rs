//! The thread concern: thread ids (futex-style wait/wake, yield, CPU count and names come with
//! the bsd-thread work).

use crate::backend::imp;
use crate::ThreadId;

/// The kernel id of the calling thread; see [`ThreadId`].
///
/// # References
/// - [OpenBSD getthrid(2)](https://man.openbsd.org/getthrid.2)
/// - [DragonFly lwp_gettid(2)](https://man.dragonflybsd.org/?command=lwp_gettid&section=2)
/// - [Linux gettid(2)](https://man7.org/linux/man-pages/man2/gettid.2.html)
#[doc(alias = "getthrid")]
#[doc(alias = "lwp_gettid")]
#[inline]
pub fn gettid() -> ThreadId {
    imp::thread::gettid()
}
