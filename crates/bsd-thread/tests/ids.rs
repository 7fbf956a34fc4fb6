//! Kernel thread ids through the public API.

use std::thread;

use bsd_thread::ThreadId;

#[test]
fn ids_differ_between_threads_and_are_stable() {
    let main = ThreadId::current();
    assert_eq!(main, ThreadId::current());
    let others: Vec<ThreadId> = (0..4)
        .map(|_| thread::spawn(ThreadId::current))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    for (i, id) in others.iter().enumerate() {
        assert_ne!(*id, main);
        // These threads need not overlap, so the kernel may reuse ids among them; compare
        // with the (live) main thread only. Simultaneous threads are checked below on Linux.
        assert!(id.raw() > 0, "thread {i} got {id}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn the_id_is_the_one_proc_shows_for_this_thread() {
    use std::sync::{Arc, Barrier};

    fn task_ids() -> Vec<i32> {
        std::fs::read_dir("/proc/self/task")
            .unwrap()
            .map(|e| e.unwrap().file_name().to_str().unwrap().parse().unwrap())
            .collect()
    }
    fn thread_self_id() -> i32 {
        // "/proc/thread-self" links to "<pid>/task/<tid>" of the reading thread.
        let link = std::fs::read_link("/proc/thread-self").unwrap();
        link.file_name().unwrap().to_str().unwrap().parse().unwrap()
    }

    let me = ThreadId::current();
    assert_eq!(me.raw(), thread_self_id());
    assert!(task_ids().contains(&me.raw()));

    // Two threads alive at the same time: distinct ids, each listed in /proc/self/task.
    let barrier = Arc::new(Barrier::new(3));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                let id = ThreadId::current();
                let proc_id = thread_self_id();
                barrier.wait(); // both alive
                barrier.wait(); // main has listed the tasks
                (id, proc_id)
            })
        })
        .collect();
    barrier.wait();
    let listed = task_ids();
    barrier.wait();
    let ids: Vec<(ThreadId, i32)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_ne!(ids[0].0, ids[1].0);
    for (id, proc_id) in ids {
        assert_eq!(id.raw(), proc_id);
        assert!(listed.contains(&id.raw()), "{id} not in {listed:?}");
        assert_ne!(id, me);
    }
}

#[cfg(not(target_os = "linux"))]
#[test]
fn the_id_is_the_one_proc_shows_for_this_thread() {
    println!("skipped: /proc/self/task exists only on Linux");
}
