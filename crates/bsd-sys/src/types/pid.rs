//! `Pid`: a process id.

use core::fmt;

/// A process id (`pid_t`).
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
    pub const fn from_raw(raw: libc::pid_t) -> Pid {
        Pid(raw)
    }

    /// The raw process id.
    #[inline]
    pub const fn raw(self) -> libc::pid_t {
        self.0
    }

    /// The id of the calling process (`getpid`, which cannot fail).
    ///
    /// # References
    /// - [OpenBSD getpid(2)](https://man.openbsd.org/getpid.2)
    /// - [DragonFly getpid(2)](https://man.dragonflybsd.org/?command=getpid&section=2)
    /// - [Linux getpid(2)](https://man7.org/linux/man-pages/man2/getpid.2.html)
    #[doc(alias = "getpid")]
    #[inline]
    pub fn current() -> Pid {
        crate::signal::getpid()
    }
}

impl fmt::Display for Pid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}
