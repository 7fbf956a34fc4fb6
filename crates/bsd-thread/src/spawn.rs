//! Starting threads the way a language runtime needs: on a given stack, with every signal
//! blocked until the new thread has installed its own mask, and its kernel id known to the
//! parent without a channel.

use std::any::Any;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicI32, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use bsd_mem::Stack;
use bsd_signal::SigSet;
use bsd_sys::pthread::{self, Pthread, StackSpec};
use bsd_sys::{Errno, Result, ThreadId};

use crate::{futex, MAX_NAME_LEN};

/// Configures and starts a thread (`pthread_create`), like [`std::thread::Builder`] plus what a
/// runtime needs: a caller-provided [`Stack`], the new thread's signal mask, a start-up hook
/// that runs with every signal blocked, and the kernel [`ThreadId`] on the handle.
///
/// # Signal mask during start-up (Go's `newosproc`)
/// The spawning thread blocks every signal, calls `pthread_create` (the new thread inherits
/// the full mask) and restores its own mask. The new thread takes its name, publishes its id,
/// runs [`on_start`](Builder::on_start), and only then installs its mask (by default the
/// spawning thread's mask at the time of the spawn, as `std::thread` would give it). A signal
/// directed at it before that point stays pending and is delivered after. Go's runtime does the
/// same around `pthread_create` (`runtime/os_openbsd_libc.go`, `newosproc`: `sigprocmask(
/// _SIG_SETMASK, &sigset_all, &oset)`, create, restore; the thread sets its mask in `minit`).
///
/// # Why pthreads, not `__tfork` / `lwp_create`
/// A thread the C library did not create has no thread control block, TLS or `errno`: any
/// libc call from it (the allocator, `std`) is undefined behaviour, and OpenBSD kills a process
/// whose system calls do not come from libc (pinsyscalls(2)). So this builder, on every
/// backend, goes through `pthread_create`, as Go does on OpenBSD.
///
/// # Platform
/// - OpenBSD: the thread's stack must be `MAP_STACK` memory (checked by the kernel at every
///   fault and system call since 6.4); [`Stack`] is. librthread uses a caller's stack as is
///   and never frees it (`lib/librthread/rthread_stack.c`).
/// - Linux (glibc): the thread descriptor and static TLS live at the top of a caller's stack,
///   so a stack just over `PTHREAD_STACK_MIN` may be refused (`EINVAL`).
///
/// # References
/// - [OpenBSD pthread_create(3)](https://man.openbsd.org/pthread_create.3)
/// - [DragonFly pthread_create(3)](https://man.dragonflybsd.org/?command=pthread_create&section=3)
/// - [Linux pthread_create(3)](https://man7.org/linux/man-pages/man3/pthread_create.3.html)
/// - [Linux pthread_sigmask(3)](https://man7.org/linux/man-pages/man3/pthread_sigmask.3.html)
///
/// # Examples
/// ```
/// use bsd_mem::Stack;
/// use bsd_thread::Builder;
///
/// let stack = Stack::new(256 * 1024)?;
/// let range = stack.usable_range();
/// let worker = Builder::new()
///     .name("bsd-worker")
///     .stack(stack)
///     .spawn(move || {
///         let local = 0u8;
///         (&local as *const u8 as usize, bsd_thread::current_name().unwrap())
///     })?;
/// let tid = worker.id(); // the kernel's id, e.g. for kill_thread
/// let (addr, name) = worker.join().unwrap();
/// assert!(range.contains(&addr));
/// assert_eq!(name, "bsd-worker");
/// # let _ = tid;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
#[must_use = "a Builder does nothing until spawn is called"]
#[doc(alias = "pthread_create")]
#[doc(alias = "newosproc")]
#[derive(Default)]
pub struct Builder {
    name: Option<String>,
    stack: Option<Stack>,
    stack_size: Option<usize>,
    mask: Option<SigSet>,
    on_start: Option<Box<dyn FnOnce() + Send + 'static>>,
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("name", &self.name)
            .field("stack", &self.stack)
            .field("stack_size", &self.stack_size)
            .field("mask", &self.mask)
            .field("on_start", &self.on_start.is_some())
            .finish()
    }
}

impl Builder {
    /// A builder with the C library's default stack, no name, the spawning thread's mask.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Names the thread (at most [`MAX_NAME_LEN`] bytes, no NUL; checked by `spawn`).
    ///
    /// # Examples
    /// ```
    /// use bsd_thread::{current_name, Builder, Errno, MAX_NAME_LEN};
    ///
    /// // The longest name (23 bytes on OpenBSD, 1023 on DragonFly, 15 on Linux) is kept whole.
    /// let longest = "n".repeat(MAX_NAME_LEN);
    /// let worker = Builder::new().name(longest.clone()).spawn(current_name)?;
    /// assert_eq!(worker.join().unwrap()?, longest);
    /// let too_long = Builder::new().name("n".repeat(MAX_NAME_LEN + 1)).spawn(|| ());
    /// assert_eq!(too_long.unwrap_err(), Errno::RANGE); // refused, never truncated
    /// # Ok::<(), Errno>(())
    /// ```
    #[doc(alias = "pthread_setname_np")]
    pub fn name(mut self, name: impl Into<String>) -> Builder {
        self.name = Some(name.into());
        self
    }

    /// Runs the thread on `stack`. The handle keeps it until [`JoinHandle::join`] returns; a
    /// handle dropped unjoined leaks it (the thread may still be running on it).
    ///
    /// # Examples
    /// ```
    /// use std::hint::black_box;
    /// use bsd_mem::Stack;
    ///
    /// let worker = bsd_thread::Builder::new()
    ///     .stack(Stack::new(128 * 1024)?)
    ///     .spawn(|| {
    ///         let local = 0u8; // on the thread's stack
    ///         black_box(&local) as *const u8 as usize
    ///     })?;
    /// let range = worker.stack().expect("the handle keeps it").usable_range();
    /// let local = worker.join().unwrap();
    /// assert!(range.contains(&local)); // the thread ran on it
    /// # Ok::<(), bsd_thread::Errno>(())
    /// ```
    #[doc(alias = "pthread_attr_setstack")]
    pub fn stack(mut self, stack: Stack) -> Builder {
        self.stack = Some(stack);
        self
    }

    /// Asks the C library for a stack of at least `size` bytes (ignored with [`stack`]).
    ///
    /// [`stack`]: Builder::stack
    ///
    /// # Examples
    /// ```
    /// use std::hint::black_box;
    ///
    /// // 1 MiB of locals: more than some C libraries' default thread stack.
    /// let worker = bsd_thread::Builder::new().stack_size(4 << 20).spawn(|| {
    ///     let big = black_box([1u8; 1 << 20]);
    ///     big.iter().map(|&b| usize::from(b)).sum::<usize>()
    /// })?;
    /// assert_eq!(worker.join().unwrap(), 1 << 20);
    /// # Ok::<(), bsd_thread::Errno>(())
    /// ```
    #[doc(alias = "pthread_attr_setstacksize")]
    pub fn stack_size(mut self, size: usize) -> Builder {
        self.stack_size = Some(size);
        self
    }

    /// The signal mask the thread installs before running its closure (default: the spawning
    /// thread's mask at `spawn`).
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{SigSet, Signal};
    ///
    /// let wanted = SigSet::of(Signal::USR1) | Signal::HUP;
    /// let worker = bsd_thread::Builder::new().signal_mask(wanted).spawn(bsd_signal::mask)?;
    /// assert_eq!(worker.join().unwrap()?, wanted);
    /// # Ok::<(), bsd_thread::Errno>(())
    /// ```
    #[doc(alias = "pthread_sigmask")]
    pub fn signal_mask(mut self, mask: SigSet) -> Builder {
        self.mask = Some(mask);
        self
    }

    /// Runs `hook` on the new thread with every signal blocked, before its mask is installed:
    /// the place to set up an alternate signal stack or register the thread with a runtime. A
    /// panic in it ends the thread (reported by `join`) without running the closure.
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{SigSet, Signal};
    /// use std::sync::mpsc;
    ///
    /// let (tx, rx) = mpsc::channel();
    /// let worker = bsd_thread::Builder::new()
    ///     .on_start(move || tx.send(bsd_signal::mask().unwrap()).unwrap())
    ///     .signal_mask(SigSet::of(Signal::PIPE))
    ///     .spawn(|| bsd_signal::mask().unwrap())?;
    /// let during_start = rx.recv().unwrap();
    /// assert!(during_start.contains(Signal::TERM) && during_start.contains(Signal::USR1));
    /// assert_eq!(worker.join().unwrap(), SigSet::of(Signal::PIPE)); // then the chosen mask
    /// # Ok::<(), bsd_thread::Errno>(())
    /// ```
    pub fn on_start(mut self, hook: impl FnOnce() + Send + 'static) -> Builder {
        self.on_start = Some(Box::new(hook));
        self
    }

    /// Starts the thread running `f`.
    ///
    /// # Errors
    /// - `Errno::INVAL`: a name with a NUL, or a stack below `PTHREAD_STACK_MIN`
    ///   (`bsd_sys::pthread::PTHREAD_STACK_MIN`) or too small for the C library.
    /// - `Errno::RANGE`: a name longer than [`MAX_NAME_LEN`].
    /// - `Errno::AGAIN`: no resources for another thread.
    ///
    /// Nothing is started, and the stack is dropped, when an error is returned.
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{block, restore_mask, SigSet, Signal};
    /// use bsd_thread::{Builder, Errno};
    ///
    /// let previous = block(&SigSet::of(Signal::USR2))?;
    /// let worker = Builder::new().spawn(bsd_signal::mask)?;
    /// restore_mask(&previous)?;
    /// assert!(worker.join().unwrap()?.contains(Signal::USR2)); // the spawner's mask at spawn
    /// assert_eq!(Builder::new().name("a\0b").spawn(|| ()).unwrap_err(), Errno::INVAL);
    /// # Ok::<(), Errno>(())
    /// ```
    pub fn spawn<F, T>(self, f: F) -> Result<JoinHandle<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let Builder {
            name,
            stack,
            stack_size,
            mask,
            on_start,
        } = self;
        if let Some(name) = &name {
            if name.contains('\0') {
                return Err(Errno::INVAL);
            }
            if name.len() > MAX_NAME_LEN {
                return Err(Errno::RANGE);
            }
        }
        let spec = match (&stack, stack_size) {
            (Some(s), _) if s.len() < pthread::PTHREAD_STACK_MIN => return Err(Errno::INVAL),
            (Some(s), _) => StackSpec::Memory {
                base: s.base(),
                len: s.len(),
            },
            (None, Some(size)) => StackSpec::Size(size.max(pthread::PTHREAD_STACK_MIN)),
            (None, None) => StackSpec::Default,
        };
        let packet = Arc::new(Packet {
            started: AtomicU32::new(0),
            tid: AtomicI32::new(0),
            result: Mutex::new(None),
        });

        // Block everything; the new thread inherits this mask.
        let old_mask = bsd_signal::set_mask(&SigSet::full())?;
        let mask = mask.unwrap_or(old_mask);
        let main = {
            let packet = Arc::clone(&packet);
            Box::new(move || run(packet, name, on_start, mask, f))
        };
        // SAFETY: a `Memory` stack is a `bsd_mem::Stack` (MAP_STACK, read/write, owned by the
        // handle until `join` returned, leaked if the handle is dropped unjoined).
        let created = unsafe { pthread::spawn(spec, main) };
        let restored = bsd_signal::set_mask(&old_mask);
        // The handle exists before any further error return, so the running thread is detached
        // and its stack leaked (not unmapped under it) if the handle is dropped.
        let handle = JoinHandle {
            native: Some(created?),
            packet,
            stack,
        };
        restored?;
        Ok(handle)
    }
}

/// What the new thread reports back.
struct Packet<T> {
    /// 0 until `tid` is set; a futex word for [`JoinHandle::id`].
    started: AtomicU32,
    tid: AtomicI32,
    result: Mutex<Option<std::thread::Result<T>>>,
}

/// The new thread's body: name, publish the id, hook, mask, run.
fn run<F, T>(
    packet: Arc<Packet<T>>,
    name: Option<String>,
    on_start: Option<Box<dyn FnOnce() + Send>>,
    mask: SigSet,
    f: F,
) where
    F: FnOnce() -> T,
{
    // The name first, so a `set_name_of(handle.id(), ..)` from the parent is never overwritten.
    if let Some(name) = name {
        // Validated by `spawn`; naming the calling thread cannot fail otherwise.
        let _ = crate::set_current_name(&name);
    }
    let tid = bsd_sys::thread::gettid().raw();
    packet.tid.store(tid, Ordering::Relaxed);
    packet.started.store(1, Ordering::Release);
    futex::wake_all(&packet.started);
    let result = match on_start.map(|hook| catch_unwind(AssertUnwindSafe(hook))) {
        Some(Err(panic)) => Err(panic),
        _ => {
            // Only now may signals arrive (those sent during start-up are delivered here).
            let _ = bsd_signal::set_mask(&mask);
            catch_unwind(AssertUnwindSafe(f))
        }
    };
    *packet.result.lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
}

/// An owned permission to join a thread started by [`Builder::spawn`].
///
/// Dropping it detaches the thread (and leaks its [`Stack`], which the thread may still use),
/// as dropping a `std::thread::JoinHandle` does.
///
/// # Examples
/// ```
/// use std::sync::mpsc;
///
/// let (tx, rx) = mpsc::channel::<u32>();
/// let worker = bsd_thread::Builder::new().name("summer").spawn(move || rx.iter().sum::<u32>())?;
/// println!("kernel thread {} started", worker.id());
/// for n in 1..=4 {
///     tx.send(n).unwrap();
/// }
/// drop(tx); // ends the worker's loop
/// assert_eq!(worker.join().unwrap(), 10);
/// # Ok::<(), bsd_thread::Errno>(())
/// ```
#[doc(alias = "pthread_t")]
#[must_use = "dropping a JoinHandle detaches the thread"]
pub struct JoinHandle<T> {
    native: Option<Pthread>,
    packet: Arc<Packet<T>>,
    stack: Option<Stack>,
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("native", &self.native)
            .field("stack", &self.stack)
            .finish()
    }
}

impl<T> JoinHandle<T> {
    /// The kernel's id of the thread, as [`ThreadId::current`] returns it there: the id
    /// `kill_thread` and [`set_name_of`](crate::set_name_of) take.
    ///
    /// The thread stores it right after taking its name; this waits (on a futex) only if it has
    /// not got that far. The id stays the handle's answer after the thread ends (when the kernel may reuse it).
    ///
    /// # Examples
    /// ```
    /// let worker = bsd_thread::Builder::new().spawn(bsd_thread::ThreadId::current)?;
    /// let id = worker.id();
    /// assert_eq!(worker.join().unwrap(), id);
    /// # Ok::<(), bsd_sys::Errno>(())
    /// ```
    pub fn id(&self) -> ThreadId {
        while self.packet.started.load(Ordering::Acquire) == 0 {
            let _ = futex::wait(&self.packet.started, 0, None);
        }
        ThreadId::from_raw(self.packet.tid.load(Ordering::Relaxed))
    }

    /// Sends `sig` to this thread, and to no other: the thread library's own handle is used
    /// (`pthread_kill`), so a thread id reused after this thread ended is never reached, which
    /// a kill by [`id`](JoinHandle::id) cannot promise.
    ///
    /// `Errno::INVAL` for a signal the C thread library reserves; a thread that has already
    /// ended gets nothing.
    ///
    /// # Platform
    /// See `bsd_sys::pthread::kill`: OpenBSD checks the thread's TCB in `thrkill(2)`,
    /// DragonFly's libthread_xu and Linux's C libraries check the thread is still alive.
    ///
    /// # References
    /// - [OpenBSD pthread_kill(3)](https://man.openbsd.org/pthread_kill.3)
    /// - [DragonFly pthread_kill(3)](https://man.dragonflybsd.org/?command=pthread_kill&section=3)
    /// - [Linux pthread_kill(3)](https://man7.org/linux/man-pages/man3/pthread_kill.3.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_signal::{SigSet, Signal};
    /// let worker = bsd_thread::Builder::new()
    ///     .signal_mask(SigSet::of(Signal::USR1))
    ///     .spawn(|| bsd_signal::wait(&SigSet::of(Signal::USR1)))?;
    /// worker.signal(Signal::USR1)?;
    /// assert_eq!(worker.join().unwrap(), Ok(Signal::USR1));
    /// # Ok::<(), bsd_sys::Errno>(())
    /// ```
    #[doc(alias = "pthread_kill")]
    pub fn signal(&self, sig: bsd_sys::Signal) -> Result<()> {
        match &self.native {
            Some(thread) => pthread::kill(thread, sig),
            None => Err(Errno::SRCH),
        }
    }

    /// Whether the thread has finished its closure (it may still be exiting).
    ///
    /// # Examples
    /// ```
    /// use std::sync::mpsc;
    ///
    /// let (tx, rx) = mpsc::channel::<()>();
    /// let worker = bsd_thread::Builder::new().spawn(move || rx.recv().is_ok())?;
    /// assert!(!worker.is_finished()); // waiting for the message
    /// tx.send(()).unwrap();
    /// while !worker.is_finished() {
    ///     bsd_thread::yield_now();
    /// }
    /// assert!(worker.join().unwrap());
    /// # Ok::<(), bsd_thread::Errno>(())
    /// ```
    pub fn is_finished(&self) -> bool {
        self.packet
            .result
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// The stack given with [`Builder::stack`], if any (there is an example there).
    ///
    /// # Examples
    /// ```
    /// let worker = bsd_thread::Builder::new().spawn(|| ())?;
    /// assert!(worker.stack().is_none()); // the C library's own stack
    /// worker.join().unwrap();
    /// # Ok::<(), bsd_thread::Errno>(())
    /// ```
    pub fn stack(&self) -> Option<&Stack> {
        self.stack.as_ref()
    }

    /// Waits for the thread to finish and returns what its closure returned.
    ///
    /// # Errors
    /// - [`JoinError::Panicked`] with the panic's payload if the closure (or the start-up hook)
    ///   panicked, as [`std::thread::JoinHandle::join`] reports it.
    /// - [`JoinError::Os`]: `EDEADLK` when a thread joins itself (the thread is then detached).
    /// - [`JoinError::Exited`]: the thread ended without returning (foreign code called
    ///   `pthread_exit` in it).
    ///
    /// # References
    /// - [OpenBSD pthread_join(3)](https://man.openbsd.org/pthread_join.3)
    /// - [DragonFly pthread_join(3)](https://man.dragonflybsd.org/?command=pthread_join&section=3)
    /// - [Linux pthread_join(3)](https://man7.org/linux/man-pages/man3/pthread_join.3.html)
    ///
    /// # Examples
    /// ```
    /// let worker = bsd_thread::Builder::new().spawn(|| -> u8 { panic!("lost") })?;
    /// assert!(matches!(worker.join(), Err(bsd_thread::JoinError::Panicked(_))));
    /// # Ok::<(), bsd_sys::Errno>(())
    /// ```
    #[doc(alias = "pthread_join")]
    pub fn join(mut self) -> core::result::Result<T, JoinError> {
        let Some(native) = self.native.take() else {
            return Err(JoinError::Exited);
        };
        if let Err((errno, native)) = pthread::join(native) {
            self.native = Some(native); // Drop detaches it and leaks the stack
            return Err(JoinError::Os(errno));
        }
        // The thread is gone: its stack is free again.
        drop(self.stack.take());
        let result = self
            .packet
            .result
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        match result {
            Some(Ok(value)) => Ok(value),
            Some(Err(panic)) => Err(JoinError::Panicked(panic)),
            None => Err(JoinError::Exited),
        }
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        if let Some(native) = self.native.take() {
            let _ = pthread::detach(native);
            if let Some(stack) = self.stack.take() {
                // The thread may still run on it; it can never be unmapped safely now.
                std::mem::forget(stack);
            }
        }
    }
}

/// Why [`JoinHandle::join`] has no value.
///
/// # Examples
/// ```
/// use bsd_thread::{Builder, JoinError};
///
/// let worker = Builder::new().spawn(|| -> u32 { panic!("bad input") })?;
/// match worker.join() {
///     Err(JoinError::Panicked(payload)) => {
///         assert_eq!(payload.downcast_ref::<&str>(), Some(&"bad input"));
///     }
///     other => panic!("expected a panic, got {other:?}"),
/// }
/// # Ok::<(), bsd_thread::Errno>(())
/// ```
#[non_exhaustive]
pub enum JoinError {
    /// The thread panicked; the payload, as `std::thread::Result` carries it.
    Panicked(Box<dyn Any + Send + 'static>),
    /// `pthread_join` failed (`EDEADLK`: a thread joined itself).
    Os(Errno),
    /// The thread ended without returning a value.
    Exited,
}

impl JoinError {
    /// The panic payload, if the thread panicked (for `std::panic::resume_unwind`).
    ///
    /// # Examples
    /// ```
    /// let worker = bsd_thread::Builder::new().spawn(|| -> u8 { panic!("lost") })?;
    /// let payload = worker.join().unwrap_err().into_panic().expect("it panicked");
    /// assert_eq!(payload.downcast_ref::<&str>(), Some(&"lost"));
    /// # Ok::<(), bsd_thread::Errno>(())
    /// ```
    pub fn into_panic(self) -> Option<Box<dyn Any + Send + 'static>> {
        match self {
            JoinError::Panicked(p) => Some(p),
            _ => None,
        }
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinError::Panicked(p) => {
                let msg = p
                    .downcast_ref::<&str>()
                    .copied()
                    .or_else(|| p.downcast_ref::<String>().map(String::as_str))
                    .unwrap_or("(non-string payload)");
                write!(f, "thread panicked: {msg}")
            }
            JoinError::Os(e) => write!(f, "pthread_join failed: {e}"),
            JoinError::Exited => f.write_str("thread exited without a result"),
        }
    }
}

impl std::error::Error for JoinError {}
