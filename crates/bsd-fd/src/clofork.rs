//! Close-on-fork (POSIX.1-2024): OpenBSD 7.8's `O_CLOFORK`, `FD_CLOFORK`, `F_DUPFD_CLOFORK`.
//!
//! Where the OS has no close-on-fork (DragonFly 6.4, Linux), every call here fails with
//! `Errno::NOTSUP` and every flag constructor returns that error, so portable code can ask once
//! and fall back.

use std::os::fd::{AsFd, OwnedFd, RawFd};

use bsd_sys::Result;

use crate::{DupFlags, OFlags, PipeFlags};

#[cfg(target_os = "openbsd")]
use std::os::fd::{AsRawFd, FromRawFd};

/// Whether this OS has close-on-fork: `true` on OpenBSD (7.8 and later), `false` elsewhere.
///
/// # Platform
/// OpenBSD added it in 7.8 (`sys/sys/fcntl.h` rev 1.23). On an older OpenBSD kernel the flags
/// are rejected (`Errno::INVAL`) or ignored; this constant describes the build target only.
///
/// # References
/// - [OpenBSD open(2)](https://man.openbsd.org/open.2) and [fcntl(2)](https://man.openbsd.org/fcntl.2)
///
/// # Examples
/// ```
/// let (rx, _tx) = bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC)?;
/// // Ask once, then use close-on-fork only where it exists.
/// assert_eq!(bsd_fd::clofork(&rx).is_ok(), bsd_fd::CLOFORK_SUPPORTED);
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
pub const CLOFORK_SUPPORTED: bool = cfg!(target_os = "openbsd");

#[cfg(not(target_os = "openbsd"))]
fn unsupported<T>() -> Result<T> {
    Err(bsd_sys::Errno::NOTSUP)
}

impl OFlags {
    /// `O_CLOFORK` (0x40000 on OpenBSD 7.8): the new descriptor is closed in forked children.
    ///
    /// `Errno::NOTSUP` where the OS has no close-on-fork.
    ///
    /// # References
    /// - [OpenBSD open(2)](https://man.openbsd.org/open.2)
    ///
    /// # Examples
    /// ```
    /// match bsd_fd::OFlags::clofork() {
    ///     Ok(flag) => assert!(!flag.is_empty()),
    ///     Err(err) => assert_eq!(err, bsd_fd::Errno::NOTSUP),
    /// }
    /// ```
    #[doc(alias = "O_CLOFORK")]
    pub fn clofork() -> Result<OFlags> {
        #[cfg(target_os = "openbsd")]
        return Ok(OFlags::from_bits_retain(bsd_sys::fd::O_CLOFORK));
        #[cfg(not(target_os = "openbsd"))]
        unsupported()
    }
}

impl PipeFlags {
    /// `O_CLOFORK` for both ends of a [`pipe`](crate::pipe) (OpenBSD 7.8); `Errno::NOTSUP`
    /// elsewhere.
    ///
    /// # References
    /// - [OpenBSD pipe2(2)](https://man.openbsd.org/pipe2.2)
    ///
    /// # Examples
    /// ```
    /// if let Ok(flag) = bsd_fd::PipeFlags::clofork() {
    ///     let (rx, _tx) = bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC | flag).unwrap();
    ///     assert!(bsd_fd::clofork(&rx).unwrap());
    /// }
    /// ```
    #[doc(alias = "O_CLOFORK")]
    pub fn clofork() -> Result<PipeFlags> {
        #[cfg(target_os = "openbsd")]
        return Ok(PipeFlags::from_bits_retain(bsd_sys::fd::O_CLOFORK));
        #[cfg(not(target_os = "openbsd"))]
        unsupported()
    }
}

impl DupFlags {
    /// `O_CLOFORK` for [`dup3`](crate::dup3) (OpenBSD 7.8, `sys_dup3` accepts
    /// `O_CLOEXEC | O_CLOFORK`); `Errno::NOTSUP` elsewhere.
    ///
    /// # References
    /// - [OpenBSD dup3(2)](https://man.openbsd.org/dup3.2)
    ///
    /// # Examples
    /// ```
    /// assert_eq!(bsd_fd::DupFlags::clofork().is_ok(), bsd_fd::CLOFORK_SUPPORTED);
    /// ```
    #[doc(alias = "O_CLOFORK")]
    pub fn clofork() -> Result<DupFlags> {
        #[cfg(target_os = "openbsd")]
        return Ok(DupFlags::from_bits_retain(bsd_sys::fd::O_CLOFORK));
        #[cfg(not(target_os = "openbsd"))]
        unsupported()
    }
}

/// Whether `fd` has close-on-fork set (`FD_CLOFORK` in `fcntl(F_GETFD)`), read from the kernel.
///
/// `Errno::NOTSUP` where the OS has no close-on-fork.
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
///
/// # Examples
/// ```
/// let (rx, _tx) = bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC).unwrap();
/// match bsd_fd::clofork(&rx) {
///     Ok(on) => assert!(!on),
///     Err(err) => assert_eq!(err, bsd_fd::Errno::NOTSUP),
/// }
/// ```
#[doc(alias = "FD_CLOFORK")]
pub fn clofork<Fd: AsFd>(fd: Fd) -> Result<bool> {
    #[cfg(target_os = "openbsd")]
    {
        // SAFETY: the descriptor is borrowed from `fd` for the call.
        let flags = unsafe { bsd_sys::fd::fcntl_getfd(fd.as_fd().as_raw_fd()) }?;
        Ok(flags & bsd_sys::fd::FD_CLOFORK != 0)
    }
    #[cfg(not(target_os = "openbsd"))]
    {
        let _ = fd.as_fd();
        unsupported()
    }
}

/// Sets (`true`) or clears (`false`) close-on-fork on `fd` (`fcntl(F_SETFD)`), keeping
/// close-on-exec as it is.
///
/// `Errno::NOTSUP` where the OS has no close-on-fork (also for `false`).
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
///
/// # Examples
/// ```
/// let (rx, _tx) = bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC).unwrap();
/// if bsd_fd::CLOFORK_SUPPORTED {
///     bsd_fd::set_clofork(&rx, true).unwrap();
///     assert!(bsd_fd::clofork(&rx).unwrap());
/// } else {
///     assert_eq!(bsd_fd::set_clofork(&rx, true), Err(bsd_fd::Errno::NOTSUP));
/// }
/// ```
#[doc(alias = "FD_CLOFORK")]
pub fn set_clofork<Fd: AsFd>(fd: Fd, on: bool) -> Result<()> {
    #[cfg(target_os = "openbsd")]
    {
        let raw = fd.as_fd().as_raw_fd();
        // SAFETY: the descriptor is borrowed from `fd` for both calls.
        let old = unsafe { bsd_sys::fd::fcntl_getfd(raw) }?;
        let new = if on {
            old | bsd_sys::fd::FD_CLOFORK
        } else {
            old & !bsd_sys::fd::FD_CLOFORK
        };
        if new == old {
            return Ok(());
        }
        // SAFETY: as above.
        unsafe { bsd_sys::fd::fcntl_setfd(raw, new) }
    }
    #[cfg(not(target_os = "openbsd"))]
    {
        let _ = (fd.as_fd(), on);
        unsupported()
    }
}

/// Duplicates `fd` onto the lowest free number `>= min` with close-on-fork set
/// (`fcntl(F_DUPFD_CLOFORK)`), then adds close-on-exec, which every bsd-fd descriptor has.
///
/// Between the two calls a concurrent `exec` in another thread could inherit the duplicate;
/// use [`dup3`](crate::dup3) with `DupFlags::CLOEXEC | DupFlags::clofork()?` onto an owned
/// descriptor for an atomic pair. `Errno::NOTSUP` where the OS has no close-on-fork.
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
///
/// # Examples
/// ```
/// let (rx, _tx) = bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC).unwrap();
/// match bsd_fd::dup_min_clofork(&rx, 10) {
///     Ok(dup) => assert!(bsd_fd::clofork(&dup).unwrap() && bsd_fd::cloexec(&dup).unwrap()),
///     Err(err) => assert_eq!(err, bsd_fd::Errno::NOTSUP),
/// }
/// ```
#[doc(alias = "F_DUPFD_CLOFORK")]
pub fn dup_min_clofork<Fd: AsFd>(fd: Fd, min: RawFd) -> Result<OwnedFd> {
    #[cfg(target_os = "openbsd")]
    {
        // SAFETY: the descriptor is borrowed from `fd`; the command creates a descriptor that
        // we take ownership of at once.
        let raw = unsafe {
            bsd_sys::fd::fcntl(fd.as_fd().as_raw_fd(), bsd_sys::fd::F_DUPFD_CLOFORK, min)
        }?;
        // SAFETY: the kernel just created this descriptor for us; nothing else owns it.
        let dup = unsafe { OwnedFd::from_raw_fd(raw) };
        crate::set_cloexec(&dup, true)?;
        Ok(dup)
    }
    #[cfg(not(target_os = "openbsd"))]
    {
        let _ = (fd.as_fd(), min);
        unsupported()
    }
}
