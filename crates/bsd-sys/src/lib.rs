//! The one unsafe core of bsd-rs: system calls for OpenBSD and DragonFly BSD, and a Linux host.
//!
//! `bsd-sys` is organised by concern ([`time`], [`fd`], [`mem`], [`signal`], [`thread`],
//! [`event`], [`random`], [`process`], `sysctl` on the BSDs, `pthread` with `std`); under each
//! concern a *backend* decides how the call reaches the kernel:
//!
//! | OS | default backend | selectable | why |
//! |---|---|---|---|
//! | OpenBSD (x86_64, aarch64) | `libc` | — | pinsyscalls(2): a `syscall` instruction outside libc.so is killed with SIGABRT |
//! | DragonFly BSD (x86_64) | `raw` | `libc` | direct syscalls, carry-flag errors, as Go's runtime does |
//! | Linux (x86_64, aarch64) | `libc` | `raw` | the host where both backends are tested for real |
//!
//! The backend is chosen at build time with `RUSTFLAGS='--cfg bsd_sys_backend="raw"'` (or
//! `"libc"`); [`BACKEND`] names the active one. Errors are [`Errno`] values; nothing in this crate
//! panics on kernel input.
//!
//! Structures come from the [`libc`] crate (re-exported here); items `libc` lacks are defined in
//! this crate next to the header they come from, and every layout this crate relies on is asserted
//! at compile time (see the crate README for the list of items to upstream).
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "std")]
extern crate std;

pub use libc;

mod backend;
mod errno;
mod layout;
mod types;

pub mod event;
pub mod fd;
pub mod mem;
pub mod process;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub mod pthread;
pub mod random;
pub mod signal;
#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
#[cfg_attr(docsrs, doc(cfg(any(target_os = "openbsd", target_os = "dragonfly"))))]
pub mod sysctl;
pub mod thread;
pub mod time;

pub use errno::Errno;
pub use types::pid::Pid;
pub use types::signal::Signal;
pub use types::thread_id::ThreadId;
pub use types::timespec::Timespec;

/// The result of every fallible call in bsd-rs: the value, or the kernel's [`Errno`].
pub type Result<T> = core::result::Result<T, Errno>;

/// The name of the backend this build uses: `"libc"` or `"raw"`.
///
/// Chosen once, at build time, by the `bsd_sys_backend` cfg and the target OS (see the crate docs).
pub const BACKEND: &str = backend::NAME;

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
