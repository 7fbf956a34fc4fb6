//! `NOTE_LOWAT` on Read and Write, and OpenBSD's `NOTE_TRUNCATE`, from the kernels' filters.
//! They run unchanged on the BSDs and on Linux; per-OS expectations cite their source.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;

use bsd_event::{Change, EvFlags, Event, EventKind, Events, Filter, Kqueue};

use common::*;

fn lowat_read(s: &UnixStream, lowat: u32) -> Filter {
    use std::os::fd::AsRawFd;
    Filter::ReadLowat {
        fd: s.as_raw_fd(),
        lowat,
    }
}

// A socket's Read with NOTE_LOWAT reports only once `data` bytes are there: OpenBSD
// filt_soread (sys/kern/uipc_socket.c rev 1.385) and DragonFly filt_soread (same file at
// ba87a4ab252d) compare kn_data >= kn_sdata. Level-triggered, the mark not met must not make a
// wait return early (no busy loop), and once met the event is reported by every wait.
#[test]
fn read_lowat_on_a_socket() {
    for flags in [EvFlags::empty(), EvFlags::CLEAR] {
        let kq = Kqueue::new().unwrap();
        let (mut a, mut b) = UnixStream::pair().unwrap();
        kq.register(Change::add(lowat_read(&b, 10), 1).with(flags))
            .unwrap();
        a.write_all(b"four").unwrap();
        assert_quiet(&kq);
        assert_quiet(&kq);
        a.write_all(b"sixsix").unwrap();
        let mut events = Events::with_capacity(8);
        let evs = wait(&kq, &mut events, LONG);
        assert_eq!(evs.len(), 1, "{flags:?}: {evs:?}");
        assert!(
            matches!(
                evs[0].kind().unwrap(),
                EventKind::Read {
                    bytes: 10,
                    eof: false,
                    ..
                }
            ),
            "{evs:?}"
        );
        if flags.is_empty() {
            // Level-triggered: still met, so reported again.
            assert_eq!(wait(&kq, &mut events, LONG).len(), 1);
        } else {
            assert_quiet(&kq);
        }
        let mut buf = [0u8; 16];
        assert_eq!(b.read(&mut buf).unwrap(), 10);
        assert_quiet(&kq);
        // EOF is reported whatever the mark (filt_soread: SS_CANTRCVMORE first).
        drop(a);
        let evs = wait(&kq, &mut events, LONG);
        assert!(evs.iter().all(Event::is_eof) && !evs.is_empty(), "{evs:?}");
    }
}

// Pipes ignore NOTE_LOWAT: readable with any byte (OpenBSD filt_piperead, sys/kern/sys_pipe.c
// rev 1.149; DragonFly filt_piperead, sys/kern/sys_pipe.c at 59b728a7d19d).
#[test]
fn read_lowat_is_ignored_on_a_pipe() {
    use std::os::fd::AsRawFd;
    let kq = Kqueue::new().unwrap();
    let (r, w) = pipe();
    let filter = Filter::ReadLowat {
        fd: r.as_raw_fd(),
        lowat: 100,
    };
    kq.register(Change::add(filter, 1)).unwrap();
    put(&w, b"x");
    let mut events = Events::with_capacity(8);
    assert_eq!(wait(&kq, &mut events, LONG).len(), 1);
}

// A socket's Write data is the free send space (OpenBSD filt_sowrite `kn_data =
// sbspace_locked(&so->so_snd)`, rev 1.385; DragonFly filt_sowrite `ssb_space`, at
// ba87a4ab252d): positive on a fresh socket, and smaller once bytes wait unread.
#[test]
fn socket_write_data_is_the_free_space() {
    let kq = Kqueue::new().unwrap();
    let (mut a, _b) = UnixStream::pair().unwrap();
    kq.register(Change::add(Filter::write(&a), 1)).unwrap();
    let mut events = Events::with_capacity(8);
    let space = |evs: &[Event]| match evs[0].kind().unwrap() {
        EventKind::Write { space, .. } => space,
        other => panic!("{other:?}"),
    };
    let before = space(&wait(&kq, &mut events, LONG));
    assert!(before > 1000, "{before}");
    a.write_all(&[0u8; 1000]).unwrap();
    let after = space(&wait(&kq, &mut events, LONG));
    assert!(after <= before - 1000, "{before} -> {after}");
}

// A socket's Write with NOTE_LOWAT reports once that much buffer is free (filt_sowrite: OpenBSD
// rev 1.385, DragonFly at ba87a4ab252d): a mark of one byte at once, a mark beyond any buffer
// never, and the waits do not return early.
#[test]
fn write_lowat_on_a_socket() {
    use std::os::fd::AsRawFd;
    let kq = Kqueue::new().unwrap();
    let (a, _b) = UnixStream::pair().unwrap();
    let small = Filter::WriteLowat {
        fd: a.as_raw_fd(),
        lowat: 1,
    };
    kq.register(Change::add(small, 1).with(EvFlags::CLEAR))
        .unwrap();
    let mut events = Events::with_capacity(8);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.iter().map(Event::token).collect::<Vec<_>>(), vec![1]);
    let huge = Filter::WriteLowat {
        fd: a.as_raw_fd(),
        lowat: 64 << 20,
    };
    // The same registration: a new ADD sets the new mark (kqueue's knote_assign).
    kq.register(Change::add(huge, 2)).unwrap();
    assert_quiet(&kq);
    assert_quiet(&kq);
}

// Write NOTE_LOWAT met only after the reader drains a full buffer.
#[test]
fn write_lowat_waits_for_room() {
    use std::os::fd::AsRawFd;
    let kq = Kqueue::new().unwrap();
    let (mut a, mut b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    let chunk = [0u8; 4096];
    let mut sent = 0usize;
    loop {
        match a.write(&chunk) {
            Ok(n) => sent += n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) => panic!("{e}"),
        }
    }
    let filter = Filter::WriteLowat {
        fd: a.as_raw_fd(),
        // Far below a whole send buffer, above what is free once a non-blocking write failed.
        lowat: 2048,
    };
    kq.register(Change::add(filter, 1)).unwrap();
    assert_quiet(&kq);
    let mut buf = vec![0u8; sent];
    b.read_exact(&mut buf).unwrap();
    let mut events = Events::with_capacity(8);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.iter().map(Event::token).collect::<Vec<_>>(), vec![1]);
}

// NOTE_TRUNCATE: OpenBSD ufs_setattr posts NOTE_ATTRIB | NOTE_TRUNCATE when a file shrinks
// (sys/ufs/ufs/ufs_vnops.c rev 1.79); growing it is NOTE_WRITE | NOTE_EXTEND, not a truncation.
// DragonFly has no NOTE_TRUNCATE (sys/sys/event.h).
#[cfg(any(target_os = "openbsd", target_os = "linux"))]
#[test]
fn vnode_truncate() {
    use bsd_event::VnodeNotes;
    let path = temp_path("truncate");
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .read(true)
        .write(true)
        .open(&path)
        .unwrap();
    f.write_all(&[7u8; 100]).unwrap();
    f.sync_all().unwrap();
    let kq = Kqueue::new().unwrap();
    let all = VnodeNotes::TRUNCATE | VnodeNotes::WRITE | VnodeNotes::EXTEND | VnodeNotes::ATTRIB;
    kq.register(Change::add(Filter::vnode(&f, all), 1).with(EvFlags::CLEAR))
        .unwrap();
    f.set_len(10).unwrap();
    let notes = vnode_notes(&kq);
    assert!(notes.contains(VnodeNotes::TRUNCATE), "{notes:?}");
    f.write_all(&[1u8; 200]).unwrap();
    let notes = vnode_notes(&kq);
    assert!(notes.contains(VnodeNotes::WRITE), "{notes:?}");
    assert!(!notes.contains(VnodeNotes::TRUNCATE), "{notes:?}");
    std::fs::remove_file(&path).unwrap();
}
