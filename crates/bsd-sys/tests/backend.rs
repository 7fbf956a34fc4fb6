//! The build uses the backend it was asked for, and that backend reaches the kernel.

#[test]
fn backend_is_the_one_requested() {
    let backend = bsd_sys::BACKEND;
    assert!(
        backend == "libc" || backend == "raw",
        "unknown backend {backend}"
    );
    // `cargo xtask ci` sets this, so a run that silently fell back to another backend fails.
    match std::env::var("BSD_SYS_EXPECT_BACKEND") {
        Ok(expected) => assert_eq!(backend, expected),
        Err(_) => println!("BSD_SYS_EXPECT_BACKEND not set; running the {backend} backend"),
    }
}

#[test]
fn ids_match_std() {
    assert_eq!(bsd_sys::Pid::current().raw() as u32, std::process::id());
    let main_tid = bsd_sys::ThreadId::current();
    let other = std::thread::spawn(bsd_sys::ThreadId::current)
        .join()
        .unwrap();
    assert_ne!(
        main_tid, other,
        "two threads reported the same kernel thread id"
    );
    #[cfg(target_os = "linux")]
    {
        // /proc/thread-self names the calling thread's id.
        let link = std::fs::read_link("/proc/thread-self").unwrap();
        let tid: i32 = link.file_name().unwrap().to_str().unwrap().parse().unwrap();
        assert_eq!(main_tid.raw(), tid);
    }
}

#[test]
fn errors_come_back_as_errno() {
    // An unknown clock id (not a Linux dynamic CPU clock, which are negative) is rejected by the kernel on every supported OS.
    assert_eq!(
        bsd_sys::time::clock_gettime(9999 as bsd_sys::time::ClockId),
        Err(bsd_sys::Errno::INVAL)
    );
    let io: std::io::Error = bsd_sys::Errno::INVAL.into();
    assert_eq!(io.raw_os_error(), Some(bsd_sys::libc::EINVAL));
}
