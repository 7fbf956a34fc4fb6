#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod process;
pub mod random;
pub mod sysctl;

pub use bsd_sys::{Errno, Result};
