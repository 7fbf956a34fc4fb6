//! Helpers shared by bsd-signal's test files (each test binary gets its own copy).
#![allow(dead_code)]

use std::sync::{Mutex, MutexGuard};

/// Serialises the tests of one binary that change process-global signal state.
static LOCK: Mutex<()> = Mutex::new(());

/// Takes [`LOCK`], also after a test that held it panicked.
pub fn lock() -> MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether to skip: this is a ThreadSanitizer run with `backend`; says so, and why.
pub fn skip_under_thread_sanitizer(backend: &str, why: &str) -> bool {
    let skip =
        std::env::var("BSD_RS_SANITIZER").as_deref() == Ok("thread") && bsd_sys::BACKEND == backend;
    if skip {
        println!("skipped under the thread sanitizer: {why}");
    }
    skip
}

/// Whether to skip: ThreadSanitizer's runtime takes over `sigaction` (libc backend) and runs a
/// handler later, from its own interceptors and on the thread's normal stack, not at delivery
/// on the alternate stack, so where and when a handler ran cannot be checked under it.
pub fn handlers_deferred_by_sanitizer() -> bool {
    skip_under_thread_sanitizer("libc", "it defers signal handlers")
}

/// Whether to skip a test whose signal may land inside ThreadSanitizer's runtime: with the raw
/// backend the kernel runs a handler directly, without the runtime's wrapper, so a signal that
/// arrives while a thread is inside the runtime (holding its slot lock) re-enters it from the
/// handler's instrumented atomics. Seen here: a process-directed signal that landed on the test
/// harness's main thread deadlocked it (`SlotLock` under `bsd_signal::action::trampoline`), and
/// a storm of 100,000 signals failed the runtime's `CHECK ... thr->slot`. A thread-directed
/// signal to a thread that waits for it is safe enough to run.
pub fn signal_may_enter_sanitizer_runtime() -> bool {
    skip_under_thread_sanitizer("raw", "with the raw backend, the handler could re-enter it")
}
