//! Signal calls through libc.

use core::mem::MaybeUninit;
use core::ptr;

use super::check;
use crate::{Errno, Pid, Result};
use libc::{c_int, pid_t, sigset_t, stack_t};

#[inline]
pub(crate) fn getpid() -> Pid {
    // SAFETY: getpid(2) takes no arguments and cannot fail.
    Pid::from_raw(unsafe { ::libc::getpid() })
}

/// # Safety
/// As for `crate::signal::sigaction`.
#[inline]
pub(crate) unsafe fn sigaction(
    sig: c_int,
    act: Option<&::libc::sigaction>,
) -> Result<::libc::sigaction> {
    let mut old = MaybeUninit::<::libc::sigaction>::zeroed();
    let new = act.map_or(ptr::null(), |a| a as *const _);
    // SAFETY: `new` is null or a valid sigaction (the caller vouches for its handler); `old` is
    // writable.
    check(unsafe { ::libc::sigaction(sig, new, old.as_mut_ptr()) })?;
    // SAFETY: zero-initialised plain data, filled by the kernel on success.
    Ok(unsafe { old.assume_init() })
}

#[inline]
pub(crate) fn thread_sigmask(how: c_int, set: Option<&sigset_t>) -> Result<sigset_t> {
    let mut old = MaybeUninit::<sigset_t>::uninit();
    let new = set.map_or(ptr::null(), |s| s as *const _);
    // SAFETY: `new` is null or a valid set; `old` is writable. pthread_sigmask returns the error
    // number itself rather than setting errno.
    let err = unsafe { ::libc::pthread_sigmask(how, new, old.as_mut_ptr()) };
    if err != 0 {
        return Err(Errno::from_raw(err));
    }
    cfg_if::cfg_if! {
        if #[cfg(target_os = "linux")] {
            // glibc and musl hand `old` to rt_sigprocmask with the kernel's set size, 8 bytes
            // (glibc `sysdeps/unix/sysv/linux/pthread_sigmask.c`: `__NSIG_BYTES`; musl
            // `src/thread/pthread_sigmask.c`: `_NSIG/8`), so only the first 8 of the 128 bytes
            // are written. Read those and rebuild the set from them: no zero-fill before the
            // call and no 128-byte copy after it (the set is built in place).
            // SAFETY: success, so the first 8 bytes were written; nothing else is read.
            let word = unsafe { old.as_ptr().cast::<u64>().read() };
            Ok(crate::signal::sigset_from_u64(word))
        } else {
            // SAFETY: on success the whole previous set was stored (OpenBSD: a 4-byte set the
            // kernel returns by value; DragonFly: the kernel copies out all 16 bytes).
            Ok(unsafe { old.assume_init() })
        }
    }
}

#[inline]
pub(crate) fn change_thread_sigmask(how: c_int, set: &sigset_t) -> Result<()> {
    // SAFETY: `set` is a valid set; a null old-set pointer asks for nothing back.
    let err = unsafe { ::libc::pthread_sigmask(how, set, ptr::null_mut()) };
    if err != 0 {
        return Err(Errno::from_raw(err));
    }
    Ok(())
}

#[inline]
pub(crate) fn sigpending() -> Result<sigset_t> {
    let mut set = crate::signal::sigset_empty();
    // SAFETY: `set` is writable.
    check(unsafe { ::libc::sigpending(&mut set) })?;
    Ok(set)
}

/// # Safety
/// As for `crate::signal::sigaltstack`.
#[inline]
pub(crate) unsafe fn sigaltstack(new: Option<&stack_t>) -> Result<stack_t> {
    let mut old = MaybeUninit::<stack_t>::zeroed();
    let new = new.map_or(ptr::null(), |s| s as *const _);
    // SAFETY: the caller vouches for the new stack's memory; `old` is writable.
    check(unsafe { ::libc::sigaltstack(new, old.as_mut_ptr()) })?;
    // SAFETY: zero-initialised plain data, filled by the kernel on success.
    Ok(unsafe { old.assume_init() })
}

#[inline]
pub(crate) fn kill(pid: pid_t, sig: c_int) -> Result<()> {
    // SAFETY: kill(2) takes no pointers.
    check(unsafe { ::libc::kill(pid, sig) }).map(drop)
}

cfg_if::cfg_if! {
    if #[cfg(target_os = "openbsd")] {
        extern "C" {
            /// `int thrkill(pid_t tid, int sig, void *tcb);` from `<signal.h>`, OpenBSD 5.9+
            /// (thrkill(2)); missing from the `libc` crate.
            fn thrkill(tid: pid_t, sig: c_int, tcb: *mut ::libc::c_void) -> c_int;
        }

        #[inline]
        pub(crate) fn kill_thread(tid: pid_t, sig: c_int) -> Result<()> {
            // SAFETY: a NULL tcb skips the TCB check (thrkill(2)); no other pointers.
            check(unsafe { thrkill(tid, sig, ptr::null_mut()) }).map(drop)
        }
    } else if #[cfg(target_os = "dragonfly")] {
        extern "C" {
            /// `int lwp_kill(pid_t pid, lwpid_t tid, int sig);` from `<unistd.h>`, DragonFly
            /// 1.9+ (lwp_kill(2)); missing from the `libc` crate.
            fn lwp_kill(pid: pid_t, tid: ::libc::lwpid_t, sig: c_int) -> c_int;
        }

        #[inline]
        pub(crate) fn kill_thread(tid: pid_t, sig: c_int) -> Result<()> {
            // SAFETY: no pointers; pid -1 is the calling process (lwp_kill(2)).
            check(unsafe { lwp_kill(-1, tid, sig) }).map(drop)
        }
    } else {
        #[inline]
        pub(crate) fn kill_thread(tid: pid_t, sig: c_int) -> Result<()> {
            // SAFETY: tgkill(2) takes no pointers.
            let ret = unsafe {
                ::libc::syscall(::libc::SYS_tgkill, ::libc::getpid(), tid, sig)
            };
            check(ret as c_int).map(drop)
        }
    }
}
