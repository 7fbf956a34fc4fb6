//! `lseek`: moving and reading the file offset.

use std::io::SeekFrom;
use std::os::fd::{AsFd, AsRawFd};

use bsd_sys::{libc, Errno, Result};

/// Moves the file offset of `fd` and returns the new offset from the start (`lseek`).
///
/// The offset belongs to the open file, so every duplicate of `fd` moves with it. A
/// `SeekFrom::Start` above `i64::MAX` gives `Errno::INVAL` without calling the kernel; a
/// resulting negative offset gives `Errno::INVAL`; a pipe, socket or FIFO gives `Errno::SPIPE`.
///
/// # Platform
/// DragonFly's system call has a padding argument (`lseek(fd, 0, offset, whence)`), which
/// bsd-sys supplies.
///
/// # References
/// - [OpenBSD lseek(2)](https://man.openbsd.org/lseek.2)
/// - [DragonFly lseek(2)](https://man.dragonflybsd.org/?command=lseek&section=2)
/// - [Linux lseek(2)](https://man7.org/linux/man-pages/man2/lseek.2.html)
///
/// # Examples
/// ```
/// use std::io::SeekFrom;
/// let (rx, _tx) = bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC).unwrap();
/// assert_eq!(bsd_fd::seek(&rx, SeekFrom::Start(0)), Err(bsd_fd::Errno::SPIPE));
/// ```
#[doc(alias = "lseek")]
pub fn seek<Fd: AsFd>(fd: Fd, pos: SeekFrom) -> Result<u64> {
    let (offset, whence) = match pos {
        SeekFrom::Start(n) => (i64::try_from(n).map_err(|_| Errno::INVAL)?, libc::SEEK_SET),
        SeekFrom::Current(n) => (n, libc::SEEK_CUR),
        SeekFrom::End(n) => (n, libc::SEEK_END),
    };
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    let new = unsafe { bsd_sys::fd::lseek(fd.as_fd().as_raw_fd(), offset, whence) }?;
    Ok(new as u64)
}

/// The current file offset of `fd` (`lseek(fd, 0, SEEK_CUR)`).
///
/// # References
/// - [OpenBSD lseek(2)](https://man.openbsd.org/lseek.2)
/// - [DragonFly lseek(2)](https://man.dragonflybsd.org/?command=lseek&section=2)
/// - [Linux lseek(2)](https://man7.org/linux/man-pages/man2/lseek.2.html)
///
/// # Examples
/// ```
/// let f = std::fs::File::open("/dev/null").unwrap();
/// assert_eq!(bsd_fd::tell(&f).unwrap(), 0);
/// ```
#[doc(alias = "lseek")]
pub fn tell<Fd: AsFd>(fd: Fd) -> Result<u64> {
    seek(fd, SeekFrom::Current(0))
}
