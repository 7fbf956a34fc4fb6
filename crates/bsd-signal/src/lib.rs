#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod action;
mod altstack;
mod kill;
mod mask;
mod set;
mod set_ops;
mod siginfo;
mod wait;

pub use action::{action, ignore, set_action, set_default_action, Handler, SaFlags, SigAction};
pub use altstack::AltStack;
pub use bsd_sys::{Errno, Pid, Result, Signal, ThreadId};
pub use kill::{kill, kill_thread, raise, raise_process};
pub use mask::{block, mask, pending, restore_mask, set_mask, unblock};
pub use set::SigSet;
pub use siginfo::SigInfo;
#[cfg(not(target_os = "openbsd"))]
pub use wait::timed_wait;
pub use wait::{kill_group, suspend, wait};
