//! dup2/dup3, seek, fstat, fsync/fdatasync, ftruncate, poll, closefrom and close-on-fork,
//! checked against the kernel and the standard library.

use std::fs::{File, OpenOptions};
use std::io::{Read, SeekFrom, Write};
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bsd_fd::{
    cloexec, dup2, dup3, fdatasync, fstat, fsync, ftruncate, pipe, poll, read, seek, tell, write,
    DupFlags, Errno, FileType, PipeFlags, PollFd, PollFlags,
};
use bsd_sys::libc;

/// A fresh file in the temporary directory, removed when dropped.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        Temp(std::env::temp_dir().join(format!("bsd-fd-files-{}-{name}-{n}", std::process::id())))
    }

    fn open(&self) -> File {
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&self.0)
            .unwrap()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A descriptor number that is not open: high enough that no test of this binary reaches it
/// (they open a handful each; the lowest free number is always taken first).
fn closed_fd() -> RawFd {
    let n = 1000;
    assert!(!is_open(n));
    n
}

fn borrowed_closed<T>(f: impl FnOnce(std::os::fd::BorrowedFd<'_>) -> T) -> T {
    // SAFETY: only used to provoke EBADF; the number is not open, so nothing else owns it.
    f(unsafe { std::os::fd::BorrowedFd::borrow_raw(closed_fd()) })
}

#[test]
fn dup2_shares_the_offset_and_replaces_the_target() {
    let tmp = Temp::new("dup2");
    let mut file = tmp.open();
    file.write_all(b"0123456789").unwrap();
    let (other_rx, _other_tx) = pipe(PipeFlags::CLOEXEC).unwrap();
    let mut target = other_rx;
    let number = target.as_raw_fd();
    dup2(&file, &mut target).unwrap();
    assert_eq!(target.as_raw_fd(), number, "the target keeps its number");
    assert_eq!(
        fstat(&target).unwrap().file_type,
        FileType::Regular,
        "now the file, not the pipe"
    );
    // One open file, one offset: moving it through one descriptor moves the other.
    assert_eq!(seek(&target, SeekFrom::Start(3)).unwrap(), 3);
    assert_eq!(tell(&file).unwrap(), 3);
    let mut buf = [0u8; 2];
    file.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"34");
    assert_eq!(tell(&target).unwrap(), 5);
    assert!(!cloexec(&target).unwrap(), "dup2 never sets close-on-exec");
}

#[test]
fn dup3_sets_close_on_exec_and_checks_flags() {
    let (rx, tx) = pipe(PipeFlags::CLOEXEC).unwrap();
    let (_rx2, mut target) = pipe(PipeFlags::empty()).unwrap();
    assert!(!cloexec(&target).unwrap());
    dup3(&tx, &mut target, DupFlags::CLOEXEC).unwrap();
    assert!(cloexec(&target).unwrap());
    write(&target, b"via dup3").unwrap();
    let mut buf = [0u8; 8];
    assert_eq!(read(&rx, &mut buf).unwrap(), 8);
    assert_eq!(&buf, b"via dup3");
    // An unknown flag bit is refused and leaves the target alone.
    let bogus = DupFlags::from_bits_retain(0x4000_0000);
    assert_eq!(
        dup3(&rx, &mut target, DupFlags::CLOEXEC | bogus),
        Err(Errno::INVAL)
    );
    assert_eq!(fstat(&target).unwrap().ino, fstat(&tx).unwrap().ino);
    // A closed source gives EBADF.
    assert_eq!(
        borrowed_closed(|fd| dup2(fd, &mut target)),
        Err(Errno::BADF)
    );
}

#[test]
fn seek_errors_are_clear() {
    let tmp = Temp::new("seek");
    let file = tmp.open();
    assert_eq!(
        seek(&file, SeekFrom::Current(-1)),
        Err(Errno::INVAL),
        "before the start"
    );
    assert_eq!(
        seek(&file, SeekFrom::Start(u64::MAX)),
        Err(Errno::INVAL),
        "not an off_t"
    );
    assert_eq!(
        seek(&file, SeekFrom::End(100)).unwrap(),
        100,
        "past the end is allowed"
    );
    let (rx, _tx) = pipe(PipeFlags::CLOEXEC).unwrap();
    assert_eq!(seek(&rx, SeekFrom::Start(0)), Err(Errno::SPIPE));
    assert_eq!(
        borrowed_closed(|fd| seek(fd, SeekFrom::Start(0))),
        Err(Errno::BADF)
    );
}

#[test]
#[allow(clippy::useless_conversion)] // `mode_t` is u16 on DragonFly, u32 elsewhere
fn fstat_agrees_with_std_metadata() {
    let tmp = Temp::new("fstat");
    let mut file = tmp.open();
    file.write_all(&[7u8; 12345]).unwrap();
    let st = fstat(&file).unwrap();
    let md = std::fs::metadata(&tmp.0).unwrap();
    assert_eq!(st.file_type, FileType::Regular);
    assert_eq!(st.size, 12345);
    assert_eq!(st.size, md.len());
    assert_eq!(st.dev, md.dev());
    assert_eq!(st.ino, md.ino());
    assert_eq!(st.nlink, md.nlink());
    assert_eq!(st.uid, md.uid());
    assert_eq!(st.gid, md.gid());
    assert_eq!(u32::from(st.mode.bits()), md.mode() & 0o7777);
    assert_eq!(st.blocks, md.blocks());
    assert_eq!(st.blksize, md.blksize());
    assert_eq!(st.modified.secs(), md.mtime());
    assert_eq!(i64::from(st.modified.nanos()), md.mtime_nsec());
    assert_eq!(st.changed.secs(), md.ctime());
    assert_eq!(st.accessed.secs(), md.atime());
    if cfg!(target_os = "linux") {
        assert_eq!(
            (st.created, st.file_flags, st.generation),
            (None, None, None)
        );
    } else {
        assert!(st.file_flags.is_some() && st.generation.is_some());
    }
    let dir = File::open(std::env::temp_dir()).unwrap();
    assert_eq!(fstat(&dir).unwrap().file_type, FileType::Directory);
    let (rx, _tx) = pipe(PipeFlags::CLOEXEC).unwrap();
    assert_eq!(fstat(&rx).unwrap().file_type, FileType::Fifo);
    assert_eq!(
        borrowed_closed(|fd| fstat(fd)).map(|s| s.ino),
        Err(Errno::BADF)
    );
}

#[test]
fn ftruncate_and_sync() {
    let tmp = Temp::new("trunc");
    let mut file = tmp.open();
    file.write_all(b"hello world").unwrap();
    ftruncate(&file, 5).unwrap();
    assert_eq!(std::fs::read(&tmp.0).unwrap(), b"hello");
    ftruncate(&file, 8).unwrap();
    assert_eq!(std::fs::read(&tmp.0).unwrap(), b"hello\0\0\0");
    assert_eq!(
        tell(&file).unwrap(),
        11,
        "ftruncate does not move the offset"
    );
    fsync(&file).unwrap();
    fdatasync(&file).unwrap();
    assert_eq!(
        ftruncate(&file, u64::MAX),
        Err(Errno::FBIG),
        "larger than an off_t"
    );
    assert_eq!(ftruncate(&file, 1 << 63), Err(Errno::FBIG));
    let read_only = File::open(&tmp.0).unwrap();
    assert!(matches!(
        ftruncate(&read_only, 0),
        Err(Errno::INVAL) | Err(Errno::BADF)
    ));
    assert_eq!(
        std::fs::read(&tmp.0).unwrap().len(),
        8,
        "the failed call changed nothing"
    );
    let (rx, _tx) = pipe(PipeFlags::CLOEXEC).unwrap();
    assert_eq!(ftruncate(&rx, 0), Err(Errno::INVAL));
    assert_eq!(borrowed_closed(|fd| fsync(fd)), Err(Errno::BADF));
    assert_eq!(borrowed_closed(|fd| fdatasync(fd)), Err(Errno::BADF));
}

#[test]
fn poll_times_out_then_wakes_on_a_write() {
    let (rx, tx) = pipe(PipeFlags::CLOEXEC).unwrap();
    let mut fds = [PollFd::new(rx.as_fd(), PollFlags::IN)];
    let start = Instant::now();
    assert_eq!(poll(&mut fds, Some(Duration::from_millis(50))).unwrap(), 0);
    assert!(
        start.elapsed() >= Duration::from_millis(50),
        "returned early: {:?}",
        start.elapsed()
    );
    assert!(fds[0].revents().is_empty());

    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(30));
        write(&tx, b"!").unwrap();
        tx
    });
    let start = Instant::now();
    assert_eq!(poll(&mut fds, Some(Duration::from_secs(10))).unwrap(), 1);
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(fds[0].revents().contains(PollFlags::IN));
    let tx = writer.join().unwrap();

    // The write end polls writable; a hung-up pipe reports HUP.
    let mut both = [
        PollFd::new(rx.as_fd(), PollFlags::IN),
        PollFd::new(tx.as_fd(), PollFlags::OUT),
    ];
    assert_eq!(poll(&mut both, Some(Duration::ZERO)).unwrap(), 2);
    assert!(both[1].revents().contains(PollFlags::OUT));
    let mut byte = [0u8; 1];
    read(&rx, &mut byte).unwrap();
    drop(tx);
    let mut fds = [PollFd::new(rx.as_fd(), PollFlags::IN)];
    assert_eq!(poll(&mut fds, Some(Duration::ZERO)).unwrap(), 1);
    assert!(fds[0].revents().contains(PollFlags::HUP));
}

#[test]
fn poll_reports_a_closed_descriptor_as_nval() {
    borrowed_closed(|fd| {
        let mut fds = [PollFd::new(fd, PollFlags::IN)];
        assert_eq!(poll(&mut fds, Some(Duration::ZERO)).unwrap(), 1);
        assert!(fds[0].revents().contains(PollFlags::NVAL));
    });
    assert_eq!(poll(&mut [], Some(Duration::from_millis(1))).unwrap(), 0);
}

/// Whether `fd` is open, asked with fcntl(F_GETFD).
fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD only queries the descriptor table.
    unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
}

#[test]
fn closefrom_closes_exactly_the_range_in_a_child() {
    // Three descriptors at high numbers no other test uses, made before the fork.
    let (rx, _tx) = pipe(PipeFlags::CLOEXEC).unwrap();
    let base = 900;
    let mut high = Vec::new();
    for n in 0..3 {
        let raw = bsd_fd::dup_min_cloexec(&rx, base + n).unwrap();
        assert_eq!(raw.as_raw_fd(), base + n);
        high.push(raw);
    }
    // SAFETY: the child only makes system calls (no allocation, no locks) and `_exit`s.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        // SAFETY: the child owns its copies of every descriptor and execs nothing; descriptors
        // >= 901 are closed and never used again in it.
        let ok = unsafe { bsd_fd::closefrom(base + 1) }.is_ok()
            && is_open(base)
            && !is_open(base + 1)
            && !is_open(base + 2)
            && is_open(rx.as_raw_fd())
            // Nothing left to close is success, and a negative start is refused.
            && unsafe { bsd_fd::closefrom(base + 1) }.is_ok()
            && unsafe { bsd_fd::closefrom(-1) } == Err(Errno::INVAL);
        // SAFETY: leaves the child at once.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    let mut status = 0;
    // SAFETY: waits for our own child; `status` is writable.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "child status {status:#x}"
    );
    // The parent's descriptors are untouched.
    assert!(high.iter().all(|fd| is_open(fd.as_raw_fd())));
}

#[test]
fn close_on_fork_is_unsupported_off_openbsd() {
    let (rx, _tx) = pipe(PipeFlags::CLOEXEC).unwrap();
    if bsd_fd::CLOFORK_SUPPORTED {
        return; // checked by `close_on_fork_closes_in_the_child`
    }
    assert_eq!(bsd_fd::OFlags::clofork(), Err(Errno::NOTSUP));
    assert_eq!(PipeFlags::clofork(), Err(Errno::NOTSUP));
    assert_eq!(DupFlags::clofork(), Err(Errno::NOTSUP));
    assert_eq!(bsd_fd::clofork(&rx), Err(Errno::NOTSUP));
    assert_eq!(bsd_fd::set_clofork(&rx, true), Err(Errno::NOTSUP));
    assert_eq!(
        bsd_fd::dup_min_clofork(&rx, 0).map(drop),
        Err(Errno::NOTSUP)
    );
}

#[cfg(target_os = "openbsd")]
#[test]
fn close_on_fork_closes_in_the_child() {
    let (rx, _tx) = pipe(PipeFlags::CLOEXEC | PipeFlags::clofork().unwrap()).unwrap();
    assert!(bsd_fd::clofork(&rx).unwrap());
    let kept = bsd_fd::dup_min_cloexec(&rx, 0).unwrap();
    assert!(!bsd_fd::clofork(&kept).unwrap());
    let dup = bsd_fd::dup_min_clofork(&rx, 0).unwrap();
    assert!(bsd_fd::clofork(&dup).unwrap() && cloexec(&dup).unwrap());
    let (a, b, c) = (rx.as_raw_fd(), kept.as_raw_fd(), dup.as_raw_fd());
    // SAFETY: the child only queries descriptors and `_exit`s.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        let ok = !is_open(a) && is_open(b) && !is_open(c);
        // SAFETY: leaves the child at once.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    let mut status = 0;
    // SAFETY: waits for our own child.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
    bsd_fd::set_clofork(&kept, true).unwrap();
    assert!(bsd_fd::clofork(&kept).unwrap());
}

#[test]
fn owned_fd_from_std_round_trips() {
    // A descriptor from the standard library works with every call here.
    let tmp = Temp::new("std");
    let file = tmp.open();
    let owned: OwnedFd = file.into();
    write(&owned, b"abc").unwrap();
    assert_eq!(fstat(&owned).unwrap().size, 3);
    // SAFETY: only to show the number is open; ownership stays with `owned`.
    let again = unsafe { File::from_raw_fd(owned.as_raw_fd()) };
    assert_eq!(again.metadata().unwrap().len(), 3);
    std::mem::forget(again);
}
