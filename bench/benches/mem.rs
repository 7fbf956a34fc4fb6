//! Map, touch every page, unmap: bsd-mem against direct libc, rustix and memmap2.

use std::hint::black_box;
use std::ptr;

use bsd_mem::{page_size, MapFlags, Mapping, Protection};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// Writes one byte per page, so every page is faulted in.
#[inline(always)]
fn touch(p: *mut u8, len: usize, page: usize) {
    let mut off = 0;
    while off < len {
        // SAFETY: `p..p+len` is a live read/write mapping owned by the caller.
        unsafe { p.add(off).write_volatile(1) };
        off += page;
    }
}

fn bench(c: &mut Criterion) {
    let page = page_size();
    let mut group = c.benchmark_group("mem/map_touch_unmap");
    for (name, len) in [("64KiB", 64 * 1024), ("16MiB", 16 * 1024 * 1024)] {
        group.bench_with_input(BenchmarkId::new("libc", name), &len, |b, &len| {
            b.iter(|| {
                // SAFETY: a fresh private anonymous mapping, touched and unmapped here.
                unsafe {
                    let p = libc::mmap(
                        ptr::null_mut(),
                        len,
                        libc::PROT_READ | libc::PROT_WRITE,
                        libc::MAP_PRIVATE | libc::MAP_ANON,
                        -1,
                        0,
                    );
                    assert_ne!(p, libc::MAP_FAILED);
                    touch(p.cast(), len, page);
                    libc::munmap(black_box(p), len);
                }
            })
        });
        group.bench_with_input(BenchmarkId::new("bsd-mem", name), &len, |b, &len| {
            b.iter(|| {
                let mut m =
                    Mapping::anonymous(len, Protection::READ_WRITE, MapFlags::empty()).unwrap();
                touch(m.as_mut_ptr(), len, page);
                black_box(m)
            })
        });
        group.bench_with_input(BenchmarkId::new("rustix", name), &len, |b, &len| {
            use rustix::mm::{mmap_anonymous, munmap, MapFlags as RMap, ProtFlags};
            b.iter(|| {
                // SAFETY: a fresh private anonymous mapping, touched and unmapped here.
                unsafe {
                    let p = mmap_anonymous(
                        ptr::null_mut(),
                        len,
                        ProtFlags::READ | ProtFlags::WRITE,
                        RMap::PRIVATE,
                    )
                    .unwrap();
                    touch(p.cast(), len, page);
                    munmap(black_box(p), len).unwrap();
                }
            })
        });
        group.bench_with_input(BenchmarkId::new("memmap2", name), &len, |b, &len| {
            b.iter(|| {
                let mut m = memmap2::MmapMut::map_anon(len).unwrap();
                touch(m.as_mut_ptr(), len, page);
                black_box(m)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
