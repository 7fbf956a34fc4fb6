//! Read / Write / Except on descriptors: one epoll entry per descriptor, whose mask is the
//! union of its enabled registrations.
//!
//! Level-triggered entries are `EPOLLONESHOT` and re-armed with `EPOLL_CTL_MOD` after each
//! report: one waiter gets each report, and the re-arm fails (`EBADF`, `ENOENT`) once the
//! descriptor was closed or its number reused, which drops the registration as closing does
//! in kqueue. An entry whose registrations all have `CLEAR`, or one with a low-water mark, is
//! `EPOLLET` (not re-armed); an `fstat` checks its number still names the registered file
//! before each report ([`checks`]). Keys carry a generation, so an entry epoll still holds for
//! an old file (a `dup` keeps it alive) is recognised and ignored. A descriptor with one plain
//! Read registration is reported from a prebuilt copy ([`quick`]).
//!
//! Regular files and directories cannot be in epoll (`EPERM`): see [`regular`].

use std::os::fd::RawFd;

use bsd_sys::event as sys;
use bsd_sys::libc;
use bsd_sys::Errno;

use super::{
    epoll_ctl, stored_flags, Sink, ADD, CLEAR, DELETE, DISABLE, DISPATCH, ENABLE, ONESHOT,
};
use crate::consts::*;
use crate::filter::RawChange;
use crate::Event;

mod checks;
mod quick;
mod regular;

use self::checks::{lowat_met, lowat_of, same_file};
use self::quick::Quick;

const IN: u32 = libc::EPOLLIN as u32;
const OUT: u32 = libc::EPOLLOUT as u32;
const PRI: u32 = libc::EPOLLPRI as u32;
const RDHUP: u32 = libc::EPOLLRDHUP as u32;
const HUP: u32 = libc::EPOLLHUP as u32;
const ERR: u32 = libc::EPOLLERR as u32;
const ET: u32 = libc::EPOLLET as u32;
const ONE: u32 = libc::EPOLLONESHOT as u32;

#[derive(Clone, Copy, Debug)]
struct Interest {
    /// The flags its events carry ([`stored_flags`]).
    flags: u16,
    enabled: bool,
    token: u64,
    /// Regular files with `CLEAR`: the `data` last reported (reported again only on change).
    last: i64,
    /// `NOTE_LOWAT` on a socket: report only with this many bytes readable (Read) or free
    /// (Write); 0 for none (and for other descriptors, which ignore the mark on the BSDs).
    lowat: u32,
}

#[derive(Debug)]
struct Entry {
    read: Option<Interest>,
    write: Option<Interest>,
    except: Option<Interest>,
    gen: u32,
    in_epoll: bool,
    /// A regular file or directory (not in epoll).
    regular: bool,
    /// The socket's pending error, taken once from `SO_ERROR` (which clears it) and reported
    /// with every later EOF, as kqueue reports `so_error`.
    so_error: u32,
    /// Only Except is enabled and the descriptor hung up: left disarmed (no more OOB data can
    /// arrive) until a change re-arms it.
    hup_parked: bool,
    /// [`Entry::compute_mask`] as of the last [`Entry::refresh`].
    mask: u32,
    /// The registered file (`st_dev`, `st_ino`), to tell it from another file that got the
    /// number after a close where no re-arm can (edge-triggered entries, regular files).
    file: (u64, u64),
}

impl Entry {
    fn new(gen: u32, file: (u64, u64)) -> Entry {
        Entry {
            file,
            read: None,
            write: None,
            except: None,
            gen,
            in_epoll: false,
            regular: false,
            so_error: 0,
            hup_parked: false,
            mask: ONE,
        }
    }

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

    /// Edge-triggered: every enabled registration has `CLEAR` (and there is one), or one has a
    /// low-water mark. A mark not met must not re-arm the entry (epoll would report it again
    /// at once, a busy loop): the entry waits for the next change of the descriptor instead,
    /// and level-triggered registrations on it are re-armed only after they were reported
    /// ([`Fds::report_slow`]).
    fn edge(&self) -> bool {
        if self.lowat_mode() {
            return true;
        }
        let mut any = false;
        for i in [self.read, self.write, self.except].into_iter().flatten() {
            if i.enabled {
                if i.flags & CLEAR == 0 {
                    return false;
                }
                any = true;
            }
        }
        any
    }

    fn lowat_mode(&self) -> bool {
        [self.read, self.write]
            .into_iter()
            .flatten()
            .any(|i| i.enabled && i.lowat > 0)
    }

    fn mask(&self) -> u32 {
        self.mask
    }

    fn refresh(&mut self) {
        self.mask = self.compute_mask();
    }

    fn compute_mask(&self) -> u32 {
        let on = |i: Option<Interest>| i.is_some_and(|i| i.enabled);
        let mut bits = 0;
        if on(self.read) {
            bits |= IN | RDHUP;
        }
        if on(self.write) {
            bits |= OUT;
        }
        if on(self.except) && !self.hup_parked {
            bits |= PRI;
        }
        if bits == 0 {
            // Parked: a disarmed one-shot entry reports nothing (bar one HUP/ERR, ignored).
            ONE
        } else if self.edge() {
            bits | ET
        } else {
            bits | ONE
        }
    }

    fn key(&self, fd: RawFd) -> u64 {
        (u64::from(self.gen) << 32) | u64::from(fd as u32)
    }
}

/// Puts the entry in epoll with its current mask (or updates it).
fn sync(ep: RawFd, fd: RawFd, e: &mut Entry) -> Result<(), Errno> {
    e.refresh();
    sync_mask(ep, fd, e, e.mask())
}

fn sync_mask(ep: RawFd, fd: RawFd, e: &mut Entry, mask: u32) -> Result<(), Errno> {
    let key = e.key(fd);
    let r = if e.in_epoll {
        epoll_ctl(ep, libc::EPOLL_CTL_MOD, fd, mask, key)
    } else {
        match epoll_ctl(ep, libc::EPOLL_CTL_ADD, fd, mask, key) {
            // Left over from a registration dropped meanwhile, on the same file.
            Err(Errno::EXIST) => epoll_ctl(ep, libc::EPOLL_CTL_MOD, fd, mask, key),
            r => r,
        }
    };
    if r.is_ok() {
        e.in_epoll = true;
    }
    r
}

/// The registrations on descriptors, indexed by descriptor number (small and dense).
#[derive(Debug, Default)]
pub(super) struct Fds {
    table: Vec<Option<Entry>>,
    /// Indexed like `table`: [`Entry::quick`] of each entry as of its last change.
    quick: Vec<Quick>,
    next_gen: u32,
    /// Descriptors whose entry is `regular`.
    regular: Vec<RawFd>,
}

impl Fds {
    fn entry(&mut self, fd: RawFd) -> Option<&mut Entry> {
        self.table.get_mut(usize::try_from(fd).ok()?)?.as_mut()
    }

    #[cold]
    #[inline(never)]
    fn drop_entry(&mut self, fd: RawFd) {
        if let Some(slot) = usize::try_from(fd).ok().and_then(|i| self.table.get_mut(i)) {
            if slot.take().is_some_and(|e| e.regular) {
                self.regular.retain(|&r| r != fd);
            }
        }
        self.requick(fd);
    }

    pub(super) fn apply(&mut self, ep: RawFd, c: &RawChange) -> Result<(), Errno> {
        let fd = RawFd::try_from(c.ident).map_err(|_| Errno::BADF)?;
        if fd < 0 {
            return Err(Errno::BADF);
        }
        let r = self.apply_to(ep, fd, c);
        self.requick(fd);
        r
    }

    fn apply_to(&mut self, ep: RawFd, fd: RawFd, c: &RawChange) -> Result<(), Errno> {
        if c.filter == EVFILT_EXCEPT {
            self.check_except(fd)?;
        }
        // A number closed (and perhaps reused) since it was registered: what was registered
        // went with the old file, as kqueue drops knotes on close.
        if let Some(e) = self.entry(fd) {
            let stale = if e.regular {
                !same_file(fd, e.file)
            } else {
                e.in_epoll
                    && matches!(
                        epoll_ctl(ep, libc::EPOLL_CTL_MOD, fd, e.mask(), e.key(fd)),
                        Err(Errno::BADF | Errno::NOENT)
                    )
            };
            if stale {
                self.drop_entry(fd);
            }
        }
        if c.flags & DELETE != 0 {
            return self.delete(ep, fd, c.filter);
        }
        if c.flags & ADD != 0 {
            return self.add(ep, fd, c);
        }
        let e = self.entry(fd).ok_or(Errno::NOENT)?;
        let i = e.slot(c.filter).as_mut().ok_or(Errno::NOENT)?;
        if c.flags & ENABLE != 0 {
            i.enabled = true;
            i.last = i64::MIN;
        }
        if c.flags & DISABLE != 0 {
            i.enabled = false;
        }
        if c.flags & ENABLE != 0 {
            e.hup_parked = false;
        }
        if e.regular {
            return Ok(());
        }
        let r = sync(ep, fd, e);
        if r.is_err() {
            self.drop_entry(fd);
        }
        r
    }

    /// kqueue takes Except on sockets only here: OpenBSD refuses it on files (`ufs_kqfilter`,
    /// `sys/ufs/ufs/ufs_vnops.c`) and pipes (`pipe_kqfilter`, `sys/kern/sys_pipe.c` rev 1.149)
    /// with `EINVAL` (DragonFly with `EOPNOTSUPP`).
    fn check_except(&self, fd: RawFd) -> Result<(), Errno> {
        // SAFETY: fstat only reads the descriptor's metadata.
        let info = unsafe { sys::file_info(fd) }?;
        let kind = info.mode & libc::S_IFMT;
        if kind == libc::S_IFREG || kind == libc::S_IFDIR || kind == libc::S_IFIFO {
            return Err(Errno::INVAL);
        }
        Ok(())
    }

    fn delete(&mut self, ep: RawFd, fd: RawFd, filter: i16) -> Result<(), Errno> {
        let Some(e) = self.entry(fd) else {
            // Nothing registered: EBADF for a closed number, as kqueue looks the file up first.
            // SAFETY: F_GETFD only queries the descriptor table.
            unsafe { bsd_sys::fd::fcntl_getfd(fd) }?;
            return Err(Errno::NOENT);
        };
        e.slot(filter).take().ok_or(Errno::NOENT)?;
        if e.regular {
            if e.is_empty() {
                self.drop_entry(fd);
            }
            return Ok(());
        }
        let r = if e.is_empty() {
            epoll_ctl(ep, libc::EPOLL_CTL_DEL, fd, 0, 0)
        } else {
            sync(ep, fd, e)
        };
        if r.is_err() || self.entry(fd).is_some_and(|e| e.is_empty()) {
            self.drop_entry(fd);
        }
        r
    }

    fn add(&mut self, ep: RawFd, fd: RawFd, c: &RawChange) -> Result<(), Errno> {
        let lowat = lowat_of(fd, c)?;
        let i = fd as usize;
        if self.table.len() <= i {
            // Grow the table only for an open descriptor (numbers of open descriptors are
            // bounded by RLIMIT_NOFILE); a bogus number fails here with EBADF.
            // SAFETY: F_GETFD only queries the descriptor table.
            unsafe { bsd_sys::fd::fcntl_getfd(fd) }?;
            self.table.resize_with(i + 1, || None);
        }
        let fresh = self.table[i].is_none();
        if fresh {
            // SAFETY: fstat only reads the descriptor's metadata.
            let info = unsafe { sys::file_info(fd) }?;
            // Never 0, so no key is 0; never the top bit, which marks helper keys.
            self.next_gen = self.next_gen % 0x7fff_ffff + 1;
            self.table[i] = Some(Entry::new(self.next_gen, (info.dev, info.ino)));
        }
        let Some(e) = self.table[i].as_mut() else {
            return Err(Errno::NOENT);
        };
        let slot = e.slot(c.filter);
        let prev = *slot;
        match slot {
            // kqueue keeps the flags of the first ADD and updates the token.
            Some(i) => i.token = c.token,
            None => {
                *slot = Some(Interest {
                    flags: stored_flags(c.flags),
                    enabled: true,
                    token: c.token,
                    last: i64::MIN,
                    lowat: 0,
                })
            }
        }
        if let Some(i) = slot.as_mut() {
            // Like kqueue, every ADD sets the filter's flags and data anew (`knote_assign`).
            i.lowat = lowat;
            if c.flags & ENABLE != 0 {
                i.enabled = true;
                i.last = i64::MIN;
            }
            if c.flags & DISABLE != 0 {
                i.enabled = false;
            }
        }
        e.hup_parked = false;
        if e.regular {
            return Ok(());
        }
        match sync(ep, fd, e) {
            Ok(()) => Ok(()),
            // Regular files and directories: always ready for kqueue, refused by epoll.
            Err(Errno::PERM) if fresh => {
                e.regular = true;
                self.regular.push(fd);
                Ok(())
            }
            Err(err) => {
                *e.slot(c.filter) = prev;
                if e.is_empty() || fresh {
                    self.drop_entry(fd);
                }
                Err(err)
            }
        }
    }

    /// Turns one ready descriptor into its Read / Write / Except events (what
    /// [`Fds::report_quick`] does not take).
    ///
    /// Read and Write `data` is left deferred: [`super::event_data`] asks the kernel only when
    /// the caller reads it, which keeps a wait at one system call.
    pub(super) fn report(&mut self, ep: RawFd, key: u64, events: u32, sink: &mut Sink<'_>) {
        let fd = key as u32 as RawFd;
        let gen = (key >> 32) as u32;
        match self.table.get(fd as u32 as usize) {
            Some(Some(e)) if e.gen == gen => {}
            _ => return,
        }
        self.report_slow(ep, fd, events, sink);
        self.requick(fd);
    }

    #[inline(never)]
    fn report_slow(&mut self, ep: RawFd, fd: RawFd, events: u32, sink: &mut Sink<'_>) {
        let Some(e) = self.entry(fd) else {
            return;
        };
        if e.regular {
            return;
        }
        let before = e.mask();
        let edge = before & ET != 0;
        let lowat = e.lowat_mode();
        let hup = events & HUP != 0;
        let read_hit = events & (IN | RDHUP | HUP | ERR) != 0
            && e.read.is_some_and(|i| i.enabled)
            && (events & (RDHUP | HUP | ERR) != 0 || lowat_met(fd, e.read, EVFILT_READ));
        let write_hit = events & (OUT | HUP | ERR) != 0
            && e.write.is_some_and(|i| i.enabled)
            && (events & (HUP | ERR) != 0 || lowat_met(fd, e.write, EVFILT_WRITE));
        let except_hit = events & PRI != 0 && e.except.is_some_and(|i| i.enabled);
        if !read_hit && !write_hit && !except_hit {
            // A hang-up seen only by Except (or by nothing enabled): kqueue reports nothing;
            // leave the one-shot entry disarmed rather than re-arm it into a busy loop.
            if hup && !edge {
                e.hup_parked = true;
            }
            return;
        }
        if events & ERR != 0 && e.so_error == 0 {
            // SAFETY: getsockopt only reads (and clears) the socket's error; ENOTSOCK otherwise.
            if let Ok(err) = unsafe { sys::take_socket_error(fd) } {
                e.so_error = err as u32;
            }
        }
        // The socket error travels with EOF events (`kn_fflags = so_error`, OpenBSD
        // `filt_soread`/`filt_sowrite` in `sys/kern/uipc_socket.c` rev 1.385, DragonFly
        // `filt_soread` in `sys/kern/uipc_socket.c` at fcc705f5877a).
        let so_error = e.so_error;
        let first = sink.out.len();
        let mut changed = false;
        // A level-triggered registration reported on an edge-triggered entry (one with a
        // low-water mark): re-armed below, so it is reported again while its condition holds.
        let mut relevel = false;
        let mut push = |slot: &mut Option<Interest>, filter: i16, eof: bool, data: i64| {
            let Some(i) = slot.as_mut() else { return };
            let mut flags = i.flags;
            let mut fflags = 0;
            if eof {
                flags |= EV_EOF;
                fflags = so_error;
            }
            sink.out.push(Event {
                ident: fd as u64,
                filter,
                flags,
                fflags,
                data,
                token: i.token,
            });
            relevel |= i.flags & CLEAR == 0;
            if i.flags & ONESHOT != 0 {
                *slot = None;
                changed = true;
            } else if i.flags & DISPATCH != 0 {
                i.enabled = false;
                changed = true;
            }
        };
        if read_hit {
            push(
                &mut e.read,
                EVFILT_READ,
                events & (RDHUP | HUP) != 0,
                super::decode::DEFERRED,
            );
        }
        if write_hit {
            push(
                &mut e.write,
                EVFILT_WRITE,
                events & (HUP | ERR) != 0,
                super::decode::DEFERRED,
            );
        }
        if except_hit {
            push(&mut e.except, EVFILT_EXCEPT, false, 0);
        }
        // Check the descriptor is still the one registered before handing the events out: the
        // re-arm of a one-shot entry does it; an edge-triggered entry is not re-armed.
        let gone = |r: Result<(), Errno>| matches!(r, Err(Errno::BADF | Errno::NOENT));
        let alive = if changed && e.is_empty() {
            !gone(epoll_ctl(ep, libc::EPOLL_CTL_DEL, fd, 0, 0))
        } else if !edge {
            if changed {
                e.refresh();
            }
            !gone(sync_mask(ep, fd, e, e.mask()))
        } else if relevel && lowat {
            // The re-arm checks the number, too.
            !gone(sync(ep, fd, e))
        } else {
            let open = same_file(fd, e.file);
            // A DISPATCH or ONESHOT registration changed the mask.
            open && (!changed
                || e.compute_mask() == before && {
                    e.refresh();
                    true
                }
                || !gone(sync(ep, fd, e)))
        };
        if !alive {
            sink.out.truncate(first);
            self.drop_entry(fd);
        } else if changed && e.is_empty() {
            self.drop_entry(fd);
        }
    }
}
