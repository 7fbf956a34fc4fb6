//! `Kqueue` and its reusable `Events` buffer.

use std::os::fd::{AsFd, BorrowedFd};
use std::sync::Arc;
use std::time::Duration;

use bsd_sys::Errno;

use crate::sys::{EventBuf, Sys};
use crate::{Change, Error, Event};

/// A kernel event queue; owns its descriptor (closed on drop).
///
/// Every method takes `&self`: one thread may [`wait`](Kqueue::wait) while others
/// [`apply`](Kqueue::apply) changes or wake it with a [`Waker`](crate::Waker). `Clone` gives
/// another handle to the same queue; the descriptor is closed when the last handle (or waker)
/// is dropped.
///
/// # Platform
/// OpenBSD and DragonFly: a kqueue. Linux: an epoll instance plus a registry of helper
/// descriptors; see the crate docs for every difference from real kqueue.
///
/// # References
/// - [OpenBSD kqueue(2)](https://man.openbsd.org/kqueue.2)
/// - [DragonFly kqueue(2)](https://man.dragonflybsd.org/?command=kqueue&section=2)
/// - [Linux epoll(7)](https://man7.org/linux/man-pages/man7/epoll.7.html)
#[doc(alias = "kqueue")]
#[derive(Debug, Clone)]
pub struct Kqueue {
    pub(crate) sys: Arc<Sys>,
}

/// A reusable buffer that [`Kqueue::wait`] fills with events.
#[derive(Debug)]
pub struct Events {
    buf: EventBuf,
    out: Vec<Event>,
}

impl Events {
    /// A buffer that receives up to `capacity` kernel entries per wait (at least one, at most
    /// [`Events::MAX_CAPACITY`]: a larger `capacity` is clamped, never a panic).
    ///
    /// # Platform
    /// Linux: one epoll entry can carry a Read, a Write and an Except event of the same
    /// descriptor, so a wait may return up to three times `capacity` events.
    pub fn with_capacity(capacity: usize) -> Events {
        let capacity = capacity.clamp(1, Events::MAX_CAPACITY);
        Events {
            buf: EventBuf::with_capacity(capacity),
            out: Vec::with_capacity(capacity),
        }
    }

    /// The largest capacity [`Events::with_capacity`] gives (65,536 entries; `kevent` and
    /// `epoll_wait` take an `int` count).
    pub const MAX_CAPACITY: usize = 1 << 16;

    /// The events of the last wait.
    pub fn as_slice(&self) -> &[Event] {
        &self.out
    }

    /// Iterates over the events of the last wait.
    pub fn iter(&self) -> std::slice::Iter<'_, Event> {
        self.out.iter()
    }

    /// How many events the last wait returned.
    pub fn len(&self) -> usize {
        self.out.len()
    }

    /// The last wait returned nothing (it timed out).
    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }
}

impl<'a> IntoIterator for &'a Events {
    type Item = &'a Event;
    type IntoIter = std::slice::Iter<'a, Event>;
    fn into_iter(self) -> Self::IntoIter {
        self.out.iter()
    }
}

impl Kqueue {
    /// Creates a queue, close-on-exec.
    ///
    /// # Platform
    /// OpenBSD and DragonFly: `kqueue()` then `fcntl(F_SETFD, FD_CLOEXEC)` (`kqueue1` is missing
    /// on DragonFly, and on OpenBSD from the `libc` crate and older releases). Linux:
    /// `epoll_create1(EPOLL_CLOEXEC)`.
    ///
    /// # References
    /// - [OpenBSD kqueue(2)](https://man.openbsd.org/kqueue.2)
    /// - [DragonFly kqueue(2)](https://man.dragonflybsd.org/?command=kqueue&section=2)
    /// - [Linux epoll_create1(2)](https://man7.org/linux/man-pages/man2/epoll_create1.2.html)
    #[doc(alias = "kqueue")]
    pub fn new() -> Result<Kqueue, Errno> {
        Ok(Kqueue {
            sys: Arc::new(Sys::new()?),
        })
    }

    /// Applies `changes` in order and returns one result per change.
    ///
    /// Every change carries `EV_RECEIPT`, so a failing change (`Errno::BADF` for a closed
    /// descriptor, `Errno::NOENT` for deleting what is not registered, [`Error::Unsupported`]
    /// for a filter this OS lacks) does not stop the others, and no pending event is consumed.
    /// A change counts as applied only when its receipt came back; one the kernel returned no
    /// receipt for is `Errno::INVAL` (it may or may not have been applied). The outer error is a
    /// failure of the call itself (for example `Errno::INTR`; not retried, since the changes
    /// before the interruption may have been applied).
    ///
    /// # Platform
    /// OpenBSD and DragonFly: one `kevent(2)` per 32 changes, from a buffer on the stack (the
    /// only allocation is the returned `Vec`). Linux: the changes are applied under the
    /// queue's lock in order.
    ///
    /// # References
    /// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2)
    /// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
    #[doc(alias = "kevent")]
    pub fn apply(&self, changes: &[Change]) -> Result<Vec<Result<(), Error>>, Errno> {
        let mut results: Vec<Result<(), Error>> =
            changes.iter().map(|c| c.lower().map(|_| ())).collect();
        let lowered = changes
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.lower().ok().map(|r| (i, r)));
        self.sys.apply(lowered, |i, r| {
            results[i] = r.map_err(|e| explain(&changes[i], e));
        })?;
        Ok(results)
    }

    /// Applies one change (see [`apply`](Kqueue::apply)), without allocating.
    ///
    /// # References
    /// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2)
    /// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
    #[doc(alias = "EV_SET")]
    pub fn register(&self, change: Change) -> Result<(), Error> {
        let raw = change.lower()?;
        // No result means the kernel returned no receipt: the change may not have been applied.
        let mut result = Err(Error::Os(Errno::INVAL));
        self.sys.apply(core::iter::once((0, raw)), |_, r| {
            result = r.map_err(|e| explain(&change, e));
        })?;
        result
    }

    /// Waits up to `timeout` (`None`: forever) for events and stores them in `events`,
    /// replacing what it held. Returns how many arrived (0 on timeout).
    ///
    /// `Errno::INTR` (a signal handler ran) is handed back, not retried: the caller decides
    /// whether to wait again. A timeout too long for the kernel saturates.
    ///
    /// # Platform
    /// Linux waits with millisecond granularity (timeouts round up).
    ///
    /// # References
    /// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2)
    /// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
    /// - [Linux epoll_wait(2)](https://man7.org/linux/man-pages/man2/epoll_wait.2.html)
    #[doc(alias = "kevent")]
    pub fn wait(&self, events: &mut Events, timeout: Option<Duration>) -> Result<usize, Errno> {
        self.sys.wait(&mut events.buf, &mut events.out, timeout)?;
        Ok(events.out.len())
    }
}

impl AsFd for Kqueue {
    /// The kqueue descriptor (on Linux, the epoll descriptor).
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.sys.fd()
    }
}

/// Turns the kernel's refusal of a filter it does not know into a clear message.
#[cfg(target_os = "openbsd")]
fn explain(change: &Change, e: Errno) -> Error {
    if matches!(change.filter, crate::Filter::User { .. }) && e == Errno::INVAL {
        return Error::Unsupported {
            what: "EVFILT_USER",
            reason: "OpenBSD has EVFILT_USER from 7.8 (sys/sys/event.h rev 1.74); use Waker, which falls back to a pipe",
        };
    }
    Error::Os(e)
}

#[cfg(not(target_os = "openbsd"))]
fn explain(_change: &Change, e: Errno) -> Error {
    Error::Os(e)
}
