//! bsd-event through its public API, with real effects: bytes through pipes, timers expiring,
//! signals counted, children exiting, files changing.
//!
//! Each test names the semantics it relies on. "portable" means real kqueue and the Linux
//! emulation agree (see the crate docs' table for where they do not).

use std::fs::File;
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bsd_event::{
    Change, Error, EvFlags, Event, EventKind, Events, ExitStatus, Filter, Kqueue, ProcNotes,
    UserFflags, VnodeNotes, Waker,
};
use bsd_sys::{Errno, Pid, Signal};

/// Serialises the tests that need many descriptors or an exact descriptor picture.
static FD_LOCK: Mutex<()> = Mutex::new(());

const LONG: Option<Duration> = Some(Duration::from_secs(10));
const SHORT: Option<Duration> = Some(Duration::from_millis(50));

/// A non-blocking, close-on-exec pipe: (read end, write end).
fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    let r = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) };
    assert_eq!(r, 0, "pipe2: {}", std::io::Error::last_os_error());
    // SAFETY: pipe2 succeeded, so both descriptors are fresh and owned only here.
    unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
}

fn write_bytes(fd: &OwnedFd, bytes: &[u8]) {
    // SAFETY: `fd` is an open descriptor and `bytes` a valid buffer.
    let n = unsafe { libc::write(fd.as_raw_fd(), bytes.as_ptr().cast(), bytes.len()) };
    assert_eq!(
        n,
        bytes.len() as isize,
        "write: {}",
        std::io::Error::last_os_error()
    );
}

fn read_bytes(fd: &OwnedFd, n: usize) -> usize {
    let mut buf = vec![0u8; n];
    // SAFETY: `fd` is an open descriptor and `buf` has room for `n` bytes.
    let r = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), n) };
    assert!(r >= 0, "read: {}", std::io::Error::last_os_error());
    r as usize
}

fn wait(kq: &Kqueue, events: &mut Events, timeout: Option<Duration>) -> Vec<Event> {
    kq.wait(events, timeout).expect("wait");
    events.iter().copied().collect()
}

fn all_ok(results: Vec<Result<(), Error>>) {
    for (i, r) in results.into_iter().enumerate() {
        assert_eq!(r, Ok(()), "change {i}");
    }
}

// Portable for pipes: Read data is the bytes readable, Write data the free buffer space, as
// long as the events are decoded before the pipe changes (Linux counts at decode time).
#[test]
fn read_and_write_fire_with_byte_counts() {
    let kq = Kqueue::new().unwrap();
    let (r, w) = pipe();
    all_ok(
        kq.apply(&[
            Change::add(Filter::read(&r), 1),
            Change::add(Filter::write(&w), 2),
        ])
        .unwrap(),
    );
    let mut events = Events::with_capacity(8);

    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1, "only the write end is ready: {evs:?}");
    assert_eq!(evs[0].token(), 2);
    let space = match evs[0].kind().unwrap() {
        EventKind::Write { fd, space, eof } => {
            assert_eq!(fd, w.as_raw_fd());
            assert!(!eof);
            assert!(space > 0, "an empty pipe has free space");
            space
        }
        other => panic!("expected Write, got {other:?}"),
    };

    write_bytes(&w, b"hello");
    let mut evs = wait(&kq, &mut events, LONG);
    evs.sort_by_key(Event::token);
    assert_eq!(evs.len(), 2, "{evs:?}");
    assert_eq!(
        evs[0].kind().unwrap(),
        EventKind::Read {
            fd: r.as_raw_fd(),
            bytes: 5,
            eof: false
        }
    );
    assert_eq!(
        evs[1].kind().unwrap(),
        EventKind::Write {
            fd: w.as_raw_fd(),
            space: space - 5,
            eof: false
        }
    );
    assert_eq!(read_bytes(&r, 5), 5);
}

// Not portable, by design: kqueue fills Read data when the event is reported; the Linux
// emulation counts at decode time (the crate docs' table), so bytes written after the wait show.
#[test]
fn read_count_is_taken_at_wait_on_bsd_and_at_decode_on_linux() {
    let kq = Kqueue::new().unwrap();
    let (r, w) = pipe();
    kq.register(Change::add(Filter::read(&r), 1)).unwrap();
    write_bytes(&w, b"ab");
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1, "{evs:?}");
    write_bytes(&w, b"cde");
    let expected = if cfg!(target_os = "linux") { 5 } else { 2 };
    assert_eq!(evs[0].data(), expected);
    assert!(matches!(
        evs[0].kind().unwrap(),
        EventKind::Read { bytes, .. } if bytes == expected as u64
    ));
    assert_eq!(read_bytes(&r, 5), 5);
    if cfg!(target_os = "linux") {
        assert_eq!(evs[0].data(), 0, "the pipe was drained");
        // Formatting makes no system call: it shows the count as not read yet.
        let shown = format!("{:?}", evs[0]);
        assert!(shown.contains("read on request"), "{shown}");
    }
}

// Portable: EV_EOF on Read once the writer is closed, with the bytes still buffered.
#[test]
fn eof_is_reported_when_the_peer_closes() {
    let kq = Kqueue::new().unwrap();
    let (r, w) = pipe();
    kq.register(Change::add(Filter::read(&r), 9)).unwrap();
    write_bytes(&w, b"abc");
    drop(w);
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    assert!(evs[0].is_eof());
    assert_eq!(
        evs[0].kind().unwrap(),
        EventKind::Read {
            fd: r.as_raw_fd(),
            bytes: 3,
            eof: true
        }
    );
}

// Portable: ONESHOT reports once and removes the registration (a DELETE then gives ENOENT).
#[test]
fn oneshot_fires_once() {
    let kq = Kqueue::new().unwrap();
    let (r, w) = pipe();
    kq.register(Change::add(Filter::read(&r), 1).with(EvFlags::ONESHOT))
        .unwrap();
    write_bytes(&w, b"x");
    let mut events = Events::with_capacity(4);
    assert_eq!(wait(&kq, &mut events, LONG).len(), 1);
    assert!(
        wait(&kq, &mut events, SHORT).is_empty(),
        "a oneshot registration fired twice"
    );
    assert_eq!(
        kq.register(Change::delete(Filter::read(&r))),
        Err(Error::Os(Errno::NOENT))
    );
}

// Portable for a descriptor whose only registration has CLEAR (the emulation uses EPOLLET then).
#[test]
fn clear_resets_after_retrieval() {
    let kq = Kqueue::new().unwrap();
    let (r, w) = pipe();
    kq.register(Change::add(Filter::read(&r), 1).with(EvFlags::CLEAR))
        .unwrap();
    write_bytes(&w, b"x");
    let mut events = Events::with_capacity(4);
    assert_eq!(wait(&kq, &mut events, LONG).len(), 1);
    assert!(
        wait(&kq, &mut events, SHORT).is_empty(),
        "CLEAR did not reset the state"
    );
    write_bytes(&w, b"y");
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    assert!(matches!(
        evs[0].kind().unwrap(),
        EventKind::Read { bytes: 2, .. }
    ));
}

// Portable: DISPATCH disables after one report, ENABLE re-arms (level-triggered data still there).
#[test]
fn dispatch_disables_until_enabled() {
    let kq = Kqueue::new().unwrap();
    let (r, w) = pipe();
    kq.register(Change::add(Filter::read(&r), 4).with(EvFlags::DISPATCH))
        .unwrap();
    write_bytes(&w, b"x");
    let mut events = Events::with_capacity(4);
    assert_eq!(wait(&kq, &mut events, LONG).len(), 1);
    assert!(
        wait(&kq, &mut events, SHORT).is_empty(),
        "DISPATCH did not disable"
    );
    kq.register(Change::enable(Filter::read(&r), 4)).unwrap();
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].token(), 4);
}

// Portable: DISABLE silences, DELETE stops events.
#[test]
fn disable_and_delete_stop_events() {
    let kq = Kqueue::new().unwrap();
    let (r, w) = pipe();
    kq.register(Change::add(Filter::read(&r), 1)).unwrap();
    write_bytes(&w, b"x");
    let mut events = Events::with_capacity(4);
    kq.register(Change::disable(Filter::read(&r), 1)).unwrap();
    assert!(
        wait(&kq, &mut events, SHORT).is_empty(),
        "a disabled registration fired"
    );
    kq.register(Change::enable(Filter::read(&r), 1)).unwrap();
    assert_eq!(wait(&kq, &mut events, LONG).len(), 1);
    kq.register(Change::delete(Filter::read(&r))).unwrap();
    assert!(
        wait(&kq, &mut events, SHORT).is_empty(),
        "a deleted registration fired"
    );
}

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
    assert!(wait(&kq, &mut events, SHORT).is_empty());
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

// Portable where EVFILT_USER exists (DragonFly, OpenBSD 7.8+, the Linux emulation).
#[test]
fn user_event_from_another_thread_wakes_wait() {
    let kq = Kqueue::new().unwrap();
    match kq.register(Change::add(Filter::user(1), 31).with(EvFlags::CLEAR)) {
        Err(e @ Error::Unsupported { .. }) => {
            println!("skipped: {e}");
            return;
        }
        r => r.unwrap(),
    }
    let kq2 = kq.clone();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        let trigger = Filter::User {
            id: 1,
            trigger: true,
            fflags: UserFflags::Or(0x5),
        };
        kq2.register(Change::new(trigger, EvFlags::empty(), 31))
            .unwrap();
    });
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, None);
    t.join().unwrap();
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].token(), 31);
    assert_eq!(
        evs[0].kind().unwrap(),
        EventKind::User { id: 1, fflags: 0x5 }
    );
    assert!(
        wait(&kq, &mut events, SHORT).is_empty(),
        "CLEAR did not reset the user event"
    );
}

fn check_waker(waker: Waker, kq: &Kqueue) {
    // A wake from another thread ends a wait that is already blocked.
    let waker = std::sync::Arc::new(waker);
    let w2 = waker.clone();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(50));
        w2.wake().unwrap();
    });
    let mut events = Events::with_capacity(4);
    let evs = wait(kq, &mut events, None);
    t.join().unwrap();
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].token(), waker.token());
    waker.reset().unwrap();
    assert!(
        wait(kq, &mut events, SHORT).is_empty(),
        "the waker fired again after reset"
    );

    // Wakes made while nobody waits coalesce into one event. (Wakes racing with a wait that is
    // returning may be seen once or twice, so they are made before waiting here.)
    waker.wake().unwrap();
    waker.wake().unwrap();
    let evs = wait(kq, &mut events, SHORT);
    assert_eq!(
        evs.len(),
        1,
        "two wakes before a wait gave {} events",
        evs.len()
    );
    waker.reset().unwrap();
    assert!(
        wait(kq, &mut events, SHORT).is_empty(),
        "the waker fired again after reset"
    );
}

// Portable: Waker uses EVFILT_USER where it exists and a socket pair otherwise.
#[test]
fn waker_wakes_a_blocked_wait() {
    let kq = Kqueue::new().unwrap();
    let waker = Waker::new(&kq, 1234).unwrap();
    println!(
        "waker uses {}",
        if waker.uses_socket_pair() {
            "a socket pair"
        } else {
            "EVFILT_USER"
        }
    );
    check_waker(waker, &kq);
    let pipe_waker = Waker::with_socket_pair(&kq, 99).unwrap();
    assert!(pipe_waker.uses_socket_pair());
    check_waker(pipe_waker, &kq);
}

fn temp_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("bsd-event-{}-{name}", std::process::id()))
}

// Portable for WRITE and RENAME (the emulation maps IN_MODIFY and IN_MOVE_SELF).
#[test]
fn vnode_sees_a_write_and_a_rename() {
    let path = temp_path("vnode");
    let renamed = temp_path("vnode-renamed");
    let file = File::create(&path).unwrap();
    let kq = Kqueue::new().unwrap();
    kq.register(
        Change::add(
            Filter::vnode(&file, VnodeNotes::WRITE | VnodeNotes::RENAME),
            3,
        )
        .with(EvFlags::CLEAR),
    )
    .unwrap();
    let mut events = Events::with_capacity(4);

    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(b"data")
        .unwrap();
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    match evs[0].kind().unwrap() {
        EventKind::Vnode { fd, notes } => {
            assert_eq!(fd, file.as_raw_fd());
            assert!(notes.contains(VnodeNotes::WRITE), "{notes:?}");
        }
        other => panic!("expected Vnode, got {other:?}"),
    }

    std::fs::rename(&path, &renamed).unwrap();
    let evs = wait(&kq, &mut events, LONG);
    std::fs::remove_file(&renamed).unwrap();
    assert_eq!(evs.len(), 1);
    assert!(
        matches!(evs[0].kind().unwrap(), EventKind::Vnode { notes, .. } if notes.contains(VnodeNotes::RENAME))
    );
}

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
    let _guard = FD_LOCK.lock().unwrap_or_else(|p| p.into_inner());
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
    write_bytes(&w1, b"1");
    write_bytes(&w2, b"2");
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
    let _guard = FD_LOCK.lock().unwrap_or_else(|p| p.into_inner());
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
        write_bytes(&w, b"!");
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
    let _guard = FD_LOCK.lock().unwrap_or_else(|p| p.into_inner());
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
        kq.wait(&mut events, SHORT).unwrap();
        std::fs::remove_file(&path).unwrap();
    }
    let after = open_fds();
    println!("descriptors before: {before}, after: {after}");
    assert_eq!(before, after);
}

// Portable: out-of-band data on a TCP socket fires Except (EVFILT_EXCEPT/NOTE_OOB; EPOLLPRI).
#[test]
fn except_fires_on_out_of_band_data() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    let kq = Kqueue::new().unwrap();
    kq.register(Change::add(Filter::except(&server), 21))
        .unwrap();
    let mut events = Events::with_capacity(4);
    assert!(
        wait(&kq, &mut events, SHORT).is_empty(),
        "no urgent data yet"
    );
    // SAFETY: `client` is an open socket; the buffer is valid for one byte.
    let n = unsafe { libc::send(client.as_raw_fd(), b"!".as_ptr().cast(), 1, libc::MSG_OOB) };
    assert_eq!(n, 1, "send(MSG_OOB): {}", std::io::Error::last_os_error());
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1, "{evs:?}");
    assert_eq!(evs[0].token(), 21);
    assert_eq!(
        evs[0].kind().unwrap(),
        EventKind::Except {
            fd: server.as_raw_fd()
        }
    );
}

// Portable where EVFILT_USER exists: NOTE_FFCOPY / FFOR / FFAND update the 24 user bits.
#[test]
fn user_fflags_operations() {
    let kq = Kqueue::new().unwrap();
    match kq.register(Change::add(Filter::user(3), 8).with(EvFlags::CLEAR)) {
        Err(e @ Error::Unsupported { .. }) => {
            println!("skipped: {e}");
            return;
        }
        r => r.unwrap(),
    }
    let op = |fflags, trigger| {
        let f = Filter::User {
            id: 3,
            trigger,
            fflags,
        };
        kq.register(Change::new(f, EvFlags::empty(), 8)).unwrap();
    };
    op(UserFflags::Copy(0xf0), false);
    op(UserFflags::Or(0x0f), false);
    op(UserFflags::And(0x3c), true);
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    assert_eq!(
        evs[0].kind().unwrap(),
        EventKind::User {
            id: 3,
            fflags: 0x3c
        }
    );
    // Deleting twice: the second fails alone with ENOENT.
    let results = kq
        .apply(&[
            Change::delete(Filter::user(3)),
            Change::delete(Filter::user(3)),
        ])
        .unwrap();
    assert_eq!(results, vec![Ok(()), Err(Error::Os(Errno::NOENT))]);
}

// Linux only: a descriptor closed without DELETE leaves a registry entry; a new ADD of the
// number (now another pipe) replaces it (real kqueue drops the knote on close).
#[cfg(target_os = "linux")]
#[test]
fn readding_a_reused_descriptor_number_works_on_linux() {
    let _guard = FD_LOCK.lock().unwrap_or_else(|p| p.into_inner());
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
    write_bytes(&w2, b"z");
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
