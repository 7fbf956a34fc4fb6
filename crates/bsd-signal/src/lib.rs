//! Signals for OpenBSD and DragonFly BSD: sets, thread masks, handlers on alternate stacks and
//! thread-directed kill.
//!
//! - [`Signal`] (each OS's numbers, names through `Display`/`FromStr`) and [`SigSet`] with set
//!   operations (union, intersection, difference, complement, operators, iteration).
//! - Waiting: [`wait`] (sigwait), `timed_wait` (sigtimedwait; not on OpenBSD), [`suspend`]
//!   (sigsuspend); [`kill_group`] (killpg).
//! - The calling thread's mask: [`block`], [`unblock`], [`set_mask`] (each returns the previous
//!   mask), [`mask`], [`pending`].
//! - Actions: [`ignore`] and [`default`] are safe; [`set_action`] with a Rust
//!   `fn(&SigInfo)` handler is `unsafe` (the handler must be async-signal-safe). Every install
//!   returns the previous [`SigAction`] so it can be restored.
//! - [`AltStack`]: a per-thread alternate signal stack, restored on drop.
//! - Sending: [`raise`] (calling thread), [`raise_process`], [`kill`], [`kill_thread`]
//!   (`thrkill` / `lwp_kill` / `tgkill`).
//!
//! Process-wide state (actions) and per-thread state (mask, alternate stack) are what the
//! kernel keeps; this crate adds only a table of Rust handlers behind one `extern "C"`
//! trampoline (see [`set_action`]).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod action;
mod altstack;
mod kill;
mod mask;
mod set;
mod set_ops;
mod wait;

pub use action::{action, default, ignore, set_action, Handler, SaFlags, SigAction, SigInfo};
pub use altstack::AltStack;
pub use bsd_sys::{Errno, Pid, Result, Signal, ThreadId};
pub use kill::{kill, kill_thread, raise, raise_process};
pub use mask::{block, mask, pending, restore_mask, set_mask, unblock};
pub use set::SigSet;
#[cfg(not(target_os = "openbsd"))]
pub use wait::timed_wait;
pub use wait::{kill_group, suspend, wait};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
