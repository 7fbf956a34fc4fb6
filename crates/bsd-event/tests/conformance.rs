//! kqueue semantics from OpenBSD's and DragonFly's kevent(2) pages and kernel sources, checked
//! through the public API with real effects: descriptors, sockets, files, waiters and fork.
//! They run unchanged on the BSDs (real kqueue) and on Linux (the emulation); where an OS
//! differs, the expectation is written per OS with its source beside it.

mod common;

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bsd_event::{
    Change, Error, EvFlags, Event, EventKind, Events, Filter, Kqueue, ProcNotes, Waker,
};
use bsd_sys::{Errno, Pid};

use common::*;

// kevent(2): the returned kevent is the registration's (`kn_kevent`), so its flags are those
// of the change that added it; timer, signal and proc registrations get EV_CLEAR
// ("automatically set" in filt_timerattach, filt_sigattach, filt_procattach: OpenBSD
// sys/kern/kern_event.c rev 1.205, DragonFly sys/kern/kern_event.c at fcc705f5877a).
#[test]
fn events_carry_the_registration_flags() {
    let kq = Kqueue::new().unwrap();
    let mut events = Events::with_capacity(8);
    let (r, w) = pipe();
    put(&w, b"x");
    for (extra, token) in [
        (EvFlags::CLEAR, 1),
        (EvFlags::ONESHOT, 2),
        (EvFlags::DISPATCH, 3),
        (EvFlags::empty(), 4),
    ] {
        kq.register(Change::add(Filter::read(&r), token).with(extra))
            .unwrap();
        let evs = wait(&kq, &mut events, LONG);
        assert_eq!(evs.len(), 1, "{evs:?}");
        let f = evs[0].flags();
        assert!(f.contains(extra | EvFlags::RECEIPT), "{extra:?}: {f:?}");
        assert!(!f.contains(EvFlags::ERROR), "{f:?}");
        let _ = kq.register(Change::delete(Filter::read(&r)));
    }

    kq.register(Change::add(
        Filter::Timer {
            id: 9,
            period: Duration::from_millis(5),
        },
        9,
    ))
    .unwrap();
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    assert!(evs[0].flags().contains(EvFlags::CLEAR), "{:?}", evs[0]);
}

// Proc events carry the implied EV_CLEAR; the exit also sets EV_EOF and EV_ONESHOT (OpenBSD
// filt_proc rev 1.205: `kn->kn_flags |= (EV_EOF | EV_ONESHOT)`).
#[test]
fn proc_exit_flags() {
    let kq = Kqueue::new().unwrap();
    let mut child = std::process::Command::new("sleep")
        .arg("0.2")
        .spawn()
        .unwrap();
    let pid = Pid::from_raw(child.id() as i32);
    kq.register(Change::add(
        Filter::Proc {
            pid,
            notes: ProcNotes::EXIT,
        },
        5,
    ))
    .unwrap();
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    let f = evs[0].flags();
    assert!(f.contains(EvFlags::CLEAR | EvFlags::EOF), "{f:?}");
    child.wait().unwrap();
}

// Closing a descriptor drops its knotes (kqueue(2): "Calling close() on a file descriptor will
// remove any kevents that reference the descriptor"). Reusing the number (dup2 closes the old
// file and installs another) must not bring the old Read interest back when only Write is
// added for the new file.
#[test]
fn reused_number_does_not_resurrect_old_interest() {
    let kq = Kqueue::new().unwrap();
    let (r1, w1) = pipe();
    put(&w1, b"old");
    kq.register(Change::add(Filter::read(&r1), 1)).unwrap();
    let keep = r1.as_raw_fd();
    // The new file is readable and writable: a socket with a byte waiting.
    let (a, b) = UnixStream::pair().unwrap();
    put(&b, b"new");
    // SAFETY: dup2 onto a number this test owns: it closes r1's file there and puts a's.
    assert_eq!(unsafe { libc::dup2(a.as_raw_fd(), keep) }, keep);
    kq.register(Change::add(Filter::Write(keep), 2)).unwrap();
    let mut events = Events::with_capacity(8);
    let evs = wait(&kq, &mut events, LONG);
    let tokens: Vec<u64> = evs.iter().map(Event::token).collect();
    assert_eq!(tokens, vec![2], "{evs:?}");
    assert!(
        matches!(evs[0].kind().unwrap(), EventKind::Write { .. }),
        "{evs:?}"
    );
    drop(r1); // closes `keep` (now a's second descriptor)
}

// A descriptor closed while a dup keeps the file open reports nothing more (its knote went
// with the close), and deleting it then fails with EBADF (kqueue_register looks the number up
// first) or ENOENT if another thread reused the number meanwhile; the waits that follow do
// not return early.
//
// The number is moved high (F_DUPFD from 600), where no other test thread's descriptor lands
// (new descriptors take the lowest free number), so the close and the emulation's later calls
// by that number happen in this thread, in order, and ThreadSanitizer has nothing to report.
// Were the number reused by another thread, the emulation's re-arm would still be harmless:
// epoll finds an entry by file *and* number, so `EPOLL_CTL_MOD` on a reused number fails with
// ENOENT and cannot reach an entry of another file.
#[test]
fn closed_descriptor_with_live_dup_stays_quiet() {
    for flags in [EvFlags::empty(), EvFlags::CLEAR] {
        let kq = Kqueue::new().unwrap();
        let (low, w) = pipe();
        let r = high(&low, 600);
        drop(low);
        kq.register(Change::add(Filter::read(&r), 1).with(flags))
            .unwrap();
        let num = r.as_raw_fd();
        // SAFETY: dup of a descriptor this test owns; the copy is owned here.
        let dup = unsafe { OwnedFd::from_raw_fd(libc::dup(num)) };
        drop(r);
        put(&w, b"data");
        assert_quiet(&kq);
        let res = kq.register(Change::delete(Filter::Read(num)));
        assert!(
            res == Err(Error::Os(Errno::BADF))
                || (res == Err(Error::Os(Errno::NOENT)) && is_open(num)),
            "{flags:?}: {res:?}"
        );
        for _ in 0..3 {
            put(&w, b"more");
            assert_quiet(&kq);
        }
        drop(dup);
    }
}

// A new ONESHOT registration on a reused number is not consumed by the old file's readiness.
#[test]
fn reused_number_oneshot_is_not_consumed_by_the_old_file() {
    let kq = Kqueue::new().unwrap();
    let (r1, w1) = pipe();
    kq.register(Change::add(Filter::read(&r1), 1)).unwrap();
    let num = r1.as_raw_fd();
    // SAFETY: dup of a descriptor this test owns.
    let old = unsafe { OwnedFd::from_raw_fd(libc::dup(num)) };
    let (r2, w2) = pipe();
    // SAFETY: dup2 onto a number this test owns.
    assert_eq!(unsafe { libc::dup2(r2.as_raw_fd(), num) }, num);
    kq.register(Change::add(Filter::Read(num), 2).with(EvFlags::ONESHOT))
        .unwrap();
    put(&w1, b"old file");
    assert_quiet(&kq);
    put(&w2, b"new");
    let mut events = Events::with_capacity(8);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.iter().map(Event::token).collect::<Vec<_>>(), vec![2]);
    drop((old, r1));
}

// The old file's readiness, after its number was closed (a dup keeps the file open) and given
// to another file nobody registered, is not reported under the number, level-triggered or
// with CLEAR (close dropped the knote; kqueue(2)).
#[test]
fn reused_number_reports_nothing_of_the_old_file() {
    for flags in [EvFlags::empty(), EvFlags::CLEAR] {
        let kq = Kqueue::new().unwrap();
        let (low, w1) = pipe();
        let r1 = high(&low, 700);
        drop(low);
        let num = r1.as_raw_fd();
        kq.register(Change::add(Filter::read(&r1), 1).with(flags))
            .unwrap();
        // SAFETY: dup of a descriptor this test owns; the copy is owned here.
        let old = unsafe { OwnedFd::from_raw_fd(libc::dup(num)) };
        drop(r1);
        let (r2, _w2) = pipe();
        // SAFETY: dup2 onto the free number `num`; the result is owned here.
        assert_eq!(unsafe { libc::dup2(r2.as_raw_fd(), num) }, num);
        // SAFETY: `num` now names r2's file, owned only here.
        let other = unsafe { OwnedFd::from_raw_fd(num) };
        put(&w1, b"old");
        assert_quiet(&kq);
        put(&w1, b"more");
        assert_quiet(&kq);
        drop((old, other, r2));
    }
}

// Same-queue reuse: a registered number is closed (its file kept alive by a dup, readiness
// pending) and a new file that gets the number is registered in the same queue. The old
// registration's pending report and re-arm must not touch the new one: the new registration
// reports only its own file, keeps working after each report, and a ONESHOT one is consumed
// by its own data only (kqueue(2): close drops the knotes; the new ADD makes a new knote).
#[test]
fn same_queue_reuse_leaves_the_new_registration_alone() {
    for flags in [EvFlags::empty(), EvFlags::CLEAR] {
        let kq = Kqueue::new().unwrap();
        let (low, w1) = pipe();
        let r1 = high(&low, 650);
        drop(low);
        let num = r1.as_raw_fd();
        kq.register(Change::add(Filter::read(&r1), 1).with(flags))
            .unwrap();
        // SAFETY: dup of a descriptor this test owns; the copy is owned here.
        let old = unsafe { OwnedFd::from_raw_fd(libc::dup(num)) };
        put(&w1, b"old"); // the old registration has a report pending
        drop(r1);
        let (r2, w2) = pipe();
        // SAFETY: dup2 onto the free number `num`; the result is owned here.
        assert_eq!(unsafe { libc::dup2(r2.as_raw_fd(), num) }, num);
        // SAFETY: `num` was just made a descriptor of r2's file, owned only here.
        let new = unsafe { OwnedFd::from_raw_fd(num) };
        drop(r2);
        kq.register(Change::add(Filter::read(&new), 2).with(flags))
            .unwrap();
        assert_quiet(&kq);
        let mut events = Events::with_capacity(8);
        for round in 0..3 {
            put(&w2, b"n");
            let evs = wait(&kq, &mut events, LONG);
            assert_eq!(
                evs.iter()
                    .map(|e| (e.token(), e.ident()))
                    .collect::<Vec<_>>(),
                vec![(2, num as u64)],
                "round {round}, {flags:?}: {evs:?}"
            );
            let mut b = [0u8; 8];
            // SAFETY: reading a descriptor this test owns into a local buffer.
            let got = unsafe { libc::read(num, b.as_mut_ptr().cast(), b.len()) };
            assert_eq!(got, 1);
            put(&w1, b"more old");
            assert_quiet(&kq);
        }
        // A ONESHOT on the number is consumed by its own file only.
        kq.register(Change::delete(Filter::read(&new))).unwrap();
        kq.register(Change::add(Filter::read(&new), 3).with(EvFlags::ONESHOT))
            .unwrap();
        put(&w1, b"old again");
        assert_quiet(&kq);
        put(&w2, b"n");
        let evs = wait(&kq, &mut events, LONG);
        assert_eq!(evs.iter().map(Event::token).collect::<Vec<_>>(), vec![3]);
        put(&w2, b"n");
        assert_quiet(&kq);
        drop((old, new));
    }
}

// EVFILT_EXCEPT reports out-of-band data only: a hang-up is not an Except event (OpenBSD
// filt_soexcept, sys/kern/uipc_socket.c rev 1.385), and must not make waits return early.
#[test]
fn except_only_socket_hangup_is_quiet() {
    let kq = Kqueue::new().unwrap();
    let (a, b) = UnixStream::pair().unwrap();
    kq.register(Change::add(Filter::except(&a), 1)).unwrap();
    drop(b);
    assert_quiet(&kq);
    assert_quiet(&kq);
}

// EVFILT_READ/WRITE on a regular file: readable when bytes lie ahead of the offset, with that
// count in data; writable always (OpenBSD filt_ufsread/filt_ufswrite in
// sys/ufs/ufs/ufs_vnops.c; DragonFly the same in sys/vfs/ufs/ufs_vnops.c).
#[test]
fn regular_file_read_and_write() {
    let path = temp_path("regular");
    std::fs::write(&path, b"0123456789").unwrap();
    let mut f = File::open(&path).unwrap();
    let kq = Kqueue::new().unwrap();
    kq.register(Change::add(Filter::read(&f), 1)).unwrap();
    let mut events = Events::with_capacity(8);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    assert!(matches!(
        evs[0].kind().unwrap(),
        EventKind::Read { bytes: 10, .. }
    ));
    let mut b = [0u8; 4];
    f.read_exact(&mut b).unwrap();
    let evs = wait(&kq, &mut events, LONG);
    assert!(matches!(
        evs[0].kind().unwrap(),
        EventKind::Read { bytes: 6, .. }
    ));
    f.seek(SeekFrom::End(0)).unwrap();
    assert_quiet(&kq);

    let w = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    kq.register(Change::add(Filter::write(&w), 2)).unwrap();
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.iter().map(Event::token).collect::<Vec<_>>(), vec![2]);
    std::fs::remove_file(&path).unwrap();
}

// EV_EOF after a reset carries the socket error in fflags (`kn_fflags = so_error` in
// filt_soread: OpenBSD sys/kern/uipc_socket.c rev 1.385, DragonFly at fcc705f5877a).
#[test]
fn reset_connection_reports_its_error() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: `linger` is a valid option value for SO_LINGER on an open socket.
    let r = unsafe {
        libc::setsockopt(
            server.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    assert_eq!(r, 0);
    drop(server); // linger 0: close sends a reset
    let kq = Kqueue::new().unwrap();
    kq.register(Change::add(Filter::read(&client), 1)).unwrap();
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    assert!(evs[0].is_eof(), "{:?}", evs[0]);
    assert_eq!(evs[0].fflags(), libc::ECONNRESET as u32, "{:?}", evs[0]);
}

// A listening socket's Read data is the number of connections waiting: OpenBSD `kn_data =
// so_qlen` in filt_soread (sys/kern/uipc_socket.c rev 1.385); DragonFly filt_solisten, the same
// capped by kern.ipc.soavailconn (sys/kern/uipc_socket.c at fcc705f5877a); Linux TCP: the accept
// queue length from TCP_INFO.
#[test]
fn listening_socket_read_data() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let _c1 = TcpStream::connect(addr).unwrap();
    let _c2 = TcpStream::connect(addr).unwrap();
    let kq = Kqueue::new().unwrap();
    kq.register(Change::add(Filter::read(&listener), 1))
        .unwrap();
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    // Both connections complete their handshake on loopback before connect returns.
    assert_eq!(evs[0].data(), 2);
}

/// Four threads wait on one queue; returns how many events they saw in total.
fn waiters_seeing(kq: &Kqueue, fire: impl FnOnce()) -> usize {
    let seen = Arc::new(Mutex::new(0usize));
    let barrier = Arc::new(std::sync::Barrier::new(5));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (kq, seen, barrier) = (kq.clone(), seen.clone(), barrier.clone());
            std::thread::spawn(move || {
                let mut events = Events::with_capacity(4);
                barrier.wait();
                let n = kq
                    .wait(&mut events, Some(Duration::from_millis(500)))
                    .unwrap();
                *seen.lock().unwrap() += n;
            })
        })
        .collect();
    barrier.wait();
    std::thread::sleep(Duration::from_millis(100));
    fire();
    for t in threads {
        t.join().unwrap();
    }
    let n = *seen.lock().unwrap();
    n
}

// One EV_CLEAR activation is delivered once (the knote leaves the queue when one kevent call
// collects it: kqueue_scan, both kernels).
#[test]
fn one_clear_activation_reaches_one_waiter() {
    for _ in 0..5 {
        let kq = Kqueue::new().unwrap();
        kq.register(Change::add(Filter::user(7), 7).with(EvFlags::CLEAR))
            .unwrap();
        let n = waiters_seeing(&kq, || {
            kq.register(Change::add(Filter::user_trigger(7), 7))
                .unwrap()
        });
        assert_eq!(n, 1);

        let kq = Kqueue::new().unwrap();
        let waker = Waker::new(&kq, 8).unwrap();
        let n = waiters_seeing(&kq, || waker.wake().unwrap());
        if !waker.uses_socket_pair() {
            assert_eq!(n, 1);
        }
    }
}

// kqueue(2): "The queue is not inherited by a child created with fork(2)". The child cannot
// take the parent's events or remove its registrations; its calls fail with EBADF.
#[test]
fn forked_child_cannot_touch_the_parents_queue() {
    let _g = lock();
    let kq = Kqueue::new().unwrap();
    let waker = Waker::new(&kq, 1).unwrap();
    let (r, w) = pipe();
    kq.register(Change::add(Filter::read(&r), 2)).unwrap();
    put(&w, b"x");
    // SAFETY: the child only makes system calls and leaves with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        let mut events = Events::with_capacity(4);
        let waited = kq.wait(&mut events, Some(Duration::ZERO));
        let deleted = kq.register(Change::delete(Filter::read(&r)));
        drop(waker); // must not remove the parent's registration
        let ok = waited == Err(Errno::BADF) && deleted == Err(Error::Os(Errno::BADF));
        // SAFETY: leaves the child at once.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    common::expect_child_success(pid);
    let mut events = Events::with_capacity(4);
    waker.wake().unwrap();
    let mut tokens: Vec<u64> = wait(&kq, &mut events, LONG)
        .iter()
        .map(Event::token)
        .collect();
    tokens.sort_unstable();
    assert_eq!(tokens, vec![1, 2]);
}

#[test]
fn huge_capacity_does_not_panic() {
    let mut events = Events::with_capacity(usize::MAX);
    let kq = Kqueue::new().unwrap();
    assert_eq!(kq.wait(&mut events, Some(Duration::ZERO)).unwrap(), 0);
}
