//! Reading and writing: plain, positional (`pread`/`pwrite`) and vectored (`readv`/`writev`).
//!
//! None of these retries `EINTR`: an interrupted call transferred nothing and returns
//! `Err(Errno::INTR)`, so the caller can react to the signal (or simply call again).

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsFd, AsRawFd};

use bsd_sys::fd::{IoVec, IOV_MAX};
use bsd_sys::{Errno, Result};

// `IoSlice`/`IoSliceMut` are documented as ABI-compatible with `struct iovec` on Unix.
const _: () = assert!(std::mem::size_of::<IoSlice<'_>>() == std::mem::size_of::<IoVec>());
const _: () = assert!(std::mem::size_of::<IoSliceMut<'_>>() == std::mem::size_of::<IoVec>());
const _: () = assert!(std::mem::align_of::<IoSlice<'_>>() == std::mem::align_of::<IoVec>());
const _: () = assert!(std::mem::align_of::<IoSliceMut<'_>>() == std::mem::align_of::<IoVec>());

/// Reads up to `buf.len()` bytes from `fd` into `buf`, returning how many were read; `Ok(0)` is
/// end of file (or an empty `buf`).
///
/// # EINTR
/// Not retried: returns `Err(Errno::INTR)` with nothing read.
///
/// # References
/// - [OpenBSD read(2)](https://man.openbsd.org/read.2)
/// - [DragonFly read(2)](https://man.dragonflybsd.org/?command=read&section=2)
/// - [Linux read(2)](https://man7.org/linux/man-pages/man2/read.2.html)
///
/// # Examples
/// ```
/// use bsd_fd::{pipe, read, write, PipeFlags};
///
/// let (rx, tx) = pipe(PipeFlags::CLOEXEC)?;
/// write(&tx, b"abc")?;
/// drop(tx); // the last writer is gone: end of file after the data
/// let mut buf = [0u8; 8];
/// assert_eq!(read(&rx, &mut buf)?, 3);
/// assert_eq!(&buf[..3], b"abc");
/// assert_eq!(read(&rx, &mut buf)?, 0);
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[inline]
pub fn read<Fd: AsFd>(fd: Fd, buf: &mut [u8]) -> Result<usize> {
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    unsafe { bsd_sys::fd::read(fd.as_fd().as_raw_fd(), buf) }
}

/// Writes up to `buf.len()` bytes from `buf` to `fd`, returning how many were written (possibly
/// fewer: a short write is not an error).
///
/// Writing to a pipe or socket with no reader gives `Errno::PIPE` (and `SIGPIPE`, which Rust
/// programs ignore by default).
///
/// # EINTR
/// Not retried: returns `Err(Errno::INTR)` with nothing written.
///
/// # References
/// - [OpenBSD write(2)](https://man.openbsd.org/write.2)
/// - [DragonFly write(2)](https://man.dragonflybsd.org/?command=write&section=2)
/// - [Linux write(2)](https://man7.org/linux/man-pages/man2/write.2.html)
///
/// # Examples
/// ```
/// use bsd_fd::{pipe, write, Errno, PipeFlags};
///
/// let (rx, tx) = pipe(PipeFlags::CLOEXEC)?;
/// assert_eq!(write(&tx, b"ping")?, 4);
/// assert_eq!(bsd_fd::bytes_readable(&rx)?, 4);
/// drop(rx);
/// assert_eq!(write(&tx, b"lost"), Err(Errno::PIPE)); // no reader left (Rust ignores SIGPIPE)
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[inline]
pub fn write<Fd: AsFd>(fd: Fd, buf: &[u8]) -> Result<usize> {
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    unsafe { bsd_sys::fd::write(fd.as_fd().as_raw_fd(), buf) }
}

/// Reads from `fd` at byte `offset` without using or moving the file offset.
///
/// An `offset` above `i64::MAX` gives `Errno::INVAL`; a pipe or socket gives `Errno::SPIPE`.
///
/// # EINTR
/// Not retried: returns `Err(Errno::INTR)` with nothing read.
///
/// # Platform
/// DragonFly's kernel call is `extpread` with no flags.
///
/// # References
/// - [OpenBSD pread(2)](https://man.openbsd.org/pread.2)
/// - [DragonFly pread(2)](https://man.dragonflybsd.org/?command=pread&section=2)
/// - [Linux pread(2)](https://man7.org/linux/man-pages/man2/pread.2.html)
///
/// # Examples
/// ```
/// let path = std::env::temp_dir().join(format!("bsd-fd-doc-pread-{}", std::process::id()));
/// std::fs::write(&path, b"0123456789")?;
/// let file = std::fs::File::open(&path)?;
/// let mut buf = [0u8; 4];
/// assert_eq!(bsd_fd::pread(&file, &mut buf, 6)?, 4);
/// assert_eq!(&buf, b"6789");
/// assert_eq!(bsd_fd::tell(&file)?, 0); // the file offset did not move
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[inline]
pub fn pread<Fd: AsFd>(fd: Fd, buf: &mut [u8], offset: u64) -> Result<usize> {
    let offset = to_off(offset)?;
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    unsafe { bsd_sys::fd::pread(fd.as_fd().as_raw_fd(), buf, offset) }
}

/// Writes to `fd` at byte `offset` without using or moving the file offset.
///
/// An `offset` above `i64::MAX` gives `Errno::INVAL`; a pipe or socket gives `Errno::SPIPE`.
///
/// # EINTR
/// Not retried: returns `Err(Errno::INTR)` with nothing written.
///
/// # Platform
/// DragonFly's kernel call is `extpwrite` with no flags. On Linux and DragonFly a descriptor
/// opened with [`OFlags::APPEND`](crate::OFlags::APPEND) appends whatever the offset (Linux
/// pwrite(2), BUGS; DragonFly `vn_write` in `sys/kern/vfs_vnops.c` sets `IO_APPEND` for
/// positioned writes too); OpenBSD honours the offset (`vn_write`, `sys/kern/vfs_vnops.c` rev
/// 1.125).
///
/// # References
/// - [OpenBSD pwrite(2)](https://man.openbsd.org/pwrite.2)
/// - [DragonFly pwrite(2)](https://man.dragonflybsd.org/?command=pwrite&section=2)
/// - [Linux pwrite(2)](https://man7.org/linux/man-pages/man2/pwrite.2.html)
///
/// # Examples
/// ```
/// let path = std::env::temp_dir().join(format!("bsd-fd-doc-pwrite-{}", std::process::id()));
/// let file = std::fs::File::create(&path)?;
/// assert_eq!(bsd_fd::pwrite(&file, b"end", 5)?, 3); // the gap before it reads as zeros
/// assert_eq!(std::fs::read(&path)?, b"\0\0\0\0\0end");
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[inline]
pub fn pwrite<Fd: AsFd>(fd: Fd, buf: &[u8], offset: u64) -> Result<usize> {
    let offset = to_off(offset)?;
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    unsafe { bsd_sys::fd::pwrite(fd.as_fd().as_raw_fd(), buf, offset) }
}

/// Scatter read: fills `bufs` in order from `fd`, returning the total number of bytes read.
///
/// At most [`IOV_MAX`](bsd_sys::fd::IOV_MAX) (1024) buffers are used; later ones are left
/// untouched, as a short read.
///
/// # EINTR
/// Not retried: returns `Err(Errno::INTR)` with nothing read.
///
/// # References
/// - [OpenBSD readv(2)](https://man.openbsd.org/readv.2)
/// - [DragonFly readv(2)](https://man.dragonflybsd.org/?command=readv&section=2)
/// - [Linux readv(2)](https://man7.org/linux/man-pages/man2/readv.2.html)
///
/// # Examples
/// ```
/// use std::io::IoSliceMut;
/// use bsd_fd::{pipe, readv, write, PipeFlags};
///
/// let (rx, tx) = pipe(PipeFlags::CLOEXEC)?;
/// write(&tx, b"headbody")?;
/// let (mut head, mut body) = ([0u8; 4], [0u8; 4]);
/// let n = readv(&rx, &mut [IoSliceMut::new(&mut head), IoSliceMut::new(&mut body)])?;
/// assert_eq!((n, &head, &body), (8, b"head", b"body"));
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[inline]
pub fn readv<Fd: AsFd>(fd: Fd, bufs: &mut [IoSliceMut<'_>]) -> Result<usize> {
    let iov = iovecs_mut(bufs);
    // SAFETY: the descriptor is borrowed from `fd`; each iovec comes from an `IoSliceMut`, so it
    // describes memory this call may write, exclusively borrowed through `bufs`.
    unsafe { bsd_sys::fd::readv(fd.as_fd().as_raw_fd(), iov) }
}

/// Gather write: writes `bufs` in order to `fd`, returning the total number of bytes written.
///
/// At most [`IOV_MAX`](bsd_sys::fd::IOV_MAX) (1024) buffers are used, as a short write.
///
/// # EINTR
/// Not retried: returns `Err(Errno::INTR)` with nothing written.
///
/// # References
/// - [OpenBSD writev(2)](https://man.openbsd.org/writev.2)
/// - [DragonFly writev(2)](https://man.dragonflybsd.org/?command=writev&section=2)
/// - [Linux writev(2)](https://man7.org/linux/man-pages/man2/writev.2.html)
///
/// # Examples
/// ```
/// use std::io::IoSlice;
/// use bsd_fd::{pipe, read, writev, PipeFlags};
///
/// let (rx, tx) = pipe(PipeFlags::CLOEXEC)?;
/// assert_eq!(writev(&tx, &[IoSlice::new(b"len=3;"), IoSlice::new(b"abc")])?, 9);
/// let mut buf = [0u8; 16];
/// let n = read(&rx, &mut buf)?;
/// assert_eq!(&buf[..n], b"len=3;abc");
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[inline]
pub fn writev<Fd: AsFd>(fd: Fd, bufs: &[IoSlice<'_>]) -> Result<usize> {
    let iov = iovecs(bufs);
    // SAFETY: the descriptor is borrowed from `fd`; each iovec comes from an `IoSlice`, so it
    // describes memory readable for the call.
    unsafe { bsd_sys::fd::writev(fd.as_fd().as_raw_fd(), iov) }
}

/// Positional scatter read: [`readv`] at byte `offset`, without using or moving the file offset.
///
/// An `offset` above `i64::MAX` gives `Errno::INVAL`.
///
/// # EINTR
/// Not retried: returns `Err(Errno::INTR)` with nothing read.
///
/// # Platform
/// DragonFly's kernel call is `extpreadv` with no flags.
///
/// # References
/// - [OpenBSD preadv(2)](https://man.openbsd.org/preadv.2)
/// - [DragonFly preadv(2)](https://man.dragonflybsd.org/?command=preadv&section=2)
/// - [Linux preadv(2)](https://man7.org/linux/man-pages/man2/preadv.2.html)
///
/// # Examples
/// ```
/// use std::io::IoSliceMut;
///
/// let path = std::env::temp_dir().join(format!("bsd-fd-doc-preadv-{}", std::process::id()));
/// std::fs::write(&path, b"xxkeyvalue")?;
/// let file = std::fs::File::open(&path)?;
/// let (mut key, mut value) = ([0u8; 3], [0u8; 5]);
/// let n = bsd_fd::preadv(&file, &mut [IoSliceMut::new(&mut key), IoSliceMut::new(&mut value)], 2)?;
/// assert_eq!((n, &key, &value), (8, b"key", b"value"));
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[inline]
pub fn preadv<Fd: AsFd>(fd: Fd, bufs: &mut [IoSliceMut<'_>], offset: u64) -> Result<usize> {
    let offset = to_off(offset)?;
    let iov = iovecs_mut(bufs);
    // SAFETY: as for `readv`.
    unsafe { bsd_sys::fd::preadv(fd.as_fd().as_raw_fd(), iov, offset) }
}

/// Positional gather write: [`writev`] at byte `offset`, without using or moving the file
/// offset.
///
/// An `offset` above `i64::MAX` gives `Errno::INVAL`.
///
/// # EINTR
/// Not retried: returns `Err(Errno::INTR)` with nothing written.
///
/// # Platform
/// DragonFly's kernel call is `extpwritev` with no flags; `APPEND` as for [`pwrite`].
///
/// # References
/// - [OpenBSD pwritev(2)](https://man.openbsd.org/pwritev.2)
/// - [DragonFly pwritev(2)](https://man.dragonflybsd.org/?command=pwritev&section=2)
/// - [Linux pwritev(2)](https://man7.org/linux/man-pages/man2/pwritev.2.html)
///
/// # Examples
/// ```
/// use std::io::IoSlice;
///
/// let path = std::env::temp_dir().join(format!("bsd-fd-doc-pwritev-{}", std::process::id()));
/// std::fs::write(&path, b"[.......]")?;
/// let file = std::fs::OpenOptions::new().write(true).open(&path)?;
/// assert_eq!(bsd_fd::pwritev(&file, &[IoSlice::new(b"ab"), IoSlice::new(b"cd")], 1)?, 4);
/// assert_eq!(std::fs::read(&path)?, b"[abcd...]");
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[inline]
pub fn pwritev<Fd: AsFd>(fd: Fd, bufs: &[IoSlice<'_>], offset: u64) -> Result<usize> {
    let offset = to_off(offset)?;
    let iov = iovecs(bufs);
    // SAFETY: as for `writev`.
    unsafe { bsd_sys::fd::pwritev(fd.as_fd().as_raw_fd(), iov, offset) }
}

/// A file offset as the kernel's signed `off_t`.
#[inline]
fn to_off(offset: u64) -> Result<i64> {
    i64::try_from(offset).map_err(|_| Errno::INVAL)
}

/// Views `bufs` (at most `IOV_MAX` of them) as the kernel's `iovec` array.
#[inline]
fn iovecs<'a>(bufs: &'a [IoSlice<'_>]) -> &'a [IoVec] {
    let len = bufs.len().min(IOV_MAX);
    // SAFETY: `IoSlice` is ABI-compatible with `iovec` (std docs; size and alignment asserted
    // above), and the new slice covers the same, live memory.
    unsafe { std::slice::from_raw_parts(bufs.as_ptr().cast::<IoVec>(), len) }
}

/// Views `bufs` (at most `IOV_MAX` of them) as the kernel's `iovec` array.
#[inline]
fn iovecs_mut<'a>(bufs: &'a mut [IoSliceMut<'_>]) -> &'a [IoVec] {
    let len = bufs.len().min(IOV_MAX);
    // SAFETY: `IoSliceMut` is ABI-compatible with `iovec` (std docs; size and alignment asserted
    // above); the result borrows `bufs` mutably, so nothing else touches the buffers meanwhile.
    unsafe { std::slice::from_raw_parts(bufs.as_mut_ptr().cast::<IoVec>(), len) }
}
