//! The mem concern: mapping, unmapping, protecting and advising memory, and the page size.
//!
//! Calls that can take memory away from, or change memory under, live Rust references
//! (`mmap` with `MAP_FIXED`, `munmap`, `mprotect`, `madvise`, `msync`, `minherit`, `mimmutable`)
//! are `unsafe fn`: the kernel validates the range, but only the caller knows whether something
//! else still uses it. `mlock`/`munlock` and [`page_size`] are safe.
//!
//! Constants (`PROT_*`, `MAP_*`, `MADV_*`, `MS_*`, inheritance values) come from
//! [`libc`]; they differ per OS (`MAP_STACK` is 0x4000 on OpenBSD, 0x400 on DragonFly).
//!
//! No call here is retried on `EINTR`: none of them blocks interruptibly on the supported OSes
//! except `msync(MS_SYNC)`, and its interruption is reported to the caller.

use core::ffi::{c_int, c_void};

use crate::backend::imp;
use crate::Result;

/// A file offset for [`mmap`] (`off_t`, 64 bits on every supported target).
///
/// # Examples
/// ```
/// use bsd_sys::mem::{self, Off};
///
/// // File offsets for `mmap` are 64-bit everywhere and must be page multiples on Linux.
/// let second_page: Off = mem::page_size()? as Off;
/// assert_eq!(second_page % 4096, 0);
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
/// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
/// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
#[doc(alias = "off_t")]
pub type Off = libc::off_t;

/// Maps `len` bytes and returns the start of the new mapping.
///
/// `fd` is `-1` for an anonymous mapping (`MAP_ANON`); `offset` must then be 0. Errors:
/// `EINVAL` (zero `len`, bad flags, and on Linux an unaligned `offset`), `EACCES` (protection
/// the descriptor does not allow), `EBADF`, `ENOMEM`.
///
/// A `len` so large that rounding it up to pages wraps (such as `usize::MAX`) is `EINVAL` on
/// both BSDs (OpenBSD `sys/uvm/uvm_mmap.c` rev 1.203 `sys_mmap`, `ALIGN_ADDR`; DragonFly
/// `sys/vm/vm_mmap.c` `kern_mmap`: `if (size < ulen) return (EINVAL)`) and `ENOMEM` on Linux.
///
/// # Safety
/// With `MAP_FIXED`, the range `[addr, addr + len)` is replaced: nothing may still use memory
/// there. `fd`, when not `-1`, must be a descriptor the caller may use for the duration of the
/// call. Without `MAP_FIXED` `addr` is only a hint and the call cannot invalidate anything.
///
/// # Platform
/// - Unaligned file offsets: both BSDs map from the page below and return the address of the
///   given byte within it (`addr + pageoff`: OpenBSD `sys/uvm/uvm_mmap.c` rev 1.203 `sys_mmap`;
///   DragonFly `sys/vm/vm_mmap.c` `kern_mmap`); Linux refuses them with `EINVAL`.
/// - DragonFly's system call takes seven arguments (`pad`, then the offset on the stack); the
///   raw backend passes them that way.
/// - `MAP_STACK`: OpenBSD's marks memory a thread's stack pointer may point into (checked on
///   every fault and system call since 6.4). DragonFly's was a grows-down stack reservation
///   until 5.6; since then `sys_mmap` (`sys/vm/vm_mmap.c`) turns a userland `MAP_STACK` into a
///   plain anonymous mapping that only has to be read/write with `fd == -1`, and DragonFly's own
///   thread library no longer uses it (`lib/libthread_xu/thread/thr_stack.c`). Linux's is a hint
///   with no effect on x86_64 and aarch64.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, mem, Errno};
/// use core::ptr;
///
/// let len = mem::page_size()?;
/// let rw = libc::PROT_READ | libc::PROT_WRITE;
/// // SAFETY: a fresh anonymous mapping (no MAP_FIXED), reached only through raw pointers and
/// // unmapped once at the end.
/// unsafe {
///     let p = mem::mmap(ptr::null_mut(), len, rw, libc::MAP_PRIVATE | libc::MAP_ANON, -1, 0)?;
///     let bytes = p.cast::<u8>();
///     assert_eq!(*bytes.add(len - 1), 0, "anonymous memory starts zeroed");
///     *bytes.add(len - 1) = 7;
///     assert_eq!(*bytes.add(len - 1), 7);
///     mem::munmap(p, len)?;
///     let none = mem::mmap(ptr::null_mut(), 0, rw, libc::MAP_PRIVATE | libc::MAP_ANON, -1, 0);
///     assert_eq!(none, Err(Errno::INVAL), "zero length");
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
/// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
/// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
#[inline]
pub unsafe fn mmap(
    addr: *mut c_void,
    len: usize,
    prot: c_int,
    flags: c_int,
    fd: c_int,
    offset: Off,
) -> Result<*mut c_void> {
    // SAFETY: forwarded from the caller.
    unsafe { imp::mem::mmap(addr, len, prot, flags, fd, offset) }
}

/// Unmaps `[addr, addr + len)`.
///
/// # Safety
/// Nothing may use memory in the range afterwards (it is gone, or replaced by a later mapping).
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, mem, Errno};
/// use core::ptr;
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// let len = mem::page_size()?;
/// let rw = libc::PROT_READ | libc::PROT_WRITE;
/// // SAFETY: a fresh anonymous mapping (no MAP_FIXED), reached only through raw pointers and
/// // unmapped once at the end.
/// unsafe {
///     let p = mem::mmap(ptr::null_mut(), 2 * len, rw, libc::MAP_PRIVATE | libc::MAP_ANON, -1, 0)?;
///     let upper = p.cast::<u8>().add(len).cast();
///     mem::munmap(upper, len)?; // give back the upper page only
///     // The kernel can no longer read there: a write from that page faults (an unmapped
///     // buffer is the harmless case of `fd::writev`'s safety note).
///     let gone = [fd::IoVec { iov_base: upper, iov_len: 1 }];
///     assert_eq!(fd::writev(w, &gone), Err(Errno::FAULT));
///     let kept = [fd::IoVec { iov_base: p, iov_len: 1 }];
///     assert_eq!(fd::writev(w, &kept)?, 1);
///     mem::munmap(p, len)?;
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD munmap(2)](https://man.openbsd.org/munmap.2)
/// - [DragonFly munmap(2)](https://man.dragonflybsd.org/?command=munmap&section=2)
/// - [Linux munmap(2)](https://man7.org/linux/man-pages/man2/munmap.2.html)
#[inline]
pub unsafe fn munmap(addr: *mut c_void, len: usize) -> Result<()> {
    // SAFETY: forwarded from the caller.
    unsafe { imp::mem::munmap(addr, len) }
}

/// Sets the protection of the pages in `[addr, addr + len)`; `addr` must be page-aligned.
///
/// # Safety
/// No live reference may rely on an access the new protection removes (reading a `PROT_NONE`
/// page through a `&[u8]` faults).
///
/// # Platform
/// - An unaligned `addr` is rounded down to its page and the change performed on both BSDs
///   (OpenBSD `sys/uvm/uvm_mmap.c` rev 1.203 `sys_mprotect`, `ALIGN_ADDR`; DragonFly
///   `sys/vm/vm_mmap.c` `sys_mprotect`: `pageoff` is subtracted and added to the size). Linux's
///   kernel refuses it with `EINVAL`, but musl's libc wrapper rounds it down first, so the libc
///   backend on a musl host succeeds on the page holding `addr`.
/// - OpenBSD refuses changes to immutable memory with `EPERM` (see `mimmutable`).
/// - A change may fail part-way (`ENOMEM` when a region must be split at the map-count limit,
///   for instance) after the kernel has already changed some pages of the range.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, mem, Errno};
/// use core::ptr;
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// let len = mem::page_size()?;
/// let rw = libc::PROT_READ | libc::PROT_WRITE;
/// // SAFETY: a fresh anonymous mapping (no MAP_FIXED), reached only through raw pointers and
/// // unmapped once at the end.
/// unsafe {
///     let p = mem::mmap(ptr::null_mut(), len, rw, libc::MAP_PRIVATE | libc::MAP_ANON, -1, 0)?;
///     let page = [fd::IoVec { iov_base: p, iov_len: 1 }];
///     // A guard page: with PROT_NONE even the kernel cannot read it on our behalf (the
///     // harmless case of `fd::writev`'s safety note).
///     mem::mprotect(p, len, libc::PROT_NONE)?;
///     assert_eq!(fd::writev(w, &page), Err(Errno::FAULT));
///     mem::mprotect(p, len, libc::PROT_READ)?;
///     assert_eq!(fd::writev(w, &page)?, 1);
///     mem::munmap(p, len)?;
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD mprotect(2)](https://man.openbsd.org/mprotect.2)
/// - [DragonFly mprotect(2)](https://man.dragonflybsd.org/?command=mprotect&section=2)
/// - [Linux mprotect(2)](https://man7.org/linux/man-pages/man2/mprotect.2.html)
#[inline]
pub unsafe fn mprotect(addr: *mut c_void, len: usize, prot: c_int) -> Result<()> {
    // SAFETY: forwarded from the caller.
    unsafe { imp::mem::mprotect(addr, len, prot) }
}

/// Gives the kernel `advice` (`MADV_*`) about `[addr, addr + len)`.
///
/// # Safety
/// Some advice changes contents: `MADV_DONTNEED` on Linux zero-fills private anonymous pages,
/// `MADV_FREE` lets the kernel discard them. No live reference may rely on the old contents.
///
/// # Platform
/// Values differ (`MADV_FREE` is 6 on OpenBSD, 5 on DragonFly, 8 on Linux). On the BSDs
/// `MADV_DONTNEED` only drops the pages from the resident set; their contents stay.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, mem};
/// use core::ptr;
///
/// let len = mem::page_size()?;
/// let rw = libc::PROT_READ | libc::PROT_WRITE;
/// // SAFETY: a fresh anonymous mapping (no MAP_FIXED), reached only through raw pointers and
/// // unmapped once at the end.
/// unsafe {
///     let p = mem::mmap(ptr::null_mut(), len, rw, libc::MAP_PRIVATE | libc::MAP_ANON, -1, 0)?;
///     *p.cast::<u8>() = 7;
///     mem::madvise(p, len, libc::MADV_DONTNEED)?;
///     if cfg!(target_os = "linux") {
///         assert_eq!(*p.cast::<u8>(), 0, "Linux refills private anonymous pages with zeroes");
///     }
///     mem::madvise(p, len, libc::MADV_WILLNEED)?;
///     mem::munmap(p, len)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD madvise(2)](https://man.openbsd.org/madvise.2)
/// - [DragonFly madvise(2)](https://man.dragonflybsd.org/?command=madvise&section=2)
/// - [Linux madvise(2)](https://man7.org/linux/man-pages/man2/madvise.2.html)
#[inline]
pub unsafe fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> Result<()> {
    // SAFETY: forwarded from the caller.
    unsafe { imp::mem::madvise(addr, len, advice) }
}

/// Writes modified pages of a file mapping back to the file (`MS_SYNC`, `MS_ASYNC`,
/// `MS_INVALIDATE`).
///
/// # Safety
/// `MS_INVALIDATE` may discard cached pages; no live reference may rely on their contents.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, mem};
/// use core::ptr;
///
/// # let path = format!("{}/bsd-sys-doc-{}", std::env::temp_dir().display(), std::process::id());
/// # let path = std::ffi::CString::new(path).unwrap();
/// # let f = fd::open(&path, libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC, 0o600)?;
/// # std::fs::remove_file(path.to_str().unwrap()).unwrap();
/// let len = mem::page_size()?;
/// let mut back = [0u8; 5];
/// // SAFETY: `f` was opened above and closed once; the shared mapping is fresh, reached only
/// // through raw pointers and unmapped once.
/// unsafe {
///     fd::ftruncate(f, len as i64)?;
///     let rw = libc::PROT_READ | libc::PROT_WRITE;
///     let p = mem::mmap(ptr::null_mut(), len, rw, libc::MAP_SHARED, f, 0)?;
///     ptr::copy_nonoverlapping(b"saved".as_ptr(), p.cast::<u8>(), 5);
///     mem::msync(p, len, libc::MS_SYNC)?;
///     fd::pread(f, &mut back, 0)?; // the file has the bytes written to memory
///     mem::munmap(p, len)?;
///     fd::close(f)?;
/// }
/// assert_eq!(&back, b"saved");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD msync(2)](https://man.openbsd.org/msync.2)
/// - [DragonFly msync(2)](https://man.dragonflybsd.org/?command=msync&section=2)
/// - [Linux msync(2)](https://man7.org/linux/man-pages/man2/msync.2.html)
#[inline]
pub unsafe fn msync(addr: *mut c_void, len: usize, flags: c_int) -> Result<()> {
    // SAFETY: forwarded from the caller.
    unsafe { imp::mem::msync(addr, len, flags) }
}

/// Locks the pages of `[addr, addr + len)` into memory.
///
/// Safe: locking changes residency only. Errors differ per OS:
/// - OpenBSD: `EAGAIN` over `RLIMIT_MEMLOCK` or the system's wired-page limit, `ENOMEM` for an
///   unmapped range (`sys_mlock` in `sys/uvm/uvm_mmap.c` rev 1.203).
/// - DragonFly: `EPERM` unless the caller is root (no per-process limit is implemented:
///   `pmap_wired_count` is undefined, so `sys_mlock` in `sys/vm/vm_mmap.c` takes the
///   `priv_check` branch), `EAGAIN` over the system's wired limit, `ENOMEM` if wiring fails.
/// - Linux: `ENOMEM` over `RLIMIT_MEMLOCK` or for an unmapped range, `EPERM` without the
///   privilege when the limit is 0, `EAGAIN` if some pages could not be locked.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, mem, Errno};
/// use core::ptr;
///
/// let len = mem::page_size()?;
/// let rw = libc::PROT_READ | libc::PROT_WRITE;
/// // SAFETY: a fresh anonymous mapping (no MAP_FIXED), reached only through raw pointers and
/// // unmapped once at the end.
/// unsafe {
///     let p = mem::mmap(ptr::null_mut(), len, rw, libc::MAP_PRIVATE | libc::MAP_ANON, -1, 0)?;
///     match mem::mlock(p, len) {
///         Ok(()) => mem::munlock(p, len)?,
///         // Over this process's locked-memory limit, or not allowed at all (see above).
///         Err(e) => assert!([Errno::PERM, Errno::NOMEM, Errno::AGAIN].contains(&e), "{e}"),
///     }
///     mem::munmap(p, len)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD mlock(2)](https://man.openbsd.org/mlock.2)
/// - [DragonFly mlock(2)](https://man.dragonflybsd.org/?command=mlock&section=2)
/// - [Linux mlock(2)](https://man7.org/linux/man-pages/man2/mlock.2.html)
#[inline]
pub fn mlock(addr: *const c_void, len: usize) -> Result<()> {
    imp::mem::mlock(addr, len)
}

/// Unlocks the pages of `[addr, addr + len)`.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, mem};
/// use core::ptr;
///
/// let len = mem::page_size()?;
/// let rw = libc::PROT_READ | libc::PROT_WRITE;
/// // SAFETY: a fresh anonymous mapping (no MAP_FIXED), reached only through raw pointers and
/// // unmapped once at the end.
/// unsafe {
///     let p = mem::mmap(ptr::null_mut(), len, rw, libc::MAP_PRIVATE | libc::MAP_ANON, -1, 0)?;
///     if mem::mlock(p, len).is_ok() {
///         // Locked pages are resident; unlocking lets the kernel page them out again.
///         mem::munlock(p, len)?;
///     }
///     mem::munmap(p, len)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD munlock(2)](https://man.openbsd.org/munlock.2)
/// - [DragonFly munlock(2)](https://man.dragonflybsd.org/?command=munlock&section=2)
/// - [Linux munlock(2)](https://man7.org/linux/man-pages/man2/munlock.2.html)
#[inline]
pub fn munlock(addr: *const c_void, len: usize) -> Result<()> {
    imp::mem::munlock(addr, len)
}

/// Sets how `[addr, addr + len)` is passed to a child at `fork` (`MAP_INHERIT_*` on OpenBSD,
/// `INHERIT_*` on DragonFly).
///
/// # Safety
/// With "none" the child has no memory there; with "zero" (OpenBSD) it sees zeroes. Code the
/// child runs must not rely on the range's contents.
///
/// # Platform
/// OpenBSD and DragonFly only; Linux's counterpart is `madvise(MADV_DONTFORK)`.
///
/// # Examples
/// ```
/// use bsd_sys::{fd, libc, mem, Errno};
/// use core::ptr;
///
/// #[cfg(target_os = "openbsd")]
/// let none = libc::MAP_INHERIT_NONE;
/// #[cfg(target_os = "dragonfly")]
/// let none = libc::INHERIT_NONE;
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// let len = mem::page_size()?;
/// let rw = libc::PROT_READ | libc::PROT_WRITE;
/// // SAFETY: a fresh anonymous mapping (no MAP_FIXED), reached only through raw pointers and
/// // unmapped once at the end.
/// unsafe {
///     let p = mem::mmap(ptr::null_mut(), len, rw, libc::MAP_PRIVATE | libc::MAP_ANON, -1, 0)?;
///     mem::minherit(p, len, none)?;
///     let page = [fd::IoVec { iov_base: p, iov_len: 1 }];
///     let child = libc::fork();
///     assert!(child >= 0);
///     if child == 0 {
///         // The child has no memory there (`uvmspace_fork` skips the entry: OpenBSD
///         // `sys/uvm/uvm_map.c` rev 1.346; DragonFly `vmspace_fork_normal_entry`,
///         // `sys/vm/vm_map.c` at 6.4's `81dd9c6184`), so the kernel's copy-in for writev
///         // faults: EFAULT, not a SIGSEGV. Only async-signal-safe calls between fork and _exit.
///         let code = if fd::writev(w, &page) == Err(Errno::FAULT) { 0 } else { 1 };
///         bsd_sys::process::_exit(code);
///     }
///     let mut status = 0;
///     assert_eq!(libc::waitpid(child, &mut status, 0), child);
///     assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
///     assert_eq!(fd::writev(w, &page)?, 1, "the parent still has it");
///     mem::munmap(p, len)?;
///     fd::close(r)?;
///     fd::close(w)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD minherit(2)](https://man.openbsd.org/minherit.2)
/// - [DragonFly minherit(2)](https://man.dragonflybsd.org/?command=minherit&section=2)
#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
#[inline]
pub unsafe fn minherit(addr: *mut c_void, len: usize, inherit: c_int) -> Result<()> {
    // SAFETY: forwarded from the caller.
    unsafe { imp::mem::minherit(addr, len, inherit) }
}

/// Makes the mappings in `[addr, addr + len)` immutable: later `mmap`, `mprotect`, `munmap`
/// and most `madvise`/`minherit`/`msync` requests on them fail with `EPERM`.
///
/// # Safety
/// Whoever owns the range must never need to unmap or reprotect it (an owner that unmaps on
/// drop will see its `munmap` fail and the memory stays mapped).
///
/// # Platform
/// OpenBSD 7.3 and later only.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, mem, Errno};
/// use core::ptr;
///
/// let len = mem::page_size()?;
/// // SAFETY: a fresh anonymous mapping nobody else knows of; it stays mapped for good.
/// unsafe {
///     let p = mem::mmap(ptr::null_mut(), len, libc::PROT_READ, libc::MAP_PRIVATE | libc::MAP_ANON, -1, 0)?;
///     mem::mimmutable(p, len)?;
///     // `uvm_map_protect` (`sys/uvm/uvm_map.c` rev 1.346) and `sys_munmap`
///     // (`sys/uvm/uvm_mmap.c` rev 1.203) refuse immutable entries with EPERM.
///     assert_eq!(mem::mprotect(p, len, libc::PROT_READ | libc::PROT_WRITE), Err(Errno::PERM));
///     assert_eq!(mem::munmap(p, len), Err(Errno::PERM));
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD mimmutable(2)](https://man.openbsd.org/mimmutable.2)
#[cfg(target_os = "openbsd")]
#[inline]
pub unsafe fn mimmutable(addr: *mut c_void, len: usize) -> Result<()> {
    // SAFETY: forwarded from the caller.
    unsafe { imp::mem::mimmutable(addr, len) }
}

/// The size of a virtual memory page, in bytes.
///
/// # Platform
/// - OpenBSD: `sysconf(_SC_PAGESIZE)` (libc reads `hw.pagesize`).
/// - DragonFly: raw backend `__sysctl` `{CTL_HW, HW_PAGESIZE}` (`hw.pagesize`); libc backend
///   `sysconf(_SC_PAGESIZE)`.
/// - Linux: libc backend `sysconf(_SC_PAGESIZE)`; raw backend `getauxval(AT_PAGESZ)`, a C
///   library function that reads the aux vector the kernel passed at exec (no system call
///   gives the page size on Linux).
///
/// # Examples
/// ```
/// let page = bsd_sys::mem::page_size()?;
/// assert!(page.is_power_of_two() && page >= 4096);
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sysconf(3)](https://man.openbsd.org/sysconf.3)
/// - [DragonFly sysctl(3)](https://man.dragonflybsd.org/?command=sysctl&section=3)
/// - [Linux getauxval(3)](https://man7.org/linux/man-pages/man3/getauxval.3.html)
#[doc(alias = "getpagesize")]
#[doc(alias = "sysconf")]
#[doc(alias = "_SC_PAGESIZE")]
#[inline]
pub fn page_size() -> Result<usize> {
    imp::mem::page_size()
}
