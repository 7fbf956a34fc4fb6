//! Clock ids and clock reads.

use core::fmt;

use bsd_sys::time::{clock_getres, clock_gettime, ClockId};
use bsd_sys::{libc, Result, Timespec};

macro_rules! clocks {
    ($(
        $(#[doc = $doc:literal])*
        #[cfg($($cfg:tt)*)]
        $variant:ident = $c:ident, $name:literal;
    )*) => {
        /// A clock the kernel keeps, by its OS-specific id.
        ///
        /// Only the clocks the target OS has are compiled; [`Clock::ALL`] lists them.
        ///
        /// # Platform
        /// | clock | OpenBSD | DragonFly | Linux |
        /// |---|---|---|---|
        /// | `Realtime` | 0 | 0 | 0 |
        /// | `Monotonic` | 3 | 4 | 1 |
        /// | `ProcessCpuTime` | 2 | 15 | 2 |
        /// | `ThreadCpuTime` | 4 | 14 | 3 |
        /// | `Uptime` | 5 (excludes suspend) | 5 | — |
        /// | `Boottime` | 6 (includes suspend) | — | 7 |
        ///
        /// DragonFly adds `Virtual`, `Prof`, the `*Precise`/`*Fast` variants and `Second`; Linux
        /// adds `MonotonicRaw`, the `*Coarse` variants and `Tai` (the `*_ALARM` clocks are left out:
        /// they only matter for timers that wake a suspended system).
        ///
        /// # References
        /// - [OpenBSD clock_gettime(2)](https://man.openbsd.org/clock_gettime.2)
        /// - [DragonFly clock_gettime(2)](https://man.dragonflybsd.org/?command=clock_gettime&section=2)
        /// - [Linux clock_gettime(2)](https://man7.org/linux/man-pages/man2/clock_gettime.2.html)
        ///
        /// # Examples
        /// ```
        /// use bsd_time::Clock;
        ///
        /// // Every clock this OS has can be read, and its name is the C one.
        /// for &clock in Clock::ALL {
        ///     assert!(clock.name().starts_with("CLOCK_"));
        ///     bsd_time::now(clock)?;
        /// }
        /// assert!(Clock::ALL.contains(&Clock::Monotonic));
        /// assert_eq!(Clock::Realtime.raw(), 0); // CLOCK_REALTIME is 0 on every supported OS
        /// assert_eq!(Clock::Monotonic.to_string(), "CLOCK_MONOTONIC");
        /// # Ok::<(), bsd_time::Errno>(())
        /// ```
        #[doc(alias = "clockid_t")]
        #[doc(alias = "ClockId")]
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        #[non_exhaustive]
        pub enum Clock {
            $(
                $(#[doc = $doc])*
                #[doc = concat!("\n\n`", stringify!($c), "`.")]
                #[cfg($($cfg)*)]
                #[doc(alias = $name)]
                $variant,
            )*
        }

        impl Clock {
            /// Every clock the target OS has.
            pub const ALL: &'static [Clock] = &[$(#[cfg($($cfg)*)] Clock::$variant,)*];

            /// The raw clock id for this OS.
            #[must_use = "the id is returned, nothing is read"]
            pub const fn raw(self) -> ClockId {
                match self {
                    $(#[cfg($($cfg)*)] Clock::$variant => libc::$c,)*
                }
            }

            /// The C name (`"CLOCK_MONOTONIC"`).
            #[must_use = "the name is returned, nothing is printed"]
            pub const fn name(self) -> &'static str {
                match self {
                    $(#[cfg($($cfg)*)] Clock::$variant => $name,)*
                }
            }
        }
    };
}

clocks! {
    /// Wall-clock time since the Unix epoch; jumps when the time is set.
    #[cfg(all())] Realtime = CLOCK_REALTIME, "CLOCK_REALTIME";
    /// Time that never goes backwards, from an arbitrary start.
    #[cfg(all())] Monotonic = CLOCK_MONOTONIC, "CLOCK_MONOTONIC";
    /// CPU time consumed by the whole process (see `ThreadCpuTime` for DragonFly's steps).
    #[cfg(all())] ProcessCpuTime = CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID";
    /// CPU time consumed by the calling thread.
    ///
    /// On DragonFly both CPU-time clocks advance in steps: each statclock tick (`hz + 1` a
    /// second) charges the whole time since the previous tick to the thread then running
    /// (`statclock` in `sys/kern/kern_clock.c`, read by `calcru` in `sys/kern/kern_resource.c`,
    /// DragonFly 6.4 81dd9c6184), though `resolution` reports 1 µs. OpenBSD and Linux count
    /// from the scheduler's clock at every switch.
    #[cfg(all())] ThreadCpuTime = CLOCK_THREAD_CPUTIME_ID, "CLOCK_THREAD_CPUTIME_ID";
    /// Time the system has been running: on OpenBSD it excludes time suspended.
    #[cfg(any(target_os = "openbsd", target_os = "dragonfly"))] Uptime = CLOCK_UPTIME, "CLOCK_UPTIME";
    /// Time since boot, including time suspended.
    #[cfg(any(target_os = "openbsd", target_os = "linux"))] Boottime = CLOCK_BOOTTIME, "CLOCK_BOOTTIME";
    /// User CPU time of the process.
    #[cfg(target_os = "dragonfly")] Virtual = CLOCK_VIRTUAL, "CLOCK_VIRTUAL";
    /// User and system CPU time of the process.
    #[cfg(target_os = "dragonfly")] Prof = CLOCK_PROF, "CLOCK_PROF";
    /// `Uptime`, read precisely (slower).
    #[cfg(target_os = "dragonfly")] UptimePrecise = CLOCK_UPTIME_PRECISE, "CLOCK_UPTIME_PRECISE";
    /// `Uptime`, read at tick granularity (faster).
    #[cfg(target_os = "dragonfly")] UptimeFast = CLOCK_UPTIME_FAST, "CLOCK_UPTIME_FAST";
    /// `Realtime`, read precisely.
    #[cfg(target_os = "dragonfly")] RealtimePrecise = CLOCK_REALTIME_PRECISE, "CLOCK_REALTIME_PRECISE";
    /// `Realtime`, read at tick granularity.
    #[cfg(target_os = "dragonfly")] RealtimeFast = CLOCK_REALTIME_FAST, "CLOCK_REALTIME_FAST";
    /// `Monotonic`, read precisely.
    #[cfg(target_os = "dragonfly")] MonotonicPrecise = CLOCK_MONOTONIC_PRECISE, "CLOCK_MONOTONIC_PRECISE";
    /// `Monotonic`, read at tick granularity.
    #[cfg(target_os = "dragonfly")] MonotonicFast = CLOCK_MONOTONIC_FAST, "CLOCK_MONOTONIC_FAST";
    /// Wall-clock time truncated to whole seconds.
    #[cfg(target_os = "dragonfly")] Second = CLOCK_SECOND, "CLOCK_SECOND";
    /// Monotonic time not slewed by NTP.
    #[cfg(target_os = "linux")] MonotonicRaw = CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW";
    /// `Realtime` at tick granularity.
    #[cfg(target_os = "linux")] RealtimeCoarse = CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE";
    /// `Monotonic` at tick granularity.
    #[cfg(target_os = "linux")] MonotonicCoarse = CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE";
    /// International Atomic Time.
    #[cfg(target_os = "linux")] Tai = CLOCK_TAI, "CLOCK_TAI";
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The current value of `clock`.
///
/// # Platform
/// How the read reaches the kernel (see also `bsd_sys::time::clock_gettime`):
/// - OpenBSD: libc `clock_gettime` (the only way: system calls must come from libc).
/// - DragonFly, raw backend (the default): `MonotonicFast`, `UptimeFast`, `RealtimeFast` and
///   `Second` are read from the shared kernel page `/dev/kpmap`, mapped at the first such
///   read, exactly as DragonFly's libc does (`lib/libc/upmap/ukp_clock.c`; layout `struct
///   sys_kpmap` in `sys/sys/upmap.h`: `upticks`, `ts_uptime[2]`, `ts_realtime[2]`), so they
///   cost no system call and advance once per tick. Every other clock, including the precise
///   `Monotonic` and `Realtime`, is one `clock_gettime` system call, as in libc. Libc
///   backend: libc's `clock_gettime` (the same page after its tenth call).
/// - Linux, raw backend: the vDSO's `__vdso_clock_gettime` (x86_64) or
///   `__kernel_clock_gettime` (aarch64), found once from `AT_SYSINFO_EHDR`; the system call
///   only when there is no vDSO (valgrind hides it). Libc backend: glibc's vDSO call.
///
/// # Errors
/// `Errno::INVAL` if the running kernel does not support the clock (for example `Boottime` on an
/// OpenBSD older than 6.3).
///
/// # References
/// - [OpenBSD clock_gettime(2)](https://man.openbsd.org/clock_gettime.2)
/// - [DragonFly clock_gettime(2)](https://man.dragonflybsd.org/?command=clock_gettime&section=2)
/// - [Linux clock_gettime(2)](https://man7.org/linux/man-pages/man2/clock_gettime.2.html)
///
/// # Examples
/// ```
/// use bsd_time::{now, Clock};
///
/// let a = now(Clock::Monotonic)?;
/// let b = now(Clock::Monotonic)?;
/// assert!(b >= a); // monotonic: never backwards
/// assert!(now(Clock::Realtime)?.secs() > 1_600_000_000); // after September 2020
/// # Ok::<(), bsd_time::Errno>(())
/// ```
#[doc(alias = "clock_gettime")]
#[inline]
pub fn now(clock: Clock) -> Result<Timespec> {
    clock_gettime(clock.raw())
}

/// The resolution the kernel reports for `clock` (OpenBSD: the timecounter's precision,
/// DragonFly: one period of the system timer, Linux: 1 ns for the high-resolution clocks).
///
/// # References
/// - [OpenBSD clock_getres(2)](https://man.openbsd.org/clock_getres.2)
/// - [DragonFly clock_getres(2)](https://man.dragonflybsd.org/?command=clock_getres&section=2)
/// - [Linux clock_getres(2)](https://man7.org/linux/man-pages/man2/clock_getres.2.html)
///
/// # Examples
/// ```
/// use bsd_time::{resolution, Clock};
///
/// let res = resolution(Clock::Monotonic)?;
/// // Non-zero and well under a second on every supported OS.
/// assert!(res.as_nanos() > 0 && res.as_nanos() < 1_000_000_000);
/// # Ok::<(), bsd_time::Errno>(())
/// ```
#[doc(alias = "clock_getres")]
pub fn resolution(clock: Clock) -> Result<Timespec> {
    clock_getres(clock.raw())
}

/// Nanoseconds on the monotonic clock (Go's `nanotime`): never goes backwards.
///
/// `CLOCK_MONOTONIC` exists on every supported OS and the read does not fail there, but the
/// error is still returned rather than hidden: a made-up value (0, say) would look like a real
/// time to a caller subtracting two reads. The `Result` is a scalar pair, which rustc returns in
/// registers, so on the `Ok` path a read costs what a bare `u64` costs plus the caller's check.
///
/// # Errors
/// Whatever `clock_gettime(CLOCK_MONOTONIC)` reports (nothing on a supported kernel).
///
/// # Platform
/// Read as [`now`]`(`[`Clock::Monotonic`]`)` is: libc on OpenBSD, one system call on DragonFly
/// (raw backend), the vDSO on Linux.
///
/// # References
/// - [OpenBSD clock_gettime(2)](https://man.openbsd.org/clock_gettime.2)
/// - [DragonFly clock_gettime(2)](https://man.dragonflybsd.org/?command=clock_gettime&section=2)
/// - [Linux clock_gettime(2)](https://man7.org/linux/man-pages/man2/clock_gettime.2.html)
///
/// # Examples
/// ```
/// let start = bsd_time::monotonic_nanos()?;
/// bsd_time::sleep(std::time::Duration::from_millis(1))?;
/// assert!(bsd_time::monotonic_nanos()? - start >= 1_000_000);
/// # Ok::<(), bsd_time::Errno>(())
/// ```
#[doc(alias = "nanotime")]
#[doc(alias = "CLOCK_MONOTONIC")]
#[inline]
pub fn monotonic_nanos() -> Result<u64> {
    let ts = clock_gettime(libc::CLOCK_MONOTONIC)?;
    // Monotonic time counts from boot and is never negative (Linux refuses a time-namespace
    // offset that would make it so: `kernel/time/namespace.c`, `proc_timens_set_offset`), and
    // it fits u64 nanoseconds for 584 years of uptime, so plain u64 arithmetic is exact.
    Ok((ts.secs() as u64)
        .wrapping_mul(1_000_000_000)
        .wrapping_add(u64::from(ts.nanos())))
}

/// Wall-clock time since the Unix epoch (Go's `walltime`), as seconds and nanoseconds.
///
/// Like [`monotonic_nanos`], the read does not fail on a supported OS, and an error is
/// returned, never a made-up time.
///
/// # Errors
/// Whatever `clock_gettime(CLOCK_REALTIME)` reports (nothing on a supported kernel).
///
/// # References
/// - [OpenBSD clock_gettime(2)](https://man.openbsd.org/clock_gettime.2)
/// - [DragonFly clock_gettime(2)](https://man.dragonflybsd.org/?command=clock_gettime&section=2)
/// - [Linux clock_gettime(2)](https://man7.org/linux/man-pages/man2/clock_gettime.2.html)
///
/// # Examples
/// ```
/// use std::time::{Duration, SystemTime};
///
/// let ours = SystemTime::try_from(bsd_time::wall_time()?)?;
/// let std_now = SystemTime::now();
/// assert!(std_now.duration_since(ours)? < Duration::from_secs(5));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[doc(alias = "walltime")]
#[doc(alias = "CLOCK_REALTIME")]
#[inline]
pub fn wall_time() -> Result<Timespec> {
    clock_gettime(libc::CLOCK_REALTIME)
}
