//! The signal concern: actions, thread masks, pending sets, alternate stacks, and process- and
//! thread-directed kill.
//!
//! Structures are the C library's (`libc::sigaction`, `libc::sigset_t`, `libc::stack_t`) on every
//! backend; the raw backend translates where the kernel's layout differs (Linux's
//! `struct kernel_sigaction`).

mod reserved;
mod siginfo;
mod sigset;
mod wait;

pub use reserved::{is_reserved, reserved_signals};
pub use siginfo::{siginfo_fields, SigInfoFields};
pub use sigset::{sigset_add, sigset_contains, sigset_empty, sigset_remove};
#[cfg(target_os = "linux")]
#[allow(unused_imports)] // used by the raw backend
pub(crate) use sigset::{sigset_from_u64, sigset_to_u64};
pub use wait::*;

use crate::backend::imp;
use crate::{Errno, Pid, Result, Signal, ThreadId};
use libc::{c_int, sigset_t, stack_t};

/// The id of the calling process. Cannot fail.
///
/// # Examples
/// ```
/// let me = bsd_sys::signal::getpid();
/// assert_eq!(me.raw() as u32, std::process::id());
/// ```
///
/// # References
/// - [OpenBSD getpid(2)](https://man.openbsd.org/getpid.2)
/// - [DragonFly getpid(2)](https://man.dragonflybsd.org/?command=getpid&section=2)
/// - [Linux getpid(2)](https://man7.org/linux/man-pages/man2/getpid.2.html)
#[inline]
#[must_use]
pub fn getpid() -> Pid {
    imp::signal::getpid()
}

/// Reads and optionally replaces the action for `sig`; returns the previous action.
///
/// A signal the C thread library reserves ([`is_reserved`]) is refused with `EINVAL`, whether
/// read or changed, as the C library itself does; reserved signals in `sa_mask` are left out.
///
/// # Platform
/// - OpenBSD: libc `sigaction`; `struct sigaction` is 16 bytes, mask before flags.
/// - DragonFly: syscall 342 with the same structure as libc (32 bytes, flags before mask). The
///   kernel supplies the signal trampoline (`sendsig` in `sys/platform/pc64/x86_64/machdep.c`
///   returns through the sigcode it maps below `PS_STRINGS`), so a raw call needs no userland
///   restorer.
/// - Linux raw: `rt_sigaction` with the kernel's `struct kernel_sigaction`; on x86_64 bsd-sys
///   supplies its own `rt_sigreturn` restorer (`SA_RESTORER`), on aarch64 the kernel returns
///   through the vDSO trampoline.
///
/// # Safety
/// If `act` installs a handler, it must be a valid function of the kind `sa_flags` says
/// (`SA_SIGINFO` or not) that is async-signal-safe and stays valid while installed. The old
/// action's handler, if reinstalled later, carries the same obligation.
///
/// # Examples
/// ```
/// use core::sync::atomic::{AtomicBool, Ordering};
/// use bsd_sys::{libc, signal, thread, Signal};
///
/// static CAUGHT: AtomicBool = AtomicBool::new(false);
/// extern "C" fn on_usr1(_: libc::c_int) {
///     CAUGHT.store(true, Ordering::SeqCst);
/// }
///
/// // SAFETY: all-zero is a valid `sigaction` (no flags, empty mask).
/// let mut act: libc::sigaction = unsafe { core::mem::zeroed() };
/// act.sa_sigaction = on_usr1 as *const () as usize;
/// // SAFETY: `on_usr1` takes one `c_int` (no SA_SIGINFO), only stores to an atomic, and is a
/// // static function.
/// let old = unsafe { signal::sigaction(Signal::USR1, Some(&act)) }?;
/// assert_eq!(old.sa_sigaction, libc::SIG_DFL);
/// // A thread-directed signal runs the handler before the call returns to this thread.
/// signal::kill_thread(thread::gettid(), Signal::USR1)?;
/// assert!(CAUGHT.load(Ordering::SeqCst));
/// // SAFETY: the previous action is the default one, which has no handler.
/// unsafe { signal::sigaction(Signal::USR1, Some(&old)) }?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sigaction(2)](https://man.openbsd.org/sigaction.2)
/// - [DragonFly sigaction(2)](https://man.dragonflybsd.org/?command=sigaction&section=2)
/// - [Linux sigaction(2)](https://man7.org/linux/man-pages/man2/sigaction.2.html)
#[inline]
pub unsafe fn sigaction(sig: Signal, act: Option<&libc::sigaction>) -> Result<libc::sigaction> {
    if is_reserved(sig) {
        return Err(Errno::INVAL);
    }
    let filtered = act.and_then(|a| {
        reserved::without_reserved(&a.sa_mask).map(|mask| {
            let mut copy = *a;
            copy.sa_mask = mask;
            copy
        })
    });
    // SAFETY: forwarded to the caller (the copy differs only in its mask).
    unsafe { imp::signal::sigaction(sig.raw(), filtered.as_ref().or(act)) }
}

/// Changes the calling thread's signal mask (`how` is `SIG_BLOCK`, `SIG_UNBLOCK` or
/// `SIG_SETMASK`; `None` only reads it); returns the previous mask.
///
/// Never fails with EINTR. `SIGKILL` and `SIGSTOP` cannot be blocked; the kernel drops them
/// silently. Signals the C thread library reserves ([`is_reserved`]) are left out of a set that
/// is blocked or set, on every backend, as the C library does.
///
/// # Platform
/// - OpenBSD: libc `pthread_sigmask` (the raw `sigprocmask` passes the mask by value).
/// - DragonFly raw: `sigprocmask` 340, which acts on the calling LWP.
/// - Linux raw: `rt_sigprocmask` with an 8-byte kernel set.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, signal, Signal};
///
/// let mut usr1 = signal::sigset_empty();
/// signal::sigset_add(&mut usr1, Signal::USR1);
/// let old = signal::thread_sigmask(libc::SIG_BLOCK, Some(&usr1))?;
/// let now = signal::thread_sigmask(libc::SIG_BLOCK, None)?; // `None` only reads
/// assert!(signal::sigset_contains(&now, Signal::USR1));
/// assert!(!signal::sigset_contains(&old, Signal::USR1));
/// signal::change_thread_sigmask(libc::SIG_SETMASK, &old)?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sigprocmask(2)](https://man.openbsd.org/sigprocmask.2)
/// - [DragonFly sigprocmask(2)](https://man.dragonflybsd.org/?command=sigprocmask&section=2)
/// - [Linux pthread_sigmask(3)](https://man7.org/linux/man-pages/man3/pthread_sigmask.3.html)
#[doc(alias = "pthread_sigmask")]
#[doc(alias = "sigprocmask")]
#[inline]
pub fn thread_sigmask(how: c_int, set: Option<&sigset_t>) -> Result<sigset_t> {
    let filtered = match set {
        Some(s) if how != libc::SIG_UNBLOCK => reserved::mask_without_reserved(s),
        _ => None,
    };
    imp::signal::thread_sigmask(how, filtered.as_ref().or(set))
}

/// Changes the calling thread's signal mask like [`thread_sigmask`] without reading the
/// previous mask (the kernel is passed a null old-set pointer): the cheap way to restore a
/// mask saved earlier. Reserved signals are left out as for [`thread_sigmask`].
///
/// # Platform
/// As for [`thread_sigmask`].
///
/// # Examples
/// ```
/// use bsd_sys::{libc, signal, Signal};
///
/// // Ask for every signal: the kernel keeps SIGKILL and SIGSTOP out, bsd-sys the reserved ones.
/// let mut all = signal::sigset_empty();
/// Signal::all().for_each(|sig| signal::sigset_add(&mut all, sig));
/// let saved = signal::thread_sigmask(libc::SIG_SETMASK, Some(&all))?;
/// let now = signal::thread_sigmask(libc::SIG_BLOCK, None)?;
/// assert!(signal::sigset_contains(&now, Signal::TERM));
/// assert!(!signal::sigset_contains(&now, Signal::KILL));
/// assert!(signal::reserved_signals().all(|sig| !signal::sigset_contains(&now, sig)));
/// signal::change_thread_sigmask(libc::SIG_SETMASK, &saved)?; // restore, no read back
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sigprocmask(2)](https://man.openbsd.org/sigprocmask.2)
/// - [DragonFly sigprocmask(2)](https://man.dragonflybsd.org/?command=sigprocmask&section=2)
/// - [Linux pthread_sigmask(3)](https://man7.org/linux/man-pages/man3/pthread_sigmask.3.html)
#[doc(alias = "pthread_sigmask")]
#[doc(alias = "sigprocmask")]
#[inline]
pub fn change_thread_sigmask(how: c_int, set: &sigset_t) -> Result<()> {
    match reserved::mask_without_reserved(set) {
        Some(filtered) if how != libc::SIG_UNBLOCK => {
            imp::signal::change_thread_sigmask(how, &filtered)
        }
        _ => imp::signal::change_thread_sigmask(how, set),
    }
}

/// The signals pending for the calling thread or its process.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, signal, thread, Signal};
///
/// let mut usr2 = signal::sigset_empty();
/// signal::sigset_add(&mut usr2, Signal::USR2);
/// let old = signal::thread_sigmask(libc::SIG_BLOCK, Some(&usr2))?;
/// assert!(!signal::sigset_contains(&signal::sigpending()?, Signal::USR2));
/// signal::kill_thread(thread::gettid(), Signal::USR2)?; // blocked: it stays pending
/// assert!(signal::sigset_contains(&signal::sigpending()?, Signal::USR2));
/// assert_eq!(signal::sigwait(&usr2)?, Signal::USR2); // takes it
/// assert!(!signal::sigset_contains(&signal::sigpending()?, Signal::USR2));
/// signal::change_thread_sigmask(libc::SIG_SETMASK, &old)?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sigpending(2)](https://man.openbsd.org/sigpending.2)
/// - [DragonFly sigpending(2)](https://man.dragonflybsd.org/?command=sigpending&section=2)
/// - [Linux sigpending(2)](https://man7.org/linux/man-pages/man2/sigpending.2.html)
#[inline]
pub fn sigpending() -> Result<sigset_t> {
    imp::signal::sigpending()
}

/// Reads and optionally replaces the calling thread's alternate signal stack; returns the
/// previous one.
///
/// # Platform
/// - OpenBSD: the kernel remaps the range as a fresh, zero-filled `MAP_STACK` mapping (skipping
///   the lowest page when `ss_sp` is page aligned); `ENOMEM` below `MINSIGSTKSZ` (12288).
/// - DragonFly: syscall 53; `MINSIGSTKSZ` 8192. The kernel refuses only *disabling* the stack
///   while on it (`EPERM`); installing a different one succeeds and clears `SS_ONSTACK`
///   (`kern_sigaltstack` in `sys/kern/kern_sig.c`).
/// - OpenBSD and Linux refuse every change while on the stack (`EPERM`).
///
/// # Safety
/// A new stack must be writable memory of `ss_size` bytes that stays mapped, and is used for
/// nothing else, while it is installed on this thread.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, signal};
///
/// let size = signal::default_signal_stack_size();
/// let mut memory = vec![0u8; size];
/// let stack = libc::stack_t {
///     ss_sp: memory.as_mut_ptr().cast(),
///     ss_flags: 0,
///     ss_size: size,
/// };
/// // SAFETY: `memory` is writable, `size` long, and outlives the installation (the old stack
/// // is put back below).
/// let old = unsafe { signal::sigaltstack(Some(&stack)) }?;
/// // SAFETY: a query installs nothing.
/// let now = unsafe { signal::sigaltstack(None) }?;
/// assert_eq!((now.ss_sp, now.ss_size), (stack.ss_sp, size));
/// // SAFETY: the previous stack (std's guard-page handler stack, or none) was valid before.
/// unsafe { signal::sigaltstack(Some(&old)) }?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sigaltstack(2)](https://man.openbsd.org/sigaltstack.2)
/// - [DragonFly sigaltstack(2)](https://man.dragonflybsd.org/?command=sigaltstack&section=2)
/// - [Linux sigaltstack(2)](https://man7.org/linux/man-pages/man2/sigaltstack.2.html)
#[inline]
pub unsafe fn sigaltstack(new: Option<&stack_t>) -> Result<stack_t> {
    // SAFETY: forwarded to the caller.
    unsafe { imp::signal::sigaltstack(new) }
}

/// Sends `sig` to process `pid` (or a group, with the usual `kill(2)` pid conventions).
///
/// A signal the C thread library reserves ([`is_reserved`]) is refused with `EINVAL` when the
/// calling process could receive it (`pid` is this process, 0, or negative): the library would
/// take it for one of its own requests.
///
/// # Examples
/// ```
/// use std::os::unix::process::ExitStatusExt;
/// use bsd_sys::{signal, Errno, Pid, Signal};
///
/// let mut child = std::process::Command::new("sleep").arg("10").spawn()?;
/// signal::kill(Pid::from_child(&child), Signal::KILL)?;
/// assert_eq!(child.wait()?.signal(), Some(Signal::KILL.raw()));
/// // A signal the C library reserves is refused when it could reach this process.
/// let reserved = signal::reserved_signals().next().unwrap();
/// assert_eq!(signal::kill(signal::getpid(), reserved), Err(Errno::INVAL));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// - [OpenBSD kill(2)](https://man.openbsd.org/kill.2)
/// - [DragonFly kill(2)](https://man.dragonflybsd.org/?command=kill&section=2)
/// - [Linux kill(2)](https://man7.org/linux/man-pages/man2/kill.2.html)
#[inline]
pub fn kill(pid: Pid, sig: Signal) -> Result<()> {
    if is_reserved(sig) && (pid.raw() <= 0 || pid == getpid()) {
        return Err(Errno::INVAL);
    }
    imp::signal::kill(pid.raw(), sig.raw())
}

/// Sends `sig` to thread `tid` of the calling process.
///
/// `tid` must name a live thread of this process: ids are reused (DragonFly reuses an exited
/// lwp's id at once; OpenBSD draws them at random with no quarantine), so an id kept past its
/// thread's exit can reach another thread. Ids `<= 0` are refused with `EINVAL` (OpenBSD's
/// `thrkill(0, ...)` would signal the *calling* thread), and so is a signal the C thread
/// library reserves ([`is_reserved`]).
///
/// # Platform
/// - OpenBSD: `thrkill(tid, sig, NULL)` (libc; not in the `libc` crate).
/// - DragonFly: `lwp_kill(-1, tid, sig)`, syscall 497 (`-1` is the calling process).
/// - Linux: `tgkill(getpid(), tid, sig)`.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, signal, thread, Errno, Signal, ThreadId};
///
/// // Block SIGUSR1 here, signal this thread, and find it pending for this thread.
/// let mut usr1 = signal::sigset_empty();
/// signal::sigset_add(&mut usr1, Signal::USR1);
/// let old = signal::thread_sigmask(libc::SIG_BLOCK, Some(&usr1))?;
/// signal::kill_thread(thread::gettid(), Signal::USR1)?;
/// assert!(signal::sigset_contains(&signal::sigpending()?, Signal::USR1));
/// assert_eq!(signal::sigwait(&usr1)?, Signal::USR1);
/// signal::change_thread_sigmask(libc::SIG_SETMASK, &old)?;
/// // Id 0 would mean "the calling thread" to OpenBSD's thrkill: refused everywhere.
/// assert_eq!(signal::kill_thread(ThreadId::from_raw(0), Signal::USR1), Err(Errno::INVAL));
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD thrkill(2)](https://man.openbsd.org/thrkill.2)
/// - [DragonFly lwp_kill(2)](https://man.dragonflybsd.org/?command=lwp_kill&section=2)
/// - [Linux tgkill(2)](https://man7.org/linux/man-pages/man2/tgkill.2.html)
#[doc(alias = "thrkill")]
#[doc(alias = "lwp_kill")]
#[doc(alias = "tgkill")]
#[inline]
pub fn kill_thread(tid: ThreadId, sig: Signal) -> Result<()> {
    if tid.raw() <= 0 || is_reserved(sig) {
        return Err(Errno::INVAL);
    }
    imp::signal::kill_thread(tid.raw(), sig.raw())
}

/// The smallest alternate signal stack the kernel accepts (`MINSIGSTKSZ`).
///
/// # Platform
/// - OpenBSD: 12288 (`3 << _MAX_PAGE_SHIFT`, `sys/sys/signal.h`) on amd64 and arm64.
/// - DragonFly: 8192 (`sys/sys/signal.h`; not in the `libc` crate).
/// - Linux: the larger of the C library's `MINSIGSTKSZ` (2048 on x86_64, 5120 on aarch64, as
///   the `libc` crate and the kernel's `arch/*/include/uapi/asm/signal.h` give it) and the
///   kernel's `AT_MINSIGSTKSZ` auxiliary vector entry, which accounts for the CPU's real signal frame (AVX-512 or AMX state makes it
///   larger than the constant); read with `getauxval`, which reads memory and makes no syscall.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, signal, Errno};
///
/// let min = signal::min_signal_stack_size();
/// let mut memory = vec![0u8; min];
/// let mut stack = libc::stack_t { ss_sp: memory.as_mut_ptr().cast(), ss_flags: 0, ss_size: 1024 };
/// // 1 KiB is below every supported kernel's minimum (2048 or more).
/// // SAFETY: `memory` is writable and outlives the call; the kernel refuses it anyway.
/// assert_eq!(unsafe { signal::sigaltstack(Some(&stack)) }.err(), Some(Errno::NOMEM));
/// stack.ss_size = min;
/// // SAFETY: `memory` is `min` bytes and outlives the installation, undone right after.
/// let old = unsafe { signal::sigaltstack(Some(&stack)) }?;
/// // SAFETY: the previous stack was valid before.
/// unsafe { signal::sigaltstack(Some(&old)) }?;
/// # Ok::<(), Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sigaltstack(2)](https://man.openbsd.org/sigaltstack.2)
/// - [DragonFly sigaltstack(2)](https://man.dragonflybsd.org/?command=sigaltstack&section=2)
/// - [Linux sigaltstack(2)](https://man7.org/linux/man-pages/man2/sigaltstack.2.html)
/// - [Linux getauxval(3)](https://man7.org/linux/man-pages/man3/getauxval.3.html)
#[doc(alias = "MINSIGSTKSZ")]
#[must_use]
pub fn min_signal_stack_size() -> usize {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "openbsd")] {
            libc::MINSIGSTKSZ
        } else if #[cfg(target_os = "dragonfly")] {
            DRAGONFLY_MINSIGSTKSZ
        } else {
            // SAFETY: getauxval reads the process's auxiliary vector; 0 means "absent".
            let at = unsafe { libc::getauxval(AT_MINSIGSTKSZ) } as usize;
            core::cmp::max(libc::MINSIGSTKSZ, at)
        }
    }
}

/// DragonFly `MINSIGSTKSZ` (`sys/sys/signal.h`); the `libc` crate lacks it.
#[cfg(target_os = "dragonfly")]
const DRAGONFLY_MINSIGSTKSZ: usize = 8192;

/// Linux `AT_MINSIGSTKSZ` (`include/uapi/linux/auxvec.h`, since 5.14 on x86).
#[cfg(target_os = "linux")]
const AT_MINSIGSTKSZ: libc::c_ulong = 51;

/// A comfortable alternate signal stack size: the C library's `SIGSTKSZ`, or twice
/// [`min_signal_stack_size`] where that is larger.
///
/// OpenBSD 28672, DragonFly 40960, Linux at least 8192 (glibc's constant), more on CPUs with a
/// large signal frame.
///
/// # Examples
/// ```
/// use bsd_sys::signal;
/// assert!(signal::default_signal_stack_size() >= 2 * signal::min_signal_stack_size());
/// ```
///
/// # References
/// - [OpenBSD sigaltstack(2)](https://man.openbsd.org/sigaltstack.2)
/// - [DragonFly sigaltstack(2)](https://man.dragonflybsd.org/?command=sigaltstack&section=2)
/// - [Linux sigaltstack(2)](https://man7.org/linux/man-pages/man2/sigaltstack.2.html)
#[doc(alias = "SIGSTKSZ")]
#[must_use]
pub fn default_signal_stack_size() -> usize {
    core::cmp::max(libc::SIGSTKSZ, 2 * min_signal_stack_size())
}
