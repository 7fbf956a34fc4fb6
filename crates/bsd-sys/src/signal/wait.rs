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
/// # Examples
/// ```
/// use bsd_sys::{libc, signal, Errno, Signal};
///
/// let mut set = signal::sigset_empty();
/// signal::sigset_add(&mut set, Signal::HUP);
/// let old = signal::thread_sigmask(libc::SIG_BLOCK, Some(&set))?;
/// signal::kill(signal::getpid(), Signal::HUP)?; // blocked: waits in the pending set
/// assert_eq!(signal::sigwait(&set)?, Signal::HUP); // taken without running a handler
/// signal::change_thread_sigmask(libc::SIG_SETMASK, &old)?;
/// // A set of only reserved signals leaves nothing to wait for.
/// let mut reserved = signal::sigset_empty();
/// signal::reserved_signals().for_each(|sig| signal::sigset_add(&mut reserved, sig));
/// assert_eq!(signal::sigwait(&reserved), Err(Errno::INVAL));
/// # Ok::<(), Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{libc, signal, thread, Errno, Signal, Timespec};
///
/// let mut set = signal::sigset_empty();
/// signal::sigset_add(&mut set, Signal::USR2);
/// let old = signal::thread_sigmask(libc::SIG_BLOCK, Some(&set))?;
/// // Nothing pending: a zero timeout polls.
/// assert_eq!(signal::sigtimedwait(&set, Some(Timespec::ZERO)).err(), Some(Errno::AGAIN));
/// signal::kill_thread(thread::gettid(), Signal::USR2)?;
/// let info = signal::sigtimedwait(&set, Some(Timespec::new(1, 0).unwrap()))?;
/// assert_eq!(info.si_signo, Signal::USR2.raw());
/// signal::change_thread_sigmask(libc::SIG_SETMASK, &old)?;
/// # Ok::<(), Errno>(())
/// ```
///
/// # References
/// - [DragonFly sigtimedwait(2)](https://man.dragonflybsd.org/?command=sigtimedwait&section=2)
/// - [Linux sigtimedwait(2)](https://man7.org/linux/man-pages/man2/sigtimedwait.2.html)
#[cfg(not(target_os = "openbsd"))]
#[doc(alias = "sigwaitinfo")]
#[doc(alias = "rt_sigtimedwait")]
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
/// # Examples
/// ```
/// use core::sync::atomic::{AtomicBool, Ordering};
/// use bsd_sys::{libc, signal, thread, Errno, Signal};
///
/// static WOKEN: AtomicBool = AtomicBool::new(false);
/// extern "C" fn on_usr1(_: libc::c_int) {
///     WOKEN.store(true, Ordering::SeqCst);
/// }
/// // SAFETY: all-zero is a valid `sigaction` (no flags, empty mask).
/// let mut act: libc::sigaction = unsafe { core::mem::zeroed() };
/// act.sa_sigaction = on_usr1 as *const () as usize;
/// // SAFETY: a plain one-argument handler that only stores to an atomic; static.
/// let old_act = unsafe { signal::sigaction(Signal::USR1, Some(&act)) }?;
/// // Block SIGUSR1, make it pending, then let sigsuspend open the mask and wait.
/// let mut usr1 = signal::sigset_empty();
/// signal::sigset_add(&mut usr1, Signal::USR1);
/// let old_mask = signal::thread_sigmask(libc::SIG_BLOCK, Some(&usr1))?;
/// signal::kill_thread(thread::gettid(), Signal::USR1)?;
/// assert!(!WOKEN.load(Ordering::SeqCst));
/// assert_eq!(signal::sigsuspend(&signal::sigset_empty()), Errno::INTR);
/// assert!(WOKEN.load(Ordering::SeqCst));
/// // The mask is back: SIGUSR1 is blocked again until restored.
/// let now = signal::thread_sigmask(libc::SIG_BLOCK, None)?;
/// assert!(signal::sigset_contains(&now, Signal::USR1));
/// signal::change_thread_sigmask(libc::SIG_SETMASK, &old_mask)?;
/// // SAFETY: the previous action is the default one.
/// unsafe { signal::sigaction(Signal::USR1, Some(&old_act)) }?;
/// # Ok::<(), Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sigsuspend(2)](https://man.openbsd.org/sigsuspend.2)
/// - [DragonFly sigsuspend(2)](https://man.dragonflybsd.org/?command=sigsuspend&section=2)
/// - [Linux sigsuspend(2)](https://man7.org/linux/man-pages/man2/sigsuspend.2.html)
#[doc(alias = "rt_sigsuspend")]
#[inline]
#[must_use = "sigsuspend returns only after a handler ran (Errno::INTR) or on a bad mask"]
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
/// # Examples
/// ```
/// use std::os::unix::process::{CommandExt, ExitStatusExt};
/// use bsd_sys::{signal, Errno, Pid, Signal};
///
/// // A child that leads a process group of its own (its group id is its pid).
/// let mut child = std::process::Command::new("sleep").arg("10").process_group(0).spawn()?;
/// signal::killpg(Pid::from_child(&child), Signal::TERM)?;
/// assert_eq!(child.wait()?.signal(), Some(Signal::TERM.raw()));
/// // Group 1 would be `kill(-1)`: every process the caller may signal.
/// assert_eq!(signal::killpg(Pid::from_raw(1), Signal::TERM), Err(Errno::INVAL));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
