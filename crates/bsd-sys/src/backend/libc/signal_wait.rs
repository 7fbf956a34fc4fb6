//! Signal waits and killpg through libc.

use libc::{c_int, pid_t, sigset_t};

use super::check;
#[cfg(not(target_os = "openbsd"))]
use crate::Timespec;
use crate::{Errno, Result};

pub(crate) fn sigwait(set: &sigset_t) -> Result<c_int> {
    let mut sig: c_int = 0;
    // SAFETY: `set` is a valid set and `sig` a writable int. sigwait returns the error number
    // itself rather than setting errno.
    match unsafe { ::libc::sigwait(set, &mut sig) } {
        0 => Ok(sig),
        err => Err(Errno::from_raw(err)),
    }
}

#[cfg(not(target_os = "openbsd"))]
pub(crate) fn sigtimedwait(set: &sigset_t, timeout: Option<Timespec>) -> Result<::libc::siginfo_t> {
    let ts = timeout.map(Timespec::to_raw);
    let ts_ptr = ts
        .as_ref()
        .map_or(core::ptr::null(), |t| t as *const ::libc::timespec);
    // SAFETY: siginfo_t is plain data; zero is a valid value.
    let mut info: ::libc::siginfo_t = unsafe { core::mem::zeroed() };
    // SAFETY: `set` and `ts_ptr` (null or live) are readable, `info` writable.
    check(unsafe { ::libc::sigtimedwait(set, &mut info, ts_ptr) })?;
    Ok(info)
}

pub(crate) fn sigsuspend(mask: &sigset_t) -> Errno {
    // SAFETY: `mask` is a valid set; sigsuspend only returns after a handler ran.
    match check(unsafe { ::libc::sigsuspend(mask) }) {
        Ok(_) => Errno::INTR,
        Err(err) => err,
    }
}

pub(crate) fn killpg(pgrp: pid_t, sig: c_int) -> Result<()> {
    // SAFETY: no memory is passed.
    check(unsafe { ::libc::killpg(pgrp, sig) }).map(drop)
}
