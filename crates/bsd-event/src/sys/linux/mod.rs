//! kqueue emulated over one epoll instance on a Linux host.
//!
//! Each concern has its module: [`fds`] (Read / Write / Except on descriptors, one epoll entry
//! per descriptor), [`timers`] (one timerfd driving a timer heap), [`users`] (one eventfd for
//! every user event), [`signals`] (one signalfd for every signal), [`vnodes`] (one inotify
//! instance), [`procs`] (one pidfd per watched process) and [`decode`] (the `data` of an
//! event). A queue owns the epoll descriptor plus at most one helper descriptor of each kind,
//! created on first use, and one pidfd per Proc registration.
//!
//! The registry behind one mutex is the truth; epoll only says which source to look at. Events
//! of the helper sources are taken from the registry under the lock, so one activation reaches
//! exactly one waiter, and a wait that finds nothing to report (a stale entry, an activation
//! another thread took) waits again for the rest of its timeout instead of returning early.

mod decode;
mod fds;
mod lock;
mod procs;
mod signals;
mod timers;
mod users;
mod vnodes;

use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use bsd_sys::event as sys;
use bsd_sys::libc;
use bsd_sys::Errno;

use crate::consts::*;
use crate::filter::RawChange;
use crate::{EvFlags, Event};

pub(crate) use self::decode::{event_data, is_deferred};

pub(super) const ADD: u16 = EvFlags::ADD.bits();
pub(super) const DELETE: u16 = EvFlags::DELETE.bits();
pub(super) const ENABLE: u16 = EvFlags::ENABLE.bits();
pub(super) const DISABLE: u16 = EvFlags::DISABLE.bits();
pub(super) const ONESHOT: u16 = EvFlags::ONESHOT.bits();
pub(super) const CLEAR: u16 = EvFlags::CLEAR.bits();
pub(super) const DISPATCH: u16 = EvFlags::DISPATCH.bits();
const RECEIPT: u16 = EvFlags::RECEIPT.bits();
/// `EV_SYSFLAGS`, which the kernels clear from a change (OpenBSD and DragonFly
/// `sys/sys/event.h`: 0xf800).
const SYSFLAGS: u16 = 0xf800;

/// The flags a registration's events carry: those of the change that created it, as both
/// kernels store them (`kn->kn_kevent = *kev` in `kqueue_register`, OpenBSD
/// `sys/kern/kern_event.c` rev 1.205, DragonFly `sys/kern/kern_event.c` at fcc705f5877a),
/// with `EV_RECEIPT` (every change of this crate has it) and without the system flags.
pub(super) fn stored_flags(change: u16) -> u16 {
    (change | RECEIPT) & !SYSFLAGS
}

/// Marks an epoll key as a helper source rather than a descriptor.
pub(super) const HELPER: u64 = 1 << 63;
const KEY_TIMERS: u64 = HELPER | (1 << 56);
const KEY_USERS: u64 = HELPER | (2 << 56);
const KEY_SIGNALS: u64 = HELPER | (3 << 56);
const KEY_VNODES: u64 = HELPER | (4 << 56);
/// Proc keys: this tag plus slot and generation (see [`procs`]).
pub(super) const KEY_PROC: u64 = HELPER | (5 << 56);
const KEY_KIND: u64 = HELPER | (0x7f << 56);

/// Takes ownership of a descriptor just created.
pub(super) fn owned(raw: RawFd) -> OwnedFd {
    // SAFETY: every caller passes a descriptor it has just created and owns alone.
    unsafe { OwnedFd::from_raw_fd(raw) }
}

pub(super) fn epoll_ctl(ep: RawFd, op: i32, fd: RawFd, events: u32, key: u64) -> Result<(), Errno> {
    let ev = sys::EpollEvent { events, u64: key };
    // SAFETY: `ep` is our epoll descriptor; `fd` is only registered, never read, written or closed.
    unsafe { sys::epoll_ctl(ep, op, fd, Some(&ev)) }
}

/// Registers a helper descriptor (level-triggered readable) under `key`.
pub(super) fn watch_helper(ep: RawFd, fd: &OwnedFd, key: u64) -> Result<(), Errno> {
    epoll_ctl(
        ep,
        libc::EPOLL_CTL_ADD,
        fd.as_raw_fd(),
        libc::EPOLLIN as u32,
        key,
    )
}

/// Where the events of one wait go: at most `room` from the helper sources (descriptor
/// entries may add their Read, Write and Except events beyond it).
pub(super) struct Sink<'a> {
    pub(super) out: &'a mut Vec<Event>,
    pub(super) room: usize,
}

impl Sink<'_> {
    pub(super) fn full(&self) -> bool {
        self.out.len() >= self.room
    }
}

#[derive(Debug, Default)]
struct Registry {
    fds: fds::Fds,
    timers: Option<timers::Timers>,
    users: Option<users::Users>,
    signals: Option<signals::Signals>,
    vnodes: Option<vnodes::Vnodes>,
    procs: procs::Procs,
    /// [`Registry::only_fds`] as of the last change: a wait has nothing to deliver or poll.
    plain: bool,
}

impl Registry {
    fn apply(&mut self, ep: RawFd, c: &RawChange) -> Result<(), Errno> {
        match c.filter {
            EVFILT_READ | EVFILT_WRITE | EVFILT_EXCEPT => self.fds.apply(ep, c),
            EVFILT_TIMER => lazily(&mut self.timers, ep, c, timers::Timers::new)?.apply(c),
            EVFILT_USER => lazily(&mut self.users, ep, c, users::Users::new)?.apply(c),
            EVFILT_SIGNAL => lazily(&mut self.signals, ep, c, signals::Signals::new)?.apply(c),
            EVFILT_VNODE => lazily(&mut self.vnodes, ep, c, vnodes::Vnodes::new)?.apply(c),
            EVFILT_PROC => self.procs.apply(ep, c),
            _ => Err(Errno::INVAL),
        }
    }

    /// An epoll entry that [`fds::Fds::report_quick`] did not take: a descriptor's, or a
    /// helper source's (drained: its events are delivered afterwards; a process's is reported).
    #[inline(never)]
    fn report(&mut self, ep: RawFd, key: u64, events: u32, sink: &mut Sink<'_>) {
        if key & HELPER == 0 {
            return self.fds.report(ep, key, events, sink);
        }
        match key & KEY_KIND {
            KEY_TIMERS => self.timers.as_mut().map_or((), |t| t.drain()),
            KEY_SIGNALS => self.signals.as_mut().map_or((), |s| s.drain()),
            KEY_VNODES => self.vnodes.as_mut().map_or((), |v| v.drain()),
            KEY_PROC => self.procs.report(ep, key, sink),
            _ => {}
        }
    }

    /// Something is ready to report without waiting (left over from a full buffer, or
    /// level-triggered state that stays set).
    fn has_ready(&self) -> bool {
        if self.only_fds() {
            return false;
        }
        self.fds.has_ready()
            || self.timers.as_ref().is_some_and(|t| t.has_ready())
            || self.signals.as_ref().is_some_and(|s| s.has_ready())
            || self.vnodes.as_ref().is_some_and(|v| v.has_ready())
    }

    /// Wakes the waiters through the user-event eventfd (for ready state that no helper
    /// descriptor announces: regular files).
    fn kick(&mut self, ep: RawFd) {
        if self.users.is_none() {
            self.users = users::Users::new(ep).ok();
        }
        if let Some(u) = &mut self.users {
            u.kick();
        }
    }

    /// Reports what the helper sources hold (after their descriptors were drained).
    /// Only descriptors (no regular file, no helper source): nothing to deliver or poll.
    fn only_fds(&self) -> bool {
        self.fds.no_regular()
            && self.timers.is_none()
            && self.users.is_none()
            && self.signals.is_none()
            && self.vnodes.is_none()
    }

    fn deliver(&mut self, sink: &mut Sink<'_>) {
        if self.only_fds() {
            return;
        }
        self.fds.deliver_regular(sink);
        if let Some(t) = &mut self.timers {
            t.deliver(sink);
        }
        if let Some(u) = &mut self.users {
            u.deliver(sink);
        }
        if let Some(s) = &mut self.signals {
            s.deliver(sink);
        }
        if let Some(v) = &mut self.vnodes {
            v.deliver(sink);
        }
    }
}

/// The helper source in `slot`, created (and put in epoll) by an `ADD`; `NOENT` for any other
/// change while it does not exist.
fn lazily<'a, T>(
    slot: &'a mut Option<T>,
    ep: RawFd,
    c: &RawChange,
    new: fn(RawFd) -> Result<T, Errno>,
) -> Result<&'a mut T, Errno> {
    if slot.is_none() {
        if c.flags & ADD == 0 {
            return Err(Errno::NOENT);
        }
        *slot = Some(new(ep)?);
    }
    slot.as_mut().ok_or(Errno::NOENT)
}

/// The epoll instance and its registry.
#[derive(Debug)]
pub(crate) struct Sys {
    ep: OwnedFd,
    /// [`sys::fork_epoch`] of the creating process (0: unknown, not checked).
    epoch: u32,
    reg: lock::Lock<Registry>,
    /// `epoch` while [`Registry::has_ready`] was false at the last unlock, [`NOT_HOT`] while
    /// it was true: one compare with [`sys::fork_epoch_now`] tells a wait it is in the creating
    /// process and may go straight to epoll.
    hot: AtomicU32,
}

/// [`Sys::hot`] while something is ready without waiting: never an epoch (epochs are process
/// ids or 0).
const NOT_HOT: u32 = u32::MAX;

/// The receive buffer of epoll entries.
#[derive(Debug)]
pub(crate) struct EventBuf {
    raw: Vec<sys::EpollEvent>,
    /// The timeout of the last wait and its milliseconds (loops pass the same one each time).
    last_timeout: Option<Duration>,
    last_ms: i32,
}

impl EventBuf {
    pub(crate) fn with_capacity(n: usize) -> EventBuf {
        EventBuf {
            raw: vec![sys::EpollEvent { events: 0, u64: 0 }; n.max(1)],
            last_timeout: None,
            last_ms: -1,
        }
    }

    /// `timeout` in epoll's milliseconds (-1: forever), converted once per new value.
    #[inline]
    fn millis(&mut self, timeout: Option<Duration>) -> i32 {
        if timeout != self.last_timeout {
            self.last_ms = timeout.map_or(-1, millis);
            self.last_timeout = timeout;
        }
        self.last_ms
    }
}

/// `CLOCK_MONOTONIC_COARSE` in nanoseconds (0 if unreadable).
fn coarse_now() -> u64 {
    bsd_sys::time::clock_gettime(libc::CLOCK_MONOTONIC_COARSE)
        .map_or(0, |t| t.as_nanos().max(0) as u64)
}

/// Milliseconds for epoll, rounded up so a short timeout never becomes a busy poll.
#[inline]
fn millis(d: Duration) -> i32 {
    let secs = d.as_secs();
    let ms = d.subsec_nanos().div_ceil(1_000_000);
    if secs < 2_000_000 {
        // At most 1,999,999,999 + 1000: fits an i32.
        (secs as u32 * 1000 + ms) as i32
    } else {
        i32::MAX
    }
}

impl Sys {
    pub(crate) fn new() -> Result<Sys, Errno> {
        let ep = owned(sys::epoll_create1(libc::EPOLL_CLOEXEC)?);
        let epoch = sys::fork_epoch().unwrap_or(0);
        Ok(Sys {
            ep,
            reg: lock::Lock::new(Registry {
                plain: true,
                ..Registry::default()
            }),
            hot: AtomicU32::new(epoch),
            epoch,
        })
    }

    /// Records [`Registry::has_ready`] (under the lock) for the next wait.
    fn set_ready(&self, ready: bool) {
        let hot = if ready { NOT_HOT } else { self.epoch };
        self.hot.store(hot, Ordering::Relaxed);
    }

    /// Something may be ready without waiting (confirm under the lock).
    fn maybe_ready(&self) -> bool {
        self.hot.load(Ordering::Relaxed) == NOT_HOT
    }

    pub(crate) fn fd(&self) -> BorrowedFd<'_> {
        self.ep.as_fd()
    }

    /// Gives the descriptor away (`OwnedFd::try_from(Kqueue)`); the rest of `Sys` is dropped.
    pub(crate) fn into_fd(self) -> OwnedFd {
        self.ep
    }

    /// kqueue is not inherited across `fork`: in a child, the parent's queue is a closed
    /// descriptor (`EBADF`), and this keeps the child off the shared epoll instance.
    #[inline]
    fn check_owner(&self) -> Result<(), Errno> {
        if self.epoch != 0 && sys::fork_epoch_now() != self.epoch {
            return Err(Errno::BADF);
        }
        Ok(())
    }

    fn lock(&self) -> lock::Guard<'_, Registry> {
        self.reg.lock()
    }

    /// Applies the changes in order, handing each result to `put` with the change's index.
    pub(crate) fn apply(
        &self,
        changes: impl Iterator<Item = (usize, RawChange)>,
        mut put: impl FnMut(usize, Result<(), Errno>),
    ) -> Result<(), Errno> {
        self.check_owner()?;
        let ep = self.ep.as_raw_fd();
        let mut reg = self.lock();
        for (i, c) in changes {
            put(i, reg.apply(ep, &c));
        }
        let ready = reg.has_ready();
        if ready {
            // A thread blocked in epoll would not learn of it otherwise.
            reg.kick(ep);
        }
        reg.plain = reg.only_fds();
        self.set_ready(ready);
        Ok(())
    }

    /// Waits for events. The hot path is two compares (this process and nothing ready without
    /// waiting; the timeout of the last wait), one `epoll_pwait`, the registry lock and one
    /// check per reported descriptor; anything else is in [`Sys::wait_cold`] and
    /// [`Sys::wait_rest`].
    #[inline]
    pub(crate) fn wait(
        &self,
        buf: &mut EventBuf,
        out: &mut Vec<Event>,
        timeout: Option<Duration>,
    ) -> Result<(), Errno> {
        out.clear();
        if sys::fork_epoch_now() != self.hot.load(Ordering::Relaxed) || timeout != buf.last_timeout
        {
            return self.wait_cold(buf, out, timeout);
        }
        let ms = buf.last_ms;
        // SAFETY: `ep` is our epoll descriptor.
        let n = unsafe { sys::epoll_pwait(self.ep.as_raw_fd(), &mut buf.raw, ms) }?;
        if n == 0 || self.collect(buf, n, out) || ms == 0 {
            return Ok(());
        }
        self.wait_again(buf, out)
    }

    /// [`Sys::wait_rest`] with the timeout of this wait (kept in `buf`).
    #[cold]
    #[inline(never)]
    fn wait_again(&self, buf: &mut EventBuf, out: &mut Vec<Event>) -> Result<(), Errno> {
        let timeout = buf.last_timeout;
        self.wait_rest(buf, out, timeout, false)
    }

    /// A wait in a forked child (refused), with state ready to report without waiting, or with
    /// a new timeout.
    #[cold]
    #[inline(never)]
    fn wait_cold(
        &self,
        buf: &mut EventBuf,
        out: &mut Vec<Event>,
        timeout: Option<Duration>,
    ) -> Result<(), Errno> {
        self.check_owner()?;
        let ms = buf.millis(timeout);
        // The hint may be stale (a regular file read meanwhile): confirm it under the lock.
        let ready = self.maybe_ready() && self.lock().has_ready();
        // SAFETY: `ep` is our epoll descriptor.
        let n = unsafe {
            sys::epoll_pwait(
                self.ep.as_raw_fd(),
                &mut buf.raw,
                if ready { 0 } else { ms },
            )
        }?;
        if self.collect(buf, n, out) || ms == 0 || (n == 0 && !ready) {
            return Ok(());
        }
        self.wait_rest(buf, out, timeout, ready && n == 0)
    }

    /// Every entry of the first pass was stale, or taken by another waiter: waits again for
    /// what is left of the timeout, measured on the coarse monotonic clock from here (the
    /// first pass is not timed, to keep the clock off the hot path).
    #[cold]
    #[inline(never)]
    fn wait_rest(
        &self,
        buf: &mut EventBuf,
        out: &mut Vec<Event>,
        timeout: Option<Duration>,
        mut polled_empty: bool,
    ) -> Result<(), Errno> {
        let start = coarse_now();
        loop {
            let left = match timeout {
                None => -1,
                Some(d) => {
                    let spent = Duration::from_nanos(coarse_now().saturating_sub(start));
                    d.checked_sub(spent).map_or(0, millis)
                }
            };
            // A poll for state that turned out not ready: do not poll for it again at once.
            let ready = !polled_empty && self.maybe_ready() && self.lock().has_ready();
            let ms = if ready { 0 } else { left };
            // SAFETY: `ep` is our epoll descriptor.
            let n = unsafe { sys::epoll_pwait(self.ep.as_raw_fd(), &mut buf.raw, ms) }?;
            if self.collect(buf, n, out) || left == 0 || (n == 0 && !ready) {
                return Ok(());
            }
            polled_empty = ready && n == 0;
        }
    }

    /// Turns the first `n` epoll entries of `buf`, and what the helper sources hold, into
    /// events in `out`; `true` when there are some.
    #[inline]
    fn collect(&self, buf: &EventBuf, n: usize, out: &mut Vec<Event>) -> bool {
        let ep = self.ep.as_raw_fd();
        let room = buf.raw.len();
        let mut reg = self.lock();
        for ev in &buf.raw[..n.min(room)] {
            let (events, key) = (ev.events, ev.u64);
            if !reg.fds.report_quick(ep, key, events, out) {
                reg.report(ep, key, events, &mut Sink { out, room });
            }
        }
        if !reg.plain {
            self.finish(&mut reg, &mut Sink { out, room });
        }
        !out.is_empty()
    }

    /// Delivers what the helper sources hold and records whether anything stays ready.
    #[inline(never)]
    fn finish(&self, reg: &mut Registry, sink: &mut Sink<'_>) {
        reg.deliver(sink);
        self.set_ready(reg.has_ready());
    }

    /// Fires user event `id` (`NOTE_TRIGGER`).
    pub(crate) fn trigger(&self, id: u64, token: u64) -> Result<(), Errno> {
        let c = RawChange {
            ident: id,
            filter: EVFILT_USER,
            flags: 0,
            fflags: NOTE_TRIGGER,
            data: 0,
            token,
        };
        let mut r = Err(Errno::INVAL);
        self.apply(core::iter::once((0, c)), |_, res| r = res)?;
        r
    }
}
