//! Signals for OpenBSD and DragonFly BSD: sets, thread masks, handlers on alternate stacks, thread-directed kill.
//!
//! **Skeleton.** This crate will hold: Signals: `Signal` names, `SigSet`, thread masks, `SigAction` with typed flags and siginfo, `AltStack`, `raise`, `raise_process`, `kill`, `kill_thread`.
//! Until then it exports nothing.
