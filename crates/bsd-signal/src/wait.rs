//! Waiting for signals: `wait` (sigwait), `timed_wait` (sigtimedwait), `suspend` (sigsuspend),
//! and `kill_group` (killpg).

#[cfg(not(target_os = "openbsd"))]
use std::time::Duration;

use bsd_sys::{Errno, Pid, Result, Signal};

use crate::SigSet;

/// Takes a pending signal of `set` and returns it, waiting until one is pending; its handler
/// does not run (`sigwait`).
///
/// Block the signals of `set` first (in every thread, or the kernel may deliver one to a
/// handler in another thread instead). An empty `set` would wait forever on some systems and is
/// refused with `Errno::INVAL`.
///
/// # EINTR
/// Never returned: an unrelated handler running during the wait resumes it.
///
/// # Platform
/// OpenBSD: libc's `sigwait` (`__thrsigdivert`). DragonFly: `sigwaitinfo` (system call 346).
/// Linux: `rt_sigtimedwait` with no timeout.
///
/// # References
/// - [OpenBSD sigwait(3)](https://man.openbsd.org/sigwait.3)
/// - [DragonFly sigwait(3)](https://man.dragonflybsd.org/?command=sigwait&section=3)
/// - [Linux sigwait(3)](https://man7.org/linux/man-pages/man3/sigwait.3.html)
///
/// # Examples
/// ```
/// use bsd_signal::{block, raise, set_mask, wait, SigSet, Signal};
///
/// let set = SigSet::of(Signal::USR1);
/// let old = block(&set).unwrap();
/// raise(Signal::USR1).unwrap(); // stays pending: blocked
/// assert_eq!(wait(&set).unwrap(), Signal::USR1);
/// set_mask(&old).unwrap();
/// ```
#[doc(alias = "sigwait")]
pub fn wait(set: &SigSet) -> Result<Signal> {
    if set.is_empty() {
        return Err(Errno::INVAL);
    }
    bsd_sys::signal::sigwait(set.as_raw())
}

/// Like [`wait`], giving up after `timeout` with `Ok(None)` (`sigtimedwait`).
///
/// `Duration::ZERO` only checks what is pending. A handled signal outside `set` ends the wait
/// with `Errno::INTR`. A timeout too large for a `timespec` gives `Errno::INVAL`.
///
/// # Platform
/// Not on OpenBSD, which has no `sigtimedwait` (`lib/libc/Symbols.list`). DragonFly: system call
/// 345. Linux: `rt_sigtimedwait`.
///
/// # References
/// - [DragonFly sigtimedwait(2)](https://man.dragonflybsd.org/?command=sigtimedwait&section=2)
/// - [Linux sigtimedwait(2)](https://man7.org/linux/man-pages/man2/sigtimedwait.2.html)
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use bsd_signal::{block, set_mask, timed_wait, SigSet, Signal};
///
/// let set = SigSet::of(Signal::USR2);
/// let old = block(&set).unwrap();
/// assert_eq!(timed_wait(&set, Duration::ZERO).unwrap(), None); // nothing pending
/// set_mask(&old).unwrap();
/// ```
#[doc(alias = "sigtimedwait")]
#[cfg(not(target_os = "openbsd"))]
pub fn timed_wait(set: &SigSet, timeout: Duration) -> Result<Option<Signal>> {
    if set.is_empty() {
        return Err(Errno::INVAL);
    }
    let timeout = bsd_sys::Timespec::from_duration(timeout).map_err(|_| Errno::INVAL)?;
    match bsd_sys::signal::sigtimedwait(set.as_raw(), Some(timeout)) {
        Ok(info) => Signal::from_raw(info.si_signo).map(Some),
        Err(Errno::AGAIN) => Ok(None),
        Err(err) => Err(err),
    }
}

/// Replaces the calling thread's mask with `mask` and sleeps until a handler runs, then
/// restores the mask (`sigsuspend`).
///
/// Returns `Ok(())` once a handler has run (the kernel's `EINTR`, which is how `sigsuspend`
/// always ends); any other error is returned as is. The usual pattern is: block a signal,
/// check a condition, then `suspend` with a mask that lets the signal in, so a signal between
/// the check and the sleep is not lost.
///
/// # Platform
/// OpenBSD: libc's `sigsuspend` (system call 111, mask by value). DragonFly: system call 341.
/// Linux: `rt_sigsuspend`.
///
/// # References
/// - [OpenBSD sigsuspend(2)](https://man.openbsd.org/sigsuspend.2)
/// - [DragonFly sigsuspend(2)](https://man.dragonflybsd.org/?command=sigsuspend&section=2)
/// - [Linux sigsuspend(2)](https://man7.org/linux/man-pages/man2/sigsuspend.2.html)
///
/// # Examples
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use bsd_signal::{block, raise, restore_mask, set_action, suspend, SigAction, SigInfo, SigSet, Signal};
///
/// static GOT: AtomicBool = AtomicBool::new(false);
/// fn on_usr1(_: &SigInfo) {
///     GOT.store(true, Ordering::SeqCst);
/// }
/// // SAFETY: the handler only stores into an atomic.
/// let previous = unsafe { set_action(Signal::USR1, &SigAction::handler(on_usr1)) }?;
/// let old = block(&SigSet::of(Signal::USR1))?;
/// raise(Signal::USR1)?; // blocked: pending, the handler has not run
/// while !GOT.load(Ordering::SeqCst) {
///     // Let SIGUSR1 in while asleep; its handler runs, then the mask comes back.
///     suspend(&old.difference(&SigSet::of(Signal::USR1)))?;
/// }
/// restore_mask(&old)?;
/// // SAFETY: restoring what the kernel reported.
/// unsafe { set_action(Signal::USR1, &previous) }?;
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
#[doc(alias = "sigsuspend")]
pub fn suspend(mask: &SigSet) -> Result<()> {
    match bsd_sys::signal::sigsuspend(mask.as_raw()) {
        Errno::INTR => Ok(()),
        err => Err(err),
    }
}

/// Sends `sig` to every process of process group `pgrp`; `Pid::from_raw(0)` is the caller's
/// own group (`killpg`).
///
/// A negative `pgrp`, and `1` (which would signal every process the caller may signal), give
/// `Errno::INVAL`; a group with no member `Errno::SRCH`; one the caller may not signal
/// `Errno::PERM`.
///
/// # References
/// - [OpenBSD killpg(3)](https://man.openbsd.org/killpg.3)
/// - [DragonFly killpg(2)](https://man.dragonflybsd.org/?command=killpg&section=2)
/// - [Linux killpg(3)](https://man7.org/linux/man-pages/man3/killpg.3.html)
///
/// # Examples
/// ```
/// use bsd_signal::{kill_group, Errno, Pid, Signal};
///
/// assert_eq!(kill_group(Pid::from_raw(1), Signal::TERM), Err(Errno::INVAL));
/// ```
#[doc(alias = "killpg")]
pub fn kill_group(pgrp: Pid, sig: Signal) -> Result<()> {
    bsd_sys::signal::killpg(pgrp, sig)
}
