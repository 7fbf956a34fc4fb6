//! `Stack`: MAP_STACK memory with a guard page below, for thread and signal stacks.

use core::ffi::c_void;
use core::ops::Range;
use core::ptr;

use bsd_sys::libc;
use bsd_sys::{Errno, Result};

use crate::page::{page_size, round_up};

/// The flag that marks stack memory in `mmap`: required on OpenBSD, a hint on Linux, nothing on
/// DragonFly since 5.6 (see [`Stack`]'s `# Platform`).
#[cfg(not(target_os = "dragonfly"))]
const STACK_FLAG: libc::c_int = libc::MAP_STACK;
#[cfg(target_os = "dragonfly")]
const STACK_FLAG: libc::c_int = 0;

/// A stack: whole pages of stack memory (`MAP_STACK` where the OS needs it) with one
/// inaccessible guard page below.
///
/// Stacks grow down on every supported architecture, so an overflow runs into the guard page
/// and faults (`SIGSEGV`) instead of silently writing over whatever lies below. The memory is
/// readable, writable, zero-filled and private to the process; it is unmapped on drop.
///
/// Layout: `[guard page][usable stack: len() bytes]`, with [`base`](Stack::base) the lowest
/// usable address. A thread's initial stack pointer is the top, `base() + len()`.
///
/// # Mapping strategy
/// `new` first reserves the whole range (guard + stack) as one `PROT_NONE` anonymous mapping,
/// then maps the usable part over it with `MAP_FIXED` (plus `MAP_STACK`, see below) and
/// read/write protection. The guard is thus a separate, plain anonymous mapping, never part of
/// the stack mapping: no `mprotect` inside stack memory is needed on any OS, which keeps
/// OpenBSD's rule simple (only `mmap` creates `MAP_STACK` memory, and the stack pointer must
/// stay inside it: the guard page is exactly the memory it must never reach).
///
/// # Platform
/// - OpenBSD: `MAP_STACK` (0x4000) is required for any memory a thread's stack pointer points
///   into (checked at every page fault and system call since 6.4; a violation raises `SIGSEGV`
///   with `SEGV_ACCERR`, which kills the process unless handled: `uvm_map_inentry` in
///   `sys/uvm/uvm_map.c`, `mi_syscall` in `sys/sys/syscall_mi.h`), and `sys_mmap` accepts it only with `MAP_ANON | MAP_PRIVATE`, offset 0 and
///   read/write protection (`sys/uvm/uvm_mmap.c` rev 1.203). `sigaltstack(2)` remaps its range
///   as `MAP_STACK` itself, so a `Stack` works as a signal stack too.
/// - DragonFly: the flag is **not** passed. Since 5.6 `sys_mmap` (`sys/vm/vm_mmap.c`) turns a
///   userland `MAP_STACK` into a plain anonymous mapping (it only checks `fd == -1` and
///   read/write, then sets `MAP_ANON`), so it adds nothing; before 5.6 it made a grows-down
///   reservation with different rules. DragonFly's own thread library maps thread stacks with
///   plain `mmap` and a `PROT_NONE` guard for the same reason
///   (`lib/libthread_xu/thread/thr_stack.c`). A `Stack` is the same layout.
/// - Linux: `MAP_STACK` is passed (as glibc does for thread stacks); it has no effect on x86_64
///   and aarch64 beyond marking the mapping as a stack for transparent huge pages.
///
/// # References
/// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
/// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
/// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
///
/// # Examples
/// ```
/// use bsd_mem::{page_size, Stack};
///
/// let stack = Stack::new(64 * 1024)?; // 64 KiB of stack memory and a guard page below it
/// assert_eq!(stack.len(), 64 * 1024);
/// assert_eq!(stack.guard_range().len(), page_size());
/// assert_eq!(stack.guard_range().end, stack.usable_range().start); // the guard is right below
/// let top = stack.usable_range().end; // a new thread's initial stack pointer
/// // SAFETY: the byte just below the top is usable stack memory and nothing runs on the stack.
/// unsafe { stack.base().add(stack.len() - 1).write(1) };
/// assert_eq!(top - stack.base() as usize, stack.len());
/// # Ok::<(), bsd_mem::Errno>(())
/// ```
#[doc(alias = "MAP_STACK")]
#[derive(Debug)]
#[must_use = "dropping a Stack unmaps it at once"]
pub struct Stack {
    /// Start of the whole reservation: the guard page.
    guard: *mut u8,
    /// Usable length (whole pages).
    len: usize,
    /// Guard length (one page).
    guard_len: usize,
}

// SAFETY: a `Stack` owns its mapping exclusively and hands out only addresses; nothing in it
// is tied to the creating thread.
unsafe impl Send for Stack {}
// SAFETY: `&Stack` gives only addresses and lengths, no access to the memory.
unsafe impl Sync for Stack {}

impl Stack {
    /// Maps a stack of `size` bytes rounded up to whole pages, plus one `PROT_NONE` guard page
    /// below it.
    ///
    /// Errors: `Errno::INVAL` for `size == 0`, `Errno::NOMEM` when the rounded size overflows
    /// or the kernel has no room. On error nothing stays mapped.
    ///
    /// # References
    /// - [OpenBSD mmap(2)](https://man.openbsd.org/mmap.2)
    /// - [DragonFly mmap(2)](https://man.dragonflybsd.org/?command=mmap&section=2)
    /// - [Linux mmap(2)](https://man7.org/linux/man-pages/man2/mmap.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_mem::{page_size, Errno, Stack};
    ///
    /// let stack = Stack::new(1)?; // rounded up to a whole page
    /// assert_eq!(stack.len(), page_size());
    /// assert_eq!(Stack::new(0).err(), Some(Errno::INVAL));
    /// assert_eq!(Stack::new(usize::MAX).err(), Some(Errno::NOMEM)); // nothing stays mapped
    /// # Ok::<(), bsd_mem::Errno>(())
    /// ```
    #[doc(alias = "mmap")]
    #[doc(alias = "MAP_STACK")]
    pub fn new(size: usize) -> Result<Stack> {
        if size == 0 {
            return Err(Errno::INVAL);
        }
        let guard_len = page_size();
        let len = round_up(size).ok_or(Errno::NOMEM)?;
        let total = len.checked_add(guard_len).ok_or(Errno::NOMEM)?;
        // SAFETY: no MAP_FIXED: the kernel picks a free range, nothing existing is touched.
        let guard = unsafe {
            bsd_sys::mem::mmap(
                ptr::null_mut(),
                total,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANON,
                -1,
                0,
            )
        }? as *mut u8;
        let stack = guard.wrapping_add(guard_len);
        // SAFETY: MAP_FIXED replaces only the upper part of the reservation just made, which
        // nothing else knows about.
        let mapped = unsafe {
            bsd_sys::mem::mmap(
                stack.cast::<c_void>(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANON | libc::MAP_FIXED | STACK_FLAG,
                -1,
                0,
            )
        };
        match mapped {
            Ok(addr) if addr.cast::<u8>() == stack => Ok(Stack {
                guard,
                len,
                guard_len,
            }),
            other => {
                // SAFETY: the reservation is ours and nothing has used it.
                let _ = unsafe { bsd_sys::mem::munmap(guard.cast::<c_void>(), total) };
                Err(other.err().unwrap_or(Errno::NOMEM))
            }
        }
    }

    /// The lowest usable address, just above the guard page.
    #[inline]
    pub fn base(&self) -> *mut u8 {
        self.guard.wrapping_add(self.guard_len)
    }

    /// The usable length in bytes (whole pages, guard page excluded).
    #[inline]
    #[allow(clippy::len_without_is_empty)] // a Stack is never empty
    pub fn len(&self) -> usize {
        self.len
    }

    /// The usable addresses, `[base, base + len)`.
    #[inline]
    pub fn usable_range(&self) -> Range<usize> {
        let base = self.base() as usize;
        base..base + self.len
    }

    /// The guard page's addresses, directly below [`usable_range`](Stack::usable_range).
    #[inline]
    pub fn guard_range(&self) -> Range<usize> {
        let guard = self.guard as usize;
        guard..guard + self.guard_len
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        // SAFETY: the mapping is owned by `self`; `Stack` hands out only addresses, so whoever
        // ran on it (a thread, a signal handler) had to be done with it before dropping.
        let result =
            unsafe { bsd_sys::mem::munmap(self.guard.cast::<c_void>(), self.guard_len + self.len) };
        // munmap of a range this value mapped cannot fail unless something else unmapped or
        // sealed it (OpenBSD `mimmutable`); the memory then stays mapped, which is safe, but it
        // is a bug worth seeing in debug builds.
        debug_assert!(
            result.is_ok(),
            "bsd-mem: munmap of a Stack failed: {result:?}"
        );
    }
}
