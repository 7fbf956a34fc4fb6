//! Vocabulary types shared by the safe crates, so they stay independent of each other.

pub(crate) mod pid;
pub(crate) mod signal;
pub(crate) mod thread_id;
pub(crate) mod timespec;
