//! Telling a process from the child of its `fork` with one load (`MADV_WIPEONFORK`).

use crate::Result;

/// `MADV_WIPEONFORK` (Linux 4.14, `include/uapi/asm-generic/mman-common.h`).
const MADV_WIPEONFORK: i32 = 18;

/// A page the child of a `fork` sees zeroed (`MADV_WIPEONFORK`); holds [`fork_epoch`]. Until
/// it is mapped, [`NO_EPOCH`], so a reader never tests for null.
static EPOCH_PAGE: core::sync::atomic::AtomicPtr<core::sync::atomic::AtomicU32> =
    core::sync::atomic::AtomicPtr::new(&NO_EPOCH as *const _ as *mut _);

/// The epoch before the page exists: always 0, never written.
static NO_EPOCH: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(0);

/// A non-zero number that identifies the calling process and changes in the child of every
/// `fork` (it is kept in a page mapped with `MADV_WIPEONFORK`, so reading it costs one load).
///
/// Compare a value saved earlier with [`fork_epoch_now`] to learn whether the process forked
/// since. Fails when the page cannot be mapped (`MADV_WIPEONFORK` needs Linux 4.14).
///
/// # Examples
/// ```
/// use bsd_sys::{event, libc};
///
/// let epoch = event::fork_epoch()?;
/// assert_ne!(epoch, 0);
/// assert_eq!(event::fork_epoch_now(), epoch);
/// // SAFETY: the child only reads a word and calls `_exit`, both async-signal-safe.
/// let pid = unsafe { libc::fork() };
/// if pid == 0 {
///     // The child sees the page wiped: not the parent's epoch.
///     let code = if event::fork_epoch_now() != epoch { 0 } else { 1 };
///     // SAFETY: ends the child at once, without running the parent's atexit handlers.
///     unsafe { libc::_exit(code) };
/// }
/// let mut status = 0;
/// // SAFETY: `pid` is our child; `status` is a valid out pointer.
/// assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
/// assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [Linux madvise(2)](https://man7.org/linux/man-pages/man2/madvise.2.html) (`MADV_WIPEONFORK`)
pub fn fork_epoch() -> Result<u32> {
    use core::sync::atomic::Ordering;
    let mut page = EPOCH_PAGE.load(Ordering::Acquire);
    if core::ptr::eq(page, &NO_EPOCH) {
        let len = crate::mem::page_size()?;
        let prot = libc::PROT_READ | libc::PROT_WRITE;
        let flags = libc::MAP_PRIVATE | libc::MAP_ANONYMOUS;
        // SAFETY: a fresh anonymous mapping at an address the kernel picks replaces nothing.
        let p = unsafe { crate::mem::mmap(core::ptr::null_mut(), len, prot, flags, -1, 0) }?;
        // SAFETY: `p` is the mapping just made, `len` long.
        if let Err(e) = unsafe { crate::mem::madvise(p, len, MADV_WIPEONFORK) } {
            // SAFETY: nothing else knows of the mapping.
            let _ = unsafe { crate::mem::munmap(p, len) };
            return Err(e);
        }
        let p = p.cast::<core::sync::atomic::AtomicU32>();
        match EPOCH_PAGE.compare_exchange(page, p, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => page = p,
            Err(other) => {
                // Another thread won the race: use its page.
                // SAFETY: nothing else knows of our mapping.
                let _ = unsafe { crate::mem::munmap(p.cast(), len) };
                page = other;
            }
        }
    }
    // SAFETY: the page stays mapped for the life of the process and is page-aligned.
    let word = unsafe { &*page };
    let cur = word.load(Ordering::Acquire);
    if cur != 0 {
        return Ok(cur);
    }
    // A new process (or the child of a fork, whose page reads zero): its pid is non-zero and
    // differs from its parent's.
    let mine = crate::signal::getpid().raw() as u32;
    match word.compare_exchange(0, mine, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => Ok(mine),
        Err(v) => Ok(v),
    }
}

/// The current [`fork_epoch`] without creating it: 0 before the first `fork_epoch` call and in
/// the child of a `fork` until it calls `fork_epoch`. One atomic load. See [`fork_epoch`]
/// for an example.
///
/// # References
/// - [Linux madvise(2)](https://man7.org/linux/man-pages/man2/madvise.2.html) (`MADV_WIPEONFORK`)
#[doc(alias = "MADV_WIPEONFORK")]
#[inline]
#[must_use]
pub fn fork_epoch_now() -> u32 {
    use core::sync::atomic::Ordering;
    // SAFETY: `NO_EPOCH`, or the page, which once set stays mapped for the life of the process.
    unsafe { &*EPOCH_PAGE.load(Ordering::Acquire) }.load(Ordering::Acquire)
}
