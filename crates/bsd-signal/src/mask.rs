//! The calling thread's signal mask and pending set.

use bsd_sys::libc;
use bsd_sys::Result;

use crate::SigSet;

#[inline]
fn change(how: libc::c_int, set: Option<&SigSet>) -> Result<SigSet> {
    bsd_sys::signal::thread_sigmask(how, set.map(SigSet::as_raw)).map(SigSet::from_raw)
}

/// Adds `set` to the calling thread's mask; returns the previous mask.
///
/// `SIGKILL` and `SIGSTOP` are silently left unblocked by the kernel, and the signals the C
/// thread library reserves ([`bsd_sys::signal::is_reserved`]) by this crate, on every backend,
/// as the C library does. Never fails with EINTR.
///
/// # Platform
/// The mask is per thread on every OS: OpenBSD `pthread_sigmask` (libc), DragonFly
/// `sigprocmask` on the calling LWP, Linux `pthread_sigmask`/`rt_sigprocmask`.
///
/// # References
/// - [OpenBSD sigprocmask(2)](https://man.openbsd.org/sigprocmask.2)
/// - [DragonFly sigprocmask(2)](https://man.dragonflybsd.org/?command=sigprocmask&section=2)
/// - [Linux pthread_sigmask(3)](https://man7.org/linux/man-pages/man3/pthread_sigmask.3.html)
///
/// # Examples
/// A blocked signal stays pending instead of running its default action (which, for
/// `SIGUSR1`, would end the process); [`wait`](crate::wait) then takes it.
/// ```
/// use bsd_signal::{block, pending, raise, restore_mask, wait, SigSet, Signal};
///
/// let usr1 = SigSet::of(Signal::USR1);
/// let previous = block(&usr1)?;
/// raise(Signal::USR1)?;
/// assert!(pending()?.contains(Signal::USR1));
/// assert_eq!(wait(&usr1)?, Signal::USR1);
/// restore_mask(&previous)?;
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
#[doc(alias = "SIG_BLOCK")]
#[doc(alias = "pthread_sigmask")]
#[inline]
pub fn block(set: &SigSet) -> Result<SigSet> {
    change(libc::SIG_BLOCK, Some(set))
}

/// Removes `set` from the calling thread's mask; returns the previous mask.
///
/// A pending signal that becomes unblocked is delivered before this returns.
///
/// # References
/// As for [`block`].
///
/// # Examples
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use bsd_signal::{block, raise, set_action, unblock, SigAction, SigInfo, SigSet, Signal};
///
/// static RAN: AtomicUsize = AtomicUsize::new(0);
/// fn count(_: &SigInfo) {
///     RAN.fetch_add(1, Ordering::SeqCst);
/// }
/// // SAFETY: the handler only touches an atomic.
/// let previous = unsafe { set_action(Signal::USR2, &SigAction::handler(count)) }?;
/// block(&SigSet::of(Signal::USR2))?;
/// raise(Signal::USR2)?;
/// assert_eq!(RAN.load(Ordering::SeqCst), 0); // pending
/// unblock(&SigSet::of(Signal::USR2))?;
/// assert_eq!(RAN.load(Ordering::SeqCst), 1); // delivered before unblock returned
/// // SAFETY: restoring what the kernel reported.
/// unsafe { set_action(Signal::USR2, &previous) }?;
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
#[doc(alias = "SIG_UNBLOCK")]
#[doc(alias = "pthread_sigmask")]
#[inline]
pub fn unblock(set: &SigSet) -> Result<SigSet> {
    change(libc::SIG_UNBLOCK, Some(set))
}

/// Replaces the calling thread's mask with `set`; returns the previous mask.
///
/// Reserved signals are left out of `set`, as in [`block`].
///
/// # References
/// As for [`block`].
///
/// # Examples
/// ```
/// use bsd_signal::{mask, set_mask, SigSet, Signal};
///
/// let previous = set_mask(&SigSet::full())?;
/// let now = mask()?;
/// assert!(now.contains(Signal::TERM));
/// assert!(!now.contains(Signal::KILL)); // the kernel never blocks SIGKILL
/// assert_eq!(set_mask(&previous)?, now);
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
#[doc(alias = "SIG_SETMASK")]
#[doc(alias = "pthread_sigmask")]
#[inline]
pub fn set_mask(set: &SigSet) -> Result<SigSet> {
    change(libc::SIG_SETMASK, Some(set))
}

/// Replaces the calling thread's mask with `set` without reading the previous mask: the
/// cheap way to undo [`block`] with the mask it returned.
///
/// # Examples
/// ```
/// use bsd_signal::{block, mask, restore_mask, SigSet, Signal};
///
/// let old = block(&SigSet::of(Signal::USR2))?;
/// assert!(mask()?.contains(Signal::USR2));
/// restore_mask(&old)?;
/// assert_eq!(mask()?.contains(Signal::USR2), old.contains(Signal::USR2));
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
///
/// # Platform
/// As for [`block`]; the kernel is passed a null old-set pointer.
///
/// # References
/// As for [`block`].
#[doc(alias = "SIG_SETMASK")]
#[doc(alias = "pthread_sigmask")]
#[inline]
pub fn restore_mask(set: &SigSet) -> Result<()> {
    bsd_sys::signal::change_thread_sigmask(libc::SIG_SETMASK, set.as_raw())
}

/// The calling thread's current mask.
///
/// # References
/// As for [`block`].
///
/// # Examples
/// ```
/// // A new process starts with an empty mask unless its parent blocked signals.
/// println!("blocked here: {:?}", bsd_signal::mask()?);
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
#[doc(alias = "pthread_sigmask")]
#[inline]
pub fn mask() -> Result<SigSet> {
    change(libc::SIG_BLOCK, None)
}

/// The signals pending for the calling thread (sent to it or to the process) while blocked.
///
/// # Platform
/// OpenBSD: libc `sigpending`; DragonFly: system call 343; Linux: `rt_sigpending`.
///
/// # References
/// - [OpenBSD sigpending(2)](https://man.openbsd.org/sigpending.2)
/// - [DragonFly sigpending(2)](https://man.dragonflybsd.org/?command=sigpending&section=2)
/// - [Linux sigpending(2)](https://man7.org/linux/man-pages/man2/sigpending.2.html)
///
/// # Examples
/// ```
/// use bsd_signal::{block, pending, raise_process, restore_mask, wait, SigSet, Signal};
///
/// let hup = SigSet::of(Signal::HUP);
/// let previous = block(&hup)?;
/// assert!(!pending()?.contains(Signal::HUP));
/// raise_process(Signal::HUP)?; // to the process: pending for it
/// assert!(pending()?.contains(Signal::HUP));
/// wait(&hup)?; // taken: no longer pending
/// assert!(!pending()?.contains(Signal::HUP));
/// restore_mask(&previous)?;
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
#[doc(alias = "sigpending")]
#[inline]
pub fn pending() -> Result<SigSet> {
    bsd_sys::signal::sigpending().map(SigSet::from_raw)
}
