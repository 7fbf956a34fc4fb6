//! Timers, signals and processes through the public API, with real effects: timers
//! expiring, signals counted, children exiting.
//!
//! Each test names the semantics it relies on. "portable" means real kqueue and the Linux
//! emulation agree (see the crate docs' table for where they do not).

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bsd_event::{Change, Error, EvFlags, EventKind, Events, ExitStatus, Filter, Kqueue, ProcNotes};
use bsd_sys::{Pid, Signal};
use common::*;

// Portable: Timer data counts expiries since the last report.
#[test]
fn timer_of_20ms_fires_about_five_times_in_100ms() {
    let kq = Kqueue::new().unwrap();
    let start = Instant::now();
    kq.register(Change::add(
        Filter::Timer {
            id: 5,
            period: Duration::from_millis(20),
        },
        55,
    ))
    .unwrap();
    let mut events = Events::with_capacity(4);
    let mut total = 0;
    while start.elapsed() < Duration::from_millis(100) {
        for ev in wait(&kq, &mut events, Some(Duration::from_millis(30))) {
            assert_eq!(ev.token(), 55);
            match ev.kind().unwrap() {
                EventKind::Timer { id: 5, expirations } => total += expirations,
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    kq.register(Change::delete(Filter::Timer {
        id: 5,
        period: Duration::ZERO,
    }))
    .unwrap();
    let elapsed = start.elapsed();
    let most = elapsed.as_millis() as u64 / 20 + 1;
    assert!(
        (4..=most).contains(&total),
        "{total} expirations in {elapsed:?}"
    );
}

// Portable: a ONESHOT timer expires once.
#[test]
fn oneshot_timer_expires_once() {
    let kq = Kqueue::new().unwrap();
    let t = Filter::Timer {
        id: 1,
        period: Duration::from_millis(5),
    };
    kq.register(Change::add(t, 1).with(EvFlags::ONESHOT))
        .unwrap();
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(
        evs[0].kind().unwrap(),
        EventKind::Timer {
            id: 1,
            expirations: 1
        }
    );
    assert!(wait(&kq, &mut events, BRIEF).is_empty());
    assert_eq!(
        kq.register(Change::add(
            Filter::Timer {
                id: 2,
                period: Duration::ZERO
            },
            0
        )),
        Err(Error::Invalid("a timer period must be non-zero"))
    );
}

// Relies on a signal blocked in the waiting thread: the emulation's signalfd sees only blocked
// signals and consumes them; real kqueue counts it and leaves it pending (consumed below).
#[test]
fn blocked_signal_is_counted() {
    let sig = Signal::USR2;
    // SAFETY: an all-zero sigset is valid; sigemptyset/sigaddset initialise it.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    let mut old: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: valid sigset pointers; only this test thread's mask changes.
    unsafe {
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig.raw());
        assert_eq!(libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old), 0);
    }
    let kq = Kqueue::new().unwrap();
    kq.register(Change::add(Filter::Signal(sig), 12)).unwrap();
    // SAFETY: a thread-directed signal to the calling thread, which blocks it.
    let rc = unsafe { libc::pthread_kill(libc::pthread_self(), sig.raw()) };
    assert_eq!(rc, 0);
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].token(), 12);
    assert_eq!(
        evs[0].kind().unwrap(),
        EventKind::Signal {
            signal: sig,
            count: 1
        }
    );
    #[cfg(not(target_os = "linux"))]
    {
        // Real kqueue leaves the signal pending: take it before unblocking.
        let mut got = 0;
        // SAFETY: `set` holds the pending signal, so sigwait returns at once.
        assert_eq!(unsafe { libc::sigwait(&set, &mut got) }, 0);
    }
    // SAFETY: restores this thread's previous mask.
    unsafe {
        assert_eq!(
            libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut()),
            0
        )
    };
}

// Portable for the exit of the caller's own child: the status is decoded, the child not reaped.
#[test]
fn child_exit_is_reported_with_its_status() {
    let mut child = Command::new("/bin/sh")
        .args(["-c", "read x; exit 3"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn /bin/sh");
    let pid = Pid::from_raw(child.id() as i32);
    let kq = Kqueue::new().unwrap();
    kq.register(Change::add(
        Filter::Proc {
            pid,
            notes: ProcNotes::EXIT,
        },
        77,
    ))
    .unwrap();
    drop(child.stdin.take());
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].token(), 77);
    match evs[0].kind().unwrap() {
        EventKind::Proc {
            pid: p,
            notes,
            exit,
        } => {
            assert_eq!(p, pid);
            assert!(notes.contains(ProcNotes::EXIT));
            assert_eq!(exit, Some(ExitStatus::Exited(3)));
        }
        other => panic!("expected Proc, got {other:?}"),
    }
    // The event did not reap it: the parent still collects the status.
    assert_eq!(child.wait().unwrap().code(), Some(3));
}

// Linux only: the emulation refuses NOTE_FORK / NOTE_EXEC clearly.
#[cfg(target_os = "linux")]
#[test]
fn fork_notes_are_unsupported_on_linux() {
    let kq = Kqueue::new().unwrap();
    let r = kq.register(Change::add(
        Filter::Proc {
            pid: Pid::current(),
            notes: ProcNotes::FORK,
        },
        0,
    ));
    assert!(
        matches!(
            r,
            Err(Error::Unsupported {
                what: "NOTE_FORK",
                ..
            })
        ),
        "{r:?}"
    );
}
