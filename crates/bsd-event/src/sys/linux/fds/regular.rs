//! Regular files and directories, which epoll refuses (`EPERM`): evaluated at each wait as
//! kqueue's vnode filters do (readable: bytes ahead of the offset; writable: always).

use super::{same_file, Fds, Interest};
use crate::consts::*;
use crate::sys::linux::{Sink, CLEAR, DISPATCH, ONESHOT};
use crate::Event;

impl Fds {
    pub(in crate::sys::linux) fn no_regular(&self) -> bool {
        self.regular.is_empty()
    }

    /// Regular files wait for nothing: something enabled on one is ready now.
    pub(in crate::sys::linux) fn has_ready(&self) -> bool {
        self.regular.iter().any(|&fd| {
            let Some(Some(e)) = self.table.get(fd as usize) else {
                return false;
            };
            let fresh = |i: &Interest| i.enabled && (i.flags & CLEAR == 0 || i.last == i64::MIN);
            if e.write.as_ref().is_some_and(fresh) {
                return true;
            }
            e.read.as_ref().is_some_and(|i| {
                // SAFETY: FIONREAD only reads a count.
                let ahead = unsafe { bsd_sys::fd::ioctl_fionread(fd) }.unwrap_or(0);
                i.enabled && ahead > 0 && (i.flags & CLEAR == 0 || i.last != i64::from(ahead))
            })
        })
    }

    /// Reports the registrations on regular files: Read when bytes lie ahead of the offset
    /// (`FIONREAD` on a regular file is size minus offset), Write always with `data` 0, as
    /// OpenBSD `filt_ufsread`/`filt_ufswrite` (`sys/ufs/ufs/ufs_vnops.c`) and DragonFly's do.
    pub(in crate::sys::linux) fn deliver_regular(&mut self, sink: &mut Sink<'_>) {
        let mut k = 0;
        while k < self.regular.len() && !sink.full() {
            let fd = self.regular[k];
            k += 1;
            let Some(Some(e)) = self.table.get_mut(fd as usize) else {
                continue;
            };
            // SAFETY: FIONREAD only reads a count; EBADF once the descriptor is closed.
            let ahead = match unsafe { bsd_sys::fd::ioctl_fionread(fd) } {
                Ok(n) if same_file(fd, e.file) => i64::from(n.max(0)),
                _ => {
                    k -= 1;
                    self.drop_entry(fd);
                    continue;
                }
            };
            for (filter, data) in [(EVFILT_READ, ahead), (EVFILT_WRITE, 0)] {
                let slot = e.slot(filter);
                let Some(i) = slot.as_mut() else { continue };
                let ready = filter == EVFILT_WRITE || data > 0;
                if !i.enabled || !ready || (i.flags & CLEAR != 0 && i.last == data) {
                    continue;
                }
                i.last = data;
                sink.out.push(Event {
                    ident: fd as u64,
                    filter,
                    flags: i.flags,
                    fflags: 0,
                    data,
                    token: i.token,
                });
                if i.flags & ONESHOT != 0 {
                    *slot = None;
                } else if i.flags & DISPATCH != 0 {
                    i.enabled = false;
                }
            }
            if e.is_empty() {
                k -= 1;
                self.drop_entry(fd);
            }
        }
    }
}
