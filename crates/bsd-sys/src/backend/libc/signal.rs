//! Signal calls through libc.

use crate::Pid;

#[inline]
pub(crate) fn getpid() -> Pid {
    // SAFETY: getpid(2) takes no arguments and cannot fail.
    Pid::from_raw(unsafe { ::libc::getpid() })
}
