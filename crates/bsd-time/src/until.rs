//! `sleep_until`: sleeping to an absolute time on a chosen clock (`clock_nanosleep` with
//! `TIMER_ABSTIME`, emulated on OpenBSD).

use bsd_sys::{Errno, Result, Timespec};

use crate::Clock;

/// Sleeps until `clock` reads at least `deadline`, resuming after signal interruptions; a
/// deadline already past returns at once.
///
/// An absolute deadline does not drift when the sleep is interrupted or the thread is
/// preempted between computing and starting it, which a relative sleep does. Errors:
/// `Errno::INVAL` for a clock the kernel refuses to sleep on (Linux: the calling thread's own
/// CPU-time clock).
///
/// # Platform
/// - DragonFly (system call 241, in 6.4) and Linux: one `clock_nanosleep(clock,
///   TIMER_ABSTIME, deadline)`, repeated after `EINTR`.
/// - OpenBSD has no `clock_nanosleep` (neither `sys/kern/syscalls.master` nor
///   `lib/libc/Symbols.list`): emulated by reading `clock` and `nanosleep`ing the difference
///   until the clock reaches the deadline. `nanosleep` measures on the uptime clock, so on
///   `Realtime` a clock step during the sleep is noticed only when the sleep ends.
///
/// # References
/// - [DragonFly clock_nanosleep(2)](https://man.dragonflybsd.org/?command=nanosleep&section=2)
/// - [Linux clock_nanosleep(2)](https://man7.org/linux/man-pages/man2/clock_nanosleep.2.html)
/// - [OpenBSD nanosleep(2)](https://man.openbsd.org/nanosleep.2)
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use bsd_time::{now, sleep_until, Clock};
///
/// let deadline = now(Clock::Monotonic)?.checked_add(Duration::from_millis(5)).unwrap();
/// sleep_until(Clock::Monotonic, deadline)?;
/// assert!(now(Clock::Monotonic)? >= deadline);
/// // A deadline in the past returns at once.
/// sleep_until(Clock::Monotonic, bsd_time::Timespec::ZERO)?;
/// # Ok::<(), bsd_time::Errno>(())
/// ```
#[doc(alias = "clock_nanosleep")]
#[doc(alias = "TIMER_ABSTIME")]
pub fn sleep_until(clock: Clock, deadline: Timespec) -> Result<()> {
    #[cfg(not(target_os = "openbsd"))]
    {
        let mut unused = Timespec::ZERO;
        loop {
            match bsd_sys::time::clock_nanosleep(
                clock.raw(),
                bsd_sys::time::TIMER_ABSTIME,
                deadline,
                &mut unused,
            ) {
                Err(Errno::INTR) => continue,
                other => return other,
            }
        }
    }
    #[cfg(target_os = "openbsd")]
    {
        loop {
            let now = bsd_sys::time::clock_gettime(clock.raw())?;
            let Some(left) = deadline.checked_duration_since(now) else {
                return Ok(());
            };
            if left.is_zero() {
                return Ok(());
            }
            let request = Timespec::from_duration(left)?;
            let mut remaining = request;
            match bsd_sys::time::nanosleep(request, &mut remaining) {
                Ok(()) | Err(Errno::INTR) => continue,
                Err(err) => return Err(err),
            }
        }
    }
}
