//! A protection change that fails part-way at the process's map-count limit (Linux only: the
//! BSDs have no `vm.max_map_count`-style limit on the number of map entries). Its own test
//! binary, because filling the map-count limit makes every other mapping in the process fail.
#![cfg(target_os = "linux")]

use bsd_mem::{page_size, MapFlags, Mapping, Protection};
use bsd_sys::{libc, Errno};

mod common;
use common::perms_of;

/// Whether to skip: under a sanitizer, filling the map-count limit starves the sanitizer's own
/// allocator (it maps shadow and metadata memory as it goes), which then aborts the process.
fn skipped_under_sanitizer() -> bool {
    match std::env::var("BSD_RS_SANITIZER") {
        Ok(name) => {
            println!("skipped under the {name} sanitizer: it needs mappings of its own");
            true
        }
        Err(_) => false,
    }
}

fn stress_factor() -> usize {
    std::env::var("BSD_RS_STRESS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1usize)
        .max(1)
}

/// Changes single pages of `filler` from the top down, alternating protections, until the
/// kernel refuses one: each change splits one region off the uniform rest, so the refusal comes
/// exactly at the process's map-count limit.
fn fill_map_count(filler: &mut Mapping) {
    let page = page_size();
    let pages = filler.len() / page;
    for (i, at) in (0..pages).rev().enumerate() {
        let prot = if i % 2 == 0 {
            Protection::READ
        } else {
            Protection::NONE
        };
        if let Err(e) = filler.protect_range(at * page, page, prot) {
            assert_eq!(e, Errno::NOMEM);
            return;
        }
    }
    panic!("the filler is too small for this system's map-count limit");
}

fn max_map_count() -> usize {
    std::fs::read_to_string("/proc/sys/vm/max_map_count")
        .expect("read vm.max_map_count")
        .trim()
        .parse()
        .expect("a number")
}

/// Both checks in one test, one after the other: while the process sits at its map-count
/// limit nothing else may run that allocates (the harness reporting another test would).
#[test]
fn at_the_map_count_limit() {
    if skipped_under_sanitizer() {
        return;
    }
    a_protection_change_that_fails_part_way_offers_no_slice();
    mappings_protected_from_several_threads_at_the_limit();
}

fn a_protection_change_that_fails_part_way_offers_no_slice() {
    let page = page_size();
    let rw = Protection::READ_WRITE;
    // Three pages as two regions that cannot merge again: page 0 carries MADV_DONTDUMP (a
    // region flag), pages 1-2 do not. Shared memory, so that no region of it can merge with
    // the filler's private ones either.
    // SAFETY: no process is forked while it lives; only this test touches it.
    let mut map = unsafe { Mapping::anonymous_shared(3 * page, rw, MapFlags::empty()) }.unwrap();
    map.as_mut_slice().unwrap().fill(7);
    // SAFETY: MADV_DONTDUMP changes only what a core dump contains, never the contents.
    unsafe { bsd_sys::mem::madvise(map.as_mut_ptr().cast(), page, libc::MADV_DONTDUMP) }.unwrap();
    assert!(map.as_slice().is_some());

    let limit = max_map_count();
    let mut filler = Mapping::anonymous((limit + 64) * page, rw, MapFlags::empty()).unwrap();
    fill_map_count(&mut filler);

    // Pages 0..2 to NONE: the kernel changes page 0 (a whole region, no split needed), then
    // must split the second region at page 2 (page 1 cannot merge into page 0's region), which
    // fails at the limit.
    let base = map.as_ptr() as usize;
    let result = map.protect_range(0, 2 * page, Protection::NONE);
    let (protection, offers_slice) = (map.protection(), map.as_slice().is_some());
    // Nothing that allocates runs at the limit (musl's allocator maps memory for every
    // allocation, so it fails there): release the filler before checking anything.
    drop(filler);
    assert_eq!(result, Err(Errno::NOMEM));
    // The type must not offer a slice over a page that is no longer readable.
    assert_eq!(protection, Protection::NONE);
    assert!(!offers_slice);
    assert_eq!(
        perms_of(base).as_deref(),
        Some("---s"),
        "the kernel did change the first page before failing"
    );
    assert_eq!(perms_of(base + page).as_deref(), Some("rw-s"));

    // With room again, one protection for the whole mapping makes it usable again.
    map.protect(rw).unwrap();
    assert_eq!(map.as_slice().unwrap()[2 * page], 7);
    assert_eq!(map.as_slice().unwrap()[0], 7);
}

/// Several threads protect and unprotect pages of their own mappings while the process sits at
/// its map-count limit: every change either works or fails with `ENOMEM`, and whenever a
/// mapping offers a slice, every byte of it is readable (a wrong answer would kill the process
/// with SIGSEGV). Scaled by `BSD_RS_STRESS`.
fn mappings_protected_from_several_threads_at_the_limit() {
    let page = page_size();
    let rw = Protection::READ_WRITE;
    const THREADS: usize = 4;
    const PAGES: usize = 16;
    let maps: Vec<Mapping> = (0..THREADS)
        .map(|_| {
            let mut m = Mapping::anonymous(PAGES * page, rw, MapFlags::empty()).unwrap();
            m.as_mut_slice().unwrap().fill(1);
            m
        })
        .collect();
    let rounds = 2_000 * stress_factor();
    // Threads first: starting one maps its stack and guard pages, which fails at the limit.
    let ready = std::sync::Barrier::new(THREADS + 1);
    let filled = std::sync::Barrier::new(THREADS + 1);
    let mut filler = None;
    let failures: usize = std::thread::scope(|s| {
        let handles: Vec<_> = maps
            .into_iter()
            .enumerate()
            .map(|(t, mut map)| {
                let (ready, filled) = (&ready, &filled);
                s.spawn(move || {
                    ready.wait();
                    filled.wait();
                    let mut failures = 0;
                    let mut x = t as u64 * 7919 + 1;
                    for _ in 0..rounds {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        let at = (x as usize % PAGES) * page;
                        let prot = if x & 1 == 0 {
                            Protection::READ
                        } else {
                            Protection::NONE
                        };
                        if let Err(e) = map.protect_range(at, page, prot) {
                            assert_eq!(e, Errno::NOMEM);
                            failures += 1;
                        }
                        if x % 5 == 0 {
                            if let Err(e) = map.protect(rw) {
                                assert_eq!(e, Errno::NOMEM);
                                failures += 1;
                            }
                        }
                        if let Some(bytes) = map.as_slice() {
                            // Every page: one the type wrongly thinks readable faults here.
                            let sum: u64 = bytes.iter().step_by(512).map(|&b| u64::from(b)).sum();
                            assert_eq!(sum, (PAGES * page / 512) as u64);
                        }
                    }
                    failures
                })
            })
            .collect();
        ready.wait();
        let limit = max_map_count();
        let mut f = Mapping::anonymous((limit + 64) * page, rw, MapFlags::empty()).unwrap();
        fill_map_count(&mut f);
        filler = Some(f);
        filled.wait();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    drop(filler);
    println!("{THREADS} threads x {rounds} changes at the map-count limit: {failures} refused");
}
