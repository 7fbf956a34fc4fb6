//! Locking a `Mapping`'s pages into memory (`mlock`, `munlock`).

use core::ffi::c_void;

use bsd_sys::Result;

use crate::Mapping;

impl Mapping {
    /// Locks the pages into memory (no paging out).
    ///
    /// # Platform
    /// - OpenBSD: allowed up to `RLIMIT_MEMLOCK` and the system's wired-page limit; either
    ///   limit gives `Errno::AGAIN`, a range the kernel cannot wire `Errno::NOMEM` (`sys_mlock`
    ///   in `sys/uvm/uvm_mmap.c` rev 1.203; the `RLIMIT_MEMLOCK` check is compiled where the
    ///   pmap defines `pmap_wired_count`, as amd64's `machine/pmap.h` does, and is a root check
    ///   elsewhere).
    /// - DragonFly: only root may lock: the kernel defines no `pmap_wired_count`, so `sys_mlock`
    ///   (`sys/vm/vm_mmap.c`, DragonFly 6.4 81dd9c6184) checks privilege instead of
    ///   `RLIMIT_MEMLOCK` and gives `Errno::PERM` otherwise; the wired-page limit gives
    ///   `Errno::AGAIN`.
    /// - Linux: up to `RLIMIT_MEMLOCK` without `CAP_IPC_LOCK`, else `Errno::NOMEM` (`Errno::PERM`
    ///   when the limit is 0), mlock(2).
    ///
    /// # References
    /// - [OpenBSD mlock(2)](https://man.openbsd.org/mlock.2)
    /// - [DragonFly mlock(2)](https://man.dragonflybsd.org/?command=mlock&section=2)
    /// - [Linux mlock(2)](https://man7.org/linux/man-pages/man2/mlock.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{Errno, MapFlags, Mapping, Protection};
    ///
    /// let map = Mapping::anonymous(4096, Protection::READ_WRITE, MapFlags::empty())?;
    /// match map.lock() {
    ///     Ok(()) => map.unlock()?,
    ///     // Over a limit, or unprivileged on DragonFly (see above): the kernel says so.
    ///     Err(err) => assert!([Errno::NOMEM, Errno::PERM, Errno::AGAIN].contains(&err)),
    /// }
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[doc(alias = "mlock")]
    pub fn lock(&self) -> Result<()> {
        bsd_sys::mem::mlock(self.ptr.cast::<c_void>(), self.map_len)
    }

    /// Unlocks the pages locked by [`lock`](Mapping::lock).
    ///
    /// # Platform
    /// Pages that are not locked:
    /// - OpenBSD accepts them (`uvm_map_pageable` in `sys/uvm/uvm_map.c` rev 1.346 leaves
    ///   entries that are not wired untouched; `sys_munlock`, `sys/uvm/uvm_mmap.c` rev 1.203).
    /// - DragonFly: root only, as for `lock`, and pages that are not locked give `Errno::NOMEM`
    ///   (`vm_map_user_wiring` in `sys/vm/vm_map.c` returns `KERN_INVALID_ARGUMENT` for a
    ///   range that is not user-wired, which `sys_munlock` in `sys/vm/vm_mmap.c` turns into
    ///   `ENOMEM`; DragonFly 6.4 81dd9c6184).
    /// - Linux accepts them (munlock(2)).
    ///
    /// # References
    /// - [OpenBSD munlock(2)](https://man.openbsd.org/munlock.2)
    /// - [DragonFly munlock(2)](https://man.dragonflybsd.org/?command=munlock&section=2)
    /// - [Linux munlock(2)](https://man7.org/linux/man-pages/man2/munlock.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{MapFlags, Mapping, Protection};
    ///
    /// let map = Mapping::anonymous(4096, Protection::READ_WRITE, MapFlags::empty())?;
    /// if map.lock().is_ok() {
    ///     map.unlock()?; // the page may be paged out again
    /// }
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[doc(alias = "munlock")]
    pub fn unlock(&self) -> Result<()> {
        bsd_sys::mem::munlock(self.ptr.cast::<c_void>(), self.map_len)
    }
}
