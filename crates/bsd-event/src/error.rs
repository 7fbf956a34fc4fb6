//! `Error`: why one change was refused.

use std::fmt;

use bsd_sys::Errno;

/// Why a change (or a [`Waker`](crate::Waker)) could not be applied.
///
/// Converts into [`std::io::Error`] (`Os` keeps its error number; `Unsupported` is
/// [`ErrorKind::Unsupported`](std::io::ErrorKind::Unsupported), `Invalid` is
/// [`ErrorKind::InvalidInput`](std::io::ErrorKind::InvalidInput)), and compares equal to the
/// [`Errno`] it carries. New variants may be added: match with a wildcard arm.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use bsd_event::{Change, Errno, Error, Filter, Kqueue};
///
/// let kq = Kqueue::new()?;
/// // Deleting what was never registered: the kernel's ENOENT.
/// let err = kq.register(Change::delete(Filter::user(1))).unwrap_err();
/// assert_eq!(err, Error::Os(Errno::NOENT));
/// assert_eq!(err.errno(), Some(Errno::NOENT));
/// // A zero timer period is refused before any system call.
/// let zero = Change::add(Filter::Timer { id: 1, period: Duration::ZERO }, 0);
/// let err = kq.register(zero).unwrap_err();
/// assert!(matches!(err, Error::Invalid(_)));
/// let io: std::io::Error = err.into();
/// assert_eq!(io.kind(), std::io::ErrorKind::InvalidInput);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2) (ERRORS)
/// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// The kernel refused it with this error number.
    Os(Errno),
    /// This OS (or this release of it) has no such filter or note.
    Unsupported {
        /// The filter or note concerned (`"EVFILT_USER"`, `"NOTE_FORK"`, ...).
        what: &'static str,
        /// What is missing and where it exists.
        reason: &'static str,
    },
    /// The change itself is invalid (a zero timer period, a period too long to express, ...).
    Invalid(&'static str),
}

impl Error {
    /// The kernel error number, if this is [`Error::Os`].
    ///
    /// # Examples
    /// ```
    /// use std::os::fd::AsRawFd;
    /// use std::os::unix::net::UnixStream;
    /// use std::time::Duration;
    /// use bsd_event::{Change, Errno, Filter, Kqueue};
    ///
    /// let kq = Kqueue::new()?;
    /// let closed = UnixStream::pair()?.0.as_raw_fd(); // both ends are closed again here
    /// let err = kq.register(Change::add(Filter::Read(closed), 0)).unwrap_err();
    /// assert_eq!(err.errno(), Some(Errno::BADF));
    /// // Refused before any system call: no error number.
    /// let zero = Change::add(Filter::Timer { id: 1, period: Duration::ZERO }, 0);
    /// assert_eq!(kq.register(zero).unwrap_err().errno(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn errno(&self) -> Option<Errno> {
        match self {
            Error::Os(e) => Some(*e),
            _ => None,
        }
    }
}

impl From<Errno> for Error {
    fn from(e: Errno) -> Error {
        Error::Os(e)
    }
}

impl PartialEq<Errno> for Error {
    fn eq(&self, other: &Errno) -> bool {
        self.errno() == Some(*other)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Os(e) => fmt::Display::fmt(e, f),
            Error::Unsupported { what, reason } => {
                write!(f, "{what} is not supported here: {reason}")
            }
            Error::Invalid(why) => write!(f, "invalid change: {why}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> std::io::Error {
        match e {
            Error::Os(errno) => std::io::Error::from_raw_os_error(errno.raw()),
            Error::Unsupported { .. } => std::io::Error::new(std::io::ErrorKind::Unsupported, e),
            Error::Invalid(_) => std::io::Error::new(std::io::ErrorKind::InvalidInput, e),
        }
    }
}

/// Why an [`Event`](crate::Event) could not be decoded into an [`EventKind`](crate::EventKind).
///
/// The kernel handed back something this crate does not know (a newer filter, an out-of-range
/// signal number): never guessed at. Converts into [`std::io::Error`] with
/// [`ErrorKind::InvalidData`](std::io::ErrorKind::InvalidData), so `ev.kind()?` works in a
/// function returning `io::Result`. New variants may be added: match with a wildcard arm.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use bsd_event::{Change, DecodeError, Events, Filter, Kqueue};
///
/// fn first_kind(kq: &Kqueue) -> std::io::Result<bsd_event::EventKind> {
///     let mut events = Events::with_capacity(4);
///     kq.wait(&mut events, Some(Duration::from_secs(5)))?;
///     let ev = events.iter().next().ok_or(std::io::ErrorKind::TimedOut)?;
///     Ok(ev.kind()?) // a DecodeError becomes io::ErrorKind::InvalidData
/// }
///
/// let kq = Kqueue::new()?;
/// let once = Change::add(Filter::Timer { id: 3, period: Duration::from_millis(1) }, 0);
/// kq.register(once)?;
/// assert!(matches!(first_kind(&kq)?, bsd_event::EventKind::Timer { id: 3, .. }));
///
/// let err = std::io::Error::from(DecodeError::UnknownFilter(-77));
/// assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecodeError {
    /// The kernel reported a filter number this crate does not know.
    UnknownFilter(i16),
    /// A field held a value out of range for its filter (e.g. a signal number).
    BadValue {
        /// The filter number.
        filter: i16,
        /// The field.
        field: &'static str,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::UnknownFilter(n) => write!(f, "unknown kqueue filter {n}"),
            DecodeError::BadValue { filter, field } => {
                write!(f, "filter {filter}: {field} out of range")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

impl From<DecodeError> for std::io::Error {
    fn from(e: DecodeError) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::InvalidData, e)
    }
}
