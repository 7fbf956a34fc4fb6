//! Signal waits and killpg as direct system calls.

use core::ptr;

use libc::{c_int, pid_t, sigset_t};

use super::arch::syscall2;
#[cfg(target_os = "linux")]
use super::arch::syscall4;
use super::nr;
use crate::{Errno, Result, Timespec};

#[cfg(target_os = "linux")]
use crate::signal::sigset_to_u64;

/// The kernel's signal-set size on Linux (`_NSIG / 8`).
#[cfg(target_os = "linux")]
const KERNEL_SIGSET_SIZE: usize = 8;

/// One `sigtimedwait` call: the signal number, or the kernel's error.
fn timedwait_once(set: &sigset_t, info: *mut ::libc::siginfo_t, ts: *const ::libc::timespec) -> Result<c_int> {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // SAFETY: sigtimedwait 345 reads the 16-byte set and the timespec (null or live) and
            // writes `info` (null or writable).
            let ret = unsafe { super::arch::syscall3(nr::SIGTIMEDWAIT, set as *const _ as usize, info as usize, ts as usize) }?;
        } else {
            let bits = sigset_to_u64(set);
            // SAFETY: rt_sigtimedwait reads the 8-byte set and the timespec (null or live), and
            // writes `info` (null or a writable siginfo_t, 128 bytes as the kernel's).
            let ret = unsafe {
                syscall4(nr::RT_SIGTIMEDWAIT, &bits as *const u64 as usize, info as usize, ts as usize, KERNEL_SIGSET_SIZE)
            }?;
        }
    }
    Ok(ret as c_int)
}

pub(crate) fn sigwait(set: &sigset_t) -> Result<c_int> {
    loop {
        let ret = {
            cfg_if::cfg_if! {
                if #[cfg(target_os = "dragonfly")] {
                    // SAFETY: sigwaitinfo 346 reads the set; no info pointer.
                    unsafe { syscall2(nr::SIGWAITINFO, set as *const _ as usize, 0) }.map(|s| s as c_int)
                } else {
                    timedwait_once(set, ptr::null_mut(), ptr::null())
                }
            }
        };
        match ret {
            Err(Errno::INTR) => continue,
            other => return other,
        }
    }
}

pub(crate) fn sigtimedwait(set: &sigset_t, timeout: Option<Timespec>) -> Result<::libc::siginfo_t> {
    let ts = timeout.map(Timespec::to_raw);
    let ts_ptr = ts.as_ref().map_or(ptr::null(), |t| t as *const ::libc::timespec);
    // SAFETY: siginfo_t is plain data; zero is a valid value.
    let mut info: ::libc::siginfo_t = unsafe { core::mem::zeroed() };
    timedwait_once(set, &mut info, ts_ptr)?;
    Ok(info)
}

pub(crate) fn sigsuspend(mask: &sigset_t) -> Errno {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "dragonfly")] {
            // SAFETY: sigsuspend 341 reads the 16-byte set.
            let ret = unsafe { super::arch::syscall1(nr::SIGSUSPEND, mask as *const _ as usize) };
        } else {
            let bits = sigset_to_u64(mask);
            // SAFETY: rt_sigsuspend reads the 8-byte set.
            let ret = unsafe { syscall2(nr::RT_SIGSUSPEND, &bits as *const u64 as usize, KERNEL_SIGSET_SIZE) };
        }
    }
    match ret {
        Ok(_) => Errno::INTR,
        Err(err) => err,
    }
}

pub(crate) fn killpg(pgrp: pid_t, sig: c_int) -> Result<()> {
    super::signal::kill(-pgrp, sig)
}
