//! The signal concern: process ids (actions, masks, alternate stacks and thread-directed kill come
//! with the bsd-signal work).

use crate::backend::imp;
use crate::Pid;

/// The id of the calling process. Cannot fail.
///
/// # References
/// - [OpenBSD getpid(2)](https://man.openbsd.org/getpid.2)
/// - [DragonFly getpid(2)](https://man.dragonflybsd.org/?command=getpid&section=2)
/// - [Linux getpid(2)](https://man7.org/linux/man-pages/man2/getpid.2.html)
#[inline]
pub fn getpid() -> Pid {
    imp::signal::getpid()
}
