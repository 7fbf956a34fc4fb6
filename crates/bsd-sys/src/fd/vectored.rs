//! Positional and vectored I/O: `pread`, `pwrite`, `readv`, `writev`, `preadv`, `pwritev`.
//!
//! Every call here takes a descriptor, so every one is an `unsafe fn` (I/O safety, see the
//! parent module).

use core::ffi::c_int;

use super::RawFd;
use crate::backend::imp;
use crate::{Errno, Result};

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
///
/// # References
/// - [OpenBSD readv(2)](https://man.openbsd.org/readv.2)
/// - [DragonFly readv(2)](https://man.dragonflybsd.org/?command=readv&section=2)
/// - [Linux readv(2)](https://man7.org/linux/man-pages/man2/readv.2.html)
#[doc(alias = "iovec")]
pub type IoVec = libc::iovec;

/// The most buffers one vectored call accepts (`IOV_MAX`): 1024 on every supported OS.
///
/// # Platform
/// OpenBSD `sys/sys/syslimits.h` rev 1.16 (`IOV_MAX` 1024) and DragonFly `sys/sys/uio.h`
/// (`UIO_MAXIOV` 1024); Linux
/// `include/uapi/linux/uio.h` (`UIO_MAXIOV` 1024; the `libc` crate lacks `IOV_MAX` there).
pub const IOV_MAX: usize = 1024;

// `struct iovec { void *iov_base; size_t iov_len; }` on every supported OS.
const _: () = assert!(core::mem::size_of::<IoVec>() == 16);
const _: () = assert!(core::mem::offset_of!(IoVec, iov_len) == 8);

/// The buffer count for a vectored call, checked here so every OS answers alike: more than
/// [`IOV_MAX`] is `EINVAL` (DragonFly's kernel would say `EMSGSIZE`: `iovec_copyin` in
/// `sys/kern/kern_subr.c`); zero is answered with `Ok(0)` by the callers without a system call
/// (OpenBSD's kernel would say `EINVAL`: `iovec_copyin` in `sys/kern/sys_generic.c` rev 1.160).
#[inline]
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
#[doc(alias = "extpread")]
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
#[doc(alias = "extpwrite")]
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
/// valid for reads of `iov_len` bytes during the call. Memory the process cannot access at all
/// (unmapped, or `PROT_NONE`) is harmless too: the kernel's fault-checked copy-in stops there
/// with `EFAULT` (or a short count) and reads nothing of it, on all three kernels; the
/// guard-page examples rely on this.
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
#[doc(alias = "extpreadv")]
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
#[doc(alias = "extpwritev")]
#[inline]
pub unsafe fn pwritev(fd: RawFd, iov: &[IoVec], offset: i64) -> Result<usize> {
    let (count, offset) = (iov_count(iov)?, position(offset)?);
    if count == 0 {
        return Ok(0);
    }
    // SAFETY: forwarded to the caller.
    unsafe { imp::fd::pwritev(fd, iov.as_ptr(), count, offset) }
}
