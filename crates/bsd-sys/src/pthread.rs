//! Threads created by the C library's pthreads, on a caller's stack if asked.
//!
//! This is the one way bsd-rs creates threads, on every backend (the raw backend too): a
//! thread made with the raw calls (`__tfork` on OpenBSD, `lwp_create` on DragonFly, `clone` on
//! Linux) has no thread control block, TLS or `errno` of its own, so any libc call from it,
//! the allocator included, is undefined behaviour; and OpenBSD kills a process that issues a
//! system call from outside libc (pinsyscalls(2)). Go's runtime also goes through
//! `pthread_create` on OpenBSD (`runtime/os_openbsd_libc.go`, `newosproc`).
//!
//! Needs the `std` feature (the start routine is a boxed closure and a panic in it aborts).

use core::ffi::c_void;
use core::mem::MaybeUninit;

use std::boxed::Box;

use crate::{Errno, Result};

/// The smallest stack `pthread_attr_setstack` accepts (`PTHREAD_STACK_MIN`).
///
/// OpenBSD: one page (`1 << _MAX_PAGE_SHIFT`, 4096 on amd64 and arm64); DragonFly: 16384;
/// Linux: glibc 16384 (x86_64) or 131072 (aarch64), musl 2048. glibc also keeps its thread
/// descriptor and static TLS at the top of a caller-provided stack, so leave room beyond it.
pub const PTHREAD_STACK_MIN: usize = libc::PTHREAD_STACK_MIN;

extern "C" {
    /// POSIX `int pthread_attr_setstack(pthread_attr_t *, void *, size_t)`: not bound by the
    /// libc crate for these targets.
    fn pthread_attr_setstack(
        attr: *mut libc::pthread_attr_t,
        addr: *mut c_void,
        size: usize,
    ) -> libc::c_int;
}

/// A joinable thread; consumed by [`join`] or [`detach`] so it cannot be joined twice.
///
/// # Examples
/// ```
/// use bsd_sys::pthread::{self, StackSpec};
/// use std::sync::atomic::{AtomicBool, Ordering};
/// use std::sync::Arc;
///
/// let ran = Arc::new(AtomicBool::new(false));
/// let flag = ran.clone();
/// // SAFETY: `StackSpec::Default` has no precondition.
/// let thread = unsafe { pthread::spawn(StackSpec::Default, Box::new(move || flag.store(true, Ordering::SeqCst)))? };
/// let _id = thread.as_raw(); // the `pthread_t`, for calls this module does not wrap
/// pthread::join(thread).map_err(|(e, _)| e)?;
/// assert!(ran.load(Ordering::SeqCst));
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD pthread_create(3)](https://man.openbsd.org/pthread_create.3)
/// - [DragonFly pthread_create(3)](https://man.dragonflybsd.org/?command=pthread_create&section=3)
/// - [Linux pthread_create(3)](https://man7.org/linux/man-pages/man3/pthread_create.3.html)
#[doc(alias = "pthread_t")]
#[derive(Debug)]
#[must_use = "a Pthread must be joined or detached, or its resources leak"]
pub struct Pthread(libc::pthread_t);

// SAFETY: a `pthread_t` is an id that any thread of the process may join or detach (OpenBSD's
// is a pointer to the library's thread record, which it owns and locks itself).
unsafe impl Send for Pthread {}
// SAFETY: `&Pthread` only hands out the id.
unsafe impl Sync for Pthread {}

impl Pthread {
    /// The `pthread_t`, for calls this crate does not wrap.
    #[must_use]
    pub fn as_raw(&self) -> libc::pthread_t {
        self.0
    }
}

/// Where the new thread's stack comes from (new ways may be added: `#[non_exhaustive]`).
///
/// # Examples
/// ```
/// use bsd_sys::pthread::{self, StackSpec};
///
/// // 1 MiB from the C library, whatever its default is.
/// // SAFETY: `StackSpec::Size` has no precondition.
/// let thread = unsafe {
///     pthread::spawn(StackSpec::Size(1 << 20), Box::new(|| {
///         let deep = [1u8; 256 * 1024]; // more than musl's 128 KiB default
///         assert_eq!(std::hint::black_box(&deep).iter().map(|&b| b as usize).sum::<usize>(), 256 * 1024);
///     }))?
/// };
/// pthread::join(thread).map_err(|(e, _)| e)?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD pthread_attr_setstack(3)](https://man.openbsd.org/pthread_attr_setstack.3)
/// - [DragonFly pthread_attr_setstack(3)](https://man.dragonflybsd.org/?command=pthread_attr_setstack&section=3)
/// - [Linux pthread_attr_setstack(3)](https://man7.org/linux/man-pages/man3/pthread_attr_setstack.3.html)
#[doc(alias = "pthread_attr_setstacksize")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StackSpec {
    /// The C library's default size and allocation.
    Default,
    /// A stack of at least this many bytes, allocated by the C library.
    Size(usize),
    /// The caller's memory `[base, base + len)` (`pthread_attr_setstack`).
    Memory {
        /// Lowest address, page aligned.
        base: *mut u8,
        /// Length in bytes, at least [`PTHREAD_STACK_MIN`].
        len: usize,
    },
}

fn check(ret: libc::c_int) -> Result<()> {
    if ret == 0 {
        Ok(())
    } else {
        Err(Errno::from_raw(ret))
    }
}

type Main = Box<dyn FnOnce() + Send + 'static>;

extern "C" fn start(arg: *mut c_void) -> *mut c_void {
    // SAFETY: `arg` is the `Box<Main>` leaked by `spawn` for this thread only.
    let main = unsafe { Box::from_raw(arg as *mut Main) };
    // An unwind must not cross this extern "C" frame.
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(main)).is_err() {
        std::process::abort();
    }
    core::ptr::null_mut()
}

/// Starts a thread running `main` with the given stack; the new thread inherits the calling
/// thread's signal mask (so block signals around the call to start it with them blocked).
///
/// A panic that escapes `main` aborts the process; catch it inside `main`.
///
/// # Errors
/// The C library's error number: `EAGAIN` (no resources, or over `RLIMIT_NPROC`), `EINVAL`
/// (a stack below [`PTHREAD_STACK_MIN`], unaligned, or too small for the library's own use).
///
/// # Safety
/// With [`StackSpec::Memory`], the range must be readable and writable memory that nothing
/// else uses until [`join`] has returned for this thread (after a [`detach`], never again),
/// and on OpenBSD it must be `MAP_STACK` memory (the kernel kills a thread whose stack pointer
/// leaves such memory). The other variants have no precondition.
///
/// # Platform
/// OpenBSD's librthread takes a caller's stack as is and never frees it
/// (`lib/librthread/rthread_stack.c`); glibc and musl likewise leave it to the caller.
///
/// # Examples
/// ```
/// use bsd_sys::pthread::{self, StackSpec};
/// use bsd_sys::{libc, mem};
/// use core::ptr;
///
/// // The thread runs on our own 1 MiB of MAP_STACK memory (required for stacks on OpenBSD).
/// let len = 1 << 20;
/// let rw = libc::PROT_READ | libc::PROT_WRITE;
/// let flags = libc::MAP_PRIVATE | libc::MAP_ANON | libc::MAP_STACK;
/// // SAFETY: a fresh mapping (no MAP_FIXED) that only the thread uses, and only until the join
/// // below; it is unmapped once, after that.
/// unsafe {
///     let base = mem::mmap(ptr::null_mut(), len, rw, flags, -1, 0)?;
///     let (lo, hi) = (base as usize, base as usize + len);
///     let thread = pthread::spawn(
///         StackSpec::Memory { base: base.cast(), len },
///         Box::new(move || {
///             let local = 0u8;
///             let here = &local as *const u8 as usize;
///             assert!(lo <= here && here < hi, "a local lives on the given stack");
///         }),
///     )?;
///     pthread::join(thread).map_err(|(e, _)| e)?;
///     mem::munmap(base, len)?;
/// }
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD pthread_create(3)](https://man.openbsd.org/pthread_create.3)
/// - [DragonFly pthread_create(3)](https://man.dragonflybsd.org/?command=pthread_create&section=3)
/// - [Linux pthread_create(3)](https://man7.org/linux/man-pages/man3/pthread_create.3.html)
/// - [Linux pthread_attr_setstack(3)](https://man7.org/linux/man-pages/man3/pthread_attr_setstack.3.html)
#[doc(alias = "pthread_create")]
#[doc(alias = "pthread_attr_setstack")]
pub unsafe fn spawn(stack: StackSpec, main: Box<dyn FnOnce() + Send + 'static>) -> Result<Pthread> {
    let mut attr = MaybeUninit::<libc::pthread_attr_t>::uninit();
    // SAFETY: `attr` is writable; it is destroyed below on every path after a successful init.
    check(unsafe { libc::pthread_attr_init(attr.as_mut_ptr()) })?;
    let attr_ptr = attr.as_mut_ptr();
    let configured = match stack {
        StackSpec::Default => Ok(()),
        // SAFETY: `attr_ptr` is an initialised attribute object.
        StackSpec::Size(size) => check(unsafe { libc::pthread_attr_setstacksize(attr_ptr, size) }),
        StackSpec::Memory { base, len } => {
            // SAFETY: as above; the caller vouches for the memory.
            check(unsafe { pthread_attr_setstack(attr_ptr, base.cast(), len) })
        }
    };
    let result = configured.and_then(|()| {
        let arg = Box::into_raw(Box::new(main)) as *mut c_void;
        let mut thread = MaybeUninit::<libc::pthread_t>::uninit();
        // SAFETY: `thread` is writable, `attr_ptr` initialised, `start` has the C signature,
        // and `arg` is a leaked `Box<Main>` that `start` takes back.
        let ret = unsafe { libc::pthread_create(thread.as_mut_ptr(), attr_ptr, start, arg) };
        if ret != 0 {
            // SAFETY: the thread was not created, so `arg` is still ours.
            drop(unsafe { Box::from_raw(arg as *mut Main) });
            return Err(Errno::from_raw(ret));
        }
        // SAFETY: pthread_create succeeded and wrote the id.
        Ok(Pthread(unsafe { thread.assume_init() }))
    });
    // SAFETY: `attr_ptr` was initialised above and is not used again.
    unsafe { libc::pthread_attr_destroy(attr_ptr) };
    result
}

/// Waits for the thread to end and releases it.
///
/// # Errors
/// `EDEADLK` when a thread joins itself; `EINVAL`/`ESRCH` cannot happen for a `Pthread` this
/// module returned.
///
/// # Examples
/// ```
/// use bsd_sys::pthread::{self, StackSpec};
/// use std::sync::mpsc;
///
/// let (tx, rx) = mpsc::channel();
/// // SAFETY: `StackSpec::Default` has no precondition.
/// let thread = unsafe { pthread::spawn(StackSpec::Default, Box::new(move || tx.send(6 * 7).unwrap()))? };
/// pthread::join(thread).map_err(|(e, _)| e)?; // returns once the thread has ended
/// assert_eq!(rx.try_recv(), Ok(42), "the value is there without waiting");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD pthread_join(3)](https://man.openbsd.org/pthread_join.3)
/// - [DragonFly pthread_join(3)](https://man.dragonflybsd.org/?command=pthread_join&section=3)
/// - [Linux pthread_join(3)](https://man7.org/linux/man-pages/man3/pthread_join.3.html)
#[doc(alias = "pthread_join")]
pub fn join(thread: Pthread) -> core::result::Result<(), (Errno, Pthread)> {
    // SAFETY: `thread` is a joinable thread not yet joined or detached (it is consumed here).
    let ret = unsafe { libc::pthread_join(thread.0, core::ptr::null_mut()) };
    if ret == 0 {
        Ok(())
    } else {
        Err((Errno::from_raw(ret), thread))
    }
}

/// Lets the thread release its resources when it ends, without a join.
///
/// # Examples
/// ```
/// use bsd_sys::pthread::{self, StackSpec};
/// use std::sync::mpsc;
///
/// let (tx, rx) = mpsc::channel();
/// // SAFETY: `StackSpec::Default` has no precondition.
/// let thread = unsafe { pthread::spawn(StackSpec::Default, Box::new(move || tx.send("done").unwrap()))? };
/// pthread::detach(thread)?; // nobody joins it; it cleans up after itself
/// assert_eq!(rx.recv().unwrap(), "done");
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD pthread_detach(3)](https://man.openbsd.org/pthread_detach.3)
/// - [DragonFly pthread_detach(3)](https://man.dragonflybsd.org/?command=pthread_detach&section=3)
/// - [Linux pthread_detach(3)](https://man7.org/linux/man-pages/man3/pthread_detach.3.html)
#[doc(alias = "pthread_detach")]
pub fn detach(thread: Pthread) -> Result<()> {
    // SAFETY: `thread` is joinable and not yet joined or detached (it is consumed here).
    check(unsafe { libc::pthread_detach(thread.0) })
}

/// Sends `sig` to `thread`, a thread this module started and nobody has joined or detached.
///
/// Unlike a kill by [`ThreadId`](crate::ThreadId), this cannot reach another thread that
/// reused the id: the thread library resolves its own handle, and a thread that has already
/// ended gets nothing (`ESRCH`, or success with nothing sent, as the C library decides).
/// Signals the C thread library reserves ([`crate::signal::is_reserved`]) are refused with
/// `EINVAL`, as by [`crate::signal::kill_thread`].
///
/// # Platform
/// - OpenBSD: librthread's `pthread_kill` passes the thread's TCB to `thrkill(2)`, which fails
///   with `ESRCH` unless that TCB is still the thread's (`sys_thrkill` in `sys/kern/kern_sig.c`
///   rev 1.365).
/// - DragonFly: libthread_xu's `pthread_kill` checks the thread is still on its list
///   (`_thr_ref_add`) before `lwp_kill`.
/// - Linux: glibc and musl send with `tgkill` under the thread's own lock, and skip a thread
///   that has exited.
///
/// # Examples
/// ```
/// use bsd_sys::pthread::{self, StackSpec};
/// use bsd_sys::{libc, Signal};
/// use std::sync::mpsc;
///
/// let (ready_tx, ready_rx) = mpsc::channel();
/// let (got_tx, got_rx) = mpsc::channel();
/// let main = Box::new(move || {
///     // SAFETY: libc calls on a local, initialised signal set.
///     unsafe {
///         let mut set = core::mem::zeroed();
///         libc::sigemptyset(&mut set);
///         libc::sigaddset(&mut set, libc::SIGUSR1);
///         libc::pthread_sigmask(libc::SIG_BLOCK, &set, core::ptr::null_mut());
///         ready_tx.send(()).unwrap();
///         let mut sig = 0;
///         libc::sigwait(&set, &mut sig); // takes the signal sent to this thread
///         got_tx.send(sig).unwrap();
///     }
/// });
/// // SAFETY: `StackSpec::Default` has no precondition.
/// let thread = unsafe { pthread::spawn(StackSpec::Default, main)? };
/// ready_rx.recv().unwrap(); // SIGUSR1 is blocked there now
/// pthread::kill(&thread, Signal::USR1)?;
/// assert_eq!(got_rx.recv().unwrap(), libc::SIGUSR1);
/// pthread::join(thread).map_err(|(e, _)| e)?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD pthread_kill(3)](https://man.openbsd.org/pthread_kill.3)
/// - [DragonFly pthread_kill(3)](https://man.dragonflybsd.org/?command=pthread_kill&section=3)
/// - [Linux pthread_kill(3)](https://man7.org/linux/man-pages/man3/pthread_kill.3.html)
#[doc(alias = "pthread_kill")]
pub fn kill(thread: &Pthread, sig: crate::Signal) -> Result<()> {
    if crate::signal::is_reserved(sig) {
        return Err(Errno::INVAL);
    }
    // SAFETY: `thread` names a thread that has been neither joined nor detached (a `Pthread`
    // is consumed by both), so the handle is still the thread library's.
    check(unsafe { libc::pthread_kill(thread.0, sig.raw()) })
}
