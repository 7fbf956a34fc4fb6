//! The time concern: clocks, sleeping and interval timers.
//!
//! Every function here is safe: the kernel validates its arguments and reports bad ones as
//! [`Errno`](crate::Errno) values (`EINVAL` for an unknown clock or a negative sleep).

use crate::backend::imp;
use crate::{Result, Timespec};

/// A raw clock id (`clockid_t`: `c_int` on OpenBSD and Linux, `c_ulong` on DragonFly).
///
/// The `CLOCK_*` values come from [`libc`] and differ per OS (see [`clock_gettime`]).
///
/// # Examples
/// ```
/// use bsd_sys::time::{self, ClockId};
///
/// let clocks: [ClockId; 2] = [bsd_sys::libc::CLOCK_REALTIME, bsd_sys::libc::CLOCK_MONOTONIC];
/// for clock in clocks {
///     assert!(time::clock_gettime(clock)?.secs() > 0);
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD clock_gettime(2)](https://man.openbsd.org/clock_gettime.2)
/// - [DragonFly clock_gettime(2)](https://man.dragonflybsd.org/?command=clock_gettime&section=2)
/// - [Linux clock_gettime(2)](https://man7.org/linux/man-pages/man2/clock_gettime.2.html)
#[doc(alias = "clockid_t")]
pub type ClockId = libc::clockid_t;

/// An interval timer's setting: reload interval and time to the next expiry (`struct itimerval`).
///
/// # Examples
/// ```
/// use bsd_sys::libc::timeval;
/// use bsd_sys::time::Itimerval;
///
/// // Every 10 ms, first in 10 ms: the usual profiling sampler setting.
/// let every_10ms = Itimerval {
///     it_interval: timeval { tv_sec: 0, tv_usec: 10_000 },
///     it_value: timeval { tv_sec: 0, tv_usec: 10_000 },
/// };
/// assert_eq!(every_10ms.it_value.tv_usec, 10_000);
/// ```
///
/// # References
/// - [OpenBSD setitimer(2)](https://man.openbsd.org/setitimer.2)
/// - [DragonFly setitimer(2)](https://man.dragonflybsd.org/?command=setitimer&section=2)
/// - [Linux setitimer(2)](https://man7.org/linux/man-pages/man2/setitimer.2.html)
#[doc(alias = "itimerval")]
pub type Itimerval = libc::itimerval;

/// Reads clock `clock`.
///
/// # Platform
/// Clock ids differ per OS (`CLOCK_MONOTONIC` is 3 on OpenBSD, 4 on DragonFly, 1 on Linux). An
/// unknown id gives `Errno::INVAL`.
/// - DragonFly raw backend: `CLOCK_{UPTIME,MONOTONIC,REALTIME}_FAST` and `CLOCK_SECOND` are
///   read from the shared kernel page `/dev/kpmap` as DragonFly's libc does
///   (`lib/libc/upmap/ukp_clock.c`, layout in `sys/sys/upmap.h`), no system call; the other
///   clocks are one `clock_gettime` system call.
/// - Linux raw backend: the vDSO's `clock_gettime`, found from `AT_SYSINFO_EHDR`; the system
///   call when the process has no vDSO.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, time, Errno};
///
/// let a = time::clock_gettime(libc::CLOCK_MONOTONIC)?;
/// let b = time::clock_gettime(libc::CLOCK_MONOTONIC)?;
/// assert!(b >= a, "the monotonic clock never goes back");
/// assert_eq!(time::clock_gettime(9999), Err(Errno::INVAL));
/// # Ok::<(), Errno>(())
/// ```
///
/// # References
/// - [OpenBSD clock_gettime(2)](https://man.openbsd.org/clock_gettime.2)
/// - [DragonFly clock_gettime(2)](https://man.dragonflybsd.org/?command=clock_gettime&section=2)
/// - [Linux clock_gettime(2)](https://man7.org/linux/man-pages/man2/clock_gettime.2.html)
#[inline]
pub fn clock_gettime(clock: ClockId) -> Result<Timespec> {
    imp::time::clock_gettime(clock)
}

/// The resolution of clock `clock`.
///
/// # Platform
/// The value depends on the machine's timer hardware and the clock, so treat it as a hint; it
/// is never zero. OpenBSD derives it from the active timecounter's precision for the realtime,
/// monotonic, boot-time and uptime clocks (a GHz counter truncates to 0 ns there, which
/// `MAX(ts.tv_nsec, 1)` raises to 1 ns), and reports `1 / stathz` for the CPU-time clocks
/// (`sys_clock_getres` in `sys/kern/kern_time.c` rev 1.170). DragonFly rounds `1 / freq` of
/// its cputimer up to whole nanoseconds, at least 1 (`kern_clock_getres`, same file at 6.4's
/// `81dd9c6184`). Linux reports 1 ns with high-resolution timers, else one tick
/// (`hrtimer_resolution`, `kernel/time/hrtimer.c`). An unknown clock gives `Errno::INVAL`.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, time};
///
/// let res = time::clock_getres(libc::CLOCK_MONOTONIC)?;
/// assert!(res > bsd_sys::Timespec::ZERO && res.secs() == 0, "finer than a second: {res:?}");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD clock_getres(2)](https://man.openbsd.org/clock_getres.2)
/// - [DragonFly clock_getres(2)](https://man.dragonflybsd.org/?command=clock_getres&section=2)
/// - [Linux clock_getres(2)](https://man7.org/linux/man-pages/man2/clock_getres.2.html)
#[inline]
pub fn clock_getres(clock: ClockId) -> Result<Timespec> {
    imp::time::clock_getres(clock)
}

/// Sleeps for `request`; on `Err(Errno::INTR)` `remaining` holds the time left.
///
/// One call, no retry: the caller decides what to do with an interruption (bsd-time's `sleep`
/// resumes with the remaining time). A negative `request` gives `Errno::INVAL`.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, time, Timespec};
///
/// let start = time::clock_gettime(libc::CLOCK_MONOTONIC)?;
/// let mut left = Timespec::ZERO;
/// time::nanosleep(Timespec::new(0, 2_000_000).unwrap(), &mut left)?; // 2 ms
/// let slept = time::clock_gettime(libc::CLOCK_MONOTONIC)?.checked_duration_since(start).unwrap();
/// assert!(slept.as_nanos() >= 2_000_000, "slept only {slept:?}");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD nanosleep(2)](https://man.openbsd.org/nanosleep.2)
/// - [DragonFly nanosleep(2)](https://man.dragonflybsd.org/?command=nanosleep&section=2)
/// - [Linux nanosleep(2)](https://man7.org/linux/man-pages/man2/nanosleep.2.html)
pub fn nanosleep(request: Timespec, remaining: &mut Timespec) -> Result<()> {
    imp::time::nanosleep(request, remaining)
}

/// Arms (or, with a zero value, disarms) interval timer `which` and returns its previous setting.
///
/// `which` is `ITIMER_REAL` (0, delivers `SIGALRM`), `ITIMER_VIRTUAL` (1, `SIGVTALRM`) or
/// `ITIMER_PROF` (2, `SIGPROF`) on every supported OS; anything else gives `Errno::INVAL`, as does
/// a `timeval` with microseconds out of range.
///
/// # Platform
/// The kernels may raise short values, so the setting read back can be more than was set:
/// OpenBSD raises a non-zero interval below one clock tick to a tick, DragonFly any value or
/// interval below a tick. Limits differ: OpenBSD accepts up to `UINT_MAX` seconds and rejects
/// more with `EINVAL` (`itimerfix` in `sys/kern/kern_time.c` rev 1.170); DragonFly has no upper
/// limit (`itimerfix` in `sys/kern/kern_time.c` at 6.4's `81dd9c6184` checks only the field
/// ranges); Linux takes any
/// non-negative `time_t` and clamps what does not fit its nanosecond clock.
///
/// # Examples
/// ```
/// use bsd_sys::libc::{timeval, ITIMER_REAL};
/// use bsd_sys::time::{self, Itimerval};
///
/// let zero = timeval { tv_sec: 0, tv_usec: 0 };
/// let in_100s = Itimerval { it_interval: zero, it_value: timeval { tv_sec: 100, tv_usec: 0 } };
/// let old = time::setitimer(ITIMER_REAL, &in_100s)?;
/// assert_eq!((old.it_value.tv_sec, old.it_value.tv_usec), (0, 0), "was disarmed");
/// // Disarm before the SIGALRM can come; the previous setting is the one armed above.
/// let armed = time::setitimer(ITIMER_REAL, &Itimerval { it_interval: zero, it_value: zero })?;
/// assert!(armed.it_value.tv_sec > 90 && armed.it_value.tv_sec <= 100);
/// assert_eq!(time::setitimer(42, &in_100s).unwrap_err(), bsd_sys::Errno::INVAL);
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD setitimer(2)](https://man.openbsd.org/setitimer.2)
/// - [DragonFly setitimer(2)](https://man.dragonflybsd.org/?command=setitimer&section=2)
/// - [Linux setitimer(2)](https://man7.org/linux/man-pages/man2/setitimer.2.html)
pub fn setitimer(which: i32, new: &Itimerval) -> Result<Itimerval> {
    imp::time::setitimer(which, new)
}

/// Reads the setting of interval timer `which` (see [`setitimer`]).
///
/// # Examples
/// ```
/// use bsd_sys::libc::{timeval, ITIMER_VIRTUAL};
/// use bsd_sys::time::{self, Itimerval};
///
/// let zero = timeval { tv_sec: 0, tv_usec: 0 };
/// let in_50s = Itimerval { it_interval: zero, it_value: timeval { tv_sec: 50, tv_usec: 0 } };
/// time::setitimer(ITIMER_VIRTUAL, &in_50s)?; // counts CPU time in user mode only
/// let now = time::getitimer(ITIMER_VIRTUAL)?;
/// assert!(now.it_value.tv_sec > 40 && now.it_value.tv_sec <= 50);
/// time::setitimer(ITIMER_VIRTUAL, &Itimerval { it_interval: zero, it_value: zero })?;
/// assert_eq!(time::getitimer(ITIMER_VIRTUAL)?.it_value.tv_sec, 0);
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD getitimer(2)](https://man.openbsd.org/getitimer.2)
/// - [DragonFly getitimer(2)](https://man.dragonflybsd.org/?command=getitimer&section=2)
/// - [Linux getitimer(2)](https://man7.org/linux/man-pages/man2/getitimer.2.html)
pub fn getitimer(which: i32) -> Result<Itimerval> {
    imp::time::getitimer(which)
}

#[cfg(not(target_os = "openbsd"))]
mod clock_sleep;
#[cfg(not(target_os = "openbsd"))]
pub use self::clock_sleep::*;
