//! Waiting for signals (`wait`, `timed_wait`, `suspend`), `kill_group`, and `SigSet` set
//! operations. Every test that touches dispositions or masks holds `LOCK` (one per test
//! binary) and restores what it changed.

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::{Duration, Instant};

use bsd_signal::{
    block, kill_group, kill_thread, mask, pending, raise, set_action, set_mask, suspend, wait,
    Errno, Pid, SigAction, SigInfo, SigSet, Signal, ThreadId,
};

mod common;
use common::lock;

static COUNT: AtomicUsize = AtomicUsize::new(0);

fn count(_: &SigInfo) {
    COUNT.fetch_add(1, SeqCst);
}

/// Installs the counting handler on `sig`, restoring the old action and the mask on drop.
struct Setup(Signal, SigAction, SigSet);

impl Setup {
    fn new(sig: Signal) -> Setup {
        COUNT.store(0, SeqCst);
        let old_mask = mask().unwrap();
        // SAFETY: the handler only increments an atomic.
        let old = unsafe { set_action(sig, &SigAction::handler(count)) }.unwrap();
        Setup(sig, old, old_mask)
    }
}

impl Drop for Setup {
    fn drop(&mut self) {
        set_mask(&self.2).unwrap();
        // SAFETY: restores the action read back before the test changed it.
        unsafe { set_action(self.0, &self.1) }.unwrap();
    }
}

#[test]
fn wait_takes_a_blocked_pending_signal_without_running_the_handler() {
    let _g = lock();
    let _s = Setup::new(Signal::USR1);
    let set = SigSet::of(Signal::USR1);
    block(&set).unwrap();
    raise(Signal::USR1).unwrap(); // thread-directed: pending for this thread only
    assert!(pending().unwrap().contains(Signal::USR1));
    assert_eq!(wait(&set).unwrap(), Signal::USR1);
    assert!(
        !pending().unwrap().contains(Signal::USR1),
        "taken off the pending set"
    );
    assert_eq!(COUNT.load(SeqCst), 0, "the handler did not run");
    // The first of several pending signals of the set comes out, then the next.
    let two = SigSet::of(Signal::USR1) | Signal::USR2;
    block(&two).unwrap();
    raise(Signal::USR2).unwrap();
    raise(Signal::USR1).unwrap();
    let a = wait(&two).unwrap();
    let b = wait(&two).unwrap();
    assert_eq!(SigSet::of(a) | b, two);
    assert_eq!(wait(&SigSet::empty()), Err(Errno::INVAL));
}

#[cfg(not(target_os = "openbsd"))]
#[test]
fn timed_wait_times_out_then_takes_a_signal() {
    use bsd_signal::timed_wait;
    let _g = lock();
    let _s = Setup::new(Signal::USR2);
    let set = SigSet::of(Signal::USR2);
    block(&set).unwrap();
    let start = Instant::now();
    assert_eq!(timed_wait(&set, Duration::from_millis(50)).unwrap(), None);
    assert!(
        start.elapsed() >= Duration::from_millis(50),
        "returned early: {:?}",
        start.elapsed()
    );
    assert_eq!(timed_wait(&set, Duration::ZERO).unwrap(), None);
    raise(Signal::USR2).unwrap();
    assert_eq!(
        timed_wait(&set, Duration::ZERO).unwrap(),
        Some(Signal::USR2)
    );
    assert_eq!(COUNT.load(SeqCst), 0);
    assert_eq!(
        timed_wait(&SigSet::empty(), Duration::ZERO),
        Err(Errno::INVAL)
    );
    assert_eq!(timed_wait(&set, Duration::MAX), Err(Errno::INVAL));
}

#[test]
fn suspend_sleeps_until_a_handler_ran_and_restores_the_mask() {
    let _g = lock();
    let _s = Setup::new(Signal::USR2);
    let set = SigSet::of(Signal::USR2);
    block(&set).unwrap();
    let me = ThreadId::current();
    let sender = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        kill_thread(me, Signal::USR2).unwrap();
    });
    let mut during = mask().unwrap();
    during.remove(Signal::USR2);
    let start = Instant::now();
    suspend(&during).unwrap();
    sender.join().unwrap();
    assert_eq!(COUNT.load(SeqCst), 1, "the handler ran once");
    assert!(
        start.elapsed() >= Duration::from_millis(40),
        "woke early: {:?}",
        start.elapsed()
    );
    assert!(
        mask().unwrap().contains(Signal::USR2),
        "the old mask is back"
    );
    // A signal that arrived while blocked is not lost: suspend returns at once.
    raise(Signal::USR2).unwrap();
    suspend(&during).unwrap();
    assert_eq!(COUNT.load(SeqCst), 2);
}

#[test]
fn kill_group_reaches_every_member() {
    let mut child = Command::new("sleep")
        .arg("30")
        .process_group(0)
        .spawn()
        .unwrap();
    let pgrp = Pid::from_raw(child.id() as i32);
    kill_group(pgrp, Signal::TERM).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(Signal::TERM.raw()));
    // The group is gone now.
    assert_eq!(kill_group(pgrp, Signal::TERM), Err(Errno::SRCH));
    assert_eq!(
        kill_group(Pid::from_raw(-5), Signal::TERM),
        Err(Errno::INVAL)
    );
    assert_eq!(
        kill_group(Pid::from_raw(1), Signal::TERM),
        Err(Errno::INVAL)
    );
}

#[test]
fn set_operations() {
    let a: SigSet = [Signal::USR1, Signal::USR2].into_iter().collect();
    let b: SigSet = [Signal::USR2, Signal::HUP].into_iter().collect();
    assert_eq!(a.union(&b).len(), 3);
    assert_eq!(a | b, a.union(&b));
    assert_eq!(a & b, SigSet::of(Signal::USR2));
    assert_eq!(a - b, SigSet::of(Signal::USR1));
    assert_eq!(a ^ b, SigSet::of(Signal::USR1) | Signal::HUP);
    assert!(SigSet::of(Signal::USR2).is_subset(&a));
    assert!(!a.is_subset(&b));
    assert!((a - b).is_disjoint(&b));
    let c = a.complement();
    assert!(c.is_disjoint(&a));
    assert_eq!(c | a, SigSet::full());
    assert!(SigSet::empty().is_empty() && !a.is_empty());
    let mut d = a;
    d -= SigSet::of(Signal::USR1);
    d |= SigSet::of(Signal::HUP);
    d &= b;
    assert_eq!(d, b);
    let listed: Vec<Signal> = (&a).into_iter().collect();
    assert_eq!(listed.len(), 2);
    assert!(
        listed.windows(2).all(|w| w[0].raw() < w[1].raw()),
        "ascending"
    );
}
