//! Time calls as direct system calls.

use core::mem::MaybeUninit;

use super::arch::{syscall2, syscall3};
use super::nr;
use crate::time::{ClockId, Itimerval};
use crate::{Errno, Result, Timespec};

/// Linux: the vDSO's `clock_gettime` when the process has one (no system call for the clocks
/// the kernel exports to user space), else the system call. DragonFly: the `_FAST` clocks from
/// the kpmap page, the others one system call.
#[inline]
pub(crate) fn clock_gettime(clock: ClockId) -> Result<Timespec> {
    let mut ts = MaybeUninit::<::libc::timespec>::uninit();
    #[cfg(target_os = "linux")]
    if let Some(vdso_clock_gettime) = super::vdso::clock_gettime() {
        // SAFETY: the vDSO function takes a clock id and a writable timespec; it returns 0 or
        // -errno (having made the system call itself for clocks it cannot read).
        let ret = unsafe { vdso_clock_gettime(clock, ts.as_mut_ptr()) };
        if ret != 0 {
            return Err(Errno::from_raw(ret.wrapping_neg()));
        }
        // SAFETY: success, so the vDSO filled `ts`.
        return Ok(Timespec::from_clock(unsafe { ts.assume_init() }));
    }
    #[cfg(target_os = "dragonfly")]
    if let Some(raw) = super::kpmap::clock_gettime(clock) {
        return Ok(Timespec::from_clock(raw));
    }
    // SAFETY: `ts` is a writable timespec; the kernel validates `clock`.
    unsafe { syscall2(nr::CLOCK_GETTIME, clock as usize, ts.as_mut_ptr() as usize) }?;
    // SAFETY: the call succeeded, so the kernel filled `ts`.
    Ok(Timespec::from_clock(unsafe { ts.assume_init() }))
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
