//! The Linux calls bsd-event's kqueue emulation is built on: epoll(7), timerfd, signalfd, eventfd,
//! pidfd and inotify, plus `waitid(P_PIDFD, WNOWAIT)` to read a child's exit status.

use core::ffi::CStr;

use super::RawFd;
use crate::backend::imp;
use crate::{Pid, Result, Signal};

/// One epoll registration or ready entry (`struct epoll_event`).
///
/// # Platform
/// Packed on x86_64 (12 bytes, `data` at offset 4), naturally aligned on aarch64 (16 bytes):
/// copy the fields out, never take a reference to them.
pub type EpollEvent = libc::epoll_event;

/// A timer setting: first expiry and period (`struct itimerspec`).
pub type Itimerspec = libc::itimerspec;

/// The state of a child process as `waitid(WNOWAIT)` reports it, without reaping it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChildState {
    /// `si_code`: `CLD_EXITED`, `CLD_KILLED`, `CLD_DUMPED`, ...
    pub code: i32,
    /// `si_status`: the exit code, or the signal number.
    pub status: i32,
}

/// Creates an epoll instance (`epoll_create1`); pass `EPOLL_CLOEXEC` in `flags`.
///
/// # References
/// - [Linux epoll_create1(2)](https://man7.org/linux/man-pages/man2/epoll_create1.2.html)
pub fn epoll_create1(flags: i32) -> Result<RawFd> {
    imp::event::epoll_create1(flags)
}

/// Adds, modifies or removes (`op`) the registration of `fd` in `epfd`.
///
/// # Safety
/// `epfd` and `fd` must be descriptors the caller owns or borrows for the call.
///
/// # References
/// - [Linux epoll_ctl(2)](https://man7.org/linux/man-pages/man2/epoll_ctl.2.html)
pub unsafe fn epoll_ctl(epfd: RawFd, op: i32, fd: RawFd, event: Option<&EpollEvent>) -> Result<()> {
    let ptr = event.map_or(core::ptr::null(), |e| e as *const EpollEvent);
    // SAFETY: `ptr` is null or a valid event; the caller vouches for the descriptors.
    unsafe { imp::event::epoll_ctl(epfd, op, fd, ptr) }
}

/// Waits up to `timeout_ms` (-1: forever) for ready entries and stores them in `events`
/// (`epoll_pwait` with no signal mask). Returns how many were stored.
///
/// # Safety
/// `epfd` must be an epoll descriptor the caller owns or borrows for the call.
///
/// # References
/// - [Linux epoll_pwait(2)](https://man7.org/linux/man-pages/man2/epoll_pwait.2.html)
pub unsafe fn epoll_pwait(
    epfd: RawFd,
    events: &mut [EpollEvent],
    timeout_ms: i32,
) -> Result<usize> {
    let n = i32::try_from(events.len()).unwrap_or(i32::MAX);
    // SAFETY: `events` is valid for `n` entries; the caller vouches for `epfd`.
    unsafe { imp::event::epoll_pwait(epfd, events.as_mut_ptr(), n, timeout_ms) }
}

/// Creates a timer descriptor on `clock` (`timerfd_create`).
///
/// # References
/// - [Linux timerfd_create(2)](https://man7.org/linux/man-pages/man2/timerfd_create.2.html)
pub fn timerfd_create(clock: libc::clockid_t, flags: i32) -> Result<RawFd> {
    imp::event::timerfd_create(clock, flags)
}

/// Arms or disarms timer descriptor `fd`.
///
/// # Safety
/// `fd` must be a descriptor the caller owns or borrows for the call.
///
/// # References
/// - [Linux timerfd_settime(2)](https://man7.org/linux/man-pages/man2/timerfd_settime.2.html)
pub unsafe fn timerfd_settime(fd: RawFd, flags: i32, new: &Itimerspec) -> Result<()> {
    // SAFETY: `new` is a valid itimerspec; the caller vouches for `fd`.
    unsafe { imp::event::timerfd_settime(fd, flags, new) }
}

/// Creates a signal descriptor that reports `signal` (`signalfd4` with a one-signal mask).
///
/// The signal must be blocked in the threads that would otherwise receive it; reading the
/// descriptor consumes it.
///
/// # References
/// - [Linux signalfd(2)](https://man7.org/linux/man-pages/man2/signalfd.2.html)
#[doc(alias = "signalfd4")]
pub fn signalfd(signal: Signal, flags: i32) -> Result<RawFd> {
    imp::event::signalfd(signal, flags)
}

/// Creates an event counter descriptor (`eventfd2`).
///
/// # References
/// - [Linux eventfd(2)](https://man7.org/linux/man-pages/man2/eventfd.2.html)
#[doc(alias = "eventfd2")]
pub fn eventfd(initval: u32, flags: i32) -> Result<RawFd> {
    imp::event::eventfd(initval, flags)
}

/// Opens a descriptor that refers to process `pid` and becomes readable when it exits
/// (`pidfd_open`, Linux 5.3).
///
/// # References
/// - [Linux pidfd_open(2)](https://man7.org/linux/man-pages/man2/pidfd_open.2.html)
pub fn pidfd_open(pid: Pid, flags: u32) -> Result<RawFd> {
    imp::event::pidfd_open(pid, flags)
}

/// Reads the exit state of the child that `pidfd` refers to without reaping it
/// (`waitid(P_PIDFD, pidfd, WEXITED | WNOWAIT | WNOHANG)`, Linux 5.4). `Ok(None)` while it runs.
///
/// Fails with `Errno::CHILD` when the process is not a child of the caller.
///
/// # Safety
/// `pidfd` must be a descriptor the caller owns or borrows for the call.
///
/// # References
/// - [Linux waitid(2)](https://man7.org/linux/man-pages/man2/waitid.2.html)
#[doc(alias = "waitid")]
pub unsafe fn pidfd_child_state(pidfd: RawFd) -> Result<Option<ChildState>> {
    // SAFETY: forwarded contract.
    unsafe { imp::event::pidfd_child_state(pidfd) }
}

/// Creates an inotify instance (`inotify_init1`).
///
/// # References
/// - [Linux inotify_init1(2)](https://man7.org/linux/man-pages/man2/inotify_init1.2.html)
pub fn inotify_init1(flags: i32) -> Result<RawFd> {
    imp::event::inotify_init1(flags)
}

/// Watches `path` for the events in `mask`; returns the watch descriptor.
///
/// # Safety
/// `fd` must be an inotify descriptor the caller owns or borrows for the call.
///
/// # References
/// - [Linux inotify_add_watch(2)](https://man7.org/linux/man-pages/man2/inotify_add_watch.2.html)
pub unsafe fn inotify_add_watch(fd: RawFd, path: &CStr, mask: u32) -> Result<i32> {
    // SAFETY: `path` is NUL-terminated; the caller vouches for `fd`.
    unsafe { imp::event::inotify_add_watch(fd, path.as_ptr(), mask) }
}

/// Decodes a `waitid` result: `None` when no child state was reported (`si_pid` 0, `WNOHANG`).
pub(crate) fn child_state(info: &libc::siginfo_t) -> Option<ChildState> {
    // SAFETY: waitid fills the SIGCHLD view of the union (si_pid, si_status), or leaves it zero.
    let (pid, status) = unsafe { (info.si_pid(), info.si_status()) };
    if pid == 0 {
        None
    } else {
        Some(ChildState {
            code: info.si_code,
            status,
        })
    }
}
