//! The random concern: bytes from the kernel's random generator.
//!
//! One call fills at most [`GETRANDOM_MAX`] bytes; the safe crate `bsd-proc` loops, retries on
//! `EINTR` and never returns a short fill.

use crate::backend::imp;
use crate::Result;

/// The most bytes one [`getrandom`] call asks for on this OS.
///
/// - OpenBSD: 256, `getentropy(2)`'s limit (`GETENTROPY_MAX`; larger requests are `EINVAL`,
///   `sys_getentropy` in `sys/dev/rnd.c`).
/// - DragonFly: 16384. `sys_getrandom` (`sys/kern/kern_nrandom.c`) copies 256-byte blocks and,
///   after every 128th block (32 KiB), fails the whole call with `EINTR` when a signal is
///   pending, discarding what it wrote; staying under 32 KiB avoids that.
/// - Linux: 33554431 (`getrandom(2)`: larger reads from the urandom source return short).
pub const GETRANDOM_MAX: usize = if cfg!(target_os = "openbsd") {
    256
} else if cfg!(target_os = "dragonfly") {
    16384
} else {
    33_554_431
};

/// Fills the start of `buf` with random bytes (at most [`GETRANDOM_MAX`]); returns how many.
///
/// An empty `buf` returns `Ok(0)` without a system call. Errors: `EINTR` (a signal arrived,
/// Linux and DragonFly; retry), `EFAULT` cannot happen (the buffer is a live slice).
///
/// # Platform
/// - OpenBSD: `getentropy(2)`, all or nothing.
/// - DragonFly: `getrandom(2)` (syscall 550 in the raw backend, libc otherwise), flags 0; the
///   kernel never blocks.
/// - Linux: `getrandom(2)` (`SYS_getrandom` in the raw backend, libc otherwise), flags 0: blocks
///   only until the pool is first initialised at boot.
///
/// # Examples
/// ```
/// use bsd_sys::random::{getrandom, GETRANDOM_MAX};
///
/// let mut key = [0u8; 32];
/// assert_eq!(getrandom(&mut key)?, 32);
/// assert_ne!(key, [0u8; 32], "2^-256 odds of a false alarm");
/// // One call never fills more than GETRANDOM_MAX; bsd-proc's `random::fill` loops.
/// let mut big = vec![0u8; GETRANDOM_MAX + 1];
/// assert!(getrandom(&mut big)? <= GETRANDOM_MAX);
/// assert_eq!(getrandom(&mut [])?, 0);
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD getentropy(2)](https://man.openbsd.org/getentropy.2)
/// - [DragonFly getrandom(2)](https://man.dragonflybsd.org/?command=getrandom&section=2)
/// - [Linux getrandom(2)](https://man7.org/linux/man-pages/man2/getrandom.2.html)
#[doc(alias = "getentropy")]
#[inline]
pub fn getrandom(buf: &mut [u8]) -> Result<usize> {
    let len = buf.len().min(GETRANDOM_MAX);
    if len == 0 {
        return Ok(0);
    }
    imp::random::getrandom(&mut buf[..len])
}
