//! The process and the kernel it runs on, for OpenBSD and DragonFly BSD (and a Linux host):
//! sysctl by MIB or by name, random bytes, the auxiliary vector, `issetugid`, and exit.
//!
//! - [`sysctl::Sysctl`]: read and write kernel state, typed (integers, strings, bytes, or a
//!   `#[repr(C)]` type you name), by MIB or dotted name, including on OpenBSD, whose kernel has
//!   no name lookup (this crate carries OpenBSD's `CTL_NAMES` tables).
//! - [`random::fill`]: any amount of kernel randomness (`getentropy`, `getrandom`), never short.
//! - [`process::issetugid`], [`process::aux_value`], [`process::exit`] and
//!   [`process::exit_now`] (`_exit`, for after `fork`).
//!
//! Built on [`bsd_sys`]; errors are [`Errno`] values, except sysctl's [`SysctlError`], which
//! names the sysctl and, for an unknown name, the component that did not resolve.
//!
//! ```
//! use bsd_proc::sysctl::Sysctl;
//!
//! let os = Sysctl::from_name("kern.ostype")?.read_string()?;
//! let mut seed = [0u8; 16];
//! bsd_proc::random::fill(&mut seed)?;
//! println!("{os}, secure mode: {}", bsd_proc::process::issetugid());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`SysctlError`]: sysctl::SysctlError
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod process;
pub mod random;
pub mod sysctl;

pub use bsd_sys::{Errno, Result};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
