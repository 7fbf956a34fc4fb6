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
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let null = fd::open(c"/dev/null", libc::O_RDONLY | libc::O_CLOEXEC, 0)?;
/// // SAFETY: `null` was opened above, is used only here and closed once.
/// let st: fd::Stat = unsafe { fd::fstat(null)? };
/// assert_eq!(st.st_mode & libc::S_IFMT, libc::S_IFCHR, "a character device");
/// # unsafe { fd::close(null)? };
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD fstat(2)](https://man.openbsd.org/fstat.2)
/// - [DragonFly fstat(2)](https://man.dragonflybsd.org/?command=fstat&section=2)
/// - [Linux fstat(2)](https://man7.org/linux/man-pages/man2/fstat.2.html)
#[doc(alias = "stat")]
pub type Stat = libc::stat;

/// One entry of a [`poll`] set (`struct pollfd { int fd; short events; short revents; }`).
///
/// # Examples
/// ```
/// use bsd_sys::fd::PollFd;
/// use bsd_sys::libc::POLLIN;
///
/// // Ask for readability of descriptor 0; the kernel fills `revents`.
/// let entry = PollFd { fd: 0, events: POLLIN, revents: 0 };
/// assert_eq!(entry.events, POLLIN);
/// ```
///
/// # References
/// - [OpenBSD poll(2)](https://man.openbsd.org/poll.2)
/// - [DragonFly poll(2)](https://man.dragonflybsd.org/?command=poll&section=2)
/// - [Linux poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html)
#[doc(alias = "pollfd")]
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
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// let spare = fd::open(c"/dev/null", libc::O_WRONLY | libc::O_CLOEXEC, 0)?;
/// let mut buf = [0u8; 3];
/// // SAFETY: every descriptor here was created above and is ours; `spare` is replaced by a
/// // duplicate of `w`, and each is closed once.
/// unsafe {
///     assert_eq!(fd::dup2(w, spare)?, spare);
///     assert_eq!(fd::fcntl_getfd(spare)? & libc::FD_CLOEXEC, 0, "dup2 clears close-on-exec");
///     fd::write(spare, b"dup")?; // now goes into the pipe, not to /dev/null
///     fd::read(r, &mut buf)?;
///     for d in [spare, r, w] {
///         fd::close(d)?;
///     }
/// }
/// assert_eq!(&buf, b"dup");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, Errno};
///
/// let [r, w] = fd::pipe2(0)?;
/// let spare = fd::open(c"/dev/null", libc::O_WRONLY, 0)?;
/// // SAFETY: every descriptor here was created above and is ours; `spare` is replaced by a
/// // duplicate of `w`, and each is closed once.
/// unsafe {
///     assert_eq!(fd::dup3(w, spare, libc::O_CLOEXEC)?, spare);
///     assert_eq!(fd::fcntl_getfd(spare)? & libc::FD_CLOEXEC, libc::FD_CLOEXEC);
///     assert_eq!(fd::dup3(w, w, 0), Err(Errno::INVAL), "unlike dup2, the same number is refused");
///     for d in [spare, r, w] {
///         fd::close(d)?;
///     }
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD dup3(2)](https://man.openbsd.org/dup3.2)
/// - [DragonFly dup3(3)](https://man.dragonflybsd.org/?command=dup3&section=3)
/// - [Linux dup3(2)](https://man7.org/linux/man-pages/man2/dup3.2.html)
#[doc(alias = "F_DUP2FD")]
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
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, Errno};
///
/// # let path = format!("{}/bsd-sys-doc-{}", std::env::temp_dir().display(), std::process::id());
/// # let path = std::ffi::CString::new(path).unwrap();
/// # let f = fd::open(&path, libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC, 0o600)?;
/// # std::fs::remove_file(path.to_str().unwrap()).unwrap();
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// let mut buf = [0u8; 4];
/// // SAFETY: every descriptor here was created above, is used only here and closed once.
/// unsafe {
///     fd::write(f, b"hello")?;
///     assert_eq!(fd::lseek(f, 0, libc::SEEK_CUR)?, 5);
///     assert_eq!(fd::lseek(f, 1, libc::SEEK_SET)?, 1);
///     fd::read(f, &mut buf)?;
///     assert_eq!(fd::lseek(r, 0, libc::SEEK_CUR), Err(Errno::SPIPE));
///     for d in [f, r, w] {
///         fd::close(d)?;
///     }
/// }
/// assert_eq!(&buf, b"ello");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// # let path = format!("{}/bsd-sys-doc-{}", std::env::temp_dir().display(), std::process::id());
/// # let path = std::ffi::CString::new(path).unwrap();
/// # let f = fd::open(&path, libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC, 0o600)?;
/// # std::fs::remove_file(path.to_str().unwrap()).unwrap();
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: every descriptor here was created above, is used only here and closed once.
/// unsafe {
///     fd::write(f, b"12345")?;
///     let st = fd::fstat(f)?;
///     assert_eq!((st.st_mode & libc::S_IFMT, st.st_size), (libc::S_IFREG, 5));
///     assert_eq!(fd::fstat(r)?.st_mode & libc::S_IFMT, libc::S_IFIFO);
///     for d in [f, r, w] {
///         fd::close(d)?;
///     }
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// # let path = format!("{}/bsd-sys-doc-{}", std::env::temp_dir().display(), std::process::id());
/// # let path = std::ffi::CString::new(path).unwrap();
/// # let f = fd::open(&path, libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC, 0o600)?;
/// # std::fs::remove_file(path.to_str().unwrap()).unwrap();
/// let mut buf = [0u8; 7];
/// // SAFETY: `f` was opened above, is used only here and closed once.
/// unsafe {
///     fd::write(f, b"durable")?;
///     fd::fsync(f)?; // data and metadata are on the device when this returns
///     fd::pread(f, &mut buf, 0)?;
///     fd::close(f)?;
/// }
/// assert_eq!(&buf, b"durable");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{fd, libc};
///
/// # let path = format!("{}/bsd-sys-doc-{}", std::env::temp_dir().display(), std::process::id());
/// # let path = std::ffi::CString::new(path).unwrap();
/// # let f = fd::open(&path, libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC, 0o600)?;
/// # std::fs::remove_file(path.to_str().unwrap()).unwrap();
/// let mut buf = [0u8; 4];
/// // SAFETY: `f` was opened above, is used only here and closed once.
/// unsafe {
///     fd::pwrite(f, b"data", 0)?;
///     fd::fdatasync(f)?; // the data (not necessarily the times) are on the device
///     fd::pread(f, &mut buf, 0)?;
///     fd::close(f)?;
/// }
/// assert_eq!(&buf, b"data");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, Errno};
///
/// # let path = format!("{}/bsd-sys-doc-{}", std::env::temp_dir().display(), std::process::id());
/// # let path = std::ffi::CString::new(path).unwrap();
/// # let f = fd::open(&path, libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC, 0o600)?;
/// # std::fs::remove_file(path.to_str().unwrap()).unwrap();
/// // SAFETY: `f` was opened above, is used only here and closed once.
/// unsafe {
///     fd::ftruncate(f, 4096)?;
///     assert_eq!(fd::fstat(f)?.st_size, 4096);
///     fd::ftruncate(f, 0)?;
///     assert_eq!(fd::fstat(f)?.st_size, 0);
///     assert_eq!(fd::ftruncate(f, -1), Err(Errno::INVAL));
///     fd::close(f)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::fd::{self, PollFd};
/// use bsd_sys::libc;
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// let mut set = [PollFd { fd: r, events: libc::POLLIN, revents: 0 }];
/// // SAFETY: both ends were created above, are used only here and closed once.
/// unsafe {
///     assert_eq!(fd::poll(&mut set, 0)?, 0, "nothing to read yet");
///     fd::write(w, b"!")?;
///     assert_eq!(fd::poll(&mut set, 1000)?, 1);
///     assert_ne!(set[0].revents & libc::POLLIN, 0);
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, Errno};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY: this example owns every descriptor from 64 up (it is its own process and opens
/// // only these), so closing them takes nothing from anybody else.
/// unsafe {
///     let high = fd::fcntl_dupfd_cloexec(r, 64)?;
///     fd::closefrom(high)?;
///     assert_eq!(fd::fcntl_getfd(high), Err(Errno::BADF), "closed");
///     assert!(fd::fcntl_getfd(r).is_ok(), "below `min`: untouched");
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
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
