//! The Linux calls bsd-event's kqueue emulation is built on: epoll(7), timerfd, signalfd, eventfd,
//! pidfd and inotify, plus `waitid(P_PIDFD, WNOWAIT)` to read a child's exit status; the
//! descriptor facts it needs (`fdinfo.rs`) and fork detection (`fork.rs`).

use core::ffi::CStr;

use super::RawFd;
use crate::backend::imp;
use crate::{Pid, Result, Signal};

mod fdinfo;
mod fork;

pub use fdinfo::*;
pub use fork::*;

/// One epoll registration or ready entry (`struct epoll_event`).
///
/// # Platform
/// Packed on x86_64 (12 bytes, `data` at offset 4), naturally aligned on aarch64 (16 bytes):
/// copy the fields out, never take a reference to them.
///
/// # Examples
/// ```
/// use bsd_sys::{event::EpollEvent, libc};
///
/// let ev = EpollEvent { events: libc::EPOLLIN as u32, u64: 7 };
/// let (events, data) = (ev.events, ev.u64); // copies: the struct may be packed
/// assert_eq!((events, data), (libc::EPOLLIN as u32, 7));
/// ```
///
/// # References
/// - [Linux epoll_ctl(2)](https://man7.org/linux/man-pages/man2/epoll_ctl.2.html)
#[doc(alias = "epoll_event")]
pub type EpollEvent = libc::epoll_event;

/// A timer setting: first expiry and period (`struct itimerspec`).
///
/// # Examples
/// ```
/// use bsd_sys::{event::Itimerspec, Timespec};
///
/// // First expiry after 10 ms, then every 10 ms.
/// let every_10ms = Timespec::new(0, 10_000_000).unwrap().to_raw();
/// let spec = Itimerspec { it_value: every_10ms, it_interval: every_10ms };
/// assert_eq!(Timespec::from_raw(spec.it_interval), Ok(Timespec::new(0, 10_000_000).unwrap()));
/// ```
///
/// # References
/// - [Linux timerfd_create(2)](https://man7.org/linux/man-pages/man2/timerfd_create.2.html)
#[doc(alias = "itimerspec")]
pub type Itimerspec = libc::itimerspec;

/// The state of a child process as `waitid(WNOWAIT)` reports it, without reaping it.
///
/// New fields may be added: the struct is `#[non_exhaustive]`.
///
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc, Pid};
///
/// let mut child = std::process::Command::new("sh").args(["-c", "exit 3"]).spawn()?;
/// let pidfd = event::pidfd_open(Pid::from_child(&child), 0)?;
/// // SAFETY (both calls): `pidfd` was just opened and is owned here.
/// let state = loop {
///     if let Some(state) = unsafe { event::pidfd_child_state(pidfd) }? {
///         break state;
///     }
///     std::thread::sleep(std::time::Duration::from_millis(1));
/// };
/// assert_eq!((state.code, state.status), (libc::CLD_EXITED, 3));
/// unsafe { fd::close(pidfd) }?;
/// assert_eq!(child.wait()?.code(), Some(3)); // not reaped: std still can
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// - [Linux waitid(2)](https://man7.org/linux/man-pages/man2/waitid.2.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ChildState {
    /// `si_code`: `CLD_EXITED`, `CLD_KILLED`, `CLD_DUMPED`, ...
    pub code: i32,
    /// `si_status`: the exit code, or the signal number.
    pub status: i32,
}

/// Creates an epoll instance (`epoll_create1`); pass `EPOLL_CLOEXEC` in `flags`.
///
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc};
///
/// let ep = event::epoll_create1(libc::EPOLL_CLOEXEC)?;
/// // SAFETY: `ep` was just created and is owned here.
/// unsafe {
///     assert_eq!(fd::fcntl_getfd(ep)? & libc::FD_CLOEXEC, libc::FD_CLOEXEC);
///     fd::close(ep)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc, Errno};
///
/// let ep = event::epoll_create1(libc::EPOLL_CLOEXEC)?;
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// let ev = event::EpollEvent { events: libc::EPOLLIN as u32, u64: r as u64 };
/// // SAFETY (every call below): the descriptors were just created and are owned here.
/// unsafe { event::epoll_ctl(ep, libc::EPOLL_CTL_ADD, r, Some(&ev)) }?;
/// let again = unsafe { event::epoll_ctl(ep, libc::EPOLL_CTL_ADD, r, Some(&ev)) };
/// assert_eq!(again, Err(Errno::EXIST)); // one registration per descriptor
/// unsafe { event::epoll_ctl(ep, libc::EPOLL_CTL_DEL, r, None) }?;
/// for fd in [ep, r, w] {
///     unsafe { fd::close(fd) }?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [Linux epoll_ctl(2)](https://man7.org/linux/man-pages/man2/epoll_ctl.2.html)
#[inline]
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
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc};
///
/// let ep = event::epoll_create1(libc::EPOLL_CLOEXEC)?;
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// let ev = event::EpollEvent { events: libc::EPOLLIN as u32, u64: 42 };
/// let mut ready = [event::EpollEvent { events: 0, u64: 0 }; 4];
/// // SAFETY (every call below): the descriptors were just created and are owned here.
/// unsafe { event::epoll_ctl(ep, libc::EPOLL_CTL_ADD, r, Some(&ev)) }?;
/// assert_eq!(unsafe { event::epoll_pwait(ep, &mut ready, 0) }?, 0); // nothing yet
/// unsafe { fd::write(w, b"x") }?;
/// assert_eq!(unsafe { event::epoll_pwait(ep, &mut ready, 1000) }?, 1);
/// let (events, data) = (ready[0].events, ready[0].u64);
/// assert_eq!((events & libc::EPOLLIN as u32, data), (libc::EPOLLIN as u32, 42));
/// for fd in [ep, r, w] {
///     unsafe { fd::close(fd) }?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [Linux epoll_pwait(2)](https://man7.org/linux/man-pages/man2/epoll_pwait.2.html)
#[inline]
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
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc, Errno};
///
/// let tfd = event::timerfd_create(libc::CLOCK_MONOTONIC, libc::TFD_CLOEXEC | libc::TFD_NONBLOCK)?;
/// let mut count = [0u8; 8];
/// // SAFETY (both calls): `tfd` was just created and is owned here.
/// assert_eq!(unsafe { fd::read(tfd, &mut count) }, Err(Errno::AGAIN)); // not armed
/// unsafe { fd::close(tfd) }?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc, Timespec};
///
/// let tfd = event::timerfd_create(libc::CLOCK_MONOTONIC, libc::TFD_CLOEXEC)?;
/// let once = event::Itimerspec {
///     it_value: Timespec::new(0, 1_000_000).unwrap().to_raw(), // in 1 ms
///     it_interval: Timespec::ZERO.to_raw(),                    // no period
/// };
/// let mut count = [0u8; 8];
/// // SAFETY (every call below): `tfd` was just created and is owned here.
/// unsafe { event::timerfd_settime(tfd, 0, &once) }?;
/// assert_eq!(unsafe { fd::read(tfd, &mut count) }?, 8); // blocks until it fires
/// assert_eq!(u64::from_ne_bytes(count), 1); // one expiry
/// unsafe { fd::close(tfd) }?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc, signal, thread, Signal};
///
/// let mut usr1 = signal::sigset_empty();
/// signal::sigset_add(&mut usr1, Signal::USR1);
/// let old = signal::thread_sigmask(libc::SIG_BLOCK, Some(&usr1))?;
/// let sfd = event::signalfd(Signal::USR1, libc::SFD_CLOEXEC)?;
/// signal::kill_thread(thread::gettid(), Signal::USR1)?;
/// let mut info = [0u8; 128]; // struct signalfd_siginfo, ssi_signo first
/// // SAFETY (both calls): `sfd` was just created and is owned here.
/// assert_eq!(unsafe { fd::read(sfd, &mut info) }?, 128);
/// assert_eq!(u32::from_ne_bytes([info[0], info[1], info[2], info[3]]), Signal::USR1.raw() as u32);
/// unsafe { fd::close(sfd) }?;
/// signal::change_thread_sigmask(libc::SIG_SETMASK, &old)?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [Linux signalfd(2)](https://man7.org/linux/man-pages/man2/signalfd.2.html)
#[doc(alias = "signalfd4")]
pub fn signalfd(signal: Signal, flags: i32) -> Result<RawFd> {
    imp::event::signalfd(signal, flags)
}

/// Creates an event counter descriptor (`eventfd2`).
///
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc};
///
/// let efd = event::eventfd(3, libc::EFD_CLOEXEC)?;
/// let mut count = [0u8; 8];
/// // SAFETY (every call below): `efd` was just created and is owned here.
/// unsafe { fd::write(efd, &2u64.to_ne_bytes()) }?; // adds to the counter
/// assert_eq!(unsafe { fd::read(efd, &mut count) }?, 8); // reads and resets it
/// assert_eq!(u64::from_ne_bytes(count), 5);
/// unsafe { fd::close(efd) }?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc, Errno, Pid};
///
/// let me = event::pidfd_open(Pid::current(), 0)?;
/// // SAFETY: `me` was just opened and is owned here.
/// unsafe { fd::close(me) }?;
/// // A number no process can have (above Linux's PID_MAX_LIMIT, 2^22).
/// assert_eq!(event::pidfd_open(Pid::from_raw(1 << 23), 0), Err(Errno::SRCH));
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc, Errno, Pid};
///
/// let mut child = std::process::Command::new("sleep").arg("10").spawn()?;
/// let pidfd = event::pidfd_open(Pid::from_child(&child), 0)?;
/// // SAFETY (every call below): `pidfd` was just opened and is owned here.
/// assert_eq!(unsafe { event::pidfd_child_state(pidfd) }?, None); // still running
/// child.kill()?;
/// while unsafe { event::pidfd_child_state(pidfd) }?.is_none() {
///     std::thread::sleep(std::time::Duration::from_millis(1));
/// }
/// let state = unsafe { event::pidfd_child_state(pidfd) }?.unwrap();
/// assert_eq!((state.code, state.status), (libc::CLD_KILLED, libc::SIGKILL));
/// child.wait()?;
/// // Not a child of ours.
/// let me = event::pidfd_open(Pid::current(), 0)?;
/// assert_eq!(unsafe { event::pidfd_child_state(me) }, Err(Errno::CHILD));
/// unsafe { fd::close(me) }?;
/// unsafe { fd::close(pidfd) }?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc, Errno};
///
/// let ino = event::inotify_init1(libc::IN_CLOEXEC | libc::IN_NONBLOCK)?;
/// let mut buf = [0u8; 256];
/// // SAFETY (both calls): `ino` was just created and is owned here.
/// assert_eq!(unsafe { fd::read(ino, &mut buf) }, Err(Errno::AGAIN)); // no watch, no event
/// unsafe { fd::close(ino) }?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc};
///
/// let dir = std::env::temp_dir().join(format!("bsd-sys-doc-inotify-{}", std::process::id()));
/// std::fs::create_dir(&dir)?;
/// let path = std::ffi::CString::new(dir.to_str().unwrap())?;
/// let ino = event::inotify_init1(libc::IN_CLOEXEC)?;
/// // SAFETY (every call below): `ino` was just created and is owned here.
/// let wd = unsafe { event::inotify_add_watch(ino, &path, libc::IN_CREATE) }?;
/// std::fs::write(dir.join("new"), b"")?;
/// let mut buf = [0u8; 256]; // struct inotify_event: wd, mask, cookie, len, name
/// let n = unsafe { fd::read(ino, &mut buf) }?;
/// assert!(n >= 16);
/// assert_eq!(i32::from_ne_bytes(buf[0..4].try_into()?), wd);
/// assert_eq!(u32::from_ne_bytes(buf[4..8].try_into()?) & libc::IN_CREATE, libc::IN_CREATE);
/// unsafe { fd::close(ino) }?;
/// std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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

/// Creates (`fd == -1`) or updates a signal descriptor that reports the signals whose bit
/// `1 << (signo - 1)` is set in `mask` (`signalfd4`).
///
/// # Safety
/// `fd`, when not -1, must be a signal descriptor the caller owns or borrows for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc, Signal};
///
/// let bit = |sig: Signal| 1u64 << (sig.raw() - 1);
/// // SAFETY (every call below): -1 creates a descriptor, owned here from then on.
/// let sfd = unsafe { event::signalfd_mask(-1, bit(Signal::USR1), libc::SFD_CLOEXEC) }?;
/// // Updating the mask keeps the same descriptor.
/// let same = unsafe { event::signalfd_mask(sfd, bit(Signal::USR1) | bit(Signal::USR2), 0) }?;
/// assert_eq!(same, sfd);
/// unsafe { fd::close(sfd) }?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [Linux signalfd(2)](https://man7.org/linux/man-pages/man2/signalfd.2.html)
#[doc(alias = "signalfd4")]
pub unsafe fn signalfd_mask(fd: RawFd, mask: u64, flags: i32) -> Result<RawFd> {
    // SAFETY: forwarded contract.
    unsafe { imp::event::signalfd_mask(fd, mask, flags) }
}

/// Removes watch `wd` from inotify instance `fd`.
///
/// # Safety
/// `fd` must be an inotify descriptor the caller owns or borrows for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc, Errno};
///
/// let ino = event::inotify_init1(libc::IN_CLOEXEC)?;
/// // SAFETY (every call below): `ino` was just created and is owned here.
/// let wd = unsafe { event::inotify_add_watch(ino, c"/", libc::IN_CREATE) }?;
/// unsafe { event::inotify_rm_watch(ino, wd) }?;
/// assert_eq!(unsafe { event::inotify_rm_watch(ino, wd) }, Err(Errno::INVAL)); // gone
/// unsafe { fd::close(ino) }?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [Linux inotify_rm_watch(2)](https://man7.org/linux/man-pages/man2/inotify_rm_watch.2.html)
pub unsafe fn inotify_rm_watch(fd: RawFd, wd: i32) -> Result<()> {
    // SAFETY: forwarded contract.
    unsafe { imp::event::inotify_rm_watch(fd, wd) }
}
