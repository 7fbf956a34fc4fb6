//! Sleeping and interval timers. Both change or rely on process-wide signal state, so every test
//! here takes `GLOBAL` first.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bsd_time::{sleep, Errno, IntervalTimer, TimerSetting, Timespec};

static GLOBAL: Mutex<()> = Mutex::new(());

static HITS: AtomicUsize = AtomicUsize::new(0);

extern "C" fn count_hit(_: libc::c_int) {
    HITS.fetch_add(1, Ordering::SeqCst);
}

/// Installs `count_hit` for `sig` without SA_RESTART and returns the previous action.
fn install_counter(sig: libc::c_int) -> libc::sigaction {
    // SAFETY: zeroed sigaction is a valid "default" value; `count_hit` is async-signal-safe
    // (one atomic add); both pointers are valid for the call.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = count_hit as *const () as usize;
        libc::sigemptyset(&mut action.sa_mask);
        let mut old: libc::sigaction = std::mem::zeroed();
        assert_eq!(libc::sigaction(sig, &action, &mut old), 0);
        old
    }
}

fn restore(sig: libc::c_int, old: &libc::sigaction) {
    // SAFETY: `old` came from sigaction for the same signal.
    unsafe { assert_eq!(libc::sigaction(sig, old, std::ptr::null_mut()), 0) };
}

#[test]
fn sleep_lasts_at_least_the_duration() {
    let _g = GLOBAL.lock().unwrap();
    let start = Instant::now();
    sleep(Duration::from_millis(30)).unwrap();
    assert!(start.elapsed() >= Duration::from_millis(30));
    sleep(Duration::ZERO).unwrap();
}

#[test]
fn sleep_resumes_after_a_signal_interrupts_it() {
    let _g = GLOBAL.lock().unwrap();
    let old = install_counter(libc::SIGUSR1);
    HITS.store(0, Ordering::SeqCst);

    // Carried as an address: `pthread_t` is a pointer (not Send) on musl and OpenBSD.
    // SAFETY: pthread_self cannot fail.
    let sleeper = unsafe { libc::pthread_self() } as usize;
    let requested = Duration::from_millis(300);
    let start = Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(80));
            // SAFETY: `sleeper` is alive: it is blocked in `sleep` below until this returns.
            let sent = unsafe { libc::pthread_kill(sleeper as libc::pthread_t, libc::SIGUSR1) };
            assert_eq!(sent, 0);
        });
        sleep(requested).unwrap();
    });
    let elapsed = start.elapsed();
    restore(libc::SIGUSR1, &old);

    assert_eq!(
        HITS.load(Ordering::SeqCst),
        1,
        "the signal did not reach the sleeping thread"
    );
    assert!(
        elapsed >= requested,
        "sleep returned after {elapsed:?}, asked for {requested:?}"
    );
}

#[test]
fn raw_nanosleep_reports_interruption_and_remaining_time() {
    let _g = GLOBAL.lock().unwrap();
    let old = install_counter(libc::SIGUSR2);
    // Carried as an address: `pthread_t` is a pointer (not Send) on musl and OpenBSD.
    // SAFETY: pthread_self cannot fail.
    let sleeper = unsafe { libc::pthread_self() } as usize;
    let mut remaining = Timespec::ZERO;
    let result = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(50));
            // SAFETY: `sleeper` is blocked in nanosleep below until this returns.
            let sent = unsafe { libc::pthread_kill(sleeper as libc::pthread_t, libc::SIGUSR2) };
            assert_eq!(sent, 0);
        });
        bsd_sys::time::nanosleep(Timespec::new(5, 0).unwrap(), &mut remaining)
    });
    restore(libc::SIGUSR2, &old);
    assert_eq!(result, Err(Errno::INTR));
    let left = remaining.to_duration().unwrap();
    assert!(
        left > Duration::from_secs(3) && left < Duration::from_secs(5),
        "remaining {left:?}"
    );
}

#[test]
fn negative_sleep_through_the_raw_api_is_einval() {
    let mut remaining = Timespec::ZERO;
    let negative = Timespec::new(-1, 0).unwrap();
    assert_eq!(
        bsd_sys::time::nanosleep(negative, &mut remaining),
        Err(Errno::INVAL)
    );
}

#[test]
fn real_interval_timer_delivers_sigalrm() {
    let _g = GLOBAL.lock().unwrap();
    let old = install_counter(libc::SIGALRM);
    HITS.store(0, Ordering::SeqCst);

    let period = Duration::from_millis(20);
    let previous = IntervalTimer::Real
        .set(TimerSetting::periodic(period))
        .unwrap();
    assert!(
        !previous.is_armed(),
        "ITIMER_REAL was already armed: {previous:?}"
    );
    let armed = IntervalTimer::Real.get().unwrap();
    assert_eq!(armed.interval, period);
    assert!(armed.is_armed() && armed.value <= period);

    let deadline = Instant::now() + Duration::from_secs(5);
    while HITS.load(Ordering::SeqCst) < 3 && Instant::now() < deadline {
        // Each SIGALRM interrupts this sleep; `sleep` resumes it.
        sleep(Duration::from_millis(5)).unwrap();
    }
    let was = IntervalTimer::Real.disarm().unwrap();
    restore(libc::SIGALRM, &old);

    assert!(
        HITS.load(Ordering::SeqCst) >= 3,
        "only {} SIGALRM in 5 s",
        HITS.load(Ordering::SeqCst)
    );
    assert_eq!(
        was.interval, period,
        "disarm returns the setting it replaced"
    );
    assert!(!IntervalTimer::Real.get().unwrap().is_armed());
}

#[test]
fn profiling_timer_counts_cpu_time() {
    let _g = GLOBAL.lock().unwrap();
    let old = install_counter(libc::SIGPROF);
    HITS.store(0, Ordering::SeqCst);

    IntervalTimer::Prof
        .set(TimerSetting::once(Duration::from_millis(10)))
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut spins = 0u64;
    while HITS.load(Ordering::SeqCst) == 0 && Instant::now() < deadline {
        spins = std::hint::black_box(spins.wrapping_add(1));
    }
    IntervalTimer::Prof.disarm().unwrap();
    restore(libc::SIGPROF, &old);
    assert_eq!(
        HITS.load(Ordering::SeqCst),
        1,
        "one-shot ITIMER_PROF fired {} times",
        HITS.load(Ordering::SeqCst)
    );
}

#[test]
fn timer_values_round_up_to_microseconds() {
    let _g = GLOBAL.lock().unwrap();
    let old = install_counter(libc::SIGVTALRM);
    HITS.store(0, Ordering::SeqCst);
    // 1 ns must arm the timer (rounded up to 1 µs), not disarm it: right after `set` the timer is
    // either still armed or has already fired.
    IntervalTimer::Virtual
        .set(TimerSetting::once(Duration::from_nanos(1)))
        .unwrap();
    let got = IntervalTimer::Virtual.disarm().unwrap();
    restore(libc::SIGVTALRM, &old);
    assert!(
        got.is_armed() || HITS.load(Ordering::SeqCst) == 1,
        "a 1 ns timer was never armed"
    );

    IntervalTimer::Virtual
        .set(TimerSetting::once(Duration::from_secs(100)))
        .unwrap();
    let got = IntervalTimer::Virtual.disarm().unwrap();
    assert!(
        got.value > Duration::from_secs(99) && got.value <= Duration::from_secs(101),
        "{got:?}"
    );
}

#[test]
fn bad_timer_input_is_an_error_not_a_panic() {
    let _g = GLOBAL.lock().unwrap();
    assert_eq!(
        IntervalTimer::Real.set(TimerSetting::once(Duration::MAX)),
        Err(Errno::INVAL)
    );
    let zero = bsd_sys::time::getitimer(libc::ITIMER_REAL).unwrap();
    assert_eq!(
        bsd_sys::time::setitimer(99, &zero).err(),
        Some(Errno::INVAL)
    );
    assert_eq!(bsd_sys::time::getitimer(-1).err(), Some(Errno::INVAL));
}

#[test]
fn disarm_after_a_huge_setting_reports_the_change() {
    let _g = GLOBAL.lock().unwrap_or_else(|e| e.into_inner());
    // 10^10 s is past what Linux's nanosecond timers hold (the CPU-time timers then report a
    // negative time left) and past OpenBSD's UINT_MAX limit (itimerfix, sys/kern/kern_time.c
    // rev 1.170): either the kernel refuses it (and nothing changed) or it arms the timer, and
    // then disarming must succeed and report an armed timer.
    let huge = TimerSetting::once(Duration::from_secs(10_000_000_000));
    for timer in [
        IntervalTimer::Real,
        IntervalTimer::Virtual,
        IntervalTimer::Prof,
    ] {
        match timer.set(huge) {
            Ok(previous) => {
                assert!(
                    !previous.is_armed(),
                    "{timer:?} was armed before: {previous:?}"
                );
                assert!(timer.get().unwrap().is_armed(), "{timer:?}");
                let was = timer.disarm().expect("the kernel did disarm it");
                assert!(
                    was.is_armed(),
                    "{timer:?}: the replaced setting was armed: {was:?}"
                );
            }
            Err(e) => assert_eq!(e, Errno::INVAL, "{timer:?}"),
        }
        assert!(!timer.get().unwrap().is_armed(), "{timer:?} still armed");
    }
}
