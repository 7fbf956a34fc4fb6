//! `msync`: `Mapping::flush` and `Mapping::sync_range` (part of a mapping, with its flags).

use bsd_sys::libc;
use bsd_sys::{Errno, Result};

use crate::page::{page_size, round_up};
use crate::Mapping;

bitflags::bitflags! {
    /// How [`Mapping::sync_range`] writes back (`MS_*`).
    ///
    /// Exactly one of `SYNC` and `ASYNC` may be given (both: `Errno::INVAL`); `INVALIDATE` may be
    /// added to either, or given alone.
    ///
    /// # Platform
    /// Values: OpenBSD `MS_ASYNC` 1, `MS_SYNC` 2, `MS_INVALIDATE` 4; DragonFly 1, 0, 2 (its
    /// `MS_SYNC` is the absence of `MS_ASYNC`); Linux 1, 4, 2.
    ///
    /// # References
    /// - [OpenBSD msync(2)](https://man.openbsd.org/msync.2)
    /// - [DragonFly msync(2)](https://man.dragonflybsd.org/?command=msync&section=2)
    /// - [Linux msync(2)](https://man7.org/linux/man-pages/man2/msync.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{MapFlags, Mapping, Protection, SyncFlags};
    ///
    /// let map = Mapping::anonymous(4096, Protection::READ, MapFlags::empty())?;
    /// map.sync_range(0, 4096, SyncFlags::SYNC | SyncFlags::INVALIDATE)?;
    /// map.sync_range(0, 4096, SyncFlags::ASYNC)?;
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct SyncFlags: core::ffi::c_int {
        /// `MS_SYNC`: return once the pages are written.
        #[doc(alias = "MS_SYNC")]
        const SYNC = libc::MS_SYNC;
        /// `MS_ASYNC`: schedule the write-back and return.
        #[doc(alias = "MS_ASYNC")]
        const ASYNC = libc::MS_ASYNC;
        /// `MS_INVALIDATE`: drop cached copies so later reads see the file.
        #[doc(alias = "MS_INVALIDATE")]
        const INVALIDATE = libc::MS_INVALIDATE;
    }
}

impl Mapping {
    /// Writes modified pages of a shared file mapping back to the file and waits
    /// (`msync(MS_SYNC)`); on anonymous memory it does nothing.
    ///
    /// Retried on `EINTR` (writing the same pages again is harmless).
    ///
    /// # References
    /// - [OpenBSD msync(2)](https://man.openbsd.org/msync.2)
    /// - [DragonFly msync(2)](https://man.dragonflybsd.org/?command=msync&section=2)
    /// - [Linux msync(2)](https://man7.org/linux/man-pages/man2/msync.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{MapFlags, Mapping, Protection};
    ///
    /// // On anonymous memory `flush` does nothing and succeeds (see `Mapping::file` for a file).
    /// let map = Mapping::anonymous(4096, Protection::READ, MapFlags::empty())?;
    /// map.flush()?;
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[doc(alias = "msync")]
    pub fn flush(&self) -> Result<()> {
        loop {
            // SAFETY: MS_SYNC without MS_INVALIDATE only writes back; contents stay.
            match unsafe { bsd_sys::mem::msync(self.ptr.cast(), self.map_len, libc::MS_SYNC) } {
                Err(e) if e == Errno::INTR => continue,
                other => return other,
            }
        }
    }

    /// Writes the pages of `[offset, offset + len)` back to the mapped file (`msync`), as
    /// `flags` says. On anonymous memory it has no effect.
    ///
    /// `offset` not page-aligned, `len == 0`, a range past the mapping, or `SYNC | ASYNC` give
    /// `Errno::INVAL` without calling the kernel.
    ///
    /// # EINTR
    /// Not retried: a `SYNC` write-back interrupted by a signal reports `Errno::INTR`.
    ///
    /// # References
    /// - [OpenBSD msync(2)](https://man.openbsd.org/msync.2)
    /// - [DragonFly msync(2)](https://man.dragonflybsd.org/?command=msync&section=2)
    /// - [Linux msync(2)](https://man7.org/linux/man-pages/man2/msync.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{page_size, MapFlags, Mapping, Protection, SyncFlags};
    /// let m = Mapping::anonymous(2 * page_size(), Protection::READ, MapFlags::empty()).unwrap();
    /// m.sync_range(page_size(), page_size(), SyncFlags::ASYNC).unwrap();
    /// // Both SYNC and ASYNC, or a range past the end, are refused before the kernel is asked.
    /// assert!(m.sync_range(0, 3 * page_size(), SyncFlags::SYNC).is_err());
    /// ```
    #[doc(alias = "msync")]
    #[doc(alias = "flush_range")]
    #[doc(alias = "flush_async_range")]
    pub fn sync_range(&self, offset: usize, len: usize, flags: SyncFlags) -> Result<()> {
        let both = SyncFlags::SYNC | SyncFlags::ASYNC;
        // DragonFly's MS_SYNC is 0, so "both" is only detectable where it is a bit.
        if libc::MS_SYNC != 0 && flags.contains(both) {
            return Err(Errno::INVAL);
        }
        if len == 0 || offset % page_size() != 0 {
            return Err(Errno::INVAL);
        }
        let len = round_up(len).ok_or(Errno::INVAL)?;
        let mapped = round_up(self.len()).ok_or(Errno::INVAL)?;
        match offset.checked_add(len) {
            Some(end) if end <= mapped => {}
            _ => return Err(Errno::INVAL),
        }
        let addr = self.as_ptr().wrapping_add(offset) as *mut core::ffi::c_void;
        // SAFETY: the range lies inside this mapping; msync writes back or drops cached pages
        // but changes neither access nor the bytes a borrower sees.
        unsafe { bsd_sys::mem::msync(addr, len, flags.bits()) }
    }
}
