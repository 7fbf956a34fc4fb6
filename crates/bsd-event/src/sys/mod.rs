//! The backend behind [`Kqueue`](crate::Kqueue): the kernel's kqueue on the BSDs, an emulation
//! over epoll and helper descriptors on Linux. Both offer the same `Sys`/`EventBuf` surface.

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
mod bsd;
#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
pub(crate) use self::bsd::{EventBuf, Sys};

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub(crate) use self::linux::{EventBuf, Sys};
