//! `SysctlError`: what went wrong, naming the sysctl involved.

use std::fmt;

use bsd_sys::Errno;

/// Why a sysctl lookup, read or write failed. Every variant names the sysctl (its dotted name,
/// or its MIB as `1.2.3` when it has no known name).
///
/// It converts into `std::io::Error` (the kernel's errno for [`SysctlError::Os`],
/// `InvalidInput` otherwise), so `?` works in functions returning `io::Result`.
///
/// # Examples
/// ```
/// use bsd_proc::sysctl::{Sysctl, SysctlError};
///
/// let err = Sysctl::from_name("kern.no_such_thing").unwrap_err();
/// match &err {
///     // OpenBSD and DragonFly: the kernel (or the table) has no such name.
///     SysctlError::UnknownName { component, .. } => assert_eq!(component, "no_such_thing"),
///     // The Linux host: no such /proc/sys file.
///     SysctlError::NotOnHost { name } => assert_eq!(name, "kern.no_such_thing"),
///     other => panic!("unexpected {other}"),
/// }
/// assert_eq!(err.errno(), None);
/// let io: std::io::Error = err.into();
/// assert_eq!(io.kind(), std::io::ErrorKind::InvalidInput);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SysctlError {
    /// `component` of `name` is not a known name at its level (nor a number).
    UnknownName {
        /// The whole name asked for.
        name: String,
        /// The first component that did not resolve.
        component: String,
    },
    /// The name is malformed: empty, an empty component, a path character, or too many
    /// components.
    InvalidName {
        /// The name asked for.
        name: String,
    },
    /// A MIB with no components or more than [`CTL_MAXNAME`](super::CTL_MAXNAME).
    InvalidMib {
        /// How many components it had.
        len: usize,
    },
    /// The kernel's value has another size than the type asked for.
    SizeMismatch {
        /// The sysctl.
        name: String,
        /// The size of the requested type.
        expected: usize,
        /// The size of the kernel's value.
        actual: usize,
    },
    /// A string value is not UTF-8 (use `read_bytes`).
    NotUtf8 {
        /// The sysctl.
        name: String,
    },
    /// A value the Linux host keeps as text is not a number of the requested type.
    NotANumber {
        /// The sysctl.
        name: String,
        /// The text read.
        text: String,
    },
    /// The name is valid on the BSDs but has no counterpart on this host (Linux).
    NotOnHost {
        /// The sysctl.
        name: String,
    },
    /// The kernel refused the call.
    Os {
        /// The sysctl.
        name: String,
        /// The kernel's error. No such MIB: `ENOENT` on DragonFly and Linux, `EOPNOTSUPP` on
        /// OpenBSD (the defaults of `sys_sysctl` and `sysctl_bounded_arr`,
        /// `sys/kern/kern_sysctl.c` rev 1.482); `EPERM`: not allowed; `EISDIR` (DragonFly's
        /// `sysctl_root`): the MIB names a node, not a value.
        errno: Errno,
    },
}

impl SysctlError {
    /// The kernel's error number, for [`SysctlError::Os`]; `None` for the other variants.
    ///
    /// # Examples
    /// ```
    /// use bsd_proc::{sysctl::SysctlError, Errno};
    ///
    /// let refused = SysctlError::Os { name: "kern.maxproc".into(), errno: Errno::PERM };
    /// assert_eq!(refused.errno(), Some(Errno::PERM));
    /// assert_eq!(SysctlError::InvalidMib { len: 0 }.errno(), None); // found before any call
    /// ```
    pub fn errno(&self) -> Option<Errno> {
        match self {
            SysctlError::Os { errno, .. } => Some(*errno),
            _ => None,
        }
    }
}

impl fmt::Display for SysctlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SysctlError::UnknownName { name, component } => {
                write!(f, "sysctl {name}: unknown component `{component}`")
            }
            SysctlError::InvalidName { name } => write!(f, "sysctl {name:?}: malformed name"),
            SysctlError::InvalidMib { len } => {
                write!(
                    f,
                    "sysctl MIB of {len} components (1 to {} allowed)",
                    super::CTL_MAXNAME
                )
            }
            SysctlError::SizeMismatch {
                name,
                expected,
                actual,
            } => write!(
                f,
                "sysctl {name}: the kernel's value is {actual} bytes, the requested type {expected}"
            ),
            SysctlError::NotUtf8 { name } => write!(f, "sysctl {name}: value is not UTF-8"),
            SysctlError::NotANumber { name, text } => {
                write!(
                    f,
                    "sysctl {name}: {text:?} is not a number of the requested type"
                )
            }
            SysctlError::NotOnHost { name } => {
                write!(f, "sysctl {name}: not available on this host")
            }
            SysctlError::Os { name, errno } => write!(f, "sysctl {name}: {errno}"),
        }
    }
}

impl std::error::Error for SysctlError {}

impl From<SysctlError> for std::io::Error {
    fn from(e: SysctlError) -> std::io::Error {
        match e.errno() {
            Some(errno) => errno.into(),
            None => std::io::Error::new(std::io::ErrorKind::InvalidInput, e),
        }
    }
}
