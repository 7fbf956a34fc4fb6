//! Questions about a descriptor: bytes ready to read, terminal or not.

use std::os::fd::{AsFd, AsRawFd};

use bsd_sys::{Errno, Result};

/// The number of bytes that can be read from `fd` right now without blocking
/// (`ioctl(FIONREAD)`).
///
/// # EINTR
/// Does not block, so never interrupted.
///
/// # Platform
/// Pipes, sockets, terminals and regular files answer on all three OSes (for a regular file:
/// the bytes between the offset and the end). Other descriptor types may give `Errno::NOTTY`
/// or `Errno::INVAL`.
///
/// # References
/// - [OpenBSD ioctl(2)](https://man.openbsd.org/ioctl.2) and [filio(4)](https://man.openbsd.org/filio.4)
/// - [DragonFly ioctl(2)](https://man.dragonflybsd.org/?command=ioctl&section=2)
/// - [Linux FIONREAD(2const)](https://man7.org/linux/man-pages/man2/FIONREAD.2const.html)
///
/// # Examples
/// ```
/// let (rx, tx) = bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC)?;
/// assert_eq!(bsd_fd::bytes_readable(&rx)?, 0);
/// bsd_fd::write(&tx, b"12345")?;
/// assert_eq!(bsd_fd::bytes_readable(&rx)?, 5);
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[doc(alias = "FIONREAD")]
pub fn bytes_readable<Fd: AsFd>(fd: Fd) -> Result<usize> {
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    let n = unsafe { bsd_sys::fd::ioctl_fionread(fd.as_fd().as_raw_fd()) }?;
    // The kernel never reports a negative count; refuse one rather than wrap it.
    usize::try_from(n).map_err(|_| Errno::INVAL)
}

/// Whether `fd` refers to a terminal.
///
/// Any failure (which I/O safety leaves as "not a terminal": `ENOTTY`) answers `false`.
///
/// # EINTR
/// Does not block, so never interrupted.
///
/// # References
/// - [OpenBSD isatty(3)](https://man.openbsd.org/isatty.3)
/// - [DragonFly isatty(3)](https://man.dragonflybsd.org/?command=isatty&section=3)
/// - [Linux isatty(3)](https://man7.org/linux/man-pages/man3/isatty.3.html)
///
/// # Examples
/// ```
/// let (rx, _tx) = bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC)?;
/// assert!(!bsd_fd::is_terminal(&rx)); // a pipe is no terminal
/// println!("stdin is a terminal: {}", bsd_fd::is_terminal(std::io::stdin()));
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[doc(alias = "isatty")]
#[must_use = "the answer is returned, nothing is changed"]
pub fn is_terminal<Fd: AsFd>(fd: Fd) -> bool {
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    unsafe { bsd_sys::fd::isatty(fd.as_fd().as_raw_fd()) }.unwrap_or(false)
}
