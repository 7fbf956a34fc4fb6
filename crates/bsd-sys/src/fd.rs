//! The fd concern: open, close, read, write and pipe2 here; positional and vectored I/O in
//! `fd/vectored.rs`; fcntl, FIONREAD and isatty in `fd/fcntl.rs`; dup2/dup3, lseek, fstat,
//! fsync/fdatasync, ftruncate, poll, closefrom and OpenBSD 7.8's close-on-fork constants in
//! `fd/ext.rs`.
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
use crate::Result;

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
///
/// # References
/// - [OpenBSD open(2)](https://man.openbsd.org/open.2)
/// - [DragonFly open(2)](https://man.dragonflybsd.org/?command=open&section=2)
/// - [Linux open(2)](https://man7.org/linux/man-pages/man2/open.2.html)
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
///
/// # References
/// - [OpenBSD open(2)](https://man.openbsd.org/open.2)
/// - [DragonFly open(2)](https://man.dragonflybsd.org/?command=open&section=2)
/// - [Linux open(2)](https://man7.org/linux/man-pages/man2/open.2.html)
/// - [OpenBSD chmod(2)](https://man.openbsd.org/chmod.2)
/// - [DragonFly chmod(2)](https://man.dragonflybsd.org/?command=chmod&section=2)
/// - [Linux chmod(2)](https://man7.org/linux/man-pages/man2/chmod.2.html)
#[doc(alias = "mode_t")]
pub type Mode = libc::mode_t;

/// `AT_FDCWD`: makes [`openat`] resolve a relative path against the current directory.
///
/// # Platform
/// -100 on OpenBSD and Linux; 0xFFFAFDCD on DragonFly.
pub const AT_FDCWD: RawFd = libc::AT_FDCWD;

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
/// # Platform
/// `fd` must be open for reading, else `Errno::BADF`; both ends of an OpenBSD or DragonFly pipe
/// are (so either end can be read from), a Linux pipe's are not (see [`pipe2`]).
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
/// # Platform
/// `fd` must be open for writing, else `Errno::BADF`; both ends of an OpenBSD or DragonFly pipe
/// are (so either end can be written to), a Linux pipe's are not (see [`pipe2`]).
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

mod ext;
mod fcntl;
mod vectored;
pub use self::ext::*;
pub use self::fcntl::*;
pub use self::vectored::*;
