//! event calls as direct system calls.

#[cfg(target_os = "dragonfly")]
pub(crate) use self::bsd::*;
#[cfg(target_os = "linux")]
pub(crate) use self::linux::*;

#[cfg(target_os = "dragonfly")]
mod bsd {
    use super::super::arch::{syscall0, syscall6};
    use super::super::nr;
    use crate::event::{Kevent, RawFd};
    use crate::Result;

    pub(crate) fn kqueue() -> Result<RawFd> {
        // SAFETY: kqueue takes no arguments.
        Ok(unsafe { syscall0(nr::KQUEUE) }? as RawFd)
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
        unsafe {
            syscall6(
                nr::KEVENT,
                kq as usize,
                changes as usize,
                nchanges as usize,
                events as usize,
                nevents as usize,
                timeout as usize,
            )
        }
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use super::super::arch::{syscall1, syscall2, syscall3, syscall4, syscall5, syscall6};
    use super::super::nr;
    use crate::event::{ChildState, EpollEvent, Itimerspec, RawFd};
    use crate::{Pid, Result, Signal};

    // The kernel's sigset_t is 64 bits (`_NSIG / 8`); glibc's 128-byte one is a userland type.
    const KERNEL_SIGSET_SIZE: usize = 8;

    pub(crate) fn epoll_create1(flags: i32) -> Result<RawFd> {
        // SAFETY: no pointers.
        Ok(unsafe { syscall1(nr::EPOLL_CREATE1, flags as usize) }? as RawFd)
    }

    #[inline]
    pub(crate) unsafe fn epoll_ctl(epfd: RawFd, op: i32, fd: RawFd, event: *const EpollEvent) -> Result<()> {
        // SAFETY: `event` is null or valid (the face); the kernel only reads it.
        unsafe { syscall4(nr::EPOLL_CTL, epfd as usize, op as usize, fd as usize, event as usize) }.map(drop)
    }

    #[inline]
    pub(crate) unsafe fn epoll_pwait(epfd: RawFd, events: *mut EpollEvent, n: i32, timeout: i32) -> Result<usize> {
        // SAFETY: `events` is valid for `n` entries (the face); a null mask means "no change".
        unsafe {
            syscall6(
                nr::EPOLL_PWAIT,
                epfd as usize,
                events as usize,
                n as usize,
                timeout as isize as usize,
                0,
                KERNEL_SIGSET_SIZE,
            )
        }
    }

    pub(crate) fn timerfd_create(clock: ::libc::clockid_t, flags: i32) -> Result<RawFd> {
        // SAFETY: no pointers.
        Ok(unsafe { syscall2(nr::TIMERFD_CREATE, clock as usize, flags as usize) }? as RawFd)
    }

    pub(crate) unsafe fn timerfd_settime(fd: RawFd, flags: i32, new: &Itimerspec) -> Result<()> {
        // SAFETY: `new` is a valid itimerspec (64-bit time on both Linux targets); no old value.
        unsafe {
            syscall4(nr::TIMERFD_SETTIME, fd as usize, flags as usize, new as *const Itimerspec as usize, 0)
        }
        .map(drop)
    }

    pub(crate) fn signalfd(signal: Signal, flags: i32) -> Result<RawFd> {
        let mask: u64 = 1 << (signal.raw() - 1);
        // SAFETY: `mask` is a valid kernel sigset of KERNEL_SIGSET_SIZE bytes; -1 asks for a new fd.
        let fd = unsafe {
            syscall4(nr::SIGNALFD4, -1isize as usize, &mask as *const u64 as usize, KERNEL_SIGSET_SIZE, flags as usize)
        }?;
        Ok(fd as RawFd)
    }

    pub(crate) fn eventfd(initval: u32, flags: i32) -> Result<RawFd> {
        // SAFETY: no pointers.
        Ok(unsafe { syscall2(nr::EVENTFD2, initval as usize, flags as usize) }? as RawFd)
    }

    pub(crate) fn pidfd_open(pid: Pid, flags: u32) -> Result<RawFd> {
        // SAFETY: no pointers.
        Ok(unsafe { syscall2(nr::PIDFD_OPEN, pid.raw() as usize, flags as usize) }? as RawFd)
    }

    pub(crate) unsafe fn pidfd_child_state(pidfd: RawFd) -> Result<Option<ChildState>> {
        // SAFETY: all-zero is a valid siginfo_t (plain integers); si_pid stays 0 if nothing exited.
        let mut info: ::libc::siginfo_t = unsafe { core::mem::zeroed() };
        let options = ::libc::WEXITED | ::libc::WNOWAIT | ::libc::WNOHANG;
        // SAFETY: `info` is writable; no rusage; the caller vouches for `pidfd`.
        unsafe {
            syscall5(
                nr::WAITID,
                ::libc::P_PIDFD as usize,
                pidfd as usize,
                &mut info as *mut ::libc::siginfo_t as usize,
                options as usize,
                0,
            )
        }?;
        Ok(crate::event::child_state(&info))
    }

    pub(crate) fn inotify_init1(flags: i32) -> Result<RawFd> {
        // SAFETY: no pointers.
        Ok(unsafe { syscall1(nr::INOTIFY_INIT1, flags as usize) }? as RawFd)
    }

    pub(crate) unsafe fn inotify_add_watch(fd: RawFd, path: *const ::libc::c_char, mask: u32) -> Result<i32> {
        // SAFETY: `path` is NUL-terminated (the face takes a CStr).
        Ok(unsafe { syscall3(nr::INOTIFY_ADD_WATCH, fd as usize, path as usize, mask as usize) }? as i32)
    }

    #[inline]
    pub(crate) unsafe fn fstat(fd: RawFd) -> Result<::libc::stat> {
        let mut st = core::mem::MaybeUninit::<::libc::stat>::uninit();
        // SAFETY: the kernel's `struct stat` is libc's on both Linux targets (x86_64's own
        // layout, aarch64's asm-generic one); `st` is writable; the caller vouches for `fd`.
        unsafe { syscall2(nr::FSTAT, fd as usize, st.as_mut_ptr() as usize) }?;
        // SAFETY: on success the kernel has copied out a complete `struct stat`
        // (`cp_new_stat` in Linux `fs/stat.c` fills a zeroed copy, padding included).
        Ok(unsafe { st.assume_init() })
    }

    pub(crate) unsafe fn signalfd_mask(fd: RawFd, mask: u64, flags: i32) -> Result<RawFd> {
        // SAFETY: `mask` is a kernel sigset of KERNEL_SIGSET_SIZE bytes; the caller vouches for
        // `fd` (or passes -1).
        let r = unsafe {
            syscall4(nr::SIGNALFD4, fd as isize as usize, &mask as *const u64 as usize, KERNEL_SIGSET_SIZE, flags as usize)
        }?;
        Ok(r as RawFd)
    }

    pub(crate) unsafe fn inotify_rm_watch(fd: RawFd, wd: i32) -> Result<()> {
        // SAFETY: no pointers; the caller vouches for `fd`.
        unsafe { syscall2(nr::INOTIFY_RM_WATCH, fd as usize, wd as usize) }.map(drop)
    }

    pub(crate) unsafe fn getsockopt(fd: RawFd, level: i32, name: i32, buf: &mut [u8]) -> Result<usize> {
        let mut len = buf.len() as u32;
        // SAFETY: `buf` is writable for `len` bytes; the caller vouches for `fd`.
        unsafe {
            syscall5(
                nr::GETSOCKOPT,
                fd as usize,
                level as usize,
                name as usize,
                buf.as_mut_ptr() as usize,
                &mut len as *mut u32 as usize,
            )
        }?;
        Ok(len as usize)
    }

    pub(crate) unsafe fn socket_out_queue(fd: RawFd) -> Result<i32> {
        let mut n: i32 = 0;
        // SAFETY: SIOCOUTQ writes one int to the pointer, which is valid and writable; the
        // caller vouches for `fd`.
        unsafe {
            syscall3(
                nr::IOCTL,
                fd as usize,
                ::libc::TIOCOUTQ as usize,
                &mut n as *mut i32 as usize,
            )
        }?;
        Ok(n)
    }

    #[inline]
    pub(crate) unsafe fn fd_is_open(fd: RawFd) -> bool {
        // SAFETY: F_GETFD only queries the descriptor table.
        unsafe { syscall3(nr::FCNTL, fd as usize, ::libc::F_GETFD as usize, 0) }.is_ok()
    }
}
