//! `Mapping`: bytes go through, protections really hold (read back from the kernel and
//! proved by faulting children), advice and inheritance have their effects, files are shared.

mod common;

use std::fs::OpenOptions;
use std::io::Write;

use bsd_mem::{page_size, Advice, Inherit, MapFlags, Mapping, Protection};
use bsd_sys::{libc, Errno};
use common::{in_child, perms_of, Ended, TempPath};

fn has_proc_maps() -> bool {
    let ok = std::path::Path::new("/proc/self/maps").exists();
    if !ok {
        println!("no /proc/self/maps on this host: kernel read-back skipped");
    }
    ok
}

#[test]
fn written_bytes_read_back() {
    let len = 3 * page_size() + 17;
    let mut map = Mapping::anonymous(len, Protection::READ_WRITE, MapFlags::empty()).unwrap();
    assert_eq!(map.len(), len);
    assert!(
        map.as_slice().unwrap().iter().all(|&b| b == 0),
        "anonymous memory is zero-filled"
    );
    for (i, b) in map.as_mut_slice().unwrap().iter_mut().enumerate() {
        *b = (i % 251) as u8;
    }
    assert!(map
        .as_slice()
        .unwrap()
        .iter()
        .enumerate()
        .all(|(i, &b)| b == (i % 251) as u8));
}

#[test]
fn slices_follow_the_protection() {
    let mut map = Mapping::anonymous(page_size(), Protection::NONE, MapFlags::empty()).unwrap();
    assert!(map.as_slice().is_none());
    assert!(map.as_mut_slice().is_none());
    map.protect(Protection::READ).unwrap();
    assert!(map.as_slice().is_some());
    assert!(map.as_mut_slice().is_none());
    map.protect(Protection::READ_WRITE).unwrap();
    map.as_mut_slice().unwrap()[0] = 7;
    assert_eq!(map.protection(), Protection::READ_WRITE);
}

#[test]
fn protect_is_seen_by_the_kernel() {
    let mut map =
        Mapping::anonymous(2 * page_size(), Protection::READ_WRITE, MapFlags::empty()).unwrap();
    if !has_proc_maps() {
        return;
    }
    let addr = map.as_ptr() as usize;
    assert_eq!(perms_of(addr).unwrap(), "rw-p");
    map.protect(Protection::READ).unwrap();
    assert_eq!(perms_of(addr).unwrap(), "r--p");
    map.protect_range(page_size(), 1, Protection::NONE).unwrap();
    assert_eq!(perms_of(addr).unwrap(), "r--p");
    assert_eq!(perms_of(addr + page_size()).unwrap(), "---p");
    // One page is now PROT_NONE: no slice over the whole mapping is offered.
    assert!(map.as_slice().is_none());
}

#[test]
fn prot_none_page_faults_in_a_child() {
    let map = Mapping::anonymous(page_size(), Protection::NONE, MapFlags::empty()).unwrap();
    let p = map.as_ptr();
    // SAFETY: reading a PROT_NONE page is the point: the child must die of SIGSEGV.
    let ended = in_child(|| unsafe {
        p.read_volatile();
    });
    assert_eq!(ended, Ended::Signaled(libc::SIGSEGV));
}

#[test]
fn read_only_page_faults_on_write_in_a_child() {
    let mut map =
        Mapping::anonymous(page_size(), Protection::READ_WRITE, MapFlags::empty()).unwrap();
    map.as_mut_slice().unwrap()[0] = 0x5a;
    map.protect(Protection::READ).unwrap();
    let p = map.as_ptr() as *mut u8;
    let ended = in_child(|| {
        // SAFETY: reading a readable page.
        unsafe {
            if p.read_volatile() != 0x5a {
                libc::_exit(1);
            }
        }
    });
    assert_eq!(ended, Ended::Exited(0));
    // SAFETY: writing a read-only page is the point: the child must die of SIGSEGV.
    let ended = in_child(|| unsafe { p.write_volatile(1) });
    assert_eq!(ended, Ended::Signaled(libc::SIGSEGV));
    assert_eq!(map.as_slice().unwrap()[0], 0x5a);
}

#[test]
fn dont_need_zeroes_private_anonymous_pages() {
    let mut map =
        Mapping::anonymous(2 * page_size(), Protection::READ_WRITE, MapFlags::empty()).unwrap();
    map.as_mut_slice().unwrap().fill(0xab);
    map.advise(Advice::DontNeed).unwrap();
    if cfg!(target_os = "linux") {
        assert!(
            map.as_slice().unwrap().iter().all(|&b| b == 0),
            "MADV_DONTNEED zero-fills on Linux"
        );
    } else {
        // The BSDs keep the contents.
        assert!(map.as_slice().unwrap().iter().all(|&b| b == 0xab));
    }
    for advice in [
        Advice::Normal,
        Advice::Random,
        Advice::Sequential,
        Advice::WillNeed,
    ] {
        map.advise(advice).unwrap();
    }
}

#[test]
fn advise_free_then_write_keeps_new_bytes() {
    let mut map =
        Mapping::anonymous(page_size(), Protection::READ_WRITE, MapFlags::empty()).unwrap();
    map.as_mut_slice().unwrap().fill(1);
    // SAFETY: the memory is written through the raw pointer before any slice reads it.
    unsafe {
        map.advise_free().unwrap();
        map.as_mut_ptr().write_volatile(9);
    }
    assert_eq!(map.as_slice().unwrap()[0], 9);
}

#[test]
fn shared_anonymous_memory_is_seen_after_a_childs_write() {
    // SAFETY: the child writes only while the parent holds no slice borrow (it waits).
    let mut map = unsafe {
        Mapping::anonymous_shared(page_size(), Protection::READ_WRITE, MapFlags::empty())
    }
    .unwrap();
    let p = map.as_mut_ptr();
    let ended = in_child(|| {
        // SAFETY: the child writes its own view of the shared page.
        unsafe { p.add(10).write_volatile(0x77) }
    });
    assert_eq!(ended, Ended::Exited(0));
    assert_eq!(map.as_slice().unwrap()[10], 0x77);
}

#[test]
fn private_anonymous_memory_is_not_shared_with_a_child() {
    let mut map =
        Mapping::anonymous(page_size(), Protection::READ_WRITE, MapFlags::empty()).unwrap();
    let p = map.as_mut_ptr();
    let ended = in_child(|| {
        // SAFETY: the child writes its own copy-on-write page.
        unsafe { p.write_volatile(0x77) }
    });
    assert_eq!(ended, Ended::Exited(0));
    assert_eq!(map.as_slice().unwrap()[0], 0);
}

#[test]
fn inherit_none_unmaps_in_the_child_and_zero_wipes() {
    let mut map =
        Mapping::anonymous(page_size(), Protection::READ_WRITE, MapFlags::empty()).unwrap();
    map.as_mut_slice().unwrap()[0] = 3;
    let p = map.as_ptr();
    // SAFETY: the child touches the mapping only to prove it is gone.
    unsafe { map.inherit(Inherit::None) }.unwrap();
    // SAFETY: reading memory the child does not have: it must die of SIGSEGV.
    let ended = in_child(|| unsafe {
        p.read_volatile();
    });
    assert_eq!(ended, Ended::Signaled(libc::SIGSEGV));
    // SAFETY: back to the default.
    unsafe { map.inherit(Inherit::Copy) }.unwrap();
    // SAFETY: a plain read of inherited memory.
    let ended = in_child(|| unsafe {
        if p.read_volatile() != 3 {
            libc::_exit(1);
        }
    });
    assert_eq!(ended, Ended::Exited(0));
    #[cfg(any(target_os = "linux", target_os = "openbsd"))]
    {
        // SAFETY: the child gets zeroes, which it only reads.
        unsafe { map.inherit(Inherit::Zero) }.unwrap();
        // SAFETY: a plain read of the child's zero-filled page.
        let ended = in_child(|| unsafe {
            if p.read_volatile() != 0 {
                libc::_exit(1);
            }
        });
        assert_eq!(ended, Ended::Exited(0));
        assert_eq!(map.as_slice().unwrap()[0], 3);
    }
}

fn file_with(tag: &str, bytes: &[u8]) -> TempPath {
    let path = TempPath::new(tag);
    let mut f = std::fs::File::create(&path.0).unwrap();
    f.write_all(bytes).unwrap();
    path
}

#[test]
fn file_mapping_shows_the_file_and_flush_writes_back() {
    let page = page_size();
    let mut content = vec![0u8; 2 * page];
    content[..5].copy_from_slice(b"first");
    content[page..page + 6].copy_from_slice(b"second");
    let path = file_with("flush", &content);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path.0)
        .unwrap();

    // Private, at an offset of one page.
    // SAFETY: the test alone owns the file and does not change it while mapped.
    let ro = unsafe {
        Mapping::file(
            &file,
            page as u64,
            page,
            Protection::READ,
            MapFlags::PRIVATE,
        )
    }
    .unwrap();
    assert_eq!(&ro.as_slice().unwrap()[..6], b"second");
    drop(ro);

    // SAFETY: as above.
    let mut rw =
        unsafe { Mapping::file(&file, 0, 2 * page, Protection::READ_WRITE, MapFlags::SHARED) }
            .unwrap();
    drop(file); // the mapping keeps the file; the descriptor is no longer needed
    assert_eq!(&rw.as_slice().unwrap()[..5], b"first");
    rw.as_mut_slice().unwrap()[..5].copy_from_slice(b"FIRST");
    rw.flush().unwrap();
    let on_disk = std::fs::read(&path.0).unwrap();
    assert_eq!(&on_disk[..5], b"FIRST");
    assert_eq!(&on_disk[page..page + 6], b"second");
}

#[test]
fn two_shared_mappings_of_a_file_see_each_other() {
    let page = page_size();
    let path = file_with("two", &vec![0u8; page]);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path.0)
        .unwrap();
    // SAFETY: the two mappings are used one at a time below, never under a live borrow.
    let (mut a, b) = unsafe {
        (
            Mapping::file(&file, 0, page, Protection::READ_WRITE, MapFlags::SHARED).unwrap(),
            Mapping::file(&file, 0, page, Protection::READ, MapFlags::SHARED).unwrap(),
        )
    };
    assert_ne!(a.as_ptr(), b.as_ptr());
    a.as_mut_slice().unwrap()[100] = 0x42;
    assert_eq!(b.as_slice().unwrap()[100], 0x42);
}

#[test]
fn bad_input_gives_errors() {
    let page = page_size();
    let rw = Protection::READ_WRITE;
    let none = MapFlags::empty();
    assert_eq!(Mapping::anonymous(0, rw, none).unwrap_err(), Errno::INVAL);
    assert_eq!(
        Mapping::anonymous(usize::MAX, rw, none).unwrap_err(),
        Errno::NOMEM
    );
    assert_eq!(
        Mapping::anonymous(usize::MAX - page, rw, none).unwrap_err(),
        Errno::NOMEM
    );
    assert_eq!(
        Mapping::anonymous(page, rw, MapFlags::SHARED).unwrap_err(),
        Errno::INVAL
    );

    let mut map = Mapping::anonymous(2 * page, rw, none).unwrap();
    assert_eq!(
        map.protect_range(2 * page, 1, Protection::READ)
            .unwrap_err(),
        Errno::INVAL
    );
    assert_eq!(
        map.protect_range(page, page + 1, Protection::READ)
            .unwrap_err(),
        Errno::INVAL
    );
    assert_eq!(
        map.protect_range(1, page, Protection::READ).unwrap_err(),
        Errno::INVAL
    );
    assert_eq!(
        map.protect_range(0, 0, Protection::READ).unwrap_err(),
        Errno::INVAL
    );
    assert_eq!(
        map.protect_range(page, usize::MAX, Protection::READ)
            .unwrap_err(),
        Errno::INVAL
    );
    assert_eq!(map.protection(), rw, "a refused call changes nothing");

    let path = file_with("bad", &vec![1u8; 2 * page]);
    let file = std::fs::File::open(&path.0).unwrap();
    // SAFETY: the test alone owns the file; no mapping is created.
    unsafe {
        assert_eq!(
            Mapping::file(&file, 1, page, Protection::READ, none).unwrap_err(),
            Errno::INVAL
        );
        assert_eq!(
            Mapping::file(&file, 0, 0, Protection::READ, none).unwrap_err(),
            Errno::INVAL
        );
        assert_eq!(
            Mapping::file(
                &file,
                u64::MAX - (page as u64 - 1),
                page,
                Protection::READ,
                none
            )
            .unwrap_err(),
            Errno::INVAL
        );
        // A read-only descriptor cannot back a shared writable mapping.
        assert_eq!(
            Mapping::file(&file, 0, page, rw, MapFlags::SHARED).unwrap_err(),
            Errno::ACCES
        );
    }
    let wo = OpenOptions::new().write(true).open(&path.0).unwrap();
    // SAFETY: as above.
    let err =
        unsafe { Mapping::file(&wo, 0, page, Protection::READ, MapFlags::SHARED) }.unwrap_err();
    assert_eq!(
        err,
        Errno::ACCES,
        "a write-only descriptor cannot be mapped readable"
    );
}

#[test]
fn lock_and_unlock() {
    if let (Ok(name), "libc") = (std::env::var("BSD_RS_SANITIZER"), bsd_sys::BACKEND) {
        // The sanitizers' runtimes replace mlock/munlock with no-ops (sanitizer_common's
        // interceptors), so the kernel never sees the lock.
        println!("skipped under the {name} sanitizer: its runtime makes mlock a no-op");
        return;
    }
    let map = Mapping::anonymous(page_size(), Protection::READ_WRITE, MapFlags::empty()).unwrap();
    match map.lock() {
        Ok(()) => {}
        Err(e) if e == Errno::PERM || e == Errno::NOMEM || e == Errno::AGAIN => {
            // Over RLIMIT_MEMLOCK (Linux, OpenBSD) or not root (DragonFly): see `Mapping::lock`.
            println!("mlock refused here ({e}): over a limit or unprivileged; lock not tested");
            return;
        }
        Err(e) => panic!("mlock: {e}"),
    }
    if cfg!(target_os = "linux") {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let vmlck = status.lines().find(|l| l.starts_with("VmLck:")).unwrap();
        let kb: usize = vmlck.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert!(
            kb * 1024 >= page_size(),
            "VmLck counts the locked page: {vmlck}"
        );
    }
    map.unlock().unwrap();
}

#[test]
fn unlock_of_pages_never_locked() {
    let map = Mapping::anonymous(page_size(), Protection::READ_WRITE, MapFlags::empty()).unwrap();
    let unlocked = map.unlock();
    if cfg!(target_os = "dragonfly") {
        // Root only (EPERM), and a range that is not user-wired is ENOMEM for root
        // (`sys_munlock` / `vm_map_user_wiring`, DragonFly 6.4 81dd9c6184).
        assert!(
            matches!(unlocked, Err(e) if e == Errno::PERM || e == Errno::NOMEM),
            "{unlocked:?}"
        );
    } else {
        // OpenBSD leaves unwired entries untouched (`uvm_map_pageable`, uvm_map.c rev 1.346);
        // Linux accepts it (munlock(2)).
        assert_eq!(unlocked, Ok(()));
    }
}

#[test]
fn unknown_bits_never_reach_the_kernel() {
    // MAP_FIXED smuggled in through `from_bits_retain` must not make a fixed mapping at 0.
    let flags = MapFlags::from_bits_retain(libc::MAP_FIXED);
    let map = Mapping::anonymous(page_size(), Protection::READ_WRITE, flags).unwrap();
    assert_ne!(map.as_ptr() as usize, 0);
    let mut map = map;
    let odd = Protection::READ | Protection::from_bits_retain(0x0100_0000);
    map.protect(odd).unwrap();
    assert_eq!(map.protection(), Protection::READ);
}
