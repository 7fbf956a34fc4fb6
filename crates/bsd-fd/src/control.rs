//! Descriptor control through `fcntl`: close-on-exec, status flags, duplication.
//!
//! None of these blocks, so none is ever interrupted (`EINTR` cannot occur).

use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};

use bsd_sys::libc;
use bsd_sys::Result;

use crate::OFlags;

/// Whether `fd` has close-on-exec set (`FD_CLOEXEC` in `fcntl(F_GETFD)`), read from the kernel.
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
///
/// # Examples
/// ```
/// let (rx, _tx) = bsd_fd::pipe(bsd_fd::PipeFlags::empty())?;
/// assert!(!bsd_fd::cloexec(&rx)?); // pipe adds nothing on its own
/// let null = bsd_fd::open("/dev/null", bsd_fd::OFlags::RDONLY, bsd_fd::Mode::empty())?;
/// assert!(bsd_fd::cloexec(&null)?); // open always does
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[doc(alias = "F_GETFD")]
pub fn cloexec<Fd: AsFd>(fd: Fd) -> Result<bool> {
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    let flags = unsafe { bsd_sys::fd::fcntl_getfd(fd.as_fd().as_raw_fd()) }?;
    Ok(flags & libc::FD_CLOEXEC != 0)
}

/// Sets (`true`) or clears (`false`) close-on-exec on `fd` (`fcntl(F_SETFD)`).
///
/// Clearing it is the way to let a child program inherit a descriptor from [`open`](crate::open)
/// or [`dup_min_cloexec`]. The other descriptor flags are kept.
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
///
/// # Examples
/// ```
/// let null = bsd_fd::open("/dev/null", bsd_fd::OFlags::RDONLY, bsd_fd::Mode::empty())?;
/// bsd_fd::set_cloexec(&null, false)?; // a child program may now inherit it
/// assert!(!bsd_fd::cloexec(&null)?);
/// bsd_fd::set_cloexec(&null, true)?;
/// assert!(bsd_fd::cloexec(&null)?);
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[doc(alias = "F_SETFD")]
#[doc(alias = "FD_CLOEXEC")]
pub fn set_cloexec<Fd: AsFd>(fd: Fd, on: bool) -> Result<()> {
    let raw = fd.as_fd().as_raw_fd();
    // SAFETY: the descriptor is borrowed from `fd` for both calls.
    let old = unsafe { bsd_sys::fd::fcntl_getfd(raw) }?;
    let new = if on {
        old | libc::FD_CLOEXEC
    } else {
        old & !libc::FD_CLOEXEC
    };
    if new == old {
        return Ok(());
    }
    // SAFETY: as above.
    unsafe { bsd_sys::fd::fcntl_setfd(raw, new) }
}

/// The file status flags and access mode of `fd` (`fcntl(F_GETFL)`), read from the kernel.
///
/// The access mode is `flags & (WRONLY | RDWR)`; `CLOEXEC` is a descriptor flag and never appears
/// here (see [`cloexec`]).
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
///
/// # Examples
/// ```
/// use bsd_fd::{open, status_flags, Mode, OFlags};
///
/// let null = open("/dev/null", OFlags::WRONLY | OFlags::APPEND, Mode::empty())?;
/// let flags = status_flags(&null)?;
/// assert!(flags.contains(OFlags::APPEND));
/// assert_eq!(flags & (OFlags::WRONLY | OFlags::RDWR), OFlags::WRONLY); // the access mode
/// assert!(!flags.contains(OFlags::CLOEXEC)); // a descriptor flag, not a status flag
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[doc(alias = "F_GETFL")]
pub fn status_flags<Fd: AsFd>(fd: Fd) -> Result<OFlags> {
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    let flags = unsafe { bsd_sys::fd::fcntl_getfl(fd.as_fd().as_raw_fd()) }?;
    Ok(OFlags::from_bits_retain(flags))
}

/// Sets the file status flags of `fd` (`fcntl(F_SETFL)`).
///
/// Only `APPEND`, `NONBLOCK`, `O_ASYNC` and a few OS-specific flags can change (`O_SYNC` on
/// OpenBSD and DragonFly, `O_DIRECT` on DragonFly and Linux, `O_NOATIME` on Linux:
/// `FCNTLFLAGS` in OpenBSD and DragonFly `sys/sys/fcntl.h`, Linux fcntl(2)); the kernel ignores the access mode and creation flags. The status
/// flags belong to the open file, so every duplicate of `fd` (and a child that inherited it) sees
/// the change.
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
///
/// # Examples
/// ```
/// use bsd_fd::{pipe, set_status_flags, status_flags, OFlags, PipeFlags};
///
/// let (rx, _tx) = pipe(PipeFlags::CLOEXEC)?;
/// set_status_flags(&rx, status_flags(&rx)? | OFlags::NONBLOCK)?;
/// assert!(status_flags(&rx)?.contains(OFlags::NONBLOCK));
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[doc(alias = "F_SETFL")]
pub fn set_status_flags<Fd: AsFd>(fd: Fd, flags: OFlags) -> Result<()> {
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    unsafe { bsd_sys::fd::fcntl_setfl(fd.as_fd().as_raw_fd(), flags.bits()) }
}

/// Turns `O_NONBLOCK` on or off for `fd`, keeping its other status flags.
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
///
/// # Examples
/// ```
/// use bsd_fd::{pipe, read, set_nonblocking, Errno, PipeFlags};
///
/// let (rx, _tx) = pipe(PipeFlags::CLOEXEC)?;
/// set_nonblocking(&rx, true)?;
/// assert_eq!(read(&rx, &mut [0u8; 1]), Err(Errno::AGAIN)); // instead of waiting forever
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[doc(alias = "O_NONBLOCK")]
pub fn set_nonblocking<Fd: AsFd>(fd: Fd, on: bool) -> Result<()> {
    let fd = fd.as_fd();
    let old = status_flags(fd)?;
    let new = if on {
        old | OFlags::NONBLOCK
    } else {
        old - OFlags::NONBLOCK
    };
    if new == old {
        return Ok(());
    }
    set_status_flags(fd, new)
}

/// Duplicates `fd` onto the lowest free descriptor number `>= min`, with close-on-exec set
/// (`fcntl(F_DUPFD_CLOEXEC)`).
///
/// The duplicate shares the open file (offset and status flags) with `fd`. A negative `min`, or
/// one at or above the descriptor limit, gives `Errno::INVAL`.
///
/// # Platform
/// `F_DUPFD_CLOEXEC` is 10 on OpenBSD, 17 on DragonFly and 1030 on Linux.
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
///
/// # Examples
/// ```
/// use std::os::fd::AsRawFd;
///
/// let (rx, tx) = bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC)?;
/// let dup = bsd_fd::dup_min_cloexec(&tx, 100)?;
/// assert!(dup.as_raw_fd() >= 100 && bsd_fd::cloexec(&dup)?);
/// bsd_fd::write(&dup, b"x")?; // the same pipe as `tx`
/// assert_eq!(bsd_fd::bytes_readable(&rx)?, 1);
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[doc(alias = "F_DUPFD_CLOEXEC")]
pub fn dup_min_cloexec<Fd: AsFd>(fd: Fd, min: RawFd) -> Result<OwnedFd> {
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    let raw = unsafe { bsd_sys::fd::fcntl_dupfd_cloexec(fd.as_fd().as_raw_fd(), min) }?;
    // SAFETY: the kernel just created this descriptor for us; nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(raw) })
}
