//! kqueue emulated over epoll on a Linux host.
//!
//! A registry maps each registration to an epoll entry:
//! - `Read`/`Write`/`Except` on one descriptor share that descriptor's epoll entry (epoll allows
//!   one per descriptor), whose mask is the union of the enabled interests;
//! - every other filter owns a helper descriptor (timerfd, signalfd, pidfd, eventfd, inotify)
//!   registered under a tagged key: slot index plus a generation, so a ready entry of a
//!   registration deleted meanwhile is recognised and dropped.
//!
//! ONESHOT, DISPATCH and the user-event state are applied here when an event is reported.

use std::collections::HashMap;
use std::ffi::CString;
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use bsd_sys::event as sys;
use bsd_sys::libc;
use bsd_sys::{Errno, Pid, Signal};

use crate::consts::*;
use crate::filter::RawChange;
use crate::{EvFlags, Event, VnodeNotes};

const ADD: u16 = EvFlags::ADD.bits();
const DELETE: u16 = EvFlags::DELETE.bits();
const ENABLE: u16 = EvFlags::ENABLE.bits();
const DISABLE: u16 = EvFlags::DISABLE.bits();
const ONESHOT: u16 = EvFlags::ONESHOT.bits();
const CLEAR: u16 = EvFlags::CLEAR.bits();
const DISPATCH: u16 = EvFlags::DISPATCH.bits();
const KEPT: u16 = ONESHOT | CLEAR | DISPATCH;

/// Marks an epoll key as a helper slot rather than a descriptor number.
const HELPER: u64 = 1 << 63;

const IN_EVENTS: u32 = (libc::EPOLLIN | libc::EPOLLRDHUP | libc::EPOLLHUP | libc::EPOLLERR) as u32;
const HUP_EVENTS: u32 = (libc::EPOLLRDHUP | libc::EPOLLHUP | libc::EPOLLERR) as u32;
const OUT_EVENTS: u32 = (libc::EPOLLOUT | libc::EPOLLHUP | libc::EPOLLERR) as u32;

#[derive(Clone, Copy, Debug)]
struct Interest {
    /// ONESHOT / CLEAR / DISPATCH as given at registration.
    flags: u16,
    enabled: bool,
    token: u64,
}

impl Interest {
    fn new(flags: u16, token: u64) -> Interest {
        Interest {
            flags: flags & KEPT,
            enabled: flags & DISABLE == 0,
            token,
        }
    }
}

#[derive(Debug, Default)]
struct FdEntry {
    read: Option<Interest>,
    write: Option<Interest>,
    except: Option<Interest>,
    in_epoll: bool,
}

impl FdEntry {
    fn slot(&mut self, filter: i16) -> &mut Option<Interest> {
        match filter {
            EVFILT_READ => &mut self.read,
            EVFILT_WRITE => &mut self.write,
            _ => &mut self.except,
        }
    }

    fn is_empty(&self) -> bool {
        self.read.is_none() && self.write.is_none() && self.except.is_none()
    }

    /// The epoll mask: the union of enabled interests; edge-triggered only when every enabled
    /// interest asked for CLEAR.
    fn mask(&self) -> u32 {
        let mut mask = 0u32;
        let mut all_clear = true;
        let parts = [
            (self.read, (libc::EPOLLIN | libc::EPOLLRDHUP) as u32),
            (self.write, libc::EPOLLOUT as u32),
            (self.except, libc::EPOLLPRI as u32),
        ];
        for (interest, bits) in parts {
            if let Some(i) = interest.filter(|i| i.enabled) {
                mask |= bits;
                all_clear &= i.flags & CLEAR != 0;
            }
        }
        if mask != 0 && all_clear {
            mask |= libc::EPOLLET as u32;
        }
        mask
    }
}

#[derive(Debug)]
enum Kind {
    Timer,
    Signal,
    Proc,
    User { fflags: u32 },
    Vnode { notes: u32 },
}

#[derive(Debug)]
struct Helper {
    filter: i16,
    ident: u64,
    file: File,
    interest: Interest,
    kind: Kind,
    gen: u32,
    in_epoll: bool,
}

#[derive(Debug, Default)]
struct Registry {
    /// Indexed by descriptor number (they are small and dense); `None`: nothing registered.
    fds: Vec<Option<FdEntry>>,
    keys: HashMap<(i16, u64), usize>,
    slots: Vec<Option<Helper>>,
    gens: Vec<u32>,
    free: Vec<usize>,
}

/// The epoll instance and its registry.
#[derive(Debug)]
pub(crate) struct Sys {
    ep: OwnedFd,
    reg: Mutex<Registry>,
}

/// The receive buffer of epoll entries.
#[derive(Debug)]
pub(crate) struct EventBuf {
    raw: Vec<sys::EpollEvent>,
}

impl EventBuf {
    pub(crate) fn with_capacity(n: usize) -> EventBuf {
        EventBuf {
            raw: vec![sys::EpollEvent { events: 0, u64: 0 }; n.max(1)],
        }
    }
}

fn owned(raw: RawFd) -> OwnedFd {
    // SAFETY: every caller passes a descriptor it has just created and owns alone.
    unsafe { OwnedFd::from_raw_fd(raw) }
}

fn epoll_ctl(ep: RawFd, op: i32, fd: RawFd, events: u32, key: u64) -> Result<(), Errno> {
    let ev = sys::EpollEvent { events, u64: key };
    // SAFETY: `ep` is our epoll descriptor; `fd` is only registered, never read, written or closed.
    unsafe { sys::epoll_ctl(ep, op, fd, Some(&ev)) }
}

/// Puts `fd` in epoll with `mask`, or takes it out when nothing is enabled.
fn sync_fd(ep: RawFd, fd: RawFd, e: &mut FdEntry) -> Result<(), Errno> {
    let mask = e.mask();
    if mask == 0 {
        if e.in_epoll {
            e.in_epoll = false;
            return epoll_ctl(ep, libc::EPOLL_CTL_DEL, fd, 0, 0);
        }
        return Ok(());
    }
    let key = fd as u32 as u64;
    let r = if e.in_epoll {
        match epoll_ctl(ep, libc::EPOLL_CTL_MOD, fd, mask, key) {
            // The descriptor was closed and its number reused since: register the new file.
            Err(Errno::NOENT) => epoll_ctl(ep, libc::EPOLL_CTL_ADD, fd, mask, key),
            r => r,
        }
    } else {
        match epoll_ctl(ep, libc::EPOLL_CTL_ADD, fd, mask, key) {
            Err(Errno::EXIST) => epoll_ctl(ep, libc::EPOLL_CTL_MOD, fd, mask, key),
            r => r,
        }
    };
    e.in_epoll = r.is_ok();
    r
}

fn helper_key(slot: usize, gen: u32) -> u64 {
    HELPER | (u64::from(gen & 0x7fff_ffff) << 32) | slot as u64
}

fn sync_helper(ep: RawFd, slot: usize, h: &mut Helper) -> Result<(), Errno> {
    let fd = h.file.as_raw_fd();
    if h.interest.enabled && !h.in_epoll {
        epoll_ctl(
            ep,
            libc::EPOLL_CTL_ADD,
            fd,
            libc::EPOLLIN as u32,
            helper_key(slot, h.gen),
        )?;
        h.in_epoll = true;
    } else if !h.interest.enabled && h.in_epoll {
        h.in_epoll = false;
        epoll_ctl(ep, libc::EPOLL_CTL_DEL, fd, 0, 0)?;
    }
    Ok(())
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

fn timer_spec(period_ns: i64, oneshot: bool) -> sys::Itimerspec {
    let ts = libc::timespec {
        tv_sec: period_ns / 1_000_000_000,
        tv_nsec: period_ns % 1_000_000_000,
    };
    let zero = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    sys::Itimerspec {
        it_interval: if oneshot { zero } else { ts },
        it_value: ts,
    }
}

fn arm_timer(file: &File, period_ns: i64, oneshot: bool) -> Result<(), Errno> {
    // SAFETY: `file` is our timerfd.
    unsafe { sys::timerfd_settime(file.as_raw_fd(), 0, &timer_spec(period_ns, oneshot)) }
}

/// The inotify mask for kqueue vnode notes (see the crate docs' table).
fn inotify_mask(notes: u32) -> u32 {
    let n = VnodeNotes::from_bits_retain(notes);
    let mut m = 0;
    if n.intersects(VnodeNotes::WRITE | VnodeNotes::EXTEND) {
        m |= libc::IN_MODIFY;
    }
    if n.intersects(VnodeNotes::ATTRIB | VnodeNotes::LINK | VnodeNotes::DELETE) {
        m |= libc::IN_ATTRIB;
    }
    if n.contains(VnodeNotes::DELETE) {
        m |= libc::IN_DELETE_SELF;
    }
    if n.contains(VnodeNotes::RENAME) {
        m |= libc::IN_MOVE_SELF;
    }
    m
}

fn watch_fd(inotify: &File, fd: RawFd, notes: u32) -> Result<(), Errno> {
    // The watch follows /proc/self/fd/N to the file the descriptor refers to.
    let path = CString::new(format!("/proc/self/fd/{fd}")).map_err(|_| Errno::INVAL)?;
    // SAFETY: `inotify` is our inotify descriptor.
    match unsafe { sys::inotify_add_watch(inotify.as_raw_fd(), &path, inotify_mask(notes)) } {
        Ok(_) => Ok(()),
        Err(Errno::NOENT) => Err(Errno::BADF),
        Err(e) => Err(e),
    }
}

/// Reads the pending inotify records and turns them into kqueue vnode notes.
fn vnode_notes(file: &File, requested: u32) -> u32 {
    let want = VnodeNotes::from_bits_retain(requested);
    let mut got = VnodeNotes::empty();
    let mut buf = [0u8; 4096];
    while let Ok(n) = (&*file).read(&mut buf) {
        let mut rest = &buf[..n];
        while rest.len() >= 16 {
            let mask = u32::from_ne_bytes([rest[4], rest[5], rest[6], rest[7]]);
            let len = u32::from_ne_bytes([rest[12], rest[13], rest[14], rest[15]]) as usize;
            rest = rest.get(16 + len..).unwrap_or(&[]);
            if mask & libc::IN_MODIFY != 0 {
                got |= if want.contains(VnodeNotes::WRITE) {
                    VnodeNotes::WRITE
                } else {
                    VnodeNotes::EXTEND
                };
            }
            if mask & libc::IN_ATTRIB != 0 {
                got |= if want.contains(VnodeNotes::ATTRIB) {
                    VnodeNotes::ATTRIB
                } else {
                    VnodeNotes::LINK
                };
            }
            if mask & (libc::IN_DELETE_SELF | libc::IN_IGNORED) != 0 {
                got |= VnodeNotes::DELETE;
            }
            if mask & libc::IN_MOVE_SELF != 0 {
                got |= VnodeNotes::RENAME;
            }
            if mask & libc::IN_UNMOUNT != 0 {
                got |= VnodeNotes::REVOKE;
            }
        }
        if n == 0 {
            break;
        }
    }
    (got & want).bits()
}

/// Free space of a pipe (capacity minus queued bytes); 0 for other descriptors, where Linux
/// does not say.
fn write_space(fd: RawFd) -> i64 {
    // SAFETY: F_GETPIPE_SZ only reads a size; a number closed or reused since the wait is
    // handled as in `read_bytes`.
    let cap = match unsafe { bsd_sys::fd::fcntl(fd, libc::F_GETPIPE_SZ, 0) } {
        Ok(cap) => i64::from(cap),
        Err(_) => return 0,
    };
    (cap - read_bytes(fd)).max(0)
}

/// The `data` of a Read or Write event until the caller asks for it (never a real count, which
/// is not negative).
const DEFERRED: i64 = i64::MIN;

/// Bytes readable on `fd` (`FIONREAD`); 0 when Linux does not say.
fn read_bytes(fd: RawFd) -> i64 {
    // SAFETY: FIONREAD only reads a count. The number may have been closed since the wait (then
    // EBADF gives 0) or reused (then it describes the new file, as the crate docs say); nothing
    // is written to, closed or changed.
    i64::from(
        unsafe { bsd_sys::fd::ioctl_fionread(fd) }
            .unwrap_or(0)
            .max(0),
    )
}

/// The event's `data`, asking the kernel now for a Read or Write count left [`DEFERRED`].
pub(crate) fn event_data(ev: &Event) -> i64 {
    if !is_deferred(ev) {
        return ev.data;
    }
    let Ok(fd) = RawFd::try_from(ev.ident) else {
        return 0;
    };
    if ev.filter == EVFILT_READ {
        read_bytes(fd)
    } else {
        write_space(fd)
    }
}

/// The event's `data` is a count not read yet.
pub(crate) fn is_deferred(ev: &Event) -> bool {
    ev.data == DEFERRED && matches!(ev.filter, EVFILT_READ | EVFILT_WRITE)
}

/// A `wait(2)` status word from what `waitid` reports.
fn wait_status(state: sys::ChildState) -> i64 {
    let status = i64::from(state.status & 0xff);
    match state.code {
        libc::CLD_EXITED => status << 8,
        libc::CLD_KILLED => status,
        libc::CLD_DUMPED => status | 0x80,
        _ => -1,
    }
}

impl Registry {
    fn fd_entry(&mut self, fd: RawFd) -> Option<&mut FdEntry> {
        self.fds.get_mut(usize::try_from(fd).ok()?)?.as_mut()
    }

    fn alloc(&mut self) -> usize {
        if let Some(i) = self.free.pop() {
            return i;
        }
        self.slots.push(None);
        self.gens.push(0);
        self.slots.len() - 1
    }

    fn remove_helper(&mut self, ep: RawFd, slot: usize) {
        if let Some(h) = self.slots[slot].take() {
            self.keys.remove(&(h.filter, h.ident));
            if h.in_epoll {
                let _ = epoll_ctl(ep, libc::EPOLL_CTL_DEL, h.file.as_raw_fd(), 0, 0);
            }
            self.gens[slot] = self.gens[slot].wrapping_add(1);
            self.free.push(slot);
        }
    }

    fn apply_fd(&mut self, ep: RawFd, c: &RawChange) -> Result<(), Errno> {
        let fd = RawFd::try_from(c.ident).map_err(|_| Errno::BADF)?;
        if fd < 0 {
            return Err(Errno::BADF);
        }
        if c.flags & DELETE != 0 {
            let e = self.fd_entry(fd).ok_or(Errno::NOENT)?;
            e.slot(c.filter).take().ok_or(Errno::NOENT)?;
            let r = sync_fd(ep, fd, e);
            if e.is_empty() {
                self.fds[fd as usize] = None;
            }
            return r;
        }
        if c.flags & ADD != 0 {
            let i = fd as usize;
            if self.fds.len() <= i {
                // Grow the table only for an open descriptor (numbers of open descriptors are
                // bounded by RLIMIT_NOFILE); a bogus number fails here with EBADF.
                // SAFETY: F_GETFD only queries the descriptor table.
                unsafe { bsd_sys::fd::fcntl_getfd(fd) }?;
                self.fds.resize_with(i + 1, || None);
            }
            let e = self.fds[i].get_or_insert_with(FdEntry::default);
            let slot = e.slot(c.filter);
            let prev = slot.replace(Interest::new(c.flags, c.token));
            if let Err(err) = sync_fd(ep, fd, e) {
                *e.slot(c.filter) = prev;
                if e.is_empty() {
                    self.fds[fd as usize] = None;
                }
                return Err(err);
            }
            return Ok(());
        }
        let e = self.fd_entry(fd).ok_or(Errno::NOENT)?;
        let i = e.slot(c.filter).as_mut().ok_or(Errno::NOENT)?;
        if c.flags & ENABLE != 0 {
            i.enabled = true;
        }
        if c.flags & DISABLE != 0 {
            i.enabled = false;
        }
        sync_fd(ep, fd, e)
    }

    fn create_helper(&mut self, c: &RawChange) -> Result<(File, Kind), Errno> {
        let cloexec_nb = libc::O_CLOEXEC | libc::O_NONBLOCK;
        Ok(match c.filter {
            EVFILT_TIMER => {
                let fd = sys::timerfd_create(libc::CLOCK_MONOTONIC, cloexec_nb)?;
                let file = File::from(owned(fd));
                arm_timer(&file, c.data, c.flags & ONESHOT != 0)?;
                (file, Kind::Timer)
            }
            EVFILT_SIGNAL => {
                let sig = i32::try_from(c.ident)
                    .ok()
                    .and_then(|n| Signal::from_raw(n).ok())
                    .ok_or(Errno::INVAL)?;
                (
                    File::from(owned(sys::signalfd(sig, cloexec_nb)?)),
                    Kind::Signal,
                )
            }
            EVFILT_PROC => {
                let pid = i32::try_from(c.ident).map_err(|_| Errno::SRCH)?;
                (
                    File::from(owned(sys::pidfd_open(Pid::from_raw(pid), 0)?)),
                    Kind::Proc,
                )
            }
            EVFILT_USER => {
                let file = File::from(owned(sys::eventfd(0, cloexec_nb)?));
                (file, Kind::User { fflags: 0 })
            }
            EVFILT_VNODE => {
                let fd = RawFd::try_from(c.ident).map_err(|_| Errno::BADF)?;
                let file = File::from(owned(sys::inotify_init1(cloexec_nb)?));
                watch_fd(&file, fd, c.fflags)?;
                (file, Kind::Vnode { notes: c.fflags })
            }
            _ => return Err(Errno::INVAL),
        })
    }

    /// Per-change effects of an ADD on an existing helper, or of a plain modification.
    fn touch_helper(h: &mut Helper, c: &RawChange) -> Result<(), Errno> {
        match &mut h.kind {
            Kind::User { fflags } => {
                *fflags = apply_fflags(*fflags, c.fflags);
                if c.fflags & NOTE_TRIGGER != 0 {
                    match (&h.file).write(&1u64.to_ne_bytes()) {
                        Ok(_) => {}
                        // The counter is saturated: the event is already pending.
                        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                        Err(e) => {
                            return Err(Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)))
                        }
                    }
                }
            }
            Kind::Timer if c.flags & ADD != 0 => {
                arm_timer(&h.file, c.data, c.flags & ONESHOT != 0)?
            }
            Kind::Vnode { notes } if c.flags & ADD != 0 => {
                let fd = RawFd::try_from(c.ident).map_err(|_| Errno::BADF)?;
                watch_fd(&h.file, fd, c.fflags)?;
                *notes = c.fflags;
            }
            _ => {}
        }
        Ok(())
    }

    fn apply_helper(&mut self, ep: RawFd, c: &RawChange) -> Result<(), Errno> {
        let key = (c.filter, c.ident);
        let existing = self.keys.get(&key).copied();
        if c.flags & DELETE != 0 {
            let slot = existing.ok_or(Errno::NOENT)?;
            self.remove_helper(ep, slot);
            return Ok(());
        }
        let slot = match existing {
            Some(slot) => slot,
            None if c.flags & ADD != 0 => {
                let (file, kind) = self.create_helper(c)?;
                let slot = self.alloc();
                let gen = self.gens[slot];
                let interest = Interest {
                    flags: c.flags & KEPT,
                    enabled: false,
                    token: c.token,
                };
                self.slots[slot] = Some(Helper {
                    filter: c.filter,
                    ident: c.ident,
                    file,
                    interest,
                    kind,
                    gen,
                    in_epoll: false,
                });
                self.keys.insert(key, slot);
                slot
            }
            None => return Err(Errno::NOENT),
        };
        let h = self.slots[slot].as_mut().ok_or(Errno::NOENT)?;
        if c.flags & ADD != 0 {
            h.interest.flags = c.flags & KEPT;
            h.interest.token = c.token;
            h.interest.enabled = true;
        }
        if c.flags & ENABLE != 0 {
            h.interest.enabled = true;
        }
        if c.flags & DISABLE != 0 {
            h.interest.enabled = false;
        }
        let r = Registry::touch_helper(h, c).and_then(|()| sync_helper(ep, slot, h));
        if r.is_err() && existing.is_none() {
            self.remove_helper(ep, slot);
        }
        r
    }

    /// Turns one ready helper into at most one event; applies ONESHOT/DISPATCH/CLEAR.
    fn report_helper(&mut self, ep: RawFd, key: u64, out: &mut Vec<Event>) {
        let slot = (key & 0xffff_ffff) as usize;
        let gen = ((key >> 32) & 0x7fff_ffff) as u32;
        let Some(Some(h)) = self.slots.get_mut(slot) else {
            return;
        };
        if h.gen & 0x7fff_ffff != gen || !h.interest.enabled {
            return;
        }
        let mut ev = Event {
            ident: h.ident,
            filter: h.filter,
            flags: 0,
            fflags: 0,
            data: 0,
            token: h.interest.token,
        };
        let mut remove = h.interest.flags & ONESHOT != 0;
        match &mut h.kind {
            Kind::Timer => {
                let mut b = [0u8; 8];
                match (&h.file).read(&mut b) {
                    Ok(8) => ev.data = u64::from_ne_bytes(b).min(i64::MAX as u64) as i64,
                    _ => return,
                }
            }
            Kind::Signal => {
                let mut b = [0u8; 128 * 16];
                let mut count = 0i64;
                while let Ok(n) = (&h.file).read(&mut b) {
                    count += (n / 128) as i64;
                    if n < b.len() {
                        break;
                    }
                }
                if count == 0 {
                    return;
                }
                ev.data = count;
            }
            Kind::Proc => {
                // SAFETY: the pidfd is ours.
                match unsafe { sys::pidfd_child_state(h.file.as_raw_fd()) } {
                    Ok(Some(state)) => ev.data = wait_status(state),
                    Ok(None) => return,
                    // Not our child: the exit is known, the status is not.
                    Err(_) => ev.data = -1,
                }
                ev.fflags = crate::ProcNotes::EXIT.bits();
                ev.flags |= EV_EOF;
                remove = true;
            }
            Kind::User { fflags } => {
                ev.fflags = *fflags;
                if h.interest.flags & CLEAR != 0 {
                    let mut b = [0u8; 8];
                    let _ = (&h.file).read(&mut b);
                    *fflags = 0;
                }
            }
            Kind::Vnode { notes } => {
                ev.fflags = vnode_notes(&h.file, *notes);
                if ev.fflags == 0 {
                    return;
                }
            }
        }
        out.push(ev);
        if remove {
            self.remove_helper(ep, slot);
        } else if h.interest.flags & DISPATCH != 0 {
            h.interest.enabled = false;
            let _ = sync_helper(ep, slot, h);
        }
    }

    /// Turns one ready descriptor into its Read / Write / Except events.
    ///
    /// Read and Write `data` is left [`DEFERRED`]: [`event_data`] asks the kernel only when the
    /// caller reads it, which keeps a wait at one system call.
    fn report_fd(&mut self, ep: RawFd, fd: RawFd, events: u32, out: &mut Vec<Event>) {
        let Some(e) = self.fd_entry(fd) else {
            return;
        };
        let mut changed = false;
        let mut push = |slot: &mut Option<Interest>, filter: i16, data: i64, flags: u16| {
            let Some(i) = slot.as_mut().filter(|i| i.enabled) else {
                return;
            };
            out.push(Event {
                ident: fd as u64,
                filter,
                flags,
                fflags: 0,
                data,
                token: i.token,
            });
            if i.flags & ONESHOT != 0 {
                *slot = None;
                changed = true;
            } else if i.flags & DISPATCH != 0 {
                i.enabled = false;
                changed = true;
            }
        };
        if events & IN_EVENTS != 0 {
            let eof = if events & HUP_EVENTS != 0 { EV_EOF } else { 0 };
            push(&mut e.read, EVFILT_READ, DEFERRED, eof);
        }
        if events & OUT_EVENTS != 0 {
            let eof = if events & (libc::EPOLLHUP | libc::EPOLLERR) as u32 != 0 {
                EV_EOF
            } else {
                0
            };
            push(&mut e.write, EVFILT_WRITE, DEFERRED, eof);
        }
        if events & libc::EPOLLPRI as u32 != 0 {
            push(&mut e.except, EVFILT_EXCEPT, 0, 0);
        }
        if changed {
            let _ = sync_fd(ep, fd, e);
            if e.is_empty() {
                self.fds[fd as usize] = None;
            }
        }
    }
}

impl Sys {
    pub(crate) fn new() -> Result<Sys, Errno> {
        let ep = owned(sys::epoll_create1(libc::EPOLL_CLOEXEC)?);
        Ok(Sys {
            ep,
            reg: Mutex::new(Registry::default()),
        })
    }

    pub(crate) fn fd(&self) -> BorrowedFd<'_> {
        self.ep.as_fd()
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        // A panic while holding the lock leaves the registry consistent enough to continue.
        self.reg.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn apply(
        &self,
        changes: &[RawChange],
        results: &mut Vec<Result<(), Errno>>,
    ) -> Result<(), Errno> {
        let ep = self.ep.as_raw_fd();
        let mut reg = self.lock();
        for c in changes {
            results.push(match c.filter {
                EVFILT_READ | EVFILT_WRITE | EVFILT_EXCEPT => reg.apply_fd(ep, c),
                _ => reg.apply_helper(ep, c),
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
        let ms = match timeout {
            None => -1,
            // Round up, so a short timeout never becomes a busy poll.
            Some(d) => {
                let ms = d
                    .as_secs()
                    .saturating_mul(1000)
                    .saturating_add(u64::from(d.subsec_nanos().div_ceil(1_000_000)));
                i32::try_from(ms).unwrap_or(i32::MAX)
            }
        };
        let ep = self.ep.as_raw_fd();
        // SAFETY: `ep` is our epoll descriptor.
        let n = unsafe { sys::epoll_pwait(ep, &mut buf.raw, ms) }?;
        let mut reg = self.lock();
        for ev in &buf.raw[..n] {
            let (events, key) = (ev.events, ev.u64);
            if key & HELPER != 0 {
                reg.report_helper(ep, key, out);
            } else {
                reg.report_fd(ep, key as u32 as RawFd, events, out);
            }
        }
        Ok(())
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
        let mut r = Vec::with_capacity(1);
        self.apply(&[c], &mut r)?;
        r.pop().unwrap_or(Err(Errno::INVAL))
    }
}
