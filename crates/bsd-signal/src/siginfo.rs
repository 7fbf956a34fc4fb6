//! What the kernel tells a handler about a delivered signal ([`SigInfo`]).

use bsd_sys::libc::c_int;
use bsd_sys::{Pid, Signal};

/// What the kernel knows about a delivered signal, decoded from `siginfo_t`.
///
/// A handler receives it by reference; it is `Copy`, so a handler may keep it in memory it
/// owns (for instance behind a lock-free slot) to look at after the handler returned.
///
/// # Examples
/// ```
/// use std::sync::atomic::{AtomicI32, Ordering};
/// use bsd_signal::{raise, set_action, Pid, SigAction, SigInfo, Signal};
///
/// static SIGNAL: AtomicI32 = AtomicI32::new(0);
/// static SENDER: AtomicI32 = AtomicI32::new(-1);
/// fn record(info: &SigInfo) {
///     SIGNAL.store(info.signal().raw(), Ordering::SeqCst);
///     SENDER.store(info.sender_pid().map_or(0, Pid::raw), Ordering::SeqCst);
/// }
/// // SAFETY: the handler only stores into atomics.
/// let previous = unsafe { set_action(Signal::USR1, &SigAction::handler(record)) }?;
/// raise(Signal::USR1)?;
/// assert_eq!(SIGNAL.load(Ordering::SeqCst), Signal::USR1.raw());
/// // OpenBSD never fills `si_pid`; DragonFly and Linux name the sender.
/// let expected = if cfg!(target_os = "openbsd") { 0 } else { Pid::current().raw() };
/// assert_eq!(SENDER.load(Ordering::SeqCst), expected);
/// // SAFETY: restoring what the kernel reported.
/// unsafe { set_action(Signal::USR1, &previous) }?;
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sigaction(2)](https://man.openbsd.org/sigaction.2) (siginfo)
/// - [DragonFly sigaction(2)](https://man.dragonflybsd.org/?command=sigaction&section=2)
/// - [Linux sigaction(2)](https://man7.org/linux/man-pages/man2/sigaction.2.html), "The siginfo_t argument"
#[doc(alias = "siginfo_t")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SigInfo {
    pub(crate) signal: Signal,
    pub(crate) code: c_int,
    pub(crate) pid: Option<Pid>,
    pub(crate) uid: Option<u32>,
    pub(crate) addr: Option<usize>,
}

impl SigInfo {
    /// The signal delivered.
    pub fn signal(&self) -> Signal {
        self.signal
    }

    /// `si_code`: why it was sent (`SI_USER` for `kill`, a fault code for `SIGSEGV`, ...).
    ///
    /// # Examples
    /// ```
    /// use std::sync::atomic::{AtomicI32, Ordering};
    /// use bsd_signal::{raise_process, set_action, SigAction, SigInfo, Signal};
    ///
    /// static CODE: AtomicI32 = AtomicI32::new(i32::MIN);
    /// fn on_usr2(info: &SigInfo) {
    ///     CODE.store(info.code(), Ordering::SeqCst);
    /// }
    /// // SAFETY: the handler only stores into an atomic.
    /// let previous = unsafe { set_action(Signal::USR2, &SigAction::handler(on_usr2)) }?;
    /// raise_process(Signal::USR2)?; // kill(getpid(), SIGUSR2): handled before it returns
    /// // SI_USER is 0 on OpenBSD (`sys/sys/siginfo.h` rev 1.14), DragonFly
    /// // (`sys/sys/_siginfo.h`) and Linux (`include/uapi/asm-generic/siginfo.h`).
    /// assert_eq!(CODE.load(Ordering::SeqCst), 0);
    /// // SAFETY: restoring what the kernel reported.
    /// unsafe { set_action(Signal::USR2, &previous) }?;
    /// # Ok::<(), bsd_signal::Errno>(())
    /// ```
    pub fn code(&self) -> c_int {
        self.code
    }

    /// The sending process, when a process sent it (`kill`, a thread kill, `sigqueue`) and
    /// the kernel says which.
    ///
    /// # Platform
    /// - OpenBSD: always `None` (7.8 never fills `si_pid`: `initsiginfo()` in
    ///   `sys/kern/kern_sig.c` rev 1.365 clears the structure, and `postsig()` reports
    ///   `SI_USER` for `kill` and `thrkill` alike).
    /// - DragonFly and Linux: the sender's pid for `kill`, a thread kill and `sigqueue`.
    ///
    /// # References
    /// - [OpenBSD sigaction(2)](https://man.openbsd.org/sigaction.2)
    /// - [DragonFly sigaction(2)](https://man.dragonflybsd.org/?command=sigaction&section=2)
    /// - [Linux sigaction(2)](https://man7.org/linux/man-pages/man2/sigaction.2.html)
    #[doc(alias = "si_pid")]
    pub fn sender_pid(&self) -> Option<Pid> {
        self.pid
    }

    /// The sender's user id, under the same conditions as [`sender_pid`](SigInfo::sender_pid)
    /// (always `None` on OpenBSD).
    ///
    /// # Platform
    /// Which uid differs: Linux gives the sender's *real* uid (`prepare_kill_siginfo` and
    /// `do_tkill` in `kernel/signal.c`: `current_uid()`), DragonFly its *effective* uid
    /// (`sigsetfrompid` in `sys/kern/kern_sig.c` at 6.4, 81dd9c6184, copies
    /// `td_ucred->cr_uid`). They differ only for a set-user-ID sender.
    ///
    /// # References
    /// As for [`sender_pid`](SigInfo::sender_pid).
    ///
    /// # Examples
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use bsd_signal::{raise, set_action, SigAction, SigInfo, Signal};
    ///
    /// static HAD_UID: AtomicBool = AtomicBool::new(false);
    /// fn on_usr1(info: &SigInfo) {
    ///     HAD_UID.store(info.sender_uid().is_some(), Ordering::SeqCst);
    /// }
    /// // SAFETY: the handler only reads its argument and stores into an atomic.
    /// let previous = unsafe { set_action(Signal::USR1, &SigAction::handler(on_usr1)) }?;
    /// raise(Signal::USR1)?;
    /// // `None` on OpenBSD; the sender's uid on DragonFly (effective) and Linux (real).
    /// assert_eq!(HAD_UID.load(Ordering::SeqCst), !cfg!(target_os = "openbsd"));
    /// // SAFETY: restoring what the kernel reported.
    /// unsafe { set_action(Signal::USR1, &previous) }?;
    /// # Ok::<(), bsd_signal::Errno>(())
    /// ```
    #[doc(alias = "si_uid")]
    pub fn sender_uid(&self) -> Option<u32> {
        self.uid
    }

    /// The faulting address, for a kernel-raised `SIGSEGV`, `SIGBUS`, `SIGILL`, `SIGFPE` or
    /// `SIGTRAP`.
    ///
    /// # Platform
    /// OpenBSD fills `si_addr` only for `SIGSEGV`, `SIGILL`, `SIGBUS` and `SIGFPE`
    /// (`initsiginfo` in `sys/kern/kern_sig.c` rev 1.365), so a `SIGTRAP` there reports
    /// address 0.
    ///
    /// # Examples
    /// A `SIGSEGV` sent with `kill` is no fault, so it has no address (a real one, caught on
    /// an [`AltStack`](crate::AltStack), is the crate's `examples/stack_overflow.rs`):
    /// ```
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use bsd_signal::{raise, set_action, SigAction, SigInfo, Signal};
    ///
    /// static HAD_ADDRESS: AtomicBool = AtomicBool::new(true);
    /// fn on_segv(info: &SigInfo) {
    ///     HAD_ADDRESS.store(info.fault_address().is_some(), Ordering::SeqCst);
    /// }
    /// // SAFETY: the handler only stores into an atomic, and no fault leads to it here.
    /// let previous = unsafe { set_action(Signal::SEGV, &SigAction::handler(on_segv)) }?;
    /// raise(Signal::SEGV)?;
    /// assert!(!HAD_ADDRESS.load(Ordering::SeqCst));
    /// // SAFETY: restoring what the kernel reported.
    /// unsafe { set_action(Signal::SEGV, &previous) }?;
    /// # Ok::<(), bsd_signal::Errno>(())
    /// ```
    pub fn fault_address(&self) -> Option<usize> {
        self.addr
    }
}
