//! mem calls as direct system calls.

use core::ffi::{c_int, c_void};

use super::nr;
use crate::mem::Off;
use crate::Result;

#[cfg(target_os = "linux")]
use super::arch::syscall6;
use super::arch::{syscall2, syscall3};

#[inline]
pub(crate) unsafe fn mmap(
    addr: *mut c_void,
    len: usize,
    prot: c_int,
    flags: c_int,
    fd: c_int,
    offset: Off,
) -> Result<*mut c_void> {
    // Integer arguments are passed sign-extended to register width, as the C ABI does.
    let (prot, flags, fd) = (prot as isize as usize, flags as isize as usize, fd as isize as usize);
    #[cfg(target_os = "dragonfly")]
    // SAFETY: the caller upholds `bsd_sys::mem::mmap`'s contract. DragonFly's mmap takes
    // `(addr, len, prot, flags, fd, pad, pos)` (sys/sys/sysproto.h `struct mmap_args`), the
    // seventh on the stack; `pad` is unused and passed as 0.
    let ret = unsafe {
        super::arch::syscall7(nr::MMAP, addr as usize, len, prot, flags, fd, 0, offset as usize)
    };
    #[cfg(target_os = "linux")]
    // SAFETY: the caller upholds `bsd_sys::mem::mmap`'s contract.
    let ret = unsafe { syscall6(nr::MMAP, addr as usize, len, prot, flags, fd, offset as usize) };
    ret.map(|a| a as *mut c_void)
}

#[inline]
pub(crate) unsafe fn munmap(addr: *mut c_void, len: usize) -> Result<()> {
    // SAFETY: the caller guarantees nothing uses the range afterwards.
    unsafe { syscall2(nr::MUNMAP, addr as usize, len) }.map(drop)
}

#[inline]
pub(crate) unsafe fn mprotect(addr: *mut c_void, len: usize, prot: c_int) -> Result<()> {
    // SAFETY: the caller guarantees no reference relies on a removed access.
    unsafe { syscall3(nr::MPROTECT, addr as usize, len, prot as isize as usize) }.map(drop)
}

#[inline]
pub(crate) unsafe fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> Result<()> {
    // SAFETY: the caller guarantees no reference relies on contents the advice may drop.
    unsafe { syscall3(nr::MADVISE, addr as usize, len, advice as isize as usize) }.map(drop)
}

pub(crate) unsafe fn msync(addr: *mut c_void, len: usize, flags: c_int) -> Result<()> {
    // SAFETY: the caller guarantees no reference relies on contents MS_INVALIDATE may drop.
    unsafe { syscall3(nr::MSYNC, addr as usize, len, flags as isize as usize) }.map(drop)
}

#[inline]
pub(crate) fn mlock(addr: *const c_void, len: usize) -> Result<()> {
    // SAFETY: mlock only changes residency; the kernel validates the range.
    unsafe { syscall2(nr::MLOCK, addr as usize, len) }.map(drop)
}

#[inline]
pub(crate) fn munlock(addr: *const c_void, len: usize) -> Result<()> {
    // SAFETY: munlock only changes residency; the kernel validates the range.
    unsafe { syscall2(nr::MUNLOCK, addr as usize, len) }.map(drop)
}

#[cfg(target_os = "dragonfly")]
pub(crate) unsafe fn minherit(addr: *mut c_void, len: usize, inherit: c_int) -> Result<()> {
    // SAFETY: the caller guarantees a child does not rely on the range's contents.
    unsafe { syscall3(nr::MINHERIT, addr as usize, len, inherit as isize as usize) }.map(drop)
}

/// `hw.pagesize` through `__sysctl` (DragonFly `sys/sys/sysctl.h`: CTL_HW 6, HW_PAGESIZE 7).
#[cfg(target_os = "dragonfly")]
pub(crate) fn page_size() -> Result<usize> {
    let value = super::sysctl::sysctl_int(&[::libc::CTL_HW, ::libc::HW_PAGESIZE])?;
    if value <= 0 {
        return Err(crate::Errno::INVAL);
    }
    Ok(value as usize)
}

/// Linux has no system call for the page size: it is `AT_PAGESZ` in the aux vector, read with
/// the C library's `getauxval` (a plain function, no system call).
#[cfg(target_os = "linux")]
pub(crate) fn page_size() -> Result<usize> {
    // SAFETY: getauxval has no memory-safety preconditions.
    let value = unsafe { ::libc::getauxval(::libc::AT_PAGESZ) };
    if value == 0 {
        Err(crate::Errno::NOENT)
    } else {
        Ok(value as usize)
    }
}
