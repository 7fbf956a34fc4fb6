//! Threads on OpenBSD and DragonFly BSD (and a Linux host): kernel thread ids, futex-style
//! wait/wake, yield, CPU count, thread names, and a thread builder for runtimes.
//!
//! - [`ThreadId::current`]: the kernel's id of the calling thread (`getthrid`, `lwp_gettid`,
//!   `gettid`), the id thread-directed signals take.
//! - [`futex::wait`], [`futex::wake_one`], [`futex::wake_all`]: sleep on an `AtomicU32` until
//!   another thread changes it and wakes you, over OpenBSD futex(2), DragonFly umtx(2) and Linux
//!   futex(2), with each OS's units, caps and error numbers handled.
//! - [`yield_now`] and [`cpu_count`].
//! - [`set_current_name`] and [`current_name`], with each OS's length limit as an error rather
//!   than a silent truncation.
//!
//! ```
//! use std::sync::atomic::{AtomicU32, Ordering};
//! use std::sync::Arc;
//! use bsd_thread::futex::{self, WaitResult};
//!
//! let flag = Arc::new(AtomicU32::new(0));
//! let setter = {
//!     let flag = Arc::clone(&flag);
//!     std::thread::spawn(move || {
//!         flag.store(1, Ordering::Release);
//!         futex::wake_all(&flag);
//!     })
//! };
//! while flag.load(Ordering::Acquire) == 0 {
//!     // Woken, ValueChanged or a spurious return: the loop re-checks the word.
//!     let _: WaitResult = futex::wait(&flag, 0, None);
//! }
//! setter.join().unwrap();
//! println!("{} CPUs, thread {}", bsd_thread::cpu_count().unwrap(), bsd_thread::ThreadId::current());
//! ```
//!
//! # Starting threads
//! [`Builder`] starts a thread through `pthread_create` with an optional name, an optional
//! caller-provided [`bsd_mem::Stack`], and every signal blocked until the new thread has
//! installed its own mask (Go's `newosproc` pattern); its [`JoinHandle`] gives the kernel
//! [`ThreadId`] without a channel and joins like `std`'s. [`set_name_of`] names another thread
//! by its id. The raw calls (`__tfork` and `__threxit` on OpenBSD, `lwp_create` and `extexit`
//! on DragonFly, `clone` on Linux) are not offered: a thread the C library did not create has
//! no thread control block, no TLS and no `errno` of its own, so any libc call from it —
//! including the allocator — is undefined behaviour; on OpenBSD the syscalls cannot even be
//! issued outside libc (pinsyscalls(2)).
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod futex;
mod name;
mod sched;
mod spawn;

pub use bsd_sys::{Errno, Result, ThreadId};
pub use name::{current_name, set_current_name, MAX_NAME_LEN};
pub use sched::{cpu_count, yield_now};
pub use spawn::{set_name_of, Builder, JoinError, JoinHandle};
