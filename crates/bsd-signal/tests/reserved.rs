//! Signals the C thread library reserves: refused or left out on every backend, so that the raw
//! backend cannot take them away from the library behind its back.
//!
//! Its own test binary: the threads here block signals and call `setgid`, and every test holds
//! `LOCK`.

use std::sync::mpsc;
use std::time::Duration;

use bsd_signal::{
    action, block, ignore, kill, kill_thread, mask, set_mask, Errno, Pid, SigSet, Signal, ThreadId,
};
use bsd_sys::libc;
use bsd_sys::signal::{is_reserved, reserved_signals};

mod common;
use common::lock;

/// A set holding every reserved signal and `SIGUSR1`.
fn with_reserved() -> SigSet {
    let mut set = SigSet::of(Signal::USR1);
    set.extend(reserved_signals());
    set
}

/// The calling thread's blocked set as the kernel reports it (`SigBlk` in
/// `/proc/thread-self/status`, a hex bitmap of signals 1..=64), Linux only.
#[cfg(target_os = "linux")]
fn kernel_blocked() -> u64 {
    let status = std::fs::read_to_string("/proc/thread-self/status").unwrap();
    let line = status
        .lines()
        .find_map(|l| l.strip_prefix("SigBlk:"))
        .expect("SigBlk line");
    u64::from_str_radix(line.trim(), 16).unwrap()
}

#[cfg(target_os = "linux")]
fn bit(sig: Signal) -> u64 {
    1u64 << (sig.raw() - 1)
}

#[test]
fn the_reserved_set_is_the_c_librarys() {
    let reserved: Vec<i32> = reserved_signals().map(Signal::raw).collect();
    let expected: &[i32] = if cfg!(target_env = "musl") {
        &[32, 33, 34]
    } else if cfg!(target_os = "linux") {
        &[32, 33]
    } else {
        &[32]
    };
    assert_eq!(reserved, expected);
    assert!(!is_reserved(Signal::USR1));
    for sig in reserved_signals() {
        assert!(!SigSet::full().contains(sig), "full() holds {sig}");
    }
}

#[test]
fn actions_of_reserved_signals_cannot_be_read_or_changed() {
    let _g = lock();
    for sig in reserved_signals() {
        assert_eq!(ignore(sig).unwrap_err(), Errno::INVAL, "{sig}");
        assert_eq!(action(sig).unwrap_err(), Errno::INVAL, "{sig}");
        // SAFETY: SIG_DFL runs no code (and the call is refused anyway).
        let dfl = unsafe { bsd_signal::set_action(sig, &bsd_signal::SigAction::default_action()) };
        assert_eq!(dfl.unwrap_err(), Errno::INVAL, "{sig}");
    }
}

#[test]
fn reserved_signals_are_never_blocked() {
    let _g = lock();
    std::thread::spawn(|| {
        let before = block(&with_reserved()).unwrap();
        let now = mask().unwrap();
        assert!(now.contains(Signal::USR1));
        for sig in reserved_signals() {
            assert!(!now.contains(sig), "block left {sig} blocked");
        }
        #[cfg(target_os = "linux")]
        {
            let kernel = kernel_blocked();
            assert_ne!(
                kernel & bit(Signal::USR1),
                0,
                "the kernel mask holds SIGUSR1"
            );
            for sig in reserved_signals() {
                assert_eq!(kernel & bit(sig), 0, "the kernel mask holds {sig}");
            }
        }
        let mut everything = SigSet::full();
        everything.extend(reserved_signals());
        set_mask(&everything).unwrap();
        #[cfg(target_os = "linux")]
        for sig in reserved_signals() {
            assert_eq!(
                kernel_blocked() & bit(sig),
                0,
                "set_mask left {sig} blocked"
            );
        }
        set_mask(&before).unwrap();
    })
    .join()
    .unwrap();
}

#[test]
fn kill_refuses_reserved_signals_for_this_process_and_bad_thread_ids() {
    let _g = lock();
    for sig in reserved_signals() {
        assert_eq!(
            bsd_signal::kill_group(Pid::from_raw(0), sig).unwrap_err(),
            Errno::INVAL
        );
        // Waiting for nothing but the library's signals would take them from it.
        let only_reserved: SigSet = reserved_signals().collect();
        assert_eq!(bsd_signal::wait(&only_reserved).unwrap_err(), Errno::INVAL);
    }
    for sig in reserved_signals() {
        assert_eq!(kill(Pid::current(), sig).unwrap_err(), Errno::INVAL);
        assert_eq!(kill(Pid::from_raw(0), sig).unwrap_err(), Errno::INVAL);
        assert_eq!(
            kill_thread(ThreadId::current(), sig).unwrap_err(),
            Errno::INVAL
        );
    }
    for tid in [0, -1, i32::MIN] {
        assert_eq!(
            kill_thread(ThreadId::from_raw(tid), Signal::USR1).unwrap_err(),
            Errno::INVAL,
            "thread id {tid}"
        );
    }
}

/// glibc's `setgid` in a threaded process signals every thread with `SIGSETXID` (33) and waits
/// for each to answer; musl's does the same with its own signal. A thread that blocked that
/// signal behind the library's back would make it wait forever.
#[test]
fn setgid_from_another_thread_returns_after_blocking_everything() {
    let _g = lock();
    let (ready_tx, ready_rx) = mpsc::channel();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let blocker = std::thread::spawn(move || {
        let mut everything = SigSet::full();
        everything.extend(reserved_signals());
        let before = set_mask(&everything).unwrap();
        block(&with_reserved()).unwrap();
        ready_tx.send(()).unwrap();
        let _ = stop_rx.recv();
        set_mask(&before).unwrap();
    });
    ready_rx.recv().unwrap();

    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        // SAFETY: setting the group id to the current real group id changes nothing; it is
        // allowed for every user.
        let ret = unsafe { libc::setgid(libc::getgid()) };
        let _ = done_tx.send(ret);
    });
    let ret = done_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("setgid never returned: a thread blocked the C library's signal");
    assert_eq!(ret, 0);
    stop_tx.send(()).unwrap();
    blocker.join().unwrap();
}
