//! Waiting for signals (`sigwait`, `sigtimedwait`, `sigsuspend`) and `killpg`.

use libc::sigset_t;

use crate::backend::imp;
use crate::{Errno, Pid, Result, Signal};

/// Waits until a signal of `set` is pending for the calling thread, takes it off the pending
/// set and returns it, without running its handler.
///
/// The signals of `set` should be blocked in every thread, or the kernel may deliver one to a
/// handler instead. Signals the C thread library reserves ([`super::is_reserved`]) are left
/// out of `set`, as libthread_xu's `sigwait` does, so a wait never takes one of the library's
/// own signals; a set of nothing else is `Errno::INVAL`.
///
/// # Platform
/// - OpenBSD: libc's `sigwait` (`lib/libc/Symbols.list`; system call `__thrsigdivert`).
/// - DragonFly: raw backend `sigwaitinfo` (system call 346) with no info pointer; the kernel
///   returns the signal number (`sys_sigwaitinfo`, `sys/kern/kern_sig.c`).
/// - Linux: raw backend `rt_sigtimedwait(set, NULL, NULL, 8)`.
///
/// The raw backends retry `EINTR` (an unrelated handler ran), as the C libraries' `sigwait`
/// does, so this never fails with `Errno::INTR`.
///
/// # References
/// - [OpenBSD sigwait(3)](https://man.openbsd.org/sigwait.3)
/// - [DragonFly sigwait(3)](https://man.dragonflybsd.org/?command=sigwait&section=3)
/// - [Linux sigwait(3)](https://man7.org/linux/man-pages/man3/sigwait.3.html)
#[inline]
pub fn sigwait(set: &sigset_t) -> Result<Signal> {
    let set = wait_set(set)?;
    let raw = imp::signal_wait::sigwait(&set)?;
    Signal::from_raw(raw)
}

/// `set` without the reserved signals; `EINVAL` if nothing else is left to wait for.
fn wait_set(set: &sigset_t) -> Result<sigset_t> {
    let set = super::reserved::without_reserved(set).unwrap_or(*set);
    if Signal::all().any(|sig| super::sigset_contains(&set, sig)) {
        Ok(set)
    } else {
        Err(Errno::INVAL)
    }
}

/// Like [`sigwait`], giving up after `timeout` (`None`: no limit) with `Errno::AGAIN`, and
/// returning the full `siginfo_t` of the signal taken.
///
/// An interruption by an unrelated handler gives `Errno::INTR`. A `timeout` of zero polls.
/// Reserved signals are left out of `set` as for [`sigwait`].
///
/// # Platform
/// Not on OpenBSD: its libc has neither `sigtimedwait` nor `sigwaitinfo` (`lib/libc/Symbols.list`).
/// DragonFly: system call 345. Linux: `rt_sigtimedwait` (128 on x86_64, 137 on aarch64).
///
/// # References
/// - [DragonFly sigtimedwait(2)](https://man.dragonflybsd.org/?command=sigtimedwait&section=2)
/// - [Linux sigtimedwait(2)](https://man7.org/linux/man-pages/man2/sigtimedwait.2.html)
#[cfg(not(target_os = "openbsd"))]
#[inline]
pub fn sigtimedwait(set: &sigset_t, timeout: Option<crate::Timespec>) -> Result<libc::siginfo_t> {
    imp::signal_wait::sigtimedwait(&wait_set(set)?, timeout)
}

/// Replaces the calling thread's signal mask with `mask` until a signal handler runs (or the
/// process ends), then restores the mask. Returns the error the kernel reported, which is
/// `Errno::INTR` when a handler ran. Reserved signals ([`super::is_reserved`]) are left out of
/// `mask`, as libthread_xu's and glibc's masks are, so the C library's signals still arrive.
///
/// # Platform
/// OpenBSD: libc's `sigsuspend` (system call 111 takes the 4-byte mask by value). DragonFly:
/// system call 341. Linux: `rt_sigsuspend(mask, 8)`.
///
/// # References
/// - [OpenBSD sigsuspend(2)](https://man.openbsd.org/sigsuspend.2)
/// - [DragonFly sigsuspend(2)](https://man.dragonflybsd.org/?command=sigsuspend&section=2)
/// - [Linux sigsuspend(2)](https://man7.org/linux/man-pages/man2/sigsuspend.2.html)
#[inline]
pub fn sigsuspend(mask: &sigset_t) -> Errno {
    match super::reserved::without_reserved(mask) {
        Some(mask) => imp::signal_wait::sigsuspend(&mask),
        None => imp::signal_wait::sigsuspend(mask),
    }
}

/// Sends `sig` to every process of process group `pgrp` (`0`: the caller's group).
///
/// A negative `pgrp` and `1` give `Errno::INVAL` here, on every backend: `killpg(1)` would be
/// `kill(-1)`, every process the caller may signal (POSIX leaves `pgrp <= 1` undefined). So does
/// a signal the C thread library reserves ([`super::is_reserved`]): the group may hold this
/// process.
///
/// # Platform
/// libc's `killpg` (OpenBSD `lib/libc/compat-43`); the raw backends call `kill(-pgrp, sig)`.
///
/// # References
/// - [OpenBSD killpg(3)](https://man.openbsd.org/killpg.3)
/// - [DragonFly killpg(2)](https://man.dragonflybsd.org/?command=killpg&section=2)
/// - [Linux killpg(3)](https://man7.org/linux/man-pages/man3/killpg.3.html)
#[inline]
pub fn killpg(pgrp: Pid, sig: Signal) -> Result<()> {
    if pgrp.raw() < 0 || pgrp.raw() == 1 || super::is_reserved(sig) {
        return Err(Errno::INVAL);
    }
    imp::signal_wait::killpg(pgrp.raw(), sig.raw())
}
