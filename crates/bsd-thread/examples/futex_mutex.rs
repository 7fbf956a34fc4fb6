//! A mutex and a condition variable built on `bsd_thread::futex`, shared by threads.
//!
//! `Mutex` is the classic three-state futex lock (0 free, 1 locked, 2 locked with sleepers):
//! an uncontended lock or unlock is one atomic instruction, and only contended ones enter the
//! kernel. `Condvar` is a sequence counter: a waiter sleeps on the value it read while holding
//! the lock, so a notify between unlocking and sleeping changes the word and is not lost.
//! Producers and consumers, started with `bsd_thread::Builder`, pass numbers through a bounded
//! queue guarded by them; the program checks that every number arrived exactly once.
//!
//! Run: `cargo run -p bsd-thread --example futex_mutex` (exit status 0 when the totals match,
//! 1 otherwise).

use std::cell::UnsafeCell;
use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use bsd_thread::futex;
use bsd_thread::Builder;

const FREE: u32 = 0;
const LOCKED: u32 = 1;
const CONTENDED: u32 = 2;

/// A futex-based mutual exclusion lock.
struct Mutex<T> {
    state: AtomicU32,
    /// How often a thread went to sleep in `lock` (for the report).
    sleeps: AtomicUsize,
    value: UnsafeCell<T>,
}

// SAFETY: the lock hands out the value to one thread at a time, so sharing the Mutex between
// threads is sound whenever moving the value between them is.
unsafe impl<T: Send> Sync for Mutex<T> {}

impl<T> Mutex<T> {
    fn new(value: T) -> Mutex<T> {
        Mutex {
            state: AtomicU32::new(FREE),
            sleeps: AtomicUsize::new(0),
            value: UnsafeCell::new(value),
        }
    }

    fn lock(&self) -> MutexGuard<'_, T> {
        if self
            .state
            .compare_exchange(FREE, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
        MutexGuard { mutex: self }
    }

    #[cold]
    fn lock_contended(&self) {
        // Mark the lock contended; whoever unlocks it then wakes a sleeper. Taking it this way
        // leaves it marked contended, which costs at most one needless wake.
        while self.state.swap(CONTENDED, Ordering::Acquire) != FREE {
            self.sleeps.fetch_add(1, Ordering::Relaxed);
            futex::wait(&self.state, CONTENDED, None);
        }
    }

    fn unlock(&self) {
        if self.state.swap(FREE, Ordering::Release) == CONTENDED {
            futex::wake_one(&self.state);
        }
    }
}

/// Holds the lock; unlocks on drop.
#[must_use = "the lock is released as soon as the guard is dropped"]
struct MutexGuard<'a, T> {
    mutex: &'a Mutex<T>,
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard exists only while this thread holds the lock.
        unsafe { &*self.mutex.value.get() }
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes the access unique within this thread.
        unsafe { &mut *self.mutex.value.get() }
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        self.mutex.unlock();
    }
}

/// A futex-based condition variable.
struct Condvar {
    seq: AtomicU32,
}

impl Condvar {
    const fn new() -> Condvar {
        Condvar {
            seq: AtomicU32::new(0),
        }
    }

    /// Unlocks, sleeps until notified (or spuriously), locks again.
    fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        let seq = self.seq.load(Ordering::Relaxed); // read while the lock is held
        let mutex = guard.mutex;
        drop(guard);
        futex::wait(&self.seq, seq, None); // returns at once if a notify came in between
        mutex.lock()
    }

    fn notify_one(&self) {
        self.seq.fetch_add(1, Ordering::Release);
        futex::wake_one(&self.seq);
    }

    fn notify_all(&self) {
        self.seq.fetch_add(1, Ordering::Release);
        futex::wake_all(&self.seq);
    }
}

/// A bounded queue of numbers, closed when the producers are done.
struct Queue {
    items: VecDeque<u64>,
    closed: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    not_empty: Condvar,
    not_full: Condvar,
}

const CAPACITY: usize = 16;
const PRODUCERS: u64 = 3;
const CONSUMERS: usize = 2;
const PER_PRODUCER: u64 = 20_000;

fn produce(shared: &Shared, first: u64) {
    for n in first..first + PER_PRODUCER {
        let mut q = shared.queue.lock();
        while q.items.len() == CAPACITY {
            q = shared.not_full.wait(q);
        }
        q.items.push_back(n);
        drop(q);
        shared.not_empty.notify_one();
    }
}

/// Returns (how many, their sum).
fn consume(shared: &Shared) -> (u64, u64) {
    let (mut count, mut sum) = (0, 0);
    loop {
        let mut q = shared.queue.lock();
        while q.items.is_empty() && !q.closed {
            q = shared.not_empty.wait(q);
        }
        let Some(n) = q.items.pop_front() else {
            return (count, sum); // empty and closed
        };
        drop(q);
        shared.not_full.notify_one();
        count += 1;
        sum += n;
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let shared = Arc::new(Shared {
        queue: Mutex::new(Queue {
            items: VecDeque::with_capacity(CAPACITY),
            closed: false,
        }),
        not_empty: Condvar::new(),
        not_full: Condvar::new(),
    });
    println!(
        "{PRODUCERS} producers, {CONSUMERS} consumers, a queue of {CAPACITY}, on {} CPUs",
        bsd_thread::cpu_count()?
    );
    let start = Instant::now();

    let mut consumers = Vec::new();
    for i in 0..CONSUMERS {
        let shared = Arc::clone(&shared);
        consumers.push(
            Builder::new()
                .name(format!("consumer-{i}"))
                .spawn(move || consume(&shared))?,
        );
    }
    let mut producers = Vec::new();
    for i in 0..PRODUCERS {
        let shared = Arc::clone(&shared);
        producers.push(
            Builder::new()
                .name(format!("producer-{i}"))
                .spawn(move || produce(&shared, i * PER_PRODUCER))?,
        );
    }
    for p in producers {
        p.join()?;
    }
    shared.queue.lock().closed = true;
    shared.not_empty.notify_all();

    let (mut count, mut sum) = (0, 0);
    for (i, c) in consumers.into_iter().enumerate() {
        let (n, s) = c.join()?;
        println!("consumer-{i} took {n} numbers");
        count += n;
        sum += s;
    }
    let total = PRODUCERS * PER_PRODUCER;
    let expected_sum = total * (total - 1) / 2; // 0 + 1 + ... + (total - 1)
    println!(
        "{count} numbers in {:?}; threads slept on the lock {} times",
        start.elapsed(),
        shared.queue.sleeps.load(Ordering::Relaxed)
    );
    if count != total || sum != expected_sum {
        eprintln!(
            "FAILED: {count} numbers summing to {sum}, expected {total} summing to {expected_sum}"
        );
        std::process::exit(1);
    }
    println!("every number arrived exactly once");
    Ok(())
}
