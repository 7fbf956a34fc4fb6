#![doc = include_str!("../README.md")]
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
