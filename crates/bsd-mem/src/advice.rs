//! `Advice` for `madvise` and `Inherit` for `minherit`, with each OS's values.

use core::ffi::c_int;

use bsd_sys::libc;

/// Advice about how a [`Mapping`](crate::Mapping) will be used (`MADV_*`).
///
/// Only advice that cannot change the bytes under a later borrow is here; `MADV_FREE`, whose
/// pages may turn to zero at any later moment, is the `unsafe` [`Mapping::advise_free`](crate::Mapping::advise_free).
///
/// # Platform
/// `DontNeed` differs: Linux zero-fills private anonymous pages (file pages are re-read from
/// the file; madvise(2)); OpenBSD and DragonFly only deactivate the pages and keep their
/// contents (OpenBSD: `sys_madvise` in `sys/uvm/uvm_mmap.c` rev 1.203, `PGO_DEACTIVATE`;
/// DragonFly: `vm_object_madvise` in `sys/vm/vm_object.c`, `vm_page_dontneed`, 6.4
/// 81dd9c6184).
///
/// # References
/// - [OpenBSD madvise(2)](https://man.openbsd.org/madvise.2)
/// - [DragonFly madvise(2)](https://man.dragonflybsd.org/?command=madvise&section=2)
/// - [Linux madvise(2)](https://man7.org/linux/man-pages/man2/madvise.2.html)
///
/// # Examples
/// ```
/// use bsd_mem::{Advice, MapFlags, Mapping, Protection};
///
/// let mut map = Mapping::anonymous(1 << 16, Protection::READ_WRITE, MapFlags::empty())?;
/// map.advise(Advice::Random)?;
/// map.advise(Advice::DontNeed)?; // zero-fills on Linux, keeps the bytes on the BSDs
/// assert_ne!(Advice::Random.raw(), Advice::Sequential.raw());
/// # Ok::<(), bsd_mem::Errno>(())
/// ```
#[doc(alias = "madvise")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Advice {
    /// No particular pattern (`MADV_NORMAL`).
    #[doc(alias = "MADV_NORMAL")]
    Normal,
    /// Random access: read-ahead is pointless (`MADV_RANDOM`).
    #[doc(alias = "MADV_RANDOM")]
    Random,
    /// Sequential access: read ahead, drop behind (`MADV_SEQUENTIAL`).
    #[doc(alias = "MADV_SEQUENTIAL")]
    Sequential,
    /// The pages will be needed soon (`MADV_WILLNEED`).
    #[doc(alias = "MADV_WILLNEED")]
    WillNeed,
    /// The pages are not needed for now (`MADV_DONTNEED`); see the platform notes above.
    #[doc(alias = "MADV_DONTNEED")]
    DontNeed,
    /// Do not write dirty pages back until needed (`MADV_NOSYNC`, DragonFly).
    #[cfg(target_os = "dragonfly")]
    #[doc(alias = "MADV_NOSYNC")]
    NoSync,
    /// Undo `NoSync` (`MADV_AUTOSYNC`, DragonFly).
    #[cfg(target_os = "dragonfly")]
    #[doc(alias = "MADV_AUTOSYNC")]
    AutoSync,
    /// Exclude from core dumps (`MADV_NOCORE`, DragonFly).
    #[cfg(target_os = "dragonfly")]
    #[doc(alias = "MADV_NOCORE")]
    NoCore,
    /// Include in core dumps again (`MADV_CORE`, DragonFly).
    #[cfg(target_os = "dragonfly")]
    #[doc(alias = "MADV_CORE")]
    Core,
    /// Exclude from core dumps (`MADV_DONTDUMP`, Linux).
    #[cfg(target_os = "linux")]
    #[doc(alias = "MADV_DONTDUMP")]
    DontDump,
    /// Include in core dumps again (`MADV_DODUMP`, Linux).
    #[cfg(target_os = "linux")]
    #[doc(alias = "MADV_DODUMP")]
    DoDump,
}

impl Advice {
    /// The OS's `MADV_*` value.
    #[must_use = "the value is returned, nothing is advised"]
    pub fn raw(self) -> c_int {
        match self {
            Advice::Normal => libc::MADV_NORMAL,
            Advice::Random => libc::MADV_RANDOM,
            Advice::Sequential => libc::MADV_SEQUENTIAL,
            Advice::WillNeed => libc::MADV_WILLNEED,
            Advice::DontNeed => libc::MADV_DONTNEED,
            #[cfg(target_os = "dragonfly")]
            Advice::NoSync => libc::MADV_NOSYNC,
            #[cfg(target_os = "dragonfly")]
            Advice::AutoSync => libc::MADV_AUTOSYNC,
            #[cfg(target_os = "dragonfly")]
            Advice::NoCore => libc::MADV_NOCORE,
            #[cfg(target_os = "dragonfly")]
            Advice::Core => libc::MADV_CORE,
            #[cfg(target_os = "linux")]
            Advice::DontDump => libc::MADV_DONTDUMP,
            #[cfg(target_os = "linux")]
            Advice::DoDump => libc::MADV_DODUMP,
        }
    }
}

/// What a child created by `fork` gets of a [`Mapping`](crate::Mapping).
///
/// # Platform
/// - OpenBSD: `minherit` with `MAP_INHERIT_SHARE`/`COPY`/`NONE`/`ZERO`.
/// - DragonFly: `minherit` with `INHERIT_SHARE`/`COPY`/`NONE`; no `Zero`.
/// - Linux (test host): no `minherit`; `Copy` is `madvise(MADV_DOFORK)`, `None` is
///   `madvise(MADV_DONTFORK)`, `Zero` is `madvise(MADV_WIPEONFORK)` (Linux 4.14+, private
///   anonymous memory only); `Share` does not exist.
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
/// let mut scratch = Mapping::anonymous(4096, Protection::READ_WRITE, MapFlags::empty())?;
/// // SAFETY: no child is forked here, so no child's copy of `scratch` can be misused.
/// unsafe { scratch.inherit(Inherit::None) }?; // a forked child would not get this memory
/// assert_ne!(Inherit::None.raw(), Inherit::Copy.raw());
/// # Ok::<(), bsd_mem::Errno>(())
/// ```
#[doc(alias = "minherit")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Inherit {
    /// The child shares the pages with the parent.
    #[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
    #[doc(alias = "MAP_INHERIT_SHARE")]
    #[doc(alias = "INHERIT_SHARE")]
    Share,
    /// The child gets a copy-on-write copy (the default for private mappings).
    #[doc(alias = "MAP_INHERIT_COPY")]
    #[doc(alias = "INHERIT_COPY")]
    #[doc(alias = "MADV_DOFORK")]
    Copy,
    /// The child gets nothing: the range is unmapped there.
    #[doc(alias = "MAP_INHERIT_NONE")]
    #[doc(alias = "INHERIT_NONE")]
    #[doc(alias = "MADV_DONTFORK")]
    None,
    /// The child gets fresh zero-filled pages.
    #[cfg(any(target_os = "openbsd", target_os = "linux"))]
    #[doc(alias = "MAP_INHERIT_ZERO")]
    #[doc(alias = "MADV_WIPEONFORK")]
    Zero,
}

impl Inherit {
    /// The OS's value: a `minherit` constant on the BSDs, an `madvise` advice on Linux.
    #[must_use = "the value is returned, nothing is changed"]
    pub fn raw(self) -> c_int {
        match self {
            #[cfg(target_os = "openbsd")]
            Inherit::Share => libc::MAP_INHERIT_SHARE,
            #[cfg(target_os = "openbsd")]
            Inherit::Copy => libc::MAP_INHERIT_COPY,
            #[cfg(target_os = "openbsd")]
            Inherit::None => libc::MAP_INHERIT_NONE,
            #[cfg(target_os = "openbsd")]
            Inherit::Zero => libc::MAP_INHERIT_ZERO,
            #[cfg(target_os = "dragonfly")]
            Inherit::Share => libc::INHERIT_SHARE,
            #[cfg(target_os = "dragonfly")]
            Inherit::Copy => libc::INHERIT_COPY,
            #[cfg(target_os = "dragonfly")]
            Inherit::None => libc::INHERIT_NONE,
            #[cfg(target_os = "linux")]
            Inherit::Copy => libc::MADV_DOFORK,
            #[cfg(target_os = "linux")]
            Inherit::None => libc::MADV_DONTFORK,
            #[cfg(target_os = "linux")]
            Inherit::Zero => libc::MADV_WIPEONFORK,
        }
    }
}
