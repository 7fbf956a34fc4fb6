//! An alternate signal stack is never replaced or freed while a handler runs on it.
//!
//! DragonFly's kernel lets a different stack be installed while the thread runs on the current
//! one (`kern_sigaltstack` in `sys/kern/kern_sig.c` refuses only disabling), so bsd-signal
//! checks `SS_ONSTACK` itself; these tests hold on every OS. Every test holds `LOCK`.

// The `INSTALLED` initializer is `const` already; clippy misreports it on targets without
// native thread-local support (x86_64-unknown-openbsd).
#![allow(clippy::missing_const_for_thread_local)]

use std::cell::RefCell;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering::SeqCst};

use bsd_signal::{raise, set_action, AltStack, SaFlags, SigAction, SigInfo, Signal};
use bsd_sys::libc;

mod common;
use common::{handlers_deferred_by_sanitizer, lock};

/// The errno `AltStack::new` gave inside the handler (0: it succeeded).
static NEW_RESULT: AtomicI32 = AtomicI32::new(-1);
/// Where the handler ran.
static HANDLER_SP: AtomicUsize = AtomicUsize::new(0);

std::thread_local! {
    static INSTALLED: RefCell<Option<AltStack>> = const { RefCell::new(None) };
}

fn note_sp() {
    let marker = 0u8;
    HANDLER_SP.store(std::hint::black_box(&marker) as *const u8 as usize, SeqCst);
}

/// Tries to install a second stack while running on the first.
fn try_nested(_: &SigInfo) {
    note_sp();
    let result = AltStack::new(AltStack::min_size());
    NEW_RESULT.store(result.err().map_or(0, |e| e.raw()), SeqCst);
}

/// Drops the stack it is running on.
fn drop_running(_: &SigInfo) {
    note_sp();
    INSTALLED.with(|slot| drop(slot.borrow_mut().take()));
}

fn run_on_alt_stack(handler: fn(&SigInfo)) -> std::ops::Range<usize> {
    let action = SigAction::handler(handler).with_flags(SaFlags::ONSTACK);
    // SAFETY: the handlers run synchronously inside `raise` on this thread; they touch
    // atomics, a thread-local and (in `try_nested`) map memory, which is fine outside an
    // asynchronous signal.
    let previous = unsafe { set_action(Signal::USR1, &action) }.unwrap();
    let range = std::thread::spawn(|| {
        // Roomy: the handlers do real work (thread-locals, mapping memory), which an
        // instrumented build (the sanitizer runs) needs far more stack for.
        let alt = AltStack::new(256 * 1024).unwrap();
        let range = alt.range();
        INSTALLED.with(|slot| *slot.borrow_mut() = Some(alt));
        raise(Signal::USR1).unwrap();
        assert!(
            range.contains(&HANDLER_SP.load(SeqCst)),
            "ran on the alternate stack"
        );
        // The thread goes on normally after the handler returned.
        INSTALLED.with(|slot| drop(slot.borrow_mut().take()));
        range
    })
    .join()
    .unwrap();
    // SAFETY: restoring the action read back from the kernel.
    unsafe { set_action(Signal::USR1, &previous) }.unwrap();
    range
}

#[test]
fn a_new_stack_is_refused_while_running_on_the_alternate_stack() {
    if handlers_deferred_by_sanitizer() {
        return;
    }
    let _g = lock();
    NEW_RESULT.store(-1, SeqCst);
    run_on_alt_stack(try_nested);
    assert_eq!(NEW_RESULT.load(SeqCst), libc::EPERM);
}

#[test]
fn dropping_the_running_stack_leaks_it_instead_of_unmapping() {
    if handlers_deferred_by_sanitizer() {
        return;
    }
    let _g = lock();
    let range = run_on_alt_stack(drop_running);
    // Still mapped: msync fails with ENOMEM on unmapped memory.
    let page = bsd_mem::page_size();
    let start = range.start / page * page;
    // SAFETY: MS_ASYNC on anonymous memory writes nothing and changes no contents.
    let mapped = unsafe { bsd_sys::mem::msync(start as *mut _, range.end - start, libc::MS_ASYNC) };
    assert_eq!(mapped, Ok(()), "the stack the handler ran on was unmapped");
}
