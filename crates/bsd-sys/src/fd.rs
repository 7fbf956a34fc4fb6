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
pub type RawFd = c_int;

/// File permission bits for a newly created file (`mode_t`: `u32` on OpenBSD and Linux, `u16` on
/// DragonFly).
pub type Mode = libc::mode_t;

/// One buffer of a vectored read or write (`struct iovec`).
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
/// # References
/// - [OpenBSD ioctl(2)](https://man.openbsd.org/ioctl.2), [filio(4)]: FIONREAD
/// - [DragonFly ioctl(2)](https://man.dragonflybsd.org/?command=ioctl&section=2)
/// - [Linux ioctl_tty(2)/FIONREAD](https://man7.org/linux/man-pages/man2/FIONREAD.2const.html)
///
/// [filio(4)]: https://man.openbsd.org/filio.4
#[doc(alias = "FIONREAD")]
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
