//! Signal behaviour through the public API, under whichever bsd-sys backend the build uses.
//!
//! Every test changes process-wide signal dispositions, so they all hold `LOCK` and restore
//! what they changed. Handlers only touch atomics (async-signal-safe).

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use bsd_signal::{
    action, block, ignore, kill, kill_thread, mask, pending, raise, raise_process, set_action,
    set_default_action, set_mask, unblock, AltStack, Errno, Handler, Pid, SaFlags, SigAction,
    SigInfo, SigSet, Signal, ThreadId,
};
use bsd_sys::libc;

mod common;
use common::{
    handlers_deferred_by_sanitizer, lock, signal_may_enter_sanitizer_runtime,
    skip_under_thread_sanitizer,
};

/// Whether to skip: under ThreadSanitizer, a `libc::sigaction` call goes to the runtime's
/// interceptor, which gives the kernel its own wrapper instead of the caller's handler; the raw
/// backend reads the kernel's table directly and so sees the wrapper.
fn sigaction_interposed_by_sanitizer() -> bool {
    skip_under_thread_sanitizer("raw", "it interposes libc's sigaction")
}

/// Restores an action when dropped, even if the test fails.
struct Restore(Signal, SigAction);

impl Drop for Restore {
    fn drop(&mut self) {
        // SAFETY: the action was read back from the kernel before the test changed it.
        unsafe { set_action(self.0, &self.1) }.expect("restore the previous action");
    }
}

fn install(sig: Signal, act: SigAction) -> Restore {
    // SAFETY: every handler in this file only touches atomics and calls gettid.
    let previous = unsafe { set_action(sig, &act) }.expect("install");
    Restore(sig, previous)
}

/// Waits (generously) until `cond` holds.
fn wait_for(what: &str, cond: impl Fn() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::yield_now();
    }
}

static COUNT: AtomicUsize = AtomicUsize::new(0);
static LAST_TID: AtomicI32 = AtomicI32::new(0);
static LAST_SP: AtomicUsize = AtomicUsize::new(0);
static LAST_PID: AtomicI32 = AtomicI32::new(-1);
static LAST_SIG: AtomicI32 = AtomicI32::new(0);

fn record(info: &SigInfo) {
    let marker = 0u8;
    LAST_SP.store(std::hint::black_box(&marker) as *const u8 as usize, SeqCst);
    LAST_TID.store(ThreadId::current().raw(), SeqCst);
    LAST_PID.store(info.sender_pid().map_or(-1, Pid::raw), SeqCst);
    LAST_SIG.store(info.signal().raw(), SeqCst);
    COUNT.fetch_add(1, SeqCst);
}

/// The sender pid a handler sees for a signal this process sent itself: OpenBSD 7.8 never fills
/// `si_pid` (`sys/kern/kern_sig.c` rev 1.365 `initsiginfo()` clears the struct), so `None`
/// (recorded as -1) there; DragonFly and Linux report this process.
fn expected_sender() -> i32 {
    if cfg!(target_os = "openbsd") {
        -1
    } else {
        Pid::current().raw()
    }
}

fn reset() {
    COUNT.store(0, SeqCst);
    LAST_TID.store(0, SeqCst);
    LAST_SP.store(0, SeqCst);
    LAST_PID.store(-1, SeqCst);
    LAST_SIG.store(0, SeqCst);
}

#[test]
fn handler_runs_on_the_alternate_stack() {
    if handlers_deferred_by_sanitizer() {
        return;
    }
    let _g = lock();
    reset();
    let _r = install(
        Signal::USR1,
        SigAction::handler(record).with_flags(SaFlags::ONSTACK),
    );
    std::thread::spawn(|| {
        let alt = AltStack::with_default_size().unwrap();
        assert!(alt.is_installed());
        raise(Signal::USR1).unwrap();
        assert_eq!(
            COUNT.load(SeqCst),
            1,
            "raise runs the handler before it returns"
        );
        let sp = LAST_SP.load(SeqCst);
        assert!(
            alt.contains(sp),
            "handler stack {sp:#x} not in {:x?}",
            alt.range()
        );
        assert_eq!(LAST_SIG.load(SeqCst), Signal::USR1.raw());
        assert_eq!(LAST_PID.load(SeqCst), expected_sender(), "sender pid");
        assert_eq!(LAST_TID.load(SeqCst), ThreadId::current().raw());
    })
    .join()
    .unwrap();
}

#[test]
fn handler_without_onstack_stays_on_the_thread_stack() {
    let _g = lock();
    reset();
    let _r = install(Signal::USR1, SigAction::handler(record));
    std::thread::spawn(|| {
        let alt = AltStack::with_default_size().unwrap();
        raise(Signal::USR1).unwrap();
        assert!(!alt.contains(LAST_SP.load(SeqCst)));
    })
    .join()
    .unwrap();
}

#[test]
fn kill_thread_reaches_exactly_the_target() {
    let _g = lock();
    reset();
    let _r = install(Signal::USR2, SigAction::handler(record));
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel();
        for _ in 0..4 {
            let tx = tx.clone();
            let stop = &stop;
            s.spawn(move || {
                tx.send(ThreadId::current()).unwrap();
                while !stop.load(SeqCst) {
                    std::thread::sleep(Duration::from_millis(1));
                }
            });
        }
        let tids: Vec<ThreadId> = (0..4).map(|_| rx.recv().unwrap()).collect();
        let target = tids[2];
        kill_thread(target, Signal::USR2).unwrap();
        wait_for("the handler", || COUNT.load(SeqCst) == 1);
        assert_eq!(
            LAST_TID.load(SeqCst),
            target.raw(),
            "ran on {:?}, sent to {target:?}",
            LAST_TID
        );
        stop.store(true, SeqCst);
    });
    assert_eq!(COUNT.load(SeqCst), 1);
}

#[test]
fn blocked_signal_stays_pending_until_unblocked() {
    let _g = lock();
    reset();
    let _r = install(Signal::USR2, SigAction::handler(record));
    std::thread::spawn(|| {
        let before = block(&SigSet::of(Signal::USR2)).unwrap();
        assert!(!before.contains(Signal::USR2));
        assert!(
            mask().unwrap().contains(Signal::USR2),
            "the kernel mask holds it"
        );
        raise(Signal::USR2).unwrap();
        assert_eq!(COUNT.load(SeqCst), 0, "blocked: not delivered");
        assert!(pending().unwrap().contains(Signal::USR2));
        let during = unblock(&SigSet::of(Signal::USR2)).unwrap();
        assert!(during.contains(Signal::USR2));
        assert_eq!(COUNT.load(SeqCst), 1, "delivered when unblocked");
        assert!(!pending().unwrap().contains(Signal::USR2));
        assert_eq!(mask().unwrap(), before);
    })
    .join()
    .unwrap();
}

#[test]
fn set_mask_returns_and_restores_the_previous_mask() {
    let _g = lock();
    std::thread::spawn(|| {
        let wanted: SigSet = [Signal::USR1, Signal::ALRM].into_iter().collect();
        let old = set_mask(&wanted).unwrap();
        let now = mask().unwrap();
        assert!(now.contains(Signal::USR1) && now.contains(Signal::ALRM));
        assert_eq!(set_mask(&old).unwrap(), now);
        assert_eq!(mask().unwrap(), old);
        // The kernel never blocks SIGKILL or SIGSTOP.
        let old = set_mask(&SigSet::full()).unwrap();
        let full = mask().unwrap();
        assert!(!full.contains(Signal::KILL) && !full.contains(Signal::STOP));
        assert!(full.contains(Signal::TERM));
        set_mask(&old).unwrap();
    })
    .join()
    .unwrap();
}

#[test]
fn resethand_resets_to_default() {
    let _g = lock();
    reset();
    let _r = install(
        Signal::USR1,
        SigAction::handler(record).with_flags(SaFlags::RESETHAND),
    );
    assert!(matches!(
        action(Signal::USR1).unwrap().handler_kind(),
        Handler::Function(_)
    ));
    std::thread::spawn(|| raise(Signal::USR1).unwrap())
        .join()
        .unwrap();
    assert_eq!(COUNT.load(SeqCst), 1);
    assert_eq!(
        action(Signal::USR1).unwrap().handler_kind(),
        Handler::Default,
        "SA_RESETHAND"
    );
}

fn other(_: &SigInfo) {
    COUNT.fetch_add(100, SeqCst);
}

#[test]
fn previous_actions_restore() {
    let _g = lock();
    let original = action(Signal::USR1).unwrap();
    let before_ignore = ignore(Signal::USR1).unwrap();
    assert_eq!(before_ignore, original);
    assert_eq!(
        action(Signal::USR1).unwrap().handler_kind(),
        Handler::Ignore
    );

    let mask: SigSet = [Signal::USR2].into_iter().collect();
    let wanted = SigAction::handler(record)
        .with_flags(SaFlags::RESTART)
        .with_mask(mask);
    // SAFETY: `record` only touches atomics.
    let prev = unsafe { set_action(Signal::USR1, &wanted) }.unwrap();
    assert_eq!(prev.handler_kind(), Handler::Ignore);
    let now = action(Signal::USR1).unwrap();
    assert_eq!(now.handler_kind(), Handler::Function(record));
    assert!(
        now.flags().contains(SaFlags::RESTART | SaFlags::SIGINFO),
        "{:?}",
        now.flags()
    );
    assert!(now.mask().contains(Signal::USR2));

    // SAFETY: `other` only touches atomics.
    let prev = unsafe { set_action(Signal::USR1, &SigAction::handler(other)) }.unwrap();
    assert_eq!(prev.handler_kind(), Handler::Function(record));

    let prev = set_default_action(Signal::USR1).unwrap();
    assert_eq!(prev.handler_kind(), Handler::Function(other));
    // SAFETY: restoring what the kernel reported at the start.
    unsafe { set_action(Signal::USR1, &original) }.unwrap();
    assert_eq!(
        action(Signal::USR1).unwrap().handler_kind(),
        original.handler_kind()
    );
}

extern "C" fn foreign_handler(_: libc::c_int) {}

#[test]
fn foreign_handlers_round_trip() {
    let _g = lock();
    if sigaction_interposed_by_sanitizer() {
        return;
    }
    // A handler installed behind bsd-signal's back (as the C library or Rust's runtime do:
    // std installs a SIGSEGV handler on Linux and OpenBSD, not on DragonFly) must come back bit
    // for bit. Install one through libc directly, so the round trip is exercised on every OS.
    let original = action(Signal::USR2).unwrap();
    // SAFETY: a zeroed sigaction with a handler that does nothing is valid; `old` is writable.
    let theirs = unsafe {
        let mut act: libc::sigaction = std::mem::zeroed();
        act.sa_sigaction = foreign_handler as extern "C" fn(libc::c_int) as usize;
        let mut old: libc::sigaction = std::mem::zeroed();
        assert_eq!(libc::sigaction(libc::SIGUSR2, &act, &mut old), 0);
        act.sa_sigaction
    };
    let installed = action(Signal::USR2).unwrap();
    assert_eq!(installed.handler_kind(), Handler::Foreign(theirs));
    let prev = set_default_action(Signal::USR2).unwrap();
    assert_eq!(prev.handler_kind(), Handler::Foreign(theirs));
    // SAFETY: reinstalling the handler the kernel reported.
    unsafe { set_action(Signal::USR2, &installed) }.unwrap();
    assert_eq!(
        action(Signal::USR2).unwrap().handler_kind(),
        Handler::Foreign(theirs)
    );
    // SAFETY: restoring the action read back before the test.
    unsafe { set_action(Signal::USR2, &original) }.unwrap();
}

#[test]
fn raise_process_reaches_some_thread() {
    if signal_may_enter_sanitizer_runtime() {
        return;
    }
    let _g = lock();
    reset();
    let _r = install(Signal::USR1, SigAction::handler(record));
    raise_process(Signal::USR1).unwrap();
    wait_for("a thread to run the handler", || COUNT.load(SeqCst) >= 1);
    assert_eq!(LAST_PID.load(SeqCst), expected_sender());
    reset();
    kill(Pid::current(), Signal::USR1).unwrap();
    wait_for("kill(getpid())", || COUNT.load(SeqCst) >= 1);
}

#[test]
fn ignored_signal_is_discarded() {
    let _g = lock();
    let _r = Restore(Signal::USR2, ignore(Signal::USR2).unwrap());
    std::thread::spawn(|| {
        raise(Signal::USR2).unwrap();
        assert!(!pending().unwrap().contains(Signal::USR2));
    })
    .join()
    .unwrap();
}

#[test]
fn bad_input_is_an_error() {
    let _g = lock();
    for sig in [Signal::KILL, Signal::STOP] {
        // SAFETY: rejected before the kernel is asked.
        let err = unsafe { set_action(sig, &SigAction::handler(record)) }.unwrap_err();
        assert_eq!(err, Errno::INVAL);
        assert_eq!(ignore(sig).unwrap_err(), Errno::INVAL);
        // SIG_DFL too, on every OS (OpenBSD and Linux refuse it, DragonFly would not).
        assert_eq!(set_default_action(sig).unwrap_err(), Errno::INVAL);
        assert_eq!(action(sig).unwrap().handler_kind(), Handler::Default);
    }
    assert_eq!(Signal::from_raw(0), Err(Errno::INVAL));
    assert_eq!(Signal::from_raw(Signal::MAX + 1), Err(Errno::INVAL));
    assert_eq!("SIG0".parse::<Signal>(), Err(Errno::INVAL));
    assert_eq!(
        AltStack::new(AltStack::min_size() - 1).unwrap_err(),
        Errno::NOMEM
    );
    assert_eq!(AltStack::new(0).unwrap_err(), Errno::NOMEM);
    assert_eq!(AltStack::new(usize::MAX).unwrap_err(), Errno::NOMEM);
    assert_eq!(
        kill_thread(ThreadId::from_raw(i32::MAX), Signal::USR1).unwrap_err(),
        Errno::SRCH
    );
}

#[test]
fn alt_stacks_nest_and_drop_in_any_order() {
    let _g = lock();
    std::thread::spawn(|| {
        // SAFETY: a query installs nothing.
        let original = unsafe { bsd_sys::signal::sigaltstack(None) }.unwrap();
        let a = AltStack::new(AltStack::min_size()).unwrap();
        let b = AltStack::with_default_size().unwrap();
        assert!(b.is_installed() && !a.is_installed());
        drop(a); // out of order: b stays, and b's predecessor becomes the original
        assert!(b.is_installed());
        drop(b);
        // SAFETY: a query installs nothing.
        let now = unsafe { bsd_sys::signal::sigaltstack(None) }.unwrap();
        assert_eq!(now.ss_sp, original.ss_sp);
        assert_eq!(now.ss_size, original.ss_size);
        assert_eq!(
            now.ss_flags & bsd_sys::libc::SS_DISABLE,
            original.ss_flags & bsd_sys::libc::SS_DISABLE
        );
    })
    .join()
    .unwrap();
}

// The storm.
static STORM_HANDLED: AtomicUsize = AtomicUsize::new(0);
static STORM_OFF_STACK: AtomicUsize = AtomicUsize::new(0);
static ALT_LO: AtomicUsize = AtomicUsize::new(0);
static ALT_HI: AtomicUsize = AtomicUsize::new(0);

fn storm_handler(_: &SigInfo) {
    let marker = 0u8;
    let sp = std::hint::black_box(&marker) as *const u8 as usize;
    if !(ALT_LO.load(SeqCst)..ALT_HI.load(SeqCst)).contains(&sp) {
        STORM_OFF_STACK.fetch_add(1, SeqCst);
    }
    STORM_HANDLED.fetch_add(1, SeqCst);
}

/// 100,000 thread-directed signals to one thread whose handler runs on its alternate stack.
///
/// Coalescing rule: a standard signal is pending at most once per thread, so sends made while
/// one is still pending merge into one delivery.
/// - The first half is acknowledged: the sender waits until the handler has counted each
///   signal before sending the next, so nothing can merge and the count must be exact.
/// - The second half runs free. The sender reads the handled count before each send; when it
///   equals the number of sends so far, nothing is pending and that send must produce a handler
///   run of its own (a "guaranteed" send). Hence `guaranteed <= handled <= sent`.
///
/// The target makes one system call after the sender stops; signal delivery happens on that
/// return to user mode, so nothing sent earlier is still pending when the count is read.
#[test]
fn storm_of_100k_signals_on_the_alternate_stack() {
    if handlers_deferred_by_sanitizer() || signal_may_enter_sanitizer_runtime() {
        return;
    }
    let _g = lock();
    const SENT: usize = 100_000;
    const ACKED: usize = SENT / 2;
    STORM_HANDLED.store(0, SeqCst);
    STORM_OFF_STACK.store(0, SeqCst);
    let _r = install(
        Signal::USR2,
        SigAction::handler(storm_handler).with_flags(SaFlags::ONSTACK | SaFlags::RESTART),
    );
    let stop = AtomicBool::new(false);
    let (handled, guaranteed) = std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel();
        let stop = &stop;
        let target = s.spawn(move || {
            let alt = AltStack::with_default_size().unwrap();
            ALT_LO.store(alt.range().start, SeqCst);
            ALT_HI.store(alt.range().end, SeqCst);
            tx.send(ThreadId::current()).unwrap();
            // Sleeping, not spinning: a signal wakes the thread at once even when the CPUs are
            // busy, and the sleep resumes after the handler.
            while !stop.load(SeqCst) {
                std::thread::sleep(Duration::from_micros(200));
            }
            // Any system call returns through signal delivery: nothing sent before `stop` is left.
            let still = pending().unwrap();
            assert!(!still.contains(Signal::USR2));
            drop(alt);
            STORM_HANDLED.load(SeqCst)
        });
        let tid = rx.recv().unwrap();
        for i in 0..ACKED {
            kill_thread(tid, Signal::USR2).unwrap();
            let start = Instant::now();
            let mut spins = 0u32;
            while STORM_HANDLED.load(SeqCst) != i + 1 {
                spins = spins.wrapping_add(1);
                if spins % 64 == 0 {
                    assert!(
                        start.elapsed() < Duration::from_secs(20),
                        "signal {i} never handled"
                    );
                    std::thread::yield_now();
                } else {
                    std::hint::spin_loop();
                }
            }
        }
        let mut guaranteed = 0;
        for i in ACKED..SENT {
            if STORM_HANDLED.load(SeqCst) == i {
                guaranteed += 1;
            }
            kill_thread(tid, Signal::USR2).unwrap();
        }
        stop.store(true, SeqCst);
        (target.join().unwrap(), guaranteed)
    });
    println!("storm: sent {SENT}, handled {handled}, guaranteed {guaranteed}");
    assert!(handled <= SENT);
    assert!(
        handled >= ACKED + guaranteed,
        "handled {handled} < {ACKED} acknowledged + {guaranteed} guaranteed"
    );
    assert!(guaranteed >= 1);
    assert_eq!(
        STORM_OFF_STACK.load(SeqCst),
        0,
        "every run was on the alternate stack"
    );
}

#[test]
fn sigset_operations() {
    let mut set = SigSet::empty();
    assert!(set.is_empty());
    set.add(Signal::USR1).add(Signal::TERM);
    assert!(set.contains(Signal::USR1) && set.contains(Signal::TERM) && !set.contains(Signal::INT));
    let mut listed: Vec<Signal> = set.iter().collect();
    listed.sort();
    let mut expected = vec![Signal::USR1, Signal::TERM];
    expected.sort();
    assert_eq!(listed, expected);
    set.remove(Signal::USR1);
    assert_eq!(set, SigSet::of(Signal::TERM));
    let full = SigSet::full();
    assert!(Signal::all()
        .filter(|s| !full.contains(*s))
        .all(bsd_sys::signal::is_reserved));
    assert_eq!(format!("{:?}", SigSet::of(Signal::INT)), "{SIGINT}");
}

// A real fault, in a child process (the handler cannot return to the faulting instruction).
static FAULT_EXPECTED: AtomicUsize = AtomicUsize::new(0);

fn on_fault(info: &SigInfo) {
    let ok = info.signal() == Signal::SEGV
        && info.fault_address() == Some(FAULT_EXPECTED.load(SeqCst))
        && info.code() > 0
        && info.sender_pid().is_none();
    let on_alt = {
        let marker = 0u8;
        let sp = std::hint::black_box(&marker) as *const u8 as usize;
        (ALT_LO.load(SeqCst)..ALT_HI.load(SeqCst)).contains(&sp)
    };
    let code = if ok && on_alt {
        42
    } else if ok {
        43
    } else {
        44
    };
    // SAFETY: _exit is async-signal-safe and ends the child right here.
    unsafe { bsd_sys::libc::_exit(code) };
}

const FAULT_CHILD: &str = "BSD_SIGNAL_TEST_FAULT_CHILD";

#[test]
fn fault_address_reaches_the_handler_on_the_alternate_stack() {
    if std::env::var_os(FAULT_CHILD).is_some() {
        // Child: fault on a guard page, on the alternate stack.
        let guard = bsd_mem::Stack::new(4096).unwrap();
        let alt = AltStack::with_default_size().unwrap();
        ALT_LO.store(alt.range().start, SeqCst);
        ALT_HI.store(alt.range().end, SeqCst);
        let target = guard.guard_range().start + 8;
        FAULT_EXPECTED.store(target, SeqCst);
        // SAFETY: `on_fault` only reads atomics and calls _exit.
        unsafe {
            set_action(
                Signal::SEGV,
                &SigAction::handler(on_fault).with_flags(SaFlags::ONSTACK),
            )
        }
        .unwrap();
        // SAFETY: deliberately reads an inaccessible guard page; the handler ends the process.
        let _ = unsafe { std::ptr::read_volatile(target as *const u8) };
        std::process::exit(45); // not reached
    }
    let _g = lock();
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "fault_address_reaches_the_handler_on_the_alternate_stack",
            "--test-threads=1",
        ])
        .env(FAULT_CHILD, "1")
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert_eq!(
        status.code(),
        Some(42),
        "42: fault address and alternate stack right; 43: wrong stack; 44: wrong siginfo"
    );
}
