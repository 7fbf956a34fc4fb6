//! The page size, asked once and cached.

use core::sync::atomic::{AtomicUsize, Ordering};

/// Cached page size; 0 until first asked.
static PAGE_SIZE: AtomicUsize = AtomicUsize::new(0);

/// The smallest page size any supported OS and architecture uses.
const MIN_PAGE: usize = 4096;

/// The size of a virtual memory page, in bytes (asked once, then cached).
///
/// # Platform
/// OpenBSD: `sysconf(_SC_PAGESIZE)` (libc reads `hw.pagesize`). DragonFly: sysctl `hw.pagesize`
/// (raw backend) or `sysconf` (libc backend). Linux: `sysconf`, or `getauxval(AT_PAGESZ)` with
/// the raw backend. None of these fails on a supported system; if one ever did, 4096 (the
/// smallest page of every supported architecture) is returned, so lengths stay page multiples
/// and the kernel rejects a misaligned request instead of anything going wrong silently.
///
/// On x86_64 the answer is the constant 4096, with no load or call: every supported kernel
/// fixes the page at 4 KiB there (`PAGE_SHIFT 12`: OpenBSD `sys/arch/amd64/include/param.h`,
/// DragonFly `sys/cpu/x86_64/include/param.h`, Linux `arch/x86/include/asm/page_types.h`),
/// which keeps [`Mapping`](crate::Mapping)'s length rounding to a few instructions.
///
/// # References
/// - [OpenBSD sysconf(3)](https://man.openbsd.org/sysconf.3)
/// - [DragonFly sysctl(3)](https://man.dragonflybsd.org/?command=sysctl&section=3)
/// - [Linux sysconf(3)](https://man7.org/linux/man-pages/man3/sysconf.3.html)
///
/// # Examples
/// ```
/// let page = bsd_mem::page_size();
/// assert!(page.is_power_of_two() && page >= 4096);
/// # #[cfg(target_arch = "x86_64")]
/// assert_eq!(page, 4096);
/// ```
#[doc(alias = "getpagesize")]
#[doc(alias = "sysconf")]
#[doc(alias = "_SC_PAGESIZE")]
#[must_use = "the size is returned, nothing is changed"]
#[inline]
pub fn page_size() -> usize {
    if cfg!(target_arch = "x86_64") {
        return MIN_PAGE;
    }
    let cached = PAGE_SIZE.load(Ordering::Relaxed);
    if cached != 0 {
        return cached;
    }
    let size = match bsd_sys::mem::page_size() {
        Ok(size) if size.is_power_of_two() => size,
        _ => MIN_PAGE,
    };
    PAGE_SIZE.store(size, Ordering::Relaxed);
    size
}

/// `len` rounded up to whole pages, or `None` on overflow.
#[inline]
pub(crate) fn round_up(len: usize) -> Option<usize> {
    let page = page_size();
    len.checked_add(page - 1).map(|l| l & !(page - 1))
}
