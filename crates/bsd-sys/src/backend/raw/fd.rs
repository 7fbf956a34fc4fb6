//! fd calls as direct system calls.
//!
//! DragonFly: numbers and prototypes from `sys/kern/syscalls.master` (see `nr/dragonfly.rs`);
//! positional I/O goes through the `ext*` calls with `flags = 0`, as DragonFly's libc wrappers do
//! (`lib/libc/sys/pread.c`). Linux: `include/uapi/asm-generic/unistd.h` and `syscall_64.tbl`.

use core::ffi::{c_int, CStr};
use core::mem::MaybeUninit;

use super::arch::{syscall1, syscall3, syscall4};
use super::nr;
use crate::fd::{IoVec, Mode, RawFd};
use crate::{Errno, Result};

#[cfg(target_os = "dragonfly")]
use super::arch::syscall5;

pub(crate) fn open(path: &CStr, flags: c_int, mode: Mode) -> Result<RawFd> {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // SAFETY: `path` is NUL-terminated and lives for the call.
            let ret = unsafe {
                syscall3(nr::OPEN, path.as_ptr() as usize, flags as usize, mode as usize)
            }?;
            Ok(ret as RawFd)
        } else {
            // Linux: aarch64 has no `open`; `openat(AT_FDCWD)` is the same call everywhere.
            openat(::libc::AT_FDCWD, path, flags, mode)
        }
    }
}

pub(crate) fn openat(dirfd: RawFd, path: &CStr, flags: c_int, mode: Mode) -> Result<RawFd> {
    // SAFETY: `path` is NUL-terminated and lives for the call; the kernel validates `dirfd`
    // (sign-extended, so AT_FDCWD stays negative as an `int`).
    let ret = unsafe {
        syscall4(nr::OPENAT, dirfd as usize, path.as_ptr() as usize, flags as usize, mode as usize)
    }?;
    Ok(ret as RawFd)
}

pub(crate) fn close(fd: RawFd) -> Result<()> {
    // SAFETY: no memory is passed; ownership of `fd` is the face's contract.
    unsafe { syscall1(nr::CLOSE, fd as usize) }.map(drop)
}

#[inline]
pub(crate) fn read(fd: RawFd, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes.
    unsafe { syscall3(nr::READ, fd as usize, buf.as_mut_ptr() as usize, buf.len()) }
}

#[inline]
pub(crate) fn write(fd: RawFd, buf: &[u8]) -> Result<usize> {
    // SAFETY: `buf` is valid for reads of `buf.len()` bytes.
    unsafe { syscall3(nr::WRITE, fd as usize, buf.as_ptr() as usize, buf.len()) }
}

pub(crate) fn pread(fd: RawFd, buf: &mut [u8], offset: i64) -> Result<usize> {
    let (ptr, len) = (buf.as_mut_ptr() as usize, buf.len());
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // SAFETY: `buf` is valid for writes of `len` bytes; flags 0 is plain pread.
            unsafe { syscall5(nr::EXTPREAD, fd as usize, ptr, len, 0, offset as usize) }
        } else {
            // SAFETY: `buf` is valid for writes of `len` bytes.
            unsafe { syscall4(nr::PREAD64, fd as usize, ptr, len, offset as usize) }
        }
    }
}

pub(crate) fn pwrite(fd: RawFd, buf: &[u8], offset: i64) -> Result<usize> {
    let (ptr, len) = (buf.as_ptr() as usize, buf.len());
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // SAFETY: `buf` is valid for reads of `len` bytes; flags 0 is plain pwrite.
            unsafe { syscall5(nr::EXTPWRITE, fd as usize, ptr, len, 0, offset as usize) }
        } else {
            // SAFETY: `buf` is valid for reads of `len` bytes.
            unsafe { syscall4(nr::PWRITE64, fd as usize, ptr, len, offset as usize) }
        }
    }
}

/// # Safety
/// `iov` points to `count` iovecs describing writable memory.
pub(crate) unsafe fn readv(fd: RawFd, iov: *const IoVec, count: c_int) -> Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall3(nr::READV, fd as usize, iov as usize, count as usize) }
}

/// # Safety
/// `iov` points to `count` iovecs describing readable memory.
pub(crate) unsafe fn writev(fd: RawFd, iov: *const IoVec, count: c_int) -> Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall3(nr::WRITEV, fd as usize, iov as usize, count as usize) }
}

/// # Safety
/// As for [`readv`].
pub(crate) unsafe fn preadv(fd: RawFd, iov: *const IoVec, count: c_int, offset: i64) -> Result<usize> {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // SAFETY: forwarded to the caller; flags 0 is plain preadv.
            unsafe { syscall5(nr::EXTPREADV, fd as usize, iov as usize, count as usize, 0, offset as usize) }
        } else {
            // SAFETY: forwarded to the caller. Linux takes the offset as (low, high) halves; on
            // 64-bit the low word carries all of it and the high word is ignored (fs/read_write.c).
            unsafe { syscall5_linux(nr::PREADV, fd, iov, count, offset) }
        }
    }
}

/// # Safety
/// As for [`writev`].
pub(crate) unsafe fn pwritev(fd: RawFd, iov: *const IoVec, count: c_int, offset: i64) -> Result<usize> {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // SAFETY: forwarded to the caller; flags 0 is plain pwritev.
            unsafe { syscall5(nr::EXTPWRITEV, fd as usize, iov as usize, count as usize, 0, offset as usize) }
        } else {
            // SAFETY: forwarded to the caller; offset halves as in `preadv`.
            unsafe { syscall5_linux(nr::PWRITEV, fd, iov, count, offset) }
        }
    }
}

/// Linux `preadv`/`pwritev`: `(fd, iov, iovcnt, pos_l, pos_h)`.
///
/// # Safety
/// As for the system call `nr` with these arguments.
#[cfg(target_os = "linux")]
#[inline]
unsafe fn syscall5_linux(nr: usize, fd: RawFd, iov: *const IoVec, count: c_int, offset: i64) -> Result<usize> {
    let pos = offset as u64;
    // SAFETY: forwarded to the caller.
    unsafe {
        super::arch::syscall5(nr, fd as usize, iov as usize, count as usize, pos as usize, (pos >> 32) as usize)
    }
}

#[inline]
pub(crate) fn pipe2(flags: c_int) -> Result<[RawFd; 2]> {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // SAFETY: no memory is passed: DragonFly ignores the `fildes` pointer and returns the
            // descriptors in rax/rdx (sys/kern/sys_pipe.c, sys_pipe2 -> kern_pipe(sysmsg_fds)).
            let (r, w) = unsafe { super::arch::syscall2_pair(nr::PIPE2, 0, flags as usize) }?;
            Ok([r as RawFd, w as RawFd])
        } else {
            let mut fds: [RawFd; 2] = [-1, -1];
            // SAFETY: `fds` is a writable array of two ints.
            unsafe { super::arch::syscall2(nr::PIPE2, fds.as_mut_ptr() as usize, flags as usize) }?;
            Ok(fds)
        }
    }
}

#[inline]
pub(crate) fn fcntl(fd: RawFd, cmd: c_int, arg: c_int) -> Result<c_int> {
    // SAFETY: the face only lets integer-argument commands through, so no memory is passed.
    // `arg` is sign-extended into the kernel's `long`.
    let ret = unsafe { syscall3(nr::FCNTL, fd as usize, cmd as usize, arg as isize as usize) }?;
    Ok(ret as c_int)
}

pub(crate) fn ioctl_fionread(fd: RawFd) -> Result<c_int> {
    let mut n: c_int = 0;
    // SAFETY: FIONREAD writes one int to the pointer, which is valid and writable.
    unsafe { syscall3(nr::IOCTL, fd as usize, ::libc::FIONREAD as usize, &mut n as *mut c_int as usize) }?;
    Ok(n)
}

pub(crate) fn isatty(fd: RawFd) -> Result<bool> {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // DragonFly lib/libc/gen/isatty.c: tcgetattr, i.e. TIOCGETA.
            let request = ::libc::TIOCGETA as usize;
        } else {
            // Linux: TCGETS writes the kernel's `struct termios` (36 bytes), which fits in
            // glibc's larger one.
            let request = ::libc::TCGETS as usize;
        }
    }
    let mut attrs = MaybeUninit::<::libc::termios>::uninit();
    // SAFETY: the request writes at most `size_of::<termios>()` bytes into `attrs`.
    match unsafe { syscall3(nr::IOCTL, fd as usize, request, attrs.as_mut_ptr() as usize) } {
        Ok(_) => Ok(true),
        Err(Errno::NOTTY) => Ok(false),
        Err(err) => Err(err),
    }
}
