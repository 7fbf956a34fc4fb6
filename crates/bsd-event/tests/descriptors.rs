//! Descriptor bookkeeping through the public API: closed and reused numbers, 10,000
//! registrations in one apply, no descriptor leaks. The tests that change RLIMIT_NOFILE or
//! count descriptors take the binary's lock.
//!
//! Each test names the semantics it relies on. "portable" means real kqueue and the Linux
//! emulation agree (see the crate docs' table for where they do not).

mod common;

use std::fs::File;
use std::os::fd::RawFd;
use std::process::Command;
use std::time::Duration;

use bsd_event::{
    Change, Error, EvFlags, Event, EventKind, Events, Filter, Kqueue, ProcNotes, VnodeNotes, Waker,
};
use bsd_sys::{Errno, Pid, Signal};
use common::*;

fn nofile_limit() -> (libc::rlim_t, libc::rlim_t) {
    // SAFETY: an all-zero rlimit is valid and getrlimit fills it.
    let mut lim: libc::rlimit = unsafe { std::mem::zeroed() };
    // SAFETY: `lim` is writable.
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) }, 0);
    (lim.rlim_cur, lim.rlim_max)
}

fn set_soft_nofile(soft: libc::rlim_t) {
    let (_, hard) = nofile_limit();
    let lim = libc::rlimit {
        rlim_cur: soft,
        rlim_max: hard,
    };
    // SAFETY: `lim` is valid; raising the soft limit up to the hard one is always allowed.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) }, 0);
}

// Portable: a change on a closed descriptor fails alone; the others are applied.
#[test]
fn closed_descriptor_fails_alone_with_ebadf() {
    let _guard = lock();
    let kq = Kqueue::new().unwrap();
    let (r1, w1) = pipe();
    let (r2, w2) = pipe();
    // A number no descriptor uses: the highest the soft limit allows (the 10,000-pipe test, the
    // only one that opens that many, holds the same lock).
    let (soft, _) = nofile_limit();
    let closed = RawFd::try_from(soft - 1).unwrap_or(RawFd::MAX);
    let results = kq
        .apply(&[
            Change::add(Filter::read(&r1), 1),
            Change::add(Filter::Read(closed), 2),
            Change::add(Filter::read(&r2), 3),
        ])
        .unwrap();
    assert_eq!(results, vec![Ok(()), Err(Error::Os(Errno::BADF)), Ok(())]);
    put(&w1, b"1");
    put(&w2, b"2");
    let mut events = Events::with_capacity(8);
    let mut tokens: Vec<u64> = wait(&kq, &mut events, LONG)
        .iter()
        .map(Event::token)
        .collect();
    tokens.sort_unstable();
    assert_eq!(tokens, vec![1, 3]);
}

// Portable: 10,000 registrations in one apply, all reported (ONESHOT, so each exactly once).
#[test]
fn ten_thousand_pipes_all_report_readable() {
    const N: usize = 10_000;
    let _guard = lock();
    let (soft, hard) = nofile_limit();
    // Each pipe keeps only its read end open (its write end is closed after one byte).
    let need = (N + 256) as libc::rlim_t;
    if hard < need {
        println!("skipped: RLIMIT_NOFILE hard limit {hard} is below the {need} descriptors this test needs");
        return;
    }
    set_soft_nofile(hard);
    let kq = Kqueue::new().unwrap();
    let mut reads = Vec::with_capacity(N);
    for _ in 0..N {
        let (r, w) = pipe();
        put(&w, b"!");
        reads.push(r);
    }
    let changes: Vec<Change> = reads
        .iter()
        .enumerate()
        .map(|(i, r)| Change::add(Filter::read(r), i as u64).with(EvFlags::ONESHOT))
        .collect();
    all_ok(kq.apply(&changes).unwrap());
    let mut seen = vec![false; N];
    let mut count = 0;
    let mut events = Events::with_capacity(1024);
    while count < N {
        let evs = wait(&kq, &mut events, LONG);
        assert!(!evs.is_empty(), "timed out after {count} of {N}");
        for ev in evs {
            let i = ev.token() as usize;
            assert!(!seen[i], "pipe {i} reported twice");
            seen[i] = true;
            count += 1;
            assert!(matches!(
                ev.kind().unwrap(),
                EventKind::Read {
                    bytes: 1,
                    eof: true,
                    ..
                }
            ));
        }
    }
    drop(reads);
    drop(kq);
    set_soft_nofile(soft);
}

/// Counts open descriptors below 4096 with `fcntl(F_GETFD)`.
fn open_fds() -> usize {
    // SAFETY: F_GETFD only queries the descriptor table.
    (0..4096)
        .filter(|&fd| unsafe { libc::fcntl(fd, libc::F_GETFD) } != -1)
        .count()
}

// Portable: dropping the queue and the wakers closes every descriptor they opened.
#[test]
fn no_descriptor_leaks() {
    let _guard = lock();
    // Other tests open descriptors concurrently, so measure in a child process of this binary.
    if std::env::var_os("BSD_EVENT_LEAK_CHILD").is_none() {
        let out = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "no_descriptor_leaks",
                "--test-threads=1",
                "--nocapture",
            ])
            .env("BSD_EVENT_LEAK_CHILD", "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "child failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains("descriptors before"),
            "the child did not run the check: {text}"
        );
        return;
    }
    let before = open_fds();
    {
        let path = temp_path("leak");
        let file = File::create(&path).unwrap();
        let kq = Kqueue::new().unwrap();
        let (r, _w) = pipe();
        let mut changes = vec![
            Change::add(Filter::read(&r), 1),
            Change::add(
                Filter::Timer {
                    id: 1,
                    period: Duration::from_secs(60),
                },
                2,
            ),
            Change::add(Filter::Signal(Signal::USR1), 3),
            Change::add(Filter::vnode(&file, VnodeNotes::WRITE), 4),
            Change::add(
                Filter::Proc {
                    pid: Pid::current(),
                    notes: ProcNotes::EXIT,
                },
                5,
            ),
        ];
        if kq.register(Change::add(Filter::user(9), 6)).is_ok() {
            changes.push(Change::add(Filter::user_trigger(9), 6));
        }
        all_ok(kq.apply(&changes).unwrap());
        let _waker = Waker::new(&kq, 7).unwrap();
        let _pipe_waker = Waker::with_socket_pair(&kq, 8).unwrap();
        let mut events = Events::with_capacity(8);
        kq.wait(&mut events, BRIEF).unwrap();
        std::fs::remove_file(&path).unwrap();
    }
    let after = open_fds();
    println!("descriptors before: {before}, after: {after}");
    assert_eq!(before, after);
}

// Linux only: a descriptor closed without DELETE leaves a registry entry; a new ADD of the
// number (now another pipe) replaces it (real kqueue drops the knote on close).
#[cfg(target_os = "linux")]
#[test]
fn readding_a_reused_descriptor_number_works_on_linux() {
    use std::os::fd::AsRawFd;
    let _guard = lock();
    let kq = Kqueue::new().unwrap();
    let (r, w) = pipe();
    let number = r.as_raw_fd();
    kq.register(Change::add(Filter::read(&r), 1)).unwrap();
    drop(r);
    drop(w);
    let (r2, w2) = pipe();
    // The kernel hands out the lowest free number, so the new read end normally reuses it.
    if r2.as_raw_fd() != number {
        println!("skipped: another test took descriptor {number} meanwhile");
        return;
    }
    let r3 = r2;
    kq.register(Change::add(Filter::read(&r3), 2)).unwrap();
    put(&w2, b"z");
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].token(), 2);
    assert!(matches!(
        evs[0].kind().unwrap(),
        EventKind::Read { bytes: 1, .. }
    ));
}

// Portable: an absurd descriptor number is refused with EBADF (and allocates nothing).
#[test]
fn absurd_descriptor_numbers_give_ebadf() {
    let kq = Kqueue::new().unwrap();
    for fd in [RawFd::MAX, -1] {
        let r = kq.register(Change::add(Filter::Read(fd), 0));
        assert_eq!(r, Err(Error::Os(Errno::BADF)), "fd {fd}");
    }
}
