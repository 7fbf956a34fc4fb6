//! `dup2` and `dup3`: pointing an owned descriptor at another open file.

use std::os::fd::{AsFd, AsRawFd, OwnedFd};

use bsd_sys::libc;
use bsd_sys::Result;

bitflags::bitflags! {
    /// Flags for [`dup3`]: what the new descriptor gets.
    ///
    /// [`DupFlags::clofork`] adds close-on-fork where the OS has it (OpenBSD 7.8).
    ///
    /// # References
    /// - [OpenBSD dup3(2)](https://man.openbsd.org/dup3.2)
    /// - [DragonFly dup3(3)](https://man.dragonflybsd.org/?command=dup3&section=3)
    /// - [Linux dup3(2)](https://man7.org/linux/man-pages/man2/dup3.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_fd::{dup3, pipe, DupFlags, PipeFlags};
    ///
    /// let (rx, _tx) = pipe(PipeFlags::empty())?;
    /// let (_rx2, mut target) = pipe(PipeFlags::empty())?;
    /// dup3(&rx, &mut target, DupFlags::CLOEXEC)?;
    /// assert!(bsd_fd::cloexec(&target)?);
    /// # Ok::<(), bsd_fd::Errno>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct DupFlags: libc::c_int {
        /// `O_CLOEXEC`: close the new descriptor in executed programs.
        #[doc(alias = "O_CLOEXEC")]
        const CLOEXEC = libc::O_CLOEXEC;

        const _ = !0;
    }
}

/// Makes `target` refer to the open file of `fd` (`dup2`); what `target` referred to is closed.
///
/// `target` keeps its number, loses close-on-exec (dup2 never sets it; use [`dup3`] with
/// [`DupFlags::CLOEXEC`] to keep it), and shares the offset and status flags of `fd` from then
/// on. `fd` and `target` being the same descriptor cannot be expressed (`&mut` excludes it).
///
/// # EINTR
/// Not retried: Linux can report `Errno::INTR` or `Errno::BUSY` when another thread is opening
/// onto `target` at the same moment; `target` is then unchanged.
///
/// # References
/// - [OpenBSD dup2(2)](https://man.openbsd.org/dup2.2)
/// - [DragonFly dup2(2)](https://man.dragonflybsd.org/?command=dup2&section=2)
/// - [Linux dup2(2)](https://man7.org/linux/man-pages/man2/dup2.2.html)
///
/// # Examples
/// ```
/// use bsd_fd::{dup2, pipe, read, write, PipeFlags};
///
/// let (rx, tx) = pipe(PipeFlags::CLOEXEC).unwrap();
/// let (_rx2, mut other) = pipe(PipeFlags::CLOEXEC).unwrap();
/// dup2(&tx, &mut other).unwrap(); // `other` is now a second write end of the first pipe
/// write(&other, b"hi").unwrap();
/// let mut buf = [0u8; 2];
/// assert_eq!(read(&rx, &mut buf).unwrap(), 2);
/// assert_eq!(&buf, b"hi");
/// ```
pub fn dup2<Fd: AsFd>(fd: Fd, target: &mut OwnedFd) -> Result<()> {
    // SAFETY: `fd` is borrowed for the call and `target` is owned by the caller (through the
    // `&mut`), so replacing its open file changes only what this caller owns.
    unsafe { bsd_sys::fd::dup2(fd.as_fd().as_raw_fd(), target.as_raw_fd()) }.map(drop)
}

/// [`dup2`] with flags for `target`: [`DupFlags::CLOEXEC`] (and close-on-fork on OpenBSD 7.8).
///
/// Unknown flags give `Errno::INVAL`.
///
/// # Platform
/// DragonFly has no `dup3` system call: its libc (and the raw backend) use
/// `fcntl(F_DUP2FD_CLOEXEC)`; see `bsd_sys::fd::dup3`.
///
/// # References
/// - [OpenBSD dup3(2)](https://man.openbsd.org/dup3.2)
/// - [DragonFly dup3(3)](https://man.dragonflybsd.org/?command=dup3&section=3)
/// - [Linux dup3(2)](https://man7.org/linux/man-pages/man2/dup3.2.html)
///
/// # Examples
/// ```
/// use bsd_fd::{dup3, pipe, DupFlags, PipeFlags};
///
/// let (rx, _tx) = pipe(PipeFlags::CLOEXEC).unwrap();
/// let (_rx2, mut other) = pipe(PipeFlags::empty()).unwrap();
/// dup3(&rx, &mut other, DupFlags::CLOEXEC).unwrap();
/// assert!(bsd_fd::cloexec(&other).unwrap());
/// ```
pub fn dup3<Fd: AsFd>(fd: Fd, target: &mut OwnedFd, flags: DupFlags) -> Result<()> {
    // SAFETY: as for `dup2`.
    unsafe { bsd_sys::fd::dup3(fd.as_fd().as_raw_fd(), target.as_raw_fd(), flags.bits()) }.map(drop)
}
