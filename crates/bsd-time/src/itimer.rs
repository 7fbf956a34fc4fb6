//! Per-process interval timers (`setitimer`/`getitimer`).

use std::time::Duration;

use bsd_sys::time::{getitimer, setitimer, Itimerval};
use bsd_sys::{libc, Errno, Result, Timespec};

/// One of the three per-process interval timers.
///
/// Each delivers a signal to the process when it expires, then reloads from its interval (a zero
/// interval makes it one-shot). The timers are process-wide state: arming one replaces the
/// previous setting for every thread.
///
/// # Platform
/// `ITIMER_REAL` 0, `ITIMER_VIRTUAL` 1, `ITIMER_PROF` 2 on every supported OS. The kernel keeps
/// microseconds: `set` rounds nanoseconds *up*, so a tiny non-zero value still arms the timer.
/// The kernels may raise short values further, so `get` can report more than was set: OpenBSD
/// raises a non-zero interval below one clock tick to a tick and keeps the value as set
/// (`itimerfix` in `sys/kern/kern_time.c` rev 1.170); DragonFly raises any value or interval
/// below a tick (`tv_sec == 0 && tv_usec < ustick`) to a tick (`itimerfix` in
/// `sys/kern/kern_time.c`, DragonFly 6.4 81dd9c6184); Linux adds one tick (`TICK_NSEC`) to a
/// non-zero value of the CPU-time timers `Virtual` and `Prof`, so right after `set` their `get`
/// reports up to a tick more than was set (`set_cpu_itimer` in `kernel/time/itimer.c`). All
/// three count the CPU-time timers down in clock ticks (`itimer_update` on OpenBSD,
/// `hardclock` in DragonFly's `sys/kern/kern_clock.c`, the scheduler tick on Linux), so a
/// `Prof` or `Virtual` period shorter than a tick fires at most once a tick. Limits differ:
/// OpenBSD accepts up to `UINT_MAX` seconds and rejects more with `EINVAL` (`itimerfix`, rev
/// 1.170); DragonFly has no upper limit (its `itimerfix` checks only the field ranges); Linux
/// takes any non-negative `time_t` and clamps what does not fit its nanosecond clock.
///
/// The previous setting that `set` and `disarm` return, and `get`, are decoded without failing,
/// so a change the kernel made is always reported as made: microseconds out of range are
/// clamped, and a negative value is reported as `Duration::MAX` (an armed timer whose time left
/// the kernel could not express: Linux's CPU-time timers report a negative time left after
/// being armed with about 10^10 s, past what their nanosecond arithmetic holds).
///
/// # References
/// - [OpenBSD setitimer(2)](https://man.openbsd.org/setitimer.2)
/// - [DragonFly setitimer(2)](https://man.dragonflybsd.org/?command=setitimer&section=2)
/// - [Linux setitimer(2)](https://man7.org/linux/man-pages/man2/setitimer.2.html)
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use bsd_time::{IntervalTimer, TimerSetting};
///
/// // Arm ITIMER_REAL far in the future (it would deliver SIGALRM), read it back, disarm it.
/// let timer = IntervalTimer::Real;
/// assert!(!timer.set(TimerSetting::once(Duration::from_secs(60)))?.is_armed());
/// let left = timer.get()?;
/// assert!(left.is_armed() && left.value <= Duration::from_secs(60));
/// let was = timer.disarm()?;
/// assert!(was.is_armed());
/// assert!(!timer.get()?.is_armed());
/// # Ok::<(), bsd_time::Errno>(())
/// ```
#[doc(alias = "itimerval")]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
// Not `#[non_exhaustive]`: POSIX defines exactly these three timers and no supported OS has
// another `ITIMER_*`.
pub enum IntervalTimer {
    /// Counts real (wall-clock) time and delivers `SIGALRM`.
    #[doc(alias = "ITIMER_REAL")]
    Real,
    /// Counts the process's user CPU time and delivers `SIGVTALRM`.
    #[doc(alias = "ITIMER_VIRTUAL")]
    Virtual,
    /// Counts user and system CPU time and delivers `SIGPROF`.
    #[doc(alias = "ITIMER_PROF")]
    Prof,
}

/// An interval timer's setting: time to the next expiry and the reload interval.
///
/// A zero `value` means the timer is disarmed. The kernel keeps it as a `struct itimerval` of
/// two `timeval`s (microseconds; see [`IntervalTimer`] for the rounding).
///
/// # References
/// - [OpenBSD setitimer(2)](https://man.openbsd.org/setitimer.2)
/// - [DragonFly setitimer(2)](https://man.dragonflybsd.org/?command=setitimer&section=2)
/// - [Linux setitimer(2)](https://man7.org/linux/man-pages/man2/setitimer.2.html)
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use bsd_time::TimerSetting;
///
/// let tick = TimerSetting::periodic(Duration::from_millis(10));
/// assert_eq!(tick.value, tick.interval);
/// assert!(TimerSetting::once(Duration::from_secs(1)).interval.is_zero());
/// assert!(!TimerSetting::default().is_armed());
/// ```
#[doc(alias = "itimerval")]
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct TimerSetting {
    /// Time until the next expiry (zero: disarmed).
    pub value: Duration,
    /// Reload interval after each expiry (zero: one-shot).
    pub interval: Duration,
}

impl TimerSetting {
    /// A one-shot timer expiring after `value`.
    #[must_use = "a setting does nothing until passed to `IntervalTimer::set`"]
    pub const fn once(value: Duration) -> TimerSetting {
        TimerSetting {
            value,
            interval: Duration::ZERO,
        }
    }

    /// A periodic timer: first after `period`, then every `period`.
    #[must_use = "a setting does nothing until passed to `IntervalTimer::set`"]
    pub const fn periodic(period: Duration) -> TimerSetting {
        TimerSetting {
            value: period,
            interval: period,
        }
    }

    /// Whether the timer is armed.
    #[must_use = "the answer is returned, nothing is changed"]
    pub const fn is_armed(&self) -> bool {
        !self.value.is_zero()
    }

    fn to_raw(self) -> Result<Itimerval> {
        Ok(Itimerval {
            it_interval: timeval(self.interval)?,
            it_value: timeval(self.value)?,
        })
    }

    /// Decodes a kernel setting, saturating what does not fit (see [`IntervalTimer`]).
    fn from_raw(raw: Itimerval) -> TimerSetting {
        TimerSetting {
            value: saturating_duration(raw.it_value),
            interval: saturating_duration(raw.it_interval),
        }
    }
}

/// A kernel `timeval` as a `Duration`: zero is zero (disarmed), a negative value (an overflow
/// in the kernel) is `Duration::MAX`, microseconds are clamped to 0..=999,999. Never fails, so
/// a setting the kernel has already changed is always reported.
#[allow(clippy::unnecessary_cast)] // `tv_usec` is `c_long` on some targets, `i64` on others
fn saturating_duration(tv: libc::timeval) -> Duration {
    let usec = tv.tv_usec as i64;
    if tv.tv_sec < 0 || (tv.tv_sec == 0 && usec < 0) {
        return Duration::MAX;
    }
    let micros = usec.clamp(0, 999_999) as u32;
    Duration::new(tv.tv_sec as u64, micros * 1_000)
}

fn timeval(duration: Duration) -> Result<libc::timeval> {
    Timespec::from_duration(duration)?
        .to_timeval_ceil()
        .ok_or(Errno::INVAL)
}

impl IntervalTimer {
    /// The raw `ITIMER_*` number.
    #[must_use = "the number is returned, nothing is armed"]
    pub const fn raw(self) -> i32 {
        match self {
            IntervalTimer::Real => libc::ITIMER_REAL,
            IntervalTimer::Virtual => libc::ITIMER_VIRTUAL,
            IntervalTimer::Prof => libc::ITIMER_PROF,
        }
    }

    /// Arms the timer with `setting` (disarms it when `setting.value` is zero) and returns the
    /// previous setting.
    ///
    /// # Errors
    /// `Errno::INVAL` for a duration the kernel cannot hold (beyond `i64::MAX` seconds, or the
    /// OS's own limit, see [`IntervalTimer`]); nothing changed then. Once the kernel has
    /// accepted the new setting the call succeeds, whatever the previous value was.
    ///
    /// # References
    /// - [OpenBSD setitimer(2)](https://man.openbsd.org/setitimer.2)
    /// - [DragonFly setitimer(2)](https://man.dragonflybsd.org/?command=setitimer&section=2)
    /// - [Linux setitimer(2)](https://man7.org/linux/man-pages/man2/setitimer.2.html)
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use bsd_time::{IntervalTimer, TimerSetting};
    ///
    /// // ITIMER_VIRTUAL counts user CPU time only, so an idle process never reaches 10 s of it.
    /// let timer = IntervalTimer::Virtual;
    /// let previous = timer.set(TimerSetting::periodic(Duration::from_secs(10)))?;
    /// assert!(!previous.is_armed());
    /// assert_eq!(timer.get()?.interval, Duration::from_secs(10));
    /// timer.disarm()?;
    /// # Ok::<(), bsd_time::Errno>(())
    /// ```
    #[doc(alias = "setitimer")]
    pub fn set(self, setting: TimerSetting) -> Result<TimerSetting> {
        let previous = setitimer(self.raw(), &setting.to_raw()?)?;
        Ok(TimerSetting::from_raw(previous))
    }

    /// Disarms the timer and returns the previous setting.
    ///
    /// # References
    /// - [OpenBSD setitimer(2)](https://man.openbsd.org/setitimer.2)
    /// - [DragonFly setitimer(2)](https://man.dragonflybsd.org/?command=setitimer&section=2)
    /// - [Linux setitimer(2)](https://man7.org/linux/man-pages/man2/setitimer.2.html)
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use bsd_time::{IntervalTimer, TimerSetting};
    ///
    /// IntervalTimer::Prof.set(TimerSetting::once(Duration::from_secs(30)))?;
    /// let was = IntervalTimer::Prof.disarm()?; // the setting it had
    /// // Up to a tick more than was set on Linux (see `IntervalTimer`), a little less elsewhere.
    /// assert!(was.value > Duration::from_secs(29) && was.value < Duration::from_secs(31));
    /// assert!(!IntervalTimer::Prof.get()?.is_armed());
    /// # Ok::<(), bsd_time::Errno>(())
    /// ```
    #[doc(alias = "setitimer")]
    pub fn disarm(self) -> Result<TimerSetting> {
        self.set(TimerSetting::default())
    }

    /// The current setting: time left to the next expiry and the interval.
    ///
    /// # References
    /// - [OpenBSD getitimer(2)](https://man.openbsd.org/getitimer.2)
    /// - [DragonFly getitimer(2)](https://man.dragonflybsd.org/?command=getitimer&section=2)
    /// - [Linux getitimer(2)](https://man7.org/linux/man-pages/man2/getitimer.2.html)
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use bsd_time::{IntervalTimer, TimerSetting};
    ///
    /// assert_eq!(IntervalTimer::Real.get()?, TimerSetting::default()); // nothing armed yet
    /// IntervalTimer::Real.set(TimerSetting::once(Duration::from_secs(60)))?;
    /// let left = IntervalTimer::Real.get()?.value; // counts down
    /// assert!(left > Duration::from_secs(50) && left <= Duration::from_secs(60));
    /// IntervalTimer::Real.disarm()?;
    /// # Ok::<(), bsd_time::Errno>(())
    /// ```
    #[doc(alias = "getitimer")]
    pub fn get(self) -> Result<TimerSetting> {
        Ok(TimerSetting::from_raw(getitimer(self.raw())?))
    }
}
