//! Helpers shared by the conformance test files.
#![allow(dead_code)]

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bsd_event::{Event, EventKind, Events, Kqueue, VnodeNotes};

/// Serialises the tests that change process-global state (signal masks, descriptor limits,
/// fork) or need an exact descriptor picture.
pub static LOCK: Mutex<()> = Mutex::new(());

pub fn lock() -> std::sync::MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

pub const LONG: Option<Duration> = Some(Duration::from_secs(10));
pub const SHORT: Option<Duration> = Some(Duration::from_millis(200));
/// A wait that should come back empty, where an early return needs no check.
pub const BRIEF: Option<Duration> = Some(Duration::from_millis(50));

pub fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    let r = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) };
    assert_eq!(r, 0, "pipe2: {}", std::io::Error::last_os_error());
    // SAFETY: pipe2 succeeded, so both descriptors are fresh and owned only here.
    unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
}

pub fn put(fd: &impl AsRawFd, bytes: &[u8]) {
    // SAFETY: `fd` is open and `bytes` a valid buffer.
    let n = unsafe { libc::write(fd.as_raw_fd(), bytes.as_ptr().cast(), bytes.len()) };
    assert_eq!(
        n,
        bytes.len() as isize,
        "{}",
        std::io::Error::last_os_error()
    );
}

pub fn wait(kq: &Kqueue, events: &mut Events, timeout: Option<Duration>) -> Vec<Event> {
    kq.wait(events, timeout).expect("wait");
    events.iter().copied().collect()
}

/// Waits `SHORT` and checks that nothing came and that the wait did not return early.
pub fn assert_quiet(kq: &Kqueue) {
    let mut events = Events::with_capacity(8);
    let t0 = Instant::now();
    let evs = wait(kq, &mut events, SHORT);
    assert!(evs.is_empty(), "unexpected events {evs:?}");
    assert!(
        t0.elapsed() >= Duration::from_millis(150),
        "wait returned early after {:?}",
        t0.elapsed()
    );
}

pub fn temp_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("bsd-event-conf-{}-{name}", std::process::id()))
}

pub fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD only queries the descriptor table.
    unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
}

/// A copy of `fd` at the lowest free number from `min` (`F_DUPFD_CLOEXEC`): far above the
/// numbers other test threads get, so this test alone closes and reuses it.
pub fn high(fd: &impl AsRawFd, min: RawFd) -> OwnedFd {
    // SAFETY: F_DUPFD_CLOEXEC makes a new descriptor, owned here.
    let n = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, min) };
    assert!(n >= min, "F_DUPFD: {}", std::io::Error::last_os_error());
    // SAFETY: `n` is the fresh descriptor.
    unsafe { OwnedFd::from_raw_fd(n) }
}

/// The vnode notes the next wait (and any that follow at once) report.
pub fn vnode_notes(kq: &Kqueue) -> VnodeNotes {
    let mut events = Events::with_capacity(8);
    let mut notes = VnodeNotes::empty();
    // Notes of one operation may come in more than one event.
    for ev in wait(kq, &mut events, LONG) {
        match ev.kind().unwrap() {
            EventKind::Vnode { notes: n, .. } => notes |= n,
            other => panic!("{other:?}"),
        }
    }
    while let Ok(n) = kq.wait(&mut events, Some(Duration::from_millis(50))) {
        if n == 0 {
            break;
        }
        for ev in events.iter() {
            if let EventKind::Vnode { notes: n, .. } = ev.kind().unwrap() {
                notes |= n;
            }
        }
    }
    notes
}

/// Reads up to `n` bytes from `fd`; returns how many came.
pub fn read_bytes(fd: &impl AsRawFd, n: usize) -> usize {
    let mut buf = vec![0u8; n];
    // SAFETY: `fd` is an open descriptor and `buf` has room for `n` bytes.
    let r = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), n) };
    assert!(r >= 0, "read: {}", std::io::Error::last_os_error());
    r as usize
}

/// Every change of an `apply` succeeded.
pub fn all_ok(results: Vec<Result<(), bsd_event::Error>>) {
    for (i, r) in results.into_iter().enumerate() {
        assert_eq!(r, Ok(()), "change {i}");
    }
}

/// Reaps the forked child `pid` and asserts that it exited with status 0.
pub fn expect_child_success(pid: libc::pid_t) {
    let mut status = 0;
    // SAFETY: waits for the caller's own child; `status` is writable.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "child status {status:#x}"
    );
}
