//! Clocks, sleep and interval timers for OpenBSD and DragonFly BSD (and a Linux host).
//!
//! - [`Clock`] names every clock each OS has (the ids differ per OS; clocks an OS lacks are not
//!   compiled for it), read with [`now`] and [`resolution`].
//! - [`monotonic_nanos`] and [`wall_time`] are the two reads a runtime makes all the time (Go's
//!   `nanotime` and `walltime`).
//! - [`sleep`] sleeps at least the requested time, resuming after signal interruptions;
//!   [`sleep_until`] sleeps to an absolute deadline on a chosen clock (`clock_nanosleep` with
//!   `TIMER_ABSTIME`, emulated on OpenBSD, which has none).
//! - [`IntervalTimer`] arms `ITIMER_REAL`, `ITIMER_VIRTUAL` and `ITIMER_PROF`.
//!
//! All conversions are checked: out-of-range input is an [`Errno`] (or a documented clamp), never
//! a panic or a wrap.
//!
//! ```
//! use std::time::Duration;
//!
//! let start = bsd_time::monotonic_nanos();
//! bsd_time::sleep(Duration::from_millis(2)).unwrap();
//! assert!(bsd_time::monotonic_nanos() - start >= 2_000_000);
//!
//! let res = bsd_time::resolution(bsd_time::Clock::Monotonic).unwrap();
//! println!("monotonic clock ticks every {} ns", res.as_nanos());
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod clock;
mod itimer;
mod sleep;
mod until;

pub use bsd_sys::{Errno, Result, Timespec};
pub use clock::{monotonic_nanos, now, resolution, wall_time, Clock};
pub use itimer::{IntervalTimer, TimerSetting};
pub use sleep::sleep;
pub use until::sleep_until;

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
