//! `EVFILT_PROC`: one pidfd per watched process (Linux has no shared descriptor that reports
//! the exit of several processes), registered under a slot-and-generation key so a ready entry
//! of a registration deleted meanwhile is recognised and dropped.

use std::collections::HashMap;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use bsd_sys::event as sys;
use bsd_sys::libc;
use bsd_sys::{Errno, Pid};

use super::{epoll_ctl, owned, stored_flags, Sink, ADD, CLEAR, DELETE, DISABLE, ENABLE};
use super::{DISPATCH, KEY_PROC};
use crate::consts::*;
use crate::filter::RawChange;
use crate::{Event, ProcNotes};

#[derive(Debug)]
struct Watch {
    pid: u64,
    fd: OwnedFd,
    flags: u16,
    enabled: bool,
    token: u64,
    gen: u32,
}

#[derive(Debug, Default)]
pub(super) struct Procs {
    by_pid: HashMap<u64, usize>,
    slots: Vec<Option<Watch>>,
    gens: Vec<u32>,
    free: Vec<usize>,
}

fn key(slot: usize, gen: u32) -> u64 {
    KEY_PROC | (u64::from(gen & 0xff_ffff) << 32) | slot as u64
}

fn sync(ep: RawFd, slot: usize, w: &Watch) -> Result<(), Errno> {
    // Disabled: an empty one-shot mask reports nothing.
    let mask = if w.enabled {
        libc::EPOLLIN as u32
    } else {
        libc::EPOLLONESHOT as u32
    };
    epoll_ctl(
        ep,
        libc::EPOLL_CTL_MOD,
        w.fd.as_raw_fd(),
        mask,
        key(slot, w.gen),
    )
}

impl Procs {
    fn remove(&mut self, slot: usize) {
        // Closing the pidfd removes its epoll entry.
        if let Some(w) = self.slots[slot].take() {
            self.by_pid.remove(&w.pid);
            self.gens[slot] = self.gens[slot].wrapping_add(1);
            self.free.push(slot);
        }
    }

    pub(super) fn apply(&mut self, ep: RawFd, c: &RawChange) -> Result<(), Errno> {
        let existing = self.by_pid.get(&c.ident).copied();
        if c.flags & DELETE != 0 {
            self.remove(existing.ok_or(Errno::NOENT)?);
            return Ok(());
        }
        let slot = match existing {
            Some(slot) => slot,
            None if c.flags & ADD != 0 => {
                let pid = i32::try_from(c.ident).map_err(|_| Errno::SRCH)?;
                let fd = owned(sys::pidfd_open(Pid::from_raw(pid), 0)?);
                let slot = self.free.pop().unwrap_or_else(|| {
                    self.slots.push(None);
                    self.gens.push(0);
                    self.slots.len() - 1
                });
                let gen = self.gens[slot];
                // Proc registrations are EV_CLEAR (OpenBSD `filt_procattach`, DragonFly
                // `filt_procattach`: "automatically set").
                let w = Watch {
                    pid: c.ident,
                    fd,
                    flags: stored_flags(c.flags) | CLEAR,
                    enabled: true,
                    token: c.token,
                    gen,
                };
                let r = epoll_ctl(
                    ep,
                    libc::EPOLL_CTL_ADD,
                    w.fd.as_raw_fd(),
                    libc::EPOLLIN as u32,
                    key(slot, gen),
                );
                r?;
                self.slots[slot] = Some(w);
                self.by_pid.insert(c.ident, slot);
                slot
            }
            None => return Err(Errno::NOENT),
        };
        let w = self.slots[slot].as_mut().ok_or(Errno::NOENT)?;
        w.token = c.token;
        if c.flags & ENABLE != 0 {
            w.enabled = true;
        }
        if c.flags & DISABLE != 0 {
            w.enabled = false;
        }
        sync(ep, slot, w)
    }

    /// The process exited: one event with its wait status, then the registration goes (kqueue
    /// sets `EV_EOF | EV_ONESHOT` on exit: OpenBSD `filt_proc`, rev 1.205).
    pub(super) fn report(&mut self, ep: RawFd, key: u64, sink: &mut Sink<'_>) {
        let slot = (key & 0xffff_ffff) as usize;
        let gen = ((key >> 32) & 0xff_ffff) as u32;
        let Some(Some(w)) = self.slots.get_mut(slot) else {
            return;
        };
        if w.gen & 0xff_ffff != gen || !w.enabled {
            return;
        }
        // SAFETY: the pidfd is ours.
        let data = match unsafe { sys::pidfd_child_state(w.fd.as_raw_fd()) } {
            Ok(Some(state)) => super::decode::wait_status(state),
            Ok(None) => return,
            // Not our child: the exit is known, the status is not.
            Err(_) => -1,
        };
        sink.out.push(Event {
            ident: w.pid,
            filter: EVFILT_PROC,
            flags: w.flags | EV_EOF | super::ONESHOT,
            fflags: ProcNotes::EXIT.bits(),
            data,
            token: w.token,
        });
        if w.flags & DISPATCH != 0 {
            w.enabled = false;
            let _ = sync(ep, slot, w);
        }
        self.remove(slot);
    }
}
