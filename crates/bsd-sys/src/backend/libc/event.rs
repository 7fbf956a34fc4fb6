//! event calls through libc.

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
pub(crate) use self::bsd::*;
#[cfg(target_os = "linux")]
pub(crate) use self::linux::*;

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
mod bsd {
    use super::super::check;
    use crate::event::{Kevent, RawFd};
    use crate::Result;

    pub(crate) fn kqueue() -> Result<RawFd> {
        // SAFETY: kqueue takes no arguments.
        check(unsafe { ::libc::kqueue() })
    }

    pub(crate) unsafe fn kevent(
        kq: RawFd,
        changes: *const Kevent,
        nchanges: ::libc::c_int,
        events: *mut Kevent,
        nevents: ::libc::c_int,
        timeout: *const ::libc::timespec,
    ) -> Result<usize> {
        // SAFETY: the face passes valid buffers for the counts and a null or valid timeout.
        let n = check(unsafe { ::libc::kevent(kq, changes, nchanges, events, nevents, timeout) })?;
        Ok(n as usize)
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use core::mem::MaybeUninit;

    use super::super::check;
    use crate::event::{ChildState, EpollEvent, Itimerspec, RawFd};
    use crate::{Pid, Result, Signal};

    pub(crate) fn epoll_create1(flags: i32) -> Result<RawFd> {
        // SAFETY: no pointers; the kernel validates `flags`.
        check(unsafe { ::libc::epoll_create1(flags) })
    }

    #[inline]
    pub(crate) unsafe fn epoll_ctl(
        epfd: RawFd,
        op: i32,
        fd: RawFd,
        event: *const EpollEvent,
    ) -> Result<()> {
        // SAFETY: `event` is null or valid (the face); the kernel only reads it.
        check(unsafe { ::libc::epoll_ctl(epfd, op, fd, event as *mut EpollEvent) }).map(drop)
    }

    #[inline]
    pub(crate) unsafe fn epoll_pwait(
        epfd: RawFd,
        events: *mut EpollEvent,
        n: i32,
        timeout: i32,
    ) -> Result<usize> {
        // SAFETY: `events` is valid for `n` entries (the face); a null mask means "no change".
        let r = check(unsafe { ::libc::epoll_pwait(epfd, events, n, timeout, core::ptr::null()) })?;
        Ok(r as usize)
    }

    pub(crate) fn timerfd_create(clock: ::libc::clockid_t, flags: i32) -> Result<RawFd> {
        // SAFETY: no pointers.
        check(unsafe { ::libc::timerfd_create(clock, flags) })
    }

    pub(crate) unsafe fn timerfd_settime(fd: RawFd, flags: i32, new: &Itimerspec) -> Result<()> {
        // SAFETY: `new` is valid; the old value is not requested.
        check(unsafe { ::libc::timerfd_settime(fd, flags, new, core::ptr::null_mut()) }).map(drop)
    }

    pub(crate) fn signalfd(signal: Signal, flags: i32) -> Result<RawFd> {
        let mut set = MaybeUninit::<::libc::sigset_t>::uninit();
        // SAFETY: sigemptyset initialises `set`; sigaddset gets a checked signal number.
        unsafe {
            ::libc::sigemptyset(set.as_mut_ptr());
            check(::libc::sigaddset(set.as_mut_ptr(), signal.raw()))?;
        }
        // SAFETY: `set` is initialised; -1 asks for a new descriptor.
        check(unsafe { ::libc::signalfd(-1, set.as_ptr(), flags) })
    }

    pub(crate) fn eventfd(initval: u32, flags: i32) -> Result<RawFd> {
        // SAFETY: no pointers.
        check(unsafe { ::libc::eventfd(initval, flags) })
    }

    pub(crate) fn pidfd_open(pid: Pid, flags: u32) -> Result<RawFd> {
        // glibc's pidfd_open wrapper is 2.36+; the generic syscall(3) entry is always there.
        // SAFETY: no pointers.
        let r = unsafe { ::libc::syscall(::libc::SYS_pidfd_open, pid.raw(), flags) };
        check(r as i32)
    }

    pub(crate) unsafe fn pidfd_child_state(pidfd: RawFd) -> Result<Option<ChildState>> {
        // SAFETY: all-zero is a valid siginfo_t (plain integers); si_pid stays 0 if nothing exited.
        let mut info: ::libc::siginfo_t = unsafe { core::mem::zeroed() };
        let options = ::libc::WEXITED | ::libc::WNOWAIT | ::libc::WNOHANG;
        // SAFETY: `info` is writable; the caller vouches for `pidfd`.
        check(unsafe {
            ::libc::waitid(::libc::P_PIDFD, pidfd as ::libc::id_t, &mut info, options)
        })?;
        Ok(crate::event::child_state(&info))
    }

    pub(crate) fn inotify_init1(flags: i32) -> Result<RawFd> {
        // SAFETY: no pointers.
        check(unsafe { ::libc::inotify_init1(flags) })
    }

    pub(crate) unsafe fn inotify_add_watch(
        fd: RawFd,
        path: *const ::libc::c_char,
        mask: u32,
    ) -> Result<i32> {
        // SAFETY: `path` is NUL-terminated (the face takes a CStr).
        check(unsafe { ::libc::inotify_add_watch(fd, path, mask) })
    }

    #[inline]
    pub(crate) unsafe fn fstat(fd: RawFd) -> Result<::libc::stat> {
        let mut st = MaybeUninit::<::libc::stat>::uninit();
        // SAFETY: `st` is writable; the caller vouches for `fd`.
        check(unsafe { ::libc::fstat(fd, st.as_mut_ptr()) })?;
        // SAFETY: a successful fstat fills every field (glibc hands the buffer to the kernel,
        // which copies out a complete `struct stat`; musl assigns the whole struct).
        Ok(unsafe { st.assume_init() })
    }

    pub(crate) unsafe fn signalfd_mask(fd: RawFd, mask: u64, flags: i32) -> Result<RawFd> {
        let mut set = MaybeUninit::<::libc::sigset_t>::uninit();
        // SAFETY: sigemptyset initialises `set`; sigaddset gets numbers 1..=64 only.
        unsafe {
            ::libc::sigemptyset(set.as_mut_ptr());
            for n in 1..=64 {
                if mask & (1u64 << (n - 1)) != 0 {
                    check(::libc::sigaddset(set.as_mut_ptr(), n))?;
                }
            }
        }
        // SAFETY: `set` is initialised; the caller vouches for `fd` (or passes -1).
        check(unsafe { ::libc::signalfd(fd, set.as_ptr(), flags) })
    }

    pub(crate) unsafe fn inotify_rm_watch(fd: RawFd, wd: i32) -> Result<()> {
        // SAFETY: no pointers; the caller vouches for `fd`.
        check(unsafe { ::libc::inotify_rm_watch(fd, wd) }).map(drop)
    }

    pub(crate) unsafe fn getsockopt(
        fd: RawFd,
        level: i32,
        name: i32,
        buf: &mut [u8],
    ) -> Result<usize> {
        let mut len = buf.len() as ::libc::socklen_t;
        // SAFETY: `buf` is writable for `len` bytes; the caller vouches for `fd`.
        check(unsafe { ::libc::getsockopt(fd, level, name, buf.as_mut_ptr().cast(), &mut len) })?;
        Ok(len as usize)
    }

    pub(crate) unsafe fn socket_out_queue(fd: RawFd) -> Result<i32> {
        let mut n: i32 = 0;
        // SAFETY: SIOCOUTQ writes one int to the pointer, which is valid and writable; the
        // caller vouches for `fd`.
        check(unsafe { ::libc::ioctl(fd, ::libc::TIOCOUTQ as _, &mut n as *mut i32) })?;
        Ok(n)
    }

    #[inline]
    pub(crate) unsafe fn fd_is_open(fd: RawFd) -> bool {
        // SAFETY: lseek by 0 from the current offset changes nothing; the caller vouches for `fd`.
        let r = unsafe { ::libc::lseek(fd, 0, ::libc::SEEK_CUR) };
        r != -1 || super::super::last_errno() != crate::Errno::BADF
    }
}
