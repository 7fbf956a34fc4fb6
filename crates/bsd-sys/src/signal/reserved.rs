//! Signals the C thread library keeps for itself.
//!
//! The raw backend reaches the kernel behind the C library's back, so it must apply the
//! library's own rules or a safe call could take away a signal the library depends on (and,
//! for example, make every later `setuid` hang). Both backends apply the same rules, so a
//! program behaves the same whichever one it is built with.
//!
//! | target | reserved | what for | source |
//! |---|---|---|---|
//! | OpenBSD | 32 `SIGTHR` | librthread's thread cancellation | `sys/sys/signal.h`; libc `lib/libc/sys/w_sigaction.c`, `w_sigprocmask.c` |
//! | DragonFly | 32 `SIGCANCEL` | libthread_xu's cancellation and `pthread_suspend_np` | `lib/libthread_xu/thread/thr_private.h`, `thr_sig.c` |
//! | Linux, glibc | 32 `SIGCANCEL`, 33 `SIGSETXID` | cancellation; `setuid` and friends across threads | glibc `sysdeps/nptl/internal-signals.h`, `nptl/pthread_sigmask.c` |
//! | Linux, musl | 32 `SIGTIMER`, 33 `SIGCANCEL`, 34 `SIGSYNCCALL` | timers, cancellation, `setuid` across threads | musl `src/internal/pthread_impl.h`, `src/signal/sigaction.c` |
//!
//! The C libraries refuse `sigaction` on these signals with `EINVAL` and leave them out of the
//! masks they set (`sigprocmask`, `pthread_sigmask`, `sigsuspend`); glibc and musl's
//! `sigfillset` leave them out of full sets. bsd-sys does the same on every backend.

use crate::Signal;
use libc::{c_int, sigset_t};

cfg_if::cfg_if! {
    if #[cfg(any(target_os = "openbsd", target_os = "dragonfly"))] {
        const RESERVED: &[c_int] = &[32];
    } else if #[cfg(target_env = "musl")] {
        const RESERVED: &[c_int] = &[32, 33, 34];
    } else {
        const RESERVED: &[c_int] = &[32, 33];
    }
}

/// Whether the C thread library of this target reserves `sig` for itself (see the table in
/// the module docs): such a signal's action cannot be changed and it is never blocked.
///
/// # Platform
/// OpenBSD: 32 (`SIGTHR`). DragonFly: 32 (libthread_xu's `SIGCANCEL`). Linux: 32 and 33 with
/// glibc, 32 to 34 with musl.
///
/// # Examples
/// ```
/// use bsd_sys::signal::is_reserved;
/// use bsd_sys::{Errno, Signal};
/// assert!(!is_reserved(Signal::USR1));
/// let c_library_own = Signal::from_raw(32)?;
/// assert!(is_reserved(c_library_own));
/// // Its action can be neither read nor changed.
/// // SAFETY: a query installs nothing.
/// assert_eq!(unsafe { bsd_sys::signal::sigaction(c_library_own, None) }.err(), Some(Errno::INVAL));
/// # Ok::<(), Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sigaction(2)](https://man.openbsd.org/sigaction.2)
/// - [Linux nptl(7)](https://man7.org/linux/man-pages/man7/nptl.7.html)
#[doc(alias = "SIGCANCEL")]
#[doc(alias = "SIGSETXID")]
#[doc(alias = "SIGTHR")]
#[inline]
#[must_use]
pub fn is_reserved(sig: Signal) -> bool {
    RESERVED.contains(&sig.raw())
}

/// The signals this target's C thread library reserves, ascending.
///
/// # Examples
/// ```
/// let reserved: Vec<i32> = bsd_sys::signal::reserved_signals().map(|s| s.raw()).collect();
/// assert!(reserved.contains(&32)); // 32 is reserved on every supported C library
/// ```
///
/// # References
/// As for [`is_reserved`].
#[must_use = "an iterator does nothing unless consumed"]
pub fn reserved_signals() -> impl Iterator<Item = Signal> {
    RESERVED
        .iter()
        .filter_map(|&raw| Signal::from_raw(raw).ok())
}

/// The reserved signals as bits of the set's first 64 signals (all of them are below 64).
const RESERVED_BITS: u64 = {
    let mut bits = 0u64;
    let mut i = 0;
    while i < RESERVED.len() {
        bits |= 1 << (RESERVED[i] - 1);
        i += 1;
    }
    bits
};

/// Whether the C library this build calls already leaves the reserved signals out of the masks
/// it sets: the libc backend with glibc (`nptl/pthread_sigmask.c`), OpenBSD's libc
/// (`w_sigprocmask.c`) or DragonFly's libthread_xu (`thr_sig.c`). Then the face does not check
/// again (the mask calls are hot). musl's `pthread_sigmask` does not filter, and the raw backend
/// bypasses the library: there the face does.
const LIBRARY_FILTERS_MASKS: bool = cfg!(any(
    target_os = "openbsd",
    all(target_os = "dragonfly", bsd_sys_backend = "libc"),
    all(
        target_os = "linux",
        not(bsd_sys_backend = "raw"),
        not(target_env = "musl")
    )
));

/// A mask to set or block without the reserved signals, or `None` when `set` can be passed as
/// it is: it holds none of them, or the C library drops them itself.
#[inline]
pub(crate) fn mask_without_reserved(set: &sigset_t) -> Option<sigset_t> {
    if LIBRARY_FILTERS_MASKS {
        None
    } else {
        without_reserved(set)
    }
}

/// `set` without the reserved signals, or `None` when it holds none of them (the common case:
/// one test of the set's first word or two, no copy).
#[inline]
pub(crate) fn without_reserved(set: &sigset_t) -> Option<sigset_t> {
    if super::sigset::sigset_low64(set) & RESERVED_BITS == 0 {
        return None;
    }
    let mut copy = *set;
    super::sigset::sigset_clear_low64(&mut copy, RESERVED_BITS);
    Some(copy)
}
