//! The calling thread's name, as `ps`, `top` and debuggers show it.

use std::ffi::CString;

use bsd_sys::{Errno, Result, ThreadId};

/// The longest name, in bytes (UTF-8, without the terminating NUL), that [`set_current_name`]
/// accepts on this OS: 23 on OpenBSD, 1023 on DragonFly (5.8 and later), 15 on Linux.
///
/// # Platform
/// OpenBSD `MAXCOMLEN` (`sys/sys/param.h` rev 1.145); DragonFly `LPMAP_MAXTHREADTITLE` - 1
/// (`sys/sys/upmap.h`; `sys_lwp_setname` in `sys/kern/kern_prot.c` truncates longer names);
/// Linux `TASK_COMM_LEN` - 1 (`include/linux/sched.h`).
pub const MAX_NAME_LEN: usize = bsd_sys::thread::THREAD_NAME_MAX;

/// Names the calling thread.
///
/// The name is stored whole or not at all: a name the OS would truncate is refused.
///
/// # Errors
/// - `Errno::INVAL` if `name` contains a NUL byte.
/// - `Errno::RANGE` if `name` is longer than [`MAX_NAME_LEN`] bytes.
/// - The OS's error otherwise.
///
/// # Platform
/// - OpenBSD: `pthread_set_name_np`, which since 7.3 only calls `setthrname(2)`: the name is
///   kept in the kernel alone, `MAXCOMLEN` + 1 = 24 bytes with the NUL (librthread
///   `rthread_np.c` rev 1.24, `sys/sys/proc.h`). The C call reports nothing, so the length is
///   checked here.
/// - DragonFly: `pthread_setname_np` (libc backend) or `lwp_setname(2)` (raw backend, the
///   default); the kernel would silently truncate, so the length is checked here.
/// - Linux: `pthread_setname_np` (libc backend) or `prctl(PR_SET_NAME)` (raw backend).
///
/// # References
/// - [OpenBSD pthread_set_name_np(3)](https://man.openbsd.org/pthread_set_name_np.3)
/// - [DragonFly lwp_setname(2)](https://man.dragonflybsd.org/?command=lwp_setname&section=2)
/// - [Linux pthread_setname_np(3)](https://man7.org/linux/man-pages/man3/pthread_setname_np.3.html)
///
/// # Examples
/// ```
/// use bsd_thread::{current_name, set_current_name, Errno, MAX_NAME_LEN};
///
/// std::thread::spawn(|| {
///     set_current_name("io-worker")?;
///     assert_eq!(current_name()?, "io-worker");
///     let too_long = "x".repeat(MAX_NAME_LEN + 1);
///     assert_eq!(set_current_name(&too_long), Err(Errno::RANGE)); // never truncated
///     assert_eq!(current_name()?, "io-worker");
///     assert_eq!(set_current_name("a\0b"), Err(Errno::INVAL));
///     Ok::<(), Errno>(())
/// })
/// .join()
/// .unwrap()?;
/// # Ok::<(), bsd_thread::Errno>(())
/// ```
#[doc(alias = "pthread_set_name_np")]
#[doc(alias = "pthread_setname_np")]
#[doc(alias = "lwp_setname")]
#[doc(alias = "PR_SET_NAME")]
pub fn set_current_name(name: &str) -> Result<()> {
    let name = CString::new(name).map_err(|_| Errno::INVAL)?;
    bsd_sys::thread::set_current_name(&name)
}

/// The calling thread's name.
///
/// A thread nobody named reads back as the program's name on Linux (the kernel copies the
/// creator's `comm`), as an empty string on DragonFly (the per-thread title in the `lpmap` page
/// starts zero-filled: `lwp_usermap` in `sys/kern/kern_proc.c`) and on OpenBSD (`thread_fork`
/// in `sys/kern/kern_fork.c` rev 1.278 and `sys_execve` clear `p_name`; a `fork` child keeps
/// its parent thread's name). Bytes that are not UTF-8 (a
/// name set by other code) are replaced with U+FFFD.
///
/// # Errors
/// The OS's error (none is expected for the calling thread).
///
/// # Platform
/// - OpenBSD: `pthread_get_name_np`.
/// - DragonFly: `pthread_getname_np` (libc backend) or `lwp_getname(2)` (raw backend).
/// - Linux: `pthread_getname_np` (libc backend) or `prctl(PR_GET_NAME)` (raw backend).
///
/// # References
/// - [OpenBSD pthread_get_name_np(3)](https://man.openbsd.org/pthread_get_name_np.3)
/// - [DragonFly lwp_getname(2)](https://man.dragonflybsd.org/?command=lwp_getname&section=2)
/// - [Linux pthread_getname_np(3)](https://man7.org/linux/man-pages/man3/pthread_getname_np.3.html)
///
/// # Examples
/// ```
/// // std passes its thread name on to the kernel, where this reads it back.
/// let name = std::thread::Builder::new()
///     .name("reader".into())
///     .spawn(bsd_thread::current_name)
///     .unwrap()
///     .join()
///     .unwrap()?;
/// assert_eq!(name, "reader");
/// # Ok::<(), bsd_thread::Errno>(())
/// ```
#[doc(alias = "pthread_get_name_np")]
#[doc(alias = "pthread_getname_np")]
#[doc(alias = "lwp_getname")]
#[doc(alias = "PR_GET_NAME")]
pub fn current_name() -> Result<String> {
    // The kernel keeps at most THREAD_NAME_MAX bytes and the NUL on every OS; OpenBSD's
    // `pthread_get_name_np` reads the kernel's copy with getthrname(2) (librthread
    // `rthread_np.c` rev 1.24), so no userland copy can be longer.
    let mut buf = [0u8; bsd_sys::thread::THREAD_NAME_MAX + 1];
    let len = bsd_sys::thread::current_name(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf[..len]).into_owned())
}

/// Names thread `tid` of this process, from any thread.
///
/// The name is stored whole or not at all.
///
/// # Errors
/// - `Errno::INVAL` for a NUL in `name`; `Errno::RANGE` past [`MAX_NAME_LEN`].
/// - `Errno::SRCH` when no thread of this process has that id (it has exited).
///
/// # Platform
/// - OpenBSD: `setthrname(2)` (7.3 and later), which finds the id within this process only.
/// - DragonFly: `lwp_setname(2)`.
/// - Linux: writes `/proc/self/task/<tid>/comm`.
///
/// # References
/// - [OpenBSD setthrname(2)](https://man.openbsd.org/setthrname.2)
/// - [DragonFly lwp_setname(2)](https://man.dragonflybsd.org/?command=lwp_setname&section=2)
/// - [Linux proc(5)](https://man7.org/linux/man-pages/man5/proc.5.html)
///
/// # Examples
/// ```
/// use std::sync::{Arc, Barrier};
///
/// let named = Arc::new(Barrier::new(2));
/// let wait = Arc::clone(&named);
/// let worker = bsd_thread::Builder::new().spawn(move || {
///     wait.wait();
///     bsd_thread::current_name().unwrap()
/// })?;
/// bsd_thread::set_name_of(worker.id(), "renamed")?;
/// named.wait();
/// assert_eq!(worker.join().unwrap(), "renamed");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
#[doc(alias = "setthrname")]
#[doc(alias = "lwp_setname")]
pub fn set_name_of(tid: ThreadId, name: &str) -> Result<()> {
    if name.len() > MAX_NAME_LEN {
        return Err(Errno::RANGE);
    }
    let name = CString::new(name).map_err(|_| Errno::INVAL)?;
    bsd_sys::process::set_thread_name(tid, &name)
}
