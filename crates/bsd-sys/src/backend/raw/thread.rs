//! Thread calls as direct system calls.

use super::arch::syscall0;
use super::nr;
use crate::ThreadId;

#[inline]
pub(crate) fn gettid() -> ThreadId {
    #[cfg(target_os = "dragonfly")]
    const NR: usize = nr::LWP_GETTID;
    #[cfg(target_os = "linux")]
    const NR: usize = nr::GETTID;
    // SAFETY: lwp_gettid(2) / gettid(2) take no arguments and cannot fail.
    let tid = unsafe { syscall0(NR) };
    ThreadId::from_raw(tid.unwrap_or(0) as ::libc::pid_t)
}
