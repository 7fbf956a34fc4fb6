//! `Stack`: layout, usability, and a guard page that really faults.

use bsd_mem::{page_size, Stack};
use bsd_sys::Errno;

#[test]
fn zero_size_is_invalid() {
    assert_eq!(Stack::new(0).unwrap_err(), Errno::INVAL);
}

#[test]
fn huge_size_is_an_error_not_a_panic() {
    assert_eq!(Stack::new(usize::MAX).unwrap_err(), Errno::NOMEM);
    assert!(Stack::new(usize::MAX - 3 * page_size()).is_err());
}

#[test]
fn layout_is_whole_pages_with_guard_below() {
    let page = page_size();
    let stack = Stack::new(page + 1).unwrap();
    assert_eq!(stack.len(), 2 * page);
    let usable = stack.usable_range();
    let guard = stack.guard_range();
    assert_eq!(usable.start, stack.base() as usize);
    assert_eq!(usable.end - usable.start, 2 * page);
    assert_eq!(guard.end, usable.start);
    assert_eq!(guard.end - guard.start, page);
    assert_eq!(usable.start % page, 0);
}

#[test]
fn usable_memory_is_zeroed_and_writable() {
    let stack = Stack::new(3 * page_size()).unwrap();
    let base = stack.base();
    for i in (0..stack.len()).step_by(512) {
        // SAFETY: `base + i` lies in the usable range of a live Stack nobody else uses.
        unsafe {
            assert_eq!(base.add(i).read_volatile(), 0);
            base.add(i).write_volatile(0xa5);
            assert_eq!(base.add(i).read_volatile(), 0xa5);
        }
    }
}

#[test]
fn stack_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Stack>();
}

mod common;
use common::{in_child, perms_of, Ended};

#[test]
fn guard_page_faults_in_a_child() {
    let stack = Stack::new(2 * page_size()).unwrap();
    let guard = stack.guard_range().start as *const u8;
    let top = (stack.usable_range().end - 1) as *const u8;
    // Control: the usable memory does not fault.
    let ended = in_child(|| {
        // SAFETY: `top` is the last usable byte of a live Stack.
        unsafe {
            if top.read_volatile() != 0 {
                bsd_sys::libc::_exit(1);
            }
        }
    });
    assert_eq!(ended, Ended::Exited(0));
    // SAFETY: reading the guard page is the point: the child must die of SIGSEGV.
    let ended = in_child(|| unsafe {
        guard.read_volatile();
    });
    assert_eq!(ended, Ended::Signaled(bsd_sys::libc::SIGSEGV));
}

#[test]
fn kernel_sees_guard_none_and_stack_read_write() {
    let stack = Stack::new(page_size()).unwrap();
    if !std::path::Path::new("/proc/self/maps").exists() {
        println!("no /proc/self/maps on this host: protection read-back skipped");
        return;
    }
    assert_eq!(perms_of(stack.guard_range().start).unwrap(), "---p");
    assert_eq!(perms_of(stack.usable_range().start).unwrap(), "rw-p");
}
