//! The time concern: clocks, sleeping and interval timers.
//!
//! Every function here is safe: the kernel validates its arguments and reports bad ones as
//! [`Errno`](crate::Errno) values (`EINVAL` for an unknown clock or a negative sleep).

use crate::backend::imp;
use crate::{Result, Timespec};

/// A raw clock id (`clockid_t`: `c_int` on OpenBSD and Linux, `c_ulong` on DragonFly).
pub type ClockId = libc::clockid_t;

/// An interval timer's setting: reload interval and time to the next expiry (`struct itimerval`).
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
/// # References
/// - [OpenBSD setitimer(2)](https://man.openbsd.org/setitimer.2)
/// - [DragonFly setitimer(2)](https://man.dragonflybsd.org/?command=setitimer&section=2)
/// - [Linux setitimer(2)](https://man7.org/linux/man-pages/man2/setitimer.2.html)
pub fn setitimer(which: i32, new: &Itimerval) -> Result<Itimerval> {
    imp::time::setitimer(which, new)
}

/// Reads the setting of interval timer `which` (see [`setitimer`]).
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
