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

/// What `fstat` says about a descriptor's file, as far as bsd-event needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileInfo {
    /// `st_mode`: the type bits (`S_IFMT`) and permissions.
    pub mode: u32,
    /// `st_nlink`: the number of hard links.
    pub nlink: u64,
    /// `st_dev`: the device holding the file.
    pub dev: u64,
    /// `st_ino`: the inode number.
    pub ino: u64,
    /// `st_size`: the size in bytes.
    pub size: i64,
}

/// Reads the type, link count, identity and size of the file behind `fd` (`fstat`).
///
/// # Safety
/// `fd` must be a descriptor the caller owns or borrows for the call (a closed one gives
/// `Errno::BADF`; nothing is read from or written to the file).
///
/// # References
/// - [Linux fstat(2)](https://man7.org/linux/man-pages/man2/fstat.2.html)
#[doc(alias = "fstat")]
pub unsafe fn file_info(fd: RawFd) -> Result<FileInfo> {
    // SAFETY: forwarded contract.
    let st = unsafe { imp::event::fstat(fd) }?;
    Ok(FileInfo {
        mode: st.st_mode,
        nlink: st.st_nlink as u64,
        dev: st.st_dev,
        ino: st.st_ino,
        size: st.st_size,
    })
}

/// Creates (`fd == -1`) or updates a signal descriptor that reports the signals whose bit
/// `1 << (signo - 1)` is set in `mask` (`signalfd4`).
///
/// # Safety
/// `fd`, when not -1, must be a signal descriptor the caller owns or borrows for the call.
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
/// # References
/// - [Linux inotify_rm_watch(2)](https://man7.org/linux/man-pages/man2/inotify_rm_watch.2.html)
pub unsafe fn inotify_rm_watch(fd: RawFd, wd: i32) -> Result<()> {
    // SAFETY: forwarded contract.
    unsafe { imp::event::inotify_rm_watch(fd, wd) }
}

/// Reads an `int` socket option.
///
/// # Safety
/// `fd` must be a descriptor the caller owns or borrows for the call.
unsafe fn sockopt_int(fd: RawFd, level: i32, name: i32) -> Result<i32> {
    let mut v = [0u8; 4];
    // SAFETY: `v` is writable for its length; forwarded contract for `fd`.
    unsafe { imp::event::getsockopt(fd, level, name, &mut v) }?;
    Ok(i32::from_ne_bytes(v))
}

/// Takes the pending error of socket `fd` (`getsockopt(SO_ERROR)`, which also clears it).
///
/// # Safety
/// `fd` must be a descriptor the caller owns or borrows for the call.
///
/// # References
/// - [Linux socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html) (`SO_ERROR`)
#[doc(alias = "SO_ERROR")]
pub unsafe fn take_socket_error(fd: RawFd) -> Result<i32> {
    // SAFETY: forwarded contract.
    unsafe { sockopt_int(fd, libc::SOL_SOCKET, libc::SO_ERROR) }
}

/// The number of connections waiting to be accepted on a listening socket: `Ok(None)` when
/// `fd` is not listening, `Err` when it is but Linux does not say how many (only TCP does).
///
/// Linux's `FIONREAD` refuses listening sockets (`tcp_ioctl`: `EINVAL`); `TCP_INFO` reports a
/// listener's accept queue length in `tcpi_unacked` (`tcp_get_info` in `net/ipv4/tcp.c`).
///
/// # Safety
/// `fd` must be a descriptor the caller owns or borrows for the call.
///
/// # References
/// - [Linux socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html) (`SO_ACCEPTCONN`)
/// - [Linux tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html) (`TCP_INFO`)
#[doc(alias = "SO_ACCEPTCONN")]
pub unsafe fn accept_queue_len(fd: RawFd) -> Result<Option<u32>> {
    // SAFETY: forwarded contract.
    if unsafe { sockopt_int(fd, libc::SOL_SOCKET, libc::SO_ACCEPTCONN) }? == 0 {
        return Ok(None);
    }
    // struct tcp_info: u8 tcpi_state at 0, u32 tcpi_unacked at 24 (include/uapi/linux/tcp.h).
    let mut info = [0u8; 32];
    // SAFETY: `info` is writable for its length; forwarded contract for `fd`.
    unsafe { imp::event::getsockopt(fd, libc::IPPROTO_TCP, libc::TCP_INFO, &mut info) }?;
    const TCP_LISTEN: u8 = 10;
    if info[0] != TCP_LISTEN {
        return Err(crate::Errno::OPNOTSUPP);
    }
    Ok(Some(u32::from_ne_bytes([
        info[24], info[25], info[26], info[27],
    ])))
}

/// Free space in the send buffer of socket `fd`, as far as Linux tells: `SO_SNDBUF` (the
/// buffer's size, which Linux doubles for its own bookkeeping, `socket(7)`) minus
/// `SIOCOUTQ` (bytes queued and not yet acknowledged or read, `tcp(7)`, `unix(7)`). An
/// estimate: the kernel also counts per-packet overhead against the buffer.
///
/// # Safety
/// `fd` must be a descriptor the caller owns or borrows for the call.
///
/// # References
/// - [Linux socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html) (`SO_SNDBUF`)
/// - [Linux tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html) (`SIOCOUTQ`)
#[doc(alias = "SIOCOUTQ")]
pub unsafe fn socket_send_space(fd: RawFd) -> Result<i64> {
    // SAFETY: forwarded contract.
    let size = unsafe { sockopt_int(fd, libc::SOL_SOCKET, libc::SO_SNDBUF) }?;
    // SAFETY: forwarded contract.
    let queued = unsafe { imp::event::socket_out_queue(fd) }?;
    Ok((i64::from(size) - i64::from(queued)).max(0))
}

/// `MADV_WIPEONFORK` (Linux 4.14, `include/uapi/asm-generic/mman-common.h`).
const MADV_WIPEONFORK: i32 = 18;

/// A page the child of a `fork` sees zeroed (`MADV_WIPEONFORK`); holds [`fork_epoch`].
static EPOCH_PAGE: core::sync::atomic::AtomicPtr<core::sync::atomic::AtomicU32> =
    core::sync::atomic::AtomicPtr::new(core::ptr::null_mut());

/// A non-zero number that identifies the calling process and changes in the child of every
/// `fork` (it is kept in a page mapped with `MADV_WIPEONFORK`, so reading it costs one load).
///
/// Compare a value saved earlier with [`fork_epoch_now`] to learn whether the process forked
/// since. Fails when the page cannot be mapped (`MADV_WIPEONFORK` needs Linux 4.14).
///
/// # References
/// - [Linux madvise(2)](https://man7.org/linux/man-pages/man2/madvise.2.html) (`MADV_WIPEONFORK`)
pub fn fork_epoch() -> Result<u32> {
    use core::sync::atomic::Ordering;
    let mut page = EPOCH_PAGE.load(Ordering::Acquire);
    if page.is_null() {
        let len = crate::mem::page_size()?;
        let prot = libc::PROT_READ | libc::PROT_WRITE;
        let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS;
        // SAFETY: a fresh anonymous mapping at an address the kernel picks replaces nothing.
        let p = unsafe { crate::mem::mmap(core::ptr::null_mut(), len, prot, flags, -1, 0) }?;
        // SAFETY: `p` is the mapping just made, `len` long.
        if let Err(e) = unsafe { crate::mem::madvise(p, len, MADV_WIPEONFORK) } {
            // SAFETY: nothing else knows of the mapping.
            let _ = unsafe { crate::mem::munmap(p, len) };
            return Err(e);
        }
        let p = p.cast::<core::sync::atomic::AtomicU32>();
        match EPOCH_PAGE.compare_exchange(page, p, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => page = p,
            Err(other) => {
                // Another thread won the race: use its page.
                // SAFETY: nothing else knows of our mapping.
                let _ = unsafe { crate::mem::munmap(p.cast(), len) };
                page = other;
            }
        }
    }
    // SAFETY: the page stays mapped for the life of the process and is page-aligned.
    let word = unsafe { &*page };
    let cur = word.load(Ordering::Acquire);
    if cur != 0 {
        return Ok(cur);
    }
    // A new process (or the child of a fork, whose page reads zero): its pid is non-zero and
    // differs from its parent's.
    let mine = crate::signal::getpid().raw() as u32;
    match word.compare_exchange(0, mine, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => Ok(mine),
        Err(v) => Ok(v),
    }
}

/// The current [`fork_epoch`] without creating it: 0 before the first `fork_epoch` call and in
/// the child of a `fork` until it calls `fork_epoch`. One atomic load.
#[inline]
pub fn fork_epoch_now() -> u32 {
    use core::sync::atomic::Ordering;
    let page = EPOCH_PAGE.load(Ordering::Acquire);
    if page.is_null() {
        return 0;
    }
    // SAFETY: once set, the page stays mapped for the life of the process.
    unsafe { &*page }.load(Ordering::Acquire)
}

/// Whether `fd` is an open descriptor, with the cheapest call that tells (`lseek(fd, 0,
/// SEEK_CUR)` through libc, which changes nothing and fails only with `EBADF` for a closed
/// number, or `ESPIPE`, still open, for pipes and sockets; `fcntl(F_GETFD)` in the raw backend).
///
/// # Safety
/// `fd` must be a number the caller may query (nothing is read, written or closed).
///
/// # References
/// - [Linux lseek(2)](https://man7.org/linux/man-pages/man2/lseek.2.html)
#[inline]
pub unsafe fn fd_is_open(fd: RawFd) -> bool {
    // SAFETY: forwarded contract.
    unsafe { imp::event::fd_is_open(fd) }
}
