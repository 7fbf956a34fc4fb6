//! `EVFILT_VNODE`: one inotify instance for every watched file. A watch follows
//! `/proc/self/fd/N` to the file; inotify gives one watch per inode, shared by every
//! registration of that file. What inotify reports is turned into kqueue notes with the help
//! of `fstat` (link count, size), and a registration whose descriptor was closed, or now names
//! another file, is dropped when its file next changes.

use std::collections::HashMap;
use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use bsd_sys::event as sys;
use bsd_sys::libc;
use bsd_sys::Errno;

use super::{owned, stored_flags, watch_helper, Sink, ADD, CLEAR, DELETE, DISABLE, DISPATCH};
use super::{ENABLE, KEY_VNODES, ONESHOT};
use crate::consts::*;
use crate::filter::RawChange;
use crate::{Event, VnodeNotes};

/// Everything a vnode registration can map from; notes are picked in user space.
const MASK: u32 = libc::IN_MODIFY
    | libc::IN_ATTRIB
    | libc::IN_DELETE_SELF
    | libc::IN_MOVE_SELF
    | libc::IN_CREATE
    | libc::IN_DELETE
    | libc::IN_MOVED_FROM
    | libc::IN_MOVED_TO;

#[derive(Debug)]
struct Watch {
    notes: u32,
    flags: u16,
    enabled: bool,
    token: u64,
    wd: i32,
    dev: u64,
    ino: u64,
    nlink: u64,
    size: i64,
    /// inotify bits seen since the last report.
    raw: u32,
    /// Notes not reported yet (kept while level-triggered).
    pending: u32,
}

#[derive(Debug)]
pub(super) struct Vnodes {
    ifd: OwnedFd,
    /// By descriptor number (the registration's ident).
    map: HashMap<u64, Watch>,
    by_wd: HashMap<i32, Vec<u64>>,
}

impl Vnodes {
    pub(super) fn new(ep: RawFd) -> Result<Vnodes, Errno> {
        let ifd = owned(sys::inotify_init1(libc::O_CLOEXEC | libc::O_NONBLOCK)?);
        watch_helper(ep, &ifd, KEY_VNODES)?;
        Ok(Vnodes {
            ifd,
            map: HashMap::new(),
            by_wd: HashMap::new(),
        })
    }

    fn unwatch(&mut self, ident: u64) {
        let Some(w) = self.map.remove(&ident) else {
            return;
        };
        if let Some(list) = self.by_wd.get_mut(&w.wd) {
            list.retain(|&i| i != ident);
            if list.is_empty() {
                self.by_wd.remove(&w.wd);
                // SAFETY: the inotify descriptor is ours.
                let _ = unsafe { sys::inotify_rm_watch(self.ifd.as_raw_fd(), w.wd) };
            }
        }
    }

    pub(super) fn apply(&mut self, c: &RawChange) -> Result<(), Errno> {
        let ident = c.ident;
        let fd = RawFd::try_from(ident).map_err(|_| Errno::BADF)?;
        if fd < 0 {
            return Err(Errno::BADF);
        }
        // SAFETY: fstat only reads the descriptor's metadata.
        let info = unsafe { sys::file_info(fd) };
        // A registration whose descriptor was closed or now names another file went with it.
        let same = |w: &Watch| info.is_ok_and(|i| i.dev == w.dev && i.ino == w.ino);
        if self.map.get(&ident).is_some_and(|w| !same(w)) {
            self.unwatch(ident);
        }
        if c.flags & DELETE != 0 {
            info?;
            self.unwatch(
                self.map
                    .contains_key(&ident)
                    .then_some(ident)
                    .ok_or(Errno::NOENT)?,
            );
            return Ok(());
        }
        let info = info?;
        if !self.map.contains_key(&ident) {
            if c.flags & ADD == 0 {
                return Err(Errno::NOENT);
            }
            // Pipes and sockets have no vnode: OpenBSD `pipe_kqfilter` and `soo_kqfilter`
            // refuse the filter with EINVAL (DragonFly's with EOPNOTSUPP, see the crate docs).
            let kind = info.mode & libc::S_IFMT;
            if kind == libc::S_IFIFO || kind == libc::S_IFSOCK {
                return Err(Errno::INVAL);
            }
            let path = CString::new(format!("/proc/self/fd/{fd}")).map_err(|_| Errno::INVAL)?;
            // SAFETY: the inotify descriptor is ours.
            let wd = match unsafe { sys::inotify_add_watch(self.ifd.as_raw_fd(), &path, MASK) } {
                Ok(wd) => wd,
                Err(Errno::NOENT) => return Err(Errno::BADF),
                Err(e) => return Err(e),
            };
            self.by_wd.entry(wd).or_default().push(ident);
            self.map.insert(
                ident,
                Watch {
                    notes: c.fflags,
                    flags: stored_flags(c.flags),
                    enabled: true,
                    token: c.token,
                    wd,
                    dev: info.dev,
                    ino: info.ino,
                    nlink: info.nlink,
                    size: info.size,
                    raw: 0,
                    pending: 0,
                },
            );
        }
        let Some(w) = self.map.get_mut(&ident) else {
            return Err(Errno::NOENT);
        };
        if c.flags & ADD != 0 {
            w.notes = c.fflags;
            w.token = c.token;
        }
        if c.flags & ENABLE != 0 {
            w.enabled = true;
        }
        if c.flags & DISABLE != 0 {
            w.enabled = false;
        }
        Ok(())
    }

    /// Reads the pending inotify records into the registrations of their watches.
    pub(super) fn drain(&mut self) {
        let mut buf = [0u8; 4096];
        // SAFETY: reading our inotify descriptor only consumes its records.
        while let Ok(n) = unsafe { bsd_sys::fd::read(self.ifd.as_raw_fd(), &mut buf) } {
            let mut rest = &buf[..n];
            while rest.len() >= 16 {
                let wd = i32::from_ne_bytes([rest[0], rest[1], rest[2], rest[3]]);
                let mask = u32::from_ne_bytes([rest[4], rest[5], rest[6], rest[7]]);
                let len = u32::from_ne_bytes([rest[12], rest[13], rest[14], rest[15]]) as usize;
                rest = rest.get(16 + len..).unwrap_or(&[]);
                for ident in self.by_wd.get(&wd).into_iter().flatten() {
                    if let Some(w) = self.map.get_mut(ident) {
                        w.raw |= mask;
                    }
                }
                if mask & libc::IN_IGNORED != 0 {
                    // The kernel dropped the watch (file gone, file system unmounted).
                    self.by_wd.remove(&wd);
                }
            }
            if n == 0 {
                break;
            }
        }
        let idents: Vec<u64> = self
            .map
            .iter()
            .filter(|(_, w)| w.raw != 0)
            .map(|(&i, _)| i)
            .collect();
        for ident in idents {
            self.translate(ident);
        }
    }

    /// Turns the inotify bits of one registration into kqueue notes, as the BSD file systems
    /// post them (OpenBSD `sys/ufs/ufs/ufs_vnops.c`: `ufs_remove` NOTE_DELETE, `ufs_link`
    /// NOTE_LINK, `ufs_mkdir` NOTE_WRITE | NOTE_LINK on the parent, `ufs_create` NOTE_WRITE on
    /// the parent; a write NOTE_WRITE, plus NOTE_EXTEND when the file grew).
    fn translate(&mut self, ident: u64) {
        let Some(w) = self.map.get_mut(&ident) else {
            return;
        };
        let raw = std::mem::take(&mut w.raw);
        // SAFETY: fstat only reads metadata; EBADF once the descriptor is closed.
        let info = match unsafe { sys::file_info(ident as RawFd) } {
            Ok(i) if i.dev == w.dev && i.ino == w.ino => i,
            // Closed, or the number names another file: kqueue dropped the knote on close.
            _ => return self.unwatch(ident),
        };
        let mut got = VnodeNotes::empty();
        if raw & (libc::IN_MODIFY | libc::IN_ATTRIB) != 0 && info.size < w.size {
            // Only a truncation shrinks a file: OpenBSD `ufs_setattr` posts NOTE_ATTRIB |
            // NOTE_TRUNCATE when the new size is below the old (`sys/ufs/ufs/ufs_vnops.c`
            // rev 1.79). Linux reports it as IN_MODIFY; the size tells.
            got |= VnodeNotes::TRUNCATE | VnodeNotes::ATTRIB;
        } else if raw & libc::IN_MODIFY != 0 {
            got |= VnodeNotes::WRITE;
            if info.size > w.size {
                got |= VnodeNotes::EXTEND;
            }
        }
        if raw & libc::IN_ATTRIB != 0 {
            if info.nlink < w.nlink {
                got |= VnodeNotes::DELETE;
            } else if info.nlink > w.nlink {
                got |= VnodeNotes::LINK;
            } else {
                got |= VnodeNotes::ATTRIB;
            }
        }
        if raw & (libc::IN_CREATE | libc::IN_DELETE | libc::IN_MOVED_FROM | libc::IN_MOVED_TO) != 0
        {
            got |= VnodeNotes::WRITE;
            if raw & libc::IN_ISDIR != 0 {
                got |= VnodeNotes::LINK;
            }
        }
        if raw & libc::IN_DELETE_SELF != 0 {
            got |= VnodeNotes::DELETE;
        }
        if raw & libc::IN_MOVE_SELF != 0 {
            got |= VnodeNotes::RENAME;
        }
        if raw & libc::IN_UNMOUNT != 0 {
            got |= VnodeNotes::REVOKE;
        }
        w.nlink = info.nlink;
        w.size = info.size;
        w.pending |= got.bits() & w.notes;
    }

    pub(super) fn has_ready(&self) -> bool {
        self.map.values().any(|w| w.enabled && w.pending != 0)
    }

    pub(super) fn deliver(&mut self, sink: &mut Sink<'_>) {
        if !self.has_ready() {
            return;
        }
        let mut gone = Vec::new();
        for (&ident, w) in self.map.iter_mut() {
            if sink.full() {
                break;
            }
            if !w.enabled || w.pending == 0 {
                continue;
            }
            sink.out.push(Event {
                ident,
                filter: EVFILT_VNODE,
                flags: w.flags,
                fflags: w.pending,
                data: 0,
                token: w.token,
            });
            // Without EV_CLEAR kqueue keeps the notes and reports them again.
            if w.flags & CLEAR != 0 {
                w.pending = 0;
            }
            if w.flags & ONESHOT != 0 {
                gone.push(ident);
            } else if w.flags & DISPATCH != 0 {
                w.enabled = false;
            }
        }
        for ident in gone {
            self.unwatch(ident);
        }
    }
}
