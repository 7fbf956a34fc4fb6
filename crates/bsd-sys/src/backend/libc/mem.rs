//! mem calls through libc.

use core::ffi::{c_int, c_void};

use super::{check, last_errno};
use crate::mem::Off;
use crate::{Errno, Result};

#[inline]
pub(crate) unsafe fn mmap(
    addr: *mut c_void,
    len: usize,
    prot: c_int,
    flags: c_int,
    fd: c_int,
    offset: Off,
) -> Result<*mut c_void> {
    // SAFETY: the caller upholds `bsd_sys::mem::mmap`'s contract.
    let ret = unsafe { ::libc::mmap(addr, len, prot, flags, fd, offset) };
    if ret == ::libc::MAP_FAILED {
        Err(last_errno())
    } else {
        Ok(ret)
    }
}

#[inline]
pub(crate) unsafe fn munmap(addr: *mut c_void, len: usize) -> Result<()> {
    // SAFETY: the caller guarantees nothing uses the range afterwards.
    check(unsafe { ::libc::munmap(addr, len) }).map(drop)
}

#[inline]
pub(crate) unsafe fn mprotect(addr: *mut c_void, len: usize, prot: c_int) -> Result<()> {
    // SAFETY: the caller guarantees no reference relies on a removed access.
    check(unsafe { ::libc::mprotect(addr, len, prot) }).map(drop)
}

#[inline]
pub(crate) unsafe fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> Result<()> {
    // SAFETY: the caller guarantees no reference relies on contents the advice may drop.
    check(unsafe { ::libc::madvise(addr, len, advice) }).map(drop)
}

pub(crate) unsafe fn msync(addr: *mut c_void, len: usize, flags: c_int) -> Result<()> {
    // SAFETY: the caller guarantees no reference relies on contents MS_INVALIDATE may drop.
    check(unsafe { ::libc::msync(addr, len, flags) }).map(drop)
}

#[inline]
pub(crate) fn mlock(addr: *const c_void, len: usize) -> Result<()> {
    // SAFETY: mlock only changes residency; the kernel validates the range.
    check(unsafe { ::libc::mlock(addr, len) }).map(drop)
}

#[inline]
pub(crate) fn munlock(addr: *const c_void, len: usize) -> Result<()> {
    // SAFETY: munlock only changes residency; the kernel validates the range.
    check(unsafe { ::libc::munlock(addr, len) }).map(drop)
}

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
pub(crate) unsafe fn minherit(addr: *mut c_void, len: usize, inherit: c_int) -> Result<()> {
    // SAFETY: the caller guarantees a child does not rely on the range's contents.
    check(unsafe { ::libc::minherit(addr, len, inherit) }).map(drop)
}

#[cfg(target_os = "openbsd")]
pub(crate) unsafe fn mimmutable(addr: *mut c_void, len: usize) -> Result<()> {
    // SAFETY: the caller guarantees the range's owner never needs to change it.
    check(unsafe { ::libc::mimmutable(addr, len) }).map(drop)
}

pub(crate) fn page_size() -> Result<usize> {
    // SAFETY: sysconf has no memory-safety preconditions.
    let ret = unsafe { ::libc::sysconf(::libc::_SC_PAGESIZE) };
    if ret <= 0 {
        Err(if ret == 0 { Errno::INVAL } else { last_errno() })
    } else {
        Ok(ret as usize)
    }
}
