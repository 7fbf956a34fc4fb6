//! `pipe`: a connected pair of owned descriptors.

use std::os::fd::{FromRawFd, OwnedFd};

use bsd_sys::Result;

use crate::PipeFlags;

/// Creates a pipe and returns `(read end, write end)`.
///
/// `flags` apply to both ends atomically; pass [`PipeFlags::CLOEXEC`] unless a child program is
/// meant to inherit the pipe (unlike [`open`](crate::open), `pipe` adds nothing on its own).
///
/// # EINTR
/// Does not block, so never interrupted.
///
/// # Platform
/// DragonFly's raw system call returns both descriptors in registers (bsd-sys handles it).
///
/// # References
/// - [OpenBSD pipe2(2)](https://man.openbsd.org/pipe2.2)
/// - [DragonFly pipe2(2)](https://man.dragonflybsd.org/?command=pipe&section=2)
/// - [Linux pipe2(2)](https://man7.org/linux/man-pages/man2/pipe2.2.html)
///
/// # Examples
/// ```
/// use bsd_fd::{pipe, read, write, Errno, PipeFlags};
///
/// let (rx, tx) = pipe(PipeFlags::CLOEXEC | PipeFlags::NONBLOCK)?;
/// let mut buf = [0u8; 4];
/// assert_eq!(read(&rx, &mut buf), Err(Errno::AGAIN)); // empty and non-blocking
/// write(&tx, b"data")?;
/// assert_eq!(read(&rx, &mut buf)?, 4);
/// assert!(bsd_fd::cloexec(&rx)? && bsd_fd::cloexec(&tx)?);
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[doc(alias = "pipe2")]
#[inline]
pub fn pipe(flags: PipeFlags) -> Result<(OwnedFd, OwnedFd)> {
    let [read_end, write_end] = bsd_sys::fd::pipe2(flags.bits())?;
    // SAFETY: the kernel just created both descriptors for us; nothing else owns them.
    Ok(unsafe {
        (
            OwnedFd::from_raw_fd(read_end),
            OwnedFd::from_raw_fd(write_end),
        )
    })
}
