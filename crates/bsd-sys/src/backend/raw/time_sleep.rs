//! `clock_nanosleep` as a direct system call.

use core::ffi::c_int;

use super::arch::syscall4;
use super::nr;
use crate::time::ClockId;
use crate::{Errno, Result, Timespec};

pub(crate) fn clock_nanosleep(clock: ClockId, flags: c_int, request: Timespec, remaining: &mut Timespec) -> Result<()> {
    // Linux's kernel reports EOPNOTSUPP for the calling thread's CPU clock; glibc
    // (sysdeps/unix/sysv/linux/clock_nanosleep.c) and musl (src/time/clock_nanosleep.c) refuse
    // it with EINVAL before the call, so the raw backend does the same.
    #[cfg(target_os = "linux")]
    if clock == ::libc::CLOCK_THREAD_CPUTIME_ID {
        return Err(Errno::INVAL);
    }
    let req = request.to_raw();
    let mut rem = ::libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `req` is readable and `rem` writable for the call.
    let ret = unsafe {
        syscall4(nr::CLOCK_NANOSLEEP, clock as usize, flags as usize, &req as *const _ as usize, &mut rem as *mut _ as usize)
    };
    // DragonFly returns the error number as the (successful) result (`sys_clock_nanosleep`,
    // `sys/kern/kern_time.c`); Linux returns -errno like every other call.
    let ret = match ret {
        Ok(0) => Ok(()),
        Ok(err) => Err(Errno::from_raw(err as i32)),
        Err(err) => Err(err),
    };
    if ret == Err(Errno::INTR) {
        if let Ok(left) = Timespec::from_raw(rem) {
            *remaining = left;
        }
    }
    ret
}
