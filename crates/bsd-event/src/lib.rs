//! kqueue for OpenBSD and DragonFly BSD, typed, and the same API over epoll on a Linux host.
//!
//! A [`Kqueue`] owns its descriptor. Changes are typed [`Filter`]s with [`EvFlags`] and a `u64`
//! token ([`Change`]); [`Kqueue::apply`] reports a result per change (`EV_RECEIPT`);
//! [`Kqueue::wait`] fills a reusable [`Events`] buffer whose [`Event`]s decode into
//! [`EventKind`]s (bytes readable, EOF, timer expirations, signal count, exit status, ...).
//! A [`Waker`] wakes a blocked `wait` on every OS.
//!
//! Nothing the kernel hands back is dereferenced: the token is an integer, filter numbers and
//! signal numbers are decoded with fallible conversions ([`DecodeError`]).
//!
//! ```
//! use std::io::Write;
//! use std::os::unix::net::UnixStream;
//! use std::time::Duration;
//! use bsd_event::{Change, EventKind, Events, Filter, Kqueue};
//!
//! let kq = Kqueue::new()?;
//! let (mut a, b) = UnixStream::pair()?;
//! kq.register(Change::add(Filter::read(&b), 7))?;
//! a.write_all(b"hi")?;
//! let mut events = Events::with_capacity(8);
//! kq.wait(&mut events, Some(Duration::from_secs(5)))?;
//! let ev = events.iter().next().expect("an event");
//! assert_eq!(ev.token(), 7);
//! assert!(matches!(ev.kind()?, EventKind::Read { bytes: 2, eof: false, .. }));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Platform
//! | | OpenBSD | DragonFly | Linux (emulation) |
//! |---|---|---|---|
//! | Read / Write | yes | yes | epoll on the descriptor; regular files and directories checked at each wait |
//! | Timer | ms, or ns with `NOTE_NSECONDS` | ms (rounded up) | one timerfd and a timer heap per queue, ns |
//! | Timer at a wall-clock time ([`Filter::TimerAt`]) | `NOTE_ABSTIME` | no ([`Error::Unsupported`]) | the same timer heap |
//! | Signal | yes | yes | one signalfd per queue |
//! | Proc | exit, fork, exec | exit, fork, exec | exit only (one pidfd per process, Linux 5.3; status via `waitid(P_PIDFD)`, 5.4) |
//! | User | from 7.8 | yes | kept in the registry; one eventfd per queue wakes waiters |
//! | Vnode | yes | yes | one inotify instance per queue, watching `/proc/self/fd/N` |
//! | Except | `NOTE_OOB` on sockets | `NOTE_OOB` on sockets | `EPOLLPRI` on sockets |
//!
//! Returned events carry the flags of the change that added the registration, with
//! `EV_RECEIPT` (every change has it) and, for Timer, Signal and Proc, the `EV_CLEAR` the
//! kernels set themselves, on every OS.
//!
//! ## Where the Linux emulation differs from kqueue
//! Every difference that remains; anything not listed behaves as on the BSDs (and is checked
//! by `tests/conformance.rs` on all three).
//!
//! | topic | kqueue | Linux emulation |
//! |---|---|---|
//! | triggering | level by default; `EV_CLEAR` per registration | one epoll entry per descriptor, edge-triggered only when *every* enabled Read/Write/Except registration on it has `CLEAR`; mixed, all are level-triggered (a `CLEAR` one is then reported again while its condition holds) |
//! | Read/Write/Except on one fd | three knotes | one epoll entry; reported as separate events, so a wait may return up to three per buffer slot |
//! | closing a descriptor | drops its knotes at once | noticed when its epoll entry is next reported (the re-arm fails; for an edge-triggered entry or a regular file, an `fstat` finds another file or none) or at the next change naming the number, and then dropped silently; closing a number and `dup2`-ing the *same* file back onto it before either keeps the registration |
//! | Read `data` | bytes readable when the event was reported | `FIONREAD` when the caller asks ([`Event::data`], [`Event::kind`]; one `ioctl` per call), not at wait time: decode before reading or closing the descriptor (closed: 0; number reused: the new file's count) |
//! | Write `data` | free buffer space when the event was reported | read when the caller asks, as for Read: pipes `F_GETPIPE_SZ` − `FIONREAD`; sockets `SO_SNDBUF` − `SIOCOUTQ`, an estimate (Linux also charges per-packet overhead to the buffer); other descriptors 0 |
//! | `NOTE_LOWAT` ([`Filter::ReadLowat`], [`Filter::WriteLowat`]) | honoured by socket filters, ignored by pipes | the same (a Write mark is compared with the estimate above); a registration with a mark makes its descriptor's epoll entry edge-triggered, and a level-triggered one is re-armed after each report |
//! | listening socket `data` | connections waiting (DragonFly: capped by `kern.ipc.soavailconn`) | TCP: the accept queue length (`TCP_INFO`), read when the caller asks; other listening sockets: 1 (Linux does not say) |
//! | EOF | `EV_EOF` on Read when the writer closed, on Write when the reader closed | `EPOLLHUP`/`EPOLLRDHUP` → EOF on Read; `EPOLLHUP`/`EPOLLERR` → EOF on Write |
//! | socket error | in `fflags` with `EV_EOF`; a later `read` still returns it | in `fflags` with `EV_EOF`, but taken with `SO_ERROR`, which clears it: a later `read` returns 0 instead of the error |
//! | regular files | readable while bytes lie ahead of the offset, writable always; a write to the file wakes a waiter | the same, evaluated when a wait starts and when it wakes: growth of the file during a blocking wait does not wake it |
//! | Signal | counts every delivery to the process, blocked or not; the signal is still delivered | signalfd: sees the signal only while it is **blocked**, and **consumes** it; a standard signal already pending is not counted twice; a signal sent to one thread (`pthread_kill`) is not seen unless that thread waits (signalfd reads the caller's queue and the process's only) |
//! | Proc | exit, fork, exec; exit `data` is the wait status; the process is not reaped | exit only (fork/exec: [`Error::Unsupported`]); the status is read with `WNOWAIT` (not reaped) and only for the caller's children (otherwise [`EventKind::Proc::exit`] is `None`); one pidfd per registration |
//! | Vnode | notes posted by the file system | inotify plus `fstat`: `WRITE` ← `IN_MODIFY` (`EXTEND` too when the size grew); `DELETE` ← link count dropped or `IN_DELETE_SELF`; `LINK` ← link count grew, or a directory entry that is a directory came or went; `ATTRIB` ← `IN_ATTRIB` with the link count unchanged; `TRUNCATE` and `ATTRIB` ← `IN_MODIFY` or `IN_ATTRIB` with the size shrunk (a shrink and regrow between two reports looks like a write); a directory's `WRITE` ← an entry created, removed or moved; `RENAME` ← `IN_MOVE_SELF`; `REVOKE` ← `IN_UNMOUNT`. A closed descriptor's registration is dropped when its file next changes |
//! | refused filters | DragonFly: `EOPNOTSUPP` for Vnode/Except on a pipe, Except on a file | `EINVAL`, as OpenBSD |
//! | a queue watching a queue | Read on a kqueue descriptor, itself included, in long chains (OpenBSD's `regress/sys/kern/kqueue` chains 500) | epoll refuses to watch itself (`EINVAL`) and nests at most 5 levels deep (`ELOOP`; epoll_ctl(2)) |
//! | timeout granularity | ns | ms (rounded up); a wait woken only by stale entries, or by an activation another waiter took, waits again for its whole timeout measured from that wake (the first wake is not timed, to keep the clock off the hot path), so it can last up to twice its timeout |
//! | after `fork` | the child has no queue: its descriptor is closed (kqueue(2)) | the child's copy of the epoll descriptor stays open, but every call through the queue (or a [`Waker`]) fails with `EBADF` and changes nothing (Linux 4.14 `MADV_WIPEONFORK`; on older kernels the child is not detected) |
//! | limits | OpenBSD: at most 1024 timers and user events per process together (`kq_usereventsmax`, `ENOMEM` beyond); DragonFly: 65,536 timers system-wide (`kq_calloutmax`) | none beyond memory |
//! | descriptors | one per queue | the epoll descriptor, at most one each of timerfd, eventfd, signalfd and inotify (created on first use), and one pidfd per Proc registration |
//!
//! # References
//! - [OpenBSD kqueue(2)](https://man.openbsd.org/kqueue.2)
//! - [DragonFly kqueue(2)](https://man.dragonflybsd.org/?command=kqueue&section=2)
//! - [Linux epoll(7)](https://man7.org/linux/man-pages/man7/epoll.7.html),
//!   [timerfd_create(2)](https://man7.org/linux/man-pages/man2/timerfd_create.2.html),
//!   [signalfd(2)](https://man7.org/linux/man-pages/man2/signalfd.2.html),
//!   [eventfd(2)](https://man7.org/linux/man-pages/man2/eventfd.2.html),
//!   [pidfd_open(2)](https://man7.org/linux/man-pages/man2/pidfd_open.2.html),
//!   [inotify(7)](https://man7.org/linux/man-pages/man7/inotify.7.html)
#![cfg_attr(docsrs, feature(doc_cfg))]

mod consts;
mod error;
mod event;
mod filter;
mod flags;
mod kqueue;
mod sys;
mod waker;

pub use error::{DecodeError, Error};
pub use event::{Event, EventKind, ExitStatus};
pub use filter::{Change, Filter};
pub use flags::{EvFlags, ProcNotes, UserFflags, VnodeNotes};
pub use kqueue::{Events, Kqueue};
pub use waker::Waker;

/// The README's example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
