//! `Protection` and `MapFlags`: the bits passed to `mmap` and `mprotect`.

use bsd_sys::libc;

bitflags::bitflags! {
    /// What the process may do with mapped pages (`PROT_*`); empty is `PROT_NONE`.
    ///
    /// # Platform
    /// On x86_64 `WRITE` implies read and `READ` implies execute in hardware without NX; the
    /// kernel reports the protection asked for, and [`Mapping`](crate::Mapping) hands out
    /// slices by what was asked for, never by what the hardware happens to allow.
    ///
    /// # References
    /// - [OpenBSD mprotect(2)](https://man.openbsd.org/mprotect.2)
    /// - [DragonFly mprotect(2)](https://man.dragonflybsd.org/?command=mprotect&section=2)
    /// - [Linux mprotect(2)](https://man7.org/linux/man-pages/man2/mprotect.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{MapFlags, Mapping, Protection};
    ///
    /// assert_eq!(Protection::READ_WRITE, Protection::READ | Protection::WRITE);
    /// assert!(Protection::NONE.is_empty()); // PROT_NONE is 0
    /// let map = Mapping::anonymous(4096, Protection::READ, MapFlags::empty())?;
    /// assert_eq!(map.protection(), Protection::READ);
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Protection: core::ffi::c_int {
        /// Pages may be read (`PROT_READ`).
        #[doc(alias = "PROT_READ")]
        const READ = libc::PROT_READ;
        /// Pages may be written (`PROT_WRITE`).
        #[doc(alias = "PROT_WRITE")]
        const WRITE = libc::PROT_WRITE;
        /// Pages may be executed (`PROT_EXEC`). OpenBSD refuses `WRITE | EXEC` (W^X) unless
        /// the binary is marked `wxneeded`.
        #[doc(alias = "PROT_EXEC")]
        const EXEC = libc::PROT_EXEC;
    }
}

impl Protection {
    /// No access at all (`PROT_NONE`): any touch faults.
    #[doc(alias = "PROT_NONE")]
    pub const NONE: Protection = Protection::empty();
    /// `READ | WRITE`, the usual data protection.
    pub const READ_WRITE: Protection = Protection::READ.union(Protection::WRITE);
}

bitflags::bitflags! {
    /// How memory is mapped (`MAP_*`). `MAP_FIXED` and `MAP_ANON` are not here: a
    /// [`Mapping`](crate::Mapping) never replaces existing memory, and anonymous or file-backed
    /// is chosen by its constructor.
    ///
    /// # References
    /// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
    /// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
    /// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{MapFlags, Mapping, Protection};
    ///
    /// // OpenBSD wants MAP_STACK on any memory a stack pointer may point into.
    /// let map = Mapping::anonymous(1 << 16, Protection::READ_WRITE, MapFlags::STACK)?;
    /// assert_eq!(map.len(), 1 << 16);
    /// assert!(!MapFlags::STACK.is_empty()); // never 0, on any supported OS
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct MapFlags: core::ffi::c_int {
        /// Changes are shared with every other mapping of the same memory (`MAP_SHARED`).
        #[doc(alias = "MAP_SHARED")]
        const SHARED = libc::MAP_SHARED;
        /// Changes are private copy-on-write (`MAP_PRIVATE`); the default when neither is set.
        #[doc(alias = "MAP_PRIVATE")]
        const PRIVATE = libc::MAP_PRIVATE;
        /// Memory meant for a stack (`MAP_STACK`, never 0 here).
        ///
        /// # Platform
        /// OpenBSD (0x4000): the only memory a thread's stack pointer may point into; accepted
        /// only on private anonymous read/write memory at offset 0 with no flag but
        /// `MAP_FIXED` (`EINVAL` otherwise, so not with [`MapFlags::CONCEAL`]: `sys_mmap` in
        /// `sys/uvm/uvm_mmap.c` rev 1.203). DragonFly
        /// (0x400): since 5.6 a plain anonymous mapping (`sys_mmap` in `sys/vm/vm_mmap.c` only
        /// checks `fd == -1` and `READ | WRITE`, then maps anonymous memory); before 5.6 a
        /// grows-down stack reservation.
        /// Linux (0x20000): accepted, a hint without effect on x86_64 and aarch64.
        #[doc(alias = "MAP_STACK")]
        const STACK = libc::MAP_STACK;
        /// Exclude the memory from core dumps (`MAP_CONCEAL`, OpenBSD; the kernel maps it to
        /// `UVM_FLAG_CONCEAL`, sys/uvm/uvm_mmap.c).
        #[cfg(target_os = "openbsd")]
        #[doc(alias = "MAP_CONCEAL")]
        const CONCEAL = libc::MAP_CONCEAL;
        /// Exclude the memory from core dumps (`MAP_NOCORE`, DragonFly).
        #[cfg(target_os = "dragonfly")]
        #[doc(alias = "MAP_NOCORE")]
        const NOCORE = libc::MAP_NOCORE;
    }
}
