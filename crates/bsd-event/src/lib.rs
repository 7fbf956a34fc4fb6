#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod consts;
mod error;
mod event;
mod filter;
mod flags;
mod kqueue;
mod sys;
mod waker;

pub use error::{DecodeError, Error};
pub use event::{Event, EventKind, ExitStatus};
pub use filter::{Change, Filter};
pub use flags::{EvFlags, ProcNotes, UserFflags, VnodeNotes};
pub use kqueue::{Events, Kqueue};
pub use waker::Waker;

pub use bsd_sys::{Errno, Pid, Result, Signal};
