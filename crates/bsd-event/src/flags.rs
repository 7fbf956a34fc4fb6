//! Change flags and per-filter note flags.

use bitflags::bitflags;

bitflags! {
    /// What a [`Change`](crate::Change) does (`EV_*` in `struct kevent`'s `flags`), and, on an
    /// [`Event`](crate::Event), what the kernel reports (`EOF`, `ERROR`).
    ///
    /// Unknown bits read back from the kernel are kept.
    ///
    /// # Examples
    /// ```
    /// use std::time::Duration;
    /// use bsd_event::{Change, EvFlags, Events, Filter, Kqueue};
    ///
    /// let kq = Kqueue::new()?;
    /// let change = Change::add(Filter::user_trigger(1), 10).with(EvFlags::ONESHOT);
    /// assert_eq!(change.flags, EvFlags::ADD | EvFlags::ONESHOT);
    /// kq.register(change)?;
    /// let mut events = Events::with_capacity(4);
    /// assert_eq!(kq.wait(&mut events, Some(Duration::from_secs(5)))?, 1);
    /// let flags = events.as_slice()[0].flags();
    /// assert!(flags.contains(EvFlags::ONESHOT) && !flags.contains(EvFlags::EOF));
    /// // ONESHOT: reported once, then gone.
    /// assert_eq!(kq.wait(&mut events, Some(Duration::ZERO))?, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # References
    /// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2)
    /// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
    #[doc(alias("EV_ADD", "EV_DELETE", "EV_ENABLE", "EV_DISABLE", "EV_ONESHOT", "EV_CLEAR"))]
    #[doc(alias("EV_RECEIPT", "EV_DISPATCH", "EV_ERROR", "EV_EOF"))]
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
    ///
    /// # Examples
    /// ```
    /// use bsd_event::{Change, Error, Filter, Kqueue, Pid, ProcNotes};
    ///
    /// let kq = Kqueue::new()?;
    /// let me = Pid::from_raw(std::process::id() as i32);
    /// let watch = |notes| kq.register(Change::add(Filter::Proc { pid: me, notes }, 0));
    /// watch(ProcNotes::EXIT)?;
    /// let fork = watch(ProcNotes::EXIT | ProcNotes::FORK);
    /// if cfg!(target_os = "linux") {
    ///     assert!(matches!(fork, Err(Error::Unsupported { what: "NOTE_FORK", .. })));
    /// } else {
    ///     fork?;
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # References
    /// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2) (EVFILT_PROC)
    /// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
    #[doc(alias("NOTE_EXIT", "NOTE_FORK", "NOTE_EXEC"))]
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
    ///
    /// # Examples
    /// ```
    /// use std::io::Write;
    /// use std::time::Duration;
    /// use bsd_event::{Change, EventKind, Events, Filter, Kqueue, VnodeNotes};
    ///
    /// let path = std::env::temp_dir().join(format!("bsd-event-vnode-{}", std::process::id()));
    /// let mut file = std::fs::File::create(&path)?;
    /// let kq = Kqueue::new()?;
    /// let notes = VnodeNotes::WRITE | VnodeNotes::EXTEND | VnodeNotes::DELETE;
    /// kq.register(Change::add(Filter::vnode(&file, notes), 1).with(bsd_event::EvFlags::CLEAR))?;
    /// file.write_all(b"more")?;
    /// let mut events = Events::with_capacity(4);
    /// kq.wait(&mut events, Some(Duration::from_secs(5)))?;
    /// std::fs::remove_file(&path)?;
    /// match events.iter().next().expect("a change").kind()? {
    ///     EventKind::Vnode { notes, .. } => assert!(notes.contains(VnodeNotes::WRITE)),
    ///     other => panic!("expected Vnode, got {other:?}"),
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # References
    /// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2) (EVFILT_VNODE)
    /// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
    /// - [Linux inotify(7)](https://man7.org/linux/man-pages/man7/inotify.7.html)
    #[doc(alias("NOTE_DELETE", "NOTE_WRITE", "NOTE_EXTEND", "NOTE_ATTRIB", "NOTE_LINK"))]
    #[doc(alias("NOTE_RENAME", "NOTE_REVOKE"))]
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
///
/// Only the low 24 bits of a value count (`NOTE_FFLAGSMASK`); the rest are dropped.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use bsd_event::{Change, EvFlags, EventKind, Events, Filter, Kqueue, UserFflags};
///
/// let kq = Kqueue::new()?;
/// let user = |fflags| Filter::User { id: 4, trigger: false, fflags };
/// kq.register(Change::add(user(UserFflags::Copy(0b0110)), 0).with(EvFlags::CLEAR))?;
/// kq.register(Change::add(user(UserFflags::Or(0b1000)), 0))?;
/// kq.register(Change::add(user(UserFflags::And(0b1100)), 0))?;
/// kq.register(Change::add(Filter::user_trigger(4), 0))?;
/// let mut events = Events::with_capacity(4);
/// kq.wait(&mut events, Some(Duration::from_secs(5)))?;
/// let kind = events.iter().next().expect("the trigger").kind()?;
/// assert_eq!(kind, EventKind::User { id: 4, fflags: 0b1100 });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2) (EVFILT_USER)
/// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
#[doc(alias("NOTE_FFNOP", "NOTE_FFAND", "NOTE_FFOR", "NOTE_FFCOPY"))]
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
