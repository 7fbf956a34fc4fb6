//! Per-call cost of a monotonic clock read: bsd-time and bsd-sys against a direct
//! `libc::clock_gettime`, `std::time::Instant::now()` and rustix.
//!
//! Run: `cargo bench -p bsd-bench --bench time` (libc backend, the default on Linux).

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};

fn monotonic_read(c: &mut Criterion) {
    let mut group = c.benchmark_group("monotonic clock read");
    group.bench_function("libc::clock_gettime (reference)", |b| {
        b.iter(|| {
            let mut ts = libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            };
            // SAFETY: `ts` is a valid, writable timespec.
            let ret = unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
            black_box((ret, ts.tv_sec, ts.tv_nsec))
        })
    });
    group.bench_function("bsd_time::now(Clock::Monotonic)", |b| {
        b.iter(|| black_box(bsd_time::now(bsd_time::Clock::Monotonic)))
    });
    group.bench_function("bsd_time::monotonic_nanos()", |b| {
        b.iter(|| black_box(bsd_time::monotonic_nanos()))
    });
    group.bench_function("std::time::Instant::now()", |b| {
        b.iter(|| black_box(Instant::now()))
    });
    group.bench_function("rustix::time::clock_gettime", |b| {
        b.iter(|| {
            black_box(rustix::time::clock_gettime(
                rustix::time::ClockId::Monotonic,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, monotonic_read);
criterion_main!(benches);
