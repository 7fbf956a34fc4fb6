//! `EVFILT_USER`: the state of every user event lives here; one eventfd, readable while some
//! triggered event waits to be reported, wakes the waiters. The waiter that takes the lock
//! first takes the events, so one activation reaches one waiter.

use std::collections::HashMap;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use bsd_sys::event as sys;
use bsd_sys::libc;
use bsd_sys::Errno;

use super::{owned, stored_flags, watch_helper, Sink, ADD, CLEAR, DELETE, DISABLE, DISPATCH};
use super::{ENABLE, KEY_USERS, ONESHOT};
use crate::consts::*;
use crate::filter::RawChange;
use crate::Event;

#[derive(Debug)]
struct User {
    flags: u16,
    enabled: bool,
    token: u64,
    fflags: u32,
    triggered: bool,
    queued: bool,
}

#[derive(Debug)]
pub(super) struct Users {
    efd: OwnedFd,
    map: HashMap<u64, User>,
    ready: Vec<u64>,
    /// The eventfd's counter is non-zero.
    signaled: bool,
}

fn apply_fflags(cur: u32, fflags: u32) -> u32 {
    let v = fflags & NOTE_FFLAGSMASK;
    match fflags & NOTE_FFCTRLMASK {
        NOTE_FFAND => cur & v,
        NOTE_FFOR => cur | v,
        NOTE_FFCOPY => v,
        _ => cur,
    }
}

impl Users {
    pub(super) fn new(ep: RawFd) -> Result<Users, Errno> {
        let efd = owned(sys::eventfd(0, libc::O_CLOEXEC | libc::O_NONBLOCK)?);
        watch_helper(ep, &efd, KEY_USERS)?;
        Ok(Users {
            efd,
            map: HashMap::new(),
            ready: Vec::new(),
            signaled: false,
        })
    }

    fn signal(&mut self, on: bool) {
        if on == self.signaled {
            return;
        }
        let fd = self.efd.as_raw_fd();
        let r = if on {
            // SAFETY: writing 8 bytes to our eventfd only adds to its counter.
            unsafe { bsd_sys::fd::write(fd, &1u64.to_ne_bytes()) }
        } else {
            let mut b = [0u8; 8];
            // SAFETY: reading our eventfd only resets its counter.
            unsafe { bsd_sys::fd::read(fd, &mut b) }
        };
        // EAGAIN: the counter already was as wanted.
        if r.is_ok() || r == Err(Errno::AGAIN) {
            self.signaled = on;
        }
    }

    /// Makes the eventfd readable until the next delivery pass, to wake the waiters.
    pub(super) fn kick(&mut self) {
        self.signal(true);
    }

    pub(super) fn apply(&mut self, c: &RawChange) -> Result<(), Errno> {
        let id = c.ident;
        if c.flags & DELETE != 0 {
            self.map.remove(&id).ok_or(Errno::NOENT)?;
            return Ok(());
        }
        let fresh = !self.map.contains_key(&id);
        if fresh && c.flags & ADD == 0 {
            return Err(Errno::NOENT);
        }
        let u = self.map.entry(id).or_insert(User {
            flags: stored_flags(c.flags),
            enabled: true,
            token: c.token,
            fflags: 0,
            triggered: false,
            queued: false,
        });
        if c.flags & ADD != 0 {
            u.token = c.token;
        }
        // NOTE_FF* and NOTE_TRIGGER, and EV_CLEAR on a modification resets the trigger
        // (DragonFly `filt_usertouch` EVENT_REGISTER, `sys/kern/kern_event.c` at fcc705f5877a).
        u.fflags = apply_fflags(u.fflags, c.fflags);
        if c.fflags & NOTE_TRIGGER != 0 {
            u.triggered = true;
        } else if !fresh && c.flags & CLEAR != 0 {
            u.triggered = false;
        }
        if c.flags & ENABLE != 0 {
            u.enabled = true;
        }
        if c.flags & DISABLE != 0 {
            u.enabled = false;
        }
        if u.triggered && u.enabled && !u.queued {
            u.queued = true;
            self.ready.push(id);
            self.signal(true);
        }
        Ok(())
    }

    pub(super) fn deliver(&mut self, sink: &mut Sink<'_>) {
        let mut k = 0;
        while k < self.ready.len() && !sink.full() {
            let id = self.ready[k];
            let Some(u) = self.map.get_mut(&id) else {
                self.ready.swap_remove(k);
                continue;
            };
            if !u.enabled || !u.triggered {
                u.queued = false;
                self.ready.swap_remove(k);
                continue;
            }
            sink.out.push(Event {
                ident: id,
                filter: EVFILT_USER,
                flags: u.flags,
                fflags: u.fflags,
                data: 0,
                token: u.token,
            });
            if u.flags & ONESHOT != 0 {
                self.map.remove(&id);
                self.ready.swap_remove(k);
                continue;
            }
            if u.flags & CLEAR != 0 {
                // kqueue clears `data` and `fflags` of an EV_CLEAR event once reported.
                u.triggered = false;
                u.fflags = 0;
            }
            if u.flags & DISPATCH != 0 {
                u.enabled = false;
            }
            if u.triggered && u.enabled {
                // Level-triggered: reported again by the next wait.
                k += 1;
            } else {
                u.queued = false;
                self.ready.swap_remove(k);
            }
        }
        let more = !self.ready.is_empty();
        self.signal(more);
    }
}
