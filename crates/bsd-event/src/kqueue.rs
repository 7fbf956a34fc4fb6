//! `Kqueue` and its reusable `Events` buffer.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
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
/// The descriptor is lent with [`AsFd`]/[`AsRawFd`] (to `poll` the queue itself, or nest it in
/// another queue) and taken with `OwnedFd::try_from(kq)`, which succeeds only for the last
/// handle (see that impl).
///
/// # Platform
/// OpenBSD and DragonFly: a kqueue. Linux: an epoll instance plus a registry of helper
/// descriptors; see the crate docs for every difference from real kqueue.
///
/// # Examples
/// ```
/// use std::os::fd::{AsRawFd, OwnedFd};
/// use std::thread;
/// use std::time::Duration;
/// use bsd_event::{Events, Kqueue, Waker};
///
/// let kq = Kqueue::new()?;
/// let waker = Waker::new(&kq, 9)?;
/// // Another handle waits on the same queue in another thread.
/// let waiter = thread::spawn({
///     let kq = kq.clone();
///     move || -> bsd_event::Result<Vec<u64>> {
///         let mut events = Events::with_capacity(4);
///         kq.wait(&mut events, Some(Duration::from_secs(5)))?;
///         Ok(events.iter().map(|ev| ev.token()).collect())
///     }
/// });
/// waker.wake()?;
/// assert_eq!(waiter.join().unwrap()?, [9]);
/// // The waker still shares the queue, so its descriptor cannot be taken yet.
/// let kq = OwnedFd::try_from(kq).unwrap_err();
/// drop(waker);
/// let raw = kq.as_raw_fd();
/// let fd: OwnedFd = OwnedFd::try_from(kq).expect("the last handle");
/// assert_eq!(fd.as_raw_fd(), raw); // the same descriptor, now the caller's to close
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use bsd_event::{Change, Events, Filter, Kqueue};
///
/// let kq = Kqueue::new()?;
/// let mut events = Events::with_capacity(8);
/// assert_eq!(kq.wait(&mut events, Some(Duration::ZERO))?, 0);
/// assert!(events.is_empty());
/// for id in 0..3 {
///     kq.register(Change::add(Filter::user_trigger(id), 100 + id))?;
/// }
/// assert_eq!(kq.wait(&mut events, Some(Duration::from_secs(5)))?, 3);
/// let mut tokens: Vec<u64> = events.iter().map(|ev| ev.token()).collect();
/// tokens.sort();
/// assert_eq!(tokens, [100, 101, 102]);
/// assert_eq!(events.len(), events.as_slice().len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use bsd_event::{Change, EvFlags, Events, Filter, Kqueue};
    ///
    /// let kq = Kqueue::new()?;
    /// for id in 0..3 {
    ///     kq.register(Change::add(Filter::user_trigger(id), id).with(EvFlags::ONESHOT))?;
    /// }
    /// // Three events are pending; a buffer of two takes two, the next wait the third.
    /// let mut events = Events::with_capacity(2);
    /// assert_eq!(kq.wait(&mut events, Some(Duration::from_secs(5)))?, 2);
    /// assert_eq!(kq.wait(&mut events, Some(Duration::from_secs(5)))?, 1);
    /// assert_eq!(kq.wait(&mut events, Some(Duration::ZERO))?, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    /// # Examples
    /// ```
    /// use std::os::fd::AsRawFd;
    /// let kq = bsd_event::Kqueue::new()?;
    /// assert!(kq.as_raw_fd() >= 0);
    /// // Close-on-exec, so a spawned program does not inherit it.
    /// assert!(bsd_fd::cloexec(&kq)?);
    /// # Ok::<(), bsd_event::Errno>(())
    /// ```
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
    /// # Examples
    /// ```
    /// use std::os::unix::net::UnixStream;
    /// use bsd_event::{Change, Errno, Filter, Kqueue};
    ///
    /// let kq = Kqueue::new()?;
    /// let (a, b) = UnixStream::pair()?;
    /// let results = kq.apply(&[
    ///     Change::add(Filter::read(&a), 1),
    ///     Change::delete(Filter::read(&b)), // never registered
    ///     Change::add(Filter::write(&b), 2),
    /// ])?;
    /// assert_eq!(results.len(), 3);
    /// assert!(results[0].is_ok() && results[2].is_ok());
    /// assert_eq!(results[1], Err(Errno::NOENT.into()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # References
    /// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2)
    /// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
    #[doc(alias = "kevent")]
    #[must_use = "each change has its own result; the outer Ok does not mean they were applied"]
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
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use bsd_event::{Change, EvFlags, EventKind, Events, Filter, Kqueue};
    ///
    /// let kq = Kqueue::new()?;
    /// let timer = Filter::Timer { id: 5, period: Duration::from_millis(1) };
    /// kq.register(Change::add(timer, 50).with(EvFlags::ONESHOT))?;
    /// let mut events = Events::with_capacity(4);
    /// kq.wait(&mut events, Some(Duration::from_secs(5)))?;
    /// let ev = events.iter().next().expect("the timer");
    /// assert!(matches!(ev.kind()?, EventKind::Timer { id: 5, expirations: 1.. }));
    /// // ONESHOT: the registration is gone after its event.
    /// assert!(kq.register(Change::delete(timer)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    /// OpenBSD and DragonFly sleep whole clock ticks, rounded up (OpenBSD `timeout_add_nsec`,
    /// `sys/kern/kern_timeout.c` rev 1.112; DragonFly `tstohz_high` in `kern_kevent`,
    /// `sys/kern/kern_event.c` at 81dd9c6184), so a wait lasts at least its timeout. Linux
    /// waits with millisecond granularity (timeouts round up).
    ///
    /// # Examples
    /// ```
    /// use std::time::{Duration, Instant};
    /// use bsd_event::{Events, Kqueue};
    ///
    /// let kq = Kqueue::new()?;
    /// let mut events = Events::with_capacity(4);
    /// let start = Instant::now();
    /// assert_eq!(kq.wait(&mut events, Some(Duration::from_millis(20)))?, 0); // timed out
    /// assert!(start.elapsed() >= Duration::from_millis(20));
    /// # Ok::<(), bsd_event::Errno>(())
    /// ```
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

impl AsRawFd for Kqueue {
    /// The kqueue descriptor (on Linux, the epoll descriptor).
    fn as_raw_fd(&self) -> RawFd {
        self.sys.fd().as_raw_fd()
    }
}

/// Takes the queue's descriptor; fails (handing the queue back) while another handle shares
/// it: a clone of the [`Kqueue`] or a [`Waker`](crate::Waker).
///
/// This is `TryFrom`, not `From`, because handles share one descriptor: the last one alone can
/// give it away without closing it under the others. There is no `IntoRawFd` for the same
/// reason; use `OwnedFd::try_from(kq)?.into_raw_fd()`.
///
/// # Platform
/// OpenBSD and DragonFly: the kqueue, with every registration still in it.
/// Linux: the epoll descriptor alone. The emulation's helper descriptors (timerfd, eventfd,
/// signalfd, inotify, pidfds) and its registry are closed, so Timer, TimerAt, Signal, Proc,
/// User and Vnode registrations end; Read/Write/Except descriptors stay in the epoll set with
/// the emulation's private keys. It is an epoll descriptor, not a kqueue: keep it, pass it on
/// or close it, but do not expect kqueue events from it.
impl TryFrom<Kqueue> for OwnedFd {
    type Error = Kqueue;

    fn try_from(kq: Kqueue) -> Result<OwnedFd, Kqueue> {
        match Arc::try_unwrap(kq.sys) {
            Ok(sys) => Ok(sys.into_fd()),
            Err(sys) => Err(Kqueue { sys }),
        }
    }
}

/// Turns the kernel's refusal of a filter it does not know into a clear message.
#[cfg(target_os = "openbsd")]
fn explain(change: &Change, e: Errno) -> Error {
    if matches!(change.filter, crate::Filter::User { .. }) && e == Errno::INVAL {
        return Error::Unsupported {
            what: "EVFILT_USER",
            reason: "OpenBSD has EVFILT_USER from 7.8 (sys/sys/event.h rev 1.74); use Waker, which falls back to a socket pair",
        };
    }
    Error::Os(e)
}

#[cfg(not(target_os = "openbsd"))]
fn explain(_change: &Change, e: Errno) -> Error {
    Error::Os(e)
}
