//! `EVFILT_TIMER`: every timer of a queue on one timerfd, armed for the earliest deadline of a
//! heap of deadlines. Expirations are counted here; a timer keeps counting while disabled, as
//! a kqueue timer does, and its events carry `EV_CLEAR` (OpenBSD `filt_timerattach`, DragonFly
//! `filt_timerattach`: "automatically set").

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use bsd_sys::event as sys;
use bsd_sys::libc;
use bsd_sys::Errno;

use super::{owned, stored_flags, watch_helper, Sink, ADD, CLEAR, DELETE, DISABLE, DISPATCH};
use super::{ENABLE, KEY_TIMERS, ONESHOT};
use crate::consts::*;
use crate::filter::RawChange;
use crate::Event;

#[derive(Debug)]
struct Timer {
    period: u64,
    deadline: u64,
    flags: u16,
    enabled: bool,
    token: u64,
    /// Expirations not reported yet.
    pending: u64,
    /// Tells this timer's live heap entry from those of its earlier settings.
    seq: u32,
    /// An absolute (`NOTE_ABSTIME`) timer: expires once, keeps its count until reported with
    /// `CLEAR` (OpenBSD `filt_timerprocess` submits while `kn_data != 0`).
    absolute: bool,
    queued: bool,
}

#[derive(Debug)]
pub(super) struct Timers {
    tfd: OwnedFd,
    map: HashMap<u64, Timer>,
    /// (deadline, id, seq), earliest first; entries of deleted or re-set timers stay until
    /// popped.
    heap: BinaryHeap<Reverse<(u64, u64, u32)>>,
    /// Timers with expirations to report.
    ready: Vec<u64>,
    /// The deadline the timerfd is armed for (0: disarmed; 1: fire at once).
    armed: u64,
}

/// Now on `CLOCK_MONOTONIC`, in nanoseconds.
fn now() -> u64 {
    bsd_sys::time::clock_gettime(libc::CLOCK_MONOTONIC).map_or(0, |t| t.as_nanos().max(0) as u64)
}

impl Timers {
    pub(super) fn new(ep: RawFd) -> Result<Timers, Errno> {
        let flags = libc::O_CLOEXEC | libc::O_NONBLOCK;
        let tfd = owned(sys::timerfd_create(libc::CLOCK_MONOTONIC, flags)?);
        watch_helper(ep, &tfd, KEY_TIMERS)?;
        Ok(Timers {
            tfd,
            map: HashMap::new(),
            heap: BinaryHeap::new(),
            ready: Vec::new(),
            armed: 0,
        })
    }

    /// Arms the timerfd for `at` (absolute, ns; 0 disarms).
    fn arm(&mut self, at: u64) {
        if self.armed == at {
            return;
        }
        let ts = |ns: u64| libc::timespec {
            tv_sec: (ns / 1_000_000_000) as libc::time_t,
            tv_nsec: (ns % 1_000_000_000) as _,
        };
        let spec = sys::Itimerspec {
            it_interval: ts(0),
            it_value: ts(at),
        };
        // SAFETY: the timerfd is ours.
        if unsafe { sys::timerfd_settime(self.tfd.as_raw_fd(), libc::TFD_TIMER_ABSTIME, &spec) }
            .is_ok()
        {
            self.armed = at;
        }
    }

    /// Arms the timerfd for what comes next: at once if something waits to be reported,
    /// else the earliest live deadline.
    fn rearm(&mut self) {
        if self.has_ready() {
            return self.arm(1);
        }
        while let Some(&Reverse((at, id, seq))) = self.heap.peek() {
            if self.map.get(&id).is_some_and(|t| t.seq == seq) {
                return self.arm(at);
            }
            self.heap.pop();
        }
        self.arm(0);
    }

    pub(super) fn apply(&mut self, c: &RawChange) -> Result<(), Errno> {
        let id = c.ident;
        if c.flags & DELETE != 0 {
            self.map.remove(&id).ok_or(Errno::NOENT)?;
            self.rearm();
            return Ok(());
        }
        if c.flags & ADD != 0 {
            let absolute = c.fflags & NOTE_ABSTIME != 0;
            let ns = u64::try_from(c.data).map_err(|_| Errno::INVAL)?;
            let (period, deadline) = if absolute {
                // Wall-clock deadline to a monotonic one, once (as OpenBSD's filt_timeradd).
                let real = bsd_sys::time::clock_gettime(libc::CLOCK_REALTIME)
                    .map_or(0, |t| t.as_nanos().max(0) as u64);
                (0, now().saturating_add(ns.saturating_sub(real)))
            } else {
                if ns == 0 {
                    return Err(Errno::INVAL);
                }
                (ns, now().saturating_add(ns))
            };
            // Periodic timers are EV_CLEAR; absolute ones are not (filt_timerattach).
            let implied = if absolute { 0 } else { CLEAR };
            // Re-adding restarts the timer with the new period and forgets what it counted.
            let t = self.map.entry(id).or_insert(Timer {
                period,
                deadline,
                flags: stored_flags(c.flags) | implied,
                enabled: true,
                token: c.token,
                pending: 0,
                seq: 0,
                queued: false,
                absolute,
            });
            t.period = period;
            t.deadline = deadline;
            t.token = c.token;
            t.pending = 0;
            t.absolute = absolute;
            t.seq = t.seq.wrapping_add(1);
            let seq = t.seq;
            if self.heap.len() >= 2 * self.map.len() + 16 {
                // Re-set timers leave their old entries behind: drop them in place, so the
                // heap stays bounded by the live timers (and needs no new allocation).
                let map = &self.map;
                self.heap
                    .retain(|Reverse((_, id, seq))| map.get(id).is_some_and(|t| t.seq == *seq));
            }
            self.heap.push(Reverse((deadline, id, seq)));
        }
        let t = self.map.get_mut(&id).ok_or(Errno::NOENT)?;
        if c.flags & ENABLE != 0 {
            t.enabled = true;
        }
        if c.flags & DISABLE != 0 {
            t.enabled = false;
        }
        if t.enabled && t.pending > 0 && !t.queued {
            t.queued = true;
            self.ready.push(id);
        }
        self.armed = u64::MAX; // force the re-arm below
        self.rearm();
        Ok(())
    }

    /// The timerfd fired: count the expirations of every timer due.
    pub(super) fn drain(&mut self) {
        let mut b = [0u8; 8];
        // SAFETY: reading the timerfd only resets its expiry count.
        let _ = unsafe { bsd_sys::fd::read(self.tfd.as_raw_fd(), &mut b) };
        self.armed = 0;
        let now = now();
        while let Some(&Reverse((at, id, seq))) = self.heap.peek() {
            if at > now {
                break;
            }
            self.heap.pop();
            let Some(t) = self.map.get_mut(&id) else {
                continue;
            };
            if t.seq != seq {
                continue;
            }
            if t.flags & ONESHOT != 0 || t.absolute {
                t.pending += 1;
            } else {
                let n = (now - at) / t.period + 1;
                t.pending = t.pending.saturating_add(n);
                t.deadline = at.saturating_add(n.saturating_mul(t.period));
                self.heap.push(Reverse((t.deadline, id, seq)));
            }
            if t.enabled && !t.queued {
                t.queued = true;
                self.ready.push(id);
            }
        }
        self.rearm();
    }

    pub(super) fn has_ready(&self) -> bool {
        self.ready
            .iter()
            .any(|id| self.map.get(id).is_some_and(|t| t.enabled && t.pending > 0))
    }

    pub(super) fn deliver(&mut self, sink: &mut Sink<'_>) {
        if self.ready.is_empty() {
            return;
        }
        let mut k = 0;
        while k < self.ready.len() && !sink.full() {
            let id = self.ready[k];
            let Some(t) = self.map.get_mut(&id) else {
                self.ready.swap_remove(k);
                continue;
            };
            if !t.enabled || t.pending == 0 {
                t.queued = false;
                self.ready.swap_remove(k);
                continue;
            }
            sink.out.push(Event {
                ident: id,
                filter: EVFILT_TIMER,
                flags: t.flags,
                fflags: 0,
                data: t.pending.min(i64::MAX as u64) as i64,
                token: t.token,
            });
            if t.flags & ONESHOT != 0 {
                self.map.remove(&id);
                self.ready.swap_remove(k);
                continue;
            }
            if t.flags & DISPATCH != 0 {
                t.enabled = false;
            }
            if t.absolute && t.flags & CLEAR == 0 && t.enabled {
                // Level-triggered: reported again by the next wait.
                k += 1;
                continue;
            }
            t.pending = 0;
            t.queued = false;
            self.ready.swap_remove(k);
        }
        self.rearm();
    }
}
