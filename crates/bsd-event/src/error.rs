//! `Error`: why one change was refused.

use std::fmt;

use bsd_sys::Errno;

/// Why a change (or a [`Waker`](crate::Waker)) could not be applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
