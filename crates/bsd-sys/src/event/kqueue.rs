//! kqueue(2) and kevent(2) on OpenBSD and DragonFly BSD.

use super::RawFd;
use crate::backend::imp;
use crate::{Result, Timespec};

/// One kernel event or change (`struct kevent`, 32 bytes on both BSDs at 64 bits).
///
/// # Examples
/// A one-shot timer of 5 ms. `data` is in milliseconds: always on DragonFly
/// (`filt_timerreset` in `sys/kern/kern_event.c` at the 6.4 branch point, commit 81dd9c6184,
/// has no unit flags), by default on OpenBSD (see `NOTE_SECONDS` and its siblings):
/// ```
/// use bsd_sys::{event, fd, libc, Timespec};
///
/// let kq = event::kqueue()?;
/// let timer = event::Kevent {
///     ident: 1,
///     filter: libc::EVFILT_TIMER,
///     flags: libc::EV_ADD | libc::EV_ONESHOT,
///     data: 5,
///     ..event::kevent_zeroed()
/// };
/// let mut out = [event::kevent_zeroed(); 1];
/// // SAFETY: `kq` was just created and is owned here; `udata` is null.
/// let n = unsafe { event::kevent(kq, &[timer], &mut out, Some(Timespec::new(5, 0).unwrap())) }?;
/// assert_eq!((n, out[0].ident, out[0].filter), (1, 1, libc::EVFILT_TIMER));
/// assert!(out[0].data >= 1); // the number of expirations
/// // SAFETY: `kq` is owned here and not used again.
/// unsafe { fd::close(kq) }?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2)
/// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
#[doc(alias = "kevent")]
pub type Kevent = libc::kevent;

/// `NOTE_MSECONDS`: EVFILT_TIMER `data` counts milliseconds (the default).
///
/// # Platform
/// OpenBSD only; absent from the `libc` crate. Source: OpenBSD `sys/sys/event.h` rev 1.74.
#[cfg(target_os = "openbsd")]
pub const NOTE_MSECONDS: u32 = 0x0000_0000;
/// `NOTE_SECONDS`: EVFILT_TIMER `data` counts seconds.
///
/// # Platform
/// OpenBSD only; absent from the `libc` crate. Source: OpenBSD `sys/sys/event.h` rev 1.74.
#[cfg(target_os = "openbsd")]
pub const NOTE_SECONDS: u32 = 0x0000_0001;
/// `NOTE_USECONDS`: EVFILT_TIMER `data` counts microseconds.
///
/// # Platform
/// OpenBSD only; absent from the `libc` crate. Source: OpenBSD `sys/sys/event.h` rev 1.74.
#[cfg(target_os = "openbsd")]
pub const NOTE_USECONDS: u32 = 0x0000_0002;
/// `NOTE_NSECONDS`: EVFILT_TIMER `data` counts nanoseconds.
///
/// # Platform
/// OpenBSD only; absent from the `libc` crate. Source: OpenBSD `sys/sys/event.h` rev 1.74.
#[cfg(target_os = "openbsd")]
pub const NOTE_NSECONDS: u32 = 0x0000_0003;
/// `NOTE_ABSTIME`: EVFILT_TIMER `data` is an absolute time.
///
/// # Platform
/// OpenBSD only; absent from the `libc` crate. Source: OpenBSD `sys/sys/event.h` rev 1.74.
#[cfg(target_os = "openbsd")]
pub const NOTE_ABSTIME: u32 = 0x0000_0010;

// The per-OS filter numbers and flags bsd-event relies on (bsd-facts §1.13; OpenBSD
// `sys/sys/event.h` rev 1.74, DragonFly `sys/sys/event.h`): a `libc` change fails the build.
const _: () = {
    assert!(libc::EVFILT_READ == -1 && libc::EVFILT_WRITE == -2);
    assert!(libc::EVFILT_VNODE == -4 && libc::EVFILT_PROC == -5);
    assert!(libc::EVFILT_SIGNAL == -6 && libc::EVFILT_TIMER == -7);
    assert!(libc::EV_ADD == 0x1 && libc::EV_DELETE == 0x2);
    assert!(libc::EV_ENABLE == 0x4 && libc::EV_DISABLE == 0x8);
    assert!(libc::EV_ONESHOT == 0x10 && libc::EV_CLEAR == 0x20);
    assert!(libc::EV_RECEIPT == 0x40 && libc::EV_DISPATCH == 0x80);
    assert!(libc::EV_ERROR == 0x4000 && libc::EV_EOF == 0x8000);
    assert!(libc::NOTE_TRIGGER == 0x0100_0000 && libc::NOTE_FFLAGSMASK == 0x00ff_ffff);
    assert!(libc::NOTE_FFAND == 0x4000_0000 && libc::NOTE_FFOR == 0x8000_0000);
    assert!(libc::NOTE_FFCOPY == 0xc000_0000);
    assert!(libc::NOTE_EXIT == 0x8000_0000 && libc::NOTE_FORK == 0x4000_0000);
    assert!(libc::NOTE_EXEC == 0x2000_0000);
    assert!(libc::NOTE_DELETE == 0x1 && libc::NOTE_WRITE == 0x2 && libc::NOTE_EXTEND == 0x4);
    assert!(libc::NOTE_ATTRIB == 0x8 && libc::NOTE_LINK == 0x10 && libc::NOTE_RENAME == 0x20);
    assert!(libc::NOTE_REVOKE == 0x40);
};
#[cfg(target_os = "openbsd")]
const _: () = {
    assert!(libc::EVFILT_EXCEPT == -9 && libc::EVFILT_USER == -10 && libc::NOTE_OOB == 4);
};
#[cfg(target_os = "dragonfly")]
const _: () = {
    assert!(libc::EVFILT_EXCEPT == -8 && libc::EVFILT_USER == -9 && libc::NOTE_OOB == 2);
};

/// Creates a kqueue with close-on-exec set.
///
/// # Platform
/// Neither OS gets `kqueue1(2)` here: DragonFly 6.4 has no such call; OpenBSD 7.8 has it
/// (`sys_kqueue1` in `sys/kern/kern_event.c` rev 1.205) but the `libc` crate (0.2.191) binds it
/// for NetBSD only. So this is `kqueue()` followed by `fcntl(F_SETFD, FD_CLOEXEC)`. A `fork`+`exec` in another thread between the two calls can
/// inherit the descriptor. The descriptor is closed again if setting the flag fails.
///
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc};
///
/// let kq = event::kqueue()?;
/// // SAFETY: `kq` was just created and is owned here.
/// unsafe {
///     assert_eq!(fd::fcntl_getfd(kq)? & libc::FD_CLOEXEC, libc::FD_CLOEXEC);
///     fd::close(kq)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD kqueue(2)](https://man.openbsd.org/kqueue.2)
/// - [DragonFly kqueue(2)](https://man.dragonflybsd.org/?command=kqueue&section=2)
pub fn kqueue() -> Result<RawFd> {
    let kq = imp::event::kqueue()?;
    // SAFETY: `kq` was just created and is owned here.
    if let Err(err) = unsafe { crate::fd::fcntl_setfd(kq, libc::FD_CLOEXEC) } {
        // SAFETY: `kq` is owned here and never used again.
        let _ = unsafe { crate::fd::close(kq) };
        return Err(err);
    }
    Ok(kq)
}

/// Applies `changes` to kqueue `kq` and collects up to `events.len()` pending events into `events`,
/// waiting at most `timeout` (relative; `None` waits forever). Returns how many were stored.
///
/// With `EV_RECEIPT` on every change, each change produces one `EV_ERROR` entry in `events`
/// (`data` = 0 or the errno), in changelist order, and no pending event is returned. A change
/// that fails produces such an entry even without `EV_RECEIPT`, whenever `events` is not empty.
///
/// Fails with `Errno::INVAL`, before any change is applied, when `events` is not empty but
/// shorter than `changes`: every change could then produce a receipt, and the kernels do not
/// handle a full event list safely. DragonFly `kern_kevent` copies out every receipt and error
/// without checking `nevents` (it writes past the buffer: `sys/kern/kern_event.c`, still so at
/// commit fcc705f5877a of 2026-04-20); OpenBSD `sys_kevent` stops at the first change that finds
/// the list full and silently does not apply the remaining ones (`sys/kern/kern_event.c` rev
/// 1.205). With an empty `events`, a failing change makes the call itself fail with its errno
/// and the changes after it are not applied (both kernels, same functions).
///
/// # Safety
/// `kq` must be a kqueue descriptor the caller owns or borrows for the call. The `udata` of the
/// changes is stored by the kernel and handed back, never dereferenced by it. The length check
/// above is what keeps DragonFly's kernel inside `events`; callers must not bypass it.
///
/// # Examples
/// A pipe's read end becomes ready when a byte is written; for a pipe, `data` is the number of
/// bytes to read (`filt_piperead` in `sys/kern/sys_pipe.c` on both BSDs, kevent(2)):
/// ```
/// use bsd_sys::{event, fd, libc, Errno, Timespec};
///
/// let kq = event::kqueue()?;
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// let watch = event::Kevent {
///     ident: r as usize,
///     filter: libc::EVFILT_READ,
///     flags: libc::EV_ADD,
///     ..event::kevent_zeroed()
/// };
/// let mut out = [event::kevent_zeroed(); 4];
/// let poll = Some(Timespec::ZERO);
/// // SAFETY (every call below): the descriptors were just created and are owned here.
/// assert_eq!(unsafe { event::kevent(kq, &[watch], &mut out, poll) }?, 0); // nothing yet
/// assert_eq!(unsafe { fd::write(w, b"hi") }?, 2);
/// let n = unsafe { event::kevent(kq, &[], &mut out, poll) }?;
/// assert_eq!((n, out[0].ident, out[0].data), (1, r as usize, 2));
/// // Fewer slots than changes is refused before anything is applied.
/// let mut none_left = [event::kevent_zeroed(); 1];
/// let two = [watch, watch];
/// assert_eq!(unsafe { event::kevent(kq, &two, &mut none_left, poll) }, Err(Errno::INVAL));
/// for fd in [kq, r, w] {
///     unsafe { fd::close(fd) }?;
/// }
/// # Ok::<(), Errno>(())
/// ```
///
/// # References
/// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2)
/// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
pub unsafe fn kevent(
    kq: RawFd,
    changes: &[Kevent],
    events: &mut [Kevent],
    timeout: Option<Timespec>,
) -> Result<usize> {
    if !events.is_empty() && changes.len() > events.len() {
        return Err(crate::Errno::INVAL);
    }
    let nchanges = c_len(changes.len())?;
    let nevents = c_len(events.len())?;
    let ts = timeout.map(Timespec::to_raw);
    let ts_ptr = match &ts {
        Some(ts) => ts as *const libc::timespec,
        None => core::ptr::null(),
    };
    // SAFETY: the slices are valid for their lengths; the caller vouches for `kq`.
    unsafe {
        imp::event::kevent(
            kq,
            changes.as_ptr(),
            nchanges,
            events.as_mut_ptr(),
            nevents,
            ts_ptr,
        )
    }
}

/// An empty `struct kevent` (every field zero, `udata` null), to fill a receive buffer or to
/// complete a change with `..kevent_zeroed()` (see [`Kevent`] for an example).
///
/// # References
/// - [OpenBSD kevent(2)](https://man.openbsd.org/kevent.2) (`EV_SET`)
/// - [DragonFly kevent(2)](https://man.dragonflybsd.org/?command=kevent&section=2)
#[doc(alias = "EV_SET")]
#[must_use]
pub const fn kevent_zeroed() -> Kevent {
    Kevent {
        ident: 0,
        filter: 0,
        flags: 0,
        fflags: 0,
        data: 0,
        udata: core::ptr::null_mut(),
    }
}

fn c_len(n: usize) -> Result<libc::c_int> {
    libc::c_int::try_from(n).map_err(|_| crate::Errno::INVAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timer(id: usize, flags: u16) -> Kevent {
        Kevent {
            ident: id,
            filter: libc::EVFILT_TIMER,
            flags,
            fflags: 0,
            data: 1000,
            udata: core::ptr::null_mut(),
        }
    }

    // Fewer event slots than changes is refused before anything is applied; a full-size list
    // gets one EV_ERROR receipt per change, in order.
    #[test]
    fn kevent_refuses_fewer_slots_than_changes() {
        let kq = kqueue().unwrap();
        let add = libc::EV_ADD | libc::EV_RECEIPT;
        let changes = [timer(1, add), timer(2, add)];
        let mut one = [kevent_zeroed(); 1];
        // SAFETY: `kq` is the kqueue just made; the buffers are plain data.
        let r = unsafe { kevent(kq, &changes, &mut one, Some(Timespec::ZERO)) };
        assert_eq!(r, Err(crate::Errno::INVAL));
        // Nothing was applied: deleting timer 1 finds nothing.
        let del = [timer(1, libc::EV_DELETE | libc::EV_RECEIPT)];
        // SAFETY: as above.
        let n = unsafe { kevent(kq, &del, &mut one, Some(Timespec::ZERO)) }.unwrap();
        assert_eq!(n, 1);
        assert!(one[0].flags & libc::EV_ERROR != 0);
        assert_eq!(one[0].data as i32, libc::ENOENT);
        let mut two = [kevent_zeroed(); 2];
        // SAFETY: as above.
        let n = unsafe { kevent(kq, &changes, &mut two, Some(Timespec::ZERO)) }.unwrap();
        assert_eq!(n, 2);
        for (k, r) in two.iter().enumerate() {
            assert_eq!(r.ident, k + 1);
            assert!(r.flags & libc::EV_ERROR != 0 && r.data == 0, "{k}");
        }
        // SAFETY: `kq` is owned here and not used again.
        unsafe { crate::fd::close(kq) }.unwrap();
    }
}
