//! More descriptor calls: `dup2`/`dup3`, `lseek`, `fstat`, `fsync`/`fdatasync`, `ftruncate`,
//! `poll`, `closefrom`, and OpenBSD 7.8's close-on-fork constants.
//!
//! Every call here takes a descriptor, so every one is an `unsafe fn` (I/O safety, see the
//! parent module); `bsd-fd` wraps them over `AsFd`/`OwnedFd`.

use core::ffi::c_int;

use super::RawFd;
use crate::backend::imp;
use crate::Result;

/// File status (`struct stat`), as the kernel fills it.
///
/// # Platform
/// The field order differs per OS; OpenBSD (`sys/sys/stat.h`) and DragonFly (`sys/sys/stat.h`)
/// add `st_flags` and `st_gen`, OpenBSD also `__st_birthtim`; Linux has neither.
pub type Stat = libc::stat;

/// One entry of a [`poll`] set (`struct pollfd { int fd; short events; short revents; }`).
pub type PollFd = libc::pollfd;

/// `O_CLOFORK`: open or pipe with close-on-fork set (OpenBSD 7.8, `sys/sys/fcntl.h` rev 1.23).
///
/// The `libc` crate does not have it yet (0.2.191). Other OSes have no close-on-fork in the
/// supported releases (DragonFly added it after 6.4, in 2025; Linux has none).
#[cfg(target_os = "openbsd")]
pub const O_CLOFORK: c_int = 0x40000;
/// `FD_CLOFORK`: the close-on-fork descriptor flag of `F_GETFD`/`F_SETFD` (OpenBSD 7.8,
/// `sys/sys/fcntl.h` rev 1.23).
#[cfg(target_os = "openbsd")]
pub const FD_CLOFORK: c_int = 4;
/// `F_DUPFD_CLOFORK`: `F_DUPFD` with `FD_CLOFORK` set (OpenBSD 7.8, `sys/sys/fcntl.h` rev 1.23).
#[cfg(target_os = "openbsd")]
pub const F_DUPFD_CLOFORK: c_int = 12;

#[cfg(target_os = "openbsd")]
const _: () = {
    // OpenBSD sys/sys/fcntl.h rev 1.23: the new bits do not collide with the existing ones.
    assert!(O_CLOFORK & (libc::O_CLOEXEC | libc::O_DIRECTORY | libc::O_ACCMODE) == 0);
    assert!(FD_CLOFORK & libc::FD_CLOEXEC == 0);
};

// `struct pollfd` is the same 8 bytes everywhere; `struct stat` is what the raw backend's
// `fstat` writes (Linux: the kernel's own layout, which glibc and musl use on x86_64 and
// aarch64; DragonFly: the C library's).
const _: () = assert!(core::mem::size_of::<PollFd>() == 8);
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
const _: () = assert!(core::mem::size_of::<Stat>() == 144);
#[cfg(all(target_os = "linux", target_arch = "aarch64"))]
const _: () = assert!(core::mem::size_of::<Stat>() == 128);
#[cfg(target_os = "dragonfly")]
const _: () = assert!(core::mem::size_of::<Stat>() == 128);
#[cfg(target_os = "openbsd")]
const _: () = assert!(core::mem::size_of::<Stat>() == 128);

/// Makes `new` refer to the open file of `old` (closing what `new` referred to), returning `new`.
///
/// The new descriptor never has close-on-exec (or close-on-fork). `old == new` returns `new`
/// if it is open, `Errno::BADF` if not.
///
/// # Platform
/// Linux aarch64 has no `dup2` system call: the raw backend checks `old` with `F_GETFD` when
/// `old == new` and otherwise calls `dup3(old, new, 0)`, as musl does. A `new` at or above the
/// descriptor limit gives `Errno::BADF` (OpenBSD `dodup3`, `sys/kern/kern_descrip.c`; Linux and
/// DragonFly alike).
///
/// # Safety
/// The caller owns or borrows `old` for the call and owns `new` (whose previous file is closed),
/// or `new` is a free number the caller takes ownership of.
///
/// # References
/// - [OpenBSD dup2(2)](https://man.openbsd.org/dup2.2)
/// - [DragonFly dup2(2)](https://man.dragonflybsd.org/?command=dup2&section=2)
/// - [Linux dup2(2)](https://man7.org/linux/man-pages/man2/dup2.2.html)
#[inline]
pub unsafe fn dup2(old: RawFd, new: RawFd) -> Result<RawFd> {
    imp::fd_ext::dup2(old, new)
}

/// [`dup2`] with flags for the new descriptor: `O_CLOEXEC` (and `O_CLOFORK` on OpenBSD).
///
/// `old == new` and unknown flags give `Errno::INVAL`.
///
/// # Platform
/// OpenBSD: system call 102, accepting `O_CLOEXEC | O_CLOFORK` (`sys_dup3` in
/// `sys/kern/kern_descrip.c`, 7.8). DragonFly has no `dup3` system call: its libc implements it
/// as `fcntl(old, F_DUP2FD or F_DUP2FD_CLOEXEC, new)` after the same two checks
/// (`lib/libc/gen/dup3.c`, as of 6.4), and the raw backend does the same. Linux: system call
/// 292 (x86_64) / 24 (aarch64).
///
/// # Safety
/// As for [`dup2`].
///
/// # References
/// - [OpenBSD dup3(2)](https://man.openbsd.org/dup3.2)
/// - [DragonFly dup3(3)](https://man.dragonflybsd.org/?command=dup3&section=3)
/// - [Linux dup3(2)](https://man7.org/linux/man-pages/man2/dup3.2.html)
#[inline]
pub unsafe fn dup3(old: RawFd, new: RawFd, flags: c_int) -> Result<RawFd> {
    imp::fd_ext::dup3(old, new, flags)
}

/// Moves the file offset of `fd` (`whence` is `SEEK_SET`, `SEEK_CUR` or `SEEK_END`) and returns
/// the new offset.
///
/// A resulting negative offset gives `Errno::INVAL`; a pipe, socket or FIFO gives
/// `Errno::SPIPE`.
///
/// # Platform
/// DragonFly's system call 199 is `lseek(fd, pad, offset, whence)`; the raw backend passes
/// `pad = 0` as libc does (`lib/libc/sys/lseek.c`).
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # References
/// - [OpenBSD lseek(2)](https://man.openbsd.org/lseek.2)
/// - [DragonFly lseek(2)](https://man.dragonflybsd.org/?command=lseek&section=2)
/// - [Linux lseek(2)](https://man7.org/linux/man-pages/man2/lseek.2.html)
#[inline]
pub unsafe fn lseek(fd: RawFd, offset: i64, whence: c_int) -> Result<i64> {
    imp::fd_ext::lseek(fd, offset, whence)
}

/// The status of the file `fd` refers to.
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # References
/// - [OpenBSD fstat(2)](https://man.openbsd.org/fstat.2)
/// - [DragonFly fstat(2)](https://man.dragonflybsd.org/?command=fstat&section=2)
/// - [Linux fstat(2)](https://man7.org/linux/man-pages/man2/fstat.2.html)
#[inline]
pub unsafe fn fstat(fd: RawFd) -> Result<Stat> {
    imp::fd_ext::fstat(fd)
}

/// Writes the file's data and metadata to its device.
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # References
/// - [OpenBSD fsync(2)](https://man.openbsd.org/fsync.2)
/// - [DragonFly fsync(2)](https://man.dragonflybsd.org/?command=fsync&section=2)
/// - [Linux fsync(2)](https://man7.org/linux/man-pages/man2/fsync.2.html)
#[inline]
pub unsafe fn fsync(fd: RawFd) -> Result<()> {
    imp::fd_ext::fsync(fd)
}

/// Writes the file's data (and the metadata needed to read it back) to its device.
///
/// # Platform
/// OpenBSD: a libc function (`lib/libc/Symbols.list`, under `gen`). DragonFly: system call 554,
/// added in 2021 (before 6.4). Linux: system call 75 (x86_64) / 83 (aarch64).
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # References
/// - [OpenBSD fdatasync(2)](https://man.openbsd.org/fdatasync.2)
/// - [DragonFly fsync(2)](https://man.dragonflybsd.org/?command=fsync&section=2)
/// - [Linux fdatasync(2)](https://man7.org/linux/man-pages/man2/fdatasync.2.html)
#[inline]
pub unsafe fn fdatasync(fd: RawFd) -> Result<()> {
    imp::fd_ext::fdatasync(fd)
}

/// Sets the length of the regular file `fd` (opened for writing) to `len` bytes.
///
/// A negative `len` gives `Errno::INVAL`.
///
/// # Platform
/// DragonFly's system call 201 is `ftruncate(fd, pad, length)`; the raw backend passes `pad = 0`.
///
/// # Safety
/// The caller owns or borrows `fd` for the call.
///
/// # References
/// - [OpenBSD ftruncate(2)](https://man.openbsd.org/ftruncate.2)
/// - [DragonFly ftruncate(2)](https://man.dragonflybsd.org/?command=ftruncate&section=2)
/// - [Linux ftruncate(2)](https://man7.org/linux/man-pages/man2/ftruncate.2.html)
#[inline]
pub unsafe fn ftruncate(fd: RawFd, len: i64) -> Result<()> {
    imp::fd_ext::ftruncate(fd, len)
}

/// Waits until one of `fds` is ready or `timeout_ms` milliseconds pass (`-1`: no limit), and
/// returns how many entries have a non-zero `revents`.
///
/// # Platform
/// Linux's raw backend uses `ppoll` (aarch64 has no `poll`), with the timeout as a `timespec`.
///
/// # Safety
/// The caller owns or borrows every descriptor in `fds` for the call (negative ones are
/// ignored by the kernel).
///
/// # References
/// - [OpenBSD poll(2)](https://man.openbsd.org/poll.2)
/// - [DragonFly poll(2)](https://man.dragonflybsd.org/?command=poll&section=2)
/// - [Linux poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html)
#[inline]
pub unsafe fn poll(fds: &mut [PollFd], timeout_ms: c_int) -> Result<usize> {
    imp::fd_ext::poll(fds, timeout_ms)
}

/// Closes every descriptor `>= min`.
///
/// # Platform
/// - OpenBSD: system call 287; `min` above the highest open descriptor gives `Errno::BADF`
///   (`sys_closefrom`, `sys/kern/kern_descrip.c`).
/// - DragonFly: system call 474; a negative `min` gives `Errno::INVAL`, and nothing to close is
///   success (`kern_closefrom`, `sys/kern/kern_descrip.c`).
/// - Linux: `close_range(min, ~0, 0)` (system call 436, Linux 5.9 and later; older kernels give
///   `Errno::NOSYS`), in both backends; a negative `min` is refused with `Errno::INVAL` here.
///
/// # Safety
/// Every descriptor `>= min` is closed, whoever owns it: the caller guarantees that no owner
/// uses one of them again (typically a child between `fork` and `exec`).
///
/// # References
/// - [OpenBSD closefrom(2)](https://man.openbsd.org/closefrom.2)
/// - [DragonFly closefrom(2)](https://man.dragonflybsd.org/?command=closefrom&section=2)
/// - [Linux close_range(2)](https://man7.org/linux/man-pages/man2/close_range.2.html)
#[doc(alias = "close_range")]
#[inline]
pub unsafe fn closefrom(min: RawFd) -> Result<()> {
    imp::fd_ext::closefrom(min)
}
