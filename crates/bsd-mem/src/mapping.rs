//! `Mapping`: an owned region of mapped memory, unmapped on drop.

use core::ffi::c_void;
use core::ptr;
use std::os::fd::{AsFd, AsRawFd};

use bsd_sys::libc;
use bsd_sys::{Errno, Result};

use crate::page::{page_size, round_up};
use crate::{Advice, MapFlags, Protection};

/// An owned memory mapping, unmapped on drop.
///
/// # Aliasing model
/// Safe code gets `&[u8]`/`&mut [u8]` views of the memory, so the bytes must not change
/// behind those borrows and must stay accessible while they live:
/// - Everything that can take access away or change bytes (`protect`, `advise`, `inherit`)
///   takes `&mut self`, so it cannot run while a slice borrow is alive.
/// - [`as_slice`](Mapping::as_slice) needs `READ`, [`as_mut_slice`](Mapping::as_mut_slice)
///   `READ | WRITE`, judged by the protection this `Mapping` set itself (after a partial
///   [`protect_range`](Mapping::protect_range), the intersection of old and new, so a slice is
///   only offered if every page allows it).
/// - A protection change that fails may have been applied to some pages already (`mprotect`
///   walks the range region by region and can stop part-way, for example with `ENOMEM` at the
///   process's map-count limit). After any failed `protect`/`protect_range` the mapping
///   therefore records [`Protection::NONE`] and offers no slice until a later successful
///   [`protect`](Mapping::protect) of the whole mapping says what every page has.
/// - Memory that something outside this `Mapping` can change is created only by `unsafe`
///   constructors: [`anonymous_shared`](Mapping::anonymous_shared) (a forked child shares it)
///   and [`file`](Mapping::file) (other processes and `write(2)` can change a file, and
///   truncating it makes access fault with `SIGBUS`). Their caller promises that no one
///   changes or truncates the memory while a slice borrow of it is alive. Private anonymous
///   memory ([`anonymous`](Mapping::anonymous)) is safe to create.
/// - `MADV_FREE`, whose pages may turn to zero at any later time, is the `unsafe`
///   [`advise_free`](Mapping::advise_free).
///
/// # References
/// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
/// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
/// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
///
/// # Examples
/// ```
/// use bsd_mem::{page_size, Advice, MapFlags, Mapping, Protection};
///
/// let mut map = Mapping::anonymous(3 * page_size(), Protection::READ_WRITE, MapFlags::empty())?;
/// assert!(map.as_slice().unwrap().iter().all(|&b| b == 0)); // fresh memory is zero-filled
/// map.as_mut_slice().unwrap()[..5].copy_from_slice(b"hello");
/// map.advise(Advice::Sequential)?;
/// map.protect(Protection::READ)?; // now read-only: no mutable slice any more
/// assert!(map.as_mut_slice().is_none());
/// assert_eq!(&map.as_slice().unwrap()[..5], b"hello");
/// drop(map); // munmap
/// # Ok::<(), bsd_mem::Errno>(())
/// ```
#[doc(alias = "mmap")]
#[doc(alias = "Mmap")]
#[doc(alias = "MmapMut")]
#[derive(Debug)]
#[must_use = "dropping a Mapping unmaps its memory at once"]
pub struct Mapping {
    pub(crate) ptr: *mut u8,
    /// Length asked for (bytes the slices cover).
    len: usize,
    /// Length actually mapped (whole pages).
    pub(crate) map_len: usize,
    /// Protection every page is known to have at least.
    prot: Protection,
}

// SAFETY: a `Mapping` owns its memory exclusively (shared memory is reached only through
// `unsafe` constructors whose callers vouch for it); `&Mapping` gives only `&[u8]`.
unsafe impl Send for Mapping {}
// SAFETY: as above; shared access hands out only shared slices.
unsafe impl Sync for Mapping {}

impl Mapping {
    /// Maps `len` bytes of private, zero-filled anonymous memory (`MAP_PRIVATE | MAP_ANON`).
    ///
    /// `flags` adds per-OS flags such as [`MapFlags::STACK`]; [`MapFlags::SHARED`] is refused
    /// with `Errno::INVAL` (use [`anonymous_shared`](Mapping::anonymous_shared)). Errors:
    /// `Errno::INVAL` for `len == 0`, `Errno::NOMEM` if `len` rounded up to pages overflows
    /// or the kernel has no room.
    ///
    /// # References
    /// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
    /// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
    /// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{Errno, MapFlags, Mapping, Protection};
    ///
    /// let map = Mapping::anonymous(10, Protection::READ_WRITE, MapFlags::empty())?;
    /// assert_eq!(map.len(), 10); // slices cover what was asked; whole pages are mapped
    /// assert_eq!(Mapping::anonymous(0, Protection::READ, MapFlags::empty()).err(), Some(Errno::INVAL));
    /// assert_eq!(
    ///     Mapping::anonymous(4096, Protection::READ, MapFlags::SHARED).err(),
    ///     Some(Errno::INVAL), // shared memory is `anonymous_shared`, which is unsafe
    /// );
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[doc(alias = "mmap")]
    #[doc(alias = "MAP_ANON")]
    #[inline]
    pub fn anonymous(len: usize, prot: Protection, flags: MapFlags) -> Result<Mapping> {
        if flags.contains(MapFlags::SHARED) {
            return Err(Errno::INVAL);
        }
        // SAFETY: private anonymous memory is reachable only through this Mapping.
        unsafe { Self::map(len, prot, flags | MapFlags::PRIVATE, None, 0) }
    }

    /// Maps `len` bytes of zero-filled anonymous memory shared with children created by
    /// `fork` (`MAP_SHARED | MAP_ANON`).
    ///
    /// # Safety
    /// A forked child can write the memory at any time. The caller ensures no process
    /// writes it while a borrow from [`as_slice`](Mapping::as_slice) or
    /// [`as_mut_slice`](Mapping::as_mut_slice) is alive (coordinate by other means, e.g. wait
    /// for the child), or uses only the raw pointers.
    ///
    /// # References
    /// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
    /// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
    /// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{page_size, MapFlags, Mapping, Protection};
    ///
    /// // SAFETY: this process never forks while a slice of the mapping is borrowed.
    /// let mut shared =
    ///     unsafe { Mapping::anonymous_shared(page_size(), Protection::READ_WRITE, MapFlags::empty()) }?;
    /// shared.as_mut_slice().unwrap()[0] = 1;
    /// assert_eq!(shared.as_slice().unwrap()[0], 1);
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[doc(alias = "mmap")]
    pub unsafe fn anonymous_shared(
        len: usize,
        prot: Protection,
        flags: MapFlags,
    ) -> Result<Mapping> {
        let flags = (flags - MapFlags::PRIVATE) | MapFlags::SHARED;
        // SAFETY: forwarded from the caller.
        unsafe { Self::map(len, prot, flags, None, 0) }
    }

    /// Maps `len` bytes of file `fd` starting at `offset` (a multiple of [`page_size`]).
    ///
    /// With [`MapFlags::SHARED`] writes reach the file ([`flush`](Mapping::flush) forces
    /// them out); otherwise the mapping is private copy-on-write. The descriptor may be
    /// closed afterwards. Errors: `Errno::INVAL` (zero `len`, unaligned `offset`, `offset`
    /// past `off_t`), `Errno::NOMEM` (length overflow), `Errno::ACCES` (a protection the
    /// descriptor's open mode does not allow, e.g. `READ` on a write-only descriptor),
    /// `Errno::NODEV`/`Errno::INVAL` (a descriptor that cannot be mapped).
    ///
    /// # Safety
    /// Other processes, other mappings and `write(2)` can change the file, and pages past the
    /// file's end fault on access (`SIGBUS`). The caller ensures the file covers
    /// `offset + len` bytes and that neither a change nor a truncation happens to the mapped
    /// range while a borrow from [`as_slice`](Mapping::as_slice) or
    /// [`as_mut_slice`](Mapping::as_mut_slice) is alive.
    ///
    /// # Platform
    /// Both BSD kernels accept an unaligned offset: they map from the page below and return
    /// the address of the given byte inside it (OpenBSD `sys/uvm/uvm_mmap.c` rev 1.203
    /// `sys_mmap`, `pageoff`; DragonFly `sys/vm/vm_mmap.c` `kern_mmap`, `pageoff`). Linux
    /// refuses it with `EINVAL`. This crate refuses it on every OS, so that a mapping always
    /// starts on a page boundary at the given byte and unmaps exactly what it mapped.
    ///
    /// # References
    /// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
    /// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
    /// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
    ///
    /// # Examples
    /// ```
    /// use std::io::Write;
    /// use bsd_mem::{page_size, MapFlags, Mapping, Protection};
    ///
    /// let path = std::env::temp_dir().join(format!("bsd-mem-doc-file-{}", std::process::id()));
    /// let mut file = std::fs::OpenOptions::new().read(true).write(true).create(true).open(&path)?;
    /// file.write_all(b"mapped bytes")?;
    /// file.set_len(page_size() as u64)?;
    /// // SAFETY: the file covers the mapped page and nothing else touches it while mapped.
    /// let mut map = unsafe { Mapping::file(&file, 0, page_size(), Protection::READ_WRITE, MapFlags::SHARED) }?;
    /// assert_eq!(&map.as_slice().unwrap()[..12], b"mapped bytes");
    /// map.as_mut_slice().unwrap()[..6].copy_from_slice(b"MAPPED");
    /// map.flush()?; // the write reaches the file
    /// drop(map);
    /// assert!(std::fs::read(&path)?.starts_with(b"MAPPED bytes"));
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[doc(alias = "mmap")]
    pub unsafe fn file(
        fd: impl AsFd,
        offset: u64,
        len: usize,
        prot: Protection,
        flags: MapFlags,
    ) -> Result<Mapping> {
        if offset % page_size() as u64 != 0 {
            return Err(Errno::INVAL);
        }
        let offset = bsd_sys::mem::Off::try_from(offset).map_err(|_| Errno::INVAL)?;
        let flags = if flags.contains(MapFlags::SHARED) {
            flags
        } else {
            flags | MapFlags::PRIVATE
        };
        let fd = fd.as_fd();
        // SAFETY: forwarded from the caller; `fd` is borrowed for the duration of the call.
        unsafe { Self::map(len, prot, flags, Some(fd.as_raw_fd()), offset) }
    }

    /// The one `mmap` call behind every constructor.
    ///
    /// # Safety
    /// As for the public constructor that calls it.
    #[inline]
    unsafe fn map(
        len: usize,
        prot: Protection,
        flags: MapFlags,
        fd: Option<i32>,
        offset: bsd_sys::mem::Off,
    ) -> Result<Mapping> {
        if len == 0 {
            return Err(Errno::INVAL);
        }
        let map_len = round_up(len).ok_or(Errno::NOMEM)?;
        // Only the named bits reach the kernel: a value built with `from_bits_retain` must not
        // smuggle in `MAP_FIXED` (replaces memory) or Linux's `PROT_GROWSDOWN` (reaches past
        // the mapping).
        let (prot, flags) = (prot & Protection::all(), flags & MapFlags::all());
        let (fd, anon) = match fd {
            Some(fd) => (fd, 0),
            None => (-1, libc::MAP_ANON),
        };
        // SAFETY: no MAP_FIXED (MapFlags cannot hold it): the kernel picks a free range.
        let addr = unsafe {
            bsd_sys::mem::mmap(
                ptr::null_mut(),
                map_len,
                prot.bits(),
                flags.bits() | anon,
                fd,
                offset,
            )
        }?;
        Ok(Mapping {
            ptr: addr.cast(),
            len,
            map_len,
            prot,
        })
    }

    /// The first byte.
    #[inline]
    pub fn as_ptr(&self) -> *const u8 {
        self.ptr
    }

    /// The first byte, for writing (valid only while the protection allows it).
    #[inline]
    pub fn as_mut_ptr(&mut self) -> *mut u8 {
        self.ptr
    }

    /// The length asked for at creation, in bytes (the mapping itself is rounded up to whole
    /// pages).
    #[inline]
    #[allow(clippy::len_without_is_empty)] // a Mapping is never empty
    pub fn len(&self) -> usize {
        self.len
    }

    /// The protection every page of the mapping is known to have.
    #[inline]
    pub fn protection(&self) -> Protection {
        self.prot
    }

    /// The bytes, if the protection allows reading.
    #[inline]
    pub fn as_slice(&self) -> Option<&[u8]> {
        if self.prot.contains(Protection::READ) {
            // SAFETY: `ptr..ptr+len` is mapped and readable (`prot` is a lower bound on every
            // page's protection); changes by others are excluded by the constructors'
            // contracts, and `&self` keeps `protect`/`advise`/drop away.
            Some(unsafe { core::slice::from_raw_parts(self.ptr, self.len) })
        } else {
            None
        }
    }

    /// The bytes, writable, if the protection allows reading and writing.
    #[inline]
    pub fn as_mut_slice(&mut self) -> Option<&mut [u8]> {
        if self.prot.contains(Protection::READ_WRITE) {
            // SAFETY: as in `as_slice`, and `&mut self` makes this the only borrow.
            Some(unsafe { core::slice::from_raw_parts_mut(self.ptr, self.len) })
        } else {
            None
        }
    }

    /// Changes the protection of the whole mapping.
    ///
    /// # Platform
    /// OpenBSD refuses `WRITE | EXEC` (W^X, `Errno::NOTSUP`) in most binaries and any change
    /// after `make_immutable` (OpenBSD, `Errno::PERM`).
    ///
    /// # References
    /// - [OpenBSD mprotect(2)](https://man.openbsd.org/mprotect.2)
    /// - [DragonFly mprotect(2)](https://man.dragonflybsd.org/?command=mprotect&section=2)
    /// - [Linux mprotect(2)](https://man7.org/linux/man-pages/man2/mprotect.2.html)
    ///
    /// On error some pages may have changed already; the mapping then offers no slice until a
    /// later `protect` succeeds (see the aliasing model above).
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{MapFlags, Mapping, Protection};
    ///
    /// let mut map = Mapping::anonymous(4096, Protection::READ_WRITE, MapFlags::empty())?;
    /// map.protect(Protection::NONE)?; // any touch would fault now,
    /// assert!(map.as_slice().is_none()); // so no slice is offered
    /// map.protect(Protection::READ)?;
    /// assert_eq!(map.protection(), Protection::READ);
    /// assert!(map.as_slice().is_some());
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[doc(alias = "mprotect")]
    pub fn protect(&mut self, prot: Protection) -> Result<()> {
        let prot = prot & Protection::all();
        // SAFETY: `&mut self`: no slice borrow is alive; the range is this mapping's.
        let result = unsafe { bsd_sys::mem::mprotect(self.ptr.cast(), self.map_len, prot.bits()) };
        self.prot = self.after_protection_change(result, prot);
        result
    }

    /// The protection every page is known to have after a change to `prot`: `prot` on success;
    /// on failure nothing is known (the kernel may have changed any prefix of the range).
    fn after_protection_change(&self, result: Result<()>, known: Protection) -> Protection {
        match result {
            Ok(()) => known,
            Err(_) => Protection::NONE,
        }
    }

    /// Changes the protection of `len` bytes starting `offset` bytes into the mapping.
    ///
    /// `offset` must be a multiple of [`page_size`]; the range is rounded up to whole pages
    /// and must lie inside the mapping, else `Errno::INVAL`. Slices are offered afterwards only
    /// if both the old and the new protection allow them (use [`protect`](Mapping::protect)
    /// to set one protection for all pages again). On error some pages of the range may have
    /// changed already: the mapping then offers no slice until a later
    /// [`protect`](Mapping::protect) succeeds.
    ///
    /// # References
    /// - [OpenBSD mprotect(2)](https://man.openbsd.org/mprotect.2)
    /// - [DragonFly mprotect(2)](https://man.dragonflybsd.org/?command=mprotect&section=2)
    /// - [Linux mprotect(2)](https://man7.org/linux/man-pages/man2/mprotect.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{page_size, Errno, MapFlags, Mapping, Protection};
    ///
    /// let page = page_size();
    /// let mut map = Mapping::anonymous(2 * page, Protection::READ_WRITE, MapFlags::empty())?;
    /// map.protect_range(page, page, Protection::READ)?; // the second page becomes read-only
    /// assert_eq!(map.protection(), Protection::READ); // what every page allows
    /// assert!(map.as_mut_slice().is_none());
    /// assert_eq!(map.protect_range(1, page, Protection::READ), Err(Errno::INVAL)); // unaligned
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[doc(alias = "mprotect")]
    pub fn protect_range(&mut self, offset: usize, len: usize, prot: Protection) -> Result<()> {
        let prot = prot & Protection::all();
        let (addr, len) = self.sub_range(offset, len)?;
        // SAFETY: `&mut self`: no slice borrow is alive; the range lies inside this mapping.
        let result = unsafe { bsd_sys::mem::mprotect(addr, len, prot.bits()) };
        self.prot = self.after_protection_change(result, self.prot & prot);
        result
    }

    /// Advises the kernel about the use of the whole mapping.
    ///
    /// Takes `&mut self` because `Advice::DontNeed` zero-fills private anonymous pages on Linux.
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
    /// map.as_mut_slice().unwrap()[0] = 9;
    /// map.advise(Advice::WillNeed)?;
    /// map.advise(Advice::Normal)?;
    /// assert_eq!(map.as_slice().unwrap()[0], 9); // neither advice changes the bytes
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[doc(alias = "madvise")]
    pub fn advise(&mut self, advice: Advice) -> Result<()> {
        // SAFETY: `&mut self`: no slice borrow is alive while contents may change, and every
        // `Advice` leaves the pages valid (old contents, file contents or zeroes).
        unsafe { bsd_sys::mem::madvise(self.ptr.cast(), self.map_len, advice.raw()) }
    }

    /// Tells the kernel the contents are no longer needed (`MADV_FREE`): it may discard the
    /// pages lazily, replacing them with zeroes, until each is written again.
    ///
    /// # Safety
    /// Until every page has been written again, a page may turn to zero at any moment, also
    /// under a slice borrow. The caller must not read the memory through
    /// [`as_slice`](Mapping::as_slice)/[`as_mut_slice`](Mapping::as_mut_slice) before writing
    /// it (write through the raw pointer first, or re-`advise`).
    ///
    /// # Platform
    /// `MADV_FREE` is 6 on OpenBSD, 5 on DragonFly, 8 on Linux (4.5+, private anonymous only).
    ///
    /// # References
    /// - [OpenBSD madvise(2)](https://man.openbsd.org/madvise.2)
    /// - [DragonFly madvise(2)](https://man.dragonflybsd.org/?command=madvise&section=2)
    /// - [Linux madvise(2)](https://man7.org/linux/man-pages/man2/madvise.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{MapFlags, Mapping, Protection};
    ///
    /// let mut map = Mapping::anonymous(4096, Protection::READ_WRITE, MapFlags::empty())?;
    /// // SAFETY: the page is written through the pointer before it is read through a slice again.
    /// unsafe {
    ///     map.advise_free()?;
    ///     map.as_mut_ptr().write(5);
    /// }
    /// assert_eq!(map.as_slice().unwrap()[0], 5);
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[doc(alias = "madvise")]
    #[doc(alias = "MADV_FREE")]
    pub unsafe fn advise_free(&mut self) -> Result<()> {
        // SAFETY: forwarded from the caller.
        unsafe { bsd_sys::mem::madvise(self.ptr.cast(), self.map_len, libc::MADV_FREE) }
    }

    /// Checks `[offset, offset + len)` (rounded up to pages) against the mapping.
    fn sub_range(&self, offset: usize, len: usize) -> Result<(*mut c_void, usize)> {
        if len == 0 || offset % page_size() != 0 {
            return Err(Errno::INVAL);
        }
        let len = round_up(len).ok_or(Errno::INVAL)?;
        match offset.checked_add(len) {
            Some(end) if end <= self.map_len => Ok((self.ptr.wrapping_add(offset).cast(), len)),
            _ => Err(Errno::INVAL),
        }
    }
}

impl Drop for Mapping {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the mapping is owned by `self` and no borrow outlives it.
        let _ = unsafe { bsd_sys::mem::munmap(self.ptr.cast(), self.map_len) };
    }
}
