//! One-byte pipe round trip (write one byte, read it back, same thread) per call: bsd-fd against
//! a direct libc `write`/`read`, rustix, and `std::io::{Read, Write}` on `File`.
//!
//! Run: `cargo bench -p bsd-bench --bench fd -- --warm-up-time 1 --measurement-time 3`
//! (libc backend, the Linux default; add `RUSTFLAGS='--cfg bsd_sys_backend="raw"'` for raw).

use std::fs::File;
use std::hint::black_box;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};

use criterion::{criterion_group, criterion_main, Criterion};

fn pipe_pair() -> (OwnedFd, OwnedFd) {
    bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC).expect("pipe")
}

fn round_trip(c: &mut Criterion) {
    let mut group = c.benchmark_group("one-byte pipe round trip");

    let (rx, tx) = pipe_pair();
    let (r, w) = (rx.as_raw_fd(), tx.as_raw_fd());
    group.bench_function("libc write + read (reference)", |b| {
        let mut buf = [0u8; 1];
        b.iter(|| {
            // SAFETY: `r` and `w` are open for the whole benchmark (owned by `rx`/`tx`); the
            // buffers are valid for one byte.
            unsafe {
                let n = libc::write(w, black_box(b"x").as_ptr().cast(), 1);
                let m = libc::read(r, buf.as_mut_ptr().cast(), 1);
                black_box((n, m, buf[0]))
            }
        })
    });

    group.bench_function("bsd_fd::write + bsd_fd::read", |b| {
        let mut buf = [0u8; 1];
        b.iter(|| {
            let n = bsd_fd::write(&tx, black_box(b"x"));
            let m = bsd_fd::read(&rx, &mut buf);
            black_box((n, m, buf[0]))
        })
    });

    group.bench_function("rustix::io::write + read", |b| {
        let mut buf = [0u8; 1];
        b.iter(|| {
            let n = rustix::io::write(&tx, black_box(b"x"));
            let m = rustix::io::read(&rx, &mut buf);
            black_box((n, m, buf[0]))
        })
    });

    let (rx_file, tx_file) = (File::from(rx), File::from(tx));
    group.bench_function("std File Write::write + Read::read", |b| {
        let mut buf = [0u8; 1];
        b.iter(|| {
            let n = (&tx_file).write(black_box(b"x"));
            let m = (&rx_file).read(&mut buf);
            black_box((n.ok(), m.ok(), buf[0]))
        })
    });
    group.finish();
}

criterion_group!(benches, round_trip);
criterion_main!(benches);
