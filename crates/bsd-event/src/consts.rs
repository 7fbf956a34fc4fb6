//! Filter numbers and flag values: the kernel's on the BSDs, this crate's own on Linux (where the
//! emulation follows DragonFly's numbering, so no value depends on the host).

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
mod bsd {
    pub(crate) use bsd_sys::libc::{
        EVFILT_EXCEPT, EVFILT_PROC, EVFILT_READ, EVFILT_SIGNAL, EVFILT_TIMER, EVFILT_USER,
        EVFILT_VNODE, EVFILT_WRITE, NOTE_OOB,
    };
}
#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
pub(crate) use self::bsd::*;

#[cfg(target_os = "linux")]
mod linux {
    pub(crate) const EVFILT_READ: i16 = -1;
    pub(crate) const EVFILT_WRITE: i16 = -2;
    pub(crate) const EVFILT_VNODE: i16 = -4;
    pub(crate) const EVFILT_PROC: i16 = -5;
    pub(crate) const EVFILT_SIGNAL: i16 = -6;
    pub(crate) const EVFILT_TIMER: i16 = -7;
    pub(crate) const EVFILT_EXCEPT: i16 = -8;
    pub(crate) const EVFILT_USER: i16 = -9;
}
#[cfg(target_os = "linux")]
pub(crate) use self::linux::*;

// Values shared by every OS (asserted against libc in bsd-sys on the BSDs).
pub(crate) const EV_ERROR: u16 = 0x4000;
pub(crate) const EV_EOF: u16 = 0x8000;
pub(crate) const NOTE_TRIGGER: u32 = 0x0100_0000;
pub(crate) const NOTE_FFAND: u32 = 0x4000_0000;
pub(crate) const NOTE_FFOR: u32 = 0x8000_0000;
pub(crate) const NOTE_FFCOPY: u32 = 0xc000_0000;
#[cfg(target_os = "linux")]
pub(crate) const NOTE_FFCTRLMASK: u32 = 0xc000_0000;
/// The emulation's absolute-timer flag (OpenBSD's value, `sys/sys/event.h` rev 1.74).
#[cfg(target_os = "linux")]
pub(crate) const NOTE_ABSTIME: u32 = 0x0000_0010;
pub(crate) const NOTE_FFLAGSMASK: u32 = 0x00ff_ffff;
/// `NOTE_LOWAT` for Read and Write (OpenBSD `sys/sys/event.h` rev 1.74, DragonFly
/// `sys/sys/event.h` at 13d2f99beae0: 0x0001).
pub(crate) const NOTE_LOWAT: u32 = 0x0000_0001;
