//! Change flags and per-filter note flags.

use bitflags::bitflags;

bitflags! {
    /// What a [`Change`](crate::Change) does (`EV_*` in `struct kevent`'s `flags`), and, on an
    /// [`Event`](crate::Event), what the kernel reports (`EOF`, `ERROR`).
    ///
    /// Unknown bits read back from the kernel are kept.
    ///
    /// # References
    /// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2)
    /// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct EvFlags: u16 {
        /// `EV_ADD`: register the filter (or update an existing registration).
        const ADD = 0x0001;
        /// `EV_DELETE`: remove the registration.
        const DELETE = 0x0002;
        /// `EV_ENABLE`: let a disabled registration report events again.
        const ENABLE = 0x0004;
        /// `EV_DISABLE`: keep the registration but report nothing.
        const DISABLE = 0x0008;
        /// `EV_ONESHOT`: report the first event, then delete the registration.
        const ONESHOT = 0x0010;
        /// `EV_CLEAR`: reset the state after the event is retrieved (edge-triggered).
        const CLEAR = 0x0020;
        /// `EV_RECEIPT`: return a receipt per change; [`Kqueue::apply`](crate::Kqueue::apply)
        /// always sets it.
        const RECEIPT = 0x0040;
        /// `EV_DISPATCH`: disable the registration after each event, until `ENABLE`.
        const DISPATCH = 0x0080;
        /// `EV_ERROR` (output): a receipt or an error for one change.
        const ERROR = 0x4000;
        /// `EV_EOF` (output): end of file, the peer closed, or the process exited.
        const EOF = 0x8000;
        const _ = !0;
    }
}

bitflags! {
    /// What an EVFILT_PROC registration watches (`NOTE_EXIT`, `NOTE_FORK`, `NOTE_EXEC`).
    ///
    /// # Platform
    /// Linux: only `EXIT` (pidfd); `FORK` and `EXEC` are refused as unsupported.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct ProcNotes: u32 {
        /// `NOTE_EXIT`: the process exited; the event carries its status.
        const EXIT = 0x8000_0000;
        /// `NOTE_FORK`: the process forked.
        const FORK = 0x4000_0000;
        /// `NOTE_EXEC`: the process called exec.
        const EXEC = 0x2000_0000;
        const _ = !0;
    }
}

bitflags! {
    /// What an EVFILT_VNODE registration watches on a file (`NOTE_DELETE`, ...).
    ///
    /// # Platform
    /// Linux derives these from inotify events and `fstat` (see the crate docs' table):
    /// `DELETE` and `LINK` from the link count, `EXTEND` from the size, `REVOKE` on unmount.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct VnodeNotes: u32 {
        /// `NOTE_DELETE`: the file was unlinked.
        const DELETE = 0x0001;
        /// `NOTE_WRITE`: the file was written.
        const WRITE = 0x0002;
        /// `NOTE_EXTEND`: the file grew.
        const EXTEND = 0x0004;
        /// `NOTE_ATTRIB`: its attributes changed.
        const ATTRIB = 0x0008;
        /// `NOTE_LINK`: its link count changed.
        const LINK = 0x0010;
        /// `NOTE_RENAME`: it was renamed.
        const RENAME = 0x0020;
        /// `NOTE_REVOKE`: access was revoked (or its file system unmounted).
        const REVOKE = 0x0040;
        /// `NOTE_TRUNCATE`: the file was truncated (it shrank; OpenBSD posts it with `ATTRIB`
        /// from `ufs_setattr`, `sys/ufs/ufs/ufs_vnops.c` rev 1.79). OpenBSD (`sys/sys/event.h`
        /// rev 1.74: 0x0080) and the Linux emulation; DragonFly has no such note.
        #[cfg(any(target_os = "openbsd", target_os = "linux"))]
        #[doc(alias = "NOTE_TRUNCATE")]
        const TRUNCATE = 0x0080;
        const _ = !0;
    }
}

/// What an EVFILT_USER change does to the event's 24 user flag bits (`NOTE_FF*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum UserFflags {
    /// `NOTE_FFNOP`: leave them.
    #[default]
    Nop,
    /// `NOTE_FFAND`: AND them with the value.
    And(u32),
    /// `NOTE_FFOR`: OR them with the value.
    Or(u32),
    /// `NOTE_FFCOPY`: replace them with the value.
    Copy(u32),
}

impl UserFflags {
    /// The `fflags` word: control bits plus the low 24 bits of the value.
    pub(crate) fn raw(self) -> u32 {
        use crate::consts::{NOTE_FFAND, NOTE_FFCOPY, NOTE_FFLAGSMASK, NOTE_FFOR};
        match self {
            UserFflags::Nop => 0,
            UserFflags::And(v) => NOTE_FFAND | (v & NOTE_FFLAGSMASK),
            UserFflags::Or(v) => NOTE_FFOR | (v & NOTE_FFLAGSMASK),
            UserFflags::Copy(v) => NOTE_FFCOPY | (v & NOTE_FFLAGSMASK),
        }
    }
}

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
const _: () = {
    use bsd_sys::libc;
    assert!(ProcNotes::EXIT.bits() == libc::NOTE_EXIT);
    assert!(ProcNotes::FORK.bits() == libc::NOTE_FORK);
    assert!(ProcNotes::EXEC.bits() == libc::NOTE_EXEC);
    assert!(VnodeNotes::DELETE.bits() == libc::NOTE_DELETE);
    assert!(VnodeNotes::WRITE.bits() == libc::NOTE_WRITE);
    assert!(VnodeNotes::EXTEND.bits() == libc::NOTE_EXTEND);
    assert!(VnodeNotes::ATTRIB.bits() == libc::NOTE_ATTRIB);
    assert!(VnodeNotes::LINK.bits() == libc::NOTE_LINK);
    assert!(VnodeNotes::RENAME.bits() == libc::NOTE_RENAME);
    assert!(VnodeNotes::REVOKE.bits() == libc::NOTE_REVOKE);
    #[cfg(target_os = "openbsd")]
    assert!(VnodeNotes::TRUNCATE.bits() == libc::NOTE_TRUNCATE);
    assert!(crate::consts::NOTE_LOWAT == libc::NOTE_LOWAT);
    assert!(EvFlags::EOF.bits() == libc::EV_EOF);
    assert!(EvFlags::ERROR.bits() == libc::EV_ERROR);
    assert!(EvFlags::DISPATCH.bits() == libc::EV_DISPATCH);
    assert!(EvFlags::RECEIPT.bits() == libc::EV_RECEIPT);
};
