//! Sending signals: to a process, to a thread, to oneself.

use bsd_sys::{Pid, Result, Signal, ThreadId};

/// Sends `sig` to the calling thread.
///
/// If the signal is not blocked, its handler has run (or its default action has happened)
/// before this returns.
///
/// # Platform
/// OpenBSD `thrkill(getthrid(), sig, NULL)`, DragonFly `lwp_kill(-1, lwp_gettid(), sig)`, Linux
/// `tgkill(getpid(), gettid(), sig)`: as Go's runtime `raise`.
///
/// # References
/// - [OpenBSD thrkill(2)](https://man.openbsd.org/thrkill.2)
/// - [DragonFly lwp_kill(2)](https://man.dragonflybsd.org/?command=lwp_kill&section=2)
/// - [Linux tgkill(2)](https://man7.org/linux/man-pages/man2/tgkill.2.html)
pub fn raise(sig: Signal) -> Result<()> {
    kill_thread(ThreadId::current(), sig)
}

/// Sends `sig` to the calling process: any thread that does not block it may run the handler.
///
/// `kill(getpid(), sig)`, as Go's runtime `raiseproc`.
///
/// # References
/// - [OpenBSD kill(2)](https://man.openbsd.org/kill.2)
/// - [DragonFly kill(2)](https://man.dragonflybsd.org/?command=kill&section=2)
/// - [Linux kill(2)](https://man7.org/linux/man-pages/man2/kill.2.html)
#[doc(alias = "raiseproc")]
pub fn raise_process(sig: Signal) -> Result<()> {
    kill(Pid::current(), sig)
}

/// Sends `sig` to process `pid`.
///
/// `pid` follows `kill(2)`: positive is one process, 0 the caller's process group, -1 every
/// process the caller may signal, below -1 the group `-pid`. `Errno::SRCH` if nothing matched,
/// `Errno::PERM` without permission.
///
/// # References
/// - [OpenBSD kill(2)](https://man.openbsd.org/kill.2)
/// - [DragonFly kill(2)](https://man.dragonflybsd.org/?command=kill&section=2)
/// - [Linux kill(2)](https://man7.org/linux/man-pages/man2/kill.2.html)
pub fn kill(pid: Pid, sig: Signal) -> Result<()> {
    bsd_sys::signal::kill(pid, sig)
}

/// Sends `sig` to thread `tid` of the calling process, and to that thread only.
///
/// `Errno::SRCH` if no such thread exists in this process.
///
/// # Platform
/// - OpenBSD: `thrkill(tid, sig, NULL)`; thread ids are unique system-wide.
/// - DragonFly: `lwp_kill(-1, tid, sig)`; lwp ids are unique only within the process.
/// - Linux: `tgkill(getpid(), tid, sig)`, which refuses a thread of another process.
///
/// # References
/// - [OpenBSD thrkill(2)](https://man.openbsd.org/thrkill.2)
/// - [DragonFly lwp_kill(2)](https://man.dragonflybsd.org/?command=lwp_kill&section=2)
/// - [Linux tgkill(2)](https://man7.org/linux/man-pages/man2/tgkill.2.html)
#[doc(alias = "thrkill")]
#[doc(alias = "lwp_kill")]
#[doc(alias = "tgkill")]
#[doc(alias = "pthread_kill")]
pub fn kill_thread(tid: ThreadId, sig: Signal) -> Result<()> {
    bsd_sys::signal::kill_thread(tid, sig)
}
