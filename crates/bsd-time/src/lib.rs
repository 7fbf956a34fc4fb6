#![doc = include_str!("../README.md")]
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
