//! The fd concern: open, close, read, write (positional, vectored), pipe2, fcntl, FIONREAD, isatty;
//! and (in `fd/ext.rs`) dup2/dup3, lseek, fstat, fsync/fdatasync, ftruncate, poll, closefrom and
//! OpenBSD 7.8's close-on-fork constants.
//!
//! # Raw descriptors and I/O safety
//! This crate is `no_std`, and `core` has no `OwnedFd`/`BorrowedFd`, so this face speaks in
//! [`RawFd`] (a `c_int`). The rule is:
//! - calls that only *create* descriptors ([`open`], [`pipe2`]) are safe: the caller receives a
//!   descriptor it owns (forgetting it leaks, which is not unsafe);
//! - every call that *takes* a descriptor is an `unsafe fn`, because the descriptor must be one
//!   the caller owns or borrows for the duration of the call (I/O safety: acting on a number that
//!   was closed and reused would read, write or close somebody else's file), and [`close`] in
//!   particular must only be given a descriptor the caller owns and never uses again.
//!
//! The safe crate `bsd-fd` wraps these calls over `OwnedFd`/`AsFd`, where the type system carries
//! the ownership proof.
//!
//! # EINTR
//! Nothing here retries: an interrupted call returns `Err(Errno::INTR)` and the caller decides
//! (`bsd-fd` documents its policy per function).
//!
//! # Platform
//! Flag values differ per OS and come from the `libc` crate (`O_CLOEXEC` is 0x10000 on OpenBSD,
//! 0x20000 on DragonFly and 0o2000000 on Linux; `F_DUPFD_CLOEXEC` is 10, 17 and 1030). The values
//! this concern relies on are asserted at compile time below, per OS, against the OS headers.

use core::ffi::{c_int, CStr};

use crate::backend::imp;
use crate::{Errno, Result};

/// A raw file descriptor number (`int`).
///
/// # Examples
/// ```
/// use bsd_sys::fd::{self, RawFd};
///
/// let [r, w]: [RawFd; 2] = fd::pipe2(bsd_sys::libc::O_CLOEXEC)?;
/// assert!(r >= 0 && w >= 0 && r != w);
/// # unsafe { fd::close(r)?; fd::close(w)? };
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
pub type RawFd = c_int;

/// File permission bits for a newly created file (`mode_t`: `u32` on OpenBSD and Linux, `u16` on
/// DragonFly).
///
/// # Examples
/// ```
/// use bsd_sys::fd::{self, Mode};
/// use bsd_sys::libc;
///
/// let owner_rw: Mode = libc::S_IRUSR | libc::S_IWUSR; // 0o600
/// # let path = format!("{}/bsd-sys-doc-{}", std::env::temp_dir().display(), std::process::id());
/// # let path = std::ffi::CString::new(path).unwrap();
/// # let f = fd::open(&path, libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC, owner_rw)?;
/// # std::fs::remove_file(path.to_str().unwrap()).unwrap();
/// // SAFETY: `f` was opened above and is ours for the call.
/// let st = unsafe { fd::fstat(f)? };
/// assert_eq!(st.st_mode & 0o777, owner_rw);
/// # unsafe { fd::close(f)? };
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
#[doc(alias = "mode_t")]
pub type Mode = libc::mode_t;

/// One buffer of a vectored read or write (`struct iovec`).
///
/// # Examples
/// ```
/// use bsd_sys::fd::IoVec;
///
/// let head = *b"GET ";
/// let iov = [IoVec { iov_base: head.as_ptr() as *mut _, iov_len: head.len() }];
/// assert_eq!(iov[0].iov_len, 4);
/// ```
#[doc(alias = "iovec")]
pub type IoVec = libc::iovec;

/// `AT_FDCWD`: makes [`openat`] resolve a relative path against the current directory.
///
/// # Platform
/// -100 on OpenBSD and Linux; 0xFFFAFDCD on DragonFly.
pub const AT_FDCWD: RawFd = libc::AT_FDCWD;

/// The most buffers one vectored call accepts (`IOV_MAX`): 1024 on every supported OS.
///
/// # Platform
/// OpenBSD `sys/sys/syslimits.h` rev 1.16 (`IOV_MAX` 1024) and DragonFly `sys/sys/uio.h`
/// (`UIO_MAXIOV` 1024); Linux
/// `include/uapi/linux/uio.h` (`UIO_MAXIOV` 1024; the `libc` crate lacks `IOV_MAX` there).
pub const IOV_MAX: usize = 1024;

// Per-OS values of the constants this concern and bsd-fd rely on, from the OS headers: a `libc`
// change that breaks one fails the (cross-)build.
#[cfg(target_os = "openbsd")]
const _: () = {
    // OpenBSD sys/sys/fcntl.h rev 1.23 (7.8; adds O_CLOFORK, F_DUPFD_CLOFORK, FD_CLOFORK).
    assert!(libc::O_CLOEXEC == 0x10000);
    assert!(libc::O_NONBLOCK == 0x0004);
    assert!(libc::O_DIRECTORY == 0x20000);
    assert!(libc::F_GETFD == 1 && libc::F_SETFD == 2 && libc::F_GETFL == 3 && libc::F_SETFL == 4);
    assert!(libc::F_DUPFD_CLOEXEC == 10);
    assert!(libc::FD_CLOEXEC == 1);
    assert!(libc::AT_FDCWD == -100);
    assert!(libc::IOV_MAX as usize == IOV_MAX);
    // OpenBSD sys/sys/filio.h: _IOR('f', 127, int).
    assert!(libc::FIONREAD == 0x4004_667f);
};
#[cfg(target_os = "dragonfly")]
const _: () = {
    // DragonFly sys/sys/fcntl.h.
    assert!(libc::O_CLOEXEC == 0x20000);
    assert!(libc::O_NONBLOCK == 0x0004);
    assert!(libc::O_DIRECTORY == 0x0800_0000);
    assert!(libc::F_GETFD == 1 && libc::F_SETFD == 2 && libc::F_GETFL == 3 && libc::F_SETFL == 4);
    assert!(libc::F_DUPFD_CLOEXEC == 17);
    assert!(libc::FD_CLOEXEC == 1);
    assert!(libc::AT_FDCWD == 0xFFFA_FDCDu32 as i32);
    assert!(libc::IOV_MAX as usize == IOV_MAX);
    // DragonFly sys/sys/filio.h: _IOR('f', 127, int).
    assert!(libc::FIONREAD == 0x4004_667f);
    // sys/sys/ttycom.h: _IOR('t', 19, struct termios), used by the raw isatty.
    assert!(libc::TIOCGETA == 0x402c_7413);
    assert!(core::mem::size_of::<libc::termios>() == 44);
};
#[cfg(target_os = "linux")]
const _: () = {
    // Linux include/uapi/asm-generic/fcntl.h (x86_64 and aarch64).
    assert!(libc::O_CLOEXEC == 0o2_000_000);
    assert!(libc::O_NONBLOCK == 0o4000);
    assert!(libc::F_GETFD == 1 && libc::F_SETFD == 2 && libc::F_GETFL == 3 && libc::F_SETFL == 4);
    assert!(libc::F_DUPFD_CLOEXEC == 1030);
    assert!(libc::FD_CLOEXEC == 1);
    assert!(libc::AT_FDCWD == -100);
    // include/uapi/asm-generic/ioctls.h.
    assert!(libc::FIONREAD == 0x541B);
    assert!(libc::TCGETS == 0x5401);
};
// `struct iovec { void *iov_base; size_t iov_len; }` on every supported OS.
const _: () = assert!(core::mem::size_of::<IoVec>() == 16);
const _: () = assert!(core::mem::offset_of!(IoVec, iov_len) == 8);

/// Converts a buffer count to the kernel's `int`, refusing counts it cannot represent.
#[inline]
/// The buffer count for a vectored call, checked here so every OS answers alike: more than
/// [`IOV_MAX`] is `EINVAL` (DragonFly's kernel would say `EMSGSIZE`: `iovec_copyin` in
/// `sys/kern/kern_subr.c`); zero is answered with `Ok(0)` by the callers without a system call
/// (OpenBSD's kernel would say `EINVAL`: `iovec_copyin` in `sys/kern/sys_generic.c` rev 1.160).
fn iov_count(iov: &[IoVec]) -> Result<c_int> {
    if iov.len() > IOV_MAX {
        return Err(Errno::INVAL);
    }
    c_int::try_from(iov.len()).map_err(|_| Errno::INVAL)
}

/// A positional offset, checked here: negative is `EINVAL` on every OS. OpenBSD and Linux
/// refuse it themselves, but DragonFly's `extpread` family takes -1 to mean "the current file
/// offset" and then moves it (`sys_extpread` in `sys/kern/sys_generic.c` sets `O_FOFFSET`
/// only when `offset != -1`).
fn position(offset: i64) -> Result<i64> {
    if offset < 0 {
        Err(Errno::INVAL)
    } else {
        Ok(offset)
    }
}

/// Opens `path` with `flags` (`O_*`), creating it with permission bits `mode` when `O_CREAT` is set.
///
/// Returns a new descriptor that the caller owns. Pass `O_CLOEXEC` in `flags` to keep it out of
/// executed programs.
///
/// # Platform
/// The raw backend on Linux uses `openat(AT_FDCWD, ...)` (aarch64 has no `open`).
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, Errno};
///
/// let path = format!("{}/bsd-sys-open-{}", std::env::temp_dir().display(), std::process::id());
/// let path = std::ffi::CString::new(path).unwrap();
/// let flags = libc::O_RDWR | libc::O_CREAT | libc::O_EXCL | libc::O_CLOEXEC;
/// let f = fd::open(&path, flags, 0o600)?;
/// // O_EXCL: the file now exists, so a second exclusive create fails.
/// assert_eq!(fd::open(&path, flags, 0o600), Err(Errno::EXIST));
/// // SAFETY: `f` was opened above and is closed once.
/// unsafe { fd::close(f)? };
/// std::fs::remove_file(path.to_str().unwrap()).unwrap();
/// assert_eq!(fd::open(&path, libc::O_RDONLY, 0), Err(Errno::NOENT));
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD open(2)](https://man.openbsd.org/open.2)
/// - [DragonFly open(2)](https://man.dragonflybsd.org/?command=open&section=2)
/// - [Linux open(2)](https://man7.org/linux/man-pages/man2/open.2.html)
#[inline]
pub fn open(path: &CStr, flags: c_int, mode: Mode) -> Result<RawFd> {
    imp::fd::open(path, flags, mode)
}

/// Opens `path` relative to directory `dirfd` (or [`AT_FDCWD`]); see [`open`].
///
/// # Safety
/// `dirfd` is [`AT_FDCWD`] or a descriptor the caller owns or borrows for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let dev = fd::open(c"/dev", libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC, 0)?;
/// // SAFETY: `dev` is ours for the call; the new descriptor is ours too and closed once.
/// unsafe {
///     let null = fd::openat(dev, c"null", libc::O_WRONLY | libc::O_CLOEXEC, 0)?;
///     assert_eq!(fd::write(null, b"gone")?, 4);
///     fd::close(null)?;
///     fd::close(dev)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD openat(2)](https://man.openbsd.org/openat.2)
/// - [DragonFly openat(2)](https://man.dragonflybsd.org/?command=openat&section=2)
/// - [Linux openat(2)](https://man7.org/linux/man-pages/man2/openat.2.html)
#[inline]
pub unsafe fn openat(dirfd: RawFd, path: &CStr, flags: c_int, mode: Mode) -> Result<RawFd> {
    imp::fd::openat(dirfd, path, flags, mode)
}

/// Closes `fd`.
///
/// Never retry on error (not even `Errno::INTR`): the descriptor number is released whatever
/// `close` reports (OpenBSD `sys_close` -> `fdrelease` and DragonFly `kern_close` empty the table
/// slot before the final close, `sys/kern/kern_descrip.c`; Linux close(2) says the same), and a
/// retry could close a descriptor another thread has just opened.
///
/// # Safety
/// The caller owns `fd` and does not use it again.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: both ends were created above; each is closed once and not used after.
/// unsafe {
///     fd::close(w)?;
///     assert_eq!(fd::read(r, &mut [0u8; 8])?, 0, "no writer left: end of file");
///     fd::close(r)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD close(2)](https://man.openbsd.org/close.2)
/// - [DragonFly close(2)](https://man.dragonflybsd.org/?command=close&section=2)
/// - [Linux close(2)](https://man7.org/linux/man-pages/man2/close.2.html)
#[inline]
pub unsafe fn close(fd: RawFd) -> Result<()> {
    imp::fd::close(fd)
}

/// Reads up to `buf.len()` bytes from `fd` into `buf`; `Ok(0)` is end of file.
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// let mut buf = [0u8; 16];
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     fd::write(w, b"hello")?;
///     assert_eq!(fd::read(r, &mut buf)?, 5);
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// assert_eq!(&buf[..5], b"hello");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD read(2)](https://man.openbsd.org/read.2)
/// - [DragonFly read(2)](https://man.dragonflybsd.org/?command=read&section=2)
/// - [Linux read(2)](https://man7.org/linux/man-pages/man2/read.2.html)
#[inline]
pub unsafe fn read(fd: RawFd, buf: &mut [u8]) -> Result<usize> {
    imp::fd::read(fd, buf)
}

/// Writes up to `buf.len()` bytes of `buf` to `fd`, returning how many were written.
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     assert_eq!(fd::write(w, b"abc")?, 3);
///     assert_eq!(fd::ioctl_fionread(r)?, 3, "three bytes wait in the pipe");
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD write(2)](https://man.openbsd.org/write.2)
/// - [DragonFly write(2)](https://man.dragonflybsd.org/?command=write&section=2)
/// - [Linux write(2)](https://man7.org/linux/man-pages/man2/write.2.html)
#[inline]
pub unsafe fn write(fd: RawFd, buf: &[u8]) -> Result<usize> {
    imp::fd::write(fd, buf)
}

/// Reads from `fd` at byte `offset`, without moving the file offset.
///
/// A negative `offset` is `EINVAL` on every OS (checked here; DragonFly's kernel would take -1
/// as "the current offset").
///
/// # Platform
/// DragonFly's kernel call is `extpread(fd, buf, nbyte, flags = 0, offset)` (syscall 173).
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, Errno};
///
/// # let path = format!("{}/bsd-sys-doc-{}", std::env::temp_dir().display(), std::process::id());
/// # let path = std::ffi::CString::new(path).unwrap();
/// # let f = fd::open(&path, libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC, 0o600)?;
/// # std::fs::remove_file(path.to_str().unwrap()).unwrap();
/// let mut buf = [0u8; 5];
/// // SAFETY: `f` was opened above, is used only here and closed once.
/// unsafe {
///     fd::write(f, b"hello world")?;
///     assert_eq!(fd::pread(f, &mut buf, 6)?, 5);
///     assert_eq!(fd::pread(f, &mut buf, -1), Err(Errno::INVAL));
///     // The file offset did not move: it is still at the end.
///     assert_eq!(fd::lseek(f, 0, libc::SEEK_CUR)?, 11);
///     fd::close(f)?;
/// }
/// assert_eq!(&buf, b"world");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD pread(2)](https://man.openbsd.org/pread.2)
/// - [DragonFly pread(2)](https://man.dragonflybsd.org/?command=pread&section=2)
/// - [Linux pread(2)](https://man7.org/linux/man-pages/man2/pread.2.html)
#[inline]
pub unsafe fn pread(fd: RawFd, buf: &mut [u8], offset: i64) -> Result<usize> {
    imp::fd::pread(fd, buf, position(offset)?)
}

/// Writes to `fd` at byte `offset`, without moving the file offset.
///
/// A negative `offset` is `EINVAL` on every OS (checked here, as for [`pread`]).
///
/// # Platform
/// DragonFly's kernel call is `extpwrite(fd, buf, nbyte, flags = 0, offset)` (syscall 174).
/// On a descriptor opened with `O_APPEND`, Linux (pwrite(2) BUGS) and DragonFly (`vn_write` in
/// `sys/kern/vfs_vnops.c` sets `IO_APPEND` for positioned writes too) append whatever the
/// offset; OpenBSD honours it (`vn_write` in `sys/kern/vfs_vnops.c` rev 1.125: "pwrite/pwritev
/// are unaffected by O_APPEND").
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// # let path = format!("{}/bsd-sys-doc-{}", std::env::temp_dir().display(), std::process::id());
/// # let path = std::ffi::CString::new(path).unwrap();
/// # let f = fd::open(&path, libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC, 0o600)?;
/// # std::fs::remove_file(path.to_str().unwrap()).unwrap();
/// let mut buf = [0u8; 11];
/// // SAFETY: `f` was opened above, is used only here and closed once.
/// unsafe {
///     fd::pwrite(f, b"world", 6)?;
///     fd::pwrite(f, b"hello ", 0)?;
///     assert_eq!(fd::lseek(f, 0, libc::SEEK_CUR)?, 0, "pwrite leaves the offset alone");
///     assert_eq!(fd::read(f, &mut buf)?, 11);
///     fd::close(f)?;
/// }
/// assert_eq!(&buf, b"hello world");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD pwrite(2)](https://man.openbsd.org/pwrite.2)
/// - [DragonFly pwrite(2)](https://man.dragonflybsd.org/?command=pwrite&section=2)
/// - [Linux pwrite(2)](https://man7.org/linux/man-pages/man2/pwrite.2.html)
#[inline]
pub unsafe fn pwrite(fd: RawFd, buf: &[u8], offset: i64) -> Result<usize> {
    imp::fd::pwrite(fd, buf, position(offset)?)
}

/// Scatter read: fills the buffers of `iov` in order from `fd`.
///
/// More than [`IOV_MAX`] buffers gives `Errno::INVAL` and no buffers `Ok(0)`, on every OS
/// (checked here: DragonFly's kernel says `EMSGSIZE` to the first, OpenBSD's `EINVAL` to the
/// second).
///
/// # Safety
/// The caller owns or borrows `fd` for the call, and every `iovec` describes memory that is
/// valid for writes of `iov_len` bytes and not otherwise accessed during the call.
///
/// # Examples
/// ```
/// use bsd_sys::fd::{self, IoVec};
/// use bsd_sys::libc;
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// let (mut head, mut tail) = ([0u8; 4], [0u8; 8]);
/// let iov = [
///     IoVec { iov_base: head.as_mut_ptr().cast(), iov_len: head.len() },
///     IoVec { iov_base: tail.as_mut_ptr().cast(), iov_len: tail.len() },
/// ];
/// // SAFETY: both ends were created above and closed once; the buffers outlive the call and
/// // nothing else touches them during it.
/// unsafe {
///     fd::write(w, b"GET /index")?;
///     assert_eq!(fd::readv(r, &iov)?, 10);
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// assert_eq!((&head, &tail[..6]), (b"GET ", &b"/index"[..]));
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD readv(2)](https://man.openbsd.org/readv.2)
/// - [DragonFly readv(2)](https://man.dragonflybsd.org/?command=readv&section=2)
/// - [Linux readv(2)](https://man7.org/linux/man-pages/man2/readv.2.html)
#[inline]
pub unsafe fn readv(fd: RawFd, iov: &[IoVec]) -> Result<usize> {
    let count = iov_count(iov)?;
    if count == 0 {
        return Ok(0);
    }
    // SAFETY: forwarded to the caller.
    unsafe { imp::fd::readv(fd, iov.as_ptr(), count) }
}

/// Gather write: writes the buffers of `iov` in order to `fd`.
///
/// More than [`IOV_MAX`] buffers gives `Errno::INVAL` and no buffers `Ok(0)`, on every OS (as
/// for [`readv`]).
///
/// # Safety
/// The caller owns or borrows `fd` for the call, and every `iovec` describes memory that is
/// valid for reads of `iov_len` bytes during the call.
///
/// # Examples
/// ```
/// use bsd_sys::fd::{self, IoVec};
/// use bsd_sys::libc;
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// let (head, body) = (*b"len=5\n", *b"hello");
/// let iov = [
///     IoVec { iov_base: head.as_ptr() as *mut _, iov_len: head.len() },
///     IoVec { iov_base: body.as_ptr() as *mut _, iov_len: body.len() },
/// ];
/// let mut got = [0u8; 16];
/// // SAFETY: both ends were created above and closed once; the buffers outlive the call.
/// unsafe {
///     assert_eq!(fd::writev(w, &iov)?, 11, "one call, both buffers");
///     assert_eq!(fd::read(r, &mut got)?, 11);
///     assert_eq!(fd::writev(w, &[])?, 0);
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// assert_eq!(&got[..11], b"len=5\nhello");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD writev(2)](https://man.openbsd.org/writev.2)
/// - [DragonFly writev(2)](https://man.dragonflybsd.org/?command=writev&section=2)
/// - [Linux writev(2)](https://man7.org/linux/man-pages/man2/writev.2.html)
#[inline]
pub unsafe fn writev(fd: RawFd, iov: &[IoVec]) -> Result<usize> {
    let count = iov_count(iov)?;
    if count == 0 {
        return Ok(0);
    }
    // SAFETY: forwarded to the caller.
    unsafe { imp::fd::writev(fd, iov.as_ptr(), count) }
}

/// Positional scatter read: [`readv`] at byte `offset`, without moving the file offset.
///
/// # Platform
/// DragonFly's kernel call is `extpreadv(fd, iov, iovcnt, flags = 0, offset)` (syscall 289).
///
/// # Safety
/// As for [`readv`].
///
/// # Examples
/// ```
/// use bsd_sys::fd::{self, IoVec};
/// use bsd_sys::libc;
///
/// # let path = format!("{}/bsd-sys-doc-{}", std::env::temp_dir().display(), std::process::id());
/// # let path = std::ffi::CString::new(path).unwrap();
/// # let f = fd::open(&path, libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC, 0o600)?;
/// # std::fs::remove_file(path.to_str().unwrap()).unwrap();
/// let (mut a, mut b) = ([0u8; 2], [0u8; 3]);
/// let iov = [
///     IoVec { iov_base: a.as_mut_ptr().cast(), iov_len: a.len() },
///     IoVec { iov_base: b.as_mut_ptr().cast(), iov_len: b.len() },
/// ];
/// // SAFETY: `f` was opened above and closed once; the buffers outlive the call.
/// unsafe {
///     fd::write(f, b"..hello")?;
///     assert_eq!(fd::preadv(f, &iov, 2)?, 5);
///     fd::close(f)?;
/// }
/// assert_eq!((&a, &b), (b"he", b"llo"));
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD preadv(2)](https://man.openbsd.org/preadv.2)
/// - [DragonFly preadv(2)](https://man.dragonflybsd.org/?command=preadv&section=2)
/// - [Linux preadv(2)](https://man7.org/linux/man-pages/man2/preadv.2.html)
#[inline]
pub unsafe fn preadv(fd: RawFd, iov: &[IoVec], offset: i64) -> Result<usize> {
    let (count, offset) = (iov_count(iov)?, position(offset)?);
    if count == 0 {
        return Ok(0);
    }
    // SAFETY: forwarded to the caller.
    unsafe { imp::fd::preadv(fd, iov.as_ptr(), count, offset) }
}

/// Positional gather write: [`writev`] at byte `offset`, without moving the file offset.
///
/// # Platform
/// DragonFly's kernel call is `extpwritev(fd, iov, iovcnt, flags = 0, offset)` (syscall 290).
///
/// # Safety
/// As for [`writev`].
///
/// # Examples
/// ```
/// use bsd_sys::fd::{self, IoVec};
/// use bsd_sys::libc;
///
/// # let path = format!("{}/bsd-sys-doc-{}", std::env::temp_dir().display(), std::process::id());
/// # let path = std::ffi::CString::new(path).unwrap();
/// # let f = fd::open(&path, libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC, 0o600)?;
/// # std::fs::remove_file(path.to_str().unwrap()).unwrap();
/// let (a, b) = (*b"he", *b"llo");
/// let iov = [
///     IoVec { iov_base: a.as_ptr() as *mut _, iov_len: a.len() },
///     IoVec { iov_base: b.as_ptr() as *mut _, iov_len: b.len() },
/// ];
/// let mut got = [0u8; 5];
/// // SAFETY: `f` was opened above and closed once; the buffers outlive the call.
/// unsafe {
///     assert_eq!(fd::pwritev(f, &iov, 100)?, 5);
///     assert_eq!(fd::fstat(f)?.st_size, 105, "written at offset 100");
///     fd::pread(f, &mut got, 100)?;
///     fd::close(f)?;
/// }
/// assert_eq!(&got, b"hello");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD pwritev(2)](https://man.openbsd.org/pwritev.2)
/// - [DragonFly pwritev(2)](https://man.dragonflybsd.org/?command=pwritev&section=2)
/// - [Linux pwritev(2)](https://man7.org/linux/man-pages/man2/pwritev.2.html)
#[inline]
pub unsafe fn pwritev(fd: RawFd, iov: &[IoVec], offset: i64) -> Result<usize> {
    let (count, offset) = (iov_count(iov)?, position(offset)?);
    if count == 0 {
        return Ok(0);
    }
    // SAFETY: forwarded to the caller.
    unsafe { imp::fd::pwritev(fd, iov.as_ptr(), count, offset) }
}

/// Creates a pipe: returns `[read end, write end]`, both owned by the caller.
///
/// `flags` is a combination of `O_CLOEXEC` and `O_NONBLOCK` (applied to both ends). Other bits
/// are `EINVAL` on OpenBSD (`sys_pipe2` in `sys/kern/sys_pipe.c` rev 1.149) and Linux;
/// DragonFly 6.4 ignores them (its check came after 6.4, commit 025a0b0eae).
///
/// Both ends of an OpenBSD or DragonFly pipe are open for reading and writing (`F_GETFL` says
/// `O_RDWR` for each: `dopipe`/`kern_pipe` in `sys/kern/sys_pipe.c`); on Linux the read end is
/// `O_RDONLY` and the write end `O_WRONLY`.
///
/// # Platform
/// DragonFly's raw `pipe2` (syscall 538) ignores the array pointer and returns the descriptors in
/// `rax`/`rdx` (`sys/kern/sys_pipe.c`); the raw backend reads them from there.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, Errno};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC | libc::O_NONBLOCK)?;
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     assert_eq!(fd::read(r, &mut [0u8; 1]), Err(Errno::AGAIN), "empty, and non-blocking");
///     assert_ne!(fd::fcntl_getfd(w)? & libc::FD_CLOEXEC, 0);
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD pipe2(2)](https://man.openbsd.org/pipe2.2)
/// - [DragonFly pipe2(2)](https://man.dragonflybsd.org/?command=pipe&section=2)
/// - [Linux pipe2(2)](https://man7.org/linux/man-pages/man2/pipe2.2.html)
#[inline]
pub fn pipe2(flags: c_int) -> Result<[RawFd; 2]> {
    imp::fd::pipe2(flags)
}

/// `fcntl(fd, cmd, arg)` for the commands whose argument is an `int` (or absent: pass 0).
///
/// Returns the command's non-negative result. Prefer the typed helpers below.
///
/// # Safety
/// The caller owns or borrows `fd` for the call; `cmd` takes an integer argument or none (not a
/// pointer, e.g. not `F_GETLK`); and a command that creates a descriptor (`F_DUPFD`,
/// `F_DUPFD_CLOEXEC`) hands its result to the caller's ownership.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: `r` and `w` were created above; F_DUPFD takes an int and returns a descriptor we
/// // own; all three are closed once.
/// unsafe {
///     let dup = fd::fcntl(r, libc::F_DUPFD, 10)?;
///     assert!(dup >= 10);
///     assert_eq!(fd::fcntl(dup, libc::F_GETFD, 0)? & libc::FD_CLOEXEC, 0, "F_DUPFD clears it");
///     fd::close(dup)?;
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[inline]
pub unsafe fn fcntl(fd: RawFd, cmd: c_int, arg: c_int) -> Result<c_int> {
    imp::fd::fcntl(fd, cmd, arg)
}

/// Reads the descriptor flags of `fd` (`F_GETFD`: `FD_CLOEXEC`).
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     assert_eq!(fd::fcntl_getfd(r)? & libc::FD_CLOEXEC, libc::FD_CLOEXEC);
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[doc(alias = "fcntl")]
#[doc(alias = "F_GETFD")]
#[inline]
pub unsafe fn fcntl_getfd(fd: RawFd) -> Result<c_int> {
    imp::fd::fcntl(fd, libc::F_GETFD, 0)
}

/// Sets the descriptor flags of `fd` (`F_SETFD`).
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(0)?;
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     assert_eq!(fd::fcntl_getfd(r)? & libc::FD_CLOEXEC, 0);
///     fd::fcntl_setfd(r, libc::FD_CLOEXEC)?;
///     assert_eq!(fd::fcntl_getfd(r)? & libc::FD_CLOEXEC, libc::FD_CLOEXEC);
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[doc(alias = "fcntl")]
#[doc(alias = "F_SETFD")]
#[inline]
pub unsafe fn fcntl_setfd(fd: RawFd, flags: c_int) -> Result<()> {
    imp::fd::fcntl(fd, libc::F_SETFD, flags).map(drop)
}

/// Reads the file status flags and access mode of `fd` (`F_GETFL`).
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC | libc::O_NONBLOCK)?;
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     assert_ne!(fd::fcntl_getfl(r)? & libc::O_NONBLOCK, 0);
///     // O_CLOEXEC is a descriptor flag (F_GETFD), not a status flag.
///     assert_eq!(fd::fcntl_getfl(r)? & libc::O_CLOEXEC, 0);
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[doc(alias = "fcntl")]
#[doc(alias = "F_GETFL")]
#[inline]
pub unsafe fn fcntl_getfl(fd: RawFd) -> Result<c_int> {
    imp::fd::fcntl(fd, libc::F_GETFL, 0)
}

/// Sets the file status flags of `fd` (`F_SETFL`; only `O_APPEND`, `O_NONBLOCK`, `O_ASYNC` and a
/// few OS-specific flags can change: `O_SYNC` on OpenBSD and DragonFly, `O_DIRECT` on
/// DragonFly and Linux, `O_NOATIME` on Linux; `FCNTLFLAGS` in OpenBSD and DragonFly
/// `sys/sys/fcntl.h`, Linux fcntl(2)).
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, Errno};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     let flags = fd::fcntl_getfl(r)?;
///     fd::fcntl_setfl(r, flags | libc::O_NONBLOCK)?;
///     assert_eq!(fd::read(r, &mut [0u8; 1]), Err(Errno::AGAIN), "no longer blocks");
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[doc(alias = "fcntl")]
#[doc(alias = "F_SETFL")]
#[inline]
pub unsafe fn fcntl_setfl(fd: RawFd, flags: c_int) -> Result<()> {
    imp::fd::fcntl(fd, libc::F_SETFL, flags).map(drop)
}

/// Duplicates `fd` onto the lowest free number `>= min`, with close-on-exec set
/// (`F_DUPFD_CLOEXEC`); the caller owns the result.
///
/// # Platform
/// `F_DUPFD_CLOEXEC` is 10 on OpenBSD, 17 on DragonFly, 1030 on Linux.
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(0)?;
/// let mut buf = [0u8; 2];
/// // SAFETY: `r` and `w` were created above; the duplicate is ours; all are closed once.
/// unsafe {
///     let w2 = fd::fcntl_dupfd_cloexec(w, 20)?;
///     assert!(w2 >= 20);
///     assert_eq!(fd::fcntl_getfd(w2)? & libc::FD_CLOEXEC, libc::FD_CLOEXEC);
///     fd::write(w2, b"ok")?; // the same pipe
///     fd::read(r, &mut buf)?;
///     fd::close(w2)?;
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// assert_eq!(&buf, b"ok");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD fcntl(2)](https://man.openbsd.org/fcntl.2)
/// - [DragonFly fcntl(2)](https://man.dragonflybsd.org/?command=fcntl&section=2)
/// - [Linux fcntl(2)](https://man7.org/linux/man-pages/man2/fcntl.2.html)
#[doc(alias = "fcntl")]
#[doc(alias = "F_DUPFD_CLOEXEC")]
#[inline]
pub unsafe fn fcntl_dupfd_cloexec(fd: RawFd, min: RawFd) -> Result<RawFd> {
    imp::fd::fcntl(fd, libc::F_DUPFD_CLOEXEC, min)
}

/// The number of bytes that can be read from `fd` without blocking (`ioctl(FIONREAD)`).
///
/// # Platform
/// Works on pipes, sockets, terminals and regular files on all three OSes; a descriptor type
/// without FIONREAD support gives `Errno::NOTTY` (or `Errno::INVAL`).
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     assert_eq!(fd::ioctl_fionread(r)?, 0);
///     fd::write(w, b"four")?;
///     assert_eq!(fd::ioctl_fionread(r)?, 4);
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD ioctl(2)](https://man.openbsd.org/ioctl.2), [filio(4)]: FIONREAD
/// - [DragonFly ioctl(2)](https://man.dragonflybsd.org/?command=ioctl&section=2)
/// - [Linux ioctl_tty(2)/FIONREAD](https://man7.org/linux/man-pages/man2/FIONREAD.2const.html)
///
/// [filio(4)]: https://man.openbsd.org/filio.4
#[doc(alias = "FIONREAD")]
#[doc(alias = "ioctl")]
#[inline]
pub unsafe fn ioctl_fionread(fd: RawFd) -> Result<c_int> {
    imp::fd::ioctl_fionread(fd)
}

/// Whether `fd` refers to a terminal: `Ok(false)` when it does not (`ENOTTY`), `Err` for other
/// failures such as `Errno::BADF`.
///
/// # Platform
/// The raw backend asks for the terminal attributes (`TCGETS` on Linux, `TIOCGETA` on DragonFly),
/// as the C libraries' `isatty` does.
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, Errno};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: both ends were created above, are used only here and closed once; -1 is never a
/// // descriptor.
/// unsafe {
///     assert!(!fd::isatty(r)?, "a pipe is no terminal");
///     assert_eq!(fd::isatty(-1), Err(Errno::BADF));
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD isatty(3)](https://man.openbsd.org/isatty.3)
/// - [DragonFly isatty(3)](https://man.dragonflybsd.org/?command=isatty&section=3)
/// - [Linux isatty(3)](https://man7.org/linux/man-pages/man3/isatty.3.html)
#[inline]
pub unsafe fn isatty(fd: RawFd) -> Result<bool> {
    imp::fd::isatty(fd)
}

mod ext;
pub use self::ext::*;
