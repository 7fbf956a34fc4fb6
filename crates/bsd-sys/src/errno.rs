//! `Errno`: the kernel's error number as an open newtype, never an exhaustive enum.
//!
//! The set of error numbers differs per OS and changes between releases (DragonFly removed some,
//! OpenBSD renumbered `ENOTSUP`), so a value read back from the kernel is kept as the integer it is.

use core::fmt;

/// An error number returned by the kernel (`errno`).
///
/// The associated constants carry each OS's own values (`Errno::NOTSUP` is 91 on OpenBSD, 45 on
/// DragonFly and 95 on Linux); any other value is kept as is and printed as `errno N`.
///
/// # Examples
/// ```
/// use bsd_sys::Errno;
///
/// // A failing call reports the kernel's number, here `EBADF` for a descriptor never opened.
/// // SAFETY: -1 is never a descriptor, so no file of anyone else's can be touched.
/// let err = unsafe { bsd_sys::fd::fcntl_getfd(-1) }.unwrap_err();
/// assert_eq!(err, Errno::BADF);
/// assert_eq!(err.raw(), bsd_sys::libc::EBADF);
/// assert_eq!(err.name(), Some("EBADF"));
/// assert_eq!(err.to_string(), "EBADF: bad file descriptor");
/// assert_eq!(format!("{err:?}"), "Errno(EBADF)");
///
/// // A number bsd-sys has no name for is kept as it is.
/// let odd = Errno::from_raw(9999);
/// assert_eq!((odd.name(), odd.to_string()), (None, "errno 9999".to_string()));
///
/// // std interop (the `std` feature): into `io::Error` for `?`, and back.
/// let io: std::io::Error = err.into();
/// assert_eq!(io.raw_os_error(), Some(bsd_sys::libc::EBADF));
/// assert_eq!(Errno::from_io_error(&io), Some(Errno::BADF));
/// ```
///
/// # References
/// - [OpenBSD errno(2)](https://man.openbsd.org/errno.2)
/// - [DragonFly errno(2)](https://man.dragonflybsd.org/?command=errno&section=2)
/// - [Linux errno(3)](https://man7.org/linux/man-pages/man3/errno.3.html)
#[doc(alias = "errno")]
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Errno(i32);

macro_rules! errnos {
    ($($name:ident = $c:ident, $msg:literal;)*) => {
        impl Errno {
            $(
                #[doc = concat!("`", stringify!($c), "`: ", $msg, ".")]
                pub const $name: Errno = Errno(libc::$c);
            )*
        }

        /// Name and message of every error number with an associated constant, in declaration
        /// order (aliases such as `EWOULDBLOCK` come after the name they alias).
        const TABLE: &[(i32, &str, &str)] = &[$((libc::$c, stringify!($c), $msg),)*];
    };
}

errnos! {
    PERM = EPERM, "operation not permitted";
    NOENT = ENOENT, "no such file or directory";
    SRCH = ESRCH, "no such process";
    INTR = EINTR, "interrupted system call";
    IO = EIO, "input/output error";
    NXIO = ENXIO, "device not configured";
    TOOBIG = E2BIG, "argument list too long";
    NOEXEC = ENOEXEC, "exec format error";
    BADF = EBADF, "bad file descriptor";
    CHILD = ECHILD, "no child processes";
    DEADLK = EDEADLK, "resource deadlock avoided";
    NOMEM = ENOMEM, "cannot allocate memory";
    ACCES = EACCES, "permission denied";
    FAULT = EFAULT, "bad address";
    BUSY = EBUSY, "device or resource busy";
    EXIST = EEXIST, "file exists";
    XDEV = EXDEV, "cross-device link";
    NODEV = ENODEV, "operation not supported by device";
    NOTDIR = ENOTDIR, "not a directory";
    ISDIR = EISDIR, "is a directory";
    INVAL = EINVAL, "invalid argument";
    NFILE = ENFILE, "too many open files in system";
    MFILE = EMFILE, "too many open files";
    NOTTY = ENOTTY, "inappropriate ioctl for device";
    TXTBSY = ETXTBSY, "text file busy";
    FBIG = EFBIG, "file too large";
    NOSPC = ENOSPC, "no space left on device";
    SPIPE = ESPIPE, "illegal seek";
    ROFS = EROFS, "read-only file system";
    MLINK = EMLINK, "too many links";
    PIPE = EPIPE, "broken pipe";
    DOM = EDOM, "numerical argument out of domain";
    RANGE = ERANGE, "result too large";
    AGAIN = EAGAIN, "resource temporarily unavailable";
    WOULDBLOCK = EWOULDBLOCK, "operation would block";
    INPROGRESS = EINPROGRESS, "operation now in progress";
    ALREADY = EALREADY, "operation already in progress";
    NOTSOCK = ENOTSOCK, "socket operation on non-socket";
    MSGSIZE = EMSGSIZE, "message too long";
    OPNOTSUPP = EOPNOTSUPP, "operation not supported";
    NOTSUP = ENOTSUP, "not supported";
    ADDRINUSE = EADDRINUSE, "address already in use";
    NOBUFS = ENOBUFS, "no buffer space available";
    CONNRESET = ECONNRESET, "connection reset by peer";
    CONNREFUSED = ECONNREFUSED, "connection refused";
    TIMEDOUT = ETIMEDOUT, "operation timed out";
    LOOP = ELOOP, "too many levels of symbolic links";
    NAMETOOLONG = ENAMETOOLONG, "file name too long";
    NOTEMPTY = ENOTEMPTY, "directory not empty";
    NOLCK = ENOLCK, "no locks available";
    NOSYS = ENOSYS, "function not implemented";
    OVERFLOW = EOVERFLOW, "value too large to be stored in data type";
    CANCELED = ECANCELED, "operation canceled";
    ILSEQ = EILSEQ, "illegal byte sequence";
}

impl Errno {
    /// Wraps a raw error number as the kernel reported it.
    #[must_use]
    pub const fn from_raw(raw: i32) -> Errno {
        Errno(raw)
    }

    /// The raw error number.
    #[must_use]
    pub const fn raw(self) -> i32 {
        self.0
    }

    /// The symbolic name (`"EINTR"`), when this OS defines one that bsd-sys knows.
    ///
    /// Where two names share a number on this OS (`EAGAIN`/`EWOULDBLOCK` everywhere,
    /// `EOPNOTSUPP`/`ENOTSUP` on DragonFly and Linux), the first of the list wins: `EAGAIN`,
    /// `EOPNOTSUPP`.
    #[must_use]
    pub fn name(self) -> Option<&'static str> {
        TABLE.iter().find(|e| e.0 == self.0).map(|e| e.1)
    }

    /// A short description (`"interrupted system call"`), when bsd-sys knows this number.
    #[must_use]
    pub fn message(self) -> Option<&'static str> {
        TABLE.iter().find(|e| e.0 == self.0).map(|e| e.2)
    }

    /// The error number inside `err`, if it came from the OS (`io::Error::raw_os_error`).
    ///
    /// `None` for an error std made itself (`io::ErrorKind::UnexpectedEof` from `read_exact`,
    /// a custom error).
    #[cfg(feature = "std")]
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    #[must_use]
    pub fn from_io_error(err: &std::io::Error) -> Option<Errno> {
        err.raw_os_error().map(Errno)
    }
}

impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "Errno({name})"),
            None => write!(f, "Errno({})", self.0),
        }
    }
}

impl fmt::Display for Errno {
    /// `EINTR: interrupted system call`, or `errno 1234` for a number bsd-sys does not know.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.name(), self.message()) {
            (Some(name), Some(msg)) => write!(f, "{name}: {msg}"),
            _ => write!(f, "errno {}", self.0),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Errno {}

#[cfg(feature = "std")]
impl From<Errno> for std::io::Error {
    fn from(errno: Errno) -> Self {
        std::io::Error::from_raw_os_error(errno.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_error() {
        extern crate std;
        use std::string::ToString;
        assert_eq!(Errno::INTR.to_string(), "EINTR: interrupted system call");
        assert_eq!(Errno::from_raw(9999).to_string(), "errno 9999");
        assert_eq!(Errno::AGAIN.name(), Some("EAGAIN"));
    }

    #[test]
    fn io_error_keeps_the_number() {
        extern crate std;
        let io: std::io::Error = Errno::NOENT.into();
        assert_eq!(io.raw_os_error(), Some(libc::ENOENT));
        assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
        assert_eq!(Errno::from_io_error(&io), Some(Errno::NOENT));
        let made = std::io::Error::from(std::io::ErrorKind::UnexpectedEof);
        assert_eq!(Errno::from_io_error(&made), None);
    }
}
