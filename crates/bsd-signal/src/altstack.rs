//! `AltStack`: a per-thread alternate signal stack, restored on drop.

// The `LIVE` initializer below is `const` already; clippy misreports it on targets without
// native thread-local support (aarch64-unknown-openbsd).
#![allow(clippy::missing_const_for_thread_local)]

use core::cell::RefCell;
use core::marker::PhantomData;
use core::ops::Range;
use core::ptr;

use bsd_mem::Stack;
use bsd_sys::libc::{self, stack_t};
use bsd_sys::{Errno, Result};

/// An alternate signal stack installed on the calling thread; the previous one comes back on
/// drop.
///
/// Handlers installed with [`SaFlags::ONSTACK`](crate::SaFlags::ONSTACK) run on it, so a
/// handler still works when the thread's own stack has overflowed. The memory is a
/// [`bsd_mem::Stack`] (whole pages of `MAP_STACK` memory above a guard page), unmapped when the
/// `AltStack` is dropped.
///
/// `AltStack` is `!Send`: the kernel's alternate stack is a per-thread setting, so the value
/// must be dropped on the thread that installed it. Nested `AltStack`s on one thread may be
/// dropped in any order: each drop hands its own predecessor to whichever stack was installed
/// on top of it, so a stack that is gone is never reinstalled.
///
/// A stack is never unmapped while the thread runs on it: if the drop happens while the thread
/// is on this stack (the kernel reports `SS_ONSTACK` for it, or the current stack pointer lies
/// inside it), the memory is leaked and the kernel's setting left as it is. Installing a new
/// stack while the thread runs on its alternate stack is refused with `Errno::PERM` on every
/// OS, so a stack that is running can never be replaced and then freed underneath a handler.
///
/// # Platform
/// - OpenBSD: the kernel remaps the given range as a fresh, zero-filled anonymous `MAP_STACK`
///   mapping (`sys_sigaltstack` → `uvm_map_remap_as_stack`): the contents are wiped, the range
///   is rounded inward to whole pages, and when `ss_sp` is page aligned (as here) the lowest
///   page is skipped. bsd-signal therefore asks for one page more than the requested size, so
///   the usable part still meets it. Minimum `MINSIGSTKSZ` = 12288 (`3 << _MAX_PAGE_SHIFT`).
/// - DragonFly: `MINSIGSTKSZ` = 8192 (`sys/sys/signal.h`); no `MAP_STACK` requirement. The
///   kernel refuses only *disabling* the stack while on it (`EPERM`), and lets a different
///   stack be installed while the thread runs on the current one, which also clears
///   `SS_ONSTACK` (`kern_sigaltstack` in `sys/kern/kern_sig.c`); bsd-signal refuses that
///   itself (see above) and, on drop, also checks the stack pointer against the stack.
/// - OpenBSD and Linux refuse any change while the thread is on its alternate stack (`EPERM`).
/// - Linux: the minimum is the larger of the C library's `MINSIGSTKSZ` (glibc: 2048 on x86_64,
///   5120 on aarch64) and the kernel's `AT_MINSIGSTKSZ`, the real size of a signal frame on
///   this CPU (AVX-512 and AMX state make it far larger than the constant; the kernel refuses
///   to deliver onto a too-small stack).
///
/// # Examples
/// ```
/// use bsd_signal::{AltStack, Errno};
///
/// assert!(AltStack::default_size() >= AltStack::min_size());
/// let outer = AltStack::with_default_size()?;
/// assert!(outer.is_installed());
/// let inner = AltStack::new(AltStack::min_size())?; // nests: replaces `outer` for now
/// assert!(inner.range().len() >= AltStack::min_size());
/// assert!(inner.is_installed() && !outer.is_installed());
/// drop(inner);
/// assert!(outer.is_installed()); // the previous stack is back
/// assert_eq!(AltStack::new(1).unwrap_err(), Errno::NOMEM); // below MINSIGSTKSZ
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
///
/// The value must be kept: dropping it uninstalls the stack at once, so an unused
/// `AltStack` is a warning (an error here, with `deny`):
/// ```compile_fail
/// #![deny(unused_must_use)]
/// fn main() -> bsd_signal::Result<()> {
///     bsd_signal::AltStack::with_default_size()?; // installed and removed again
///     Ok(())
/// }
/// ```
///
/// A complete program, a thread whose stack overflow is reported by a `SIGSEGV` handler
/// running on an `AltStack`, is `examples/stack_overflow.rs`.
///
/// # References
/// - [OpenBSD sigaltstack(2)](https://man.openbsd.org/sigaltstack.2)
/// - [DragonFly sigaltstack(2)](https://man.dragonflybsd.org/?command=sigaltstack&section=2)
/// - [Linux sigaltstack(2)](https://man7.org/linux/man-pages/man2/sigaltstack.2.html)
#[doc(alias = "sigaltstack")]
#[must_use = "dropping an AltStack uninstalls it at once: bind it (`let _alt = ...`) for as long as handlers need it"]
#[derive(Debug)]
pub struct AltStack {
    stack: Option<Stack>,
    sp: usize,
    size: usize,
    _not_send: PhantomData<*mut ()>,
}

/// The previous alternate stack of each live `AltStack` of this thread, keyed by `ss_sp`.
struct Entry {
    sp: usize,
    previous: Saved,
}

#[derive(Clone, Copy)]
struct Saved {
    sp: usize,
    size: usize,
    flags: libc::c_int,
}

impl Saved {
    fn from_raw(s: &stack_t) -> Saved {
        Saved {
            sp: s.ss_sp as usize,
            size: s.ss_size,
            flags: s.ss_flags,
        }
    }

    fn to_raw(self) -> stack_t {
        let mut s = disabled();
        if self.flags & libc::SS_DISABLE == 0 {
            s.ss_sp = self.sp as *mut libc::c_void;
            s.ss_size = self.size;
            s.ss_flags = 0;
        }
        s
    }
}

fn disabled() -> stack_t {
    // SAFETY: stack_t is plain data; all-zero is valid.
    let mut s: stack_t = unsafe { core::mem::zeroed() };
    s.ss_sp = ptr::null_mut();
    s.ss_flags = libc::SS_DISABLE;
    s
}

std::thread_local! {
    static LIVE: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

impl AltStack {
    /// The smallest size [`AltStack::new`] accepts on this system (`MINSIGSTKSZ`, see
    /// `# Platform` above).
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{AltStack, Errno};
    ///
    /// let min = AltStack::min_size();
    /// // OpenBSD `3 << _MAX_PAGE_SHIFT`, DragonFly 8192 (`sys/sys/signal.h` on each); Linux
    /// // the C library's constant (2048 or more) or the CPU's larger `AT_MINSIGSTKSZ`.
    /// if cfg!(target_os = "openbsd") {
    ///     assert_eq!(min, 12288);
    /// } else if cfg!(target_os = "dragonfly") {
    ///     assert_eq!(min, 8192);
    /// }
    /// assert!(min >= 2048);
    /// let smallest = AltStack::new(min)?; // accepted ...
    /// assert!(smallest.is_installed());
    /// drop(smallest);
    /// assert_eq!(AltStack::new(min - 1).unwrap_err(), Errno::NOMEM); // ... one byte less is not
    /// # Ok::<(), Errno>(())
    /// ```
    ///
    /// # References
    /// - [OpenBSD sigaltstack(2)](https://man.openbsd.org/sigaltstack.2)
    /// - [DragonFly sigaltstack(2)](https://man.dragonflybsd.org/?command=sigaltstack&section=2)
    /// - [Linux sigaltstack(2)](https://man7.org/linux/man-pages/man2/sigaltstack.2.html)
    #[doc(alias = "MINSIGSTKSZ")]
    pub fn min_size() -> usize {
        bsd_sys::signal::min_signal_stack_size()
    }

    /// A comfortable default size: `SIGSTKSZ`, or twice [`AltStack::min_size`] where larger.
    ///
    /// # References
    /// - [OpenBSD sigaltstack(2)](https://man.openbsd.org/sigaltstack.2)
    /// - [DragonFly sigaltstack(2)](https://man.dragonflybsd.org/?command=sigaltstack&section=2)
    /// - [Linux sigaltstack(2)](https://man7.org/linux/man-pages/man2/sigaltstack.2.html)
    #[doc(alias = "SIGSTKSZ")]
    pub fn default_size() -> usize {
        bsd_sys::signal::default_signal_stack_size()
    }

    /// Maps a stack of at least `size` usable bytes and installs it on the calling thread.
    ///
    /// Errors: `Errno::NOMEM` if `size` is below [`AltStack::min_size`] (as the kernel says) or
    /// memory is short; `Errno::PERM` if the thread is running on its alternate stack right now
    /// (checked here on every OS; DragonFly's kernel would allow it). On error nothing stays
    /// mapped and the thread's alternate stack is unchanged.
    ///
    /// # Examples
    /// A handler installed with `SA_ONSTACK` runs on the new stack:
    /// ```
    /// use std::hint::black_box;
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use bsd_signal::{raise, set_action, AltStack, SaFlags, SigAction, SigInfo, Signal};
    ///
    /// static HANDLER_SP: AtomicUsize = AtomicUsize::new(0);
    /// fn on_usr1(_: &SigInfo) {
    ///     let local = 0u8;
    ///     HANDLER_SP.store(black_box(&local) as *const u8 as usize, Ordering::SeqCst);
    /// }
    /// let alt = AltStack::new(64 * 1024)?;
    /// assert!(alt.range().len() >= 64 * 1024);
    /// let on_alt = SigAction::handler(on_usr1).with_flags(SaFlags::ONSTACK);
    /// // SAFETY: the handler only stores into an atomic.
    /// let previous = unsafe { set_action(Signal::USR1, &on_alt) }?;
    /// raise(Signal::USR1)?;
    /// assert!(alt.contains(HANDLER_SP.load(Ordering::SeqCst)));
    /// // SAFETY: restoring what the kernel reported.
    /// unsafe { set_action(Signal::USR1, &previous) }?;
    /// # Ok::<(), bsd_signal::Errno>(())
    /// ```
    ///
    /// # References
    /// - [OpenBSD sigaltstack(2)](https://man.openbsd.org/sigaltstack.2)
    /// - [DragonFly sigaltstack(2)](https://man.dragonflybsd.org/?command=sigaltstack&section=2)
    /// - [Linux sigaltstack(2)](https://man7.org/linux/man-pages/man2/sigaltstack.2.html)
    #[doc(alias = "sigaltstack")]
    pub fn new(size: usize) -> Result<AltStack> {
        if size < AltStack::min_size() {
            return Err(Errno::NOMEM);
        }
        if current().is_some_and(|now| now.flags & libc::SS_ONSTACK != 0) {
            // The running stack must not be replaced (DragonFly's kernel would allow it): its
            // owner could then be dropped, and freed, while a handler still runs on it.
            return Err(Errno::PERM);
        }
        // OpenBSD skips the lowest page of a page-aligned range (see `# Platform`).
        let extra = if cfg!(target_os = "openbsd") {
            bsd_mem::page_size()
        } else {
            0
        };
        let stack = Stack::new(size.checked_add(extra).ok_or(Errno::NOMEM)?)?;
        let range = stack.usable_range();
        let mut new = disabled();
        new.ss_sp = range.start as *mut libc::c_void;
        new.ss_size = range.end - range.start;
        new.ss_flags = 0;
        // SAFETY: the memory is a fresh read/write mapping owned by the returned value, which
        // restores the previous stack before unmapping it (or leaks it, see Drop).
        let previous = unsafe { bsd_sys::signal::sigaltstack(Some(&new)) }?;
        let sp = range.start;
        let _ = LIVE.try_with(|live| {
            live.borrow_mut().push(Entry {
                sp,
                previous: Saved::from_raw(&previous),
            })
        });
        Ok(AltStack {
            stack: Some(stack),
            sp,
            size: new.ss_size,
            _not_send: PhantomData,
        })
    }

    /// Installs a stack of [`AltStack::default_size`] bytes.
    ///
    /// # Examples
    /// The kernel reports the stack as the thread's alternate stack:
    /// ```
    /// use bsd_signal::AltStack;
    /// use bsd_sys::{libc, signal};
    ///
    /// let alt = AltStack::with_default_size()?;
    /// assert!(alt.range().len() >= AltStack::default_size());
    /// // SAFETY: a query installs nothing.
    /// let now = unsafe { signal::sigaltstack(None) }?;
    /// assert_eq!(now.ss_flags & libc::SS_DISABLE, 0);
    /// assert_eq!(now.ss_sp as usize..now.ss_sp as usize + now.ss_size, alt.range());
    /// # Ok::<(), bsd_signal::Errno>(())
    /// ```
    ///
    /// # References
    /// - [OpenBSD sigaltstack(2)](https://man.openbsd.org/sigaltstack.2)
    /// - [DragonFly sigaltstack(2)](https://man.dragonflybsd.org/?command=sigaltstack&section=2)
    /// - [Linux sigaltstack(2)](https://man7.org/linux/man-pages/man2/sigaltstack.2.html)
    pub fn with_default_size() -> Result<AltStack> {
        AltStack::new(AltStack::default_size())
    }

    /// The address range handed to the kernel (`ss_sp .. ss_sp + ss_size`).
    pub fn range(&self) -> Range<usize> {
        self.sp..self.sp + self.size
    }

    /// Whether `addr` lies inside [`AltStack::range`].
    pub fn contains(&self, addr: usize) -> bool {
        self.range().contains(&addr)
    }

    /// Whether this stack is the calling thread's current alternate stack.
    pub fn is_installed(&self) -> bool {
        current().is_some_and(|s| s.sp == self.sp && s.flags & libc::SS_DISABLE == 0)
    }
}

impl AltStack {
    /// Whether the calling thread's stack pointer lies inside this stack's memory (guard page
    /// included), judged by the address of a local variable.
    fn holds_sp(&self) -> bool {
        let marker = 0u8;
        let sp = core::hint::black_box(&marker) as *const u8 as usize;
        self.stack
            .as_ref()
            .is_some_and(|s| s.guard_range().start <= sp && sp < s.usable_range().end)
    }
}

/// The calling thread's alternate stack, as the kernel reports it.
fn current() -> Option<Saved> {
    // SAFETY: a query installs nothing.
    unsafe { bsd_sys::signal::sigaltstack(None) }
        .ok()
        .map(|s| Saved::from_raw(&s))
}

impl Drop for AltStack {
    fn drop(&mut self) {
        let sp = self.sp;
        let entry = LIVE
            .try_with(|live| {
                let mut live = live.borrow_mut();
                let i = live.iter().position(|e| e.sp == sp)?;
                Some(live.remove(i))
            })
            .ok()
            .flatten();
        let previous = entry.map(|e| e.previous);
        let Some(now) = current() else {
            // The kernel did not say which stack is installed (it cannot fail in practice);
            // leaking the memory is the only choice that is safe either way.
            core::mem::forget(self.stack.take());
            return;
        };
        let installed = now.sp == sp && now.flags & libc::SS_DISABLE == 0;
        let running_on_it = (installed && now.flags & libc::SS_ONSTACK != 0) || self.holds_sp();
        if running_on_it {
            // A handler is running on this stack: neither switch the kernel away from it
            // (DragonFly would accept installing the predecessor) nor unmap it. Leak it.
            core::mem::forget(self.stack.take());
            return;
        }
        let mut safe_to_unmap = true;
        if installed {
            let restore = previous.map_or_else(disabled, Saved::to_raw);
            // SAFETY: `previous` is the stack that was installed before this one, still live:
            // when an older AltStack is dropped first, its entry's predecessor is handed on to
            // the stack above it (the `else` branch), so a dropped range is never restored.
            if unsafe { bsd_sys::signal::sigaltstack(Some(&restore)) }.is_err() {
                // EPERM: running on this stack right now; keep the memory.
                safe_to_unmap = false;
            }
        } else if let Some(previous) = previous {
            let _ = LIVE.try_with(|live| {
                for e in live.borrow_mut().iter_mut() {
                    if e.previous.sp == sp && e.previous.flags & libc::SS_DISABLE == 0 {
                        e.previous = previous;
                    }
                }
            });
        }
        if !safe_to_unmap {
            core::mem::forget(self.stack.take());
        }
    }
}
