//! The `data` of Read and Write events, read from the kernel when the caller asks for it.

use std::os::fd::RawFd;

use bsd_sys::event as sys;
use bsd_sys::libc;

use crate::consts::*;
use crate::Event;

/// The `data` of a Read or Write event until the caller asks for it (never a real count, which
/// is not negative).
pub(super) const DEFERRED: i64 = i64::MIN;

/// Bytes readable on `fd` (`FIONREAD`; on a regular file, size minus offset). A listening
/// socket, which `FIONREAD` refuses, gives its accept queue length where Linux tells (TCP) and
/// 1 otherwise (the event means at least one connection waits). 0 when Linux does not say.
fn read_bytes(fd: RawFd) -> i64 {
    // SAFETY: FIONREAD only reads a count. The number may have been closed since the wait (then
    // EBADF gives 0) or reused (then it describes the new file, as the crate docs say); nothing
    // is written to, closed or changed.
    match unsafe { bsd_sys::fd::ioctl_fionread(fd) } {
        Ok(n) => i64::from(n.max(0)),
        // SAFETY: getsockopt only reads socket state.
        Err(_) => match unsafe { sys::accept_queue_len(fd) } {
            Ok(Some(n)) => i64::from(n),
            Ok(None) => 0,
            Err(_) => 1,
        },
    }
}

/// Free space of a pipe (capacity minus queued bytes), or of a socket's send buffer
/// (`SO_SNDBUF` minus `SIOCOUTQ`, an estimate); 0 for other descriptors, where Linux does not
/// say.
fn write_space(fd: RawFd) -> i64 {
    // SAFETY: F_GETPIPE_SZ only reads a size; a number closed or reused since the wait is
    // handled as in `read_bytes`.
    let cap = match unsafe { bsd_sys::fd::fcntl(fd, libc::F_GETPIPE_SZ, 0) } {
        Ok(cap) => i64::from(cap),
        // SAFETY: getsockopt and SIOCOUTQ only read socket state (ENOTSOCK otherwise).
        Err(_) => return unsafe { sys::socket_send_space(fd) }.unwrap_or(0),
    };
    // SAFETY: as in `read_bytes`.
    let queued = unsafe { bsd_sys::fd::ioctl_fionread(fd) }.map_or(0, |n| i64::from(n.max(0)));
    (cap - queued).max(0)
}

/// The event's `data`, asking the kernel now for a Read or Write count left [`DEFERRED`].
pub(crate) fn event_data(ev: &Event) -> i64 {
    if !is_deferred(ev) {
        return ev.data;
    }
    let Ok(fd) = RawFd::try_from(ev.ident) else {
        return 0;
    };
    if ev.filter == EVFILT_READ {
        read_bytes(fd)
    } else {
        write_space(fd)
    }
}

/// The event's `data` is a count not read yet.
#[inline]
pub(crate) fn is_deferred(ev: &Event) -> bool {
    ev.data == DEFERRED && matches!(ev.filter, EVFILT_READ | EVFILT_WRITE)
}

/// A `wait(2)` status word from what `waitid` reports.
pub(super) fn wait_status(state: sys::ChildState) -> i64 {
    let status = i64::from(state.status & 0xff);
    match state.code {
        libc::CLD_EXITED => status << 8,
        libc::CLD_KILLED => status,
        libc::CLD_DUMPED => status | 0x80,
        _ => -1,
    }
}
