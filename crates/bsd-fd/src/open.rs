//! `open` and `openat`: paths to owned descriptors, close-on-exec by default.

use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::Path;

use bsd_sys::{Errno, Result};

use crate::path::with_c_path;
use crate::{Mode, OFlags};

/// Opens `path` with `flags`, creating it with permission bits `mode` if `flags` has
/// [`OFlags::CREAT`] (`mode` is ignored otherwise).
///
/// **Close-on-exec is on by default**: `O_CLOEXEC` is always added, so the descriptor never leaks
/// into a program this process executes, even when another thread forks and executes at the same
/// moment. The explicit way out is [`set_cloexec(&fd, false)`](crate::set_cloexec) on the
/// result, for a descriptor meant to be inherited (clearing the flag afterwards is race-free in
/// the direction that matters: a concurrent exec can only miss the descriptor, never leak it).
///
/// A path containing a NUL byte gives `Errno::INVAL` without calling the kernel.
///
/// # EINTR
/// Retried: an `open` that fails with `EINTR` (while waiting on a FIFO or a slow device) opened
/// nothing, so calling it again is the same request.
///
/// # Platform
/// `O_CLOEXEC` is 0x10000 on OpenBSD, 0x20000 on DragonFly and 0o2000000 on Linux.
///
/// # References
/// - [OpenBSD open(2)](https://man.openbsd.org/open.2)
/// - [DragonFly open(2)](https://man.dragonflybsd.org/?command=open&section=2)
/// - [Linux open(2)](https://man7.org/linux/man-pages/man2/open.2.html)
///
/// # Examples
/// ```
/// use bsd_fd::{open, Errno, Mode, OFlags};
///
/// let null = open("/dev/null", OFlags::RDWR, Mode::empty())?;
/// assert!(bsd_fd::cloexec(&null)?); // always, without asking
/// assert_eq!(bsd_fd::write(&null, b"gone")?, 4);
/// assert_eq!(open("/no/such/file", OFlags::RDONLY, Mode::empty()).err(), Some(Errno::NOENT));
/// assert_eq!(open("nul\0byte", OFlags::RDONLY, Mode::empty()).err(), Some(Errno::INVAL));
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
pub fn open<P: AsRef<Path>>(path: P, flags: OFlags, mode: Mode) -> Result<OwnedFd> {
    let flags = (flags | OFlags::CLOEXEC).bits();
    with_c_path(path.as_ref(), |c_path| {
        retry_intr(|| bsd_sys::fd::open(c_path, flags, mode.bits()))
    })
}

/// Opens `path` relative to the directory `dir` (an absolute `path` ignores `dir`); otherwise
/// as [`open`], close-on-exec included.
///
/// # EINTR
/// Retried, as for [`open`].
///
/// # References
/// - [OpenBSD openat(2)](https://man.openbsd.org/openat.2)
/// - [DragonFly openat(2)](https://man.dragonflybsd.org/?command=openat&section=2)
/// - [Linux openat(2)](https://man7.org/linux/man-pages/man2/openat.2.html)
///
/// # Examples
/// ```
/// use bsd_fd::{open, openat, Mode, OFlags};
///
/// let dev = open("/dev", OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty())?;
/// let null = openat(&dev, "null", OFlags::WRONLY, Mode::empty())?; // /dev/null
/// assert_eq!(bsd_fd::fstat(&null)?.file_type, bsd_fd::FileType::CharDevice);
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
pub fn openat<Fd: AsFd, P: AsRef<Path>>(
    dir: Fd,
    path: P,
    flags: OFlags,
    mode: Mode,
) -> Result<OwnedFd> {
    let dirfd = dir.as_fd().as_raw_fd();
    let flags = (flags | OFlags::CLOEXEC).bits();
    with_c_path(path.as_ref(), |c_path| {
        // SAFETY: `dirfd` is borrowed from `dir` for the whole call.
        retry_intr(|| unsafe { bsd_sys::fd::openat(dirfd, c_path, flags, mode.bits()) })
    })
}

/// Repeats `open_call` while it fails with `EINTR`, and takes ownership of the new descriptor.
#[inline]
fn retry_intr(mut open_call: impl FnMut() -> Result<RawFd>) -> Result<OwnedFd> {
    loop {
        match open_call() {
            // SAFETY: the kernel just returned this descriptor to us; nothing else owns it.
            Ok(raw) => return Ok(unsafe { OwnedFd::from_raw_fd(raw) }),
            Err(Errno::INTR) => continue,
            Err(err) => return Err(err),
        }
    }
}
