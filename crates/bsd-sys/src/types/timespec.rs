//! `Timespec`: a normalized point or span of time in seconds and nanoseconds.

use core::time::Duration;

use crate::{Errno, Result};

const NANOS_PER_SEC: u32 = 1_000_000_000;

/// Seconds and nanoseconds, as the kernel's `struct timespec`, always normalized
/// (`0 <= nanos < 1_000_000_000`); negative values have negative `secs`
/// (-0.25 s is `secs = -1, nanos = 750_000_000`).
///
/// Conversions are checked: a value that does not fit gives `None` or `Errno::INVAL`, never a
/// panic or a wrap. It converts to and from [`Duration`] (`TryFrom` both ways: a `Timespec`
/// may be negative, a `Duration` may exceed `i64::MAX` seconds), `libc::timespec`, and, with
/// the `std` feature, `std::time::SystemTime` (as the time since the Unix epoch).
///
/// # Examples
/// ```
/// use core::time::Duration;
/// use bsd_sys::{Errno, Timespec};
///
/// let t = Timespec::new(1, 500_000_000).unwrap();
/// assert_eq!(Duration::try_from(t), Ok(Duration::from_millis(1500)));
/// assert_eq!(Timespec::try_from(Duration::from_millis(1500)), Ok(t));
/// let earlier = t.checked_sub(Duration::from_secs(2)).unwrap(); // -0.5 s
/// assert_eq!((earlier.secs(), earlier.nanos()), (-1, 500_000_000));
/// assert_eq!(Duration::try_from(earlier), Err(Errno::INVAL)); // negative
/// assert_eq!(t.checked_duration_since(earlier), Some(Duration::from_secs(2)));
/// // A clock reading is a `Timespec`.
/// let now = bsd_sys::time::clock_gettime(bsd_sys::libc::CLOCK_REALTIME)?;
/// assert!(now > Timespec::new(1_700_000_000, 0).unwrap()); // after November 2023
/// # Ok::<(), Errno>(())
/// ```
///
/// # References
/// - [OpenBSD clock_gettime(2)](https://man.openbsd.org/clock_gettime.2)
/// - [DragonFly clock_gettime(2)](https://man.dragonflybsd.org/?command=clock_gettime&section=2)
/// - [Linux clock_gettime(2)](https://man7.org/linux/man-pages/man2/clock_gettime.2.html)
#[doc(alias = "timespec")]
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default)]
pub struct Timespec {
    secs: i64,
    nanos: u32,
}

impl Timespec {
    /// Zero seconds.
    pub const ZERO: Timespec = Timespec { secs: 0, nanos: 0 };
    /// The largest representable value.
    pub const MAX: Timespec = Timespec {
        secs: i64::MAX,
        nanos: NANOS_PER_SEC - 1,
    };

    /// A value from seconds and nanoseconds; `None` unless `nanos < 1_000_000_000`.
    #[inline]
    #[must_use]
    pub const fn new(secs: i64, nanos: u32) -> Option<Timespec> {
        if nanos < NANOS_PER_SEC {
            Some(Timespec { secs, nanos })
        } else {
            None
        }
    }

    /// Whole seconds (negative for a time before the epoch or a negative span).
    #[inline]
    #[must_use]
    pub const fn secs(self) -> i64 {
        self.secs
    }

    /// Nanoseconds past [`secs`](Self::secs), below one second.
    #[inline]
    #[must_use]
    pub const fn nanos(self) -> u32 {
        self.nanos
    }

    /// The value in nanoseconds, which always fits an `i128`.
    #[inline]
    #[must_use]
    pub const fn as_nanos(self) -> i128 {
        self.secs as i128 * NANOS_PER_SEC as i128 + self.nanos as i128
    }

    /// A value from nanoseconds; `None` if the seconds do not fit an `i64`.
    #[must_use]
    pub fn from_nanos(nanos: i128) -> Option<Timespec> {
        let secs = nanos.div_euclid(NANOS_PER_SEC as i128);
        let rem = nanos.rem_euclid(NANOS_PER_SEC as i128);
        Some(Timespec {
            secs: i64::try_from(secs).ok()?,
            nanos: rem as u32,
        })
    }

    /// The span as a [`Duration`]; `Errno::INVAL` when it is negative.
    pub fn to_duration(self) -> Result<Duration> {
        let secs = u64::try_from(self.secs).map_err(|_| Errno::INVAL)?;
        Ok(Duration::new(secs, self.nanos))
    }

    /// A [`Duration`] as a `Timespec`; `Errno::INVAL` when its seconds exceed `i64::MAX`.
    pub fn from_duration(duration: Duration) -> Result<Timespec> {
        let secs = i64::try_from(duration.as_secs()).map_err(|_| Errno::INVAL)?;
        Ok(Timespec {
            secs,
            nanos: duration.subsec_nanos(),
        })
    }

    /// `self + duration`, or `None` on overflow.
    #[must_use = "this returns the result of the operation, without modifying the original"]
    pub fn checked_add(self, duration: Duration) -> Option<Timespec> {
        Timespec::from_nanos(self.as_nanos().checked_add(duration.as_nanos() as i128)?)
    }

    /// `self - duration`, or `None` on overflow.
    #[must_use = "this returns the result of the operation, without modifying the original"]
    pub fn checked_sub(self, duration: Duration) -> Option<Timespec> {
        Timespec::from_nanos(self.as_nanos().checked_sub(duration.as_nanos() as i128)?)
    }

    /// The span from `earlier` to `self`, or `None` if `earlier` is later than `self`.
    #[must_use = "this returns the result of the operation, without modifying the original"]
    pub fn checked_duration_since(self, earlier: Timespec) -> Option<Duration> {
        let nanos = u128::try_from(self.as_nanos() - earlier.as_nanos()).ok()?;
        let secs = u64::try_from(nanos / NANOS_PER_SEC as u128).ok()?;
        Some(Duration::new(secs, (nanos % NANOS_PER_SEC as u128) as u32))
    }

    /// The kernel's `struct timespec` for this value.
    // The libc crate marks musl's `time_t` deprecated (a notice of its 64-bit change, which is
    // what every supported target already has: asserted in layout.rs).
    #[allow(deprecated)]
    #[inline]
    #[must_use]
    pub const fn to_raw(self) -> libc::timespec {
        // `time_t` and `c_long` are 64 bits on every supported target (asserted in layout.rs).
        libc::timespec {
            tv_sec: self.secs as libc::time_t,
            tv_nsec: self.nanos as libc::c_long,
        }
    }

    /// Reads a `struct timespec` that `clock_gettime` filled, without the range check of
    /// [`from_raw`](Timespec::from_raw): the hot clock read stays at the C library's cost.
    ///
    /// Every supported kernel returns a normalized value, as POSIX requires of
    /// `clock_gettime` (`tv_nsec` in `0..1_000_000_000`, `<time.h>`): Linux builds it from
    /// `ns_to_timespec64` or, in the vDSO, `__iter_div_u64_rem(ns, NSEC_PER_SEC)`; OpenBSD and
    /// DragonFly from `BINTIME_TO_TIMESPEC`/`nanouptime`, whose nanoseconds are a fraction of
    /// a second. A value out of range would only make this `Timespec` denormal (no undefined
    /// behaviour); debug builds assert it.
    #[inline]
    pub(crate) fn from_clock(raw: libc::timespec) -> Timespec {
        debug_assert!((0..NANOS_PER_SEC as libc::c_long).contains(&raw.tv_nsec));
        Timespec {
            secs: raw.tv_sec,
            nanos: raw.tv_nsec as u32,
        }
    }

    /// Reads a `struct timespec`; `Errno::INVAL` if `tv_nsec` is outside `0..1_000_000_000`.
    #[inline]
    pub fn from_raw(raw: libc::timespec) -> Result<Timespec> {
        let nanos = u32::try_from(raw.tv_nsec).map_err(|_| Errno::INVAL)?;
        Timespec::new(raw.tv_sec, nanos).ok_or(Errno::INVAL)
    }

    /// Reads a `struct timeval` (microseconds); `Errno::INVAL` if `tv_usec` is out of range.
    pub fn from_timeval(raw: libc::timeval) -> Result<Timespec> {
        let micros = u32::try_from(raw.tv_usec).map_err(|_| Errno::INVAL)?;
        if micros >= 1_000_000 {
            return Err(Errno::INVAL);
        }
        Ok(Timespec {
            secs: raw.tv_sec,
            nanos: micros * 1_000,
        })
    }

    /// The value as a `struct timeval`, rounding nanoseconds *up* to whole microseconds (so a
    /// non-zero timer value never becomes zero, which would disarm a timer).
    #[allow(deprecated)] // musl's `time_t`/`suseconds_t` notices, as in `to_raw`
    #[must_use]
    pub fn to_timeval_ceil(self) -> Option<libc::timeval> {
        let mut secs = self.secs;
        let mut micros = self.nanos.div_ceil(1_000);
        if micros == 1_000_000 {
            secs = secs.checked_add(1)?;
            micros = 0;
        }
        Some(libc::timeval {
            tv_sec: secs as libc::time_t,
            tv_usec: micros as libc::suseconds_t,
        })
    }
}

impl From<Timespec> for libc::timespec {
    fn from(ts: Timespec) -> Self {
        ts.to_raw()
    }
}

impl TryFrom<libc::timespec> for Timespec {
    type Error = Errno;

    /// As [`Timespec::from_raw`].
    #[inline]
    fn try_from(raw: libc::timespec) -> Result<Timespec> {
        Timespec::from_raw(raw)
    }
}

impl TryFrom<Duration> for Timespec {
    type Error = Errno;
    fn try_from(duration: Duration) -> Result<Timespec> {
        Timespec::from_duration(duration)
    }
}

impl TryFrom<Timespec> for Duration {
    type Error = Errno;
    fn try_from(ts: Timespec) -> Result<Duration> {
        ts.to_duration()
    }
}

#[cfg(feature = "std")]
impl TryFrom<Timespec> for std::time::SystemTime {
    type Error = Errno;
    /// The wall-clock instant `ts` after (or before, if negative) the Unix epoch; `Errno::INVAL` if
    /// `SystemTime` cannot hold it.
    fn try_from(ts: Timespec) -> Result<std::time::SystemTime> {
        let epoch = std::time::UNIX_EPOCH;
        let nanos = ts.as_nanos();
        let magnitude = nanos.unsigned_abs();
        let secs = u64::try_from(magnitude / NANOS_PER_SEC as u128).map_err(|_| Errno::INVAL)?;
        let span = Duration::new(secs, (magnitude % NANOS_PER_SEC as u128) as u32);
        let time = if nanos >= 0 {
            epoch.checked_add(span)
        } else {
            epoch.checked_sub(span)
        };
        time.ok_or(Errno::INVAL)
    }
}

#[cfg(feature = "std")]
impl TryFrom<std::time::SystemTime> for Timespec {
    type Error = Errno;
    /// The time since the Unix epoch (negative before it); `Errno::INVAL` if it does not fit.
    fn try_from(time: std::time::SystemTime) -> Result<Timespec> {
        match time.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => Timespec::from_duration(after),
            Err(before) => {
                let nanos =
                    i128::try_from(before.duration().as_nanos()).map_err(|_| Errno::INVAL)?;
                Timespec::from_nanos(-nanos).ok_or(Errno::INVAL)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_values_normalize() {
        let ts = Timespec::from_nanos(-250_000_000).unwrap();
        assert_eq!((ts.secs(), ts.nanos()), (-1, 750_000_000));
        assert_eq!(ts.as_nanos(), -250_000_000);
        assert_eq!(ts.to_duration(), Err(Errno::INVAL));
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        assert_eq!(Timespec::from_duration(Duration::MAX), Err(Errno::INVAL));
        assert_eq!(Timespec::MAX.checked_add(Duration::from_nanos(1)), None);
        assert_eq!(Timespec::new(0, 1_000_000_000), None);
        let bad = libc::timespec {
            tv_sec: 0,
            tv_nsec: -1,
        };
        assert_eq!(Timespec::from_raw(bad), Err(Errno::INVAL));
        assert_eq!(Timespec::try_from(bad), Err(Errno::INVAL));
        let good = Timespec::new(-3, 5).unwrap();
        assert_eq!(Timespec::try_from(libc::timespec::from(good)), Ok(good));
    }

    #[test]
    fn timeval_rounds_up() {
        let tv = Timespec::new(1, 999_999_001)
            .unwrap()
            .to_timeval_ceil()
            .unwrap();
        assert_eq!((tv.tv_sec, tv.tv_usec), (2, 0));
        let tv = Timespec::new(0, 1).unwrap().to_timeval_ceil().unwrap();
        assert_eq!((tv.tv_sec, tv.tv_usec), (0, 1));
    }

    #[test]
    fn system_time_round_trip() {
        extern crate std;
        let before_epoch = Timespec::from_nanos(-1_500_000_000).unwrap();
        let st = std::time::SystemTime::try_from(before_epoch).unwrap();
        assert_eq!(Timespec::try_from(st).unwrap(), before_epoch);
    }
}
