//! `Event`: one report from the kernel, and its typed decoding.

use std::fmt;
use std::os::fd::RawFd;

use bsd_sys::{Errno, Pid, Signal};

use crate::consts::*;
use crate::{DecodeError, EvFlags, ProcNotes, VnodeNotes};

/// One event as the kernel reported it (`struct kevent` without the pointer).
///
/// Read the raw fields, or decode them with [`Event::kind`].
///
/// # Platform
/// Linux: the byte counts of Read and Write events are asked for when you read them
/// ([`data`](Event::data), [`kind`](Event::kind)), not when the wait returned; see those methods.
///
/// # Examples
/// ```
/// use std::io::Write;
/// use std::os::fd::AsRawFd;
/// use std::os::unix::net::UnixStream;
/// use std::time::Duration;
/// use bsd_event::{Change, EventKind, Events, Filter, Kqueue};
///
/// let kq = Kqueue::new()?;
/// let (mut tx, rx) = UnixStream::pair()?;
/// kq.register(Change::add(Filter::read(&rx), 42))?;
/// tx.write_all(b"abc")?;
/// let mut events = Events::with_capacity(4);
/// kq.wait(&mut events, Some(Duration::from_secs(5)))?;
/// let ev = events.iter().next().expect("readable");
/// assert_eq!(ev.token(), 42);
/// assert_eq!(ev.ident(), rx.as_raw_fd() as u64);
/// assert_eq!(ev.data(), 3); // bytes waiting
/// assert!(!ev.is_eof() && ev.error().is_none());
/// assert_eq!(ev.kind()?, EventKind::Read { fd: rx.as_raw_fd(), bytes: 3, eof: false });
/// drop(tx); // the peer closes: the next report has EV_EOF
/// kq.wait(&mut events, Some(Duration::from_secs(5)))?;
/// assert!(events.iter().any(|ev| ev.is_eof()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2)
/// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
#[doc(alias = "kevent")]
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Event {
    pub(crate) ident: u64,
    pub(crate) filter: i16,
    pub(crate) flags: u16,
    pub(crate) fflags: u32,
    pub(crate) data: i64,
    pub(crate) token: u64,
}

/// A typed event, from [`Event::kind`].
///
/// One variant per [`Filter`](crate::Filter); new variants may be added with new filters, so
/// match with a wildcard arm.
///
/// # Examples
/// A child killed while a `Proc` registration watches it:
/// ```
/// use std::process::Command;
/// use std::time::Duration;
/// use bsd_event::{Change, EventKind, Events, ExitStatus, Filter, Kqueue, Pid, ProcNotes, Signal};
///
/// let mut child = Command::new("sleep").arg("10").spawn()?;
/// let pid = Pid::from_raw(child.id() as i32);
/// let kq = Kqueue::new()?;
/// kq.register(Change::add(Filter::Proc { pid, notes: ProcNotes::EXIT }, 1))?;
/// child.kill()?; // SIGKILL, after the registration: no race
/// let mut events = Events::with_capacity(4);
/// kq.wait(&mut events, Some(Duration::from_secs(5)))?;
/// match events.iter().next().expect("the exit").kind()? {
///     EventKind::Proc { pid: p, notes, exit } => {
///         assert_eq!(p, pid);
///         assert!(notes.contains(ProcNotes::EXIT));
///         let killed = ExitStatus::Signaled { signal: Signal::KILL, core_dumped: false };
///         assert_eq!(exit, Some(killed));
///     }
///     other => panic!("expected Proc, got {other:?}"),
/// }
/// child.wait()?; // the event did not reap it
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2) (the `data` and `fflags` of each
///   filter)
/// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventKind {
    /// The descriptor is readable: `bytes` can be read now; `eof` when the peer closed.
    Read {
        /// The descriptor.
        fd: RawFd,
        /// Bytes available to read (on Linux counted when the event is decoded; see
        /// [`Event::data`]).
        bytes: u64,
        /// The peer closed (the writer of a pipe, the other end of a socket).
        eof: bool,
    },
    /// The descriptor is writable: `space` bytes of buffer are free; `eof` when the reader
    /// closed.
    Write {
        /// The descriptor.
        fd: RawFd,
        /// Free buffer space in bytes (on Linux known for pipes and, estimated, sockets, else 0,
        /// and counted when the event is decoded; see [`Event::data`]).
        space: u64,
        /// The reader closed.
        eof: bool,
    },
    /// Out-of-band data is pending on the descriptor.
    Except {
        /// The descriptor.
        fd: RawFd,
    },
    /// The timer expired `expirations` times since the last report.
    Timer {
        /// The timer's identifier.
        id: u64,
        /// Expiries since the last report.
        expirations: u64,
    },
    /// The signal was delivered `count` times since the last report.
    Signal {
        /// The signal.
        signal: Signal,
        /// Deliveries since the last report.
        count: u64,
    },
    /// Something happened to the process.
    Proc {
        /// The process.
        pid: Pid,
        /// What happened.
        notes: ProcNotes,
        /// With `EXIT`: how it ended, if the OS told.
        exit: Option<ExitStatus>,
    },
    /// A user event fired.
    User {
        /// The event's identifier.
        id: u64,
        /// Its 24 user flag bits.
        fflags: u32,
    },
    /// The file changed.
    Vnode {
        /// The descriptor it was registered with.
        fd: RawFd,
        /// What changed.
        notes: VnodeNotes,
    },
}

/// How a process ended, decoded from its wait status.
///
/// A [`Filter::Proc`](crate::Filter::Proc) registration with `NOTE_EXIT` reports it in
/// [`EventKind::Proc::exit`]. New variants may be added: match with a wildcard arm.
///
/// # Examples
/// ```
/// use bsd_event::{ExitStatus, Signal};
///
/// // What `exit(3)` and a SIGKILL leave in a wait(2) status word.
/// assert_eq!(ExitStatus::from_raw(3 << 8), ExitStatus::Exited(3));
/// assert_eq!(ExitStatus::from_raw(3 << 8).code(), Some(3));
/// let killed = ExitStatus::from_raw(Signal::KILL.raw());
/// assert_eq!(killed, ExitStatus::Signaled { signal: Signal::KILL, core_dumped: false });
/// assert_eq!(killed.signal(), Some(Signal::KILL));
/// assert_eq!(killed.code(), None);
/// ```
///
/// # References
/// - [OpenBSD wait(2)](https://man.openbsd.org/wait.2) (`WIFEXITED`, `WTERMSIG`, `WCOREDUMP`)
/// - [DragonFly wait(2)](https://man.dragonflybsd.org/?command=wait&section=2)
/// - [Linux wait(2)](https://man7.org/linux/man-pages/man2/wait.2.html)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExitStatus {
    /// It called `exit` with this code (`WEXITSTATUS`).
    #[doc(alias = "WIFEXITED")]
    #[doc(alias = "WEXITSTATUS")]
    Exited(i32),
    /// A signal killed it (`WTERMSIG`).
    #[doc(alias = "WIFSIGNALED")]
    #[doc(alias = "WTERMSIG")]
    Signaled {
        /// The signal.
        signal: Signal,
        /// A core dump was written (`WCOREDUMP`).
        core_dumped: bool,
    },
    /// Any other wait status, raw: a stopped or continued process, or a signal number outside
    /// `1..=Signal::MAX` (which no supported kernel produces, but the status word can hold).
    Other(i32),
}

impl ExitStatus {
    /// Decodes a `wait(2)` status word (the same encoding on every supported OS: the low 7
    /// bits are the signal, `0x80` the core flag, bits 8..16 the exit code); the name and
    /// argument follow std's `ExitStatusExt::from_raw`.
    ///
    /// A signal number that [`Signal::from_raw`] refuses gives [`ExitStatus::Other`] with the
    /// whole word, so nothing is lost.
    ///
    /// # Examples
    /// ```
    /// use bsd_event::{ExitStatus, Signal};
    /// assert_eq!(
    ///     ExitStatus::from_raw(0x80 | Signal::ABRT.raw()),
    ///     ExitStatus::Signaled { signal: Signal::ABRT, core_dumped: true },
    /// );
    /// assert_eq!(ExitStatus::from_raw(0x137f), ExitStatus::Other(0x137f)); // stopped
    /// ```
    ///
    /// # References
    /// - OpenBSD `sys/sys/wait.h` (`_WSTATUS`, `WCOREFLAG`), DragonFly `sys/sys/wait.h`,
    ///   glibc `bits/waitstatus.h`: the same layout
    #[must_use]
    pub fn from_raw(status: i32) -> ExitStatus {
        let sig = status & 0x7f;
        if sig == 0 {
            ExitStatus::Exited((status >> 8) & 0xff)
        } else if sig != 0x7f {
            match Signal::from_raw(sig) {
                Ok(signal) => ExitStatus::Signaled {
                    signal,
                    core_dumped: status & 0x80 != 0,
                },
                Err(_) => ExitStatus::Other(status),
            }
        } else {
            ExitStatus::Other(status)
        }
    }

    /// The exit code, if the process called `exit` (as std's `ExitStatus::code`).
    #[must_use]
    pub fn code(&self) -> Option<i32> {
        match *self {
            ExitStatus::Exited(code) => Some(code),
            _ => None,
        }
    }

    /// The signal that killed the process, if one did (as std's `ExitStatusExt::signal`).
    #[must_use]
    pub fn signal(&self) -> Option<Signal> {
        match *self {
            ExitStatus::Signaled { signal, .. } => Some(signal),
            _ => None,
        }
    }
}

impl Event {
    /// Your token from the registration (`udata`).
    #[doc(alias = "udata")]
    pub fn token(&self) -> u64 {
        self.token
    }

    /// The identifier (`ident`): a descriptor, timer/user id, signal number or process id.
    pub fn ident(&self) -> u64 {
        self.ident
    }

    /// The raw filter number (`filter`; per-OS values).
    pub fn raw_filter(&self) -> i16 {
        self.filter
    }

    /// The flags the kernel reported.
    pub fn flags(&self) -> EvFlags {
        EvFlags::from_bits_retain(self.flags)
    }

    /// The filter-specific flags (`fflags`).
    pub fn fflags(&self) -> u32 {
        self.fflags
    }

    /// The filter-specific data (`data`).
    ///
    /// # Platform
    /// OpenBSD and DragonFly: the value the kernel reported with the event. Linux: for a Read
    /// or Write event the count is read at this call (one `ioctl(FIONREAD)`, plus
    /// `fcntl(F_GETPIPE_SZ)` for Write), not at wait time, so ask before reading from, writing
    /// to or closing the descriptor: once it is closed the count is 0, and if its number was
    /// reused it describes the new file.
    ///
    /// # Examples
    /// ```
    /// use std::io::Write;
    /// use std::os::fd::AsRawFd;
    /// use std::os::unix::net::UnixStream;
    /// use std::time::Duration;
    /// use bsd_event::{Change, EventKind, Events, Filter, Kqueue};
    ///
    /// let kq = Kqueue::new()?;
    /// let (mut tx, rx) = UnixStream::pair()?;
    /// kq.register(Change::add(Filter::read(&rx), 0))?;
    /// tx.write_all(b"abc")?;
    /// let mut events = Events::with_capacity(4);
    /// kq.wait(&mut events, Some(Duration::from_secs(5)))?;
    /// tx.write_all(b"de")?; // after the wait, before the decode
    /// let ev = events.as_slice()[0];
    /// // kqueue copied the count out when the wait returned (OpenBSD `kqueue_scan`,
    /// // sys/kern/kern_event.c rev 1.205); the Linux emulation asks FIONREAD now.
    /// let bytes = if cfg!(target_os = "linux") { 5 } else { 3 };
    /// assert_eq!(ev.data(), bytes);
    /// let read = EventKind::Read { fd: rx.as_raw_fd(), bytes: bytes as u64, eof: false };
    /// assert_eq!(ev.kind()?, read);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn data(&self) -> i64 {
        crate::sys::event_data(self)
    }

    /// `EV_EOF` is set.
    #[doc(alias = "EV_EOF")]
    pub fn is_eof(&self) -> bool {
        self.flags & EV_EOF != 0
    }

    /// The error reported with `EV_ERROR`, if any.
    #[doc(alias = "EV_ERROR")]
    pub fn error(&self) -> Option<Errno> {
        if self.flags & EV_ERROR != 0 && self.data != 0 {
            Some(Errno::from_raw(self.data as i32))
        } else {
            None
        }
    }

    /// Decodes the event. Unknown filter numbers and out-of-range values are errors, never
    /// guesses ([`DecodeError`], which `?` turns into an `io::Error`).
    ///
    /// See the examples of [`Event`], [`Event::data`] (a count read at decode on Linux) and
    /// [`EventKind`].
    ///
    /// # Platform
    /// Linux: the `bytes` of Read and the `space` of Write are read at this call, as with
    /// [`data`](Event::data).
    pub fn kind(&self) -> Result<EventKind, DecodeError> {
        let filter = self.filter;
        let bad = |field| DecodeError::BadValue { filter, field };
        let fd = || RawFd::try_from(self.ident).map_err(|_| bad("ident"));
        let data = self.data().max(0) as u64;
        Ok(match filter {
            EVFILT_READ => EventKind::Read {
                fd: fd()?,
                bytes: data,
                eof: self.is_eof(),
            },
            EVFILT_WRITE => EventKind::Write {
                fd: fd()?,
                space: data,
                eof: self.is_eof(),
            },
            EVFILT_EXCEPT => EventKind::Except { fd: fd()? },
            EVFILT_TIMER => EventKind::Timer {
                id: self.ident,
                expirations: data,
            },
            EVFILT_SIGNAL => {
                let n = i32::try_from(self.ident).map_err(|_| bad("ident"))?;
                let signal = Signal::from_raw(n).map_err(|_| bad("ident"))?;
                EventKind::Signal {
                    signal,
                    count: data,
                }
            }
            EVFILT_PROC => {
                let pid = Pid::from_raw(i32::try_from(self.ident).map_err(|_| bad("ident"))?);
                let notes = ProcNotes::from_bits_retain(self.fflags);
                let exit = if notes.contains(ProcNotes::EXIT) && self.data >= 0 {
                    Some(ExitStatus::from_raw(self.data as i32))
                } else {
                    None
                };
                EventKind::Proc { pid, notes, exit }
            }
            EVFILT_USER => EventKind::User {
                id: self.ident,
                fflags: self.fflags & NOTE_FFLAGSMASK,
            },
            EVFILT_VNODE => EventKind::Vnode {
                fd: fd()?,
                notes: VnodeNotes::from_bits_retain(self.fflags),
            },
            other => return Err(DecodeError::UnknownFilter(other)),
        })
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Event");
        d.field("ident", &self.ident)
            .field("filter", &self.filter)
            .field("flags", &self.flags)
            .field("fflags", &self.fflags);
        // Formatting never makes a system call: a count not read yet is shown as such.
        if crate::sys::is_deferred(self) {
            d.field("data", &format_args!("(read on request)"));
        } else {
            d.field("data", &self.data);
        }
        d.field("token", &self.token).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_status_decoding() {
        assert_eq!(ExitStatus::from_raw(3 << 8), ExitStatus::Exited(3));
        assert_eq!(
            ExitStatus::from_raw(9),
            ExitStatus::Signaled {
                signal: Signal::KILL,
                core_dumped: false
            }
        );
        assert_eq!(
            ExitStatus::from_raw(0x86),
            ExitStatus::Signaled {
                signal: Signal::ABRT,
                core_dumped: true
            }
        );
        assert_eq!(ExitStatus::from_raw(0x137f), ExitStatus::Other(0x137f));
        // A signal number out of Signal's range keeps the raw word.
        if Signal::MAX < 0x7e {
            let raw = Signal::MAX + 1;
            assert_eq!(ExitStatus::from_raw(raw), ExitStatus::Other(raw));
        }
    }

    #[test]
    fn unknown_filter_is_an_error() {
        let ev = Event {
            ident: 0,
            filter: -77,
            flags: 0,
            fflags: 0,
            data: 0,
            token: 0,
        };
        assert_eq!(ev.kind(), Err(DecodeError::UnknownFilter(-77)));
        let bad_sig = Event {
            ident: 1000,
            filter: EVFILT_SIGNAL,
            flags: 0,
            fflags: 0,
            data: 1,
            token: 0,
        };
        assert!(matches!(bad_sig.kind(), Err(DecodeError::BadValue { .. })));
    }
}
