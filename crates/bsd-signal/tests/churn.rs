//! Stress: a storm of thread-directed signals handled on alternate stacks while the threads
//! that receive them start and stop. Scaled by `BSD_RS_STRESS` (default 1; `cargo xtask
//! stress --count N` sets it). Its own test binary: it changes a signal disposition.

// The `ALT` initializer is `const` already; clippy misreports it on targets without native
// thread-local support (x86_64-unknown-openbsd).
#![allow(clippy::missing_const_for_thread_local)]

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bsd_signal::{block, kill_thread, set_action, AltStack, SaFlags, SigAction, SigInfo, SigSet};
use bsd_signal::{Errno, Signal, ThreadId};

mod common;
use common::handlers_deferred_by_sanitizer;

fn stress_factor() -> usize {
    std::env::var("BSD_RS_STRESS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1usize)
        .max(1)
}

static HANDLED: AtomicUsize = AtomicUsize::new(0);
static OFF_STACK: AtomicUsize = AtomicUsize::new(0);

std::thread_local! {
    /// This thread's alternate stack range, read by the handler (a plain TLS load).
    static ALT: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
}

fn on_signal(_: &SigInfo) {
    let marker = 0u8;
    let sp = std::hint::black_box(&marker) as *const u8 as usize;
    let (lo, hi) = ALT.with(Cell::get);
    if !(lo..hi).contains(&sp) {
        OFF_STACK.fetch_add(1, SeqCst);
    }
    HANDLED.fetch_add(1, SeqCst);
}

#[test]
fn signals_on_alternate_stacks_while_threads_start_and_stop() {
    if handlers_deferred_by_sanitizer() {
        return;
    }
    let threads_total = 16 * stress_factor();
    let action = SigAction::handler(on_signal).with_flags(SaFlags::ONSTACK | SaFlags::RESTART);
    // SAFETY: the handler touches only atomics and a const-initialised thread-local.
    let previous = unsafe { set_action(Signal::USR1, &action) }.unwrap();

    let live: Arc<Mutex<Vec<ThreadId>>> = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicUsize::new(0));
    let sender = {
        let (live, stop, sent) = (Arc::clone(&live), Arc::clone(&stop), Arc::clone(&sent));
        std::thread::spawn(move || {
            let mut i = 0usize;
            while !stop.load(SeqCst) {
                {
                    // Holding the lock keeps the target registered, hence alive.
                    let live = live.lock().unwrap();
                    if !live.is_empty() {
                        let tid = live[i % live.len()];
                        kill_thread(tid, Signal::USR1).expect("the target is alive");
                        sent.fetch_add(1, SeqCst);
                    }
                }
                i = i.wrapping_add(1);
                // Let the workers at the lock (registering, leaving) between sends.
                std::thread::sleep(Duration::from_micros(50));
            }
        })
    };

    for round in 0..threads_total {
        let workers: Vec<_> = (0..4)
            .map(|k| {
                let live = Arc::clone(&live);
                std::thread::spawn(move || {
                    let alt = AltStack::with_default_size().unwrap();
                    let range = alt.range();
                    ALT.with(|c| c.set((range.start, range.end)));
                    let me = ThreadId::current();
                    live.lock().unwrap().push(me);
                    std::thread::sleep(Duration::from_millis(1 + ((round + k) % 5) as u64));
                    live.lock().unwrap().retain(|&t| t != me);
                    // No new sends can reach this thread now; block what may still be pending
                    // so no handler runs while the stack is being taken down.
                    block(&SigSet::of(Signal::USR1)).unwrap();
                    drop(alt);
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
    }
    stop.store(true, SeqCst);
    sender.join().unwrap();
    // SAFETY: restoring the action read back from the kernel.
    unsafe { set_action(Signal::USR1, &previous) }.unwrap();

    let (sent, handled) = (sent.load(SeqCst), HANDLED.load(SeqCst));
    println!("churn: {threads_total} rounds of 4 threads, sent {sent}, handled {handled}");
    assert!(handled > 0, "no signal was handled");
    assert!(handled <= sent);
    assert_eq!(
        OFF_STACK.load(SeqCst),
        0,
        "a handler ran off its alternate stack"
    );
    // Sending to an id that is not a live thread of this process is an error, not a crash.
    let gone = std::thread::spawn(ThreadId::current).join().unwrap();
    // Ok only if the id was already reused by another live thread of this process.
    if let Err(e) = kill_thread(gone, Signal::USR1) {
        assert_eq!(e, Errno::SRCH);
    }
}
