//! `ThreadId`: the kernel's id of a thread.

use core::fmt;

/// The kernel's id of a thread: `getthrid()` on OpenBSD, `lwp_gettid()` on DragonFly, `gettid()` on
/// Linux.
///
/// This is the id that thread-directed signals (`thrkill`, `lwp_kill`, `tgkill`) take. It is not
/// `pthread_t` and not `std::thread::ThreadId`.
///
/// # Platform
/// - OpenBSD: `getthrid()` is the kernel's `p_tid + THREAD_PID_OFFSET` (100000,
///   `sys/sys/proc.h` rev 1.397): unique system-wide, kept apart from the pid range (process
///   ids stay below it), and drawn at random, with no quarantine after a thread exits. The
///   main thread's id is not the process id.
/// - DragonFly: lwp ids are small numbers, unique only within one process. A new thread gets
///   the first free id above its creator's, a `fork()` child's only thread keeps the id of the
///   thread that forked (`sys/kern/kern_fork.c`), and an exited thread's id is free for the
///   next thread at once (`sys/kern/kern_exit.c`).
/// - Linux: the main thread's id equals the process id; ids come from the pid space.
///
/// On every OS an id can name a different thread once its thread has exited: keep it only
/// while the thread is known to be alive.
///
/// # Examples
/// ```
/// use bsd_sys::ThreadId;
///
/// let main = ThreadId::current();
/// assert!(main.raw() > 0);
/// assert_eq!(main, bsd_sys::thread::gettid()); // stable within the thread
/// let other = std::thread::spawn(ThreadId::current).join().unwrap();
/// assert_ne!(other, main); // while both live, each thread has its own id
/// ```
///
/// # References
/// - [OpenBSD getthrid(2)](https://man.openbsd.org/getthrid.2)
/// - [DragonFly lwp_gettid(2)](https://man.dragonflybsd.org/?command=lwp_gettid&section=2)
/// - [Linux gettid(2)](https://man7.org/linux/man-pages/man2/gettid.2.html)
#[doc(alias = "getthrid")]
#[doc(alias = "lwp_gettid")]
#[doc(alias = "gettid")]
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
#[repr(transparent)]
pub struct ThreadId(libc::pid_t);

impl ThreadId {
    /// Wraps a raw thread id. No check is made that such a thread exists.
    #[inline]
    #[must_use]
    pub const fn from_raw(raw: libc::pid_t) -> ThreadId {
        ThreadId(raw)
    }

    /// The raw thread id.
    #[inline]
    #[must_use]
    pub const fn raw(self) -> libc::pid_t {
        self.0
    }

    /// The id of the calling thread. The call cannot fail on any supported OS.
    ///
    /// # References
    /// - [OpenBSD getthrid(2)](https://man.openbsd.org/getthrid.2)
    /// - [DragonFly lwp_gettid(2)](https://man.dragonflybsd.org/?command=lwp_gettid&section=2)
    /// - [Linux gettid(2)](https://man7.org/linux/man-pages/man2/gettid.2.html)
    #[doc(alias = "getthrid")]
    #[doc(alias = "lwp_gettid")]
    #[doc(alias = "gettid")]
    #[inline]
    #[must_use]
    pub fn current() -> ThreadId {
        crate::thread::gettid()
    }
}

impl From<ThreadId> for libc::pid_t {
    #[inline]
    fn from(tid: ThreadId) -> libc::pid_t {
        tid.0
    }
}

impl fmt::Display for ThreadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}
