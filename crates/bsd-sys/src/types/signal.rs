//! `Signal`: a checked signal number with each OS's values.

use crate::{Errno, Result};

/// A signal number, always in `1..=Signal::MAX` for the target OS.
///
/// The numbers differ per OS (`SIGUSR1` is 30 on the BSDs and 10 on Linux); the associated
/// constants carry the right value for the build target. A number read from the kernel is turned
/// into a `Signal` with [`Signal::from_raw`], which checks the range.
///
/// # References
/// - [OpenBSD signal(3)](https://man.openbsd.org/signal.3)
/// - [DragonFly signal(3)](https://man.dragonflybsd.org/?command=signal&section=3)
/// - [Linux signal(7)](https://man7.org/linux/man-pages/man7/signal.7.html)
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
#[repr(transparent)]
pub struct Signal(i32);

macro_rules! signals {
    ($($name:ident = $c:ident;)*) => {
        impl Signal {
            $(
                #[doc = concat!("`", stringify!($c), "`.")]
                pub const $name: Signal = Signal(libc::$c);
            )*
        }
    };
}

signals! {
    HUP = SIGHUP;
    INT = SIGINT;
    QUIT = SIGQUIT;
    ILL = SIGILL;
    TRAP = SIGTRAP;
    ABRT = SIGABRT;
    BUS = SIGBUS;
    FPE = SIGFPE;
    KILL = SIGKILL;
    USR1 = SIGUSR1;
    SEGV = SIGSEGV;
    USR2 = SIGUSR2;
    PIPE = SIGPIPE;
    ALRM = SIGALRM;
    TERM = SIGTERM;
    CHLD = SIGCHLD;
    CONT = SIGCONT;
    STOP = SIGSTOP;
    TSTP = SIGTSTP;
    TTIN = SIGTTIN;
    TTOU = SIGTTOU;
    URG = SIGURG;
    XCPU = SIGXCPU;
    XFSZ = SIGXFSZ;
    VTALRM = SIGVTALRM;
    PROF = SIGPROF;
    WINCH = SIGWINCH;
    IO = SIGIO;
    SYS = SIGSYS;
}

impl Signal {
    /// The highest signal number of the target OS.
    ///
    /// OpenBSD: 32 (`NSIG` 33, `sigset_t` is one 32-bit word); DragonFly: 128 (`_SIG_MAXSIG`, four
    /// 32-bit words); Linux: 64 (including the real-time signals).
    pub const MAX: i32 = if cfg!(target_os = "openbsd") {
        32
    } else if cfg!(target_os = "dragonfly") {
        128
    } else {
        64
    };

    /// Checks a raw signal number: `Errno::INVAL` unless it is in `1..=Signal::MAX`.
    pub const fn from_raw(raw: i32) -> Result<Signal> {
        if raw >= 1 && raw <= Signal::MAX {
            Ok(Signal(raw))
        } else {
            Err(Errno::INVAL)
        }
    }

    /// The raw signal number.
    pub const fn raw(self) -> i32 {
        self.0
    }
}
