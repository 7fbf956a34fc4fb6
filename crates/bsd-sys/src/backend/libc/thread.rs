//! Thread calls through libc.

use core::ffi::CStr;
use core::sync::atomic::AtomicU32;

use super::check;
use crate::{Errno, Result, ThreadId, Timespec};

#[cfg(target_os = "dragonfly")]
extern "C" {
    /// `lwpid_t lwp_gettid(void)`: DragonFly libc, lwp_gettid(2); not bound by the libc crate.
    fn lwp_gettid() -> ::libc::lwpid_t;
}

#[inline]
pub(crate) fn gettid() -> ThreadId {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "openbsd")] {
            // SAFETY: getthrid(2) takes no arguments and cannot fail.
            ThreadId::from_raw(unsafe { ::libc::getthrid() })
        } else if #[cfg(target_os = "dragonfly")] {
            // SAFETY: lwp_gettid(2) takes no arguments and cannot fail.
            ThreadId::from_raw(unsafe { lwp_gettid() })
        } else {
            // SAFETY: gettid(2) takes no arguments and cannot fail.
            ThreadId::from_raw(unsafe { ::libc::gettid() })
        }
    }
}

/// Turns a pthread-style return (0 or an error number) into a `Result`.
#[cfg(not(target_os = "openbsd"))]
#[inline]
fn check_pthread(ret: ::libc::c_int) -> Result<()> {
    if ret == 0 {
        Ok(())
    } else {
        Err(Errno::from_raw(ret))
    }
}

cfg_if::cfg_if! {
    if #[cfg(target_os = "openbsd")] {
        #[inline]
        pub(crate) fn futex_wait(word: &AtomicU32, expected: u32, timeout: Option<Timespec>) -> Result<()> {
            let ts = timeout.map(Timespec::to_raw);
            let ts_ptr = ts.as_ref().map_or(core::ptr::null(), |t| t as *const ::libc::timespec);
            // SAFETY: `word` is a live, aligned u32 the kernel only reads; `ts_ptr` is null or
            // points to a timespec that outlives the call; `uaddr2` is unused by FUTEX_WAIT.
            let ret = unsafe {
                ::libc::futex(
                    word.as_ptr(),
                    ::libc::FUTEX_WAIT | ::libc::FUTEX_PRIVATE_FLAG,
                    expected as ::libc::c_int,
                    ts_ptr,
                    core::ptr::null_mut(),
                )
            };
            // OpenBSD before 7.0 returned the error number itself (sys/kern/sys_futex.c rev 1.9).
            match ret {
                0 => Ok(()),
                -1 => Err(super::last_errno()),
                n => Err(Errno::from_raw(n)),
            }
        }

        #[inline]
        pub(crate) fn futex_wake(word: &AtomicU32, all: bool) -> Result<Option<usize>> {
            let n = if all { ::libc::c_int::MAX } else { 1 };
            // SAFETY: `word` is a live, aligned u32; FUTEX_WAKE ignores the timeout and uaddr2.
            let ret = unsafe {
                ::libc::futex(
                    word.as_ptr(),
                    ::libc::FUTEX_WAKE | ::libc::FUTEX_PRIVATE_FLAG,
                    n,
                    core::ptr::null(),
                    core::ptr::null_mut(),
                )
            };
            Ok(Some(check(ret)? as usize))
        }
    } else if #[cfg(target_os = "dragonfly")] {
        #[inline]
        pub(crate) fn futex_wait(word: &AtomicU32, expected: u32, timeout: Option<Timespec>) -> Result<()> {
            let us = timeout.map_or(0, crate::thread::umtx_timeout_us);
            // SAFETY: `word` is a live, aligned 32-bit word the kernel only reads.
            let ret = unsafe {
                ::libc::umtx_sleep(word.as_ptr() as *const ::libc::c_int, expected as ::libc::c_int, us)
            };
            check(ret).map(drop)
        }

        #[inline]
        pub(crate) fn futex_wake(word: &AtomicU32, all: bool) -> Result<Option<usize>> {
            // umtx(2): a count of 1 wakes one waiter, any other count wakes them all.
            let count = if all { 0 } else { 1 };
            // SAFETY: `word` is a live, aligned 32-bit word.
            let ret = unsafe { ::libc::umtx_wakeup(word.as_ptr() as *const ::libc::c_int, count) };
            check(ret).map(|_| None)
        }
    } else {
        #[inline]
        pub(crate) fn futex_wait(word: &AtomicU32, expected: u32, timeout: Option<Timespec>) -> Result<()> {
            let ts = timeout.map(Timespec::to_raw);
            let ts_ptr = ts.as_ref().map_or(core::ptr::null(), |t| t as *const ::libc::timespec);
            // SAFETY: `word` is a live, aligned u32 the kernel only reads; `ts_ptr` is null or
            // points to a timespec that outlives the call.
            let ret = unsafe {
                ::libc::syscall(
                    ::libc::SYS_futex,
                    word.as_ptr(),
                    ::libc::FUTEX_WAIT | ::libc::FUTEX_PRIVATE_FLAG,
                    expected,
                    ts_ptr,
                )
            };
            if ret == -1 {
                Err(super::last_errno())
            } else {
                Ok(())
            }
        }

        #[inline]
        pub(crate) fn futex_wake(word: &AtomicU32, all: bool) -> Result<Option<usize>> {
            let n = if all { ::libc::c_int::MAX } else { 1 };
            // SAFETY: `word` is a live, aligned u32; FUTEX_WAKE takes no other pointer.
            let ret = unsafe {
                ::libc::syscall(
                    ::libc::SYS_futex,
                    word.as_ptr(),
                    ::libc::FUTEX_WAKE | ::libc::FUTEX_PRIVATE_FLAG,
                    n,
                )
            };
            if ret < 0 {
                Err(super::last_errno())
            } else {
                Ok(Some(ret as usize))
            }
        }
    }
}

#[inline]
pub(crate) fn sched_yield() {
    // SAFETY: sched_yield(2) takes no arguments and cannot fail.
    unsafe { ::libc::sched_yield() };
}

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
use super::sysctl::sysctl_int;

cfg_if::cfg_if! {
    if #[cfg(target_os = "openbsd")] {
        pub(crate) fn cpu_count() -> Result<usize> {
            // hw.ncpuonline first: hw.ncpu also counts CPUs disabled by hw.smt=0.
            match sysctl_int(&[::libc::CTL_HW, ::libc::HW_NCPUONLINE]) {
                Ok(n) if n > 0 => Ok(n as usize),
                _ => sysctl_int(&[::libc::CTL_HW, ::libc::HW_NCPU]).map(|n| n.max(0) as usize),
            }
        }
    } else if #[cfg(target_os = "dragonfly")] {
        pub(crate) fn cpu_count() -> Result<usize> {
            sysctl_int(&[::libc::CTL_HW, ::libc::HW_NCPU]).map(|n| n.max(0) as usize)
        }
    } else {
        pub(crate) fn cpu_count() -> Result<usize> {
            // A cpu_set_t's worth of mask (1024 CPUs), read as words so counting needs no unsafe.
            let mut mask = [0u64; core::mem::size_of::<::libc::cpu_set_t>() / 8];
            // SAFETY: `mask` is writable for the size passed and has cpu_set_t's size and an
            // alignment at least as strict; pid 0 is the calling thread.
            let ret = unsafe {
                ::libc::sched_getaffinity(
                    0,
                    core::mem::size_of_val(&mask),
                    mask.as_mut_ptr() as *mut ::libc::cpu_set_t,
                )
            };
            check(ret)?;
            Ok(mask.iter().map(|w| w.count_ones() as usize).sum())
        }
    }
}

cfg_if::cfg_if! {
    if #[cfg(target_os = "openbsd")] {
        /// `MAXCOMLEN`: setthrname(2) says "Thread names are limited to MAXCOMLEN characters,
        /// currently 23" and refuses longer ones (EINVAL).
        pub(crate) const THREAD_NAME_MAX: usize = 23;
    } else if #[cfg(target_os = "dragonfly")] {
        /// Since 5.8 a thread's title lives in its `lpmap` page, `LPMAP_MAXTHREADTITLE` (1024)
        /// bytes with the NUL (`sys/sys/upmap.h`); `pthread_setname_np` goes through libc's
        /// `__lwp_setname` (`lib/libc/upmap/ukp_setname.c`) to `lwp_setname(2)`, and both
        /// truncate beyond it silently.
        pub(crate) const THREAD_NAME_MAX: usize = 1023;
    } else {
        /// `TASK_COMM_LEN` (16) less the NUL.
        pub(crate) const THREAD_NAME_MAX: usize = 15;
    }
}

cfg_if::cfg_if! {
    if #[cfg(target_os = "openbsd")] {
        pub(crate) fn set_current_name(name: &CStr) -> Result<()> {
            // SAFETY: `name` is NUL-terminated and outlives the call; pthread_self() is valid.
            unsafe { ::libc::pthread_set_name_np(::libc::pthread_self(), name.as_ptr()) };
            Ok(())
        }

        pub(crate) fn current_name(buf: &mut [u8]) -> Result<()> {
            // SAFETY: `buf` is writable for its length; the call writes a NUL-terminated string
            // of at most that many bytes (the kernel's getthrname(2) since librthread rev 1.24;
            // bsd-sys always passes room for the whole 24-byte name).
            unsafe {
                ::libc::pthread_get_name_np(
                    ::libc::pthread_self(),
                    buf.as_mut_ptr() as *mut ::libc::c_char,
                    buf.len(),
                )
            };
            Ok(())
        }
    } else {
        pub(crate) fn set_current_name(name: &CStr) -> Result<()> {
            // SAFETY: `name` is NUL-terminated and outlives the call; pthread_self() is valid.
            check_pthread(unsafe { ::libc::pthread_setname_np(::libc::pthread_self(), name.as_ptr()) })
        }

        pub(crate) fn current_name(buf: &mut [u8]) -> Result<()> {
            // SAFETY: `buf` is writable for its length, which is passed; pthread_self() is valid.
            check_pthread(unsafe {
                ::libc::pthread_getname_np(
                    ::libc::pthread_self(),
                    buf.as_mut_ptr() as *mut ::libc::c_char,
                    buf.len(),
                )
            })
        }
    }
}
