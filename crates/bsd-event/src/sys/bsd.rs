//! The real kqueue: one `kevent(2)` per `apply` and per `wait`.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::time::Duration;

use bsd_sys::event::{kevent, kevent_zeroed, Kevent};
use bsd_sys::{Errno, Timespec};

use crate::filter::RawChange;
use crate::Event;

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

    /// Applies every change with `EV_RECEIPT`; one result per change, in order.
    pub(crate) fn apply(
        &self,
        changes: &[RawChange],
        results: &mut Vec<Result<(), Errno>>,
    ) -> Result<(), Errno> {
        if changes.is_empty() {
            return Ok(());
        }
        let list: Vec<Kevent> = changes
            .iter()
            .map(|c| to_kevent(c, crate::EvFlags::RECEIPT.bits()))
            .collect();
        let mut out = vec![kevent_zeroed(); list.len()];
        // SAFETY: `self.kq` is our kqueue; the buffers are plain data.
        let got = unsafe { kevent(self.kq.as_raw_fd(), &list, &mut out, Some(Timespec::ZERO)) }?;
        let got = &out[..got.min(out.len())];
        let mut used = vec![false; got.len()];
        for (i, change) in list.iter().enumerate() {
            // Receipts come back in changelist order (OpenBSD `sys/kern/kern_event.c`
            // sys_kevent, DragonFly `sys/kern/kern_event.c` kern_kevent: one EV_ERROR entry per
            // change with EV_RECEIPT, then return without scanning); match on (ident, filter)
            // to be sure.
            let same = |r: &Kevent| r.ident == change.ident && r.filter == change.filter;
            let pos = if i < got.len() && !used[i] && same(&got[i]) {
                Some(i)
            } else {
                (0..got.len()).find(|&j| !used[j] && same(&got[j]))
            };
            results.push(match pos {
                Some(j) => {
                    used[j] = true;
                    let r = &got[j];
                    if r.flags & crate::consts::EV_ERROR != 0 && r.data != 0 {
                        Err(Errno::from_raw(r.data as i32))
                    } else {
                        Ok(())
                    }
                }
                // The kernel returned no receipt for this change (it should not happen).
                None => Err(Errno::INVAL),
            });
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
        let mut r = Vec::with_capacity(1);
        self.apply(&[change], &mut r)?;
        r.pop().unwrap_or(Err(Errno::INVAL))
    }
}

/// A relative timeout for the kernel: `None` waits forever; a duration too long to express
/// saturates at the longest the kernel accepts.
fn timespec(timeout: Option<Duration>) -> Option<Timespec> {
    timeout.map(|d| Timespec::from_duration(d).unwrap_or(Timespec::MAX))
}
