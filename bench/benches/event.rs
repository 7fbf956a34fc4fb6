//! A token passed around a ring of 100 pipe pairs by an event loop: each hop waits for one pipe
//! to become readable, reads its byte and writes it into the next pipe. bsd-event against mio
//! (epoll on Linux, kqueue on the BSDs) on the same pipes; one criterion iteration is one hop.
//! bsd-event runs twice: level-triggered (kqueue's default) and with `CLEAR`, which is
//! edge-triggered like mio's registrations (`EPOLLET` on Linux, `EV_CLEAR` on the BSDs).
//!
//! Run: `cargo bench -p bsd-bench --bench event -- --warm-up-time 1 --measurement-time 3`
//! (libc backend, the Linux default; add `RUSTFLAGS='--cfg bsd_sys_backend="raw"'` for raw).
//!
//! `EVENT_HOPS=<n> <bench binary> <contender>` (contender `mio`, `bsd-event` or
//! `bsd-event-clear`) makes `n` hops of that contender alone, without criterion (for `perf
//! stat`). Instruction counts of the same hop: `cargo xtask callgrind --only ring`
//! (`bench/examples/callgrind/ring.rs`).

use std::fs::File;
use std::hint::black_box;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::time::Duration;

use criterion::{criterion_group, Criterion};

const PIPES: usize = 100;
const TIMEOUT: Option<Duration> = Some(Duration::from_secs(5));

struct Ring {
    rx: Vec<File>,
    tx: Vec<File>,
}

fn ring() -> Ring {
    let flags = bsd_fd::PipeFlags::CLOEXEC | bsd_fd::PipeFlags::NONBLOCK;
    let (rx, tx) = (0..PIPES)
        .map(|_| bsd_fd::pipe(flags).expect("pipe"))
        .map(|(r, w)| (File::from(r), File::from(w)))
        .unzip();
    Ring { rx, tx }
}

fn hop(ring: &Ring, i: usize) {
    let mut b = [0u8; 1];
    assert_eq!((&ring.rx[i]).read(&mut b).expect("read"), 1);
    (&ring.tx[(i + 1) % PIPES]).write_all(&b).expect("write");
}

/// A ring watched by mio with the token in its first pipe; the closure makes one hop.
fn mio_hops() -> impl FnMut() {
    let r = ring();
    let mut poll = mio::Poll::new().expect("mio poll");
    for (i, rx) in r.rx.iter().enumerate() {
        let fd = rx.as_raw_fd();
        poll.registry()
            .register(
                &mut mio::unix::SourceFd(&fd),
                mio::Token(i),
                mio::Interest::READABLE,
            )
            .expect("register");
    }
    let mut events = mio::Events::with_capacity(64);
    (&r.tx[0]).write_all(b"t").expect("write");
    move || {
        poll.poll(&mut events, TIMEOUT).expect("poll");
        for ev in events.iter() {
            hop(&r, black_box(ev.token().0));
        }
    }
}

/// A ring watched by a bsd-event queue (Read registrations with `flags`); one hop per call.
fn kqueue_hops(flags: bsd_event::EvFlags) -> impl FnMut() {
    let r = ring();
    let kq = bsd_event::Kqueue::new().expect("kqueue");
    let changes: Vec<_> = r
        .rx
        .iter()
        .enumerate()
        .map(|(i, rx)| bsd_event::Change::add(bsd_event::Filter::read(rx), i as u64).with(flags))
        .collect();
    for res in kq.apply(&changes).expect("apply") {
        res.expect("register");
    }
    let mut events = bsd_event::Events::with_capacity(64);
    (&r.tx[0]).write_all(b"t").expect("write");
    move || {
        kq.wait(&mut events, TIMEOUT).expect("wait");
        for ev in &events {
            hop(&r, black_box(ev.token() as usize));
        }
    }
}

fn token_ring(c: &mut Criterion) {
    let mut group = c.benchmark_group("token through 100 pipe pairs (one hop)");
    let mut step = mio_hops();
    group.bench_function("mio (reference)", |b| b.iter(&mut step));
    let mut step = kqueue_hops(bsd_event::EvFlags::empty());
    group.bench_function("bsd-event", |b| b.iter(&mut step));
    let mut step = kqueue_hops(bsd_event::EvFlags::CLEAR);
    group.bench_function("bsd-event, CLEAR", |b| b.iter(&mut step));
    group.finish();
}

criterion_group!(benches, token_ring);

fn main() {
    if let Some(n) = std::env::var_os("EVENT_HOPS") {
        let n: u64 = n
            .to_str()
            .and_then(|s| s.parse().ok())
            .expect("EVENT_HOPS: a number");
        let which = std::env::args().nth(1).unwrap_or_default();
        let mut step: Box<dyn FnMut()> = match which.as_str() {
            "mio" => Box::new(mio_hops()),
            "bsd-event" => Box::new(kqueue_hops(bsd_event::EvFlags::empty())),
            "bsd-event-clear" => Box::new(kqueue_hops(bsd_event::EvFlags::CLEAR)),
            other => panic!("unknown contender {other:?}: mio, bsd-event or bsd-event-clear"),
        };
        for _ in 0..n {
            step();
        }
        return;
    }
    // What `criterion_main!` expands to.
    benches();
    Criterion::default().configure_from_args().final_summary();
}
