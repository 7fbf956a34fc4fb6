//! A thread parker built on `bsd_thread::futex`: `park` sleeps until `unpark` hands over a
//! token, the way `std::thread::park`/`Thread::unpark` behave.
//!
//! Run: `cargo run -p bsd-thread --example parker` (exit status 0 when every check held, 1
//! otherwise).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use bsd_thread::futex;

/// No token, nobody parked.
const EMPTY: u32 = 0;
/// A token is waiting for the next `park`.
const NOTIFIED: u32 = 1;
/// The owner is parked (or about to be): `unpark` must wake it.
const PARKED: u32 = u32::MAX;

/// A parker for one thread (the owner); any thread may unpark it.
///
/// At most one token is kept: several `unpark`s before a `park` release one `park`.
#[derive(Debug)]
pub struct Parker {
    state: AtomicU32,
}

impl Parker {
    /// A parker with no token.
    pub const fn new() -> Parker {
        Parker {
            state: AtomicU32::new(EMPTY),
        }
    }

    /// Blocks until a token is available, then consumes it. Only the owner thread may call this.
    pub fn park(&self) {
        // NOTIFIED -> EMPTY (a token was there: take it) or EMPTY -> PARKED.
        if self.state.fetch_sub(1, Ordering::Acquire) == NOTIFIED {
            return;
        }
        loop {
            // Sleeps only while the state is still PARKED; wake-ups may be spurious, so the
            // token is checked every time round.
            futex::wait(&self.state, PARKED, None);
            if self
                .state
                .compare_exchange(NOTIFIED, EMPTY, Ordering::Acquire, Ordering::Acquire)
                .is_ok()
            {
                return;
            }
        }
    }

    /// Like [`park`](Self::park), but gives up after `timeout`; returns whether a token came.
    ///
    /// As with `std::thread::park_timeout`, it may also return early without a token.
    pub fn park_timeout(&self, timeout: Duration) -> bool {
        if self.state.fetch_sub(1, Ordering::Acquire) == NOTIFIED {
            return true;
        }
        futex::wait(&self.state, PARKED, Some(timeout));
        // Whatever woke us, leave the PARKED state; a token that arrived meanwhile is taken.
        self.state.swap(EMPTY, Ordering::Acquire) == NOTIFIED
    }

    /// Makes a token available, waking the owner if it is parked.
    pub fn unpark(&self) {
        if self.state.swap(NOTIFIED, Ordering::Release) == PARKED {
            futex::wake_one(&self.state);
        }
    }
}

impl Default for Parker {
    fn default() -> Parker {
        Parker::new()
    }
}

/// Prints a failed check and ends the program with status 1.
fn check(ok: bool, what: &str) {
    if !ok {
        eprintln!("FAILED: {what}");
        std::process::exit(1);
    }
}

fn main() {
    // A token given before `park` is kept.
    let parker = Parker::new();
    parker.unpark();
    parker.park();
    println!("a token given before park was kept");

    // With no token, park_timeout returns after the timeout (or early, spuriously).
    let start = Instant::now();
    let got = parker.park_timeout(Duration::from_millis(20));
    let waited = start.elapsed();
    println!("park_timeout without a token: {got} after {waited:?}");
    check(!got, "park_timeout found a token nobody gave");
    check(waited < Duration::from_secs(2), "park_timeout overslept");

    // Two tokens before a park release one park only: the next park_timeout finds none.
    parker.unpark();
    parker.unpark();
    parker.park();
    check(
        !parker.park_timeout(Duration::from_millis(1)),
        "a second token was kept",
    );
    println!("two unparks before a park gave one token");

    // Ping-pong: two threads take turns through two parkers.
    const ROUNDS: u32 = 10_000;
    let (ping, pong) = (Arc::new(Parker::new()), Arc::new(Parker::new()));
    let turns = Arc::new(AtomicU32::new(0));
    let other = {
        let (ping, pong, turns) = (Arc::clone(&ping), Arc::clone(&pong), Arc::clone(&turns));
        thread::spawn(move || {
            for _ in 0..ROUNDS {
                ping.park();
                turns.fetch_add(1, Ordering::Relaxed);
                pong.unpark();
            }
        })
    };
    let start = Instant::now();
    for _ in 0..ROUNDS {
        ping.unpark();
        pong.park();
    }
    other.join().expect("the other thread panicked");
    let done = turns.load(Ordering::Relaxed);
    println!(
        "{done} round trips between two threads in {:?}",
        start.elapsed()
    );
    check(done == ROUNDS, "a round trip was lost");
}
