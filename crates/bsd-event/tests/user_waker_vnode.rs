//! User events, wakers and vnode watches through the public API, with real effects: waits
//! woken from other threads, user flags, files changing.
//!
//! Each test names the semantics it relies on. "portable" means real kqueue and the Linux
//! emulation agree (see the crate docs' table for where they do not).

mod common;

use std::fs::File;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::time::Duration;

use bsd_event::{
    Change, Error, EvFlags, EventKind, Events, Filter, Kqueue, UserFflags, VnodeNotes, Waker,
};
use bsd_sys::Errno;
use common::*;

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
        wait(&kq, &mut events, BRIEF).is_empty(),
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
        wait(kq, &mut events, BRIEF).is_empty(),
        "the waker fired again after reset"
    );

    // Wakes made while nobody waits coalesce into one event. (Wakes racing with a wait that is
    // returning may be seen once or twice, so they are made before waiting here.)
    waker.wake().unwrap();
    waker.wake().unwrap();
    let evs = wait(kq, &mut events, BRIEF);
    assert_eq!(
        evs.len(),
        1,
        "two wakes before a wait gave {} events",
        evs.len()
    );
    waker.reset().unwrap();
    assert!(
        wait(kq, &mut events, BRIEF).is_empty(),
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
