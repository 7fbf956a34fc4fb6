//! `close` that reports the kernel's answer.

use std::os::fd::{IntoRawFd, OwnedFd};

use bsd_sys::Result;

/// Closes `fd` and returns the kernel's result, for callers that must see close errors (a
/// network file system may report a failed write only here, as `Errno::IO` or `Errno::NOSPC`).
///
/// Dropping an `OwnedFd` closes it too, but ignores the result.
///
/// # EINTR
/// Never retried: the descriptor is gone whatever `close` reports, and a second `close` could
/// hit a descriptor another thread has just opened under the same number. An `Err(Errno::INTR)`
/// means only that the final flush may not have completed.
///
/// # References
/// - [OpenBSD close(2)](https://man.openbsd.org/close.2)
/// - [DragonFly close(2)](https://man.dragonflybsd.org/?command=close&section=2)
/// - [Linux close(2)](https://man7.org/linux/man-pages/man2/close.2.html)
///
/// # Examples
/// ```
/// let (rx, tx) = bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC)?;
/// bsd_fd::close(tx)?; // the result of the kernel's close, which drop would throw away
/// let mut buf = [0u8; 1];
/// assert_eq!(bsd_fd::read(&rx, &mut buf)?, 0); // the write end is really closed
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
pub fn close(fd: OwnedFd) -> Result<()> {
    // SAFETY: `into_raw_fd` gives up ownership, so this is the one close of the descriptor.
    unsafe { bsd_sys::fd::close(fd.into_raw_fd()) }
}
