//! The start-up signal mask: every signal blocked until the new thread installs its own.
//!
//! Installs a process-wide SIGUSR1 handler; the tests take one lock.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use bsd_signal::{SigAction, SigInfo, SigSet, Signal};
use bsd_thread::{Builder, ThreadId};

static LOCK: Mutex<()> = Mutex::new(());
static HITS: AtomicUsize = AtomicUsize::new(0);
static HIT_TID: AtomicI32 = AtomicI32::new(0);

fn on_usr1(_: &SigInfo) {
    HIT_TID.store(ThreadId::current().raw(), Ordering::SeqCst);
    HITS.fetch_add(1, Ordering::SeqCst);
}

/// The first real-time signal the C library leaves to applications.
#[cfg(target_os = "linux")]
fn first_rt() -> i32 {
    libc::SIGRTMIN()
}

/// No signals are reserved by the BSD C libraries.
#[cfg(not(target_os = "linux"))]
fn first_rt() -> i32 {
    32
}

fn install() {
    // SAFETY: the handler only stores to atomics, which is async-signal-safe.
    unsafe { bsd_signal::set_action(Signal::USR1, &SigAction::handler(on_usr1)) }.unwrap();
    HITS.store(0, Ordering::SeqCst);
}

/// What the start-up hook saw.
#[derive(Debug, Default)]
struct Seen {
    pending_in_hook: AtomicBool,
    hits_in_hook: AtomicUsize,
    fully_blocked_in_hook: AtomicBool,
}

#[test]
fn a_signal_raised_during_start_up_waits_for_the_mask() {
    let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    install();
    let seen = Arc::new(Seen::default());
    let hook_seen = Arc::clone(&seen);
    let handle = Builder::new()
        .signal_mask(SigSet::empty())
        .on_start(move || {
            bsd_signal::raise(Signal::USR1).unwrap();
            let pending = bsd_signal::pending().unwrap();
            hook_seen
                .pending_in_hook
                .store(pending.contains(Signal::USR1), Ordering::SeqCst);
            hook_seen
                .hits_in_hook
                .store(HITS.load(Ordering::SeqCst), Ordering::SeqCst);
            let mask = bsd_signal::mask().unwrap();
            // Everything but SIGKILL and SIGSTOP, which the kernel never blocks, and (Linux)
            // the C library's own signals below SIGRTMIN, which its pthread_sigmask hides
            // from the mask it reports (glibc 32-33, musl 32-34).
            let reserved = |raw: i32| cfg!(target_os = "linux") && (32..first_rt()).contains(&raw);
            let full = SigSet::full()
                .iter()
                .filter(|s| *s != Signal::KILL && *s != Signal::STOP && !reserved(s.raw()))
                .all(|s| mask.contains(s));
            hook_seen
                .fully_blocked_in_hook
                .store(full, Ordering::SeqCst);
        })
        .spawn(|| (HITS.load(Ordering::SeqCst), ThreadId::current()))
        .unwrap();
    let (hits_after, tid) = handle.join().unwrap();
    assert!(
        seen.pending_in_hook.load(Ordering::SeqCst),
        "SIGUSR1 was not pending in the hook"
    );
    assert_eq!(
        seen.hits_in_hook.load(Ordering::SeqCst),
        0,
        "delivered during start-up"
    );
    assert!(
        seen.fully_blocked_in_hook.load(Ordering::SeqCst),
        "start-up mask not full"
    );
    assert_eq!(hits_after, 1, "not delivered once the mask was installed");
    assert_eq!(HIT_TID.load(Ordering::SeqCst), tid.raw());
}

#[test]
fn a_signal_sent_by_the_parent_during_start_up_stays_blocked() {
    let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    install();
    let sent = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Seen::default());
    let (hook_sent, hook_seen) = (Arc::clone(&sent), Arc::clone(&seen));
    let handle = Builder::new()
        .signal_mask(SigSet::empty())
        .on_start(move || {
            while !hook_sent.load(Ordering::Acquire) {
                std::thread::yield_now();
            }
            let pending = bsd_signal::pending().unwrap();
            hook_seen
                .pending_in_hook
                .store(pending.contains(Signal::USR1), Ordering::SeqCst);
            hook_seen
                .hits_in_hook
                .store(HITS.load(Ordering::SeqCst), Ordering::SeqCst);
        })
        .spawn(|| HITS.load(Ordering::SeqCst))
        .unwrap();
    bsd_signal::kill_thread(handle.id(), Signal::USR1).unwrap();
    sent.store(true, Ordering::Release);
    let hits_after = handle.join().unwrap();
    assert!(seen.pending_in_hook.load(Ordering::SeqCst));
    assert_eq!(seen.hits_in_hook.load(Ordering::SeqCst), 0);
    assert_eq!(hits_after, 1);
}

#[test]
fn the_default_mask_is_the_spawners_and_the_spawner_gets_its_own_back() {
    let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let before = bsd_signal::block(&SigSet::of(Signal::USR2)).unwrap();
    let mine = bsd_signal::mask().unwrap();
    let child = Builder::new()
        .spawn(|| bsd_signal::mask().unwrap())
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(
        bsd_signal::mask().unwrap(),
        mine,
        "the spawner's mask changed"
    );
    assert_eq!(child, mine);
    assert!(child.contains(Signal::USR2));
    bsd_signal::set_mask(&before).unwrap();
}

#[test]
fn an_explicit_mask_is_installed() {
    let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let want = SigSet::of(Signal::USR2);
    let child = Builder::new()
        .signal_mask(want)
        .spawn(|| bsd_signal::mask().unwrap())
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(child, want);
}

#[test]
fn a_signal_sent_through_the_handle_reaches_that_thread_only() {
    use bsd_signal::{SigSet, Signal};
    let worker = bsd_thread::Builder::new()
        .signal_mask(SigSet::of(Signal::USR2))
        .spawn(|| {
            (
                bsd_thread::ThreadId::current(),
                bsd_signal::wait(&SigSet::of(Signal::USR2)),
            )
        })
        .unwrap();
    let id = worker.id();
    worker.signal(Signal::USR2).unwrap();
    let (ran_on, got) = worker.join().unwrap();
    assert_eq!(ran_on, id);
    assert_eq!(got, Ok(Signal::USR2));
    for sig in bsd_sys::signal::reserved_signals() {
        let idle = bsd_thread::Builder::new().spawn(|| ()).unwrap();
        assert_eq!(idle.signal(sig), Err(bsd_sys::Errno::INVAL));
        idle.join().unwrap();
    }
}
