//! The thread-mask round trip: block one signal, then unblock it, as bsd-signal, direct
//! `pthread_sigmask` (the reference) and nix do it. Every contender asks for the old mask, as
//! bsd-signal always returns it.

use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn mask_round_trip(c: &mut Criterion) {
    let mut g = c.benchmark_group("signal/block+unblock");

    let set = bsd_signal::SigSet::of(bsd_signal::Signal::USR1);
    g.bench_function("bsd-signal", |b| {
        b.iter(|| {
            let old = bsd_signal::block(black_box(&set)).unwrap();
            black_box(old);
            let old = bsd_signal::unblock(black_box(&set)).unwrap();
            black_box(old);
        })
    });

    // SAFETY: plain C set operations on a local.
    let raw = unsafe {
        let mut s: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut s);
        libc::sigaddset(&mut s, libc::SIGUSR1);
        s
    };
    g.bench_function("libc pthread_sigmask", |b| {
        b.iter(|| {
            // SAFETY: valid sets; `old` is writable.
            unsafe {
                let mut old: libc::sigset_t = std::mem::zeroed();
                assert_eq!(
                    libc::pthread_sigmask(libc::SIG_BLOCK, black_box(&raw), &mut old),
                    0
                );
                black_box(&old);
                assert_eq!(
                    libc::pthread_sigmask(libc::SIG_UNBLOCK, black_box(&raw), &mut old),
                    0
                );
                black_box(&old);
            }
        })
    });

    use nix::sys::signal::{pthread_sigmask, SigSet, SigmaskHow, Signal};
    let nset = SigSet::from(Signal::SIGUSR1);
    g.bench_function("nix", |b| {
        b.iter(|| {
            let mut old = SigSet::empty();
            pthread_sigmask(
                SigmaskHow::SIG_BLOCK,
                Some(black_box(&nset)),
                Some(&mut old),
            )
            .unwrap();
            black_box(&old);
            pthread_sigmask(
                SigmaskHow::SIG_UNBLOCK,
                Some(black_box(&nset)),
                Some(&mut old),
            )
            .unwrap();
            black_box(&old);
        })
    });
    g.finish();
}

criterion_group!(benches, mask_round_trip);
criterion_main!(benches);
