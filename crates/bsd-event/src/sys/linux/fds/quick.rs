//! The hot path of a wait: descriptors whose every report is a plain Read event keep a
//! prebuilt copy ([`Quick`]) that a report reads with one key compare and one check.

use std::os::fd::RawFd;

use bsd_sys::event as sys;
use bsd_sys::libc;
use bsd_sys::Errno;

use super::super::{DISPATCH, ONESHOT};
use super::checks::same_file;
use super::{Entry, Fds, Interest, ET, IN};
use crate::consts::*;
use crate::Event;

/// The hot-path copy of an entry whose every report is a plain Read event ([`Entry::quick`]):
/// a wait that finds `ev`'s key reported with `EPOLLIN` alone hands out `event` after one
/// check, reading nothing else.
#[derive(Clone, Copy, Debug)]
#[repr(C)]
pub(super) struct Quick {
    /// The epoll entry as registered (mask and key): the re-arm passes it as it is. The key
    /// [`Quick::NONE`] has is never reported for a descriptor (it has the helper bit).
    ev: sys::EpollEvent,
    /// The event a report hands out.
    event: Event,
    /// The registered file, which an edge-triggered entry compares instead of re-arming.
    file: (u64, u64),
}

impl Quick {
    pub(super) const NONE: Quick = Quick {
        ev: sys::EpollEvent {
            events: 0,
            u64: u64::MAX,
        },
        event: Event {
            ident: 0,
            filter: 0,
            flags: 0,
            fflags: 0,
            data: 0,
            token: 0,
        },
        file: (0, 0),
    };
}

impl Entry {
    /// What a plain readable report of this entry needs, when that is all it can be: only an
    /// enabled Read registration without `ONESHOT`, `DISPATCH` or a low-water mark, in epoll.
    pub(super) fn quick(&self, fd: RawFd) -> Quick {
        let plain = |i: Interest| i.enabled && i.lowat == 0 && i.flags & (ONESHOT | DISPATCH) == 0;
        match self.read {
            Some(i)
                if plain(i)
                    && self.write.is_none()
                    && self.except.is_none()
                    && self.in_epoll
                    && !self.regular =>
            {
                Quick {
                    ev: sys::EpollEvent {
                        events: self.mask,
                        u64: self.key(fd),
                    },
                    event: Event {
                        ident: fd as u64,
                        filter: EVFILT_READ,
                        flags: i.flags,
                        fflags: 0,
                        data: super::super::decode::DEFERRED,
                        token: i.token,
                    },
                    file: self.file,
                }
            }
            _ => Quick::NONE,
        }
    }
}

impl Fds {
    /// Brings `quick[fd]` up to date with the entry (after any change to it).
    pub(super) fn requick(&mut self, fd: RawFd) {
        let Ok(i) = usize::try_from(fd) else { return };
        let q = match self.table.get(i) {
            Some(Some(e)) => e.quick(fd),
            _ => Quick::NONE,
        };
        if i >= self.quick.len() {
            if q.ev.u64 == Quick::NONE.ev.u64 {
                return;
            }
            self.quick.resize(self.table.len().max(i + 1), Quick::NONE);
        }
        self.quick[i] = q;
    }

    /// The hot path of a wait: `key` reported with `events` is a plain readable report of a
    /// [`Quick`] entry. Then the event goes to `out` (or, if the number no longer names the
    /// registered file, the entry is dropped) and this returns `true`; otherwise nothing is
    /// done and [`Fds::report`] must take it.
    ///
    /// One system call checks the number still names the registered file before the event is
    /// handed out: the re-arm of a one-shot (level-triggered) entry, `EPOLL_CTL_MOD`, which fails
    /// with `ENOENT` once the number is closed or names another file (epoll finds an entry by
    /// file *and* number, so the call can never reach an entry added for another file), or for
    /// an edge-triggered entry an `fstat` compared with the registered file.
    #[inline]
    pub(in super::super) fn report_quick(
        &mut self,
        ep: RawFd,
        key: u64,
        events: u32,
        out: &mut Vec<Event>,
    ) -> bool {
        let fd = key as u32;
        let Some(q) = self.quick.get(fd as usize) else {
            return false;
        };
        if q.ev.u64 != key || events != IN {
            return false;
        }
        let fd = fd as RawFd;
        let alive = if q.ev.events & ET == 0 {
            // SAFETY: `ep` is our epoll descriptor; `fd` is only named, never read or closed.
            !matches!(
                unsafe { sys::epoll_ctl(ep, libc::EPOLL_CTL_MOD, fd, Some(&q.ev)) },
                Err(Errno::BADF | Errno::NOENT)
            )
        } else {
            same_file(fd, q.file)
        };
        if alive {
            if out.len() == out.capacity() {
                out.reserve(1);
            }
            // SAFETY: there is room for one more event (just checked); `set_len` covers exactly
            // the element written.
            unsafe {
                out.as_mut_ptr().add(out.len()).write(q.event);
                out.set_len(out.len() + 1);
            }
        } else {
            self.drop_entry(fd);
        }
        true
    }
}
