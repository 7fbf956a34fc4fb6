//! Reading the fields of a kernel `siginfo_t` whose union arm depends on signal and code.

use crate::Pid;
use libc::{c_int, siginfo_t};

/// The fields of a `siginfo_t` that are meaningful for every signal, decoded once.
///
/// `pid` is set only when the code says a process sent the signal (`kill`, `sigqueue`, a thread
/// kill); `addr` only for the fault signals (`SIGSEGV`, `SIGBUS`, `SIGILL`, `SIGFPE`, `SIGTRAP`)
/// raised by the kernel. Reading the other union arm would give meaningless bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigInfoFields {
    /// `si_signo`, unchecked.
    pub signo: c_int,
    /// `si_code`.
    pub code: c_int,
    /// `si_pid`, when a process sent the signal.
    pub pid: Option<Pid>,
    /// `si_addr`, for a fault.
    pub addr: Option<usize>,
}

/// Whether `code` says a process sent the signal, so `si_pid` holds the sender.
///
/// - OpenBSD `sys/sys/siginfo.h`: `SI_USER` 0 (`kill`), `SI_LWP` -1 (`thrkill`), `SI_QUEUE` -2.
/// - DragonFly `sys/sys/signal.h`: `SI_USER` 0, `SI_QUEUE` -1 (`si_pid` is a plain field there,
///   not a union arm).
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

/// Decodes `*info` for signal handlers.
///
/// # Safety
/// `info` must point to a `siginfo_t` the kernel passed to an `SA_SIGINFO` handler (or one
/// initialised the same way), valid for reads for the duration of the call.
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
    let pid = if sent_by_process(code) {
        // SAFETY: the code says the process arm of the union is the one the kernel filled.
        Some(Pid::from_raw(unsafe { info.si_pid() }))
    } else {
        None
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
        addr,
    }
}
