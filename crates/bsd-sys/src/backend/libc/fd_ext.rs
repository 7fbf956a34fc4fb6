//! More fd calls through libc: dup2/dup3, lseek, fstat, fsync/fdatasync, ftruncate, poll,
//! closefrom.

use core::ffi::c_int;
#[cfg(target_os = "linux")]
use core::ffi::c_uint;
use core::mem::MaybeUninit;

use super::check;
use crate::fd::{PollFd, RawFd, Stat};
use crate::{Errno, Result};

pub(crate) fn dup2(old: RawFd, new: RawFd) -> Result<RawFd> {
    // SAFETY: no memory is passed; ownership is the face's contract.
    check(unsafe { ::libc::dup2(old, new) })
}

pub(crate) fn dup3(old: RawFd, new: RawFd, flags: c_int) -> Result<RawFd> {
    // SAFETY: as for `dup2`.
    check(unsafe { ::libc::dup3(old, new, flags) })
}

pub(crate) fn lseek(fd: RawFd, offset: i64, whence: c_int) -> Result<i64> {
    // SAFETY: no memory is passed.
    let ret = unsafe { ::libc::lseek(fd, offset as ::libc::off_t, whence) };
    if ret < 0 {
        Err(super::last_errno())
    } else {
        Ok(ret as i64)
    }
}

pub(crate) fn fstat(fd: RawFd) -> Result<Stat> {
    let mut st = MaybeUninit::<Stat>::zeroed();
    // SAFETY: `st` is writable and as large as the C library's `struct stat`.
    check(unsafe { ::libc::fstat(fd, st.as_mut_ptr()) })?;
    // SAFETY: zero-initialised plain data, filled on success.
    Ok(unsafe { st.assume_init() })
}

pub(crate) fn fsync(fd: RawFd) -> Result<()> {
    // SAFETY: no memory is passed.
    check(unsafe { ::libc::fsync(fd) }).map(drop)
}

pub(crate) fn fdatasync(fd: RawFd) -> Result<()> {
    // SAFETY: no memory is passed.
    check(unsafe { ::libc::fdatasync(fd) }).map(drop)
}

pub(crate) fn ftruncate(fd: RawFd, len: i64) -> Result<()> {
    // SAFETY: no memory is passed.
    check(unsafe { ::libc::ftruncate(fd, len as ::libc::off_t) }).map(drop)
}

pub(crate) fn poll(fds: &mut [PollFd], timeout_ms: c_int) -> Result<usize> {
    let count = ::libc::nfds_t::try_from(fds.len()).map_err(|_| Errno::INVAL)?;
    // SAFETY: `fds` is a writable array of `count` pollfd entries.
    check(unsafe { ::libc::poll(fds.as_mut_ptr(), count, timeout_ms) }).map(|n| n as usize)
}

pub(crate) fn closefrom(min: RawFd) -> Result<()> {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "linux")] {
            if min < 0 {
                return Err(Errno::INVAL);
            }
            // SAFETY: no memory is passed. glibc and musl both route the raw number; the `libc`
            // crate has no `close_range` binding for musl.
            let ret = unsafe {
                ::libc::syscall(::libc::SYS_close_range, min as c_uint, c_uint::MAX, 0 as c_uint)
            };
            if ret < 0 {
                Err(super::last_errno())
            } else {
                Ok(())
            }
        } else {
            // OpenBSD and DragonFly: closefrom(2).
            // SAFETY: no memory is passed; ownership is the face's contract.
            check(unsafe { ::libc::closefrom(min) }).map(drop)
        }
    }
}
