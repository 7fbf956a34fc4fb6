//! Reading the fields of a kernel `siginfo_t` whose union arm depends on signal and code.

use crate::Pid;
use libc::{c_int, siginfo_t};

/// The fields of a `siginfo_t` that are meaningful for every signal, decoded once.
///
/// `pid` and `uid` are set only when the code says a process sent the signal (`kill`,
/// `sigqueue`, a thread kill) *and* the kernel filled them; `addr` only for the fault signals
/// (`SIGSEGV`, `SIGBUS`, `SIGILL`, `SIGFPE`, `SIGTRAP`) raised by the kernel. Reading the other
/// union arm would give meaningless bits.
///
/// # Platform
/// - OpenBSD (7.8): `pid` and `uid` are always `None`. `initsiginfo()` in
///   `sys/kern/kern_sig.c` rev 1.365 clears the structure and never sets `si_pid`/`si_uid`, and
///   `postsig()` reports `SI_USER` for every signal that is not a trap, `kill(2)` and
///   `thrkill(2)` alike (`SI_LWP` and `SI_QUEUE` never occur). The fields are read at the
///   header's offsets (16 and 20 on amd64 and arm64, `sys/sys/siginfo.h` rev 1.14; not the
///   `libc` crate's 128 and 132) and a zero pid is taken as "not filled", so a later kernel
///   that fills them is reported. The same `initsiginfo()` sets `si_addr` only for `SIGSEGV`,
///   `SIGILL`, `SIGBUS` and `SIGFPE`, so a kernel-raised `SIGTRAP` gives `addr` `Some(0)`.
/// - DragonFly: `si_code` is 0 (`SI_USER`) for every signal not raised by a trap (`postsig()`
///   in `sys/kern/kern_sig.c`), and `si_pid`/`si_uid` name the process whose thread posted it
///   (`sigsetfrompid()`; `sendsig()` in `sys/platform/pc64/x86_64/machdep.c` copies them): the
///   sender for `kill(2)`/`lwp_kill(2)`, the child for `SIGCHLD`, and 0 for a signal a kernel
///   thread posts (an `ITIMER_REAL` expiry), which is reported as `None`. DragonFly has no
///   `sigqueue`, so `SI_QUEUE` never occurs. The same `sendsig()` (at the 6.4 branch point,
///   commit 81dd9c6184) copies the trap frame's `tf_addr` into `si_addr` for every signal;
///   only the page-fault entry saves `%cr2` there, every other trap stores 0
///   (`sys/platform/pc64/x86_64/exception.S`), so `addr` is the faulting address for a
///   page-fault `SIGSEGV`/`SIGBUS` and 0 for `SIGILL`, `SIGFPE` and `SIGTRAP`.
/// - Linux: `kill(2)`, `tgkill(2)` and `sigqueue(3)` fill them.
///
/// New fields may be added: the struct is `#[non_exhaustive]`.
///
/// # Examples
/// ```
/// use core::sync::atomic::{AtomicI32, Ordering};
/// use bsd_sys::{libc, signal, thread, Signal};
///
/// static SIGNO: AtomicI32 = AtomicI32::new(0);
/// static SENDER: AtomicI32 = AtomicI32::new(-1);
/// extern "C" fn on_usr1(_: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
///     // SAFETY: the kernel passes an SA_SIGINFO handler a valid `siginfo_t`.
///     let fields = unsafe { signal::siginfo_fields(info) };
///     SIGNO.store(fields.signo, Ordering::SeqCst);
///     SENDER.store(fields.pid.map_or(0, |pid| pid.raw()), Ordering::SeqCst);
/// }
///
/// // SAFETY: all-zero is a valid `sigaction` (no flags, empty mask).
/// let mut act: libc::sigaction = unsafe { core::mem::zeroed() };
/// act.sa_sigaction = on_usr1 as *const () as usize;
/// act.sa_flags = libc::SA_SIGINFO;
/// // SAFETY: `on_usr1` has the SA_SIGINFO signature, is async-signal-safe (a plain decode
/// // and atomic stores) and static.
/// let old = unsafe { signal::sigaction(Signal::USR1, Some(&act)) }?;
/// signal::kill_thread(thread::gettid(), Signal::USR1)?;
/// // SAFETY: the previous action is the default one.
/// unsafe { signal::sigaction(Signal::USR1, Some(&old)) }?;
/// assert_eq!(SIGNO.load(Ordering::SeqCst), Signal::USR1.raw());
/// // OpenBSD 7.8 never says who sent a signal (see above); DragonFly and Linux do.
/// if !cfg!(target_os = "openbsd") {
///     assert_eq!(SENDER.load(Ordering::SeqCst), signal::getpid().raw());
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sigaction(2)](https://man.openbsd.org/sigaction.2) (`siginfo_t`)
/// - [DragonFly sigaction(2)](https://man.dragonflybsd.org/?command=sigaction&section=2)
/// - [Linux sigaction(2)](https://man7.org/linux/man-pages/man2/sigaction.2.html)
#[doc(alias = "siginfo_t")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct SigInfoFields {
    /// `si_signo`, unchecked.
    pub signo: c_int,
    /// `si_code`.
    pub code: c_int,
    /// `si_pid`, when a process sent the signal and the kernel says which.
    pub pid: Option<Pid>,
    /// `si_uid`, the sender's user id, under the same condition as `pid`: the *effective* uid on
    /// DragonFly (`sigsetfrompid` copies `cr_uid`, `sys/kern/kern_sig.c` at 81dd9c6184), the
    /// *real* uid on Linux (`prepare_kill_siginfo`/`do_tkill`, `kernel/signal.c`); OpenBSD 7.8
    /// never fills it (see above).
    pub uid: Option<u32>,
    /// `si_addr`, for a fault (0 for some traps on OpenBSD and DragonFly, see above).
    pub addr: Option<usize>,
}

/// OpenBSD's `siginfo_t` as `sys/sys/siginfo.h` rev 1.14 (2024/02/21, the one 7.8 ships) lays
/// it out, mirrored to compute the offsets of `si_pid` and `si_uid` (the `libc` crate's
/// accessors get both wrong; see the crate README).
#[cfg(target_os = "openbsd")]
mod openbsd_layout {
    use core::mem::offset_of;
    use libc::{c_int, c_void};

    /// `union { struct { union sigval _value; } _kill; struct { clock_t _utime; clock_t _stime;
    /// int _status; } _cld; } _pdata` (`sigval`'s widest member is a pointer).
    #[repr(C)]
    #[derive(Clone, Copy)]
    pub(super) union Pdata {
        pub(super) value: *mut c_void,
        pub(super) cld: [libc::clock_t; 3],
    }

    /// `struct { pid_t _pid; uid_t _uid; union _pdata; } _proc`.
    #[repr(C)]
    #[derive(Clone, Copy)]
    pub(super) struct Proc {
        pub(super) pid: libc::pid_t,
        pub(super) uid: libc::uid_t,
        pub(super) pdata: Pdata,
    }

    /// `struct { void *_addr; int _trapno; } _fault`.
    #[repr(C)]
    #[derive(Clone, Copy)]
    pub(super) struct Fault {
        pub(super) addr: *mut c_void,
        pub(super) trapno: c_int,
    }

    /// `union { int _pad[SI_PAD]; _proc; _fault; } _data`, `SI_PAD` = 128 / 4 - 3 = 29.
    #[repr(C)]
    #[derive(Clone, Copy)]
    pub(super) union Data {
        pub(super) pad: [c_int; 29],
        pub(super) proc_: Proc,
        pub(super) fault: Fault,
    }

    /// The whole `siginfo_t`.
    #[repr(C)]
    pub(super) struct Siginfo {
        pub(super) signo: c_int,
        pub(super) code: c_int,
        pub(super) errno: c_int,
        pub(super) data: Data,
    }

    /// Offset of `si_pid` (`_data._proc._pid`): the pointer arms make the union 8-aligned on
    /// LP64, so it starts at 16, not right after the three ints.
    pub(super) const SI_PID: usize = offset_of!(Siginfo, data) + offset_of!(Proc, pid);
    /// Offset of `si_uid` (`_data._proc._uid`), right after the pid.
    pub(super) const SI_UID: usize = offset_of!(Siginfo, data) + offset_of!(Proc, uid);

    // amd64 and arm64 (both LP64): pid at 16, uid at 20; the struct is as large as libc's.
    const _: () = assert!(SI_PID == 16);
    const _: () = assert!(SI_UID == 20);
    const _: () = assert!(offset_of!(libc::siginfo_t, si_addr) == SI_PID);
    const _: () = assert!(core::mem::size_of::<Siginfo>() == 136);
    const _: () = assert!(core::mem::size_of::<libc::siginfo_t>() == 136);
}

/// Whether `code` says a process sent the signal, so `si_pid` may hold the sender.
///
/// - OpenBSD `sys/sys/siginfo.h` rev 1.14: `SI_USER` 0 (`kill`; also `thrkill` in practice,
///   see [`SigInfoFields`]), `SI_LWP` -1, `SI_QUEUE` -2.
/// - DragonFly `sys/sys/_siginfo.h`: `SI_USER` 0, `SI_QUEUE` -1 (never sent: no `sigqueue`);
///   `si_pid` is a plain field there, not a union arm.
/// - Linux `include/uapi/asm-generic/siginfo.h`: `SI_USER` 0, `SI_QUEUE` -1, `SI_TKILL` -6
///   (`tgkill`).
fn sent_by_process(code: c_int) -> bool {
    if cfg!(target_os = "openbsd") {
        (-2..=0).contains(&code)
    } else if cfg!(target_os = "dragonfly") {
        (-1..=0).contains(&code)
    } else {
        matches!(code, 0 | -1 | -6)
    }
}

/// The sender's pid and uid as the kernel left them in the process arm of the union.
///
/// # Safety
/// `info` is valid for reads of a whole `siginfo_t`, and its code says a process sent it.
#[cfg(target_os = "openbsd")]
unsafe fn sender(info: &siginfo_t) -> (Option<Pid>, Option<u32>) {
    let base = info as *const siginfo_t as *const u8;
    // SAFETY: both offsets lie inside the 136-byte struct (asserted in `openbsd_layout`) and
    // are 4-aligned in an 8-aligned struct; the caller says the process arm is the one in use.
    let (pid, uid) = unsafe {
        (
            base.add(openbsd_layout::SI_PID)
                .cast::<libc::pid_t>()
                .read(),
            base.add(openbsd_layout::SI_UID)
                .cast::<libc::uid_t>()
                .read(),
        )
    };
    // OpenBSD 7.8 never fills these (zeroed by initsiginfo): 0 means "not said".
    if pid == 0 {
        (None, None)
    } else {
        (Some(Pid::from_raw(pid)), Some(uid))
    }
}

/// The sender's pid and uid as the kernel left them in the process arm of the union.
///
/// # Safety
/// `info` is valid for reads of a whole `siginfo_t`, and its code says a process sent it.
#[cfg(not(target_os = "openbsd"))]
unsafe fn sender(info: &siginfo_t) -> (Option<Pid>, Option<u32>) {
    // SAFETY: the caller says the process arm of the union is the one the kernel filled.
    let (pid, uid) = unsafe { (info.si_pid(), info.si_uid()) };
    // DragonFly reports pid 0 for a signal posted by a kernel thread (see `SigInfoFields`).
    if cfg!(target_os = "dragonfly") && pid == 0 {
        return (None, None);
    }
    (Some(Pid::from_raw(pid)), Some(uid))
}

/// Decodes `*info` for signal handlers: see [`SigInfoFields`] (with an example) for what is
/// read and when.
///
/// # Safety
/// `info` must point to a `siginfo_t` the kernel passed to an `SA_SIGINFO` handler (or one
/// initialised the same way), valid for reads for the duration of the call.
///
/// # References
/// - [OpenBSD sigaction(2)](https://man.openbsd.org/sigaction.2)
/// - [DragonFly sigaction(2)](https://man.dragonflybsd.org/?command=sigaction&section=2)
/// - [Linux sigaction(2)](https://man7.org/linux/man-pages/man2/sigaction.2.html)
#[must_use]
pub unsafe fn siginfo_fields(info: *const siginfo_t) -> SigInfoFields {
    // SAFETY: the caller guarantees `info` is valid for reads.
    let info = unsafe { &*info };
    let signo = info.si_signo;
    let code = info.si_code;
    let fault = [
        libc::SIGSEGV,
        libc::SIGBUS,
        libc::SIGILL,
        libc::SIGFPE,
        libc::SIGTRAP,
    ]
    .contains(&signo);
    let (pid, uid) = if sent_by_process(code) {
        // SAFETY: the code says the process arm of the union is the one the kernel filled.
        unsafe { sender(info) }
    } else {
        (None, None)
    };
    let addr = if fault && code > 0 && !sent_by_process(code) {
        // SAFETY: a kernel-raised fault signal fills the fault arm (si_addr).
        Some(unsafe { info.si_addr() } as usize)
    } else {
        None
    };
    SigInfoFields {
        signo,
        code,
        pid,
        uid,
        addr,
    }
}
