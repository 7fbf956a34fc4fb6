//! `Signal`: a checked signal number with each OS's values, named by `Display`/`FromStr`.

use core::fmt;
use core::str::FromStr;

use crate::{Errno, Result};

/// A signal number, always in `1..=Signal::MAX` for the target OS.
///
/// The numbers differ per OS (`SIGUSR1` is 30 on the BSDs and 10 on Linux); the associated
/// constants carry the right value for the build target. A number read from the kernel is turned
/// into a `Signal` with [`Signal::from_raw`], which checks the range, so signal 0 (the "check only"
/// value of `kill(2)`) is never a `Signal`.
///
/// `Display` prints the C name (`SIGUSR1`); a number without a name prints as `SIG<n>` (Linux
/// real-time signals as `SIGRTMIN+<k>`). `FromStr` accepts every form `Display` prints, and the
/// names without the `SIG` prefix (`"USR1"`); anything else is `Errno::INVAL`.
///
/// # Platform
/// - OpenBSD: signals 1..=32; `SIGTHR` (32) belongs to the thread library (libc refuses its
///   action and drops it from masks: `lib/libc/sys/w_sigaction.c`, `w_sigprocmask.c`).
/// - DragonFly: signals 1..=127 (`_SIG_VALID` in `sys/sys/signal.h`); the kernel header calls 32
///   `SIGTHR`, and libthread_xu reserves it as its `SIGCANCEL` (`thr_private.h`).
/// - Linux: signals 1..=64; glibc reserves 32 and 33 (`internal-signals.h`), musl 32 to 34
///   (`pthread_impl.h`), and the real-time signals run from `SIGRTMIN` (34 with glibc, 35 with
///   musl) to `SIGRTMAX` (64), see `Signal::realtime` (Linux only).
///
/// Reserved signals are refused or left out by [`crate::signal`] on every backend
/// ([`crate::signal::is_reserved`]).
///
/// # Examples
/// ```
/// use bsd_sys::{Errno, Signal};
///
/// // The number is the target OS's (30 on the BSDs, 10 on Linux).
/// assert_eq!(Signal::USR1.raw(), bsd_sys::libc::SIGUSR1);
/// assert_eq!(Signal::from_raw(bsd_sys::libc::SIGUSR1), Ok(Signal::USR1));
/// assert_eq!(Signal::try_from(0), Err(Errno::INVAL)); // 0 only checks, it is no signal
/// assert_eq!(Signal::USR1.to_string(), "SIGUSR1");
/// assert_eq!("USR1".parse::<Signal>(), Ok(Signal::USR1));
/// assert_eq!(Signal::all().count(), Signal::MAX as usize);
/// ```
///
/// # References
/// - [OpenBSD signal(3)](https://man.openbsd.org/signal.3)
/// - [DragonFly signal(3)](https://man.dragonflybsd.org/?command=signal&section=3)
/// - [Linux signal(7)](https://man7.org/linux/man-pages/man7/signal.7.html)
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
#[repr(transparent)]
pub struct Signal(i32);

macro_rules! signals {
    ($($(#[doc = $d:literal])* $(#[cfg($cfg:meta)])? $name:ident = $value:expr, $c:literal;)*) => {
        impl Signal {
            $(
                #[doc = concat!("`", $c, "`.")]
                $(#[doc = ""] #[doc = $d])*
                $(#[cfg($cfg)])?
                pub const $name: Signal = Signal($value);
            )*
        }

        /// Every named signal of the target OS with its C name.
        const NAMES: &[(Signal, &str)] = &[$($(#[cfg($cfg)])? (Signal::$name, $c),)*];
    };
}

signals! {
    HUP = libc::SIGHUP, "SIGHUP";
    INT = libc::SIGINT, "SIGINT";
    QUIT = libc::SIGQUIT, "SIGQUIT";
    ILL = libc::SIGILL, "SIGILL";
    TRAP = libc::SIGTRAP, "SIGTRAP";
    ABRT = libc::SIGABRT, "SIGABRT";
    /// BSD only.
    #[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
    EMT = libc::SIGEMT, "SIGEMT";
    BUS = libc::SIGBUS, "SIGBUS";
    FPE = libc::SIGFPE, "SIGFPE";
    KILL = libc::SIGKILL, "SIGKILL";
    USR1 = libc::SIGUSR1, "SIGUSR1";
    SEGV = libc::SIGSEGV, "SIGSEGV";
    USR2 = libc::SIGUSR2, "SIGUSR2";
    PIPE = libc::SIGPIPE, "SIGPIPE";
    ALRM = libc::SIGALRM, "SIGALRM";
    TERM = libc::SIGTERM, "SIGTERM";
    /// Linux only.
    #[cfg(target_os = "linux")]
    STKFLT = libc::SIGSTKFLT, "SIGSTKFLT";
    CHLD = libc::SIGCHLD, "SIGCHLD";
    CONT = libc::SIGCONT, "SIGCONT";
    STOP = libc::SIGSTOP, "SIGSTOP";
    TSTP = libc::SIGTSTP, "SIGTSTP";
    TTIN = libc::SIGTTIN, "SIGTTIN";
    TTOU = libc::SIGTTOU, "SIGTTOU";
    URG = libc::SIGURG, "SIGURG";
    XCPU = libc::SIGXCPU, "SIGXCPU";
    XFSZ = libc::SIGXFSZ, "SIGXFSZ";
    VTALRM = libc::SIGVTALRM, "SIGVTALRM";
    PROF = libc::SIGPROF, "SIGPROF";
    WINCH = libc::SIGWINCH, "SIGWINCH";
    IO = libc::SIGIO, "SIGIO";
    /// Linux only.
    #[cfg(target_os = "linux")]
    PWR = libc::SIGPWR, "SIGPWR";
    SYS = libc::SIGSYS, "SIGSYS";
    /// BSD only: the status request from the terminal (`^T`).
    #[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
    INFO = libc::SIGINFO, "SIGINFO";
    /// BSD only: reserved for the thread library (32 on both; not in the `libc` crate, from
    /// OpenBSD and DragonFly `sys/sys/signal.h`).
    #[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
    THR = 32, "SIGTHR";
}

impl Signal {
    /// The highest signal number of the target OS.
    ///
    /// OpenBSD: 32 (`NSIG` 33, `sigset_t` is one 32-bit word); DragonFly: 127 (`_SIG_VALID` in
    /// `sys/sys/signal.h` is `sig < _SIG_MAXSIG` with `_SIG_MAXSIG` 128, and `kern_sigaction`
    /// and `kern_kill` in `sys/kern/kern_sig.c` refuse 128; the set has four 32-bit words);
    /// Linux: 64 (including the real-time signals).
    ///
    /// Not always `NSIG - 1`: `NSIG` is 33 on OpenBSD and 65 in glibc and musl (the Linux
    /// kernel's own `_NSIG` is 64), but DragonFly's `NSIG` is 64 (`sys/sys/signal.h` at the 6.4
    /// branch point, commit 81dd9c6184: the size of the old `sigptbl`) while its signals go up
    /// to 127.
    #[doc(alias = "NSIG")]
    pub const MAX: i32 = if cfg!(target_os = "openbsd") {
        32
    } else if cfg!(target_os = "dragonfly") {
        127
    } else {
        64
    };

    /// Checks a raw signal number: `Errno::INVAL` unless it is in `1..=Signal::MAX`.
    #[inline]
    pub const fn from_raw(raw: i32) -> Result<Signal> {
        if raw >= 1 && raw <= Signal::MAX {
            Ok(Signal(raw))
        } else {
            Err(Errno::INVAL)
        }
    }

    /// The raw signal number.
    #[inline]
    #[must_use]
    pub const fn raw(self) -> i32 {
        self.0
    }

    /// The C name (`"SIGUSR1"`), if the signal has one on the target OS.
    #[must_use]
    pub fn name(self) -> Option<&'static str> {
        NAMES.iter().find(|(s, _)| *s == self).map(|(_, n)| *n)
    }

    /// Every signal number of the target OS, in ascending order.
    #[must_use = "an iterator does nothing unless consumed"]
    pub fn all() -> impl Iterator<Item = Signal> {
        (1..=Signal::MAX).map(Signal)
    }

    /// Real-time signal `SIGRTMIN + n` (Linux only): `Errno::INVAL` past `SIGRTMAX`.
    ///
    /// `SIGRTMIN` is read from the C library at run time (glibc keeps the first two for itself).
    ///
    /// # Examples
    /// ```
    /// use bsd_sys::Signal;
    ///
    /// let first = Signal::realtime(0)?;
    /// assert_eq!(first.raw(), bsd_sys::libc::SIGRTMIN());
    /// assert_eq!(Signal::realtime(1)?.to_string(), "SIGRTMIN+1");
    /// assert_eq!(Signal::realtime(1000), Err(bsd_sys::Errno::INVAL));
    /// # Ok::<(), bsd_sys::Errno>(())
    /// ```
    ///
    /// # References
    /// - [Linux signal(7)](https://man7.org/linux/man-pages/man7/signal.7.html), "Real-time signals"
    #[cfg(target_os = "linux")]
    #[doc(alias = "SIGRTMIN")]
    #[doc(alias = "SIGRTMAX")]
    pub fn realtime(n: u32) -> Result<Signal> {
        let (min, max) = rt_range();
        match i32::try_from(n).ok().and_then(|n| min.checked_add(n)) {
            Some(raw) if raw <= max => Ok(Signal(raw)),
            _ => Err(Errno::INVAL),
        }
    }
}

/// Linux `SIGRTMIN..=SIGRTMAX` as the C library reports them.
#[cfg(target_os = "linux")]
fn rt_range() -> (i32, i32) {
    (libc::SIGRTMIN(), libc::SIGRTMAX())
}

impl TryFrom<i32> for Signal {
    type Error = Errno;

    /// As [`Signal::from_raw`].
    #[inline]
    fn try_from(raw: i32) -> Result<Signal> {
        Signal::from_raw(raw)
    }
}

impl From<Signal> for i32 {
    #[inline]
    fn from(sig: Signal) -> i32 {
        sig.0
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(name) = self.name() {
            return f.write_str(name);
        }
        #[cfg(target_os = "linux")]
        {
            let (min, _) = rt_range();
            if self.0 == min {
                return f.write_str("SIGRTMIN");
            }
            if self.0 > min {
                return write!(f, "SIGRTMIN+{}", self.0 - min);
            }
        }
        write!(f, "SIG{}", self.0)
    }
}

impl FromStr for Signal {
    type Err = Errno;

    /// Parses `"SIGUSR1"`, `"USR1"`, `"SIG42"` and, on Linux, `"SIGRTMIN+3"`/`"SIGRTMAX-1"`.
    fn from_str(s: &str) -> Result<Signal> {
        let bare = s.strip_prefix("SIG").unwrap_or(s);
        if let Some((sig, _)) = NAMES.iter().find(|(_, n)| &n[3..] == bare) {
            return Ok(*sig);
        }
        #[cfg(target_os = "linux")]
        {
            let (min, max) = rt_range();
            if bare == "RTMIN" {
                return Ok(Signal(min));
            }
            if bare == "RTMAX" {
                return Ok(Signal(max));
            }
            if let Some(k) = bare.strip_prefix("RTMIN+") {
                let k: i32 = parse_digits(k)?;
                return rt_checked(min.checked_add(k), min, max);
            }
            if let Some(k) = bare.strip_prefix("RTMAX-") {
                let k: i32 = parse_digits(k)?;
                return rt_checked(max.checked_sub(k), min, max);
            }
        }
        if bare.len() < s.len() {
            return Signal::from_raw(parse_digits(bare)?);
        }
        Err(Errno::INVAL)
    }
}

/// A decimal number made of ASCII digits only (no sign, no spaces).
fn parse_digits(s: &str) -> Result<i32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Errno::INVAL);
    }
    s.parse().map_err(|_| Errno::INVAL)
}

#[cfg(target_os = "linux")]
fn rt_checked(raw: Option<i32>, min: i32, max: i32) -> Result<Signal> {
    match raw {
        Some(raw) if raw >= min && raw <= max => Ok(Signal(raw)),
        _ => Err(Errno::INVAL),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::string::ToString;

    #[test]
    fn names_round_trip() {
        for sig in Signal::all() {
            let text = sig.to_string();
            assert_eq!(text.parse::<Signal>(), Ok(sig), "{text}");
        }
        assert_eq!("USR1".parse::<Signal>(), Ok(Signal::USR1));
        assert_eq!(Signal::USR1.to_string(), "SIGUSR1");
        assert_eq!("SIG0".parse::<Signal>(), Err(Errno::INVAL));
        assert_eq!("SIG+1".parse::<Signal>(), Err(Errno::INVAL));
        assert_eq!("".parse::<Signal>(), Err(Errno::INVAL));
        assert_eq!("SIGNOPE".parse::<Signal>(), Err(Errno::INVAL));
        assert_eq!("9".parse::<Signal>(), Err(Errno::INVAL));
    }

    #[test]
    fn range_is_checked() {
        assert_eq!(Signal::from_raw(0), Err(Errno::INVAL));
        assert_eq!(Signal::from_raw(Signal::MAX + 1), Err(Errno::INVAL));
        assert_eq!(Signal::from_raw(-1), Err(Errno::INVAL));
        assert!(Signal::from_raw(Signal::MAX).is_ok());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn realtime() {
        let first = Signal::realtime(0).unwrap();
        assert_eq!(first.raw(), libc::SIGRTMIN());
        assert_eq!(first.to_string(), "SIGRTMIN");
        assert_eq!(Signal::realtime(2).unwrap().to_string(), "SIGRTMIN+2");
        assert_eq!(
            "SIGRTMAX".parse::<Signal>().unwrap().raw(),
            libc::SIGRTMAX()
        );
        assert!(Signal::realtime(100).is_err());
    }
}
