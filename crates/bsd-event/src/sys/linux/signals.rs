//! `EVFILT_SIGNAL`: one signalfd whose mask is the set of registered signals. Reading it
//! consumes the signals; the counts live here. Signal events carry `EV_CLEAR` (OpenBSD
//! `filt_sigattach` rev 1.205: "automatically set"; DragonFly `filt_sigattach` in
//! `sys/kern/kern_sig.c`).

use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use bsd_sys::event as sys;
use bsd_sys::libc;
use bsd_sys::{Errno, Signal};

use super::{owned, stored_flags, watch_helper, Sink, ADD, CLEAR, DELETE, DISABLE, DISPATCH};
use super::{ENABLE, KEY_SIGNALS, ONESHOT};
use crate::consts::*;
use crate::filter::RawChange;
use crate::Event;

#[derive(Clone, Copy, Debug)]
struct Sig {
    flags: u16,
    enabled: bool,
    token: u64,
    count: u64,
}

#[derive(Debug)]
pub(super) struct Signals {
    sfd: OwnedFd,
    /// Bit `n - 1` for signal `n`.
    mask: u64,
    regs: [Option<Sig>; 64],
}

const FLAGS: i32 = libc::O_CLOEXEC | libc::O_NONBLOCK;

impl Signals {
    pub(super) fn new(ep: RawFd) -> Result<Signals, Errno> {
        // SAFETY: -1 asks for a new descriptor.
        let sfd = owned(unsafe { sys::signalfd_mask(-1, 0, FLAGS) }?);
        watch_helper(ep, &sfd, KEY_SIGNALS)?;
        Ok(Signals {
            sfd,
            mask: 0,
            regs: [None; 64],
        })
    }

    fn set_mask(&mut self, mask: u64) -> Result<(), Errno> {
        // SAFETY: the signalfd is ours.
        unsafe { sys::signalfd_mask(self.sfd.as_raw_fd(), mask, FLAGS) }?;
        self.mask = mask;
        Ok(())
    }

    pub(super) fn apply(&mut self, c: &RawChange) -> Result<(), Errno> {
        let n = i32::try_from(c.ident)
            .ok()
            .and_then(|n| Signal::from_raw(n).ok())
            .map(|s| s.raw())
            .filter(|&n| (1..=64).contains(&n))
            .ok_or(Errno::INVAL)?;
        let i = (n - 1) as usize;
        let bit = 1u64 << i;
        if c.flags & DELETE != 0 {
            self.regs[i].take().ok_or(Errno::NOENT)?;
            return self.set_mask(self.mask & !bit);
        }
        if self.regs[i].is_none() {
            if c.flags & ADD == 0 {
                return Err(Errno::NOENT);
            }
            self.set_mask(self.mask | bit)?;
            self.regs[i] = Some(Sig {
                flags: stored_flags(c.flags) | CLEAR,
                enabled: true,
                token: c.token,
                count: 0,
            });
        }
        let Some(s) = self.regs[i].as_mut() else {
            return Err(Errno::NOENT);
        };
        if c.flags & ADD != 0 {
            s.token = c.token;
        }
        if c.flags & ENABLE != 0 {
            s.enabled = true;
        }
        if c.flags & DISABLE != 0 {
            s.enabled = false;
        }
        Ok(())
    }

    /// Reads every pending signal and counts it.
    pub(super) fn drain(&mut self) {
        // struct signalfd_siginfo: 128 bytes, `ssi_signo` (u32) first.
        let mut b = [0u8; 128 * 16];
        loop {
            // SAFETY: reading our signalfd only consumes pending signals of its mask.
            let Ok(n) = (unsafe { bsd_sys::fd::read(self.sfd.as_raw_fd(), &mut b) }) else {
                return;
            };
            for rec in b[..n].chunks_exact(128) {
                let signo = u32::from_ne_bytes([rec[0], rec[1], rec[2], rec[3]]) as usize;
                if let Some(Some(s)) = signo.checked_sub(1).and_then(|i| self.regs.get_mut(i)) {
                    s.count = s.count.saturating_add(1);
                }
            }
            if n < b.len() {
                return;
            }
        }
    }

    pub(super) fn has_ready(&self) -> bool {
        self.regs.iter().flatten().any(|s| s.enabled && s.count > 0)
    }

    pub(super) fn deliver(&mut self, sink: &mut Sink<'_>) {
        for i in 0..self.regs.len() {
            if sink.full() {
                return;
            }
            let Some(s) = self.regs[i].as_mut() else {
                continue;
            };
            if !s.enabled || s.count == 0 {
                continue;
            }
            sink.out.push(Event {
                ident: i as u64 + 1,
                filter: EVFILT_SIGNAL,
                flags: s.flags,
                fflags: 0,
                data: s.count.min(i64::MAX as u64) as i64,
                token: s.token,
            });
            s.count = 0;
            if s.flags & ONESHOT != 0 {
                self.regs[i] = None;
                let _ = self.set_mask(self.mask & !(1u64 << i));
            } else if s.flags & DISPATCH != 0 {
                s.enabled = false;
            }
        }
    }
}
