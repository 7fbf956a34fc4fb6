//! Two-thread ping-pong: one round trip = two blocking hand-offs between threads, with the two
//! threads free to run on two CPUs, and again pinned to one CPU (less noise from cross-CPU wake-up
//! latency, so the per-call overhead shows).
//!
//! Contenders: bsd-thread's futex wait/wake, the atomic-wait crate (the same algorithm on its own
//! futex wrapper), std's `thread::park`/`Thread::unpark` (the reference) and `Mutex` + `Condvar`.
//!
//! Run: `cargo bench -p bsd-bench --bench thread -- --warm-up-time 1 --measurement-time 3`

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::thread::{self, Thread};
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

/// Keeps the calling thread on the first CPU it may use, so both threads of a pair share it.
fn pin_to_one_cpu() {
    #[cfg(target_os = "linux")]
    // SAFETY: `set` is a valid cpu_set_t on the stack, passed with its size; pid 0 = this thread.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        assert_eq!(
            libc::sched_getaffinity(0, std::mem::size_of_val(&set), &mut set),
            0
        );
        let first = (0..libc::CPU_SETSIZE as usize)
            .find(|&c| libc::CPU_ISSET(c, &set))
            .unwrap();
        libc::CPU_ZERO(&mut set);
        libc::CPU_SET(first, &mut set);
        assert_eq!(
            libc::sched_setaffinity(0, std::mem::size_of_val(&set), &set),
            0
        );
    }
}

/// Runs `driver` (which times itself) and `partner` on two new threads, on one CPU if `pin`.
fn run_pair(
    pin: bool,
    driver: impl FnOnce() -> Duration + Send + 'static,
    partner: impl FnOnce() + Send + 'static,
) -> Duration {
    let partner = thread::spawn(move || {
        if pin {
            pin_to_one_cpu();
        }
        partner()
    });
    let driver = thread::spawn(move || {
        if pin {
            pin_to_one_cpu();
        }
        driver()
    });
    let elapsed = driver.join().unwrap();
    partner.join().unwrap();
    elapsed
}

/// `iters` round trips through two slots with the given wait/wake pair.
fn word_ping_pong(
    iters: u64,
    pin: bool,
    wait: fn(&AtomicU32, u32),
    wake: fn(&AtomicU32),
) -> Duration {
    let slots = Arc::new([AtomicU32::new(EMPTY), AtomicU32::new(EMPTY)]);
    let theirs = Arc::clone(&slots);
    run_pair(
        pin,
        move || {
            let start = Instant::now();
            for _ in 0..iters {
                give(&slots[1], wake);
                take(&slots[0], wait);
            }
            start.elapsed()
        },
        move || {
            for _ in 0..iters {
                take(&theirs[1], wait);
                give(&theirs[0], wake);
            }
        },
    )
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

/// `iters` round trips with std's parker; a flag per direction guards against spurious returns.
fn park_ping_pong(iters: u64, pin: bool) -> Duration {
    let pong_turn = Arc::new(AtomicBool::new(false));
    let theirs = Arc::clone(&pong_turn);
    let (driver_tx, driver_rx) = mpsc::channel::<Thread>();
    let (partner_tx, partner_rx) = mpsc::channel::<Thread>();
    run_pair(
        pin,
        move || {
            driver_tx.send(thread::current()).unwrap();
            let partner = partner_rx.recv().unwrap();
            let start = Instant::now();
            for _ in 0..iters {
                pong_turn.store(true, Ordering::Release);
                partner.unpark();
                while pong_turn.load(Ordering::Acquire) {
                    thread::park();
                }
            }
            start.elapsed()
        },
        move || {
            partner_tx.send(thread::current()).unwrap();
            let driver = driver_rx.recv().unwrap();
            for _ in 0..iters {
                while !theirs.load(Ordering::Acquire) {
                    thread::park();
                }
                theirs.store(false, Ordering::Release);
                driver.unpark();
            }
        },
    )
}

/// `iters` round trips through one `Mutex<turn>` and one `Condvar`.
fn condvar_ping_pong(iters: u64, pin: bool) -> Duration {
    const PING: u32 = 0;
    const PONG: u32 = 1;
    let shared = Arc::new((Mutex::new(PING), Condvar::new()));
    let theirs = Arc::clone(&shared);
    run_pair(
        pin,
        move || {
            let (lock, cv) = &*shared;
            let start = Instant::now();
            for _ in 0..iters {
                *lock.lock().unwrap() = PONG;
                cv.notify_one();
                drop(cv.wait_while(lock.lock().unwrap(), |t| *t != PING).unwrap());
            }
            start.elapsed()
        },
        move || {
            let (lock, cv) = &*theirs;
            for _ in 0..iters {
                let mut turn = cv.wait_while(lock.lock().unwrap(), |t| *t != PONG).unwrap();
                *turn = PING;
                drop(turn);
                cv.notify_one();
            }
        },
    )
}

fn ping_pong(c: &mut Criterion) {
    for (name, pin) in [
        (
            "two-thread ping-pong, one round trip, threads on two CPUs",
            false,
        ),
        (
            "two-thread ping-pong, one round trip, both threads on one CPU",
            true,
        ),
    ] {
        let mut group = c.benchmark_group(name);
        group.bench_function("std thread::park/unpark (reference)", |b| {
            b.iter_custom(|iters| park_ping_pong(iters, pin))
        });
        group.bench_function("bsd_thread::futex wait/wake_one", |b| {
            b.iter_custom(|iters| word_ping_pong(iters, pin, bsd_wait, bsd_wake))
        });
        group.bench_function("atomic-wait wait/wake_one", |b| {
            b.iter_custom(|iters| word_ping_pong(iters, pin, aw_wait, aw_wake))
        });
        group.bench_function("std Mutex + Condvar", |b| {
            b.iter_custom(|iters| condvar_ping_pong(iters, pin))
        });
        group.finish();
    }
}

criterion_group!(benches, ping_pong);
criterion_main!(benches);
