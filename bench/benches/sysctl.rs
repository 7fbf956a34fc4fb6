//! sysctl by name against by MIB (a `Sysctl` resolved once), and kernel random bytes.
//!
//! On the Linux host a by-name lookup walks the OpenBSD name table and checks the `/proc/sys`
//! path; on OpenBSD it is the table walk alone, on DragonFly one extra `name2oid` system call.
//! `hw.pagesize` is answered natively (no file), so its rows show the lookup cost alone;
//! `kern.ostype` reads a `/proc/sys` file on Linux, the reference being `std::fs::read`.
//!
//! Run: `cargo bench -p bsd-bench --bench sysctl -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use bsd_proc::sysctl::Sysctl;
use criterion::{criterion_group, criterion_main, Criterion};

fn by_name_vs_mib(c: &mut Criterion) {
    let mut group = c.benchmark_group("sysctl hw.pagesize");
    let resolved = Sysctl::from_name("hw.pagesize").unwrap();
    group.bench_function("resolved once (by MIB)", |b| {
        b.iter(|| black_box(resolved.read_int().unwrap()))
    });
    group.bench_function("Sysctl::new(&[6, 7]) each time", |b| {
        b.iter(|| black_box(Sysctl::new(black_box(&[6, 7])).unwrap().read_int().unwrap()))
    });
    group.bench_function("by name each time", |b| {
        b.iter(|| {
            black_box(
                Sysctl::from_name(black_box("hw.pagesize"))
                    .unwrap()
                    .read_int()
                    .unwrap(),
            )
        })
    });
    group.finish();

    let mut group = c.benchmark_group("sysctl kern.ostype");
    let resolved = Sysctl::from_name("kern.ostype").unwrap();
    let mut buf = [0u8; 64];
    group.bench_function("resolved once, read_into", |b| {
        b.iter(|| black_box(resolved.read_into(&mut buf).unwrap()))
    });
    group.bench_function("by name each time, read_into", |b| {
        b.iter(|| {
            let s = Sysctl::from_name(black_box("kern.ostype")).unwrap();
            black_box(s.read_into(&mut buf).unwrap())
        })
    });
    #[cfg(target_os = "linux")]
    group.bench_function("std::fs::read (reference)", |b| {
        b.iter(|| black_box(std::fs::read("/proc/sys/kernel/ostype").unwrap()))
    });
    group.finish();
}

fn random(c: &mut Criterion) {
    let mut group = c.benchmark_group("random 4 KiB");
    let mut buf = vec![0u8; 4096];
    group.bench_function("bsd_proc::random::fill", |b| {
        b.iter(|| bsd_proc::random::fill(black_box(&mut buf)).unwrap())
    });
    group.bench_function("libc::getrandom (reference)", |b| {
        b.iter(|| {
            // SAFETY: `buf` is writable for its length.
            let n = unsafe { libc::getrandom(buf.as_mut_ptr().cast(), buf.len(), 0) };
            black_box(n)
        })
    });
    group.finish();
}

criterion_group!(benches, by_name_vs_mib, random);
criterion_main!(benches);
