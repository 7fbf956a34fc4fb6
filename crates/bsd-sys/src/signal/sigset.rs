//! `sigset_t` bit operations in plain Rust, identical for both backends.
//!
//! Every supported target stores signal `n` as bit `n - 1` of a little-endian bitmap: OpenBSD one
//! `unsigned int`, DragonFly four (`__bits[4]`), Linux sixteen `unsigned long` (`__val[16]`), so
//! the set is handled as 32-bit words. No libc call is needed (the raw backend has none).

use core::mem::size_of;

use crate::Signal;
use libc::sigset_t;

const _: () = assert!(
    cfg!(target_endian = "little"),
    "bsd-sys: sigset_t helpers assume little endian"
);
const _: () = assert!(size_of::<sigset_t>() % 4 == 0 && core::mem::align_of::<sigset_t>() >= 4);
const WORDS: usize = size_of::<sigset_t>() / 4;

// The set has room for every signal number `Signal` allows.
const _: () = assert!(WORDS * 32 >= Signal::MAX as usize);

#[inline]
fn words(set: &sigset_t) -> &[u32; WORDS] {
    // SAFETY: sigset_t is a plain integer bitmap of `WORDS` 32-bit words (size and alignment
    // asserted above); every bit pattern is valid for both types.
    unsafe { &*(set as *const sigset_t as *const [u32; WORDS]) }
}

#[inline]
fn words_mut(set: &mut sigset_t) -> &mut [u32; WORDS] {
    // SAFETY: as in `words`; the exclusive borrow is carried over.
    unsafe { &mut *(set as *mut sigset_t as *mut [u32; WORDS]) }
}

#[inline]
fn slot(sig: Signal) -> (usize, u32) {
    let bit = (sig.raw() - 1) as usize; // `Signal` is always >= 1
    (bit / 32, 1u32 << (bit % 32))
}

/// Signals 1..=64 of `set` as one word, bit `n - 1` for signal `n` (only 1..=32 where the set is
/// one word, as on OpenBSD).
#[inline]
pub(crate) fn sigset_low64(set: &sigset_t) -> u64 {
    let w = words(set);
    // `get`: OpenBSD's set is a single word.
    let high = w.get(1).map_or(0, |&hi| u64::from(hi) << 32);
    u64::from(w[0]) | high
}

/// Clears the bits of `mask` (as [`sigset_low64`] numbers them) in `set`.
#[inline]
pub(crate) fn sigset_clear_low64(set: &mut sigset_t, mask: u64) {
    let w = words_mut(set);
    w[0] &= !(mask as u32);
    if let Some(hi) = w.get_mut(1) {
        *hi &= !((mask >> 32) as u32);
    }
}

/// The empty signal set.
///
/// These helpers work on the C `sigset_t` in plain Rust (no call, no kernel): signal `n` is
/// bit `n - 1` on every supported target. `bsd_signal::SigSet` is the safe set type built on
/// them.
///
/// # Examples
/// ```
/// use bsd_sys::{signal, Signal};
///
/// let mut set = signal::sigset_empty();
/// assert!(Signal::all().all(|sig| !signal::sigset_contains(&set, sig)));
/// signal::sigset_add(&mut set, Signal::INT);
/// signal::sigset_add(&mut set, Signal::TERM);
/// assert!(signal::sigset_contains(&set, Signal::TERM));
/// signal::sigset_remove(&mut set, Signal::TERM);
/// assert!(!signal::sigset_contains(&set, Signal::TERM));
/// // The same bit the C library sets.
/// // SAFETY: a read of a valid set.
/// assert_eq!(unsafe { bsd_sys::libc::sigismember(&set, Signal::INT.raw()) }, 1);
/// ```
///
/// # References
/// - [OpenBSD sigsetops(3)](https://man.openbsd.org/sigsetops.3)
/// - [DragonFly sigsetops(3)](https://man.dragonflybsd.org/?command=sigsetops&section=3)
/// - [Linux sigsetops(3)](https://man7.org/linux/man-pages/man3/sigsetops.3.html)
#[doc(alias = "sigemptyset")]
#[inline]
#[must_use]
pub fn sigset_empty() -> sigset_t {
    // SAFETY: sigset_t is a plain integer bitmap; all-zero is the empty set.
    unsafe { core::mem::zeroed() }
}

/// Adds `sig` to `set`. See [`sigset_empty`] for an example.
#[doc(alias = "sigaddset")]
#[inline]
pub fn sigset_add(set: &mut sigset_t, sig: Signal) {
    let (w, m) = slot(sig);
    words_mut(set)[w] |= m;
}

/// Removes `sig` from `set`. See [`sigset_empty`] for an example.
#[doc(alias = "sigdelset")]
#[inline]
pub fn sigset_remove(set: &mut sigset_t, sig: Signal) {
    let (w, m) = slot(sig);
    words_mut(set)[w] &= !m;
}

/// Whether `sig` is in `set`. See [`sigset_empty`] for an example.
#[doc(alias = "sigismember")]
#[inline]
#[must_use]
pub fn sigset_contains(set: &sigset_t, sig: Signal) -> bool {
    let (w, m) = slot(sig);
    words(set)[w] & m != 0
}

/// The first 64 signals of `set` as one word (Linux's kernel `sigset_t`).
#[cfg(target_os = "linux")]
#[allow(dead_code)] // used by the raw backend
#[inline]
pub(crate) fn sigset_to_u64(set: &sigset_t) -> u64 {
    let w = words(set);
    u64::from(w[0]) | (u64::from(w[1]) << 32)
}

/// A `sigset_t` holding the 64 signals of a kernel word.
#[cfg(target_os = "linux")]
#[allow(dead_code)] // used by the raw backend
#[inline]
pub(crate) fn sigset_from_u64(bits: u64) -> sigset_t {
    let mut set = sigset_empty();
    let w = words_mut(&mut set);
    w[0] = bits as u32;
    w[1] = (bits >> 32) as u32;
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_match_the_c_library() {
        for sig in Signal::all() {
            let mut ours = sigset_empty();
            sigset_add(&mut ours, sig);
            // SAFETY: plain C calls on a local set.
            let theirs = unsafe {
                let mut s: sigset_t = core::mem::zeroed();
                libc::sigemptyset(&mut s);
                libc::sigaddset(&mut s, sig.raw());
                s
            };
            // The C library refuses its internal signals (glibc 32-33, musl 32-34); skip what it
            // will not add.
            // SAFETY: reading a local set.
            if unsafe { libc::sigismember(&theirs, sig.raw()) } == 1 {
                assert_eq!(words(&ours), words(&theirs), "{sig}");
            }
            assert!(sigset_contains(&ours, sig));
            sigset_remove(&mut ours, sig);
            assert!(!sigset_contains(&ours, sig));
        }
    }
}
