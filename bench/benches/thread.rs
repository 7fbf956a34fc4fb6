//! Two-thread ping-pong: one round trip = two blocking hand-offs between threads.
//!
//! Contenders: bsd-thread's futex wait/wake, the atomic-wait crate (the same algorithm on its own
//! futex wrapper), std's `thread::park`/`Thread::unpark` (the reference) and `Mutex` + `Condvar`.
//!
//! Run: `cargo bench -p bsd-bench --bench thread -- --warm-up-time 1 --measurement-time 3`

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};

/// A hand-off slot, one per thread, in the style of std's futex parker: the token is `FULL`;
/// `SLEEPING` tells the giver that the owner may be asleep and needs a wake call.
const EMPTY: u32 = 0;
const FULL: u32 = 1;
const SLEEPING: u32 = 2;

/// Takes the token from `slot`, sleeping with `wait` while it is absent.
fn take(slot: &AtomicU32, wait: fn(&AtomicU32, u32)) {
    loop {
        match slot.compare_exchange(FULL, EMPTY, Ordering::Acquire, Ordering::Acquire) {
            Ok(_) => return,
            Err(EMPTY) => {
                let _ =
                    slot.compare_exchange(EMPTY, SLEEPING, Ordering::Relaxed, Ordering::Relaxed);
            }
            Err(_) => wait(slot, SLEEPING),
        }
    }
}

/// Puts the token in `slot`, waking its owner with `wake` only if it may be asleep.
fn give(slot: &AtomicU32, wake: fn(&AtomicU32)) {
    if slot.swap(FULL, Ordering::Release) == SLEEPING {
        wake(slot);
    }
}

/// Runs `iters` round trips through two slots with the given wait/wake pair; returns the time.
fn word_ping_pong(iters: u64, wait: fn(&AtomicU32, u32), wake: fn(&AtomicU32)) -> Duration {
    let slots = Arc::new([AtomicU32::new(EMPTY), AtomicU32::new(EMPTY)]);
    let partner = {
        let slots = Arc::clone(&slots);
        thread::spawn(move || {
            for _ in 0..iters {
                take(&slots[1], wait);
                give(&slots[0], wake);
            }
        })
    };
    let start = Instant::now();
    for _ in 0..iters {
        give(&slots[1], wake);
        take(&slots[0], wait);
    }
    let elapsed = start.elapsed();
    partner.join().unwrap();
    elapsed
}

fn bsd_wait(word: &AtomicU32, expected: u32) {
    bsd_thread::futex::wait(word, expected, None);
}

fn bsd_wake(word: &AtomicU32) {
    bsd_thread::futex::wake_one(word);
}

fn aw_wait(word: &AtomicU32, expected: u32) {
    atomic_wait::wait(word, expected);
}

fn aw_wake(word: &AtomicU32) {
    atomic_wait::wake_one(word);
}

fn park_ping_pong(iters: u64) -> Duration {
    let pong_turn = Arc::new(AtomicBool::new(false));
    let main = thread::current();
    let partner = {
        let pong_turn = Arc::clone(&pong_turn);
        thread::spawn(move || {
            for _ in 0..iters {
                while !pong_turn.load(Ordering::Acquire) {
                    thread::park();
                }
                pong_turn.store(false, Ordering::Release);
                main.unpark();
            }
        })
    };
    let other = partner.thread().clone();
    let start = Instant::now();
    for _ in 0..iters {
        pong_turn.store(true, Ordering::Release);
        other.unpark();
        while pong_turn.load(Ordering::Acquire) {
            thread::park();
        }
    }
    let elapsed = start.elapsed();
    partner.join().unwrap();
    elapsed
}

fn condvar_ping_pong(iters: u64) -> Duration {
    const PING: u32 = 0;
    const PONG: u32 = 1;
    let shared = Arc::new((Mutex::new(PING), Condvar::new()));
    let partner = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || {
            let (lock, cv) = &*shared;
            for _ in 0..iters {
                let mut turn = cv.wait_while(lock.lock().unwrap(), |t| *t != PONG).unwrap();
                *turn = PING;
                drop(turn);
                cv.notify_one();
            }
        })
    };
    let (lock, cv) = &*shared;
    let start = Instant::now();
    for _ in 0..iters {
        *lock.lock().unwrap() = PONG;
        cv.notify_one();
        drop(cv.wait_while(lock.lock().unwrap(), |t| *t != PING).unwrap());
    }
    let elapsed = start.elapsed();
    partner.join().unwrap();
    elapsed
}

fn ping_pong(c: &mut Criterion) {
    let mut group = c.benchmark_group("two-thread ping-pong (one round trip)");
    group.bench_function("std thread::park/unpark (reference)", |b| {
        b.iter_custom(park_ping_pong)
    });
    group.bench_function("bsd_thread::futex wait/wake_one", |b| {
        b.iter_custom(|iters| word_ping_pong(iters, bsd_wait, bsd_wake))
    });
    group.bench_function("atomic-wait wait/wake_one", |b| {
        b.iter_custom(|iters| word_ping_pong(iters, aw_wait, aw_wake))
    });
    group.bench_function("std Mutex + Condvar", |b| b.iter_custom(condvar_ping_pong));
    group.finish();
}

criterion_group!(benches, ping_pong);
criterion_main!(benches);
