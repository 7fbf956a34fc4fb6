//! Memory mappings for OpenBSD and DragonFly BSD: owned mappings, protections, advice and
//! `MAP_STACK` stacks.
//!
//! - [`Mapping`]: an owned mapping (anonymous private or shared, or file-backed), unmapped
//!   on drop, with byte slices only when its protection allows them; [`protect`],
//!   [`advise`], locking, [`flush`] and fork inheritance.
//! - [`Reservation`]: `PROT_NONE` address space, optionally at an address hint, committed
//!   and decommitted in place with `MAP_FIXED` (reserve, then commit); [`Mapping::sync_range`]
//!   (`msync` with [`SyncFlags`]).
//! - [`Stack`]: `MAP_STACK` memory with a guard page below, for thread and signal stacks
//!   (OpenBSD raises `SIGSEGV` in a thread whose stack pointer leaves `MAP_STACK` memory).
//! - [`Protection`], [`MapFlags`], [`Advice`], [`Inherit`]: the kernel's values, per OS.
//! - [`page_size`]: the page size, cached.
//!
//! Built on [`bsd_sys::mem`]; errors are [`bsd_sys::Errno`] values.
//!
//! [`protect`]: Mapping::protect
//! [`advise`]: Mapping::advise
//! [`flush`]: Mapping::flush
#![cfg_attr(docsrs, feature(doc_cfg))]

mod advice;
mod flags;
mod mapping;
mod msync;
mod page;
mod reserve;
mod stack;

pub use advice::{Advice, Inherit};
pub use bsd_sys::Errno;
pub use flags::{MapFlags, Protection};
pub use mapping::Mapping;
pub use msync::SyncFlags;
pub use page::page_size;
pub use reserve::Reservation;
pub use stack::Stack;

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
