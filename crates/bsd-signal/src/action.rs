//! Signal actions: typed flags, the handler table and its one `extern "C"` trampoline.
//!
//! # Design
//! A handler is a plain Rust `fn(&SigInfo)`. bsd-signal keeps one atomic slot per signal number
//! holding the Rust function, and installs a single `extern "C"` trampoline with the kernel
//! (`SA_SIGINFO`). When a signal arrives the trampoline decodes `siginfo_t` into a [`SigInfo`]
//! and calls the slot's function. The slot is written before the kernel sees the trampoline, so
//! the trampoline never finds an empty slot for a signal it was installed for; reading a slot is
//! one atomic load, which is async-signal-safe.

use core::ffi::c_void;
use core::mem;
use core::ptr;
use core::sync::atomic::{AtomicPtr, Ordering};

use bsd_sys::libc::{self, c_int, siginfo_t};
use bsd_sys::{Errno, Result, Signal};

use crate::{SigInfo, SigSet};

bitflags::bitflags! {
    /// `sa_flags` of a signal action.
    ///
    /// Unknown bits read back from the kernel are kept (for example Linux's `SA_RESTORER`).
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{action, set_action, SaFlags, SigAction, Signal};
    ///
    /// let flags = SaFlags::RESTART | SaFlags::NODEFER;
    /// // SAFETY: SIG_IGN runs no code.
    /// let previous = unsafe { set_action(Signal::USR1, &SigAction::ignoring().with_flags(flags)) }?;
    /// assert!(action(Signal::USR1)?.flags().contains(flags)); // as the kernel keeps them
    /// // SAFETY: restoring what the kernel reported.
    /// unsafe { set_action(Signal::USR1, &previous) }?;
    /// # Ok::<(), bsd_signal::Errno>(())
    /// ```
    ///
    /// # References
    /// - [OpenBSD sigaction(2)](https://man.openbsd.org/sigaction.2)
    /// - [DragonFly sigaction(2)](https://man.dragonflybsd.org/?command=sigaction&section=2)
    /// - [Linux sigaction(2)](https://man7.org/linux/man-pages/man2/sigaction.2.html)
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct SaFlags: c_int {
        /// `SA_SIGINFO`: the handler receives `siginfo_t` (always set for Rust handlers).
        const SIGINFO = libc::SA_SIGINFO;
        /// `SA_ONSTACK`: run on the thread's alternate stack, if one is installed.
        const ONSTACK = libc::SA_ONSTACK;
        /// `SA_RESTART`: restart interruptible system calls instead of failing with EINTR.
        const RESTART = libc::SA_RESTART;
        /// `SA_RESETHAND`: reset to the default action when the handler is entered.
        const RESETHAND = libc::SA_RESETHAND;
        /// `SA_NODEFER`: do not block the signal while its handler runs.
        const NODEFER = libc::SA_NODEFER;
        /// `SA_NOCLDSTOP`: no `SIGCHLD` when a child stops or continues.
        const NOCLDSTOP = libc::SA_NOCLDSTOP;
        /// `SA_NOCLDWAIT`: children do not become zombies.
        const NOCLDWAIT = libc::SA_NOCLDWAIT;
        const _ = !0;
    }
}

/// What a signal does when it arrives (the `sa_handler`/`sa_sigaction` of an action).
///
/// Two `Function` handlers compare equal when their addresses are equal. New kinds may be
/// added, so a `match` needs a `_` arm.
///
/// # Examples
/// ```
/// use bsd_signal::{action, ignore, set_default_action, Handler, Signal};
///
/// // Rust's runtime ignores SIGPIPE before `main`, so a closed pipe is an `EPIPE` error.
/// assert_eq!(action(Signal::PIPE)?.handler_kind(), Handler::Ignore);
/// let previous = ignore(Signal::USR2)?;
/// assert_eq!(action(Signal::USR2)?.handler_kind(), Handler::Ignore);
/// assert_eq!(set_default_action(Signal::USR2)?.handler_kind(), Handler::Ignore);
/// assert_eq!(action(Signal::USR2)?.handler_kind(), Handler::Default);
/// # let _ = previous;
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sigaction(2)](https://man.openbsd.org/sigaction.2)
/// - [DragonFly sigaction(2)](https://man.dragonflybsd.org/?command=sigaction&section=2)
/// - [Linux sigaction(2)](https://man7.org/linux/man-pages/man2/sigaction.2.html)
#[doc(alias = "sa_handler")]
#[doc(alias = "sa_sigaction")]
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Handler {
    /// `SIG_DFL`: the signal's default action.
    Default,
    /// `SIG_IGN`: discard the signal.
    Ignore,
    /// A Rust handler run through bsd-signal's trampoline.
    Function(fn(&SigInfo)),
    /// A handler installed by other code (the C library, Rust's runtime, ...), kept as its raw
    /// address so that it can be restored exactly.
    Foreign(usize),
}

impl Handler {
    fn key(&self) -> (u8, usize) {
        match *self {
            Handler::Default => (0, 0),
            Handler::Ignore => (1, 0),
            Handler::Function(f) => (2, f as usize),
            Handler::Foreign(h) => (3, h),
        }
    }
}

impl PartialEq for Handler {
    fn eq(&self, other: &Handler) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Handler {}

impl core::hash::Hash for Handler {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

/// A signal action: handler, flags and the mask added while the handler runs.
///
/// `SigAction::default()` is [`SigAction::default_action`] (`SIG_DFL`).
///
/// # Examples
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use bsd_signal::{action, raise, set_action, Handler, SaFlags, SigAction, SigInfo, SigSet, Signal};
///
/// static SAW_USR2_BLOCKED: AtomicBool = AtomicBool::new(false);
/// fn on_usr1(_: &SigInfo) {
///     // The action's mask is added while the handler runs.
///     let blocked = bsd_signal::mask().is_ok_and(|m| m.contains(Signal::USR2));
///     SAW_USR2_BLOCKED.store(blocked, Ordering::SeqCst);
/// }
/// let wanted = SigAction::handler(on_usr1)
///     .with_flags(SaFlags::RESTART)
///     .with_mask(SigSet::of(Signal::USR2));
/// // SAFETY: the handler makes one async-signal-safe call and stores into an atomic.
/// let previous = unsafe { set_action(Signal::USR1, &wanted) }?;
/// let now = action(Signal::USR1)?;
/// assert_eq!(now.handler_kind(), Handler::Function(on_usr1));
/// assert!(now.flags().contains(SaFlags::RESTART | SaFlags::SIGINFO)); // SIGINFO added
/// assert_eq!(now.mask(), SigSet::of(Signal::USR2));
/// raise(Signal::USR1)?;
/// assert!(SAW_USR2_BLOCKED.load(Ordering::SeqCst));
/// // SAFETY: restoring what the kernel reported.
/// unsafe { set_action(Signal::USR1, &previous) }?;
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sigaction(2)](https://man.openbsd.org/sigaction.2)
/// - [DragonFly sigaction(2)](https://man.dragonflybsd.org/?command=sigaction&section=2)
/// - [Linux sigaction(2)](https://man7.org/linux/man-pages/man2/sigaction.2.html)
#[doc(alias = "sigaction")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SigAction {
    handler: Handler,
    flags: SaFlags,
    mask: SigSet,
}

impl SigAction {
    /// The default action (`SIG_DFL`), no flags, empty mask; also `SigAction::default()`.
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{Handler, SaFlags, SigAction, SigSet};
    ///
    /// let dfl = SigAction::default_action();
    /// assert_eq!(dfl, SigAction::default());
    /// assert_eq!(dfl.handler_kind(), Handler::Default);
    /// assert_eq!((dfl.flags(), dfl.mask()), (SaFlags::empty(), SigSet::empty()));
    /// ```
    #[doc(alias = "SIG_DFL")]
    #[must_use]
    pub fn default_action() -> SigAction {
        SigAction {
            handler: Handler::Default,
            flags: SaFlags::empty(),
            mask: SigSet::empty(),
        }
    }

    /// Ignore the signal (`SIG_IGN`).
    #[doc(alias = "SIG_IGN")]
    #[must_use]
    pub fn ignoring() -> SigAction {
        SigAction {
            handler: Handler::Ignore,
            ..SigAction::default_action()
        }
    }

    /// Run `f`, with `SA_SIGINFO` and an empty mask. Installing it is `unsafe`
    /// ([`set_action`]).
    #[must_use]
    pub fn handler(f: fn(&SigInfo)) -> SigAction {
        SigAction {
            handler: Handler::Function(f),
            flags: SaFlags::SIGINFO,
            mask: SigSet::empty(),
        }
    }

    /// Replaces the flags (`SA_SIGINFO` is added back for Rust handlers when installed).
    #[must_use]
    pub fn with_flags(mut self, flags: SaFlags) -> SigAction {
        self.flags = flags;
        self
    }

    /// Replaces the mask added while the handler runs.
    #[must_use]
    pub fn with_mask(mut self, mask: SigSet) -> SigAction {
        self.mask = mask;
        self
    }

    /// The handler.
    pub fn handler_kind(&self) -> Handler {
        self.handler
    }

    /// The flags.
    pub fn flags(&self) -> SaFlags {
        self.flags
    }

    /// The mask added while the handler runs.
    pub fn mask(&self) -> SigSet {
        self.mask
    }
}

impl Default for SigAction {
    fn default() -> SigAction {
        SigAction::default_action()
    }
}

/// One slot per signal number; index 0 is unused.
static HANDLERS: [AtomicPtr<()>; Signal::MAX as usize + 1] =
    [const { AtomicPtr::new(ptr::null_mut()) }; Signal::MAX as usize + 1];

fn slot(sig: Signal) -> &'static AtomicPtr<()> {
    &HANDLERS[sig.raw() as usize] // `Signal` is always in 1..=MAX
}

/// The trampoline the kernel calls for every Rust handler.
extern "C" fn trampoline(sig: c_int, info: *mut siginfo_t, _context: *mut c_void) {
    let Ok(signal) = Signal::from_raw(sig) else {
        return;
    };
    let f = slot(signal).load(Ordering::Acquire);
    if f.is_null() {
        return;
    }
    // SAFETY: slots only ever hold `fn(&SigInfo)` pointers, stored by `set_action`.
    let f: fn(&SigInfo) = unsafe { mem::transmute::<*mut (), fn(&SigInfo)>(f) };
    let (code, pid, uid, addr) = if info.is_null() {
        (0, None, None, None)
    } else {
        // SAFETY: the trampoline is installed with SA_SIGINFO, so the kernel passes a valid
        // siginfo_t for the duration of the handler.
        let fields = unsafe { bsd_sys::signal::siginfo_fields(info) };
        (fields.code, fields.pid, fields.uid, fields.addr)
    };
    let info = SigInfo {
        signal,
        code,
        pid,
        uid,
        addr,
    };
    // Unwinding out of an `extern "C"` function is undefined behaviour before Rust 1.81 (the
    // MSRV is 1.79), so a panicking handler aborts the process here instead. The happy path
    // costs nothing; `abort` is async-signal-safe.
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&info))).is_err() {
        std::process::abort();
    }
}

fn trampoline_address() -> usize {
    trampoline as extern "C" fn(c_int, *mut siginfo_t, *mut c_void) as usize
}

/// Decodes a kernel action; `f` is the slot's content that belonged to it.
fn from_raw(raw: &libc::sigaction, f: *mut ()) -> SigAction {
    let handler = match raw.sa_sigaction {
        libc::SIG_DFL => Handler::Default,
        libc::SIG_IGN => Handler::Ignore,
        h if h == trampoline_address() => {
            if f.is_null() {
                Handler::Foreign(h)
            } else {
                // SAFETY: slots only ever hold `fn(&SigInfo)` pointers.
                Handler::Function(unsafe { mem::transmute::<*mut (), fn(&SigInfo)>(f) })
            }
        }
        h => Handler::Foreign(h),
    };
    SigAction {
        handler,
        flags: SaFlags::from_bits_retain(raw.sa_flags),
        mask: SigSet::from_raw(raw.sa_mask),
    }
}

fn to_raw(action: &SigAction) -> libc::sigaction {
    // SAFETY: libc's sigaction is plain data; all-zero is a valid value of every field.
    let mut raw: libc::sigaction = unsafe { mem::zeroed() };
    let mut flags = action.flags;
    raw.sa_sigaction = match action.handler {
        Handler::Default => libc::SIG_DFL,
        Handler::Ignore => libc::SIG_IGN,
        Handler::Function(_) => {
            flags |= SaFlags::SIGINFO;
            trampoline_address()
        }
        Handler::Foreign(h) => h,
    };
    raw.sa_flags = flags.bits();
    raw.sa_mask = *action.mask.as_raw();
    raw
}

/// The action currently installed for `sig`.
///
/// Reserved signals (`bsd_sys::signal::is_reserved`) are `Errno::INVAL`.
///
/// # References
/// As for [`SigAction`].
///
/// # Examples
/// ```
/// use bsd_signal::{action, Errno, Handler, Signal};
///
/// // Nothing in this process has touched SIGWINCH.
/// assert_eq!(action(Signal::WINCH)?.handler_kind(), Handler::Default);
/// // The C thread library's own signal is not ours to look at.
/// assert_eq!(action(Signal::from_raw(32)?), Err(Errno::INVAL));
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
#[doc(alias = "sigaction")]
pub fn action(sig: Signal) -> Result<SigAction> {
    // SAFETY: no new action is installed.
    let raw = unsafe { bsd_sys::signal::sigaction(sig, None) }?;
    Ok(from_raw(&raw, slot(sig).load(Ordering::Acquire)))
}

/// Installs `action` for `sig`; returns the previous action so it can be restored.
///
/// `Errno::INVAL` for any action on `SIGKILL` or `SIGSTOP`, `SIG_DFL` included, checked before
/// the kernel is asked (see `# Platform`). For [`Handler::Function`], `SA_SIGINFO` is always
/// set.
///
/// # Safety
/// - A [`Handler::Function`] runs in signal context: it must be async-signal-safe (no
///   allocation, no locks, no `println!`; atomics and the calls listed in `sigaction(2)` are
///   fine), should not panic (a panic aborts the process), and should leave `errno` as it
///   found it.
/// - A handler for a fault signal (`SIGSEGV`, `SIGBUS`, `SIGILL`, `SIGFPE`) that returns goes
///   back to the faulting instruction, which faults again; such a handler should end the
///   process or thread instead of returning.
/// - A [`Handler::Foreign`] address must be a handler of the kind its flags say, valid for as
///   long as it is installed (as it is when restoring an action read back from the kernel).
///
/// # Platform
/// - OpenBSD: libc's `sigaction` (every call goes through libc there).
/// - DragonFly: system call 342 on the raw backend; the kernel returns from handlers through
///   its own signal trampoline, so no userland restorer is needed.
/// - Linux: `rt_sigaction` with the kernel's `kernel_sigaction` layout; on x86_64 the raw
///   backend supplies its own `rt_sigreturn` restorer, on aarch64 the kernel's vDSO one.
/// - Every OS: the signals the C thread library reserves are refused with `Errno::INVAL`
///   (`bsd_sys::signal::is_reserved`, which cites each library's source).
/// - `SIGKILL`/`SIGSTOP`: OpenBSD refuses any new action for them, `SIG_DFL` too
///   (`sys_sigaction`, `sys/kern/kern_sig.c` rev 1.365), and so does Linux (`do_sigaction`,
///   `kernel/signal.c`: `act && sig_kernel_only(sig)`); DragonFly accepts `SIG_DFL`
///   (`kern_sigaction`, `sys/kern/kern_sig.c` at 6.4, 81dd9c6184). bsd-signal refuses them on
///   every OS, so a program behaves the same everywhere.
///
/// # References
/// - [OpenBSD sigaction(2)](https://man.openbsd.org/sigaction.2)
/// - [DragonFly sigaction(2)](https://man.dragonflybsd.org/?command=sigaction&section=2)
/// - [Linux sigaction(2)](https://man7.org/linux/man-pages/man2/sigaction.2.html)
/// - [POSIX signal-safety](https://man7.org/linux/man-pages/man7/signal-safety.7.html)
///
/// # Examples
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use bsd_signal::{raise, set_action, Errno, Handler, SigAction, SigInfo, Signal};
///
/// static HITS: AtomicUsize = AtomicUsize::new(0);
/// fn count(_: &SigInfo) {
///     HITS.fetch_add(1, Ordering::SeqCst);
/// }
/// // SAFETY: `count` only touches an atomic.
/// let previous = unsafe { set_action(Signal::HUP, &SigAction::handler(count)) }?;
/// raise(Signal::HUP)?;
/// raise(Signal::HUP)?;
/// assert_eq!(HITS.load(Ordering::SeqCst), 2);
/// // SAFETY: restoring what the kernel reported; it returns the action it replaced.
/// let replaced = unsafe { set_action(Signal::HUP, &previous) }?;
/// assert_eq!(replaced.handler_kind(), Handler::Function(count));
/// // SAFETY: refused before anything is installed.
/// let kill = unsafe { set_action(Signal::KILL, &SigAction::handler(count)) };
/// assert_eq!(kill, Err(Errno::INVAL));
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
#[doc(alias = "sigaction")]
pub unsafe fn set_action(sig: Signal, action: &SigAction) -> Result<SigAction> {
    // Even SIG_DFL: OpenBSD and Linux refuse it, DragonFly would not (see `# Platform`).
    if sig == Signal::KILL || sig == Signal::STOP {
        return Err(Errno::INVAL);
    }
    // The slot's previous content belongs to the previous action, so it is swapped out (and
    // put back if the kernel refuses the new action).
    let previous_fn = match action.handler {
        Handler::Function(f) => Some(slot(sig).swap(f as *mut (), Ordering::AcqRel)),
        _ => None,
    };
    let raw = to_raw(action);
    // SAFETY: the handler is the trampoline (whose slot was just filled) or one the caller
    // vouches for; SIG_DFL/SIG_IGN need nothing.
    match unsafe { bsd_sys::signal::sigaction(sig, Some(&raw)) } {
        Ok(old) => {
            let f = previous_fn.unwrap_or_else(|| slot(sig).load(Ordering::Acquire));
            Ok(from_raw(&old, f))
        }
        Err(e) => {
            if let Some(f) = previous_fn {
                slot(sig).store(f, Ordering::Release);
            }
            Err(e)
        }
    }
}

/// Ignores `sig` (`SIG_IGN`); returns the previous action.
///
/// `Errno::INVAL` for `SIGKILL` and `SIGSTOP`. Ignoring a signal also discards any pending
/// instance of it.
///
/// # References
/// As for [`set_action`].
///
/// # Examples
/// ```
/// use bsd_signal::{ignore, raise, set_action, Errno, Signal};
///
/// let previous = ignore(Signal::TERM)?;
/// raise(Signal::TERM)?; // discarded: the process goes on
/// assert_eq!(ignore(Signal::KILL), Err(Errno::INVAL));
/// // SAFETY: restoring what the kernel reported.
/// unsafe { set_action(Signal::TERM, &previous) }?;
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
#[doc(alias = "SIG_IGN")]
pub fn ignore(sig: Signal) -> Result<SigAction> {
    // SAFETY: SIG_IGN runs no code.
    unsafe { set_action(sig, &SigAction::ignoring()) }
}

/// Sets the default action of `sig` (`SIG_DFL`: end the process, stop it, or nothing,
/// depending on the signal); returns the previous action.
///
/// `Errno::INVAL` for `SIGKILL` and `SIGSTOP` (their action is always the default, and
/// OpenBSD and Linux refuse to set it; see [`set_action`]) and for the reserved signals. The
/// counterpart of [`ignore`]; to put back what was there before, pass the action `ignore` or
/// [`set_action`] returned to `set_action`.
///
/// # References
/// As for [`set_action`].
///
/// # Examples
/// ```
/// use bsd_signal::{action, ignore, set_default_action, Handler, Signal};
///
/// let before = ignore(Signal::USR1)?;
/// let replaced = set_default_action(Signal::USR1)?;
/// assert_eq!(replaced.handler_kind(), Handler::Ignore);
/// assert_eq!(action(Signal::USR1)?.handler_kind(), Handler::Default);
/// assert_eq!(set_default_action(Signal::KILL), Err(bsd_signal::Errno::INVAL)); // every OS
/// # let _ = before;
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
#[doc(alias = "SIG_DFL")]
#[doc(alias = "signal")]
pub fn set_default_action(sig: Signal) -> Result<SigAction> {
    // SAFETY: SIG_DFL runs no code.
    unsafe { set_action(sig, &SigAction::default_action()) }
}
