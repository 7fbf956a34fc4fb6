//! Sleeping that survives signal interruptions.

use std::time::Duration;

use bsd_sys::time::nanosleep;
use bsd_sys::{Errno, Result, Timespec};

/// The longest single kernel sleep: longer requests are made in pieces, so no kernel rejects a
/// huge `tv_sec` (OpenBSD and DragonFly convert to ticks internally) and `Duration::MAX` works.
const LONGEST_REQUEST: Duration = Duration::from_secs(100_000_000);

/// Sleeps the calling thread for at least `duration`.
///
/// An interruption by a signal handler (`EINTR`) does not end the sleep early: the kernel reports
/// the time left and the sleep resumes with it, so the total is still at least `duration`.
/// Durations longer than about three years are slept in pieces. A zero duration returns at once
/// without a system call.
///
/// # Errors
/// Only what the kernel reports other than `EINTR`, which for a valid request is nothing.
///
/// # Platform
/// Uses `nanosleep` on every OS: measured on the uptime clock on OpenBSD (`sys_nanosleep` in
/// `sys/kern/kern_time.c` rev 1.170 uses `getnanouptime`), on `CLOCK_MONOTONIC` on Linux, and on
/// `CLOCK_REALTIME` on DragonFly, whose `nanosleep` is a relative
/// `clock_nanosleep(CLOCK_REALTIME)` (`nanosleep1` in `sys/kern/kern_time.c`), so a step of the
/// wall clock shortens or lengthens a DragonFly sleep. None of them restarts `nanosleep` after a
/// handler; Linux never restarts `nanosleep` itself, whatever `SA_RESTART` says.
///
/// # References
/// - [OpenBSD nanosleep(2)](https://man.openbsd.org/nanosleep.2)
/// - [DragonFly nanosleep(2)](https://man.dragonflybsd.org/?command=nanosleep&section=2)
/// - [Linux nanosleep(2)](https://man7.org/linux/man-pages/man2/nanosleep.2.html)
///
/// # Examples
/// ```
/// use std::time::{Duration, Instant};
///
/// let start = Instant::now();
/// bsd_time::sleep(Duration::from_millis(3))?;
/// assert!(start.elapsed() >= Duration::from_millis(3));
/// bsd_time::sleep(Duration::ZERO)?; // returns at once
/// # Ok::<(), bsd_time::Errno>(())
/// ```
#[doc(alias = "nanosleep")]
#[doc(alias = "usleep")]
pub fn sleep(duration: Duration) -> Result<()> {
    let mut left = duration;
    while !left.is_zero() {
        let piece = left.min(LONGEST_REQUEST);
        // `piece` is at most LONGEST_REQUEST, so it always fits a Timespec.
        let request = Timespec::from_duration(piece)?;
        let mut remaining = Timespec::ZERO;
        match nanosleep(request, &mut remaining) {
            Ok(()) => left -= piece,
            Err(Errno::INTR) => {
                let unslept = remaining.to_duration().unwrap_or(Duration::ZERO).min(piece);
                left -= piece - unslept;
            }
            Err(err) => return Err(err),
        }
    }
    Ok(())
}
