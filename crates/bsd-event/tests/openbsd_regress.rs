//! OpenBSD's own kqueue regression tests (`regress/sys/kern/kqueue` in openbsd/src), ported to
//! the public API for the filters this crate offers. Each test names the file and revision it
//! comes from; where a kernel differs the expectation is written per OS with its source. Not
//! ported: `kqueue-process.c` (NOTE_FORK/NOTE_TRACK, which Linux cannot emulate), `kqueue-pty.c`,
//! `kqueue-tun.c`, `kqueue-fdpass.c`, `kqueue-flock.c`, `kqueue-random.c` (devices and
//! descriptor passing, outside the offered filters).

mod common;

use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::time::Duration;

use bsd_event::{Change, Error, EvFlags, EventKind, Events, Filter, Kqueue, UserFflags};
use bsd_sys::{Errno, Signal};

use common::*;

/// The zero-wait of the regress tests (`ts = { 0, 0 }`).
const NOW: Option<Duration> = Some(Duration::ZERO);

// kqueue-pipe.c rev 1.6: a pipe's Write is not reported while the pipe is full, and is once a
// read makes room.
#[test]
fn regress_pipe_write_waits_for_room() {
    let kq = Kqueue::new().unwrap();
    let (r, w) = pipe();
    kq.register(Change::add(Filter::write(&w), 1).with(EvFlags::ENABLE))
        .unwrap();
    let buf = [0u8; 8000];
    // SAFETY: writes from a valid buffer to a non-blocking descriptor this test owns.
    while unsafe { libc::write(w.as_raw_fd(), buf.as_ptr().cast(), buf.len()) } == 8000 {}
    let mut events = Events::with_capacity(1);
    assert_eq!(kq.wait(&mut events, NOW).unwrap(), 0);
    assert_eq!(read_bytes(&r, 8000), 8000);
    assert!(kq.wait(&mut events, NOW).unwrap() >= 1);
}

// kqueue-timer.c rev 1.2: a ONESHOT timer of 500 ms fires within 2 s; re-added without ONESHOT
// (EV_CLEAR is implied) it fires again within 2 s.
#[test]
fn regress_timer_oneshot_then_periodic() {
    let kq = Kqueue::new().unwrap();
    let timer = Filter::Timer {
        id: 0,
        period: Duration::from_millis(500),
    };
    let mut events = Events::with_capacity(1);
    let two_s = Some(Duration::from_secs(2));
    kq.register(Change::add(timer, 0).with(EvFlags::ENABLE | EvFlags::ONESHOT))
        .unwrap();
    assert_eq!(kq.wait(&mut events, two_s).unwrap(), 1);
    kq.register(Change::add(timer, 0).with(EvFlags::ENABLE))
        .unwrap();
    assert_eq!(kq.wait(&mut events, two_s).unwrap(), 1);
    assert!(events.iter().all(|e| e.flags().contains(EvFlags::CLEAR)));
}

/// (ident, user fflags, token) of every event of one short wait.
fn user_events(kq: &Kqueue) -> Vec<(u64, u32, u64)> {
    let mut events = Events::with_capacity(4);
    kq.wait(&mut events, Some(Duration::from_micros(10)))
        .unwrap();
    let mut got: Vec<_> = events
        .iter()
        .map(|e| match e.kind().unwrap() {
            EventKind::User { id, fflags } => (id, fflags, e.token()),
            other => panic!("{other:?}"),
        })
        .collect();
    got.sort_unstable();
    got
}

fn user(id: u64, trigger: bool, fflags: UserFflags) -> Filter {
    Filter::User {
        id,
        trigger,
        fflags,
    }
}

// kqueue-user.c rev 1.1: EVFILT_USER triggering, the token kept without EV_ADD and updated with
// it, EV_CLEAR on a change resetting the trigger, self-clearing events, and the NOTE_FF*
// operations. The `data` field is not part of this crate's User changes, so its checks are
// left out; the events are compared as a set (the C test assumes one output order).
#[test]
fn regress_user() {
    let kq = Kqueue::new().unwrap();
    let nop = UserFflags::Nop;
    match kq.register(Change::add(user(1, false, UserFflags::Copy(0xff_ffff)), 0)) {
        // OpenBSD before 7.8 has no EVFILT_USER (sys/sys/event.h rev 1.74).
        Err(Error::Unsupported { .. }) => return println!("skipped: no EVFILT_USER"),
        r => r.unwrap(),
    }
    assert_eq!(user_events(&kq), vec![]);
    // Triggered without EV_ADD: the token is not updated.
    kq.register(Change::new(user(1, true, nop), EvFlags::empty(), 7))
        .unwrap();
    assert_eq!(user_events(&kq), vec![(1, 0xff_ffff, 0)]);
    // With EV_ADD it is.
    kq.register(Change::add(user(1, true, nop), 8)).unwrap();
    assert_eq!(user_events(&kq), vec![(1, 0xff_ffff, 8)]);
    kq.register(Change::add(user(2, true, nop), 9)).unwrap();
    assert_eq!(user_events(&kq), vec![(1, 0xff_ffff, 8), (2, 0, 9)]);
    // EV_CLEAR on a change resets the first event's trigger.
    kq.register(Change::new(user(1, false, nop), EvFlags::CLEAR, 0))
        .unwrap();
    assert_eq!(user_events(&kq), vec![(2, 0, 9)]);
    kq.register(Change::delete(user(2, false, nop))).unwrap();
    assert_eq!(user_events(&kq), vec![]);
    // A self-clearing event: reported once per trigger, its flags reset after each report.
    kq.register(Change::add(user(2, false, UserFflags::Copy(0x11)), 10).with(EvFlags::CLEAR))
        .unwrap();
    assert_eq!(user_events(&kq), vec![]);
    kq.register(Change::new(user(2, true, nop), EvFlags::empty(), 11))
        .unwrap();
    assert_eq!(user_events(&kq), vec![(2, 0x11, 10)]);
    assert_eq!(user_events(&kq), vec![]);
    kq.register(Change::new(user(2, true, nop), EvFlags::empty(), 11))
        .unwrap();
    assert_eq!(user_events(&kq), vec![(2, 0, 10)]);
    kq.register(Change::delete(user(2, false, nop))).unwrap();
    // NOTE_FFCOPY, NOTE_FFOR, then NOTE_FFAND with the trigger.
    let ff = |f| Change::new(user(1, false, f), EvFlags::empty(), 0);
    kq.register(ff(UserFflags::Copy(0x00_aa00))).unwrap();
    assert_eq!(user_events(&kq), vec![]);
    kq.register(ff(UserFflags::Or(0xff_00ff))).unwrap();
    assert_eq!(user_events(&kq), vec![]);
    kq.register(Change::new(
        user(1, true, UserFflags::And(0x0f_fff0)),
        EvFlags::empty(),
        0,
    ))
    .unwrap();
    assert_eq!(user_events(&kq), vec![(1, 0x0f_aaf0, 8)]);
    // OpenBSD limits timers and user events per process (kq_usereventsmax, ENOMEM beyond:
    // sys/kern/kern_event.c rev 1.205); DragonFly and the Linux emulation have no such limit.
    #[cfg(target_os = "openbsd")]
    {
        let mut i = 0u64;
        loop {
            match kq.register(Change::add(user(i, false, nop), 0)) {
                Ok(()) => i += 1,
                Err(e) => {
                    assert_eq!(e, Error::Os(Errno::NOMEM));
                    break;
                }
            }
            assert!(i < 1_000_000);
        }
        kq.register(Change::delete(user(0, false, nop))).unwrap();
        kq.register(Change::add(user(0, false, nop), 0)).unwrap();
        assert_eq!(
            kq.register(Change::add(user(i, false, nop), 0)),
            Err(Error::Os(Errno::NOMEM))
        );
    }
}

// kqueue-regress.c rev 1.4, case 1: a Read registration on a kqueue descriptor and a Signal
// registration, the queue left open when the process exits (here a forked child, so the test
// process keeps no descriptor). Registering a queue in itself: the BSDs accept it; epoll
// refuses to watch itself (epoll_ctl(2): EINVAL "epfd is fd"), so the emulation does too.
#[test]
fn regress_1_queue_watching_itself() {
    let _g = lock();
    // SAFETY: the child makes system calls only and leaves with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        let ok = (|| {
            let kq = Kqueue::new().ok()?;
            let results = kq
                .apply(&[
                    Change::add(Filter::read(&kq), 1),
                    Change::add(Filter::Signal(Signal::INT), 2),
                ])
                .ok()?;
            let expected = if cfg!(target_os = "linux") {
                vec![Err(Error::Os(Errno::INVAL)), Ok(())]
            } else {
                vec![Ok(()), Ok(())]
            };
            std::mem::forget(kq); // left open for the exit to close, as in the C test
            (results == expected).then_some(())
        })()
        .is_some();
        // SAFETY: leaves the child at once, the queue still open.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    common::expect_child_success(pid);
}

// kqueue-regress.c rev 1.4, case 2: a child registers pipes (Read on both ends of one) and
// exits; run twice. The exit closes everything cleanly.
#[test]
fn regress_2_child_exits_with_registrations() {
    let _g = lock();
    for _ in 0..2 {
        // SAFETY: the child makes system calls only and leaves with _exit.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            let ok = (|| {
                let kq = Kqueue::new().ok()?;
                let (p0r, _p0w) = bsd_pipe()?;
                let (p1r, p1w) = bsd_pipe()?;
                for fd in [&p0r, &p1w, &p1r] {
                    kq.register(Change::add(Filter::read(fd), 0)).ok()?;
                }
                Some(())
            })()
            .is_some();
            // SAFETY: leaves the child at once.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        common::expect_child_success(pid);
    }
}

// kqueue-regress.c rev 1.4, case 3: chains of 120 queues, each watching the one before it (or,
// the other way, watched by it), left open when the process (here a forked child) exits; the
// exit must close them cleanly. Linux's epoll refuses nesting deeper than 5 levels (ELOOP, as
// in case 4), so there a chain stops at its first refusal.
#[test]
fn regress_3_chains_left_open_at_exit() {
    let _g = lock();
    for watched_by_previous in [false, true] {
        // SAFETY: the child makes system calls only and leaves with _exit.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            let ok = make_chain(watched_by_previous);
            // SAFETY: leaves the child at once.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        common::expect_child_success(pid);
    }
}

/// Builds the chain of case 3 and leaves its queues open; `false` on any unexpected failure.
fn make_chain(watched_by_previous: bool) -> bool {
    let mut queues: Vec<Kqueue> = Vec::new();
    for depth in 0..120 {
        let Ok(kq) = Kqueue::new() else { return false };
        let res = match queues.last() {
            None => Ok(()),
            Some(prev) if watched_by_previous => prev.register(Change::add(Filter::read(&kq), 0)),
            Some(prev) => kq.register(Change::add(Filter::read(prev), 0)),
        };
        queues.push(kq);
        match res {
            Ok(()) => {}
            Err(Error::Os(Errno::LOOP)) if cfg!(target_os = "linux") && depth >= 2 => break,
            Err(_) => return false,
        }
    }
    // Left open for the exit to close, as the C test leaves them.
    std::mem::forget(queues);
    true
}

/// A pipe without panicking (for a forked child).
fn bsd_pipe() -> Option<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe writes.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: both descriptors are fresh and owned only here.
    unsafe {
        use std::os::fd::FromRawFd;
        Some((OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])))
    }
}

// kqueue-regress.c rev 1.4, case 4: a chain of queues, each watching the one before, the first
// a pipe; a byte in the pipe propagates to the last queue. OpenBSD builds 500; Linux's epoll
// refuses nesting deeper than 5 levels (epoll_ctl(2): ELOOP), so there the chain stops at the
// first refusal, which must be ELOOP, and the event still propagates through what was built.
#[test]
fn regress_4_chain_of_queues() {
    let _g = lock(); // many descriptors
    let (r, w) = pipe();
    let mut queues: Vec<Kqueue> = Vec::new();
    for i in 0..500 {
        let kq = Kqueue::new().unwrap();
        let res = match queues.last() {
            None => kq.register(Change::add(Filter::read(&r), 0)),
            Some(prev) => kq.register(Change::add(Filter::read(prev), 0)),
        };
        match res {
            Ok(()) => queues.push(kq),
            Err(e) if cfg!(target_os = "linux") => {
                assert_eq!(e, Error::Os(Errno::LOOP), "at depth {i}");
                assert!((2..=6).contains(&i), "refused at depth {i}");
                println!("epoll refused nesting at depth {i}");
                break;
            }
            Err(e) => panic!("depth {i}: {e:?}"),
        }
    }
    if !cfg!(target_os = "linux") {
        assert_eq!(queues.len(), 500);
    }
    put(&w, b"x");
    let mut events = Events::with_capacity(1);
    let last = queues.last().unwrap();
    assert_eq!(
        last.wait(&mut events, Some(Duration::from_secs(5)))
            .unwrap(),
        1
    );
}

// kqueue-regress.c rev 1.4, case 5: poll(2) on the queue's descriptor reports it readable
// exactly when an event is pending.
#[test]
fn regress_5_poll_on_the_queue() {
    let kq = Kqueue::new().unwrap();
    let (r, w) = pipe();
    kq.register(Change::add(Filter::read(&r), 0)).unwrap();
    let poll = |ms| {
        let mut pfd = libc::pollfd {
            fd: kq.as_fd().as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let n = unsafe { libc::poll(&mut pfd, 1, ms) };
        assert!(n >= 0);
        (n, pfd.revents & libc::POLLIN != 0)
    };
    assert_eq!(poll(0), (0, false));
    put(&w, b"x");
    assert_eq!(poll(5000), (1, true));
}

// kqueue-signal.c rev 1.1: an ignored signal is still counted, and the count of a signal
// delivered twice between waits is 2 (EV_CLEAR implied). Linux: signalfd sees a signal only
// while it is blocked (a blocked signal is queued even when ignored, Linux kernel/signal.c
// `sig_ignored`), and a standard signal pending twice is one signal (the crate docs' table), so
// the second count is 1 there. Thread-directed, so no other test thread receives it.
#[test]
fn regress_signal_ignored_is_counted() {
    let _g = lock();
    let sig = Signal::USR2;
    // SAFETY: an all-zero sigset is valid; sigemptyset/sigaddset initialise it.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    let mut old: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointers; the disposition is restored below, under the binary's lock.
    let prev = unsafe {
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, sig.raw());
        if cfg!(target_os = "linux") {
            assert_eq!(libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old), 0);
        }
        libc::signal(sig.raw(), libc::SIG_IGN)
    };
    let kq = Kqueue::new().unwrap();
    kq.register(Change::add(Filter::Signal(sig), 3).with(EvFlags::ENABLE))
        .unwrap();
    let raise = || {
        // SAFETY: a thread-directed signal to this thread, which ignores (and on Linux blocks) it.
        let rc = unsafe { libc::pthread_kill(libc::pthread_self(), sig.raw()) };
        assert_eq!(rc, 0);
    };
    let count = || {
        let mut events = Events::with_capacity(1);
        let evs = wait(&kq, &mut events, LONG);
        assert_eq!(evs.len(), 1, "{evs:?}");
        assert_eq!(evs[0].ident(), sig.raw() as u64);
        match evs[0].kind().unwrap() {
            EventKind::Signal { count, .. } => count,
            other => panic!("{other:?}"),
        }
    };
    raise();
    assert_eq!(count(), 1);
    raise();
    raise();
    assert_eq!(count(), if cfg!(target_os = "linux") { 1 } else { 2 });
    // SAFETY: restores the disposition and the mask taken above.
    unsafe {
        libc::signal(sig.raw(), prev);
        if cfg!(target_os = "linux") {
            assert_eq!(
                libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut()),
                0
            );
        }
    }
}

// kqueue-fork.c rev 1.1: the queue is not inherited by a forked child. On the BSDs the child's
// close of the number fails (EBADF); on Linux the child's copy of the epoll descriptor stays
// open, but the queue refuses it with EBADF (the crate docs' table).
#[test]
fn regress_fork_does_not_inherit_the_queue() {
    let _g = lock();
    let kq = Kqueue::new().unwrap();
    // SAFETY: the child makes system calls only and leaves with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        let ok = if cfg!(target_os = "linux") {
            let mut events = Events::with_capacity(1);
            kq.wait(&mut events, NOW) == Err(Errno::BADF)
        } else {
            // SAFETY: closes the child's number of the queue, which must not exist.
            (unsafe { libc::close(kq.as_fd().as_raw_fd()) }) == -1
        };
        // SAFETY: leaves the child at once.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    common::expect_child_success(pid);
}
