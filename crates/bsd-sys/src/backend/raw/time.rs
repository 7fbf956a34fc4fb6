//! Time calls as direct system calls.

use core::mem::MaybeUninit;

use super::arch::{syscall2, syscall3};
use super::nr;
use crate::time::{ClockId, Itimerval};
use crate::{Errno, Result, Timespec};

#[inline]
pub(crate) fn clock_gettime(clock: ClockId) -> Result<Timespec> {
    let mut ts = MaybeUninit::<::libc::timespec>::uninit();
    // SAFETY: `ts` is a writable timespec; the kernel validates `clock`.
    unsafe { syscall2(nr::CLOCK_GETTIME, clock as usize, ts.as_mut_ptr() as usize) }?;
    // SAFETY: the call succeeded, so the kernel filled `ts`.
    Timespec::from_raw(unsafe { ts.assume_init() })
}

pub(crate) fn clock_getres(clock: ClockId) -> Result<Timespec> {
    let mut ts = MaybeUninit::<::libc::timespec>::uninit();
    // SAFETY: `ts` is a writable timespec; the kernel validates `clock`.
    unsafe { syscall2(nr::CLOCK_GETRES, clock as usize, ts.as_mut_ptr() as usize) }?;
    // SAFETY: the call succeeded, so the kernel filled `ts`.
    Timespec::from_raw(unsafe { ts.assume_init() })
}

pub(crate) fn nanosleep(request: Timespec, remaining: &mut Timespec) -> Result<()> {
    let req = request.to_raw();
    let mut rem = Timespec::ZERO.to_raw();
    // SAFETY: both pointers are valid timespecs for the duration of the call.
    let ret = unsafe { syscall2(nr::NANOSLEEP, &req as *const _ as usize, &mut rem as *mut _ as usize) };
    match ret {
        Ok(_) => Ok(()),
        Err(err) => {
            if err == Errno::INTR {
                *remaining = Timespec::from_raw(rem)?;
            }
            Err(err)
        }
    }
}

pub(crate) fn setitimer(which: i32, new: &Itimerval) -> Result<Itimerval> {
    let mut old = MaybeUninit::<Itimerval>::uninit();
    // SAFETY: `new` is a valid itimerval and `old` a writable one; the kernel validates `which`.
    unsafe {
        syscall3(nr::SETITIMER, which as usize, new as *const _ as usize, old.as_mut_ptr() as usize)
    }?;
    // SAFETY: the call succeeded, so the kernel filled `old`.
    Ok(unsafe { old.assume_init() })
}

pub(crate) fn getitimer(which: i32) -> Result<Itimerval> {
    let mut cur = MaybeUninit::<Itimerval>::uninit();
    // SAFETY: `cur` is a writable itimerval; the kernel validates `which`.
    unsafe { syscall2(nr::GETITIMER, which as usize, cur.as_mut_ptr() as usize) }?;
    // SAFETY: the call succeeded, so the kernel filled `cur`.
    Ok(unsafe { cur.assume_init() })
}
