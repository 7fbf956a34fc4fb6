//! File descriptors with I/O safety for OpenBSD and DragonFly BSD (and a Linux host).
//!
//! Free functions over the standard library's descriptor types: they borrow with
//! [`AsFd`](std::os::fd::AsFd) and hand back [`OwnedFd`](std::os::fd::OwnedFd), so a descriptor is
//! closed exactly once, by its owner.
//!
//! - Opening: [`open`], [`openat`] with [`OFlags`] and [`Mode`]. **Close-on-exec is on by
//!   default**; [`set_cloexec`]`(&fd, false)` is the explicit way out.
//! - I/O: [`read()`], [`write()`], positional [`pread`]/[`pwrite`], vectored [`readv`]/[`writev`] and
//!   [`preadv`]/[`pwritev`].
//! - Pipes: [`pipe`] with [`PipeFlags`].
//! - Flags read back from the kernel: [`cloexec`]/[`set_cloexec`], [`status_flags`]/
//!   [`set_status_flags`]/[`set_nonblocking`].
//! - [`dup_min_cloexec`], [`bytes_readable`] (`FIONREAD`), [`is_terminal`], and an explicit
//!   [`close`] for callers that must see close errors.
//!
//! Errors are [`Errno`] values; a path with an interior NUL byte is `Errno::INVAL`, never a
//! panic.
//!
//! # EINTR
//! Each function documents what it does with `EINTR`: [`open`]/[`openat`] retry (nothing was
//! opened); reads and writes hand `Errno::INTR` back (nothing was transferred); [`close`] never
//! retries; the rest cannot block.
//!
//! ```
//! use bsd_fd::{PipeFlags, pipe, read, write};
//!
//! let (rx, tx) = pipe(PipeFlags::CLOEXEC).unwrap();
//! assert_eq!(write(&tx, b"ping").unwrap(), 4);
//! let mut buf = [0u8; 4];
//! assert_eq!(read(&rx, &mut buf).unwrap(), 4);
//! assert_eq!(&buf, b"ping");
//! assert!(bsd_fd::cloexec(&rx).unwrap());
//! ```

mod close;
mod control;
mod flags;
mod io;
mod open;
mod path;
mod pipe;
mod query;

pub use bsd_sys::{Errno, Result};
pub use close::close;
pub use control::{
    cloexec, dup_min_cloexec, set_cloexec, set_nonblocking, set_status_flags, status_flags,
};
pub use flags::{Mode, OFlags, PipeFlags};
pub use io::{pread, preadv, pwrite, pwritev, read, readv, write, writev};
pub use open::{open, openat};
pub use pipe::pipe;
pub use query::{bytes_readable, is_terminal};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
