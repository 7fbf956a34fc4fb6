//! Random bytes from the kernel.

use bsd_sys::{Errno, Result};

/// Fills all of `buf` with random bytes from the kernel: never a short fill.
///
/// Loops over the per-call limit (`bsd_sys::random::GETRANDOM_MAX`: 256 bytes on OpenBSD) and
/// retries when a signal interrupts a call. An empty `buf` is `Ok(())` without a system call.
///
/// # Errors
/// None is expected on a running system. A kernel that returned no bytes for a non-empty
/// request would be `Errno::IO` rather than an endless loop.
///
/// # Platform
/// - OpenBSD: `getentropy(2)`, 256 bytes a call.
/// - DragonFly: `getrandom(2)` (syscall 550 in the raw backend), 16 KiB a call: the kernel
///   discards a longer call's bytes with `EINTR` when a signal is pending
///   (`sys/kern/kern_nrandom.c`). It never blocks.
/// - Linux: `getrandom(2)`, flags 0 (blocks only before the pool's first initialisation).
///
/// # References
/// - [OpenBSD getentropy(2)](https://man.openbsd.org/getentropy.2)
/// - [DragonFly getrandom(2)](https://man.dragonflybsd.org/?command=getrandom&section=2)
/// - [Linux getrandom(2)](https://man7.org/linux/man-pages/man2/getrandom.2.html)
///
/// # Examples
/// ```
/// let mut key = [0u8; 32];
/// bsd_proc::random::fill(&mut key)?;
/// assert_ne!(key, [0u8; 32]); // chance of failure: 2^-256
/// // One `fill`: 391 calls on OpenBSD (256 bytes each), 7 on DragonFly, 1 on Linux.
/// let mut big = vec![0u8; 100_000];
/// bsd_proc::random::fill(&mut big)?;
/// assert!(big.iter().any(|&b| b != 0));
/// # Ok::<(), bsd_proc::Errno>(())
/// ```
#[doc(alias = "getentropy")]
#[doc(alias = "getrandom")]
pub fn fill(buf: &mut [u8]) -> Result<()> {
    let mut rest = buf;
    while !rest.is_empty() {
        match bsd_sys::random::getrandom(rest) {
            Ok(0) => return Err(Errno::IO),
            Ok(n) => rest = &mut core::mem::take(&mut rest)[n..],
            Err(Errno::INTR) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A random `u64` from the kernel (see [`fill`]).
///
/// # Examples
/// ```
/// let (a, b) = (bsd_proc::random::u64()?, bsd_proc::random::u64()?);
/// assert_ne!(a, b); // chance of failure: 2^-64
/// # Ok::<(), bsd_proc::Errno>(())
/// ```
///
/// # References
/// As for [`fill`].
#[doc(alias = "arc4random")]
pub fn u64() -> Result<u64> {
    let mut bytes = [0u8; 8];
    fill(&mut bytes)?;
    Ok(u64::from_ne_bytes(bytes))
}
