#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod futex;
mod name;
mod sched;
mod spawn;

pub use bsd_sys::{Errno, Result, ThreadId};
pub use name::{current_name, set_current_name, set_name_of, MAX_NAME_LEN};
pub use sched::{cpu_count, yield_now};
pub use spawn::{Builder, JoinError, JoinHandle};
