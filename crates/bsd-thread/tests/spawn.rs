//! Builder and JoinHandle: values, panics, ids, names and caller-provided stacks.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use bsd_mem::Stack;
use bsd_sys::Errno;
use bsd_thread::{Builder, JoinError, ThreadId};

#[test]
fn the_closure_runs_and_its_value_comes_back() {
    let handle = Builder::new().spawn(|| 6 * 7).unwrap();
    assert_eq!(handle.join().unwrap(), 42);
}

#[test]
fn the_handle_knows_the_kernel_id_of_the_thread() {
    let handle = Builder::new().spawn(ThreadId::current).unwrap();
    let id = handle.id();
    assert_ne!(id, ThreadId::current());
    assert_eq!(handle.join().unwrap(), id);
}

#[test]
fn a_panic_comes_back_as_an_error_with_its_payload() {
    let handle = Builder::new().spawn(|| -> u32 { panic!("boom") }).unwrap();
    match handle.join() {
        Err(err @ JoinError::Panicked(_)) => {
            assert_eq!(err.to_string(), "thread panicked: boom");
            assert_eq!(
                *err.into_panic().unwrap().downcast::<&str>().unwrap(),
                "boom"
            );
        }
        other => panic!("{:?}", other.map(|_| ())),
    }
}

#[test]
fn a_panic_in_the_start_hook_skips_the_closure() {
    let ran = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&ran);
    let handle = Builder::new()
        .on_start(|| panic!("hook"))
        .spawn(move || flag.store(true, Ordering::SeqCst))
        .unwrap();
    assert!(matches!(handle.join(), Err(JoinError::Panicked(_))));
    assert!(!ran.load(Ordering::SeqCst));
}

#[test]
fn a_thread_on_a_stack_runs_inside_it() {
    let stack = Stack::new(512 * 1024).unwrap();
    let range = stack.usable_range();
    let handle = Builder::new()
        .stack(stack)
        .spawn(|| {
            let local = [0u8; 64];
            std::hint::black_box(&local);
            local.as_ptr() as usize
        })
        .unwrap();
    assert_eq!(handle.stack().unwrap().usable_range(), range);
    let addr = handle.join().unwrap();
    assert!(range.contains(&addr), "{addr:#x} not in {range:x?}");
}

#[test]
fn the_thread_outside_a_given_stack_uses_its_own() {
    let stack = Stack::new(512 * 1024).unwrap();
    let range = stack.usable_range();
    let addr = Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let local = 0u8;
            &local as *const u8 as usize
        })
        .unwrap()
        .join()
        .unwrap();
    assert!(!range.contains(&addr));
}

#[test]
fn a_stack_below_the_minimum_is_refused() {
    let page = bsd_mem::page_size();
    if page >= bsd_sys::pthread::PTHREAD_STACK_MIN {
        return; // musl: a one-page stack is legal
    }
    let stack = Stack::new(page).unwrap();
    assert_eq!(
        Builder::new().stack(stack).spawn(|| ()).unwrap_err(),
        Errno::INVAL
    );
}

#[test]
fn the_name_is_set_before_the_closure_runs() {
    let name = Builder::new()
        .name("bsd-worker")
        .spawn(|| bsd_thread::current_name().unwrap())
        .unwrap();
    assert_eq!(name.join().unwrap(), "bsd-worker");
}

#[test]
fn bad_names_are_refused_before_a_thread_exists() {
    let long = "x".repeat(bsd_thread::MAX_NAME_LEN + 1);
    assert_eq!(
        Builder::new().name(long).spawn(|| ()).unwrap_err(),
        Errno::RANGE
    );
    assert_eq!(
        Builder::new().name("a\0b").spawn(|| ()).unwrap_err(),
        Errno::INVAL
    );
}

#[test]
fn another_thread_is_named_by_its_id() {
    let go = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&go);
    let handle = Builder::new()
        .spawn(move || {
            while !seen.load(Ordering::Acquire) {
                std::thread::yield_now();
            }
            bsd_thread::current_name().unwrap()
        })
        .unwrap();
    bsd_thread::set_name_of(handle.id(), "named-by-id").unwrap();
    go.store(true, Ordering::Release);
    assert_eq!(handle.join().unwrap(), "named-by-id");
}

#[test]
fn naming_an_exited_thread_is_esrch() {
    let handle = Builder::new().spawn(|| ()).unwrap();
    let id = handle.id();
    handle.join().unwrap();
    // `join` returns once the kernel has cleared the thread's id word, which happens a moment
    // before the kernel forgets the thread itself (Linux keeps `/proc/self/task/<tid>` until the
    // exiting task is released), so the id may still answer briefly.
    let start = std::time::Instant::now();
    loop {
        match bsd_thread::set_name_of(id, "gone") {
            Err(e) => {
                assert_eq!(e, Errno::SRCH);
                break;
            }
            Ok(()) => {
                assert!(
                    start.elapsed() < std::time::Duration::from_secs(10),
                    "{id:?} never went away"
                );
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        }
    }
    let long = "y".repeat(bsd_thread::MAX_NAME_LEN + 1);
    assert_eq!(
        bsd_thread::set_name_of(ThreadId::current(), &long),
        Err(Errno::RANGE)
    );
}

#[test]
fn a_dropped_handle_detaches_and_the_thread_still_runs() {
    let done = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&done);
    drop(
        Builder::new()
            .stack(Stack::new(256 * 1024).unwrap())
            .spawn(move || flag.store(true, Ordering::Release))
            .unwrap(),
    );
    let start = std::time::Instant::now();
    while !done.load(Ordering::Acquire) {
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
        std::thread::yield_now();
    }
}

#[test]
fn a_rename_by_id_is_not_overwritten_by_the_builders_name() {
    let go = Arc::new(std::sync::Barrier::new(2));
    let wait = Arc::clone(&go);
    let handle = Builder::new()
        .name("first")
        .spawn(move || {
            wait.wait();
            bsd_thread::current_name().unwrap()
        })
        .unwrap();
    bsd_thread::set_name_of(handle.id(), "second").unwrap();
    go.wait();
    assert_eq!(handle.join().unwrap(), "second");
}
