//! The event concern: kqueue(2) on the BSDs; on a Linux host, the epoll family that bsd-event
//! builds the same kqueue API on (epoll, timerfd, signalfd, eventfd, pidfd, inotify).
//!
//! # Raw descriptors and I/O safety
//! `core` has no `OwnedFd`, so this face speaks in [`RawFd`]. Calls that only *create* a
//! descriptor are safe (the caller owns what it gets back); calls that *take* a descriptor are
//! `unsafe fn`s, because the caller must own or borrow it for the duration of the call.
//!
//! # EINTR
//! Nothing here retries: an interrupted wait returns `Err(Errno::INTR)` and the caller decides
//! (bsd-event hands it back from `Kqueue::wait`).

use core::ffi::c_int;

/// A raw file descriptor number (`int`), as `std::os::fd::RawFd`.
///
/// # Examples
/// ```
/// use bsd_sys::{event::RawFd, fd, libc};
///
/// let [r, w]: [RawFd; 2] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: both ends were just created and are owned here.
/// unsafe {
///     assert_eq!(fd::write(w, b"k")?, 1);
///     let mut byte = [0u8; 1];
///     assert_eq!(fd::read(r, &mut byte)?, 1);
///     assert_eq!(&byte, b"k");
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
pub type RawFd = c_int;

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
mod kqueue;
#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
pub use self::kqueue::*;

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub use self::linux::*;
