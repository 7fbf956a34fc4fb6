//! Threads on OpenBSD and DragonFly BSD: kernel thread ids, futex-style wait/wake, yield, CPU count, names.
//!
//! **Skeleton.** This crate will hold: Threads: `ThreadId::current()`, `futex::{wait, wake_one, wake_all}` over OpenBSD futex(2), DragonFly umtx(2) and Linux futex(2), `yield_now`, `cpu_count`, thread names.
//! Until then it exports nothing.
