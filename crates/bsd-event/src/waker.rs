//! `Waker`: wakes a thread blocked in [`Kqueue::wait`] from any thread, on every OS.

use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use bsd_sys::Errno;

use crate::sys::Sys;
use crate::{Change, Error, EvFlags, Filter, Kqueue};

/// Identifiers for wakers' user events, far from small ids a program picks for its own.
static NEXT_ID: AtomicU64 = AtomicU64::new(0xb5d0_0000_0000_0000);

/// Wakes a [`Kqueue::wait`] from another thread: the queue reports an event with the waker's
/// token.
///
/// It uses EVFILT_USER (with `EV_CLEAR`) where the OS has it, and otherwise a non-blocking
/// socket pair watched with EVFILT_READ, as Go's runtime and mio do on OpenBSD. After seeing the
/// token, call [`reset`](Waker::reset) (a no-op for EVFILT_USER; it drains the socket otherwise).
///
/// Dropping the waker removes its registration.
///
/// # Platform
/// OpenBSD before 7.8 has no EVFILT_USER: [`Waker::new`] falls back to the socket pair.
/// Linux: EVFILT_USER is emulated with an eventfd.
///
/// # References
/// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2) (EVFILT_USER, NOTE_TRIGGER)
/// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
/// - [Linux eventfd(2)](https://man7.org/linux/man-pages/man2/eventfd.2.html)
///
/// # Examples
/// ```
/// use std::thread;
/// use std::time::Duration;
/// use bsd_event::{Events, Kqueue, Waker};
///
/// let kq = Kqueue::new()?;
/// let waker = Waker::new(&kq, 1)?;
/// assert_eq!(waker.token(), 1);
/// thread::scope(|s| -> Result<(), bsd_event::Error> {
///     s.spawn(|| waker.wake().expect("wake"));
///     let mut events = Events::with_capacity(4);
///     // Blocks until the other thread wakes it.
///     assert_eq!(kq.wait(&mut events, None)?, 1);
///     assert_eq!(events.as_slice()[0].token(), 1);
///     waker.reset()?;
///     // Seen and reset: nothing more to report.
///     assert_eq!(kq.wait(&mut events, Some(Duration::ZERO))?, 0);
///     Ok(())
/// })?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
#[must_use = "dropping a Waker removes its registration at once"]
pub struct Waker {
    sys: Arc<Sys>,
    token: u64,
    how: How,
}

#[derive(Debug)]
enum How {
    User(u64),
    Pipe { rx: UnixStream, tx: UnixStream },
}

impl Waker {
    /// A waker for `kq` whose events carry `token`: EVFILT_USER where available, else a socket
    /// pair.
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use bsd_event::{Events, Kqueue, Waker};
    ///
    /// let kq = Kqueue::new()?;
    /// let waker = Waker::new(&kq, 7)?;
    /// let mut events = Events::with_capacity(4);
    /// // Registered, but not woken: nothing to report.
    /// assert_eq!(kq.wait(&mut events, Some(Duration::ZERO))?, 0);
    /// waker.wake()?;
    /// assert_eq!(kq.wait(&mut events, Some(Duration::from_secs(5)))?, 1);
    /// assert_eq!(events.as_slice()[0].token(), 7);
    /// waker.reset()?;
    /// waker.wake()?;
    /// drop(waker); // removes the registration, and the wake-up still pending with it
    /// assert_eq!(kq.wait(&mut events, Some(Duration::ZERO))?, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # References
    /// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2)
    /// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
    /// - [Linux eventfd(2)](https://man7.org/linux/man-pages/man2/eventfd.2.html)
    #[doc(alias = "EVFILT_USER")]
    pub fn new(kq: &Kqueue, token: u64) -> Result<Waker, Error> {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let change = Change::add(Filter::user(id), token).with(EvFlags::CLEAR);
        match kq.register(change) {
            Ok(()) => Ok(Waker {
                sys: kq.sys.clone(),
                token,
                how: How::User(id),
            }),
            Err(Error::Unsupported { .. }) => Waker::with_socket_pair(kq, token),
            Err(e) => Err(e),
        }
    }

    /// A waker built on a non-blocking socket pair on every OS (the fallback [`Waker::new`]
    /// uses where EVFILT_USER is missing).
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use bsd_event::{Events, Kqueue, Waker};
    ///
    /// let kq = Kqueue::new()?;
    /// let waker = Waker::with_socket_pair(&kq, 5)?;
    /// assert!(waker.uses_socket_pair());
    /// waker.wake()?;
    /// waker.wake()?; // harmless: one wake-up is pending either way
    /// let mut events = Events::with_capacity(4);
    /// assert_eq!(kq.wait(&mut events, Some(Duration::from_secs(5)))?, 1);
    /// waker.reset()?; // drains the socket
    /// assert_eq!(kq.wait(&mut events, Some(Duration::ZERO))?, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # References
    /// - [OpenBSD socketpair(2)](https://man.openbsd.org/socketpair.2)
    /// - [DragonFly socketpair(2)](https://man.dragonflybsd.org/?command=socketpair&section=2)
    /// - [Linux socketpair(2)](https://man7.org/linux/man-pages/man2/socketpair.2.html)
    #[doc(alias = "socketpair")]
    pub fn with_socket_pair(kq: &Kqueue, token: u64) -> Result<Waker, Error> {
        let (rx, tx) = UnixStream::pair().map_err(io_errno)?;
        rx.set_nonblocking(true).map_err(io_errno)?;
        tx.set_nonblocking(true).map_err(io_errno)?;
        kq.register(Change::add(Filter::read(&rx), token))?;
        Ok(Waker {
            sys: kq.sys.clone(),
            token,
            how: How::Pipe { rx, tx },
        })
    }

    /// Makes the queue report the waker's token. Waking an already woken waker is harmless.
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use bsd_event::{Events, Kqueue, Waker};
    ///
    /// let kq = Kqueue::new()?;
    /// let waker = Waker::new(&kq, 3)?;
    /// waker.wake()?;
    /// waker.wake()?; // coalesces with the first
    /// let mut events = Events::with_capacity(4);
    /// assert_eq!(kq.wait(&mut events, Some(Duration::from_secs(5)))?, 1);
    /// assert_eq!(events.as_slice()[0].token(), 3);
    /// waker.reset()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # References
    /// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2)
    /// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
    /// - [Linux eventfd(2)](https://man7.org/linux/man-pages/man2/eventfd.2.html)
    #[doc(alias = "NOTE_TRIGGER")]
    pub fn wake(&self) -> Result<(), Error> {
        match &self.how {
            How::User(id) => self.sys.trigger(*id, self.token).map_err(Error::Os),
            How::Pipe { tx, .. } => match (&*tx).write(&[1]) {
                Ok(_) => Ok(()),
                // The buffer is full: a wake-up is pending already.
                Err(e) if e.kind() == ErrorKind::WouldBlock => Ok(()),
                Err(e) => Err(io_errno(e)),
            },
        }
    }

    /// Re-arms the waker after its token was seen (drains the socket; no-op for EVFILT_USER).
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use bsd_event::{Events, Kqueue, Waker};
    ///
    /// let kq = Kqueue::new()?;
    /// let waker = Waker::new(&kq, 1)?;
    /// let mut events = Events::with_capacity(4);
    /// for _ in 0..2 {
    ///     waker.wake()?;
    ///     assert_eq!(kq.wait(&mut events, Some(Duration::from_secs(5)))?, 1);
    ///     waker.reset()?;
    ///     // Seen and reset: quiet until the next wake.
    ///     assert_eq!(kq.wait(&mut events, Some(Duration::ZERO))?, 0);
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # References
    /// - [OpenBSD read(2)](https://man.openbsd.org/read.2)
    /// - [DragonFly read(2)](https://man.dragonflybsd.org/?command=read&section=2)
    /// - [Linux read(2)](https://man7.org/linux/man-pages/man2/read.2.html)
    pub fn reset(&self) -> Result<(), Error> {
        if let How::Pipe { rx, .. } = &self.how {
            let mut buf = [0u8; 256];
            loop {
                match (&*rx).read(&mut buf) {
                    Ok(0) => return Ok(()),
                    Ok(_) => continue,
                    Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(()),
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(e) => return Err(io_errno(e)),
                }
            }
        }
        Ok(())
    }

    /// The token the waker's events carry.
    pub fn token(&self) -> u64 {
        self.token
    }

    /// `true` when this waker uses the socket-pair fallback rather than EVFILT_USER.
    pub fn uses_socket_pair(&self) -> bool {
        matches!(self.how, How::Pipe { .. })
    }
}

impl Drop for Waker {
    fn drop(&mut self) {
        let filter = match &self.how {
            How::User(id) => Filter::user(*id),
            How::Pipe { rx, .. } => Filter::read(rx),
        };
        if let Ok(raw) = Change::delete(filter).lower() {
            // In the child of a fork this fails with EBADF and leaves the parent's queue alone.
            let _ = self.sys.apply(core::iter::once((0, raw)), |_, _| {});
        }
    }
}

fn io_errno(e: std::io::Error) -> Error {
    Error::Os(Errno::from_raw(
        e.raw_os_error().unwrap_or(bsd_sys::libc::EIO),
    ))
}
