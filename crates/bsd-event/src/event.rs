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
/// # References
/// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2)
/// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
#[doc(alias = "kevent")]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub(crate) ident: u64,
    pub(crate) filter: i16,
    pub(crate) flags: u16,
    pub(crate) fflags: u32,
    pub(crate) data: i64,
    pub(crate) token: u64,
}

/// A typed event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// It called `exit` with this code.
    Exited(i32),
    /// A signal killed it.
    Signaled {
        /// The raw signal number (see [`Signal::from_raw`]).
        signal: i32,
        /// A core dump was written.
        core_dumped: bool,
    },
    /// Any other wait status, raw.
    Other(i32),
}

impl ExitStatus {
    /// Decodes a `wait(2)` status word (the same encoding on every supported OS).
    pub fn from_wait_status(status: i32) -> ExitStatus {
        let sig = status & 0x7f;
        if sig == 0 {
            ExitStatus::Exited((status >> 8) & 0xff)
        } else if sig != 0x7f {
            ExitStatus::Signaled {
                signal: sig,
                core_dumped: status & 0x80 != 0,
            }
        } else {
            ExitStatus::Other(status)
        }
    }
}

impl Event {
    /// Your token from the registration (`udata`).
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
    pub fn data(&self) -> i64 {
        crate::sys::event_data(self)
    }

    /// `EV_EOF` is set.
    pub fn is_eof(&self) -> bool {
        self.flags & EV_EOF != 0
    }

    /// The error reported with `EV_ERROR`, if any.
    pub fn error(&self) -> Option<Errno> {
        if self.flags & EV_ERROR != 0 && self.data != 0 {
            Some(Errno::from_raw(self.data as i32))
        } else {
            None
        }
    }

    /// Decodes the event. Unknown filter numbers and out-of-range values are errors, never
    /// guesses.
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
                    Some(ExitStatus::from_wait_status(self.data as i32))
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
        assert_eq!(ExitStatus::from_wait_status(3 << 8), ExitStatus::Exited(3));
        assert_eq!(
            ExitStatus::from_wait_status(9),
            ExitStatus::Signaled {
                signal: 9,
                core_dumped: false
            }
        );
        assert_eq!(
            ExitStatus::from_wait_status(0x86),
            ExitStatus::Signaled {
                signal: 6,
                core_dumped: true
            }
        );
        assert_eq!(
            ExitStatus::from_wait_status(0x137f),
            ExitStatus::Other(0x137f)
        );
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
