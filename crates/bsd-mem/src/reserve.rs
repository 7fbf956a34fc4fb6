//! `Reservation`: address space reserved with no access, committed piece by piece with
//! `MAP_FIXED` inside it (reserve, then commit).

use core::ffi::c_void;
use core::ptr;

use bsd_sys::libc;
use bsd_sys::{Errno, Result};

use crate::page::{page_size, round_up};
use crate::Protection;

/// A range of address space reserved with `PROT_NONE` and owned, unmapped on drop; parts of it
/// are made usable with [`commit`](Reservation::commit) and given back with
/// [`decommit`](Reservation::decommit).
///
/// Committing maps fresh private anonymous memory with `MAP_FIXED` over part of the
/// reservation: `MAP_FIXED` replaces whatever is mapped there, and here that is always this
/// reservation's own memory, so it can never clobber another mapping. The range stays one
/// reservation throughout (no gap opens for another `mmap` to land in), and drop unmaps all of
/// it, committed or not.
///
/// The memory is reached only through raw pointers ([`as_mut_ptr`](Reservation::as_mut_ptr),
/// [`as_ptr`](Reservation::as_ptr)): reading or writing it is the caller's responsibility
/// (only committed pages with the right protection may be touched, and `commit`/`decommit`
/// replace the bytes, so no reference into a range may live across them).
///
/// # Platform
/// Linux adds `MAP_NORESERVE` to the reservation, so a large one is not charged against the
/// overcommit limit until committed. OpenBSD and DragonFly never charge `PROT_NONE` memory.
/// On OpenBSD an immutable range (`mimmutable(2)`) cannot be committed over (`Errno::PERM`);
/// nothing here makes one.
///
/// # References
/// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
/// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
/// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
///
/// # Examples
/// ```
/// use bsd_mem::{page_size, Protection, Reservation};
///
/// let page = page_size();
/// let mut r = Reservation::new(16 * page).unwrap();
/// r.commit(4 * page, 2 * page, Protection::READ | Protection::WRITE).unwrap();
/// // SAFETY: pages 4 and 5 are committed read-write and nothing else refers to them.
/// unsafe { r.as_mut_ptr().add(4 * page).write(7) };
/// r.decommit(4 * page, 2 * page).unwrap();
/// ```
#[doc(alias = "PROT_NONE")]
#[doc(alias = "MAP_FIXED")]
#[derive(Debug)]
#[must_use = "dropping a Reservation unmaps the whole range at once"]
pub struct Reservation {
    ptr: *mut u8,
    len: usize,
}

// SAFETY: a `Reservation` owns its address range exclusively and hands out only raw pointers.
unsafe impl Send for Reservation {}
// SAFETY: as above; `&Reservation` offers nothing but the pointer and the length.
unsafe impl Sync for Reservation {}

#[cfg(target_os = "linux")]
const RESERVE_FLAGS: libc::c_int = libc::MAP_PRIVATE | libc::MAP_ANON | libc::MAP_NORESERVE;
#[cfg(not(target_os = "linux"))]
const RESERVE_FLAGS: libc::c_int = libc::MAP_PRIVATE | libc::MAP_ANON;

impl Reservation {
    /// Reserves `len` bytes (rounded up to pages) anywhere the kernel chooses.
    ///
    /// `Errno::INVAL` for `len == 0`; `Errno::NOMEM` if rounding overflows or the address space
    /// has no room.
    ///
    /// # References
    /// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
    /// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
    /// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
    ///
    /// # Examples
    /// ```
    /// let r = bsd_mem::Reservation::new(1 << 20).unwrap();
    /// assert_eq!(r.len(), 1 << 20);
    /// ```
    #[doc(alias = "mmap")]
    pub fn new(len: usize) -> Result<Reservation> {
        Self::reserve(ptr::null_mut(), len)
    }

    /// Reserves `len` bytes, asking for them at `hint` (an address hint, not `MAP_FIXED`).
    ///
    /// The kernel uses the hint when that range is free and places the reservation elsewhere
    /// otherwise; compare [`as_ptr`](Reservation::as_ptr) with the hint to know. A hint that is
    /// not page-aligned is rounded by the kernel or ignored. Errors as for
    /// [`new`](Reservation::new).
    ///
    /// # Platform
    /// OpenBSD honours a free hint only outside the randomized `mmap` area's reserved ranges
    /// (`uvm_map` in `sys/uvm/uvm_map.c`); Linux and DragonFly use a free hint as is.
    ///
    /// # References
    /// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
    /// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
    /// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
    ///
    /// # Examples
    /// ```
    /// let first = bsd_mem::Reservation::new(1 << 16).unwrap();
    /// let hint = first.as_ptr() as usize;
    /// drop(first);
    /// let again = bsd_mem::Reservation::with_hint(hint, 1 << 16).unwrap();
    /// assert_eq!(again.len(), 1 << 16);
    /// ```
    #[doc(alias = "mmap")]
    pub fn with_hint(hint: usize, len: usize) -> Result<Reservation> {
        Self::reserve(hint as *mut c_void, len)
    }

    fn reserve(addr: *mut c_void, len: usize) -> Result<Reservation> {
        if len == 0 {
            return Err(Errno::INVAL);
        }
        let len = round_up(len).ok_or(Errno::NOMEM)?;
        // SAFETY: no `MAP_FIXED`: the kernel never replaces existing memory, and the new range
        // is reachable only through this `Reservation`.
        let p = unsafe { bsd_sys::mem::mmap(addr, len, libc::PROT_NONE, RESERVE_FLAGS, -1, 0) }?;
        Ok(Reservation { ptr: p.cast(), len })
    }

    /// The start of the reservation.
    pub fn as_ptr(&self) -> *const u8 {
        self.ptr
    }

    /// The start of the reservation, for writing into committed pages.
    ///
    /// Takes `&self`, as memmap2's `MmapRaw::as_mut_ptr` does: a `Reservation` never hands out
    /// references, so whoever writes through the pointer keeps to committed, writable pages
    /// and synchronises with other writers (see the type's docs).
    pub fn as_mut_ptr(&self) -> *mut u8 {
        self.ptr
    }

    /// The reserved length in bytes (whole pages).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always `false`: a reservation holds at least one page.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Checks `[offset, offset + len)` (`len` rounded up to pages) against the reservation.
    fn range(&self, offset: usize, len: usize) -> Result<(*mut c_void, usize)> {
        if len == 0 || offset % page_size() != 0 {
            return Err(Errno::INVAL);
        }
        let len = round_up(len).ok_or(Errno::INVAL)?;
        match offset.checked_add(len) {
            Some(end) if end <= self.len => Ok((self.ptr.wrapping_add(offset).cast(), len)),
            _ => Err(Errno::INVAL),
        }
    }

    /// Makes `[offset, offset + len)` usable: fresh zero-filled private memory with `prot`,
    /// mapped `MAP_FIXED` over that part of the reservation (`len` rounded up to pages).
    ///
    /// Committing an already committed range replaces its bytes with zeros. `offset` not
    /// page-aligned, `len == 0`, or a range past the end gives `Errno::INVAL` without calling
    /// the kernel; on a kernel error the range keeps what it had.
    ///
    /// # References
    /// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
    /// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
    /// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{page_size, Errno, Protection, Reservation};
    /// let mut r = Reservation::new(2 * page_size()).unwrap();
    /// assert_eq!(r.commit(page_size(), 2 * page_size(), Protection::READ), Err(Errno::INVAL));
    /// r.commit(page_size(), page_size(), Protection::READ).unwrap();
    /// ```
    #[doc(alias = "MAP_FIXED")]
    pub fn commit(&mut self, offset: usize, len: usize, prot: Protection) -> Result<()> {
        let (addr, len) = self.range(offset, len)?;
        self.map_over(addr, len, prot.bits())
    }

    /// Gives `[offset, offset + len)` back: fresh `PROT_NONE` memory replaces it, so its pages
    /// are freed and any access faults, while the range stays reserved. Same checks as
    /// [`commit`](Reservation::commit).
    ///
    /// # References
    /// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
    /// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
    /// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{page_size, Protection, Reservation};
    /// let mut r = Reservation::new(page_size()).unwrap();
    /// r.commit(0, page_size(), Protection::READ | Protection::WRITE).unwrap();
    /// r.decommit(0, page_size()).unwrap();
    /// ```
    pub fn decommit(&mut self, offset: usize, len: usize) -> Result<()> {
        let (addr, len) = self.range(offset, len)?;
        self.map_over(addr, len, libc::PROT_NONE)
    }

    fn map_over(&mut self, addr: *mut c_void, len: usize, prot: libc::c_int) -> Result<()> {
        let flags = RESERVE_FLAGS | libc::MAP_FIXED;
        // SAFETY: `[addr, addr + len)` lies inside this reservation (checked by `range`), which
        // owns it; `&mut self` and the raw-pointer-only access mean no Rust reference into it
        // is alive, so replacing it breaks no borrow.
        let p = unsafe { bsd_sys::mem::mmap(addr, len, prot, flags, -1, 0) }?;
        if p != addr {
            // MAP_FIXED never moves; if a kernel did, undo the stray mapping.
            // SAFETY: the kernel just created `[p, p + len)` for us.
            let _ = unsafe { bsd_sys::mem::munmap(p, len) };
            return Err(Errno::NOMEM);
        }
        Ok(())
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        // SAFETY: the whole range is owned by `self`; nothing refers into it any more.
        let _ = unsafe { bsd_sys::mem::munmap(self.ptr.cast(), self.len) };
    }
}
