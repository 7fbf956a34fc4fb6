//! `fcntl` and its typed commands, `ioctl(FIONREAD)` and `isatty`.
//!
//! Every call here takes a descriptor, so every one is an `unsafe fn` (I/O safety, see the
//! parent module).

use core::ffi::c_int;

use super::RawFd;
use crate::backend::imp;
use crate::Result;

/// `fcntl(fd, cmd, arg)` for the commands whose argument is an `int` (or absent: pass 0).
///
/// Returns the command's non-negative result. Prefer the typed helpers below.
///
/// # Safety
/// The caller owns or borrows `fd` for the call; `cmd` takes an integer argument or none (not a
/// pointer, e.g. not `F_GETLK`); and a command that creates a descriptor (`F_DUPFD`,
/// `F_DUPFD_CLOEXEC`) hands its result to the caller's ownership.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: `r` and `w` were created above; F_DUPFD takes an int and returns a descriptor we
/// // own; all three are closed once.
/// unsafe {
///     let dup = fd::fcntl(r, libc::F_DUPFD, 10)?;
///     assert!(dup >= 10);
///     assert_eq!(fd::fcntl(dup, libc::F_GETFD, 0)? & libc::FD_CLOEXEC, 0, "F_DUPFD clears it");
///     fd::close(dup)?;
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[inline]
pub unsafe fn fcntl(fd: RawFd, cmd: c_int, arg: c_int) -> Result<c_int> {
    imp::fd::fcntl(fd, cmd, arg)
}

/// Reads the descriptor flags of `fd` (`F_GETFD`: `FD_CLOEXEC`).
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     assert_eq!(fd::fcntl_getfd(r)? & libc::FD_CLOEXEC, libc::FD_CLOEXEC);
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[doc(alias = "fcntl")]
#[doc(alias = "F_GETFD")]
#[inline]
pub unsafe fn fcntl_getfd(fd: RawFd) -> Result<c_int> {
    imp::fd::fcntl(fd, libc::F_GETFD, 0)
}

/// Sets the descriptor flags of `fd` (`F_SETFD`).
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(0)?;
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     assert_eq!(fd::fcntl_getfd(r)? & libc::FD_CLOEXEC, 0);
///     fd::fcntl_setfd(r, libc::FD_CLOEXEC)?;
///     assert_eq!(fd::fcntl_getfd(r)? & libc::FD_CLOEXEC, libc::FD_CLOEXEC);
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[doc(alias = "fcntl")]
#[doc(alias = "F_SETFD")]
#[inline]
pub unsafe fn fcntl_setfd(fd: RawFd, flags: c_int) -> Result<()> {
    imp::fd::fcntl(fd, libc::F_SETFD, flags).map(drop)
}

/// Reads the file status flags and access mode of `fd` (`F_GETFL`).
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC | libc::O_NONBLOCK)?;
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     assert_ne!(fd::fcntl_getfl(r)? & libc::O_NONBLOCK, 0);
///     // O_CLOEXEC is a descriptor flag (F_GETFD), not a status flag.
///     assert_eq!(fd::fcntl_getfl(r)? & libc::O_CLOEXEC, 0);
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[doc(alias = "fcntl")]
#[doc(alias = "F_GETFL")]
#[inline]
pub unsafe fn fcntl_getfl(fd: RawFd) -> Result<c_int> {
    imp::fd::fcntl(fd, libc::F_GETFL, 0)
}

/// Sets the file status flags of `fd` (`F_SETFL`; only `O_APPEND`, `O_NONBLOCK`, `O_ASYNC` and a
/// few OS-specific flags can change: `O_SYNC` on OpenBSD and DragonFly, `O_DIRECT` on
/// DragonFly and Linux, `O_NOATIME` on Linux; `FCNTLFLAGS` in OpenBSD and DragonFly
/// `sys/sys/fcntl.h`, Linux fcntl(2)).
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, Errno};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     let flags = fd::fcntl_getfl(r)?;
///     fd::fcntl_setfl(r, flags | libc::O_NONBLOCK)?;
///     assert_eq!(fd::read(r, &mut [0u8; 1]), Err(Errno::AGAIN), "no longer blocks");
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[doc(alias = "fcntl")]
#[doc(alias = "F_SETFL")]
#[inline]
pub unsafe fn fcntl_setfl(fd: RawFd, flags: c_int) -> Result<()> {
    imp::fd::fcntl(fd, libc::F_SETFL, flags).map(drop)
}

/// Duplicates `fd` onto the lowest free number `>= min`, with close-on-exec set
/// (`F_DUPFD_CLOEXEC`); the caller owns the result.
///
/// # Platform
/// `F_DUPFD_CLOEXEC` is 10 on OpenBSD, 17 on DragonFly, 1030 on Linux.
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(0)?;
/// let mut buf = [0u8; 2];
/// // SAFETY: `r` and `w` were created above; the duplicate is ours; all are closed once.
/// unsafe {
///     let w2 = fd::fcntl_dupfd_cloexec(w, 20)?;
///     assert!(w2 >= 20);
///     assert_eq!(fd::fcntl_getfd(w2)? & libc::FD_CLOEXEC, libc::FD_CLOEXEC);
///     fd::write(w2, b"ok")?; // the same pipe
///     fd::read(r, &mut buf)?;
///     fd::close(w2)?;
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// assert_eq!(&buf, b"ok");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[doc(alias = "fcntl")]
#[doc(alias = "F_DUPFD_CLOEXEC")]
#[inline]
pub unsafe fn fcntl_dupfd_cloexec(fd: RawFd, min: RawFd) -> Result<RawFd> {
    imp::fd::fcntl(fd, libc::F_DUPFD_CLOEXEC, min)
}

/// The number of bytes that can be read from `fd` without blocking (`ioctl(FIONREAD)`).
///
/// # Platform
/// Works on pipes, sockets, terminals and regular files on all three OSes; a descriptor type
/// without FIONREAD support gives `Errno::NOTTY` (or `Errno::INVAL`).
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     assert_eq!(fd::ioctl_fionread(r)?, 0);
///     fd::write(w, b"four")?;
///     assert_eq!(fd::ioctl_fionread(r)?, 4);
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD ioctl(2)](https://man.openbsd.org/ioctl.2), [filio(4)]: FIONREAD
/// - [DragonFly ioctl(2)](https://man.dragonflybsd.org/?command=ioctl&section=2)
/// - [Linux ioctl_tty(2)/FIONREAD](https://man7.org/linux/man-pages/man2/FIONREAD.2const.html)
///
/// [filio(4)]: https://man.openbsd.org/filio.4
#[doc(alias = "FIONREAD")]
#[doc(alias = "ioctl")]
#[inline]
pub unsafe fn ioctl_fionread(fd: RawFd) -> Result<c_int> {
    imp::fd::ioctl_fionread(fd)
}

/// Whether `fd` refers to a terminal: `Ok(false)` when it does not (`ENOTTY`), `Err` for other
/// failures such as `Errno::BADF`.
///
/// # Platform
/// The raw backend asks for the terminal attributes (`TCGETS` on Linux, `TIOCGETA` on DragonFly),
/// as the C libraries' `isatty` does.
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, Errno};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: both ends were created above, are used only here and closed once; -1 is never a
/// // descriptor.
/// unsafe {
///     assert!(!fd::isatty(r)?, "a pipe is no terminal");
///     assert_eq!(fd::isatty(-1), Err(Errno::BADF));
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD isatty(3)](https://man.openbsd.org/isatty.3)
/// - [DragonFly isatty(3)](https://man.dragonflybsd.org/?command=isatty&section=3)
/// - [Linux isatty(3)](https://man7.org/linux/man-pages/man3/isatty.3.html)
#[inline]
pub unsafe fn isatty(fd: RawFd) -> Result<bool> {
    imp::fd::isatty(fd)
}
