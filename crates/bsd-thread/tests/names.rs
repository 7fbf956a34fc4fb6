//! Thread names through the public API; every test renames a thread it spawned itself.

use std::thread;

use bsd_thread::{current_name, set_current_name, Errno, MAX_NAME_LEN};

fn in_new_thread<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    thread::spawn(f).join().unwrap()
}

#[test]
fn a_name_set_is_the_name_read_back() {
    let (read, proc_comm) = in_new_thread(|| {
        set_current_name("bsd-worker").unwrap();
        (current_name().unwrap(), proc_comm())
    });
    assert_eq!(read, "bsd-worker");
    if let Some(comm) = proc_comm {
        assert_eq!(comm, "bsd-worker", "the kernel's copy differs");
    }
}

#[test]
fn a_name_of_the_maximum_length_is_kept_whole() {
    let name: String = "n".repeat(MAX_NAME_LEN);
    let read = in_new_thread(move || {
        set_current_name(&name).unwrap();
        current_name().unwrap()
    });
    assert_eq!(read.len(), MAX_NAME_LEN);
}

#[test]
fn an_over_long_name_is_an_error_and_changes_nothing() {
    let (err, read) = in_new_thread(|| {
        set_current_name("before").unwrap();
        let err = set_current_name(&"x".repeat(MAX_NAME_LEN + 1)).unwrap_err();
        (err, current_name().unwrap())
    });
    assert_eq!(err, Errno::RANGE);
    assert_eq!(read, "before");
}

#[test]
fn a_name_with_a_nul_is_an_error() {
    let (err, read) = in_new_thread(|| {
        set_current_name("before").unwrap();
        (
            set_current_name("a\0b").unwrap_err(),
            current_name().unwrap(),
        )
    });
    assert_eq!(err, Errno::INVAL);
    assert_eq!(read, "before");
}

#[test]
fn threads_have_their_own_names() {
    let a = thread::spawn(|| {
        set_current_name("first").unwrap();
        thread::sleep(std::time::Duration::from_millis(20));
        current_name().unwrap()
    });
    let b = thread::spawn(|| {
        set_current_name("second").unwrap();
        thread::sleep(std::time::Duration::from_millis(20));
        current_name().unwrap()
    });
    assert_eq!(a.join().unwrap(), "first");
    assert_eq!(b.join().unwrap(), "second");
}

/// The kernel's name for the calling thread, where the host shows it.
#[cfg(target_os = "linux")]
fn proc_comm() -> Option<String> {
    let comm = std::fs::read_to_string("/proc/thread-self/comm").unwrap();
    Some(comm.trim_end_matches('\n').to_owned())
}

#[cfg(not(target_os = "linux"))]
fn proc_comm() -> Option<String> {
    println!("no /proc here: the name is checked through the read-back call only");
    None
}
