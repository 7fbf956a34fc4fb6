//! `clock_nanosleep`: sleeping on a chosen clock, to a relative or absolute time.

use core::ffi::c_int;

use super::ClockId;
use crate::backend::imp;
use crate::{Result, Timespec};

/// `TIMER_ABSTIME`: makes [`clock_nanosleep`] sleep until the clock reads `request`.
///
/// 1 on DragonFly (`sys/sys/time.h`) and Linux (`include/uapi/linux/time.h`).
#[cfg(not(target_os = "openbsd"))]
pub const TIMER_ABSTIME: c_int = libc::TIMER_ABSTIME;

#[cfg(not(target_os = "openbsd"))]
const _: () = assert!(TIMER_ABSTIME == 1);

/// Sleeps on clock `clock` for `request` (`flags == 0`) or until the clock reads `request`
/// (`flags == TIMER_ABSTIME`; a time already past returns at once).
///
/// On `Err(Errno::INTR)` with a relative request, `remaining` holds the time left; an absolute
/// request is simply repeated. An unknown clock or a negative request gives `Errno::INVAL`
/// (Linux also refuses the CPU-time clocks of the calling thread).
///
/// # Platform
/// Not on OpenBSD: neither its kernel (`sys/kern/syscalls.master`) nor its libc
/// (`lib/libc/Symbols.list`) has `clock_nanosleep`; bsd-time's `sleep_until` emulates it there.
/// DragonFly: system call 241 (2021, in 6.4), which, like the C function, reports its error as
/// the return value; the raw backend turns it into `Err`. Linux: 230 (x86_64) / 115 (aarch64).
///
/// # Examples
/// ```
/// use bsd_sys::{libc, time, Timespec};
///
/// // Sleep until 3 ms from now on the monotonic clock: an absolute deadline.
/// let deadline = time::clock_gettime(libc::CLOCK_MONOTONIC)?
///     .checked_add(std::time::Duration::from_millis(3))
///     .unwrap();
/// let mut left = Timespec::ZERO;
/// time::clock_nanosleep(libc::CLOCK_MONOTONIC, time::TIMER_ABSTIME, deadline, &mut left)?;
/// assert!(time::clock_gettime(libc::CLOCK_MONOTONIC)? >= deadline);
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [DragonFly clock_nanosleep(2)](https://man.dragonflybsd.org/?command=nanosleep&section=2)
/// - [Linux clock_nanosleep(2)](https://man7.org/linux/man-pages/man2/clock_nanosleep.2.html)
#[cfg(not(target_os = "openbsd"))]
#[inline]
pub fn clock_nanosleep(
    clock: ClockId,
    flags: c_int,
    request: Timespec,
    remaining: &mut Timespec,
) -> Result<()> {
    imp::time_sleep::clock_nanosleep(clock, flags, request, remaining)
}
