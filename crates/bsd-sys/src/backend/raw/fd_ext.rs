//! More fd calls as direct system calls (numbers in `nr/`).

use core::ffi::c_int;
use core::mem::MaybeUninit;

use super::arch::{syscall1, syscall2, syscall3};
use super::nr;
use crate::fd::{PollFd, RawFd, Stat};
use crate::{Errno, Result};

pub(crate) fn dup2(old: RawFd, new: RawFd) -> Result<RawFd> {
    cfg_if::cfg_if! {
        if #[cfg(all(target_os = "linux", target_arch = "aarch64"))] {
            if old == new {
                // dup2 of a descriptor onto itself only checks it (musl src/unistd/dup2.c).
                super::fd::fcntl(old, ::libc::F_GETFD, 0)?;
                return Ok(new);
            }
            dup3(old, new, 0)
        } else {
            // SAFETY: no memory is passed; ownership is the face's contract.
            let ret = unsafe { syscall2(nr::DUP2, old as usize, new as usize) }?;
            Ok(ret as RawFd)
        }
    }
}

pub(crate) fn dup3(old: RawFd, new: RawFd, flags: c_int) -> Result<RawFd> {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // DragonFly 6.4 lib/libc/gen/dup3.c: the same checks, then fcntl(F_DUP2FD[_CLOEXEC]).
            if old == new || flags & !::libc::O_CLOEXEC != 0 {
                return Err(Errno::INVAL);
            }
            let cmd = if flags & ::libc::O_CLOEXEC != 0 {
                ::libc::F_DUP2FD_CLOEXEC
            } else {
                ::libc::F_DUP2FD
            };
            super::fd::fcntl(old, cmd, new)
        } else {
            // SAFETY: no memory is passed; ownership is the face's contract.
            let ret = unsafe { syscall3(nr::DUP3, old as usize, new as usize, flags as usize) }?;
            Ok(ret as RawFd)
        }
    }
}

pub(crate) fn lseek(fd: RawFd, offset: i64, whence: c_int) -> Result<i64> {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // SAFETY: no memory is passed; `pad` (the second argument) is 0 as in libc.
            let ret = unsafe {
                super::arch::syscall4(nr::LSEEK, fd as usize, 0, offset as usize, whence as usize)
            }?;
        } else {
            // SAFETY: no memory is passed.
            let ret = unsafe { syscall3(nr::LSEEK, fd as usize, offset as usize, whence as usize) }?;
        }
    }
    Ok(ret as i64)
}

pub(crate) fn fstat(fd: RawFd) -> Result<Stat> {
    let mut st = MaybeUninit::<Stat>::zeroed();
    // SAFETY: `st` is writable and exactly the size of the kernel's `struct stat` (asserted in
    // `fd/ext.rs`).
    unsafe { syscall2(nr::FSTAT, fd as usize, st.as_mut_ptr() as usize) }?;
    // SAFETY: zero-initialised plain data, filled on success.
    Ok(unsafe { st.assume_init() })
}

pub(crate) fn fsync(fd: RawFd) -> Result<()> {
    // SAFETY: no memory is passed.
    unsafe { syscall1(nr::FSYNC, fd as usize) }.map(drop)
}

pub(crate) fn fdatasync(fd: RawFd) -> Result<()> {
    // SAFETY: no memory is passed.
    unsafe { syscall1(nr::FDATASYNC, fd as usize) }.map(drop)
}

pub(crate) fn ftruncate(fd: RawFd, len: i64) -> Result<()> {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // SAFETY: no memory is passed; `pad` is 0 as in libc.
            unsafe { syscall3(nr::FTRUNCATE, fd as usize, 0, len as usize) }.map(drop)
        } else {
            // SAFETY: no memory is passed.
            unsafe { syscall2(nr::FTRUNCATE, fd as usize, len as usize) }.map(drop)
        }
    }
}

pub(crate) fn poll(fds: &mut [PollFd], timeout_ms: c_int) -> Result<usize> {
    let count = u32::try_from(fds.len()).map_err(|_| Errno::INVAL)?;
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // SAFETY: `fds` is a writable array of `count` pollfd entries.
            unsafe { syscall3(nr::POLL, fds.as_mut_ptr() as usize, count as usize, timeout_ms as isize as usize) }
        } else {
            // Linux: ppoll(fds, n, timeout or NULL, NULL mask, 8), as the C libraries' poll on aarch64.
            // The kernel writes the time left back into `ts`, so it is a mutable local.
            let mut ts = ::libc::timespec {
                tv_sec: (timeout_ms / 1000) as _,
                tv_nsec: ((timeout_ms % 1000) * 1_000_000) as _,
            };
            let ts_ptr: *mut ::libc::timespec = if timeout_ms < 0 { core::ptr::null_mut() } else { &mut ts };
            // SAFETY: `fds` is a writable array of `count` entries; `ts_ptr` is null or points to
            // a live, writable timespec; no signal mask is passed.
            unsafe {
                super::arch::syscall5(nr::PPOLL, fds.as_mut_ptr() as usize, count as usize, ts_ptr as usize, 0, 8)
            }
        }
    }
}

pub(crate) fn closefrom(min: RawFd) -> Result<()> {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // SAFETY: no memory is passed; ownership is the face's contract.
            unsafe { syscall1(nr::CLOSEFROM, min as usize) }.map(drop)
        } else {
            if min < 0 {
                return Err(Errno::INVAL);
            }
            // SAFETY: as above; close_range(first, ~0U, flags = 0).
            unsafe { syscall3(nr::CLOSE_RANGE, min as usize, u32::MAX as usize, 0) }.map(drop)
        }
    }
}
