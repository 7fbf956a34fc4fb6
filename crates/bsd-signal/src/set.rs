//! `SigSet`: a set of signals.

use core::fmt;
use core::hash::{Hash, Hasher};

use bsd_sys::libc::sigset_t;
use bsd_sys::signal::{sigset_add, sigset_contains, sigset_empty, sigset_remove};
use bsd_sys::Signal;

/// A set of signals (`sigset_t`).
///
/// Equality, `Hash` and `Debug` look only at the signals in the set, never at unused bits of
/// the C type, so sets can be compared and used as `HashMap` keys.
///
/// # Examples
/// ```
/// use std::collections::HashSet;
/// use bsd_signal::{SigSet, Signal};
///
/// let mut set = SigSet::empty();
/// set.add(Signal::TERM).add(Signal::HUP);
/// assert!(set.contains(Signal::HUP) && !set.contains(Signal::USR1));
/// assert_eq!(set.iter().collect::<Vec<_>>(), [Signal::HUP, Signal::TERM]); // ascending
/// assert_eq!(format!("{set:?}"), "{SIGHUP, SIGTERM}");
///
/// let seen: HashSet<SigSet> = [set, SigSet::of(Signal::HUP) | Signal::TERM].into();
/// assert_eq!(seen.len(), 1);
/// assert!(!SigSet::full().contains(Signal::from_raw(32)?)); // the C thread library's own
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
///
/// # Platform
/// `sigset_t` is 4 bytes on OpenBSD (signals 1..=32), 16 on DragonFly (room for 128; the kernel takes signals 1..=127) and 128 in
/// glibc (the kernel uses the first 8, signals 1..=64).
///
/// # References
/// - [OpenBSD sigsetops(3)](https://man.openbsd.org/sigsetops.3)
/// - [DragonFly sigsetops(3)](https://man.dragonflybsd.org/?command=sigsetops&section=3)
/// - [Linux sigsetops(3)](https://man7.org/linux/man-pages/man3/sigsetops.3.html)
#[doc(alias = "sigset_t")]
#[derive(Clone, Copy)]
pub struct SigSet(sigset_t);

impl SigSet {
    /// The empty set.
    #[doc(alias = "sigemptyset")]
    #[must_use]
    #[inline]
    pub fn empty() -> SigSet {
        SigSet(sigset_empty())
    }

    /// Every signal the thread mask can usefully hold: all signals but those the C thread
    /// library reserves for itself ([`bsd_sys::signal::is_reserved`]).
    ///
    /// # Platform
    /// - OpenBSD: without 32 (`SIGTHR`, librthread's).
    /// - DragonFly: without 32 (libthread_xu's `SIGCANCEL`: `thr_private.h`; blocking it would
    ///   disable asynchronous `pthread_cancel` and make `pthread_suspend_np` wait forever).
    /// - Linux: without 32 and 33 with glibc (cancellation and `setuid` across threads), 32 to
    ///   34 with musl, matching their `sigfillset`.
    ///
    /// Masks set through this crate never hold reserved signals anyway (they are left out on
    /// every backend); leaving them out here makes `full()` equal to what the kernel keeps.
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{mask, set_mask, SigSet, Signal};
    ///
    /// let previous = set_mask(&SigSet::full())?;
    /// let mut expected = SigSet::full();
    /// expected.remove(Signal::KILL).remove(Signal::STOP); // never blocked, on every OS
    /// assert_eq!(mask()?, expected); // every other signal is
    /// set_mask(&previous)?;
    /// # Ok::<(), bsd_signal::Errno>(())
    /// ```
    #[doc(alias = "sigfillset")]
    #[must_use]
    pub fn full() -> SigSet {
        Signal::all()
            .filter(|&sig| !bsd_sys::signal::is_reserved(sig))
            .collect()
    }

    /// A set of one signal.
    #[must_use]
    #[inline]
    pub fn of(sig: Signal) -> SigSet {
        let mut set = SigSet::empty();
        set.add(sig);
        set
    }

    /// Adds `sig`.
    #[doc(alias = "sigaddset")]
    #[inline]
    pub fn add(&mut self, sig: Signal) -> &mut SigSet {
        sigset_add(&mut self.0, sig);
        self
    }

    /// Removes `sig`.
    #[doc(alias = "sigdelset")]
    #[inline]
    pub fn remove(&mut self, sig: Signal) -> &mut SigSet {
        sigset_remove(&mut self.0, sig);
        self
    }

    /// Whether `sig` is in the set.
    #[doc(alias = "sigismember")]
    #[inline]
    pub fn contains(&self, sig: Signal) -> bool {
        sigset_contains(&self.0, sig)
    }

    /// Whether the set holds no signal.
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The signals in the set, in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = Signal> + '_ {
        Signal::all().filter(move |s| self.contains(*s))
    }

    /// Wraps a C `sigset_t`.
    #[inline]
    pub fn from_raw(raw: sigset_t) -> SigSet {
        SigSet(raw)
    }

    /// The C `sigset_t`.
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{SigSet, Signal};
    /// use bsd_sys::libc;
    ///
    /// let set = SigSet::of(Signal::HUP);
    /// // SAFETY: `as_raw` points to an initialised `sigset_t`.
    /// assert_eq!(unsafe { libc::sigismember(set.as_raw(), libc::SIGHUP) }, 1); // as C sees it
    /// assert_eq!(SigSet::from_raw(*set.as_raw()), set);
    /// ```
    #[inline]
    pub fn as_raw(&self) -> &sigset_t {
        &self.0
    }
}

impl Default for SigSet {
    fn default() -> SigSet {
        SigSet::empty()
    }
}

impl PartialEq for SigSet {
    fn eq(&self, other: &SigSet) -> bool {
        Signal::all().all(|s| self.contains(s) == other.contains(s))
    }
}

impl Eq for SigSet {}

impl Hash for SigSet {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // The members only, as `eq` compares them.
        for sig in self.iter() {
            state.write_i32(sig.raw());
        }
        state.write_usize(self.len());
    }
}

impl fmt::Debug for SigSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(DisplayAsDebug))
            .finish()
    }
}

struct DisplayAsDebug(Signal);

impl fmt::Debug for DisplayAsDebug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromIterator<Signal> for SigSet {
    fn from_iter<I: IntoIterator<Item = Signal>>(iter: I) -> SigSet {
        let mut set = SigSet::empty();
        for sig in iter {
            set.add(sig);
        }
        set
    }
}

impl Extend<Signal> for SigSet {
    fn extend<I: IntoIterator<Item = Signal>>(&mut self, iter: I) {
        for sig in iter {
            self.add(sig);
        }
    }
}

impl From<Signal> for SigSet {
    fn from(sig: Signal) -> SigSet {
        SigSet::of(sig)
    }
}
