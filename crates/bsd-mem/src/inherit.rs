//! What `fork` gives a child of a `Mapping` (`minherit`), and OpenBSD's `mimmutable`.

use bsd_sys::Result;

use crate::{Inherit, Mapping};

impl Mapping {
    /// Sets what a child created by `fork` gets of this mapping.
    ///
    /// # Safety
    /// The child's copy of this `Mapping` still claims the memory. With `Inherit::None` the
    /// child must not touch the mapping at all (not even drop it meaningfully: its `munmap`
    /// fails with `EINVAL` on the BSDs, where the range is not mapped in the child (`sys_munmap`
    /// refuses a range with holes: OpenBSD `sys/uvm/uvm_mmap.c` rev 1.203, DragonFly
    /// `sys/vm/vm_mmap.c` 6.4 81dd9c6184), and is a no-op on Linux; either way it removes
    /// whatever the child mapped there since, if that covers the range); with `Inherit::Share`
    /// the rules of
    /// [`anonymous_shared`](Mapping::anonymous_shared) apply to both processes.
    ///
    /// # Platform
    /// See [`Inherit`]: `minherit` on OpenBSD and DragonFly, `madvise` on Linux.
    ///
    /// # References
    /// - [OpenBSD minherit(2)](https://man.openbsd.org/minherit.2)
    /// - [DragonFly minherit(2)](https://man.dragonflybsd.org/?command=minherit&section=2)
    /// - [Linux madvise(2)](https://man7.org/linux/man-pages/man2/madvise.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{Inherit, MapFlags, Mapping, Protection};
    ///
    /// let mut map = Mapping::anonymous(4096, Protection::READ_WRITE, MapFlags::empty())?;
    /// // SAFETY: `Copy` is what a private mapping has anyway; no child is forked here.
    /// unsafe { map.inherit(Inherit::Copy) }?;
    /// assert!(map.as_slice().is_some()); // nothing changes for this process
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[doc(alias = "minherit")]
    pub unsafe fn inherit(&mut self, inherit: Inherit) -> Result<()> {
        #[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
        // SAFETY: forwarded from the caller.
        return unsafe { bsd_sys::mem::minherit(self.ptr.cast(), self.map_len, inherit.raw()) };
        #[cfg(target_os = "linux")]
        // SAFETY: forwarded from the caller; these advice values only affect a future child.
        return unsafe { bsd_sys::mem::madvise(self.ptr.cast(), self.map_len, inherit.raw()) };
    }

    /// Makes the mapping immutable: its protection and mapping can no longer change, and it
    /// stays mapped for the life of the process (drop cannot unmap it).
    ///
    /// # Platform
    /// OpenBSD 7.3+ only. Later [`protect`](Mapping::protect) calls fail with `Errno::PERM`.
    ///
    /// # References
    /// - [OpenBSD mimmutable(2)](https://man.openbsd.org/mimmutable.2)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{Errno, MapFlags, Mapping, Protection};
    ///
    /// let mut map = Mapping::anonymous(4096, Protection::READ, MapFlags::empty())?;
    /// map.make_immutable()?;
    /// assert_eq!(map.protect(Protection::READ_WRITE), Err(Errno::PERM));
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[cfg(target_os = "openbsd")]
    #[cfg_attr(docsrs, doc(cfg(target_os = "openbsd")))]
    #[doc(alias = "mimmutable")]
    pub fn make_immutable(&mut self) -> Result<()> {
        // SAFETY: the range is this mapping's; its drop tolerates a failing munmap (the memory
        // then simply stays mapped), and nothing here changes access or contents.
        unsafe { bsd_sys::mem::mimmutable(self.ptr.cast(), self.map_len) }
    }
}
