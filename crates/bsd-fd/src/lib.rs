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
//! - [`dup_min_cloexec`], [`dup2`]/[`dup3`] onto an owned descriptor, [`bytes_readable`]
//!   (`FIONREAD`), [`is_terminal`], and an explicit [`close`] for callers that must see close
//!   errors; the `unsafe` [`closefrom`].
//! - Files: [`seek`]/[`tell`] (`lseek`), [`fstat`] (a typed [`Stat`] with the per-OS fields),
//!   [`fsync`], [`fdatasync`], [`ftruncate`].
//! - Readiness: [`poll`] over borrowed descriptors ([`PollFd`], [`PollFlags`]).
//! - Close-on-fork (OpenBSD 7.8): [`OFlags::clofork`], [`PipeFlags::clofork`],
//!   [`DupFlags::clofork`], [`clofork`]/[`set_clofork`], [`dup_min_clofork`]; `Errno::NOTSUP`
//!   elsewhere ([`CLOFORK_SUPPORTED`]).
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
#![cfg_attr(docsrs, feature(doc_cfg))]

mod clofork;
mod close;
mod closefrom;
mod control;
mod dup;
mod flags;
mod io;
mod open;
mod path;
mod pipe;
mod poll;
mod query;
mod seek;
mod stat;
mod sync;

pub use bsd_sys::{Errno, Result};
pub use clofork::{clofork, dup_min_clofork, set_clofork, CLOFORK_SUPPORTED};
pub use close::close;
pub use closefrom::closefrom;
pub use control::{
    cloexec, dup_min_cloexec, set_cloexec, set_nonblocking, set_status_flags, status_flags,
};
pub use dup::{dup2, dup3, DupFlags};
pub use flags::{Mode, OFlags, PipeFlags};
pub use io::{pread, preadv, pwrite, pwritev, read, readv, write, writev};
pub use open::{open, openat};
pub use pipe::pipe;
pub use poll::{poll, PollFd, PollFlags};
pub use query::{bytes_readable, is_terminal};
pub use seek::{seek, tell};
pub use stat::{fstat, FileType, Stat};
pub use sync::{fdatasync, fsync, ftruncate};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
