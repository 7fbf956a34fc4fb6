//! The clock read agrees with the C library's (whatever path it takes: vDSO, kpmap page or
//! system call), and the mask can be restored without reading the old one.

use bsd_sys::libc;

fn libc_now(clock: libc::clockid_t) -> (i64, i64) {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a writable timespec.
    assert_eq!(unsafe { libc::clock_gettime(clock, &mut ts) }, 0);
    (ts.tv_sec, ts.tv_nsec)
}

#[test]
fn monotonic_lies_between_two_libc_reads() {
    for _ in 0..1000 {
        let before = libc_now(libc::CLOCK_MONOTONIC);
        let ours = bsd_sys::time::clock_gettime(libc::CLOCK_MONOTONIC).unwrap();
        let after = libc_now(libc::CLOCK_MONOTONIC);
        let ours = (ours.secs(), i64::from(ours.nanos()));
        assert!(
            before <= ours && ours <= after,
            "{before:?} {ours:?} {after:?}"
        );
    }
}

#[test]
fn realtime_is_near_libc() {
    let ours = bsd_sys::time::clock_gettime(libc::CLOCK_REALTIME).unwrap();
    let theirs = libc_now(libc::CLOCK_REALTIME);
    assert!(
        (ours.secs() - theirs.0).abs() <= 1,
        "{} vs {}",
        ours.secs(),
        theirs.0
    );
}

#[cfg(target_os = "dragonfly")]
#[test]
fn fast_clocks_come_from_the_shared_page_and_track_the_precise_ones() {
    // Tick granularity: within two seconds of the precise clock, and never ahead of it by
    // more than a tick.
    for (fast, precise) in [
        (libc::CLOCK_MONOTONIC_FAST, libc::CLOCK_MONOTONIC),
        (libc::CLOCK_UPTIME_FAST, libc::CLOCK_UPTIME),
        (libc::CLOCK_REALTIME_FAST, libc::CLOCK_REALTIME),
    ] {
        let f = bsd_sys::time::clock_gettime(fast).unwrap();
        let p = libc_now(precise);
        assert!(
            (f.secs() - p.0).abs() <= 2,
            "clock {fast}: {} vs {}",
            f.secs(),
            p.0
        );
    }
    let s = bsd_sys::time::clock_gettime(libc::CLOCK_SECOND).unwrap();
    assert_eq!(s.nanos(), 0);
}

#[test]
fn unknown_clock_is_einval() {
    assert_eq!(
        bsd_sys::time::clock_gettime(12345).unwrap_err(),
        bsd_sys::Errno::INVAL
    );
}

#[test]
fn change_thread_sigmask_restores_without_reading() {
    // The mask is per thread, so this test thread may change it freely.
    let mut usr1 = bsd_sys::signal::sigset_empty();
    bsd_sys::signal::sigset_add(&mut usr1, bsd_sys::Signal::USR1);
    let old = bsd_sys::signal::thread_sigmask(libc::SIG_BLOCK, Some(&usr1)).unwrap();
    assert!(!bsd_sys::signal::sigset_contains(
        &old,
        bsd_sys::Signal::USR1
    ));
    let now = bsd_sys::signal::thread_sigmask(libc::SIG_BLOCK, None).unwrap();
    assert!(bsd_sys::signal::sigset_contains(
        &now,
        bsd_sys::Signal::USR1
    ));

    bsd_sys::signal::change_thread_sigmask(libc::SIG_SETMASK, &old).unwrap();
    let now = bsd_sys::signal::thread_sigmask(libc::SIG_BLOCK, None).unwrap();
    assert!(!bsd_sys::signal::sigset_contains(
        &now,
        bsd_sys::Signal::USR1
    ));

    // A bad `how` is refused, and the mask stays as it was.
    assert_eq!(
        bsd_sys::signal::change_thread_sigmask(12345, &usr1).unwrap_err(),
        bsd_sys::Errno::INVAL
    );
    let now = bsd_sys::signal::thread_sigmask(libc::SIG_BLOCK, None).unwrap();
    assert!(!bsd_sys::signal::sigset_contains(
        &now,
        bsd_sys::Signal::USR1
    ));
}
