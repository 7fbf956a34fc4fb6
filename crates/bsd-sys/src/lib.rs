#![doc = include_str!("../README.md")]
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
///
/// # Examples
/// ```
/// fn page() -> bsd_sys::Result<usize> {
///     let size = bsd_sys::mem::page_size()?;
///     Ok(size)
/// }
/// assert!(page().unwrap().is_power_of_two());
/// ```
pub type Result<T> = core::result::Result<T, Errno>;

/// The name of the backend this build uses: `"libc"` or `"raw"`.
///
/// Chosen once, at build time, by the `bsd_sys_backend` cfg and the target OS (see the crate docs).
///
/// # Examples
/// ```
/// assert!(bsd_sys::BACKEND == "libc" || bsd_sys::BACKEND == "raw");
/// if cfg!(target_os = "openbsd") {
///     assert_eq!(bsd_sys::BACKEND, "libc"); // the only legal path there
/// }
/// ```
pub const BACKEND: &str = backend::NAME;
