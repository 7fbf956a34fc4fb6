//! Signal calls as direct system calls.

use super::arch::syscall0;
use super::nr;
use crate::Pid;

#[inline]
pub(crate) fn getpid() -> Pid {
    // SAFETY: getpid(2) takes no arguments and cannot fail.
    let pid = unsafe { syscall0(nr::GETPID) };
    Pid::from_raw(pid.unwrap_or(0) as ::libc::pid_t)
}
