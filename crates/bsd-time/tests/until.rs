//! `sleep_until`: absolute deadlines on the monotonic and realtime clocks.

use std::time::{Duration, Instant};

use bsd_time::{now, sleep_until, Clock, Timespec};

#[test]
fn monotonic_deadline_is_never_early() {
    for ms in [1u64, 10, 30] {
        let deadline = now(Clock::Monotonic)
            .unwrap()
            .checked_add(Duration::from_millis(ms))
            .unwrap();
        sleep_until(Clock::Monotonic, deadline).unwrap();
        let after = now(Clock::Monotonic).unwrap();
        assert!(after >= deadline, "woke at {after:?}, before {deadline:?}");
    }
}

#[test]
fn realtime_deadline_is_never_early() {
    let deadline = now(Clock::Realtime)
        .unwrap()
        .checked_add(Duration::from_millis(20))
        .unwrap();
    sleep_until(Clock::Realtime, deadline).unwrap();
    assert!(now(Clock::Realtime).unwrap() >= deadline);
}

#[test]
fn past_deadline_returns_at_once() {
    let start = Instant::now();
    sleep_until(Clock::Monotonic, Timespec::ZERO).unwrap();
    let past = now(Clock::Monotonic)
        .unwrap()
        .checked_sub(Duration::from_secs(1))
        .unwrap();
    sleep_until(Clock::Monotonic, past).unwrap();
    assert!(start.elapsed() < Duration::from_secs(1));
}

/// An interruption does not end the sleep early: a signal handled during the sleep is
/// absorbed and the sleep resumes to the same deadline.
#[cfg(target_os = "linux")]
#[test]
fn interrupted_sleep_still_reaches_the_deadline() {
    use bsd_sys::libc;
    extern "C" fn nothing(_: libc::c_int) {}
    // SAFETY: installs a handler that does nothing on SIGUSR2 for this test binary (no other
    // test here uses signals); SA_RESTART is off so the sleep really is interrupted.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = nothing as extern "C" fn(libc::c_int) as usize;
        assert_eq!(libc::sigaction(libc::SIGUSR2, &sa, std::ptr::null_mut()), 0);
    }
    // SAFETY: pthread_self of the sleeping thread, sent from a helper thread below.
    let me = unsafe { libc::pthread_self() } as usize;
    let deadline = now(Clock::Monotonic)
        .unwrap()
        .checked_add(Duration::from_millis(100))
        .unwrap();
    let poker = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        // SAFETY: the main test thread is alive until the join below.
        unsafe { libc::pthread_kill(me as libc::pthread_t, libc::SIGUSR2) };
    });
    sleep_until(Clock::Monotonic, deadline).unwrap();
    assert!(now(Clock::Monotonic).unwrap() >= deadline);
    poker.join().unwrap();
}

/// Linux refuses to sleep on the calling thread's own CPU-time clock (clock_nanosleep(2):
/// EINVAL), and the error comes back instead of a sleep.
#[cfg(target_os = "linux")]
#[test]
fn thread_cpu_clock_is_refused() {
    let deadline = now(Clock::ThreadCpuTime)
        .unwrap()
        .checked_add(Duration::from_secs(3600))
        .unwrap();
    assert_eq!(
        sleep_until(Clock::ThreadCpuTime, deadline),
        Err(bsd_time::Errno::INVAL)
    );
}
