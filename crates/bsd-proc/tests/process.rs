//! issetugid, the aux vector and exit, checked in child processes where they end it.

use std::process::Command;

use bsd_proc::process::{aux_value, AuxKey};

#[test]
fn a_plain_test_run_is_not_setugid() {
    assert!(!bsd_proc::process::issetugid());
}

#[test]
fn aux_page_size_is_the_page_size() {
    let answer = aux_value(AuxKey::PAGE_SIZE);
    if cfg!(target_os = "dragonfly") {
        assert_eq!(answer, Err(bsd_proc::Errno::NOSYS));
    } else {
        assert_eq!(answer, Ok(bsd_sys::mem::page_size().unwrap()));
    }
}

#[cfg(target_os = "linux")]
#[test]
fn missing_aux_entries_are_noent() {
    assert_eq!(aux_value(AuxKey(9999)), Err(bsd_proc::Errno::NOENT));
    assert_eq!(aux_value(AuxKey(-1)), Err(bsd_proc::Errno::INVAL));
    // AT_SECURE is present and 0: a real zero, not "absent".
    assert_eq!(
        bsd_sys::process::aux_value(bsd_sys::process::AT_SECURE),
        Ok(0)
    );
}

const CHILD: &str = "BSD_PROC_EXIT_CHILD";

extern "C" fn say_atexit() {
    let msg = b"atexit-ran\n";
    // SAFETY: writing a static buffer to stdout.
    unsafe { bsd_sys::libc::write(1, msg.as_ptr().cast(), msg.len()) };
}

/// In the child: registers an atexit handler, then leaves the way the parent asked.
#[test]
fn exit_child() {
    let Ok(how) = std::env::var(CHILD) else {
        return;
    };
    // SAFETY: `say_atexit` is a valid extern "C" fn for the process's life.
    unsafe { bsd_sys::libc::atexit(say_atexit) };
    match how.as_str() {
        "exit" => bsd_proc::process::exit(42),
        _ => bsd_proc::process::exit_now(43),
    }
}

fn run_child(how: &str) -> std::process::Output {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "exit_child", "--nocapture", "--test-threads=1"])
        .env(CHILD, how)
        .output()
        .unwrap()
}

#[test]
fn exit_runs_atexit_handlers_and_exit_now_does_not() {
    let out = run_child("exit");
    assert_eq!(out.status.code(), Some(42));
    assert!(String::from_utf8_lossy(&out.stdout).contains("atexit-ran"));

    let out = run_child("now");
    assert_eq!(out.status.code(), Some(43));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("atexit-ran"));
}
