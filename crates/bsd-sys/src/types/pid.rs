//! `Pid`: a process id.

use core::fmt;

use crate::{Errno, Result};

/// A process id (`pid_t`).
///
/// A plain number: holding a `Pid` does not keep the process (or its id) alive, and the kernel
/// may give the id to a new process once the old one has been reaped.
///
/// [`Pid::from_raw`] wraps any `pid_t`, including the values `kill(2)` reads as something
/// other than one process (0: the caller's process group; -1: every process the caller may
/// signal; below -1: that process group); [`crate::signal::kill`] passes them on as such. The
/// conversions from `u32` never produce them: a process id is positive, so `Pid::try_from(0u32)`
/// and anything above `i32::MAX` are refused.
///
/// A [`std::process::Child`](https://doc.rust-lang.org/std/process/struct.Child.html) id
/// converts with [`Pid::from_child`] (`std` feature) or `Pid::try_from(child.id())`.
///
/// # Platform
/// `pid_t` is `int` (32 bits) on every supported OS, and process ids are positive and small:
/// at most `PID_MAX` 99999 on OpenBSD (`sys/sys/proc.h` rev 1.397) and 999999 on DragonFly
/// (`sys/sys/proc.h` at the 6.4 branch point, commit 81dd9c6184), at most
/// `/proc/sys/kernel/pid_max` (`PID_MAX_LIMIT`, 2^22 on 64-bit, `include/linux/threads.h`) on
/// Linux. Every real id fits the `u32` of `Child::id()` and converts back.
///
/// # Examples
/// ```
/// use bsd_sys::Pid;
///
/// let me = Pid::current();
/// assert!(me.raw() > 0);
/// assert_eq!(me, Pid::try_from(std::process::id())?);
/// assert_eq!(me.to_string(), std::process::id().to_string());
/// // A u32 past `pid_t`'s range is refused, not wrapped to a group id; 0 is no process.
/// assert_eq!(Pid::try_from(u32::MAX), Err(bsd_sys::Errno::INVAL));
/// assert_eq!(Pid::try_from(0u32), Err(bsd_sys::Errno::INVAL));
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD getpid(2)](https://man.openbsd.org/getpid.2)
/// - [DragonFly getpid(2)](https://man.dragonflybsd.org/?command=getpid&section=2)
/// - [Linux getpid(2)](https://man7.org/linux/man-pages/man2/getpid.2.html)
#[doc(alias = "pid_t")]
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
#[repr(transparent)]
pub struct Pid(libc::pid_t);

impl Pid {
    /// Wraps a raw process id. No check is made that such a process exists.
    #[inline]
    #[must_use]
    pub const fn from_raw(raw: libc::pid_t) -> Pid {
        Pid(raw)
    }

    /// The raw process id.
    #[inline]
    #[must_use]
    pub const fn raw(self) -> libc::pid_t {
        self.0
    }

    /// The id of the calling process (`getpid`, which cannot fail).
    ///
    /// # Examples
    /// ```
    /// let me = bsd_sys::Pid::current();
    /// assert_eq!(me.raw() as u32, std::process::id());
    /// ```
    ///
    /// # References
    /// - [OpenBSD getpid(2)](https://man.openbsd.org/getpid.2)
    /// - [DragonFly getpid(2)](https://man.dragonflybsd.org/?command=getpid&section=2)
    /// - [Linux getpid(2)](https://man7.org/linux/man-pages/man2/getpid.2.html)
    #[doc(alias = "getpid")]
    #[inline]
    #[must_use]
    pub fn current() -> Pid {
        crate::signal::getpid()
    }

    /// The id of a child process started with `std::process::Command`.
    ///
    /// `Child::id()` is the child's `pid_t` cast to `u32` (std's Unix `Process::id`), so the
    /// cast back is exact. The id names the child only until it is reaped (`wait` or a
    /// successful `try_wait`); after that the kernel may give it to a new process.
    ///
    /// # Examples
    /// ```
    /// use bsd_sys::{signal, Pid, Signal};
    ///
    /// let mut child = std::process::Command::new("sleep").arg("10").spawn()?;
    /// let pid = Pid::from_child(&child);
    /// assert_eq!(pid.raw() as u32, child.id());
    /// signal::kill(pid, Signal::TERM)?;
    /// let status = child.wait()?;
    /// # use std::os::unix::process::ExitStatusExt;
    /// assert_eq!(status.signal(), Some(Signal::TERM.raw()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "std")]
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    #[inline]
    #[must_use]
    pub fn from_child(child: &std::process::Child) -> Pid {
        // std stores the `pid_t` and returns `pid as u32`: the round trip is lossless.
        Pid(child.id() as libc::pid_t)
    }
}

impl TryFrom<u32> for Pid {
    type Error = Errno;

    /// A process id from the `u32` of `std::process::id()` or `Child::id()`; `Errno::INVAL`
    /// for 0 or past `pid_t::MAX`.
    #[inline]
    fn try_from(id: u32) -> Result<Pid> {
        // 0 and the negative values (what a u32 past i32::MAX would cast to) are kill(2)'s
        // group and broadcast targets, never a process: a conversion must not make them.
        match libc::pid_t::try_from(id) {
            Ok(raw) if raw > 0 => Ok(Pid(raw)),
            _ => Err(Errno::INVAL),
        }
    }
}

impl From<Pid> for libc::pid_t {
    #[inline]
    fn from(pid: Pid) -> libc::pid_t {
        pid.0
    }
}

impl fmt::Display for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn try_from_u32_refuses_what_kill_reads_as_a_group() {
        assert_eq!(Pid::try_from(0u32), Err(Errno::INVAL));
        assert_eq!(Pid::try_from(1u32 << 31), Err(Errno::INVAL)); // would be i32::MIN
        assert_eq!(Pid::try_from(u32::MAX), Err(Errno::INVAL)); // would be -1
        assert_eq!(Pid::try_from(i32::MAX as u32), Ok(Pid::from_raw(i32::MAX)));
        assert_eq!(Pid::try_from(1u32).map(libc::pid_t::from), Ok(1));
    }
}
