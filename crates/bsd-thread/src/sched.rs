//! Scheduling: yielding the CPU and counting the CPUs this process may use.

use std::num::NonZeroUsize;

use bsd_sys::Result;

/// Offers the CPU to another runnable thread; returns when this thread is scheduled again.
///
/// # References
/// - [OpenBSD sched_yield(2)](https://man.openbsd.org/sched_yield.2)
/// - [DragonFly sched_yield(2)](https://man.dragonflybsd.org/?command=sched_yield&section=2)
/// - [Linux sched_yield(2)](https://man7.org/linux/man-pages/man2/sched_yield.2.html)
///
/// # Examples
/// A spin-then-yield wait for a flag another thread sets:
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
///
/// static READY: AtomicBool = AtomicBool::new(false);
/// let t = std::thread::spawn(|| READY.store(true, Ordering::Release));
/// while !READY.load(Ordering::Acquire) {
///     bsd_thread::yield_now(); // let the setter run, even on one CPU
/// }
/// t.join().unwrap();
/// ```
#[doc(alias = "sched_yield")]
#[inline]
pub fn yield_now() {
    bsd_sys::thread::sched_yield()
}

/// The number of CPUs this process can run on (always at least 1 on success).
///
/// Read from the kernel on every call; not cached.
///
/// # Errors
/// The kernel's error from the sysctl or affinity call (rare), or `Errno::INVAL` if it reports
/// zero CPUs.
///
/// # Platform
/// - OpenBSD: sysctl `hw.ncpuonline` (CPUs online, which excludes SMT siblings disabled by
///   `hw.smt=0`), falling back to `hw.ncpu`.
/// - DragonFly: sysctl `hw.ncpu`.
/// - Linux: the CPUs in the calling thread's affinity mask, so `taskset` and cgroup cpusets
///   are honoured (CPU quotas are not).
///
/// # References
/// - [OpenBSD sysctl(2)](https://man.openbsd.org/sysctl.2)
/// - [DragonFly sysctl(3)](https://man.dragonflybsd.org/?command=sysctl&section=3)
/// - [Linux sched_getaffinity(2)](https://man7.org/linux/man-pages/man2/sched_getaffinity.2.html)
///
/// # Examples
/// ```
/// let cpus = bsd_thread::cpu_count()?;
/// // A pool of one worker per CPU, as std's `available_parallelism` would size it.
/// let workers: Vec<_> = (0..cpus.get()).map(|i| std::thread::spawn(move || i)).collect();
/// assert_eq!(workers.into_iter().map(|w| w.join().unwrap()).count(), cpus.get());
/// # Ok::<(), bsd_thread::Errno>(())
/// ```
#[doc(alias = "hw.ncpuonline")]
#[doc(alias = "hw.ncpu")]
#[doc(alias = "sched_getaffinity")]
pub fn cpu_count() -> Result<NonZeroUsize> {
    let n = bsd_sys::thread::cpu_count()?;
    NonZeroUsize::new(n).ok_or(bsd_sys::Errno::INVAL)
}
