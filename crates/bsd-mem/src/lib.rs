//! Memory mappings for OpenBSD and DragonFly BSD: owned mappings, protections, advice and
//! `MAP_STACK` stacks.
//!
//! - [`Stack`]: `MAP_STACK` memory with a guard page below, for thread and signal stacks
//!   (OpenBSD kills a thread whose stack pointer leaves `MAP_STACK` memory).
//! - [`page_size`]: the page size, cached.
//!
//! Built on [`bsd_sys::mem`]; errors are [`bsd_sys::Errno`] values.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod page;
mod stack;

pub use page::page_size;
pub use stack::Stack;
