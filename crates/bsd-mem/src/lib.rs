#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod advice;
mod flags;
mod inherit;
mod lock;
mod mapping;
mod msync;
mod page;
mod reserve;
mod stack;

pub use advice::{Advice, Inherit};
pub use bsd_sys::{Errno, Result};
pub use flags::{MapFlags, Protection};
pub use mapping::Mapping;
pub use msync::SyncFlags;
pub use page::page_size;
pub use reserve::Reservation;
pub use stack::Stack;
