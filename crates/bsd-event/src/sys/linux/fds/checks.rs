//! The checks a report or a change makes on a descriptor: its low-water mark, and whether its
//! number still names the registered file.

use std::os::fd::RawFd;

use bsd_sys::event as sys;
use bsd_sys::libc;
use bsd_sys::Errno;

use super::Interest;
use crate::consts::*;
use crate::filter::RawChange;

/// The low-water mark of an ADD: `NOTE_LOWAT` with its `data`, on a socket (the BSDs honour it
/// in their socket filters only, see [`crate::Filter::ReadLowat`]); 0 otherwise.
pub(super) fn lowat_of(fd: RawFd, c: &RawChange) -> Result<u32, Errno> {
    if c.fflags & NOTE_LOWAT == 0 || c.data <= 0 {
        return Ok(0);
    }
    // SAFETY: fstat only reads the descriptor's metadata.
    let info = unsafe { sys::file_info(fd) }?;
    if info.mode & libc::S_IFMT != libc::S_IFSOCK {
        return Ok(0);
    }
    // SAFETY: getsockopt only reads socket state; a listening socket ignores the mark.
    if let Ok(Some(_)) = unsafe { sys::accept_queue_len(fd) } {
        return Ok(0);
    }
    Ok(u32::try_from(c.data).unwrap_or(u32::MAX))
}

/// The mark of `i` is met on socket `fd` (always, without a mark).
pub(super) fn lowat_met(fd: RawFd, i: Option<Interest>, filter: i16) -> bool {
    let Some(i) = i else { return false };
    if i.lowat == 0 {
        return true;
    }
    let have = if filter == EVFILT_READ {
        // SAFETY: FIONREAD only reads a count.
        unsafe { bsd_sys::fd::ioctl_fionread(fd) }.map_or(0, i64::from)
    } else {
        // SAFETY: getsockopt and SIOCOUTQ only read socket state.
        unsafe { sys::socket_send_space(fd) }.unwrap_or(0)
    };
    have >= i64::from(i.lowat)
}

/// `fd` still names the file `e` was registered for: open, and the same device and inode (a
/// pipe's or socket's inode is its own, so another pipe that got the number differs).
#[inline]
pub(super) fn same_file(fd: RawFd, file: (u64, u64)) -> bool {
    // SAFETY: fstat only reads the descriptor's metadata; EBADF once it is closed.
    unsafe { sys::file_info(fd) }.is_ok_and(|i| (i.dev, i.ino) == file)
}
