//! Thread calls as direct system calls.

use core::ffi::CStr;
use core::sync::atomic::AtomicU32;

use super::arch::{syscall0, syscall2, syscall3};
use super::nr;
use crate::{Result, ThreadId, Timespec};

#[inline]
pub(crate) fn gettid() -> ThreadId {
    #[cfg(target_os = "dragonfly")]
    const NR: usize = nr::LWP_GETTID;
    #[cfg(target_os = "linux")]
    const NR: usize = nr::GETTID;
    // SAFETY: lwp_gettid(2) / gettid(2) take no arguments and cannot fail.
    let tid = unsafe { super::arch::syscall0_infallible(NR) };
    ThreadId::from_raw(tid as ::libc::pid_t)
}

cfg_if::cfg_if! {
    if #[cfg(target_os = "dragonfly")] {
        #[inline]
        pub(crate) fn futex_wait(word: &AtomicU32, expected: u32, timeout: Option<Timespec>) -> Result<()> {
            // umtx_sleep(ptr, value, timeout_us); 0 µs means "no timeout".
            let us = timeout.map_or(0, crate::thread::umtx_timeout_us);
            // SAFETY: `word` is a live, aligned 32-bit word the kernel only reads.
            unsafe {
                syscall3(
                    nr::UMTX_SLEEP,
                    word.as_ptr() as usize,
                    expected as ::libc::c_int as usize,
                    us as usize,
                )
            }
            .map(drop)
        }

        #[inline]
        pub(crate) fn futex_wake(word: &AtomicU32, all: bool) -> Result<Option<usize>> {
            // umtx(2): a count of 1 wakes one waiter, any other count wakes them all; the call
            // returns 0, not a count.
            let count: usize = if all { 0 } else { 1 };
            // SAFETY: `word` is a live, aligned 32-bit word.
            unsafe { syscall2(nr::UMTX_WAKEUP, word.as_ptr() as usize, count) }.map(|_| None)
        }
    } else {
        use super::arch::syscall4;

        const FUTEX_WAIT_PRIVATE: usize = (::libc::FUTEX_WAIT | ::libc::FUTEX_PRIVATE_FLAG) as usize;
        const FUTEX_WAKE_PRIVATE: usize = (::libc::FUTEX_WAKE | ::libc::FUTEX_PRIVATE_FLAG) as usize;

        #[inline]
        pub(crate) fn futex_wait(word: &AtomicU32, expected: u32, timeout: Option<Timespec>) -> Result<()> {
            let ts = timeout.map(Timespec::to_raw);
            let ts_ptr = ts.as_ref().map_or(0, |t| t as *const ::libc::timespec as usize);
            // SAFETY: `word` is a live, aligned u32 the kernel only reads; `ts_ptr` is 0 or
            // points to a timespec that outlives the call.
            unsafe {
                syscall4(nr::FUTEX, word.as_ptr() as usize, FUTEX_WAIT_PRIVATE, expected as usize, ts_ptr)
            }
            .map(drop)
        }

        #[inline]
        pub(crate) fn futex_wake(word: &AtomicU32, all: bool) -> Result<Option<usize>> {
            let n = if all { i32::MAX as usize } else { 1 };
            // SAFETY: `word` is a live, aligned u32; FUTEX_WAKE takes no other pointer.
            unsafe { syscall3(nr::FUTEX, word.as_ptr() as usize, FUTEX_WAKE_PRIVATE, n) }.map(Some)
        }
    }
}

#[inline]
pub(crate) fn sched_yield() {
    // SAFETY: sched_yield(2) takes no arguments; it cannot fail.
    let _ = unsafe { syscall0(nr::SCHED_YIELD) };
}

cfg_if::cfg_if! {
    if #[cfg(target_os = "dragonfly")] {
        pub(crate) fn cpu_count() -> Result<usize> {
            let value = super::sysctl::sysctl_int(&[::libc::CTL_HW, ::libc::HW_NCPU])?;
            Ok(value.max(0) as usize)
        }
    } else {
        pub(crate) fn cpu_count() -> Result<usize> {
            // 8192 CPUs' worth of mask; the kernel returns how many bytes it wrote.
            let mut mask = [0u64; 128];
            // SAFETY: `mask` is writable for the size passed; pid 0 is the calling thread.
            let written = unsafe {
                syscall3(nr::SCHED_GETAFFINITY, 0, core::mem::size_of_val(&mask), mask.as_mut_ptr() as usize)
            }?;
            let words = (written / 8).min(mask.len());
            Ok(mask[..words].iter().map(|w| w.count_ones() as usize).sum())
        }
    }
}

cfg_if::cfg_if! {
    if #[cfg(target_os = "dragonfly")] {
        /// Since 5.8 `sys_lwp_setname` (`sys/kern/kern_prot.c`) copies the name into the
        /// thread's `lpmap` title, `LPMAP_MAXTHREADTITLE` (1024) bytes with the NUL
        /// (`sys/sys/upmap.h`), and truncates beyond it silently.
        pub(crate) const THREAD_NAME_MAX: usize = 1023;

        pub(crate) fn set_current_name(name: &CStr) -> Result<()> {
            let tid = gettid().raw() as usize;
            // SAFETY: lwp_setname(tid, name): `name` is NUL-terminated and outlives the call.
            unsafe { syscall2(nr::LWP_SETNAME, tid, name.as_ptr() as usize) }.map(drop)
        }

        pub(crate) fn current_name(buf: &mut [u8]) -> Result<()> {
            let tid = gettid().raw() as usize;
            // SAFETY: lwp_getname(tid, name, len): `buf` is writable for the length passed.
            unsafe { syscall3(nr::LWP_GETNAME, tid, buf.as_mut_ptr() as usize, buf.len()) }.map(drop)
        }
    } else {
        /// `TASK_COMM_LEN` (16) less the NUL.
        pub(crate) const THREAD_NAME_MAX: usize = 15;

        pub(crate) fn set_current_name(name: &CStr) -> Result<()> {
            // SAFETY: prctl(PR_SET_NAME, name): `name` is NUL-terminated and outlives the call;
            // the kernel copies at most 16 bytes.
            unsafe { syscall2(nr::PRCTL, ::libc::PR_SET_NAME as usize, name.as_ptr() as usize) }.map(drop)
        }

        pub(crate) fn current_name(buf: &mut [u8]) -> Result<()> {
            // PR_GET_NAME always writes TASK_COMM_LEN (16) bytes, NUL included.
            let mut comm = [0u8; THREAD_NAME_MAX + 1];
            // SAFETY: `comm` is writable for the 16 bytes PR_GET_NAME writes.
            unsafe { syscall2(nr::PRCTL, ::libc::PR_GET_NAME as usize, comm.as_mut_ptr() as usize) }?;
            let n = comm.len().min(buf.len());
            buf[..n].copy_from_slice(&comm[..n]);
            Ok(())
        }
    }
}
