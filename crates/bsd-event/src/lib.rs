//! kqueue for OpenBSD and DragonFly BSD with every filter, typed, and the same API over epoll on
//! a Linux host.
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
//! | Read / Write | yes | yes | epoll on the descriptor |
//! | Timer | ms, or ns with `NOTE_NSECONDS` | ms (rounded up) | timerfd, ns |
//! | Signal | yes | yes | signalfd |
//! | Proc | exit, fork, exec | exit, fork, exec | exit only (pidfd, Linux 5.3; status via `waitid(P_PIDFD)`, 5.4) |
//! | User | from 7.8 | yes | eventfd |
//! | Vnode | yes | yes | inotify on `/proc/self/fd/N` |
//! | Except | `NOTE_OOB` | `NOTE_OOB` | `EPOLLPRI` |
//!
//! ## Where the Linux emulation differs from kqueue
//! | topic | kqueue | Linux emulation |
//! |---|---|---|
//! | triggering | level by default; `EV_CLEAR` per registration | level by default; `EPOLLET` for a descriptor only when *every* enabled Read/Write/Except registration on it has `CLEAR` (mixed: level for all) |
//! | Read/Write/Except on one fd | three independent knotes | one epoll entry with the union mask; reported as separate events |
//! | closing a descriptor | removes its knotes | epoll forgets the file when its last descriptor closes; the registry entry lingers until `DELETE` or a new `ADD` of the number (which replaces it) |
//! | Read `data` | bytes readable when the event was reported | `FIONREAD` when the caller asks ([`Event::data`], [`Event::kind`]; one `ioctl` per call), not at wait time: decode before reading or closing the descriptor (closed: 0; number reused: the new file's count) |
//! | Write `data` | free buffer space when the event was reported | pipes: `F_GETPIPE_SZ` − `FIONREAD` when the caller asks, as for Read; other descriptors: 0 (Linux does not say) |
//! | EOF | `EV_EOF` on Read when the writer closed, on Write when the reader closed | `EPOLLHUP`/`EPOLLRDHUP` → EOF on Read; `EPOLLHUP`/`EPOLLERR` → EOF on Write |
//! | Signal | counts every delivery, blocked or not; the signal is still delivered | signalfd: sees the signal only while it is **blocked**, and **consumes** it; a standard signal already pending is not counted twice |
//! | Proc | exit, fork, exec; exit `data` is the wait status; the process is not reaped | exit only (fork/exec: [`Error::Unsupported`]); the status is read with `WNOWAIT` (not reaped) and only for the caller's children (otherwise [`EventKind::Proc::exit`] is `None`) |
//! | Timer | expiry count since last report | same (timerfd read) |
//! | User | `NOTE_FF*` and `NOTE_TRIGGER` | same semantics, kept in the registry; triggered state is an eventfd |
//! | Vnode | exact notes | inotify: `WRITE`←`IN_MODIFY` (`EXTEND` if `WRITE` not requested), `ATTRIB`←`IN_ATTRIB` (`LINK` if `ATTRIB` not requested), `DELETE`←`IN_DELETE_SELF`/`IN_IGNORED`, `RENAME`←`IN_MOVE_SELF`, `REVOKE`←`IN_UNMOUNT` |
//! | ONESHOT / DISPATCH | atomic in the kernel | applied when the event is reported; two threads waiting at once may both see a level-triggered event |
//! | timeout granularity | ns | ms (rounded up) |
//! | ident of a closed/unknown fd | `EBADF` | `EBADF` (from `epoll_ctl`; Vnode: the `/proc` path is missing) |
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
