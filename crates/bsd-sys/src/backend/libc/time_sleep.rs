//! `clock_nanosleep` through libc (not on OpenBSD, which has none).

#[cfg(not(target_os = "openbsd"))]
pub(crate) fn clock_nanosleep(
    clock: crate::time::ClockId,
    flags: core::ffi::c_int,
    request: crate::Timespec,
    remaining: &mut crate::Timespec,
) -> crate::Result<()> {
    let req = request.to_raw();
    let mut rem = ::libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `req` is readable and `rem` writable for the call. The function returns the error
    // number itself (POSIX), not -1/errno.
    let err = unsafe { ::libc::clock_nanosleep(clock, flags, &req, &mut rem) };
    if err == 0 {
        return Ok(());
    }
    if let Ok(left) = crate::Timespec::from_raw(rem) {
        *remaining = left;
    }
    Err(crate::Errno::from_raw(err))
}
