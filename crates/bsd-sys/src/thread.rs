//! The thread concern: thread ids, futex-style wait/wake, yield, CPU count and thread names.
//!
//! Every function here is safe: the futex calls take a `&AtomicU32` (aligned, live, and only ever
//! read by the kernel while the call runs), the name calls copy into and out of buffers the
//! function owns, and the kernel validates the rest.
//!
//! Thread creation and exit (`__tfork`, `__threxit`, `lwp_create`, `extexit`) are deliberately not
//! here: a thread the C library did not create has no thread control block, TLS or `errno`, so any
//! libc call from it is undefined behaviour. Threads are created through pthreads: the
//! `pthread` module (with the `std` feature) or `std::thread`.

use core::ffi::CStr;
use core::sync::atomic::AtomicU32;

use crate::backend::imp;
use crate::{Errno, Result, ThreadId, Timespec};

/// The kernel id of the calling thread; see [`ThreadId`].
///
/// # Examples
/// ```
/// let tid = bsd_sys::thread::gettid();
/// assert_eq!(tid, bsd_sys::ThreadId::current());
/// if cfg!(target_os = "linux") {
///     // Only on Linux is the main thread's id the process id.
///     assert_eq!(tid.raw(), bsd_sys::Pid::current().raw());
/// }
/// ```
///
/// # References
/// - [OpenBSD getthrid(2)](https://man.openbsd.org/getthrid.2)
/// - [DragonFly lwp_gettid(2)](https://man.dragonflybsd.org/?command=lwp_gettid&section=2)
/// - [Linux gettid(2)](https://man7.org/linux/man-pages/man2/gettid.2.html)
#[doc(alias = "getthrid")]
#[doc(alias = "lwp_gettid")]
#[inline]
#[must_use]
pub fn gettid() -> ThreadId {
    imp::thread::gettid()
}

/// Sleeps while `*word == expected`, until woken, interrupted or `timeout` (relative) passes.
///
/// One kernel call, no retry and no loop: the caller re-checks the word and decides. `None`
/// waits without a timeout (but see DragonFly below). The wait is process-private.
///
/// # Errors
/// The error numbers differ per OS for the same event:
///
/// | event | OpenBSD | DragonFly | Linux |
/// |---|---|---|---|
/// | `*word != expected` | `EAGAIN` | `EBUSY` | `EAGAIN` |
/// | timeout passed | `ETIMEDOUT` | `EWOULDBLOCK` (= `EAGAIN`) | `ETIMEDOUT` |
/// | a signal arrived | `EINTR`, or `ECANCELED` for an `SA_RESTART` handler | `EINTR` | `EINTR` |
/// | negative `timeout` | `EINVAL` | `EINVAL` | `EINVAL` |
///
/// A return of `Ok(())` means "woken", which may be spurious on every OS.
///
/// # Platform
/// - OpenBSD: `futex(FUTEX_WAIT | FUTEX_PRIVATE_FLAG)`. A zero timeout is an immediate
///   `ETIMEDOUT`, answered before the word is read; a non-zero one reads the word first. The
///   timeout is rounded up to clock ticks; there is no per-call cap short of `MAXTSLP`
///   (`UINT64_MAX - 1` ns: `futex_wait` in `sys/kern/sys_futex.c` rev 1.26, `sys/sys/systm.h`).
///   Older releases (`sys_futex.c` rev 1.9) returned the error number instead of setting
///   `errno`; both forms are accepted.
/// - DragonFly: `umtx_sleep(2)`, whose timeout is in **microseconds** with 0 meaning "forever".
///   `timeout` is rounded up to whole microseconds (a zero timeout becomes 1 µs), which the
///   kernel rounds up to clock ticks (`sys_umtx_sleep` in `sys/kern/kern_umtx.c`), so the
///   shortest sleep is about one tick; it is clamped to
///   `i32::MAX` µs. The kernel caps every sleep at `kern.umtx_timeout_max` (2 s by default), so
///   even `None` returns `EWOULDBLOCK` after about 2 s (sys/kern/kern_umtx.c). Keyed by physical
///   address, which is harmless for private memory.
/// - Linux: `futex(FUTEX_WAIT_PRIVATE)`.
///
/// # Examples
/// ```
/// use core::sync::atomic::AtomicU32;
/// use bsd_sys::{thread, Errno, Timespec};
///
/// let word = AtomicU32::new(0);
/// // The word is not the expected value: no sleep at all.
/// let busy = if cfg!(target_os = "dragonfly") { Errno::BUSY } else { Errno::AGAIN };
/// assert_eq!(thread::futex_wait(&word, 1, None), Err(busy));
/// // It is, and nobody wakes us: the timeout passes.
/// let timed_out = if cfg!(target_os = "dragonfly") { Errno::AGAIN } else { Errno::TIMEDOUT };
/// let ms = Timespec::new(0, 1_000_000).unwrap();
/// assert_eq!(thread::futex_wait(&word, 0, Some(ms)), Err(timed_out));
/// ```
///
/// # References
/// - [OpenBSD futex(2)](https://man.openbsd.org/futex.2)
/// - [DragonFly umtx(2)](https://man.dragonflybsd.org/?command=umtx&section=2)
/// - [Linux futex(2)](https://man7.org/linux/man-pages/man2/futex.2.html)
#[doc(alias = "futex")]
#[doc(alias = "umtx_sleep")]
#[doc(alias = "FUTEX_WAIT")]
#[inline]
pub fn futex_wait(word: &AtomicU32, expected: u32, timeout: Option<Timespec>) -> Result<()> {
    if let Some(t) = timeout {
        if t < Timespec::ZERO {
            return Err(Errno::INVAL);
        }
    }
    imp::thread::futex_wait(word, expected, timeout)
}

/// Wakes at most one thread sleeping in [`futex_wait`] on `word`.
///
/// Returns how many threads were woken where the OS tells (`Some(0)` or `Some(1)`), `None` where
/// it does not (DragonFly).
///
/// # Platform
/// - OpenBSD, Linux: `futex(FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1)`, which returns the count.
/// - DragonFly: `umtx_wakeup(word, 1)`, which returns 0 whether or not anyone slept.
///
/// # Examples
/// ```
/// use core::sync::atomic::{AtomicU32, Ordering};
/// use bsd_sys::thread;
///
/// let ready = AtomicU32::new(0);
/// std::thread::scope(|s| {
///     s.spawn(|| {
///         // Sleep until the word changes (re-checking after every wake, spurious or not).
///         while ready.load(Ordering::Acquire) == 0 {
///             let _ = thread::futex_wait(&ready, 0, None);
///         }
///     });
///     ready.store(1, Ordering::Release);
///     let woken = thread::futex_wake_one(&ready).unwrap();
///     assert!(woken.map_or(true, |n| n <= 1)); // DragonFly does not say
/// }); // the waiter returned, or the scope would not end
/// ```
///
/// # References
/// - [OpenBSD futex(2)](https://man.openbsd.org/futex.2)
/// - [DragonFly umtx(2)](https://man.dragonflybsd.org/?command=umtx&section=2)
/// - [Linux futex(2)](https://man7.org/linux/man-pages/man2/futex.2.html)
#[doc(alias = "umtx_wakeup")]
#[doc(alias = "FUTEX_WAKE")]
#[inline]
pub fn futex_wake_one(word: &AtomicU32) -> Result<Option<usize>> {
    imp::thread::futex_wake(word, false)
}

/// Wakes every thread sleeping in [`futex_wait`] on `word`.
///
/// Returns how many threads were woken where the OS tells, `None` where it does not (DragonFly).
///
/// # Platform
/// - OpenBSD, Linux: `futex(FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX)`.
/// - DragonFly: `umtx_wakeup(word, 0)`: any count other than 1 wakes all (sys/kern/kern_umtx.c).
///
/// # Examples
/// ```
/// use core::sync::atomic::AtomicU32;
///
/// let word = AtomicU32::new(0);
/// // Nobody sleeps on `word`: nobody is woken (DragonFly does not report a count).
/// let expected = if cfg!(target_os = "dragonfly") { None } else { Some(0) };
/// assert_eq!(bsd_sys::thread::futex_wake_all(&word), Ok(expected));
/// ```
///
/// # References
/// - [OpenBSD futex(2)](https://man.openbsd.org/futex.2)
/// - [DragonFly umtx(2)](https://man.dragonflybsd.org/?command=umtx&section=2)
/// - [Linux futex(2)](https://man7.org/linux/man-pages/man2/futex.2.html)
#[doc(alias = "umtx_wakeup")]
#[doc(alias = "FUTEX_WAKE")]
#[inline]
pub fn futex_wake_all(word: &AtomicU32) -> Result<Option<usize>> {
    imp::thread::futex_wake(word, true)
}

/// Converts a non-negative relative timeout into `umtx_sleep`'s microseconds: rounded up, at
/// least 1 (0 would mean "forever"), at most `i32::MAX`.
#[cfg(any(target_os = "dragonfly", test))]
pub(crate) fn umtx_timeout_us(timeout: Timespec) -> ::libc::c_int {
    let nanos = timeout.as_nanos();
    if nanos <= 0 {
        return 1;
    }
    let micros = (nanos + 999) / 1000;
    if micros > i32::MAX as i128 {
        i32::MAX
    } else {
        micros as i32
    }
}

/// Offers the CPU to another runnable thread.
///
/// Cannot fail on any supported OS.
///
/// # Examples
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
///
/// let done = AtomicBool::new(false);
/// std::thread::scope(|s| {
///     s.spawn(|| done.store(true, Ordering::Release));
///     while !done.load(Ordering::Acquire) {
///         bsd_sys::thread::sched_yield(); // let the other thread run
///     }
/// });
/// assert!(done.into_inner());
/// ```
///
/// # References
/// - [OpenBSD sched_yield(2)](https://man.openbsd.org/sched_yield.2)
/// - [DragonFly sched_yield(2)](https://man.dragonflybsd.org/?command=sched_yield&section=2)
/// - [Linux sched_yield(2)](https://man7.org/linux/man-pages/man2/sched_yield.2.html)
#[inline]
pub fn sched_yield() {
    imp::thread::sched_yield()
}

/// The number of CPUs available to this process, as each OS counts them.
///
/// # Platform
/// - OpenBSD: sysctl `hw.ncpuonline`, then `hw.ncpu` if that fails or says 0 (`hw.ncpu` counts
///   CPUs disabled by `hw.smt=0` too). OpenBSD has no CPU affinity for user processes.
/// - DragonFly: sysctl `hw.ncpu`, every CPU of the machine. An affinity mask set with
///   `lwp_setaffinity(2)` (system call 544, `sys/kern/syscalls.master` at the 6.4 branch
///   point, commit 81dd9c6184) is not taken into account.
/// - Linux: the number of CPUs in the calling thread's affinity mask (`sched_getaffinity`).
///
/// # Errors
/// The kernel's error, or `EINVAL` if it reports zero CPUs.
///
/// # Examples
/// ```
/// let cpus = bsd_sys::thread::cpu_count()?;
/// assert!(cpus >= 1);
/// // On Linux std counts the same affinity mask, and may lower it for a cgroup CPU quota.
/// #[cfg(target_os = "linux")]
/// assert!(cpus >= std::thread::available_parallelism()?.get());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// - [OpenBSD sysctl(2)](https://man.openbsd.org/sysctl.2)
/// - [DragonFly sysctl(3)](https://man.dragonflybsd.org/?command=sysctl&section=3)
/// - [Linux sched_getaffinity(2)](https://man7.org/linux/man-pages/man2/sched_getaffinity.2.html)
#[doc(alias = "hw.ncpuonline")]
#[doc(alias = "hw.ncpu")]
#[doc(alias = "sched_getaffinity")]
pub fn cpu_count() -> Result<usize> {
    match imp::thread::cpu_count()? {
        0 => Err(Errno::INVAL),
        n => Ok(n),
    }
}

/// The longest thread name, in bytes without the terminating NUL, this OS keeps in full.
///
/// - OpenBSD: 23 (`MAXCOMLEN`; `setthrname(2)`, behind `pthread_set_name_np` since 7.3, refuses
///   longer names with `EINVAL`).
/// - DragonFly: 1023 since 5.8 (`LPMAP_MAXTHREADTITLE` 1024 with the NUL, `sys/sys/upmap.h`;
///   `lwp_setname(2)` silently truncates longer names). Before 5.8 it was `MAXCOMLEN` (16).
/// - Linux: 15 (`TASK_COMM_LEN` 16 with the NUL).
///
/// See [`set_current_name`] for an example.
///
/// # References
/// - [OpenBSD setthrname(2)](https://man.openbsd.org/setthrname.2)
/// - [DragonFly lwp_setname(2)](https://man.dragonflybsd.org/?command=lwp_setname&section=2)
/// - [Linux prctl(2)](https://man7.org/linux/man-pages/man2/prctl.2.html) (`PR_SET_NAME`)
#[doc(alias = "MAXCOMLEN")]
#[doc(alias = "TASK_COMM_LEN")]
pub const THREAD_NAME_MAX: usize = imp::thread::THREAD_NAME_MAX;

/// Names the calling thread `name`.
///
/// The length is checked here so a name is never silently truncated.
///
/// # Errors
/// `ERANGE` if `name` is longer than [`THREAD_NAME_MAX`] bytes; otherwise the OS's error.
///
/// # Platform
/// - OpenBSD: `pthread_set_name_np(pthread_self(), name)` (it returns nothing).
/// - DragonFly: `pthread_setname_np` (libc backend) or `lwp_setname(lwp_gettid(), name)` (raw).
/// - Linux: `pthread_setname_np` (libc backend) or `prctl(PR_SET_NAME)` (raw).
///
/// # Examples
/// ```
/// use bsd_sys::{thread, Errno};
///
/// thread::set_current_name(c"sampler")?;
/// let mut buf = [0u8; thread::THREAD_NAME_MAX + 1];
/// let len = thread::current_name(&mut buf)?;
/// assert_eq!(&buf[..len], b"sampler");
/// // Too long for this OS: refused, never cut short.
/// let long = std::ffi::CString::new(vec![b'x'; thread::THREAD_NAME_MAX + 1]).unwrap();
/// assert_eq!(thread::set_current_name(&long), Err(Errno::RANGE));
/// # Ok::<(), Errno>(())
/// ```
///
/// # References
/// - [OpenBSD pthread_set_name_np(3)](https://man.openbsd.org/pthread_set_name_np.3)
/// - [DragonFly lwp_setname(2)](https://man.dragonflybsd.org/?command=lwp_setname&section=2)
/// - [Linux pthread_setname_np(3)](https://man7.org/linux/man-pages/man3/pthread_setname_np.3.html)
/// - [Linux prctl(2)](https://man7.org/linux/man-pages/man2/prctl.2.html)
#[doc(alias = "pthread_set_name_np")]
#[doc(alias = "pthread_setname_np")]
#[doc(alias = "lwp_setname")]
#[doc(alias = "PR_SET_NAME")]
pub fn set_current_name(name: &CStr) -> Result<()> {
    if name.to_bytes().len() > THREAD_NAME_MAX {
        return Err(Errno::RANGE);
    }
    imp::thread::set_current_name(name)
}

/// Reads the calling thread's name into `buf` and returns its length (the bytes before the NUL).
///
/// # Errors
/// `ERANGE` if `buf` is not longer than [`THREAD_NAME_MAX`] (room for the name and its NUL);
/// otherwise the OS's error.
///
/// # Platform
/// - OpenBSD: `pthread_get_name_np(pthread_self(), ...)`.
/// - DragonFly: `pthread_getname_np` (libc backend) or `lwp_getname(lwp_gettid(), ...)` (raw).
/// - Linux: `pthread_getname_np` (libc backend) or `prctl(PR_GET_NAME)` (raw).
///
/// # Examples
/// ```
/// use bsd_sys::{thread, Errno};
///
/// // std names the OS thread too, so the kernel reports the name given to the builder.
/// let name = std::thread::Builder::new()
///     .name("worker".into())
///     .spawn(|| {
///         let mut buf = [0u8; thread::THREAD_NAME_MAX + 1];
///         let len = thread::current_name(&mut buf)?;
///         assert_eq!(thread::current_name(&mut [0u8; 4]), Err(Errno::RANGE)); // too small
///         Ok::<_, Errno>(buf[..len].to_vec())
///     })
///     .unwrap()
///     .join()
///     .unwrap()?;
/// assert_eq!(name, b"worker");
/// # Ok::<(), Errno>(())
/// ```
///
/// # References
/// - [OpenBSD pthread_get_name_np(3)](https://man.openbsd.org/pthread_get_name_np.3)
/// - [DragonFly lwp_getname(2)](https://man.dragonflybsd.org/?command=lwp_getname&section=2)
/// - [Linux pthread_getname_np(3)](https://man7.org/linux/man-pages/man3/pthread_getname_np.3.html)
/// - [Linux prctl(2)](https://man7.org/linux/man-pages/man2/prctl.2.html)
#[doc(alias = "pthread_get_name_np")]
#[doc(alias = "pthread_getname_np")]
#[doc(alias = "lwp_getname")]
#[doc(alias = "PR_GET_NAME")]
pub fn current_name(buf: &mut [u8]) -> Result<usize> {
    if buf.len() <= THREAD_NAME_MAX {
        return Err(Errno::RANGE);
    }
    buf.fill(0);
    imp::thread::current_name(buf)?;
    Ok(buf.iter().position(|&b| b == 0).unwrap_or(buf.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn umtx_timeout_rounds_up_and_clamps() {
        assert_eq!(umtx_timeout_us(Timespec::ZERO), 1);
        assert_eq!(umtx_timeout_us(Timespec::new(0, 1).unwrap()), 1);
        assert_eq!(umtx_timeout_us(Timespec::new(0, 1_000).unwrap()), 1);
        assert_eq!(umtx_timeout_us(Timespec::new(0, 1_001).unwrap()), 2);
        assert_eq!(
            umtx_timeout_us(Timespec::new(2, 500_000_000).unwrap()),
            2_500_000
        );
        assert_eq!(
            umtx_timeout_us(Timespec::new(1 << 40, 0).unwrap()),
            i32::MAX
        );
    }
}
