//! The raw backend: direct system calls, no libc in the path.
//!
//! DragonFly's default (as Go's runtime does it); on Linux an opt-in, so the same `asm!`
//! machinery is exercised by the test suite on the host. Never compiled for OpenBSD.
//!
//! `arch` holds the only `asm!` in the crate; `nr` the syscall numbers per OS.

pub(crate) mod arch;
pub(crate) mod nr;

pub(crate) mod event;
pub(crate) mod fd;
pub(crate) mod fd_ext;
pub(crate) mod mem;
pub(crate) mod process;
pub(crate) mod random;
pub(crate) mod signal;
pub(crate) mod signal_wait;
#[cfg(target_os = "dragonfly")]
pub(crate) mod sysctl;
pub(crate) mod thread;
pub(crate) mod time;
pub(crate) mod time_sleep;
#[cfg(target_os = "linux")]
mod vdso;
#[cfg(target_os = "dragonfly")]
mod kpmap;
