//! The backend behind [`Kqueue`](crate::Kqueue): the kernel's kqueue on the BSDs, an emulation
//! over epoll and helper descriptors on Linux. Both offer the same `Sys`/`EventBuf` surface,
//! plus `event_data`/`is_deferred` for the `data` of an [`Event`](crate::Event).

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
mod bsd;
#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
pub(crate) use self::bsd::{event_data, is_deferred, EventBuf, Sys};

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub(crate) use self::linux::{event_data, is_deferred, EventBuf, Sys};
