//! The mem concern through the active backend: real mappings, real protection changes.

use core::ptr;

use bsd_sys::{libc, mem, Errno};

#[test]
fn page_size_matches_the_c_library() {
    let page = mem::page_size().unwrap();
    assert!(page.is_power_of_two() && page >= 4096);
    // SAFETY: sysconf has no preconditions.
    assert_eq!(page as libc::c_long, unsafe {
        libc::sysconf(libc::_SC_PAGESIZE)
    });
}

#[test]
fn map_write_protect_advise_unmap() {
    let page = mem::page_size().unwrap();
    let len = 2 * page;
    // SAFETY: no MAP_FIXED; the mapping is used only here.
    unsafe {
        let p = mem::mmap(
            ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANON,
            -1,
            0,
        )
        .unwrap()
        .cast::<u8>();
        assert_eq!(p as usize % page, 0);
        p.add(page).write(7);
        assert_eq!(p.add(page).read(), 7);
        mem::mprotect(p.cast(), page, libc::PROT_READ).unwrap();
        // An unaligned address: both BSD kernels round it down to its page and apply the change
        // (OpenBSD sys/uvm/uvm_mmap.c rev 1.203 `sys_mprotect`, ALIGN_ADDR; DragonFly
        // sys/vm/vm_mmap.c `sys_mprotect`). Linux's kernel refuses it, but musl's mprotect
        // wrapper rounds it down first, so through musl's libc the call succeeds too.
        let unaligned = mem::mprotect(p.add(1).cast(), page, libc::PROT_READ);
        let kernel_rounds = cfg!(any(target_os = "openbsd", target_os = "dragonfly"));
        if kernel_rounds || (cfg!(target_env = "musl") && bsd_sys::BACKEND == "libc") {
            assert_eq!(unaligned, Ok(()));
        } else {
            assert_eq!(unaligned, Err(Errno::INVAL));
        }
        mem::madvise(p.cast(), len, libc::MADV_WILLNEED).unwrap();
        mem::msync(p.cast(), len, libc::MS_ASYNC).unwrap();
        mem::munmap(p.cast(), len).unwrap();
    }
}

#[test]
fn bad_mmap_arguments_are_errors() {
    // SAFETY: every call fails before mapping anything.
    unsafe {
        let rw = libc::PROT_READ | libc::PROT_WRITE;
        let anon = libc::MAP_PRIVATE | libc::MAP_ANON;
        assert_eq!(
            mem::mmap(ptr::null_mut(), 0, rw, anon, -1, 0),
            Err(Errno::INVAL)
        );
        // Rounding usize::MAX up to pages wraps: the BSDs say EINVAL (OpenBSD
        // sys/uvm/uvm_mmap.c rev 1.203 `sys_mmap`, ALIGN_ADDR; DragonFly sys/vm/vm_mmap.c
        // `kern_mmap`: `if (size < ulen) return (EINVAL)`), Linux ENOMEM.
        let too_long = if cfg!(any(target_os = "openbsd", target_os = "dragonfly")) {
            Errno::INVAL
        } else {
            Errno::NOMEM
        };
        assert_eq!(
            mem::mmap(ptr::null_mut(), usize::MAX, rw, anon, -1, 0),
            Err(too_long)
        );
        assert_eq!(
            mem::mmap(ptr::null_mut(), 4096, rw, libc::MAP_SHARED, 1000, 0),
            Err(Errno::BADF)
        );
    }
}

#[test]
fn map_stack_is_accepted() {
    let page = mem::page_size().unwrap();
    // SAFETY: no MAP_FIXED; unmapped right away.
    unsafe {
        let p = mem::mmap(
            ptr::null_mut(),
            page,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANON | libc::MAP_STACK,
            -1,
            0,
        )
        .unwrap();
        mem::munmap(p, page).unwrap();
    }
}
