//! Time calls through libc.

use core::mem::MaybeUninit;

use super::check;
use crate::time::{ClockId, Itimerval};
use crate::{Errno, Result, Timespec};

#[inline]
pub(crate) fn clock_gettime(clock: ClockId) -> Result<Timespec> {
    let mut ts = MaybeUninit::<::libc::timespec>::uninit();
    // SAFETY: `ts` is a valid, writable timespec; the kernel validates `clock`.
    check(unsafe { ::libc::clock_gettime(clock, ts.as_mut_ptr()) })?;
    // SAFETY: clock_gettime succeeded, so it filled `ts`.
    Ok(Timespec::from_clock(unsafe { ts.assume_init() }))
}

pub(crate) fn clock_getres(clock: ClockId) -> Result<Timespec> {
    let mut ts = MaybeUninit::<::libc::timespec>::uninit();
    // SAFETY: `ts` is a valid, writable timespec; the kernel validates `clock`.
    check(unsafe { ::libc::clock_getres(clock, ts.as_mut_ptr()) })?;
    // SAFETY: clock_getres succeeded, so it filled `ts`.
    Timespec::from_raw(unsafe { ts.assume_init() })
}

pub(crate) fn nanosleep(request: Timespec, remaining: &mut Timespec) -> Result<()> {
    let req = request.to_raw();
    let mut rem = Timespec::ZERO.to_raw();
    // SAFETY: both pointers are valid timespecs for the duration of the call.
    let ret = unsafe { ::libc::nanosleep(&req, &mut rem) };
    if ret == -1 {
        let err = super::last_errno();
        if err == Errno::INTR {
            *remaining = Timespec::from_raw(rem)?;
        }
        return Err(err);
    }
    Ok(())
}

pub(crate) fn setitimer(which: i32, new: &Itimerval) -> Result<Itimerval> {
    let mut old = MaybeUninit::<Itimerval>::uninit();
    // SAFETY: `new` is a valid itimerval and `old` a writable one; `which` is validated by the kernel.
    check(unsafe { ::libc::setitimer(which as _, new, old.as_mut_ptr()) })?;
    // SAFETY: setitimer succeeded, so it filled `old`.
    Ok(unsafe { old.assume_init() })
}

pub(crate) fn getitimer(which: i32) -> Result<Itimerval> {
    let mut cur = MaybeUninit::<Itimerval>::uninit();
    // SAFETY: `cur` is a writable itimerval; `which` is validated by the kernel.
    check(unsafe { ::libc::getitimer(which as _, cur.as_mut_ptr()) })?;
    // SAFETY: getitimer succeeded, so it filled `cur`.
    Ok(unsafe { cur.assume_init() })
}
