//! A guard page below a buffer, through raw bsd-sys calls only: `mmap` three pages, turn the
//! lowest into a `PROT_NONE` guard with `mprotect`, and show that even the kernel cannot read
//! it on our behalf (`writev` from it fails with `EFAULT`) while the pages above work.
//!
//! Run: `cargo run -p bsd-sys --example guard_page` (exits non-zero if the guard leaks).

use std::error::Error;
use std::ptr;

use bsd_sys::fd::{self, IoVec};
use bsd_sys::{libc, mem, Errno};

fn main() -> Result<(), Box<dyn Error>> {
    let page = mem::page_size()?;
    let len = 3 * page;
    let [r, w] = fd::pipe2(libc::O_CLOEXEC | libc::O_NONBLOCK)?;
    let rw = libc::PROT_READ | libc::PROT_WRITE;
    let flags = libc::MAP_PRIVATE | libc::MAP_ANON;
    // SAFETY: a fresh mapping (no MAP_FIXED) that only this function uses, through raw
    // pointers; it is unmapped once, at the end.
    let base = unsafe { mem::mmap(ptr::null_mut(), len, rw, flags, -1, 0)? };
    let guard = base;
    // SAFETY: `page < len`, so the result stays inside the mapping.
    let usable = unsafe { base.cast::<u8>().add(page) };

    // SAFETY: the guard page holds no Rust value; nothing refers to it.
    unsafe { mem::mprotect(guard, page, libc::PROT_NONE)? };
    println!("mapped {len} bytes at {base:p}; guard page {guard:p}, usable from {usable:p}");

    // SAFETY: `usable` points at 2 writable pages of our own mapping.
    unsafe { ptr::copy_nonoverlapping(b"guarded".as_ptr(), usable, 7) };
    let from_usable = [IoVec {
        iov_base: usable.cast(),
        iov_len: 7,
    }];
    let from_guard = [IoVec {
        iov_base: guard,
        iov_len: 7,
    }];
    // SAFETY: `w` is ours; `from_usable` points at readable memory of our mapping, and
    // `from_guard` at PROT_NONE memory, which writev's safety note allows (EFAULT, nothing read).
    let (good, bad) = unsafe { (fd::writev(w, &from_usable), fd::writev(w, &from_guard)) };
    let mut back = [0u8; 8];
    // SAFETY: `r` is ours.
    let got = unsafe { fd::read(r, &mut back) };

    // Clean up before judging, so a failure leaks nothing.
    // SAFETY: nothing uses the mapping any more; each descriptor is closed once.
    unsafe {
        mem::munmap(base, len)?;
        fd::close(r)?;
        fd::close(w)?;
    }
    println!("writev from the usable pages: {good:?}; from the guard page: {bad:?}");
    if good != Ok(7) || got != Ok(7) || &back[..7] != b"guarded" {
        return Err(format!("the usable pages failed: {good:?}, read back {got:?}").into());
    }
    if bad != Err(Errno::FAULT) {
        return Err(format!("the guard page was readable: {bad:?}").into());
    }
    println!("guard page holds: EFAULT, nothing of it reached the pipe");
    Ok(())
}
