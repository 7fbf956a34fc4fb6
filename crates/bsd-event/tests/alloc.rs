//! `register` and `wait` on the hot path allocate nothing; `apply` allocates only the results
//! it returns. Counted per thread with a counting global allocator (the test harness's own
//! threads do not count), on every OS.

// Clippy on aarch64-unknown-openbsd (no native TLS) asks for the `const` the initializer has.
#![allow(clippy::missing_const_for_thread_local)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::Duration;

use bsd_event::{Change, EvFlags, Events, Filter, Kqueue};

mod common;

struct Counting;

thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; the counter is a thread-local `Cell` with a const
// initializer, which itself never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: forwarded contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded contract.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
        // SAFETY: forwarded contract.
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations `f` makes on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCS.with(Cell::get);
    f();
    ALLOCS.with(Cell::get) - before
}

#[test]
fn hot_paths_do_not_allocate() {
    let kq = Kqueue::new().unwrap();
    let (r, w) = common::pipe();
    let mut events = Events::with_capacity(8);
    let read = Filter::read(&r);
    let timer = Filter::Timer {
        id: 1,
        period: Duration::from_secs(3600),
    };
    // Warm-up: the first uses grow the queue's tables (amortized; bounded by the live
    // registrations, which the loop below does not add to).
    kq.register(Change::add(read, 1)).unwrap();
    kq.register(Change::add(timer, 2)).unwrap();
    kq.register(Change::add(Filter::user(3), 3).with(EvFlags::CLEAR))
        .unwrap();
    common::put(&w, b"x");
    for _ in 0..20 {
        kq.register(Change::add(timer, 2)).unwrap();
        kq.register(Change::add(Filter::user_trigger(3), 3))
            .unwrap();
        kq.wait(&mut events, common::LONG).unwrap();
    }

    let n = allocations(|| {
        for _ in 0..100 {
            kq.register(Change::disable(read, 1)).unwrap();
            kq.register(Change::enable(read, 1)).unwrap();
            kq.register(Change::add(read, 1)).unwrap();
            kq.register(Change::add(timer, 2)).unwrap();
            kq.register(Change::add(Filter::user_trigger(3), 3))
                .unwrap();
            assert!(kq.wait(&mut events, common::LONG).unwrap() >= 1);
            assert!(events.iter().any(|e| e.token() == 3));
        }
    });
    assert_eq!(n, 0, "register and wait allocated");

    let changes = [Change::disable(read, 1), Change::enable(read, 1)];
    let n = allocations(|| {
        let results = kq.apply(&changes).unwrap();
        assert!(results.iter().all(Result::is_ok));
    });
    assert_eq!(n, 1, "apply allocates only the results it returns");
}
