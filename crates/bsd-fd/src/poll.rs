//! `poll` over borrowed descriptors with typed events.

use std::marker::PhantomData;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::time::Duration;

use bsd_sys::{libc, Result};

bitflags::bitflags! {
    /// Events of a [`PollFd`]: asked for in `events`, reported in `revents`.
    ///
    /// `ERR`, `HUP` and `NVAL` are always reported and need not be asked for. Bits this type has
    /// no name for are kept.
    ///
    /// # Platform
    /// The values are the same on the three OSes except the band bits (`RDNORM` 0x40 everywhere;
    /// `WRNORM` is 0x4 on the BSDs, the same as `OUT`, and 0x100 on Linux).
    ///
    /// # References
    /// - [OpenBSD poll(2)](https://man.openbsd.org/poll.2)
    /// - [DragonFly poll(2)](https://man.dragonflybsd.org/?command=poll&section=2)
    /// - [Linux poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html)
    ///
    /// # Examples
    /// ```
    /// use std::os::fd::AsFd;
    /// use std::time::Duration;
    /// use bsd_fd::{pipe, poll, PipeFlags, PollFd, PollFlags};
    ///
    /// let (rx, tx) = pipe(PipeFlags::CLOEXEC)?;
    /// drop(tx);
    /// let mut fds = [PollFd::new(rx.as_fd(), PollFlags::IN)];
    /// assert_eq!(poll(&mut fds, Some(Duration::from_secs(1)))?, 1);
    /// assert!(fds[0].revents().contains(PollFlags::HUP)); // reported without being asked for
    /// # Ok::<(), bsd_fd::Errno>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct PollFlags: libc::c_short {
        /// `POLLIN`: data to read (or end of file).
        #[doc(alias = "POLLIN")]
        const IN = libc::POLLIN;
        /// `POLLPRI`: urgent data to read.
        #[doc(alias = "POLLPRI")]
        const PRI = libc::POLLPRI;
        /// `POLLOUT`: writing will not block.
        #[doc(alias = "POLLOUT")]
        const OUT = libc::POLLOUT;
        /// `POLLRDNORM`: normal data to read.
        #[doc(alias = "POLLRDNORM")]
        const RDNORM = libc::POLLRDNORM;
        /// `POLLWRNORM`: normal data can be written.
        #[doc(alias = "POLLWRNORM")]
        const WRNORM = libc::POLLWRNORM;
        /// `POLLRDBAND`: priority-band data to read.
        #[doc(alias = "POLLRDBAND")]
        const RDBAND = libc::POLLRDBAND;
        /// `POLLWRBAND`: priority-band data can be written.
        #[doc(alias = "POLLWRBAND")]
        const WRBAND = libc::POLLWRBAND;
        /// `POLLERR`: an error condition (reported only).
        #[doc(alias = "POLLERR")]
        const ERR = libc::POLLERR;
        /// `POLLHUP`: the other end hung up (reported only).
        #[doc(alias = "POLLHUP")]
        const HUP = libc::POLLHUP;
        /// `POLLNVAL`: the descriptor is not open (reported only).
        #[doc(alias = "POLLNVAL")]
        const NVAL = libc::POLLNVAL;

        const _ = !0;
    }
}

/// One descriptor of a [`poll`] set, borrowed for `'fd` (`struct pollfd`).
///
/// # References
/// - [OpenBSD poll(2)](https://man.openbsd.org/poll.2)
/// - [DragonFly poll(2)](https://man.dragonflybsd.org/?command=poll&section=2)
/// - [Linux poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html)
///
/// # Examples
/// ```
/// use std::os::fd::AsFd;
/// use std::time::Duration;
/// use bsd_fd::{pipe, poll, write, PipeFlags, PollFd, PollFlags};
///
/// let (rx, tx) = pipe(PipeFlags::CLOEXEC)?;
/// let mut fds = [PollFd::new(rx.as_fd(), PollFlags::IN), PollFd::new(tx.as_fd(), PollFlags::OUT)];
/// assert_eq!(poll(&mut fds, Some(Duration::ZERO))?, 1); // only the write end is ready
/// assert!(fds[1].revents().contains(PollFlags::OUT));
/// fds[1].set_events(PollFlags::empty()); // stop watching it
/// write(&tx, b"!")?;
/// assert_eq!(poll(&mut fds, None)?, 1);
/// assert_eq!(fds[0].revents() & PollFlags::IN, PollFlags::IN);
/// assert_eq!(fds[0].events(), PollFlags::IN);
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[doc(alias = "pollfd")]
#[derive(Debug, Clone, Copy)]
#[repr(transparent)]
pub struct PollFd<'fd> {
    raw: libc::pollfd,
    _fd: PhantomData<BorrowedFd<'fd>>,
}

impl<'fd> PollFd<'fd> {
    /// Watches `fd` for `events`.
    ///
    /// # References
    /// - [OpenBSD poll(2)](https://man.openbsd.org/poll.2)
    /// - [DragonFly poll(2)](https://man.dragonflybsd.org/?command=poll&section=2)
    /// - [Linux poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html)
    ///
    /// # Examples
    /// ```
    /// use std::os::fd::AsFd;
    /// let (rx, _tx) = bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC).unwrap();
    /// let entry = bsd_fd::PollFd::new(rx.as_fd(), bsd_fd::PollFlags::IN);
    /// assert!(entry.revents().is_empty());
    /// ```
    #[must_use = "a PollFd does nothing until passed to `poll`"]
    pub fn new(fd: BorrowedFd<'fd>, events: PollFlags) -> PollFd<'fd> {
        PollFd {
            raw: libc::pollfd {
                fd: fd.as_raw_fd(),
                events: events.bits(),
                revents: 0,
            },
            _fd: PhantomData,
        }
    }

    /// The events asked for.
    pub fn events(&self) -> PollFlags {
        PollFlags::from_bits_retain(self.raw.events)
    }

    /// Changes the events asked for (and clears the reported ones).
    pub fn set_events(&mut self, events: PollFlags) {
        self.raw.events = events.bits();
        self.raw.revents = 0;
    }

    /// The events the last [`poll`] reported.
    pub fn revents(&self) -> PollFlags {
        PollFlags::from_bits_retain(self.raw.revents)
    }
}

/// Waits until a descriptor of `fds` has an event or `timeout` passes (`None`: no limit), and
/// returns how many entries report events (0 on timeout).
///
/// The timeout is rounded up to whole milliseconds and capped at `i32::MAX` ms (about 24.8
/// days); `Some(Duration::ZERO)` polls without waiting. More entries than the descriptor limit
/// give `Errno::INVAL`.
///
/// # EINTR
/// Not retried: a handled signal ends the wait with `Errno::INTR`, and the caller decides
/// (the time already waited is not known here).
///
/// # Platform
/// Linux's raw backend uses `ppoll` (aarch64 has no `poll`).
///
/// # References
/// - [OpenBSD poll(2)](https://man.openbsd.org/poll.2)
/// - [DragonFly poll(2)](https://man.dragonflybsd.org/?command=poll&section=2)
/// - [Linux poll(2)](https://man7.org/linux/man-pages/man2/poll.2.html)
///
/// # Examples
/// ```
/// use std::os::fd::AsFd;
/// use std::time::Duration;
/// use bsd_fd::{pipe, poll, write, PipeFlags, PollFd, PollFlags};
///
/// let (rx, tx) = pipe(PipeFlags::CLOEXEC).unwrap();
/// let mut fds = [PollFd::new(rx.as_fd(), PollFlags::IN)];
/// assert_eq!(poll(&mut fds, Some(Duration::ZERO)).unwrap(), 0);
/// write(&tx, b"!").unwrap();
/// assert_eq!(poll(&mut fds, None).unwrap(), 1);
/// assert!(fds[0].revents().contains(PollFlags::IN));
/// ```
pub fn poll(fds: &mut [PollFd<'_>], timeout: Option<Duration>) -> Result<usize> {
    let timeout_ms = match timeout {
        None => -1,
        Some(d) => {
            let ms = d.as_nanos().div_ceil(1_000_000);
            i32::try_from(ms).unwrap_or(i32::MAX)
        }
    };
    // SAFETY: `PollFd` is `repr(transparent)` over `libc::pollfd`, so the slice has the same
    // layout; the borrow of `fds` covers the call.
    let raw = unsafe {
        std::slice::from_raw_parts_mut(fds.as_mut_ptr().cast::<libc::pollfd>(), fds.len())
    };
    // SAFETY: every descriptor in `raw` is borrowed for `'fd`, which outlives the call.
    unsafe { bsd_sys::fd::poll(raw, timeout_ms) }
}
