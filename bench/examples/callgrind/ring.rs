//! The event-loop hop: a token passed around a ring of pipe pairs, as `bench/benches/event.rs`
//! does. Each call waits for the readable pipe, reads its byte and writes it into the next pipe
//! (one wait, one `read`, one `write` through `std::fs::File`, the same for every contender), so
//! the rows differ only in the wait and its decoding.

use std::fs::File;
use std::hint::black_box;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::Duration;

use super::{cg_loop, check};

const PIPES: usize = 100;
const TIMEOUT: Option<Duration> = Some(Duration::from_secs(5));

struct Ring {
    rx: Vec<OwnedFd>,
    tx: Vec<OwnedFd>,
}

fn ring() -> Ring {
    let flags = bsd_fd::PipeFlags::CLOEXEC | bsd_fd::PipeFlags::NONBLOCK;
    let (rx, tx) = (0..PIPES).map(|_| bsd_fd::pipe(flags).unwrap()).unzip();
    let r = Ring { rx, tx };
    // SAFETY: a live descriptor and a one-byte buffer.
    unsafe { check(libc::write(r.tx[0].as_raw_fd(), b"t".as_ptr().cast(), 1)) };
    r
}

/// Moves the token from pipe `i` to the next, as `bench/benches/event.rs` does.
#[inline(always)]
fn hop(rx: &[File], tx: &[File], i: usize) {
    let mut b = [0u8; 1];
    assert_eq!((&rx[i]).read(&mut b).expect("read"), 1);
    (&tx[(i + 1) % PIPES]).write_all(&b).expect("write");
}

fn files(r: Ring) -> (Vec<File>, Vec<File>) {
    let f = |v: Vec<OwnedFd>| v.into_iter().map(File::from).collect();
    (f(r.rx), f(r.tx))
}

/// epoll called directly, edge-triggered (`EPOLLET`), 64 entries per wait.
pub(super) fn ring_libc(n: u64) {
    let (rx, tx) = files(ring());
    // SAFETY: plain epoll calls on descriptors this function owns.
    let ep = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
    check(ep as isize);
    for (i, fd) in rx.iter().enumerate() {
        let mut ev = libc::epoll_event {
            events: (libc::EPOLLIN | libc::EPOLLET) as u32,
            u64: i as u64,
        };
        // SAFETY: `ep` and `fd` are live; `ev` is readable.
        check(
            unsafe { libc::epoll_ctl(ep, libc::EPOLL_CTL_ADD, fd.as_raw_fd(), &mut ev) } as isize,
        );
    }
    let mut evs = [libc::epoll_event { events: 0, u64: 0 }; 64];
    cg_loop(n, || {
        // SAFETY: `evs` is writable for 64 entries.
        let got = unsafe { libc::epoll_wait(ep, evs.as_mut_ptr(), 64, 5000) };
        for ev in &evs[..check(got as isize) as usize] {
            hop(&rx, &tx, black_box(ev.u64 as usize));
        }
    });
    // SAFETY: `ep` is ours.
    unsafe { libc::close(ep) };
}

pub(super) fn ring_mio(n: u64) {
    let (rx, tx) = files(ring());
    let mut poll = mio::Poll::new().unwrap();
    for (i, fd) in rx.iter().enumerate() {
        poll.registry()
            .register(
                &mut mio::unix::SourceFd(&fd.as_raw_fd()),
                mio::Token(i),
                mio::Interest::READABLE,
            )
            .unwrap();
    }
    let mut events = mio::Events::with_capacity(64);
    cg_loop(n, || {
        poll.poll(&mut events, TIMEOUT).unwrap();
        for ev in events.iter() {
            hop(&rx, &tx, black_box(ev.token().0));
        }
    });
}

/// mio with the check bsd-event makes before each report of a level-triggered registration:
/// one-shot entries re-armed with `reregister` (`EPOLL_CTL_MOD`), which fails once the number
/// was closed or reused.
pub(super) fn ring_mio_rearm(n: u64) {
    let (rx, tx) = files(ring());
    let mut poll = mio::Poll::new().unwrap();
    let interest = mio::Interest::READABLE;
    for (i, fd) in rx.iter().enumerate() {
        let mut source = mio::unix::SourceFd(&fd.as_raw_fd());
        poll.registry()
            .register(&mut source, mio::Token(i), interest)
            .unwrap();
    }
    let mut events = mio::Events::with_capacity(64);
    cg_loop(n, || {
        poll.poll(&mut events, TIMEOUT).unwrap();
        for ev in events.iter() {
            let i = black_box(ev.token().0);
            let raw = rx[i].as_raw_fd();
            poll.registry()
                .reregister(&mut mio::unix::SourceFd(&raw), ev.token(), interest)
                .unwrap();
            hop(&rx, &tx, i);
        }
    });
}

/// mio with the check bsd-event makes before each report of a `CLEAR` registration: an `fstat`
/// compared with the registered device and inode.
pub(super) fn ring_mio_fstat(n: u64) {
    let (rx, tx) = files(ring());
    let mut poll = mio::Poll::new().unwrap();
    let mut ids = Vec::new();
    for (i, fd) in rx.iter().enumerate() {
        let mut source = mio::unix::SourceFd(&fd.as_raw_fd());
        poll.registry()
            .register(&mut source, mio::Token(i), mio::Interest::READABLE)
            .unwrap();
        let st = fd.metadata().unwrap();
        ids.push((
            std::os::unix::fs::MetadataExt::dev(&st),
            std::os::unix::fs::MetadataExt::ino(&st),
        ));
    }
    let mut events = mio::Events::with_capacity(64);
    cg_loop(n, || {
        poll.poll(&mut events, TIMEOUT).unwrap();
        for ev in events.iter() {
            let i = black_box(ev.token().0);
            let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
            // SAFETY: `st` is writable; the descriptor is open.
            check(unsafe { libc::fstat(rx[i].as_raw_fd(), st.as_mut_ptr()) } as isize);
            // SAFETY: fstat succeeded and filled it.
            let st = unsafe { st.assume_init() };
            assert_eq!((st.st_dev, st.st_ino), ids[i]);
            hop(&rx, &tx, i);
        }
    });
}

fn ring_bsd(n: u64, flags: bsd_event::EvFlags) {
    let (rx, tx) = files(ring());
    let kq = bsd_event::Kqueue::new().unwrap();
    for (i, fd) in rx.iter().enumerate() {
        let filter = bsd_event::Filter::read(fd);
        kq.register(bsd_event::Change::add(filter, i as u64).with(flags))
            .unwrap();
    }
    let mut events = bsd_event::Events::with_capacity(64);
    cg_loop(n, || {
        kq.wait(&mut events, TIMEOUT).unwrap();
        for ev in &events {
            hop(&rx, &tx, black_box(ev.token() as usize));
        }
    });
}

/// Level-triggered Read registrations (kqueue's default).
pub(super) fn ring_bsd_level(n: u64) {
    ring_bsd(n, bsd_event::EvFlags::empty());
}

/// `CLEAR` registrations (edge-triggered, as mio's).
pub(super) fn ring_bsd_clear(n: u64) {
    ring_bsd(n, bsd_event::EvFlags::CLEAR);
}
