//! The real kqueue: one `kevent(2)` per `apply` and per `wait`.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::time::Duration;

use bsd_sys::event::{kevent, kevent_zeroed, Kevent};
use bsd_sys::{Errno, Timespec};

use crate::filter::RawChange;
use crate::Event;

/// Changes per `kevent(2)` call of [`Sys::apply`].
const CHUNK: usize = 32;

/// The kernel's kqueue.
#[derive(Debug)]
pub(crate) struct Sys {
    kq: OwnedFd,
}

/// The receive buffer of `struct kevent`s.
#[derive(Debug)]
pub(crate) struct EventBuf {
    raw: Vec<Kevent>,
}

// SAFETY: the only non-Send field of `struct kevent` is `udata`, a pointer this crate fills with
// a plain integer token and never dereferences.
unsafe impl Send for EventBuf {}
// SAFETY: as above; shared access only reads integers.
unsafe impl Sync for EventBuf {}

impl EventBuf {
    pub(crate) fn with_capacity(n: usize) -> EventBuf {
        EventBuf {
            raw: vec![kevent_zeroed(); n.max(1)],
        }
    }
}

fn to_kevent(c: &RawChange, extra: u16) -> Kevent {
    Kevent {
        ident: c.ident as usize,
        filter: c.filter,
        flags: c.flags | extra,
        fflags: c.fflags,
        data: c.data as _,
        // The token travels as an integer in the pointer field; the kernel and this crate only
        // copy it.
        udata: c.token as usize as *mut _,
    }
}

// `data` is `int64_t` on OpenBSD, `intptr_t` on DragonFly.
#[allow(clippy::unnecessary_cast)]
fn to_event(k: &Kevent) -> Event {
    Event {
        ident: k.ident as u64,
        filter: k.filter,
        flags: k.flags,
        fflags: k.fflags,
        data: k.data as i64,
        token: k.udata as usize as u64,
    }
}

/// The event's `data`: the kernel filled it at wait time.
#[inline]
pub(crate) fn event_data(ev: &Event) -> i64 {
    ev.data
}

/// Never: the kernel fills `data` at wait time.
#[inline]
pub(crate) fn is_deferred(_ev: &Event) -> bool {
    false
}

impl Sys {
    pub(crate) fn new() -> Result<Sys, Errno> {
        let raw = bsd_sys::event::kqueue()?;
        // SAFETY: `raw` was just created by kqueue() and nothing else owns it.
        let kq = unsafe { OwnedFd::from_raw_fd(raw) };
        Ok(Sys { kq })
    }

    pub(crate) fn fd(&self) -> BorrowedFd<'_> {
        self.kq.as_fd()
    }

    /// Gives the descriptor away (`OwnedFd::try_from(Kqueue)`); the rest of `Sys` is dropped.
    pub(crate) fn into_fd(self) -> OwnedFd {
        self.kq
    }

    /// Applies every change with `EV_RECEIPT`, handing each result to `put` with its index.
    ///
    /// Changes go to the kernel in chunks of [`CHUNK`] from a stack buffer, with as many
    /// receipt slots as changes: `bsd_sys::event::kevent` refuses fewer (DragonFly would write
    /// past them, OpenBSD would silently skip changes). A change counts as applied only when its
    /// `EV_ERROR` receipt came back, in changelist order (OpenBSD `sys_kevent`,
    /// `sys/kern/kern_event.c` rev 1.205; DragonFly `kern_kevent`, same file at fcc705f5877a).
    pub(crate) fn apply(
        &self,
        changes: impl Iterator<Item = (usize, RawChange)>,
        mut put: impl FnMut(usize, Result<(), Errno>),
    ) -> Result<(), Errno> {
        let mut list = [kevent_zeroed(); CHUNK];
        let mut out = [kevent_zeroed(); CHUNK];
        let mut idx = [0usize; CHUNK];
        let mut n = 0;
        let mut changes = changes.peekable();
        while let Some((i, c)) = changes.next() {
            list[n] = to_kevent(&c, crate::EvFlags::RECEIPT.bits());
            idx[n] = i;
            n += 1;
            if n < CHUNK && changes.peek().is_some() {
                continue;
            }
            // SAFETY: `self.kq` is our kqueue; the buffers are plain data, `out` as long as the
            // changes.
            let got = unsafe {
                kevent(
                    self.kq.as_raw_fd(),
                    &list[..n],
                    &mut out[..n],
                    Some(Timespec::ZERO),
                )
            }?;
            for k in 0..n {
                let r = &out[k];
                let receipt = k < got
                    && r.flags & crate::consts::EV_ERROR != 0
                    && r.ident == list[k].ident
                    && r.filter == list[k].filter;
                put(
                    idx[k],
                    if !receipt {
                        // No receipt: the kernel stopped before this change (it should not
                        // happen with a full-size event list).
                        Err(Errno::INVAL)
                    } else if r.data != 0 {
                        Err(Errno::from_raw(r.data as i32))
                    } else {
                        Ok(())
                    },
                );
            }
            n = 0;
        }
        Ok(())
    }

    pub(crate) fn wait(
        &self,
        buf: &mut EventBuf,
        out: &mut Vec<Event>,
        timeout: Option<Duration>,
    ) -> Result<(), Errno> {
        out.clear();
        // SAFETY: `self.kq` is our kqueue; the buffer is plain data.
        let n = unsafe { kevent(self.kq.as_raw_fd(), &[], &mut buf.raw, timespec(timeout)) }?;
        out.extend(buf.raw[..n].iter().map(to_event));
        Ok(())
    }

    /// Fires user event `id` (`NOTE_TRIGGER`).
    pub(crate) fn trigger(&self, id: u64, token: u64) -> Result<(), Errno> {
        let change = RawChange {
            ident: id,
            filter: crate::consts::EVFILT_USER,
            flags: 0,
            fflags: crate::consts::NOTE_TRIGGER,
            data: 0,
            token,
        };
        let mut r = Err(Errno::INVAL);
        self.apply(core::iter::once((0, change)), |_, res| r = res)?;
        r
    }
}

/// A relative timeout for the kernel: `None` waits forever; a duration too long to express
/// saturates at the longest the kernel accepts.
fn timespec(timeout: Option<Duration>) -> Option<Timespec> {
    timeout.map(|d| Timespec::from_duration(d).unwrap_or(Timespec::MAX))
}
