//! `fsync`, `fdatasync` and `ftruncate`.

use std::os::fd::{AsFd, AsRawFd};

use bsd_sys::{Errno, Result};

/// Writes the file's data and metadata through to its device (`fsync`).
///
/// # EINTR
/// Not retried (an NFS-backed file may report it); the data may be partly written.
///
/// # References
/// - [OpenBSD fsync(2)](https://man.openbsd.org/fsync.2)
/// - [DragonFly fsync(2)](https://man.dragonflybsd.org/?command=fsync&section=2)
/// - [Linux fsync(2)](https://man7.org/linux/man-pages/man2/fsync.2.html)
///
/// # Examples
/// ```
/// let f = std::fs::File::create(std::env::temp_dir().join(format!("bsd-fd-doc-fsync-{}", std::process::id()))).unwrap();
/// bsd_fd::fsync(&f).unwrap();
/// # std::fs::remove_file(std::env::temp_dir().join(format!("bsd-fd-doc-fsync-{}", std::process::id()))).unwrap();
/// ```
pub fn fsync<Fd: AsFd>(fd: Fd) -> Result<()> {
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    unsafe { bsd_sys::fd::fsync(fd.as_fd().as_raw_fd()) }
}

/// Writes the file's data (and only the metadata needed to read it) through to its device
/// (`fdatasync`).
///
/// # Platform
/// OpenBSD: a libc function; DragonFly: system call 554 (added in 2021, before 6.4); Linux: a
/// system call.
///
/// # References
/// - [OpenBSD fdatasync(2)](https://man.openbsd.org/fdatasync.2)
/// - [DragonFly fsync(2)](https://man.dragonflybsd.org/?command=fsync&section=2)
/// - [Linux fdatasync(2)](https://man7.org/linux/man-pages/man2/fdatasync.2.html)
///
/// # Examples
/// ```
/// let f = std::fs::File::create(std::env::temp_dir().join(format!("bsd-fd-doc-fds-{}", std::process::id()))).unwrap();
/// bsd_fd::fdatasync(&f).unwrap();
/// # std::fs::remove_file(std::env::temp_dir().join(format!("bsd-fd-doc-fds-{}", std::process::id()))).unwrap();
/// ```
pub fn fdatasync<Fd: AsFd>(fd: Fd) -> Result<()> {
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    unsafe { bsd_sys::fd::fdatasync(fd.as_fd().as_raw_fd()) }
}

/// Sets the length of the regular file `fd` to `len` bytes, cutting it or extending it with
/// zeros (`ftruncate`). The file offset does not move.
///
/// `len` above `i64::MAX` gives `Errno::FBIG` without calling the kernel; a descriptor not open
/// for writing gives `Errno::INVAL` or `Errno::BADF` (the kernels differ); a pipe `Errno::INVAL`.
///
/// # References
/// - [OpenBSD ftruncate(2)](https://man.openbsd.org/ftruncate.2)
/// - [DragonFly ftruncate(2)](https://man.dragonflybsd.org/?command=ftruncate&section=2)
/// - [Linux ftruncate(2)](https://man7.org/linux/man-pages/man2/ftruncate.2.html)
///
/// # Examples
/// ```
/// let path = std::env::temp_dir().join(format!("bsd-fd-doc-trunc-{}", std::process::id()));
/// let f = std::fs::File::create(&path).unwrap();
/// bsd_fd::ftruncate(&f, 4096).unwrap();
/// assert_eq!(f.metadata().unwrap().len(), 4096);
/// # std::fs::remove_file(&path).unwrap();
/// ```
#[doc(alias = "truncate")]
pub fn ftruncate<Fd: AsFd>(fd: Fd, len: u64) -> Result<()> {
    let len = i64::try_from(len).map_err(|_| Errno::FBIG)?;
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    unsafe { bsd_sys::fd::ftruncate(fd.as_fd().as_raw_fd(), len) }
}
