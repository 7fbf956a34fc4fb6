//! Read, Write and Except on descriptors through the public API, with real effects: bytes
//! through pipes and sockets, EOF, ONESHOT, CLEAR, DISPATCH, DISABLE and DELETE.
//!
//! Each test names the semantics it relies on. "portable" means real kqueue and the Linux
//! emulation agree (see the crate docs' table for where they do not).

mod common;

use std::os::fd::AsRawFd;

use bsd_event::{Change, Error, EvFlags, Event, EventKind, Events, Filter, Kqueue};
use bsd_sys::Errno;
use common::*;

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

    put(&w, b"hello");
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
    put(&w, b"ab");
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1, "{evs:?}");
    put(&w, b"cde");
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
    put(&w, b"abc");
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
    put(&w, b"x");
    let mut events = Events::with_capacity(4);
    assert_eq!(wait(&kq, &mut events, LONG).len(), 1);
    assert!(
        wait(&kq, &mut events, BRIEF).is_empty(),
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
    put(&w, b"x");
    let mut events = Events::with_capacity(4);
    assert_eq!(wait(&kq, &mut events, LONG).len(), 1);
    assert!(
        wait(&kq, &mut events, BRIEF).is_empty(),
        "CLEAR did not reset the state"
    );
    put(&w, b"y");
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
    put(&w, b"x");
    let mut events = Events::with_capacity(4);
    assert_eq!(wait(&kq, &mut events, LONG).len(), 1);
    assert!(
        wait(&kq, &mut events, BRIEF).is_empty(),
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
    put(&w, b"x");
    let mut events = Events::with_capacity(4);
    kq.register(Change::disable(Filter::read(&r), 1)).unwrap();
    assert!(
        wait(&kq, &mut events, BRIEF).is_empty(),
        "a disabled registration fired"
    );
    kq.register(Change::enable(Filter::read(&r), 1)).unwrap();
    assert_eq!(wait(&kq, &mut events, LONG).len(), 1);
    kq.register(Change::delete(Filter::read(&r))).unwrap();
    assert!(
        wait(&kq, &mut events, BRIEF).is_empty(),
        "a deleted registration fired"
    );
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
        wait(&kq, &mut events, BRIEF).is_empty(),
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
