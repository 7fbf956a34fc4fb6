//! Futex-style wait and wake on an `AtomicU32`: OpenBSD futex(2), DragonFly umtx(2), Linux futex(2).
//!
//! The building block of parkers, mutexes and condition variables: a thread sleeps in [`wait`]
//! while a word holds the value it expects; another changes the word and calls [`wake_one`] or
//! [`wake_all`]. The kernel checks the word and goes to sleep atomically with respect to wakes,
//! so a wake issued after the change cannot be lost.
//!
//! Waits are process-private (`FUTEX_PRIVATE_FLAG` where the OS has it).
//!
//! # Spurious wake-ups
//! [`WaitResult::Woken`] can be reported without any wake call on every OS (DragonFly returns
//! early on copy-on-write faults and fork, for instance). Always re-check the word after [`wait`]
//! returns, in a loop.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use bsd_sys::{Errno, Timespec};

/// How a [`wait`] ended, in the same words on every OS.
///
/// More outcomes may be added (for new wait operations), so a `match` needs a `_` arm.
///
/// # Examples
/// ```
/// use std::sync::atomic::AtomicU32;
/// use std::time::Duration;
/// use bsd_thread::futex::{wait, WaitResult};
///
/// let word = AtomicU32::new(7);
/// assert_eq!(wait(&word, 8, None), WaitResult::ValueChanged); // not 8: no sleep at all
/// let result = wait(&word, 7, Some(Duration::from_millis(10)));
/// assert!(matches!(result, WaitResult::TimedOut | WaitResult::Woken)); // Woken: spurious
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum WaitResult {
    /// The thread slept and was woken (possibly spuriously: re-check the word).
    Woken,
    /// The word did not hold `expected` (when the wait began or when it resumed after a per-call
    /// cap); the thread did not sleep, or stopped sleeping.
    ValueChanged,
    /// The whole timeout passed, measured on the monotonic clock.
    TimedOut,
    /// A signal handler ran on this thread; the wait is not resumed.
    Interrupted,
}

/// What one kernel call said, in the same words on every OS.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
    Woken,
    Mismatch,
    /// This call's timeout passed (or the kernel's per-call cap).
    Expired,
    Interrupted,
}

/// Longest timeout handed to one kernel call; longer waits loop. Keeps every conversion in range.
const MAX_PER_CALL: Duration = Duration::from_secs(24 * 60 * 60);

/// Maps one wait call's result onto [`Outcome`]; the error numbers differ per OS.
fn classify(ret: bsd_sys::Result<()>) -> Outcome {
    let err = match ret {
        Ok(()) => return Outcome::Woken,
        Err(err) => err,
    };
    outcome_of(err)
}

#[cfg(target_os = "dragonfly")]
fn outcome_of(err: Errno) -> Outcome {
    // umtx(2): EBUSY = value differs; EWOULDBLOCK (= EAGAIN) = timeout or the kernel's cap.
    match err {
        Errno::BUSY => Outcome::Mismatch,
        Errno::WOULDBLOCK | Errno::TIMEDOUT => Outcome::Expired,
        Errno::INTR => Outcome::Interrupted,
        // None is possible for a live word and a valid timeout: report a spurious wake-up.
        _ => Outcome::Woken,
    }
}

#[cfg(not(target_os = "dragonfly"))]
fn outcome_of(err: Errno) -> Outcome {
    // futex(2): EAGAIN = value differs; ETIMEDOUT = timeout; OpenBSD reports an interrupted wait
    // under an SA_RESTART handler as ECANCELED (sys/kern/sys_futex.c).
    match err {
        Errno::AGAIN => Outcome::Mismatch,
        Errno::TIMEDOUT => Outcome::Expired,
        Errno::INTR | Errno::CANCELED => Outcome::Interrupted,
        _ => Outcome::Woken,
    }
}

/// Sleeps while `word` holds `expected`, until woken, interrupted, or `timeout` passes.
///
/// `None` waits with no timeout. The word is compared first, so a word that does not hold
/// `expected` gives [`WaitResult::ValueChanged`] whatever the timeout (zero, or so short it has
/// passed before the kernel is asked); a `timeout` of zero only compares the word (no system
/// call). Timeouts of any length are honoured: where the kernel cuts a sleep short (DragonFly's
/// per-call cap), the wait resumes with the time left on the monotonic
/// clock, re-checking the word first. A timeout too long for `Instant` waits forever.
///
/// Never retries after a signal: [`WaitResult::Interrupted`] hands the decision to the caller
/// (re-check the word and wait again if nothing changed). Wake-ups may be spurious; see the
/// [module docs](self).
///
/// # Platform
/// - OpenBSD: `futex(FUTEX_WAIT | FUTEX_PRIVATE_FLAG)` with a relative timeout. `ECANCELED`
///   (a signal whose handler has `SA_RESTART`) is reported as `Interrupted` too.
/// - DragonFly: `umtx_sleep(2)` with the timeout in microseconds (rounded up, then to clock
///   ticks by the kernel). A wake that does not change the word can be lost if it lands
///   between two of the capped sleeps below, so change the word before waking (as every
///   futex protocol does). The kernel caps
///   each sleep at `kern.umtx_timeout_max` (2 s by default), so a long or unbounded wait is a
///   loop of sleeps. Any signal interrupts, `SA_RESTART` or not.
/// - Linux: `futex(FUTEX_WAIT_PRIVATE)`. A wait with a timeout returns `Interrupted` after any
///   handler; one without a timeout is restarted by the kernel after an `SA_RESTART` handler.
///
/// # References
/// - [OpenBSD futex(2)](https://man.openbsd.org/futex.2)
/// - [DragonFly umtx(2)](https://man.dragonflybsd.org/?command=umtx&section=2)
/// - [Linux futex(2)](https://man7.org/linux/man-pages/man2/futex.2.html)
///
/// # Examples
/// A one-shot event: one thread waits until another sets the word and wakes it.
/// ```
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use std::time::{Duration, Instant};
/// use bsd_thread::futex::{self, WaitResult};
///
/// static EVENT: AtomicU32 = AtomicU32::new(0);
/// let setter = std::thread::spawn(|| {
///     std::thread::sleep(Duration::from_millis(20));
///     EVENT.store(1, Ordering::Release); // change the word, then wake
///     futex::wake_all(&EVENT);
/// });
/// let start = Instant::now();
/// while EVENT.load(Ordering::Acquire) == 0 {
///     let r = futex::wait(&EVENT, 0, Some(Duration::from_secs(10)));
///     assert_ne!(r, WaitResult::TimedOut);
/// }
/// assert!(start.elapsed() < Duration::from_secs(10));
/// setter.join().unwrap();
/// ```
#[doc(alias = "futex")]
#[doc(alias = "umtx_sleep")]
#[doc(alias = "FUTEX_WAIT")]
pub fn wait(word: &AtomicU32, expected: u32, timeout: Option<Duration>) -> WaitResult {
    // A mismatch wins over any timeout. The kernels do not promise that order for tiny
    // timeouts (OpenBSD answers ETIMEDOUT for a zero timeout before looking at the word,
    // DragonFly cannot express one), and the deadline below may pass before the first call.
    if word.load(Ordering::Acquire) != expected {
        return WaitResult::ValueChanged;
    }
    if timeout == Some(Duration::ZERO) {
        return WaitResult::TimedOut;
    }
    // `Some(None)`: a timeout too far ahead for `Instant`, i.e. forever in bounded calls.
    let deadline = timeout.map(|t| Instant::now().checked_add(t));
    loop {
        let this_call = match deadline {
            None => None,
            Some(None) => Some(MAX_PER_CALL),
            Some(Some(deadline)) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return if word.load(Ordering::Acquire) == expected {
                        WaitResult::TimedOut
                    } else {
                        WaitResult::ValueChanged
                    };
                }
                Some(left.min(MAX_PER_CALL))
            }
        };
        let ts = this_call.map(|t| Timespec::from_duration(t).unwrap_or(Timespec::MAX));
        match classify(bsd_sys::thread::futex_wait(word, expected, ts)) {
            Outcome::Woken => return WaitResult::Woken,
            Outcome::Mismatch => return WaitResult::ValueChanged,
            Outcome::Interrupted => return WaitResult::Interrupted,
            // The call's timeout or the kernel's cap passed: loop, which re-checks the word
            // (the next call reports a mismatch) and the deadline.
            Outcome::Expired => {}
        }
    }
}

/// Wakes at most one thread waiting on `word`.
///
/// Returns the number woken (0 or 1) where the OS tells, `None` where it does not. The kernel
/// cannot fail for a live, aligned word; should it report an error anyway, the result is `None`.
///
/// # Platform
/// - OpenBSD, Linux: `futex(FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1)`: `Some(n)`.
/// - DragonFly: `umtx_wakeup(word, 1)` returns 0 whether or not a thread slept: always `None`.
///
/// # References
/// - [OpenBSD futex(2)](https://man.openbsd.org/futex.2)
/// - [DragonFly umtx(2)](https://man.dragonflybsd.org/?command=umtx&section=2)
/// - [Linux futex(2)](https://man7.org/linux/man-pages/man2/futex.2.html)
///
/// # Examples
/// ```
/// use std::sync::atomic::AtomicU32;
/// use bsd_thread::futex;
///
/// let word = AtomicU32::new(0);
/// // Nobody waits: 0 woken where the OS counts, `None` on DragonFly.
/// let woken = futex::wake_one(&word);
/// assert!(woken == Some(0) || (cfg!(target_os = "dragonfly") && woken.is_none()));
/// ```
#[doc(alias = "umtx_wakeup")]
#[doc(alias = "FUTEX_WAKE")]
#[inline]
pub fn wake_one(word: &AtomicU32) -> Option<usize> {
    bsd_sys::thread::futex_wake_one(word).ok().flatten()
}

/// Wakes every thread waiting on `word`.
///
/// Returns the number woken where the OS tells, `None` where it does not.
///
/// # Platform
/// - OpenBSD, Linux: `futex(FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX)`: `Some(n)`.
/// - DragonFly: `umtx_wakeup(word, 0)` (any count but 1 wakes all): always `None`.
///
/// # References
/// - [OpenBSD futex(2)](https://man.openbsd.org/futex.2)
/// - [DragonFly umtx(2)](https://man.dragonflybsd.org/?command=umtx&section=2)
/// - [Linux futex(2)](https://man7.org/linux/man-pages/man2/futex.2.html)
///
/// # Examples
/// A gate: threads wait until it opens, and one `wake_all` releases every one of them.
/// ```
/// use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
/// use bsd_thread::futex;
///
/// static GATE: AtomicU32 = AtomicU32::new(0);
/// static THROUGH: AtomicUsize = AtomicUsize::new(0);
/// let waiters: Vec<_> = (0..3)
///     .map(|_| {
///         std::thread::spawn(|| {
///             while GATE.load(Ordering::Acquire) == 0 {
///                 futex::wait(&GATE, 0, None);
///             }
///             THROUGH.fetch_add(1, Ordering::SeqCst);
///         })
///     })
///     .collect();
/// GATE.store(1, Ordering::Release);
/// let woken = futex::wake_all(&GATE); // how many were asleep just then, where the OS says
/// assert!(woken.map_or(true, |n| n <= 3));
/// for w in waiters {
///     w.join().unwrap();
/// }
/// assert_eq!(THROUGH.load(Ordering::SeqCst), 3);
/// ```
#[doc(alias = "umtx_wakeup")]
#[doc(alias = "FUTEX_WAKE")]
#[inline]
pub fn wake_all(word: &AtomicU32) -> Option<usize> {
    bsd_sys::thread::futex_wake_all(word).ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_maps_this_os_errors() {
        assert_eq!(classify(Ok(())), Outcome::Woken);
        assert_eq!(classify(Err(Errno::INTR)), Outcome::Interrupted);
        #[cfg(target_os = "dragonfly")]
        {
            assert_eq!(classify(Err(Errno::BUSY)), Outcome::Mismatch);
            assert_eq!(classify(Err(Errno::WOULDBLOCK)), Outcome::Expired);
        }
        #[cfg(not(target_os = "dragonfly"))]
        {
            assert_eq!(classify(Err(Errno::AGAIN)), Outcome::Mismatch);
            assert_eq!(classify(Err(Errno::TIMEDOUT)), Outcome::Expired);
            assert_eq!(classify(Err(Errno::CANCELED)), Outcome::Interrupted);
        }
    }
}
