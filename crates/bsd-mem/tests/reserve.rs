//! `Reservation` (reserve, then commit with MAP_FIXED inside it) and `Mapping::sync_range`.
//! Every test holds `LOCK`, so the mapping-count check sees no concurrent mmap from this binary.

mod common;

use std::fs::OpenOptions;
use std::io::Write;
use std::sync::{Mutex, MutexGuard};

use bsd_mem::{page_size, Errno, MapFlags, Mapping, Protection, Reservation, SyncFlags};
use common::{in_child, perms_of, Ended, TempPath};

static LOCK: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// The permissions of each page of `[base, base + pages * page)` in /proc/self/maps.
fn page_perms(base: *const u8, pages: usize) -> Vec<Option<String>> {
    (0..pages)
        .map(|i| perms_of(base as usize + i * page_size()))
        .collect()
}

#[test]
fn commit_and_decommit_stay_inside_one_unbroken_range() {
    let _g = lock();
    let page = page_size();
    let mut r = Reservation::new(8 * page).unwrap();
    let base = r.as_mut_ptr();
    assert_eq!(r.len(), 8 * page);
    assert!(
        page_perms(base, 8)
            .iter()
            .all(|p| p.as_deref() == Some("---p")),
        "all PROT_NONE"
    );

    r.commit(2 * page, 3 * page, Protection::READ_WRITE)
        .unwrap();
    let perms = page_perms(base, 8);
    for (i, p) in perms.iter().enumerate() {
        let want = if (2..5).contains(&i) { "rw-p" } else { "---p" };
        assert_eq!(p.as_deref(), Some(want), "page {i}: {perms:?}");
    }
    // SAFETY: pages 2..5 are committed read-write; nothing else refers to them.
    unsafe {
        for i in 2..5 {
            let p = base.add(i * page);
            assert_eq!(p.read(), 0, "fresh memory is zero");
            p.write(i as u8);
            p.add(page - 1).write(0xAA);
        }
        assert_eq!(base.add(3 * page).read(), 3);
    }

    // Decommit the middle page: it is PROT_NONE again, still inside the reservation (no gap),
    // and its neighbours keep their bytes.
    r.decommit(3 * page, page).unwrap();
    let perms = page_perms(base, 8);
    assert!(perms.iter().all(Option::is_some), "a gap opened: {perms:?}");
    assert_eq!(perms[3].as_deref(), Some("---p"));
    // SAFETY: pages 2 and 4 are still committed read-write.
    unsafe {
        assert_eq!(base.add(2 * page).read(), 2);
        assert_eq!(base.add(4 * page).read(), 4);
    }
    let third = base as usize + 3 * page;
    let ended = in_child(|| {
        // SAFETY: deliberately touches the decommitted page, in a child; expected to fault.
        unsafe { (third as *mut u8).write_volatile(1) };
    });
    assert_eq!(ended, Ended::Signaled(bsd_sys::libc::SIGSEGV));

    // Recommitting gives fresh zeros.
    r.commit(3 * page, page, Protection::READ).unwrap();
    // SAFETY: page 3 is committed readable.
    assert_eq!(unsafe { base.add(3 * page).read() }, 0);

    drop(r);
    assert!(
        page_perms(base, 8).iter().all(Option::is_none),
        "drop unmaps the whole range"
    );
}

#[test]
fn no_mapping_outlives_a_reservation() {
    if let Ok(name) = std::env::var("BSD_RS_SANITIZER") {
        println!(
            "skipped under the {name} sanitizer: its runtime maps memory of its own as it goes"
        );
        return;
    }
    let _g = lock();
    // The test harness maps thread stacks for the other tests meanwhile, so count in a child
    // process of this binary that runs this test alone.
    if std::env::var_os("BSD_MEM_RESERVE_CHILD").is_none() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "no_mapping_outlives_a_reservation",
                "--test-threads=1",
                "--nocapture",
            ])
            .env("BSD_MEM_RESERVE_CHILD", "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "child failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains("mappings before"),
            "the child did not run the check: {text}"
        );
        return;
    }
    let count = || {
        std::fs::read_to_string("/proc/self/maps")
            .unwrap()
            .lines()
            .count()
    };
    let page = page_size();
    let before = count();
    println!("mappings before: {before}");
    for round in 1..=16 {
        let mut r = Reservation::new(round * 4 * page).unwrap();
        for i in (0..round * 4).step_by(2) {
            r.commit(i * page, page, Protection::READ_WRITE).unwrap();
        }
        r.decommit(0, page).unwrap();
        assert_eq!(
            r.commit(page / 2, page, Protection::READ),
            Err(Errno::INVAL)
        );
        assert_eq!(
            r.commit(0, (round * 4 + 1) * page, Protection::READ),
            Err(Errno::INVAL)
        );
    }
    assert_eq!(count(), before, "a reservation leaked a mapping");
}

#[test]
fn an_address_hint_is_used_when_free() {
    let _g = lock();
    let page = page_size();
    // A range just unmapped is free, unless another thread of this test binary maps memory
    // into it before the hinted call (musl's allocator maps for each allocation): try again.
    let (hint, again) = (0..20)
        .map(|_| {
            let first = Reservation::new(16 * page).unwrap();
            let hint = first.as_ptr() as usize;
            drop(first);
            (hint, Reservation::with_hint(hint, 16 * page).unwrap())
        })
        .find(|(hint, again)| !cfg!(target_os = "linux") || again.as_ptr() as usize == *hint)
        // Linux uses a free, aligned hint as is (mm/mmap.c, get_unmapped_area).
        .expect("a free hint was never used in 20 tries");
    // An occupied hint is only a hint: the kernel places the new range elsewhere and nothing
    // already mapped there is touched.
    let other = Reservation::with_hint(hint, 16 * page).unwrap();
    assert_ne!(other.as_ptr(), again.as_ptr());
    assert_eq!(perms_of(hint).as_deref(), Some("---p"));
}

#[test]
fn bad_reservations_are_refused() {
    let _g = lock();
    let page = page_size();
    assert_eq!(Reservation::new(0).map(drop), Err(Errno::INVAL));
    assert_eq!(
        Reservation::new(usize::MAX).map(drop),
        Err(Errno::NOMEM),
        "rounding overflows"
    );
    assert_eq!(
        Reservation::new(usize::MAX / 2 + 1).map(drop),
        Err(Errno::NOMEM),
        "too large"
    );
    let mut r = Reservation::new(4 * page).unwrap();
    assert_eq!(r.commit(0, 0, Protection::READ), Err(Errno::INVAL));
    assert_eq!(r.commit(1, page, Protection::READ), Err(Errno::INVAL));
    assert_eq!(
        r.commit(4 * page, page, Protection::READ),
        Err(Errno::INVAL)
    );
    assert_eq!(
        r.commit(usize::MAX - page + 1, page, Protection::READ),
        Err(Errno::INVAL)
    );
    assert_eq!(r.commit(0, usize::MAX, Protection::READ), Err(Errno::INVAL));
    assert_eq!(r.decommit(page, 4 * page), Err(Errno::INVAL));
    assert!(page_perms(r.as_ptr(), 4)
        .iter()
        .all(|p| p.as_deref() == Some("---p")));
}

#[test]
fn sync_range_writes_a_shared_file_mapping_back() {
    let _g = lock();
    let page = page_size();
    let path = TempPath::new("sync-range");
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path.0)
        .unwrap();
    file.write_all(&vec![0u8; 2 * page]).unwrap();
    // SAFETY: the file is this test's own, 2 pages long, and nobody else changes it.
    let mut m =
        unsafe { Mapping::file(&file, 0, 2 * page, Protection::READ_WRITE, MapFlags::SHARED) }
            .unwrap();
    m.as_mut_slice().unwrap()[page] = b'Z';
    m.sync_range(page, page, SyncFlags::SYNC).unwrap();
    assert_eq!(std::fs::read(&path.0).unwrap()[page], b'Z');
    m.sync_range(0, 2 * page, SyncFlags::ASYNC | SyncFlags::INVALIDATE)
        .unwrap();
    if bsd_sys::libc::MS_SYNC != 0 {
        assert_eq!(
            m.sync_range(0, page, SyncFlags::SYNC | SyncFlags::ASYNC),
            Err(Errno::INVAL)
        );
    }
    assert_eq!(m.sync_range(1, page, SyncFlags::SYNC), Err(Errno::INVAL));
    assert_eq!(
        m.sync_range(page, 2 * page, SyncFlags::SYNC),
        Err(Errno::INVAL)
    );
    assert_eq!(m.sync_range(0, 0, SyncFlags::SYNC), Err(Errno::INVAL));
}
