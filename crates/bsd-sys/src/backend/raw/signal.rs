//! Signal calls as direct system calls.
//!
//! DragonFly passes the C library's structures straight to the kernel. Linux's kernel has its own
//! `struct kernel_sigaction` and an 8-byte signal set, translated here.

use core::mem::MaybeUninit;
use core::ptr;

use super::arch::{syscall2, syscall3};
use super::nr;
use crate::{Pid, Result};
use libc::{c_int, pid_t, sigset_t, stack_t};

#[inline]
pub(crate) fn getpid() -> Pid {
    // SAFETY: getpid(2) takes no arguments and cannot fail.
    let pid = unsafe { super::arch::syscall0_infallible(nr::GETPID) };
    Pid::from_raw(pid as ::libc::pid_t)
}

#[inline]
pub(crate) fn kill(pid: pid_t, sig: c_int) -> Result<()> {
    // SAFETY: kill(2) takes no pointers.
    unsafe { syscall2(nr::KILL, pid as usize, sig as usize) }.map(drop)
}

/// # Safety
/// As for `crate::signal::sigaltstack`.
#[inline]
pub(crate) unsafe fn sigaltstack(new: Option<&stack_t>) -> Result<stack_t> {
    let mut old = MaybeUninit::<stack_t>::zeroed();
    let new = new.map_or(ptr::null(), |s| s as *const _);
    // SAFETY: the caller vouches for the new stack's memory; `old` is writable. Both OSes take
    // the C library's `stack_t` (asserted in layout.rs).
    unsafe { syscall2(nr::SIGALTSTACK, new as usize, old.as_mut_ptr() as usize) }?;
    // SAFETY: zero-initialised plain data, filled by the kernel on success.
    Ok(unsafe { old.assume_init() })
}

#[cfg(target_os = "dragonfly")]
mod os {
    use super::*;

    /// # Safety
    /// As for `crate::signal::sigaction`.
    #[inline]
    pub(crate) unsafe fn sigaction(sig: c_int, act: Option<&::libc::sigaction>) -> Result<::libc::sigaction> {
        let mut old = MaybeUninit::<::libc::sigaction>::zeroed();
        let new = act.map_or(ptr::null(), |a| a as *const _);
        // SAFETY: sigaction 342 takes the C library's struct (layout asserted in layout.rs). The
        // kernel returns from a handler through its own sigcode, mapped below PS_STRINGS
        // (`sendsig` in `sys/platform/pc64/x86_64/machdep.c` sets `tf_rip` there), so no
        // userland trampoline is involved. The caller vouches for the handler.
        unsafe { syscall3(nr::SIGACTION, sig as usize, new as usize, old.as_mut_ptr() as usize) }?;
        // SAFETY: zero-initialised plain data, filled by the kernel on success.
        Ok(unsafe { old.assume_init() })
    }

    #[inline]
    pub(crate) fn thread_sigmask(how: c_int, set: Option<&sigset_t>) -> Result<sigset_t> {
        let mut old = MaybeUninit::<sigset_t>::uninit();
        let new = set.map_or(ptr::null(), |s| s as *const _);
        // SAFETY: sigprocmask 340 takes pointers to the 16-byte `sigset_t` and changes the
        // calling LWP's mask (`kern_sig.c`); `new` is null or valid, `old` writable.
        unsafe { syscall3(nr::SIGPROCMASK, how as usize, new as usize, old.as_mut_ptr() as usize) }?;
        // SAFETY: on success the kernel copied out the whole previous set.
        Ok(unsafe { old.assume_init() })
    }

    #[inline]
    pub(crate) fn change_thread_sigmask(how: c_int, set: &sigset_t) -> Result<()> {
        // SAFETY: as in `thread_sigmask`, with a null old-set pointer.
        unsafe { syscall3(nr::SIGPROCMASK, how as usize, set as *const _ as usize, 0) }.map(drop)
    }

    #[inline]
    pub(crate) fn sigpending() -> Result<sigset_t> {
        let mut set = crate::signal::sigset_empty();
        // SAFETY: sigpending 343 writes one `sigset_t`.
        unsafe { super::syscall1(nr::SIGPENDING, &mut set as *mut _ as usize) }?;
        Ok(set)
    }

    #[inline]
    pub(crate) fn kill_thread(tid: pid_t, sig: c_int) -> Result<()> {
        // SAFETY: lwp_kill 497 takes no pointers; pid -1 is the calling process (lwp_kill(2)).
        unsafe { syscall3(nr::LWP_KILL, -1isize as usize, tid as usize, sig as usize) }.map(drop)
    }
}

#[cfg(target_os = "linux")]
mod os {
    use super::*;
    use crate::backend::raw::arch::syscall4;
    use crate::signal::{sigset_from_u64, sigset_to_u64};
    use core::mem::{align_of, offset_of, size_of};

    /// The kernel's size of a signal set: 64 signals, one `unsigned long` (`_NSIG / 8`).
    const KERNEL_SIGSET_SIZE: usize = 8;

    /// Linux `struct kernel_sigaction` as `rt_sigaction` reads it (`include/linux/signal_types.h`
    /// `struct sigaction` with `__ARCH_HAS_SA_RESTORER`, x86_64 and arm64): the handler, flags as
    /// `unsigned long`, the restorer, then an 8-byte mask. glibc's `struct sigaction` puts a
    /// 128-byte mask second instead.
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct KernelSigaction {
        handler: usize,
        flags: u64,
        restorer: usize,
        mask: u64,
    }

    const _: () = assert!(size_of::<KernelSigaction>() == 32);
    const _: () = assert!(align_of::<KernelSigaction>() == 8);
    const _: () = assert!(offset_of!(KernelSigaction, handler) == 0);
    const _: () = assert!(offset_of!(KernelSigaction, flags) == 8);
    const _: () = assert!(offset_of!(KernelSigaction, restorer) == 16);
    const _: () = assert!(offset_of!(KernelSigaction, mask) == 24);

    /// `SA_RESTORER` (`arch/x86/include/uapi/asm/signal.h`, `arch/arm64/include/asm/signal.h`).
    const SA_RESTORER: u64 = 0x0400_0000;

    /// The restorer to install: x86_64 requires one (`x64_setup_rt_frame` in
    /// `arch/x86/kernel/signal_64.c` fails the frame setup without `SA_RESTORER`, and the
    /// process gets SIGSEGV instead of the handler); arm64 returns through the vDSO's `__kernel_rt_sigreturn` when
    /// `SA_RESTORER` is clear (`arch/arm64/kernel/signal.c` `setup_return`,
    /// `arch/arm64/kernel/vdso/sigreturn.S`).
    fn restorer() -> Option<usize> {
        cfg_if::cfg_if! {
            if #[cfg(target_arch = "x86_64")] {
                Some(crate::backend::raw::arch::rt_sigreturn_restorer())
            } else {
                None
            }
        }
    }

    /// # Safety
    /// As for `crate::signal::sigaction`.
    #[inline]
    pub(crate) unsafe fn sigaction(sig: c_int, act: Option<&::libc::sigaction>) -> Result<::libc::sigaction> {
        let new = act.map(|a| {
            let mut flags = (a.sa_flags as u32 as u64) & !SA_RESTORER;
            let mut restorer_addr = 0;
            if let Some(r) = restorer() {
                flags |= SA_RESTORER;
                restorer_addr = r;
            }
            KernelSigaction { handler: a.sa_sigaction, flags, restorer: restorer_addr, mask: sigset_to_u64(&a.sa_mask) }
        });
        let mut old = KernelSigaction { handler: 0, flags: 0, restorer: 0, mask: 0 };
        let new_ptr = new.as_ref().map_or(ptr::null(), |k| k as *const KernelSigaction);
        // SAFETY: both structs have the kernel layout (asserted above) and live across the call;
        // the restorer, when set, is the `rt_sigreturn` trampoline of the arch module. The
        // caller vouches for the handler.
        unsafe {
            syscall4(nr::RT_SIGACTION, sig as usize, new_ptr as usize, &mut old as *mut _ as usize, KERNEL_SIGSET_SIZE)
        }?;
        // SAFETY: libc's sigaction is plain data (an Option<fn> restorer is null-able); zero
        // is a valid value for every field.
        let mut out: ::libc::sigaction = unsafe { MaybeUninit::zeroed().assume_init() };
        out.sa_sigaction = old.handler;
        out.sa_flags = old.flags as u32 as c_int;
        out.sa_mask = sigset_from_u64(old.mask);
        Ok(out)
    }

    #[inline]
    pub(crate) fn thread_sigmask(how: c_int, set: Option<&sigset_t>) -> Result<sigset_t> {
        let new = set.map(sigset_to_u64);
        let new_ptr = new.as_ref().map_or(ptr::null(), |w| w as *const u64);
        let mut old: u64 = 0;
        // SAFETY: rt_sigprocmask reads/writes 8-byte kernel sets; both live across the call.
        unsafe {
            syscall4(nr::RT_SIGPROCMASK, how as usize, new_ptr as usize, &mut old as *mut u64 as usize, KERNEL_SIGSET_SIZE)
        }?;
        Ok(sigset_from_u64(old))
    }

    #[inline]
    pub(crate) fn change_thread_sigmask(how: c_int, set: &sigset_t) -> Result<()> {
        let new = sigset_to_u64(set);
        // SAFETY: rt_sigprocmask reads one 8-byte kernel set; a null old set asks for nothing.
        unsafe {
            syscall4(nr::RT_SIGPROCMASK, how as usize, &new as *const u64 as usize, 0, KERNEL_SIGSET_SIZE)
        }
        .map(drop)
    }

    #[inline]
    pub(crate) fn sigpending() -> Result<sigset_t> {
        let mut set: u64 = 0;
        // SAFETY: rt_sigpending writes one 8-byte kernel set.
        unsafe { syscall2(nr::RT_SIGPENDING, &mut set as *mut u64 as usize, KERNEL_SIGSET_SIZE) }?;
        Ok(sigset_from_u64(set))
    }

    #[inline]
    pub(crate) fn kill_thread(tid: pid_t, sig: c_int) -> Result<()> {
        let pid = getpid().raw();
        // SAFETY: tgkill takes no pointers.
        unsafe { syscall3(nr::TGKILL, pid as usize, tid as usize, sig as usize) }.map(drop)
    }
}

pub(crate) use os::{change_thread_sigmask, kill_thread, sigaction, sigpending, thread_sigmask};
#[cfg(target_os = "dragonfly")]
use super::arch::syscall1;
