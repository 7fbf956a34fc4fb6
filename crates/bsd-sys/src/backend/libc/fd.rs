//! fd calls through libc.

use core::ffi::{c_int, c_uint, CStr};

use super::{check, check_size, last_errno};
use crate::fd::{IoVec, Mode, RawFd};
use crate::{Errno, Result};

pub(crate) fn open(path: &CStr, flags: c_int, mode: Mode) -> Result<RawFd> {
    // SAFETY: `path` is NUL-terminated; `open` is variadic and reads `mode` as an int (promoted).
    check(unsafe { ::libc::open(path.as_ptr(), flags, mode as c_uint) })
}

pub(crate) fn openat(dirfd: RawFd, path: &CStr, flags: c_int, mode: Mode) -> Result<RawFd> {
    // SAFETY: as for `open`; the kernel validates `dirfd`.
    check(unsafe { ::libc::openat(dirfd, path.as_ptr(), flags, mode as c_uint) })
}

pub(crate) fn close(fd: RawFd) -> Result<()> {
    // SAFETY: no memory is passed; ownership of `fd` is the face's contract.
    check(unsafe { ::libc::close(fd) }).map(drop)
}

#[inline]
pub(crate) fn read(fd: RawFd, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes.
    check_size(unsafe { ::libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) })
}

#[inline]
pub(crate) fn write(fd: RawFd, buf: &[u8]) -> Result<usize> {
    // SAFETY: `buf` is valid for reads of `buf.len()` bytes.
    check_size(unsafe { ::libc::write(fd, buf.as_ptr().cast(), buf.len()) })
}

pub(crate) fn pread(fd: RawFd, buf: &mut [u8], offset: i64) -> Result<usize> {
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes.
    check_size(unsafe { ::libc::pread(fd, buf.as_mut_ptr().cast(), buf.len(), offset as _) })
}

pub(crate) fn pwrite(fd: RawFd, buf: &[u8], offset: i64) -> Result<usize> {
    // SAFETY: `buf` is valid for reads of `buf.len()` bytes.
    check_size(unsafe { ::libc::pwrite(fd, buf.as_ptr().cast(), buf.len(), offset as _) })
}

/// # Safety
/// `iov` points to `count` iovecs describing writable memory.
pub(crate) unsafe fn readv(fd: RawFd, iov: *const IoVec, count: c_int) -> Result<usize> {
    // SAFETY: forwarded to the caller.
    check_size(unsafe { ::libc::readv(fd, iov, count) })
}

/// # Safety
/// `iov` points to `count` iovecs describing readable memory.
pub(crate) unsafe fn writev(fd: RawFd, iov: *const IoVec, count: c_int) -> Result<usize> {
    // SAFETY: forwarded to the caller.
    check_size(unsafe { ::libc::writev(fd, iov, count) })
}

/// # Safety
/// As for [`readv`].
pub(crate) unsafe fn preadv(
    fd: RawFd,
    iov: *const IoVec,
    count: c_int,
    offset: i64,
) -> Result<usize> {
    // SAFETY: forwarded to the caller.
    check_size(unsafe { ::libc::preadv(fd, iov, count, offset as _) })
}

/// # Safety
/// As for [`writev`].
pub(crate) unsafe fn pwritev(
    fd: RawFd,
    iov: *const IoVec,
    count: c_int,
    offset: i64,
) -> Result<usize> {
    // SAFETY: forwarded to the caller.
    check_size(unsafe { ::libc::pwritev(fd, iov, count, offset as _) })
}

#[inline]
pub(crate) fn pipe2(flags: c_int) -> Result<[RawFd; 2]> {
    let mut fds: [RawFd; 2] = [-1, -1];
    // SAFETY: `fds` is a writable array of two ints.
    check(unsafe { ::libc::pipe2(fds.as_mut_ptr(), flags) })?;
    Ok(fds)
}

#[inline]
pub(crate) fn fcntl(fd: RawFd, cmd: c_int, arg: c_int) -> Result<c_int> {
    // SAFETY: the face only lets integer-argument commands through; `fcntl` is variadic and
    // reads `arg` as an int.
    check(unsafe { ::libc::fcntl(fd, cmd, arg) })
}

pub(crate) fn ioctl_fionread(fd: RawFd) -> Result<c_int> {
    let mut n: c_int = 0;
    // SAFETY: FIONREAD writes one int to the pointer, which is valid and writable.
    check(unsafe { ::libc::ioctl(fd, ::libc::FIONREAD as _, &mut n as *mut c_int) })?;
    Ok(n)
}

pub(crate) fn isatty(fd: RawFd) -> Result<bool> {
    // SAFETY: no memory is passed.
    if unsafe { ::libc::isatty(fd) } == 1 {
        return Ok(true);
    }
    match last_errno() {
        Errno::NOTTY => Ok(false),
        err => Err(err),
    }
}
