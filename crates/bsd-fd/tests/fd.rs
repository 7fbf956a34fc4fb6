//! bsd-fd through its public API, with effects checked in the kernel: bytes through pipes and
//! files, flags read back with fcntl, descriptors closed (or not) across exec.
//!
//! Every scenario runs under one lock, so the leak check (the set of open descriptors before and
//! after all scenarios, run one after another) is not perturbed by tests running in parallel.

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use bsd_fd::{Errno, Mode, OFlags, PipeFlags};
use bsd_sys::libc;

static LOCK: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A fresh path in the temporary directory, unique within this test run.
fn temp_path(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("bsd-fd-test-{}-{name}-{n}", std::process::id()))
}

/// Reads exactly `len` bytes from `fd`.
fn read_n(fd: &OwnedFd, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    let mut got = 0;
    while got < len {
        let n = bsd_fd::read(fd, &mut out[got..]).unwrap();
        assert!(n > 0, "unexpected end of file after {got} of {len} bytes");
        got += n;
    }
    out
}

// ---- scenarios ---------------------------------------------------------------------------

fn pipe_round_trip() {
    let (rx, tx) = bsd_fd::pipe(PipeFlags::CLOEXEC).unwrap();
    assert_eq!(bsd_fd::write(&tx, b"hello").unwrap(), 5);
    assert_eq!(bsd_fd::write(&tx, b" world").unwrap(), 6);
    assert_eq!(read_n(&rx, 11), b"hello world");

    // A larger stream, written in uneven chunks, comes out in order.
    let data: Vec<u8> = (0..20_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let writer = std::thread::spawn(move || {
        for chunk in data.chunks(997) {
            let mut rest = chunk;
            while !rest.is_empty() {
                rest = &rest[bsd_fd::write(&tx, rest).unwrap()..];
            }
        }
        data
    });
    let got = read_n(&rx, 20_000);
    assert_eq!(got, writer.join().unwrap());

    // Vectored I/O over the pipe.
    let (rx, tx) = bsd_fd::pipe(PipeFlags::CLOEXEC).unwrap();
    let n = bsd_fd::writev(
        &tx,
        &[IoSlice::new(b"ab"), IoSlice::new(b""), IoSlice::new(b"cde")],
    )
    .unwrap();
    assert_eq!(n, 5);
    let (mut a, mut b) = ([0u8; 3], [0u8; 8]);
    let n = bsd_fd::readv(&rx, &mut [IoSliceMut::new(&mut a), IoSliceMut::new(&mut b)]).unwrap();
    assert_eq!(n, 5);
    assert_eq!((&a, &b[..2]), (b"abc", &b"de"[..]));

    // End of file once the write end is gone.
    drop(tx);
    assert_eq!(bsd_fd::read(&rx, &mut a).unwrap(), 0);
}

fn file_vectored_and_positional() {
    let path = temp_path("file");
    let f = bsd_fd::open(
        &path,
        OFlags::RDWR | OFlags::CREAT | OFlags::EXCL,
        Mode::RUSR | Mode::WUSR,
    )
    .unwrap();
    assert!(
        bsd_fd::cloexec(&f).unwrap(),
        "open sets close-on-exec by default"
    );

    let n = bsd_fd::writev(
        &f,
        &[
            IoSlice::new(b"ab"),
            IoSlice::new(b"cd"),
            IoSlice::new(b"ef"),
        ],
    )
    .unwrap();
    assert_eq!(n, 6);
    let mut four = [0u8; 4];
    assert_eq!(bsd_fd::pread(&f, &mut four, 2).unwrap(), 4);
    assert_eq!(&four, b"cdef");
    assert_eq!(bsd_fd::pwrite(&f, b"XY", 1).unwrap(), 2);
    let (mut x, mut y) = ([0u8; 2], [0u8; 4]);
    let n = bsd_fd::preadv(
        &f,
        &mut [IoSliceMut::new(&mut x), IoSliceMut::new(&mut y)],
        0,
    )
    .unwrap();
    assert_eq!((n, &x, &y), (6, b"aX", b"Ydef"));
    assert_eq!(
        bsd_fd::pwritev(&f, &[IoSlice::new(b"g"), IoSlice::new(b"h")], 6).unwrap(),
        2
    );
    // Positional calls leave the offset where writev put it (6): the next read sees "gh".
    assert_eq!(bsd_fd::read(&f, &mut four).unwrap(), 2);
    assert_eq!(&four[..2], b"gh");
    assert_eq!(bsd_fd::pread(&f, &mut four, u64::MAX), Err(Errno::INVAL));
    drop(f);

    assert_eq!(std::fs::read(&path).unwrap(), b"aXYdefgh");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode & !0o600,
        0,
        "created with at most the requested bits (mode {mode:o})"
    );
    assert_eq!(mode & 0o600, 0o600 & !umask_bits(), "mode {mode:o}");

    // O_EXCL on an existing file, then O_TRUNC empties it.
    let again = bsd_fd::open(
        &path,
        OFlags::WRONLY | OFlags::CREAT | OFlags::EXCL,
        Mode::RUSR,
    );
    assert_eq!(again.err(), Some(Errno::EXIST));
    drop(bsd_fd::open(&path, OFlags::WRONLY | OFlags::TRUNC, Mode::empty()).unwrap());
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    std::fs::remove_file(&path).unwrap();
}

/// The owner bits the umask removes (read without changing it, from /proc when available).
fn umask_bits() -> u32 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Umask:"))
        .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        .unwrap_or(0)
        & 0o600
}

fn openat_in_directory() {
    let dir_path = temp_path("dir");
    std::fs::create_dir(&dir_path).unwrap();
    let dir = bsd_fd::open(&dir_path, OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty()).unwrap();
    let f = bsd_fd::openat(
        &dir,
        "inner",
        OFlags::WRONLY | OFlags::CREAT,
        Mode::from_bits_retain(0o644),
    )
    .unwrap();
    assert!(bsd_fd::cloexec(&f).unwrap());
    assert_eq!(bsd_fd::write(&f, b"inside").unwrap(), 6);
    drop(f);
    assert_eq!(std::fs::read(dir_path.join("inner")).unwrap(), b"inside");
    assert_eq!(
        bsd_fd::openat(&dir, "missing", OFlags::RDONLY, Mode::empty()).err(),
        Some(Errno::NOENT)
    );
    assert_eq!(
        bsd_fd::open(
            dir_path.join("inner"),
            OFlags::RDONLY | OFlags::DIRECTORY,
            Mode::empty()
        )
        .err(),
        Some(Errno::NOTDIR)
    );
    drop(dir);
    std::fs::remove_dir_all(&dir_path).unwrap();
}

fn open_errors() {
    let missing = temp_path("missing");
    assert_eq!(
        bsd_fd::open(&missing, OFlags::RDONLY, Mode::empty()).err(),
        Some(Errno::NOENT)
    );
    let dir = std::env::temp_dir();
    assert_eq!(
        bsd_fd::open(&dir, OFlags::WRONLY, Mode::empty()).err(),
        Some(Errno::ISDIR)
    );
    // Interior NUL: refused before the kernel, short (stack) and long (heap) paths alike.
    assert_eq!(
        bsd_fd::open("/tmp/a\0b", OFlags::RDONLY, Mode::empty()).err(),
        Some(Errno::INVAL)
    );
    let long = format!("/tmp/{}\0{}", "x".repeat(600), "y".repeat(600));
    assert_eq!(
        bsd_fd::open(&long, OFlags::RDONLY, Mode::empty()).err(),
        Some(Errno::INVAL)
    );
    let dot = bsd_fd::open(".", OFlags::RDONLY, Mode::empty()).unwrap();
    assert_eq!(
        bsd_fd::openat(&dot, "a\0b", OFlags::RDONLY, Mode::empty()).err(),
        Some(Errno::INVAL)
    );
}

fn descriptor_flags_read_back() {
    let (rx, tx) = bsd_fd::pipe(PipeFlags::CLOEXEC).unwrap();
    assert!(bsd_fd::cloexec(&rx).unwrap() && bsd_fd::cloexec(&tx).unwrap());
    let (rx2, tx2) = bsd_fd::pipe(PipeFlags::empty()).unwrap();
    assert!(!bsd_fd::cloexec(&rx2).unwrap() && !bsd_fd::cloexec(&tx2).unwrap());
    bsd_fd::set_cloexec(&rx2, true).unwrap();
    assert!(bsd_fd::cloexec(&rx2).unwrap());
    assert!(
        !bsd_fd::cloexec(&tx2).unwrap(),
        "descriptor flags are per descriptor"
    );
    bsd_fd::set_cloexec(&rx2, false).unwrap();
    assert!(!bsd_fd::cloexec(&rx2).unwrap());
    // Cross-check the kernel's word directly.
    // SAFETY: `rx` is borrowed for the call.
    let raw = unsafe { bsd_sys::fd::fcntl_getfd(rx.as_raw_fd()) }.unwrap();
    assert_eq!(raw & libc::FD_CLOEXEC, libc::FD_CLOEXEC);

    // Status flags: access mode and O_NONBLOCK as the kernel has them.
    let rflags = bsd_fd::status_flags(&rx).unwrap();
    let wflags = bsd_fd::status_flags(&tx).unwrap();
    let access = OFlags::WRONLY | OFlags::RDWR;
    if cfg!(target_os = "linux") {
        assert_eq!(rflags & access, OFlags::RDONLY);
        assert_eq!(wflags & access, OFlags::WRONLY);
    } else {
        // OpenBSD and DragonFly open both ends read/write (`dopipe` in sys/kern/sys_pipe.c rev
        // 1.149; DragonFly `kern_pipe`): F_GETFL says O_RDWR for each.
        assert_eq!(rflags & access, OFlags::RDWR);
        assert_eq!(wflags & access, OFlags::RDWR);
    }
    assert!(!rflags.contains(OFlags::NONBLOCK));
    assert!(
        !rflags.contains(OFlags::CLOEXEC),
        "close-on-exec is not a status flag"
    );
    bsd_fd::set_status_flags(&rx, rflags | OFlags::NONBLOCK).unwrap();
    assert!(bsd_fd::status_flags(&rx)
        .unwrap()
        .contains(OFlags::NONBLOCK));
}

fn nonblocking_empty_pipe() {
    let (rx, _tx) = bsd_fd::pipe(PipeFlags::CLOEXEC | PipeFlags::NONBLOCK).unwrap();
    assert!(bsd_fd::status_flags(&rx)
        .unwrap()
        .contains(OFlags::NONBLOCK));
    let mut buf = [0u8; 4];
    assert_eq!(bsd_fd::read(&rx, &mut buf), Err(Errno::AGAIN));

    let (rx, tx) = bsd_fd::pipe(PipeFlags::CLOEXEC).unwrap();
    bsd_fd::set_nonblocking(&rx, true).unwrap();
    assert!(bsd_fd::status_flags(&rx)
        .unwrap()
        .contains(OFlags::NONBLOCK));
    assert_eq!(bsd_fd::read(&rx, &mut buf), Err(Errno::AGAIN));
    bsd_fd::write(&tx, b"x").unwrap();
    assert_eq!(bsd_fd::read(&rx, &mut buf).unwrap(), 1);
    bsd_fd::set_nonblocking(&rx, false).unwrap();
    assert!(!bsd_fd::status_flags(&rx)
        .unwrap()
        .contains(OFlags::NONBLOCK));

    // A full non-blocking pipe refuses more with AGAIN.
    bsd_fd::set_nonblocking(&tx, true).unwrap();
    let chunk = [0u8; 4096];
    let mut written = 0usize;
    let err = loop {
        match bsd_fd::write(&tx, &chunk) {
            Ok(n) => written += n,
            Err(err) => break err,
        }
        assert!(written < 64 << 20, "pipe never filled");
    };
    assert_eq!(err, Errno::AGAIN);
    assert_eq!(bsd_fd::bytes_readable(&rx).unwrap(), written);
}

fn broken_pipe_and_explicit_close() {
    // SAFETY: SIG_IGN installs no handler; Rust's runtime already ignores SIGPIPE at startup, so
    // this only makes the precondition explicit.
    let previous = unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    assert_ne!(previous, libc::SIG_ERR);
    let (rx, tx) = bsd_fd::pipe(PipeFlags::CLOEXEC).unwrap();
    bsd_fd::close(rx).unwrap();
    assert_eq!(bsd_fd::write(&tx, b"lost"), Err(Errno::PIPE));
    bsd_fd::close(tx).unwrap();
}

fn dup_min() {
    let (rx, tx) = bsd_fd::pipe(PipeFlags::empty()).unwrap();
    let dup = bsd_fd::dup_min_cloexec(&tx, 100).unwrap();
    assert!(dup.as_raw_fd() >= 100, "got {}", dup.as_raw_fd());
    assert!(bsd_fd::cloexec(&dup).unwrap());
    assert!(
        !bsd_fd::cloexec(&tx).unwrap(),
        "the original keeps its own flags"
    );
    assert_eq!(bsd_fd::write(&dup, b"via dup").unwrap(), 7);
    assert_eq!(read_n(&rx, 7), b"via dup");
    // Status flags are shared with the original.
    bsd_fd::set_nonblocking(&dup, true).unwrap();
    assert!(bsd_fd::status_flags(&tx)
        .unwrap()
        .contains(OFlags::NONBLOCK));
    assert_eq!(bsd_fd::dup_min_cloexec(&tx, -1).err(), Some(Errno::INVAL));
}

fn readable_and_terminal() {
    let (rx, tx) = bsd_fd::pipe(PipeFlags::CLOEXEC).unwrap();
    assert_eq!(bsd_fd::bytes_readable(&rx).unwrap(), 0);
    bsd_fd::write(&tx, b"12345").unwrap();
    assert_eq!(bsd_fd::bytes_readable(&rx).unwrap(), 5);
    assert!(!bsd_fd::is_terminal(&rx));

    let path = temp_path("readable");
    std::fs::write(&path, b"0123456789").unwrap();
    let f = bsd_fd::open(&path, OFlags::RDONLY, Mode::empty()).unwrap();
    assert_eq!(bsd_fd::bytes_readable(&f).unwrap(), 10);
    assert!(!bsd_fd::is_terminal(&f));
    drop(f);
    std::fs::remove_file(&path).unwrap();

    match bsd_fd::open("/dev/ptmx", OFlags::RDWR | OFlags::NOCTTY, Mode::empty()) {
        Ok(master) => assert!(
            bsd_fd::is_terminal(&master),
            "a pseudo-terminal master is a terminal"
        ),
        Err(err) => println!(
            "is_terminal: cannot open /dev/ptmx ({err}); the positive case is not checked here"
        ),
    }
}

// ---- close-on-exec across exec -------------------------------------------------------------

const PROBE_ENV: &str = "BSD_FD_TEST_PROBE_FD";
const PROBE_OPEN: i32 = 10;
const PROBE_CLOSED: i32 = 11;

/// Whether descriptor `fd` of this process is open in a freshly executed copy of this binary.
fn open_after_exec(fd: RawFd) -> bool {
    let exe = std::env::current_exe().unwrap();
    let status = Command::new(exe)
        .args(["--exact", "exec_probe_child", "--test-threads=1"])
        .env(PROBE_ENV, fd.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    match status.code() {
        Some(PROBE_OPEN) => true,
        Some(PROBE_CLOSED) => false,
        other => panic!("probe child for fd {fd} ended with {other:?}"),
    }
}

/// The child side: reports whether the descriptor named in the environment is open.
#[test]
fn exec_probe_child() {
    let Ok(value) = std::env::var(PROBE_ENV) else {
        println!("exec_probe_child: runs only in the child that close_on_exec_across_exec spawns");
        return;
    };
    let fd: RawFd = value.parse().unwrap();
    // SAFETY: F_GETFD only asks the kernel whether the number is open; nothing is read, written
    // or closed through it.
    let code = match unsafe { bsd_sys::fd::fcntl_getfd(fd) } {
        Ok(_) => PROBE_OPEN,
        Err(Errno::BADF) => PROBE_CLOSED,
        Err(_) => 12,
    };
    std::process::exit(code);
}

fn close_on_exec_across_exec() {
    // High numbers, so nothing the child's runtime opens could sit there.
    let (rx, _tx) = bsd_fd::pipe(PipeFlags::CLOEXEC).unwrap();
    let high = bsd_fd::dup_min_cloexec(&rx, 200).unwrap();
    assert!(
        !open_after_exec(high.as_raw_fd()),
        "dup_min_cloexec: closed across exec"
    );
    bsd_fd::set_cloexec(&high, false).unwrap();
    assert!(
        open_after_exec(high.as_raw_fd()),
        "cloexec cleared: inherited"
    );
    bsd_fd::set_cloexec(&high, true).unwrap();
    assert!(
        !open_after_exec(high.as_raw_fd()),
        "set_cloexec(true): closed across exec"
    );
    assert!(
        !open_after_exec(rx.as_raw_fd()),
        "pipe(CLOEXEC): closed across exec"
    );

    let (plain, _plain_tx) = bsd_fd::pipe(PipeFlags::empty()).unwrap();
    assert!(
        open_after_exec(plain.as_raw_fd()),
        "pipe without CLOEXEC: inherited"
    );

    let null = bsd_fd::open("/dev/null", OFlags::RDONLY, Mode::empty()).unwrap();
    assert!(
        !open_after_exec(null.as_raw_fd()),
        "open: close-on-exec by default"
    );
}

// ---- tests -------------------------------------------------------------------------------

const SCENARIOS: &[(&str, fn())] = &[
    ("pipe_round_trip", pipe_round_trip),
    ("file_vectored_and_positional", file_vectored_and_positional),
    ("openat_in_directory", openat_in_directory),
    ("open_errors", open_errors),
    ("descriptor_flags_read_back", descriptor_flags_read_back),
    ("nonblocking_empty_pipe", nonblocking_empty_pipe),
    (
        "broken_pipe_and_explicit_close",
        broken_pipe_and_explicit_close,
    ),
    ("dup_min", dup_min),
    ("readable_and_terminal", readable_and_terminal),
    ("close_on_exec_across_exec", close_on_exec_across_exec),
];

macro_rules! scenario_tests {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            let _guard = lock();
            super::$name();
        }
    )*};
}

mod each {
    use super::lock;
    scenario_tests!(
        pipe_round_trip,
        file_vectored_and_positional,
        openat_in_directory,
        open_errors,
        descriptor_flags_read_back,
        nonblocking_empty_pipe,
        broken_pipe_and_explicit_close,
        dup_min,
        readable_and_terminal,
        close_on_exec_across_exec,
    );
}

/// The descriptors open in this process.
fn open_fds() -> Vec<RawFd> {
    if let Ok(dir) = std::fs::read_dir("/proc/self/fd") {
        // The directory's own descriptor is listed too; it is the same number each time.
        let mut fds: Vec<RawFd> = dir
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .collect();
        fds.sort_unstable();
        return fds;
    }
    // No /proc (the BSDs): ask the kernel about each number.
    (0..4096)
        // SAFETY: F_GETFD only asks whether the number is open; nothing is done through it.
        .filter(|&fd| unsafe { bsd_sys::fd::fcntl_getfd(fd) }.is_ok())
        .collect()
}

#[test]
fn no_descriptor_leaks_across_the_suite() {
    let _guard = lock();
    let before = open_fds();
    for (name, scenario) in SCENARIOS {
        println!("leak check: running {name}");
        scenario();
    }
    let after = open_fds();
    assert_eq!(
        before, after,
        "descriptors open before and after every scenario"
    );
}
