//! `Filter` and `Change`: what to watch, and what to do with the registration.

use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::time::{Duration, SystemTime};

use bsd_sys::{Pid, Signal};

use crate::consts::*;
use crate::{Error, EvFlags, ProcNotes, UserFflags, VnodeNotes};

/// What a registration watches: one kqueue filter with its identifier and parameters.
///
/// Descriptors are plain numbers here: the kernel looks the number up when the change is
/// applied (a closed one gives `Errno::BADF` for that change) and nothing in this crate reads,
/// writes or closes it. Build fd filters from a descriptor you hold with [`Filter::read`],
/// [`Filter::write`], [`Filter::vnode`] and [`Filter::except`].
///
/// New filters may be added (OpenBSD's `EVFILT_DEVICE`, DragonFly's `EVFILT_FS`): match with a
/// wildcard arm.
///
/// # Examples
/// ```
/// use std::os::unix::net::UnixStream;
/// use std::time::Duration;
/// use bsd_event::{Change, EventKind, Events, Filter, Kqueue, UserFflags};
///
/// let kq = Kqueue::new()?;
/// let (a, _b) = UnixStream::pair()?;
/// kq.apply(&[
///     Change::add(Filter::write(&a), 1), // an empty socket buffer: writable
///     Change::add(Filter::Timer { id: 2, period: Duration::from_millis(5) }, 2),
///     Change::add(Filter::User { id: 3, trigger: true, fflags: UserFflags::Copy(0x11) }, 3),
/// ])?
/// .into_iter()
/// .collect::<Result<Vec<()>, _>>()?;
/// let mut seen = [false; 3];
/// let mut events = Events::with_capacity(8);
/// while seen != [true; 3] {
///     kq.wait(&mut events, Some(Duration::from_secs(5)))?;
///     for ev in &events {
///         match ev.kind()? {
///             EventKind::Write { eof: false, .. } => seen[0] = true,
///             EventKind::Timer { id: 2, .. } => seen[1] = true,
///             EventKind::User { id: 3, fflags: 0x11 } => seen[2] = true,
///             other => panic!("unexpected {other:?}"),
///         }
///     }
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2)
/// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Filter {
    /// `EVFILT_READ`: the descriptor has data to read (or EOF).
    #[doc(alias = "EVFILT_READ")]
    Read(RawFd),
    /// `EVFILT_WRITE`: the descriptor can be written.
    #[doc(alias = "EVFILT_WRITE")]
    Write(RawFd),
    /// `EVFILT_READ` with `NOTE_LOWAT`: readable once at least `lowat` bytes can be read (or
    /// at EOF, or with a socket error). The same registration as [`Filter::Read`] of `fd`.
    ///
    /// # Platform
    /// Sockets honour the mark on every OS (OpenBSD `filt_soread`, `sys/kern/uipc_socket.c`
    /// rev 1.385; DragonFly `filt_soread`, `sys/kern/uipc_socket.c` at ba87a4ab252d:
    /// `kn_data >= kn_sdata`). Pipes ignore it, reporting any byte (OpenBSD `filt_piperead`,
    /// `sys/kern/sys_pipe.c` rev 1.149; DragonFly `filt_piperead`, `sys/kern/sys_pipe.c` at
    /// 59b728a7d19d), and so do listening sockets (their count is of connections); the Linux
    /// emulation honours it for sockets only, likewise.
    #[doc(alias = "NOTE_LOWAT")]
    ReadLowat {
        /// The descriptor.
        fd: RawFd,
        /// The low-water mark in bytes.
        lowat: u32,
    },
    /// `EVFILT_WRITE` with `NOTE_LOWAT`: writable once at least `lowat` bytes of buffer are
    /// free (or once the reader closed). The same registration as [`Filter::Write`] of `fd`.
    ///
    /// # Platform
    /// Sockets honour the mark on every OS (OpenBSD `filt_sowrite`, `sys/kern/uipc_socket.c`
    /// rev 1.385; DragonFly `filt_sowrite` at ba87a4ab252d); pipes ignore it and report once
    /// `PIPE_BUF` bytes are free (`filt_pipewrite`, same files as for Read). Linux: the free
    /// space of a socket is estimated as `SO_SNDBUF` minus `SIOCOUTQ`.
    #[doc(alias = "NOTE_LOWAT")]
    WriteLowat {
        /// The descriptor.
        fd: RawFd,
        /// The low-water mark in bytes.
        lowat: u32,
    },
    /// `EVFILT_TIMER`: a periodic timer (one expiry with [`EvFlags::ONESHOT`]).
    ///
    /// # Platform
    /// DragonFly counts milliseconds only: the period is rounded up to whole milliseconds,
    /// then to clock ticks plus one (`tvtohz_high` in `filt_timerreset`, `sys/kern/kern_event.c`
    /// at 81dd9c6184), so at the default 100 Hz a 20 ms timer fires every 30 ms.
    /// OpenBSD: whole milliseconds use the default unit (every release); other periods use
    /// `NOTE_NSECONDS` (`sys/sys/event.h` rev 1.74); the period is rounded up to clock ticks,
    /// the first one tick longer (`filt_timeradd`, `sys/kern/kern_event.c` rev 1.205). Linux:
    /// the exact period, on the queue's one timerfd.
    #[doc(alias = "EVFILT_TIMER")]
    Timer {
        /// The timer's identifier (your choice; unique among this queue's timers).
        id: u64,
        /// Time between expiries; must be non-zero.
        period: Duration,
    },
    /// `EVFILT_TIMER` with `NOTE_ABSTIME`: a timer that expires once, at a wall-clock time.
    ///
    /// The deadline is turned into a delay when the change is applied, as OpenBSD does
    /// (`filt_timeradd`, `sys/kern/kern_event.c` rev 1.205): a later change of the wall clock
    /// does not move it. A deadline already past expires at once. Unlike a periodic timer it
    /// gets no implied `EV_CLEAR`: without `CLEAR` the expired timer is reported by every wait
    /// until deleted.
    ///
    /// # Platform
    /// OpenBSD (`NOTE_ABSTIME`, `sys/sys/event.h` rev 1.74) and Linux (the emulation's timer
    /// heap). DragonFly has no absolute timers (no `NOTE_ABSTIME` in `sys/sys/event.h`):
    /// [`Error::Unsupported`].
    #[doc(alias = "NOTE_ABSTIME")]
    TimerAt {
        /// The timer's identifier (shared with [`Filter::Timer`] ids).
        id: u64,
        /// When it expires (`CLOCK_REALTIME`).
        deadline: SystemTime,
    },
    /// `EVFILT_SIGNAL`: counts deliveries of a signal to the process.
    ///
    /// # Platform
    /// OpenBSD counts each signal when it is sent, blocked, ignored or not (`ptsignal_locked`,
    /// `sys/kern/kern_sig.c` rev 1.365). DragonFly counts it when a thread takes it, and when it
    /// is sent only if it is ignored or blocked by every thread (`lwpsignal`, `postsig`,
    /// `sys/kern/kern_sig.c` at 81dd9c6184): a process signal blocked everywhere counts at once
    /// (and again if later taken); one sent to a thread that blocks it, only once taken.
    /// Linux: the queue's signalfd, which sees the signal only while it is blocked and
    /// consumes it.
    #[doc(alias = "EVFILT_SIGNAL")]
    Signal(Signal),
    /// `EVFILT_PROC`: events of a process (exit with its status, fork, exec).
    #[doc(alias = "EVFILT_PROC")]
    Proc {
        /// The process.
        pid: Pid,
        /// What to watch.
        notes: ProcNotes,
    },
    /// `EVFILT_USER`: an event triggered by a program, with 24 bits of user flags.
    ///
    /// # Platform
    /// OpenBSD has it from 7.8 (`sys/sys/event.h` rev 1.74, 2025); earlier releases refuse it
    /// with [`Error::Unsupported`]. Linux: kept by the emulation; the queue's eventfd wakes
    /// waiters.
    #[doc(alias = "EVFILT_USER")]
    User {
        /// The event's identifier (your choice).
        id: u64,
        /// `NOTE_TRIGGER`: fire the event.
        trigger: bool,
        /// What to do to the event's user flags.
        fflags: UserFflags,
    },
    /// `EVFILT_VNODE`: changes to the file behind a descriptor.
    #[doc(alias = "EVFILT_VNODE")]
    Vnode {
        /// A descriptor of the file.
        fd: RawFd,
        /// What to watch.
        notes: VnodeNotes,
    },
    /// `EVFILT_EXCEPT` with `NOTE_OOB`: out-of-band data on a socket.
    ///
    /// # Platform
    /// Linux: `EPOLLPRI`.
    #[doc(alias = "EVFILT_EXCEPT")]
    Except(RawFd),
}

impl Filter {
    /// [`Filter::Read`] on a descriptor you hold.
    pub fn read(fd: impl AsFd) -> Filter {
        Filter::Read(fd.as_fd().as_raw_fd())
    }

    /// [`Filter::Write`] on a descriptor you hold.
    pub fn write(fd: impl AsFd) -> Filter {
        Filter::Write(fd.as_fd().as_raw_fd())
    }

    /// [`Filter::Vnode`] on a descriptor you hold.
    pub fn vnode(fd: impl AsFd, notes: VnodeNotes) -> Filter {
        Filter::Vnode {
            fd: fd.as_fd().as_raw_fd(),
            notes,
        }
    }

    /// [`Filter::Except`] on a descriptor you hold.
    pub fn except(fd: impl AsFd) -> Filter {
        Filter::Except(fd.as_fd().as_raw_fd())
    }

    /// [`Filter::User`] with no trigger and no flag change (to add, enable or delete it).
    pub fn user(id: u64) -> Filter {
        Filter::User {
            id,
            trigger: false,
            fflags: UserFflags::Nop,
        }
    }

    /// [`Filter::User`] that fires the event.
    #[doc(alias = "NOTE_TRIGGER")]
    pub fn user_trigger(id: u64) -> Filter {
        Filter::User {
            id,
            trigger: true,
            fflags: UserFflags::Nop,
        }
    }

    /// The kernel's filter number and identifier for this filter.
    pub(crate) fn key(&self) -> (i16, u64) {
        match *self {
            Filter::Read(fd) => (EVFILT_READ, fd as u64),
            Filter::Write(fd) => (EVFILT_WRITE, fd as u64),
            Filter::ReadLowat { fd, .. } => (EVFILT_READ, fd as u64),
            Filter::WriteLowat { fd, .. } => (EVFILT_WRITE, fd as u64),
            Filter::Timer { id, .. } | Filter::TimerAt { id, .. } => (EVFILT_TIMER, id),
            Filter::Signal(s) => (EVFILT_SIGNAL, s.raw() as u64),
            Filter::Proc { pid, .. } => (EVFILT_PROC, pid.raw() as u64),
            Filter::User { id, .. } => (EVFILT_USER, id),
            Filter::Vnode { fd, .. } => (EVFILT_VNODE, fd as u64),
            Filter::Except(fd) => (EVFILT_EXCEPT, fd as u64),
        }
    }
}

/// One change to a [`Kqueue`](crate::Kqueue): a filter, what to do with it, and your token.
///
/// The token is a plain `u64` handed back in every [`Event`](crate::Event) of the registration;
/// it is never dereferenced.
///
/// # Examples
/// ```
/// use std::io::Write;
/// use std::os::unix::net::UnixStream;
/// use std::time::Duration;
/// use bsd_event::{Change, EvFlags, Events, Filter, Kqueue};
///
/// let kq = Kqueue::new()?;
/// let (mut tx, rx) = UnixStream::pair()?;
/// let read = Filter::read(&rx);
/// kq.register(Change::add(read, 7).with(EvFlags::DISPATCH))?;
/// tx.write_all(b"x")?;
/// let mut events = Events::with_capacity(4);
/// assert_eq!(kq.wait(&mut events, Some(Duration::from_secs(5)))?, 1);
/// // DISPATCH disabled it after that event, although the byte is still there...
/// assert_eq!(kq.wait(&mut events, Some(Duration::ZERO))?, 0);
/// // ...until it is enabled again.
/// kq.register(Change::enable(read, 7))?;
/// assert_eq!(kq.wait(&mut events, Some(Duration::from_secs(5)))?, 1);
/// kq.register(Change::delete(read))?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2) (`EV_SET`)
/// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
#[doc(alias = "EV_SET")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[must_use = "a Change does nothing until Kqueue::register or Kqueue::apply applies it"]
pub struct Change {
    /// What to watch.
    pub filter: Filter,
    /// What to do (`ADD`, `DELETE`, `ENABLE`, `DISABLE`, plus `ONESHOT`, `CLEAR`, `DISPATCH`).
    pub flags: EvFlags,
    /// Your token (`udata`).
    #[doc(alias = "udata")]
    pub token: u64,
}

impl Change {
    /// A change with explicit flags.
    pub fn new(filter: Filter, flags: EvFlags, token: u64) -> Change {
        Change {
            filter,
            flags,
            token,
        }
    }

    /// Registers `filter` (`EV_ADD`) with `token`.
    #[doc(alias = "EV_ADD")]
    pub fn add(filter: Filter, token: u64) -> Change {
        Change::new(filter, EvFlags::ADD, token)
    }

    /// Removes the registration of `filter` (`EV_DELETE`).
    #[doc(alias = "EV_DELETE")]
    pub fn delete(filter: Filter) -> Change {
        Change::new(filter, EvFlags::DELETE, 0)
    }

    /// Re-enables the registration of `filter` (`EV_ENABLE`), keeping `token`.
    #[doc(alias = "EV_ENABLE")]
    pub fn enable(filter: Filter, token: u64) -> Change {
        Change::new(filter, EvFlags::ENABLE, token)
    }

    /// Disables the registration of `filter` (`EV_DISABLE`), keeping `token`.
    #[doc(alias = "EV_DISABLE")]
    pub fn disable(filter: Filter, token: u64) -> Change {
        Change::new(filter, EvFlags::DISABLE, token)
    }

    /// The same change with `flags` added.
    pub fn with(mut self, flags: EvFlags) -> Change {
        self.flags |= flags;
        self
    }

    /// Lowers the change to the kernel's fields, checking what the OS can express.
    pub(crate) fn lower(&self) -> Result<RawChange, Error> {
        let (filter, ident) = self.filter.key();
        let (fflags, data) = match self.filter {
            Filter::Read(_) | Filter::Write(_) | Filter::Signal(_) => (0, 0),
            Filter::ReadLowat { lowat, .. } | Filter::WriteLowat { lowat, .. } => {
                (NOTE_LOWAT, i64::from(lowat))
            }
            Filter::Except(_) => (except_fflags(), 0),
            // A deletion names the timer by id only: its period is not checked.
            Filter::Timer { .. } | Filter::TimerAt { .. }
                if self.flags.contains(EvFlags::DELETE) =>
            {
                (0, 0)
            }
            Filter::Timer { period, .. } => timer_units(period)?,
            Filter::TimerAt { deadline, .. } => timer_at(deadline)?,
            Filter::Proc { notes, .. } => (proc_fflags(notes)?, 0),
            Filter::User {
                trigger, fflags, ..
            } => ((if trigger { NOTE_TRIGGER } else { 0 }) | fflags.raw(), 0),
            Filter::Vnode { notes, .. } => (notes.bits(), 0),
        };
        Ok(RawChange {
            ident,
            filter,
            flags: self.flags.bits(),
            fflags,
            data,
            token: self.token,
        })
    }
}

/// A change in the kernel's terms (`struct kevent` without the pointer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RawChange {
    pub(crate) ident: u64,
    pub(crate) filter: i16,
    pub(crate) flags: u16,
    pub(crate) fflags: u32,
    pub(crate) data: i64,
    pub(crate) token: u64,
}

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
fn except_fflags() -> u32 {
    NOTE_OOB
}

#[cfg(target_os = "linux")]
fn except_fflags() -> u32 {
    0
}

#[cfg(target_os = "linux")]
fn proc_fflags(notes: ProcNotes) -> Result<u32, Error> {
    if notes.intersects(ProcNotes::FORK) {
        return Err(Error::Unsupported {
            what: "NOTE_FORK",
            reason: "a pidfd reports only the exit on Linux",
        });
    }
    if notes.intersects(ProcNotes::EXEC) {
        return Err(Error::Unsupported {
            what: "NOTE_EXEC",
            reason: "a pidfd reports only the exit on Linux",
        });
    }
    Ok(notes.bits())
}

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
fn proc_fflags(notes: ProcNotes) -> Result<u32, Error> {
    Ok(notes.bits())
}

const ZERO_PERIOD: Error = Error::Invalid("a timer period must be non-zero");
const LONG_PERIOD: Error = Error::Invalid("the timer period does not fit the kernel's field");

/// DragonFly: milliseconds only, rounded up (DragonFly kqueue(2): "data ... in milliseconds").
#[cfg(target_os = "dragonfly")]
fn timer_units(period: Duration) -> Result<(u32, i64), Error> {
    if period.is_zero() {
        return Err(ZERO_PERIOD);
    }
    let ms = period.as_nanos().div_ceil(1_000_000);
    Ok((0, i64::try_from(ms).map_err(|_| LONG_PERIOD)?))
}

/// OpenBSD: whole milliseconds in the default unit (every release); anything finer in
/// `NOTE_NSECONDS` (OpenBSD `sys/sys/event.h` rev 1.74).
#[cfg(target_os = "openbsd")]
fn timer_units(period: Duration) -> Result<(u32, i64), Error> {
    if period.is_zero() {
        return Err(ZERO_PERIOD);
    }
    let ns = period.as_nanos();
    if ns % 1_000_000 == 0 {
        Ok((
            bsd_sys::event::NOTE_MSECONDS,
            i64::try_from(ns / 1_000_000).map_err(|_| LONG_PERIOD)?,
        ))
    } else {
        Ok((
            bsd_sys::event::NOTE_NSECONDS,
            i64::try_from(ns).map_err(|_| LONG_PERIOD)?,
        ))
    }
}

/// Nanoseconds since the epoch of an absolute deadline.
#[cfg(any(target_os = "openbsd", target_os = "linux"))]
fn epoch_nanos(deadline: SystemTime) -> Result<i64, Error> {
    let since = deadline
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_err(|_| Error::Invalid("a timer deadline must not precede 1970"))?;
    i64::try_from(since.as_nanos()).map_err(|_| LONG_PERIOD)
}

/// OpenBSD: `NOTE_ABSTIME | NOTE_NSECONDS`, nanoseconds since the epoch.
#[cfg(target_os = "openbsd")]
fn timer_at(deadline: SystemTime) -> Result<(u32, i64), Error> {
    Ok((
        bsd_sys::event::NOTE_ABSTIME | bsd_sys::event::NOTE_NSECONDS,
        epoch_nanos(deadline)?,
    ))
}

/// Linux: the emulation's own absolute flag, nanoseconds since the epoch.
#[cfg(target_os = "linux")]
fn timer_at(deadline: SystemTime) -> Result<(u32, i64), Error> {
    Ok((crate::consts::NOTE_ABSTIME, epoch_nanos(deadline)?))
}

#[cfg(target_os = "dragonfly")]
fn timer_at(_deadline: SystemTime) -> Result<(u32, i64), Error> {
    Err(Error::Unsupported {
        what: "NOTE_ABSTIME",
        reason: "DragonFly timers are relative only (no NOTE_ABSTIME in sys/sys/event.h)",
    })
}

/// Linux: the emulation takes nanoseconds.
#[cfg(target_os = "linux")]
fn timer_units(period: Duration) -> Result<(u32, i64), Error> {
    if period.is_zero() {
        return Err(ZERO_PERIOD);
    }
    Ok((
        0,
        i64::try_from(period.as_nanos()).map_err(|_| LONG_PERIOD)?,
    ))
}
