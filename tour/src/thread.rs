//! The bsd-thread section of the tour: thread ids, CPU count, names, and futex wait/wake driving a
//! one-shot event between two threads.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use bsd_thread::futex::{self, WaitResult};
use bsd_thread::ThreadId;

/// A one-shot event on one futex word: `set` once, any number of threads `wait` for it. The
/// same wait-in-a-loop idea as the `Parker` in bsd-thread's examples, reduced to one state change.
struct Event {
    state: AtomicU32,
}

impl Event {
    const UNSET: u32 = 0;
    const SET: u32 = 1;

    fn new() -> Event {
        Event {
            state: AtomicU32::new(Event::UNSET),
        }
    }

    /// Sets the event and wakes every waiter; returns how many were asleep, where the OS says.
    fn set(&self) -> Option<usize> {
        self.state.store(Event::SET, Ordering::Release);
        futex::wake_all(&self.state)
    }

    /// Waits until the event is set; returns how many times the thread actually slept.
    fn wait(&self) -> usize {
        let mut sleeps = 0;
        while self.state.load(Ordering::Acquire) == Event::UNSET {
            if futex::wait(&self.state, Event::UNSET, None) == WaitResult::Woken {
                sleeps += 1;
            }
        }
        sleeps
    }
}

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    let main_id = ThreadId::current();
    let (other_id, other_name) = thread::spawn(|| -> bsd_thread::Result<_> {
        bsd_thread::set_current_name("tour-worker")?;
        Ok((ThreadId::current(), bsd_thread::current_name()?))
    })
    .join()
    .map_err(|_| "the worker thread panicked")??;
    println!("   kernel thread ids: main {main_id}, worker {other_id} (named {other_name:?})");

    let too_long = "x".repeat(bsd_thread::MAX_NAME_LEN + 1);
    match bsd_thread::set_current_name(&too_long) {
        Err(err) => println!(
            "   a {}-byte name is refused, not truncated: {err}",
            too_long.len()
        ),
        Ok(()) => return Err("an over-long thread name was accepted".into()),
    }
    println!("   CPUs available: {}", bsd_thread::cpu_count()?);

    let word = AtomicU32::new(5);
    println!(
        "   wait on a word that holds 5, expecting 4: {:?}",
        futex::wait(&word, 4, None)
    );
    let start = Instant::now();
    let timed = futex::wait(&word, 5, Some(Duration::from_millis(20)));
    println!(
        "   wait with a 20 ms timeout: {timed:?} after {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );

    let event = Arc::new(Event::new());
    let waiters: Vec<_> = (0..3)
        .map(|_| {
            let event = Arc::clone(&event);
            thread::spawn(move || event.wait())
        })
        .collect();
    thread::sleep(Duration::from_millis(50));
    let woken = event.set();
    let mut slept = 0;
    for waiter in waiters {
        slept += waiter.join().map_err(|_| "a waiter panicked")?;
    }
    match woken {
        Some(n) => println!("   one-shot event: set woke {n} sleeping thread(s); 3 waiters done"),
        None => println!(
            "   one-shot event: set woke the sleepers (this OS gives no count); 3 waiters done"
        ),
    }
    println!("   (the waiters slept {slept} time(s) in all; a waiter that came late never slept)");
    bsd_thread::yield_now();
    Ok(())
}
