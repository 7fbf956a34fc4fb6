//! The process concern: `issetugid`, the auxiliary vector, naming a thread of this process by
//! its id, and ending the process.

use core::ffi::{c_int, CStr};

use crate::backend::imp;
use crate::{Result, ThreadId};

/// Auxiliary-vector key: the page size (6 on every supported OS).
pub const AT_PAGESZ: c_int = 6;
/// Auxiliary-vector key: CPU feature bits (OpenBSD 25 per `sys/sys/auxv.h`; Linux 16).
pub const AT_HWCAP: c_int = if cfg!(target_os = "linux") { 16 } else { 25 };
/// Auxiliary-vector key: more CPU feature bits (26 on OpenBSD and Linux).
pub const AT_HWCAP2: c_int = 26;
/// Auxiliary-vector key (Linux only): whether the program runs in secure mode (23,
/// `include/uapi/linux/auxvec.h`).
#[cfg(target_os = "linux")]
pub const AT_SECURE: c_int = 23;

/// Whether the process is "tainted" by a set-user-ID or set-group-ID exec (or, on Linux, any
/// other secure-mode exec such as file capabilities).
///
/// # Platform
/// - OpenBSD, DragonFly: `issetugid(2)` (the raw DragonFly backend uses syscall 253). It stays
///   true after the process drops privileges, until the next plain exec.
/// - Linux: `getauxval(AT_SECURE) != 0` (the aux vector the kernel passed at exec; the same on
///   both backends). Linux has no system call for it.
///
/// # Examples
/// ```
/// // A test run by its own user is no set-user-ID program.
/// assert!(!bsd_sys::process::issetugid());
/// ```
///
/// # References
/// - [OpenBSD issetugid(2)](https://man.openbsd.org/issetugid.2)
/// - [DragonFly issetugid(2)](https://man.dragonflybsd.org/?command=issetugid&section=2)
/// - [Linux getauxval(3)](https://man7.org/linux/man-pages/man3/getauxval.3.html)
#[doc(alias = "AT_SECURE")]
#[must_use]
#[inline]
pub fn issetugid() -> bool {
    imp::process::issetugid()
}

/// The value of auxiliary-vector entry `key` (`AT_PAGESZ`, `AT_HWCAP`, ...).
///
/// # Errors
/// `Errno::NOENT` when the vector has no such entry; `Errno::INVAL` for a key out of range
/// (OpenBSD); `Errno::NOSYS` on DragonFly.
///
/// # Platform
/// - OpenBSD: `elf_aux_info(3)`, in libc since OpenBSD 7.6 (`lib/libc/gen/elf_aux_info.c`
///   rev 1.1, 2024-07-14). It answers only `AT_PAGESZ` (an `int`), `AT_HWCAP` and `AT_HWCAP2`
///   (`unsigned long`s); every other key is `ENOENT` (rev 1.2).
/// - DragonFly: no public interface: 6.4's libc exports neither `elf_aux_info` nor `getauxval`
///   (`lib/libc/*/Symbol.map` at master `fcc705f5`).
/// - Linux: `getauxval(3)`, on both backends (no system call reads the vector).
///
/// # Examples
/// ```
/// use bsd_sys::process::{self, AT_PAGESZ};
///
/// if cfg!(target_os = "dragonfly") {
///     assert_eq!(process::aux_value(AT_PAGESZ), Err(bsd_sys::Errno::NOSYS));
/// } else {
///     assert_eq!(process::aux_value(AT_PAGESZ)?, bsd_sys::mem::page_size()?);
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD elf_aux_info(3)](https://man.openbsd.org/elf_aux_info.3)
/// - [Linux getauxval(3)](https://man7.org/linux/man-pages/man3/getauxval.3.html)
#[doc(alias = "elf_aux_info")]
#[doc(alias = "getauxval")]
#[inline]
pub fn aux_value(key: c_int) -> Result<usize> {
    imp::process::aux_value(key)
}

/// Names thread `tid` of this process (the calling thread or another).
///
/// The length is not checked here; see `thread::THREAD_NAME_MAX`.
///
/// # Errors
/// `Errno::SRCH` if no thread of this process has that id (it exited, or never was);
/// on OpenBSD `Errno::INVAL` for a name of 24 bytes or more. DragonFly (past 1023 bytes) and
/// Linux (past 15) truncate silently, so callers that care check the length (bsd-thread does).
///
/// # Platform
/// - OpenBSD: `setthrname(2)` (OpenBSD 7.3 and later), which looks the id up in the calling
///   process only and returns its error number instead of setting `errno`
///   (`sys_setthrname` in `sys/kern/kern_prot.c` rev 1.83).
/// - DragonFly: `lwp_setname(2)` (syscall 542 in the raw backend; libc otherwise). The kernel
///   keeps up to 1023 bytes and truncates longer names silently (`sys_lwp_setname` in
///   `sys/kern/kern_prot.c`, `LPMAP_MAXTHREADTITLE` in `sys/sys/upmap.h`, at `fcc705f5`).
/// - Linux: writes `/proc/self/task/<tid>/comm` (what `pthread_setname_np` does for another
///   thread; the kernel keeps 15 bytes).
///
/// # Examples
/// ```
/// use bsd_sys::{process, thread};
///
/// process::set_thread_name(thread::gettid(), c"doc-worker")?;
/// let mut buf = [0u8; thread::THREAD_NAME_MAX + 1];
/// let len = thread::current_name(&mut buf)?;
/// assert_eq!(&buf[..len], b"doc-worker");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD setthrname(2)](https://man.openbsd.org/setthrname.2)
/// - [DragonFly lwp_setname(2)](https://man.dragonflybsd.org/?command=lwp_setname&section=2)
/// - [Linux proc(5)](https://man7.org/linux/man-pages/man5/proc.5.html)
#[doc(alias = "setthrname")]
#[doc(alias = "lwp_setname")]
pub fn set_thread_name(tid: ThreadId, name: &CStr) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        linux_set_comm(tid, name)
    }
    #[cfg(not(target_os = "linux"))]
    {
        imp::process::set_thread_name(tid, name)
    }
}

#[cfg(target_os = "linux")]
fn linux_set_comm(tid: ThreadId, name: &CStr) -> Result<()> {
    use crate::fd;
    // "/proc/self/task/" + up to 10 digits + "/comm" + NUL.
    let mut path = [0u8; 40];
    let mut len = 0;
    let mut push = |bytes: &[u8]| {
        path[len..len + bytes.len()].copy_from_slice(bytes);
        len += bytes.len();
    };
    push(b"/proc/self/task/");
    let raw = tid.raw();
    if raw <= 0 {
        return Err(crate::Errno::SRCH);
    }
    let mut digits = [0u8; 10];
    let mut n = raw as u32;
    let mut d = digits.len();
    while n > 0 {
        d -= 1;
        digits[d] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    push(&digits[d..]);
    push(b"/comm\0");
    let path = CStr::from_bytes_with_nul(&path[..len]).map_err(|_| crate::Errno::INVAL)?;
    let fd = match fd::open(path, libc::O_WRONLY | libc::O_CLOEXEC, 0) {
        Ok(fd) => fd,
        Err(crate::Errno::NOENT) => return Err(crate::Errno::SRCH),
        Err(e) => return Err(e),
    };
    // SAFETY: `fd` was just opened here and is closed below; nothing else uses it.
    let written = unsafe { fd::write(fd, name.to_bytes()) };
    // SAFETY: as above; this is the only close.
    let closed = unsafe { fd::close(fd) };
    match written {
        Ok(n) if n == name.to_bytes().len() => closed,
        Ok(_) => Err(crate::Errno::INVAL),
        Err(e) => Err(e),
    }
}

/// Ends the process with status `code` after the C library's `atexit` handlers and stdio
/// flushing; Rust destructors of live values do not run.
///
/// # Platform
/// `exit(3)` of the C library on every backend (the handlers live there).
///
/// # Examples
/// ```
/// use bsd_sys::process;
///
/// // SAFETY: fork in a single-threaded doctest; the child only calls the exit function.
/// let child = unsafe { bsd_sys::libc::fork() };
/// assert!(child >= 0);
/// if child == 0 {
///     process::exit(3);
/// }
/// let mut status = 0;
/// // SAFETY: `status` is a writable int; `child` is our child.
/// assert_eq!(unsafe { bsd_sys::libc::waitpid(child, &mut status, 0) }, child);
/// assert!(bsd_sys::libc::WIFEXITED(status));
/// assert_eq!(bsd_sys::libc::WEXITSTATUS(status), 3);
/// ```
///
/// # References
/// - [OpenBSD exit(3)](https://man.openbsd.org/exit.3)
/// - [DragonFly exit(3)](https://man.dragonflybsd.org/?command=exit&section=3)
/// - [Linux exit(3)](https://man7.org/linux/man-pages/man3/exit.3.html)
#[inline]
pub fn exit(code: c_int) -> ! {
    // SAFETY: exit(3) has no memory-safety preconditions; it never returns.
    unsafe { libc::exit(code) }
}

/// Ends the process at once with status `code`: no `atexit` handlers, no stdio flush, every
/// thread stops. Async-signal-safe, so it is the way out of a child after `fork`.
///
/// # Platform
/// - OpenBSD: libc `_exit(2)`.
/// - DragonFly: `exit` syscall 1 in the raw backend (`sys_exit` calls `exit1()`, which ends
///   every LWP of the process: `sys/kern/kern_exit.c`); libc `_exit` otherwise.
/// - Linux: `exit_group` in the raw backend (plain `exit` would end only the calling thread);
///   libc `_exit` otherwise.
///
/// # Examples
/// ```
/// use bsd_sys::process;
///
/// // SAFETY: fork in a single-threaded doctest; the child only calls the exit function.
/// let child = unsafe { bsd_sys::libc::fork() };
/// assert!(child >= 0);
/// if child == 0 {
///     process::_exit(42);
/// }
/// let mut status = 0;
/// // SAFETY: `status` is a writable int; `child` is our child.
/// assert_eq!(unsafe { bsd_sys::libc::waitpid(child, &mut status, 0) }, child);
/// assert!(bsd_sys::libc::WIFEXITED(status));
/// assert_eq!(bsd_sys::libc::WEXITSTATUS(status), 42);
/// ```
///
/// # References
/// - [OpenBSD _exit(2)](https://man.openbsd.org/_exit.2)
/// - [DragonFly _exit(2)](https://man.dragonflybsd.org/?command=_exit&section=2)
/// - [Linux _exit(2)](https://man7.org/linux/man-pages/man2/_exit.2.html)
#[doc(alias = "exit_group")]
#[inline]
pub fn _exit(code: c_int) -> ! {
    imp::process::exit_now(code)
}
