//! Sending signals: to a process, to a thread, to oneself.

use bsd_sys::{Pid, Result, Signal, ThreadId};

/// Sends `sig` to the calling thread.
///
/// If the signal is not blocked, its handler has run (or its default action has happened)
/// before this returns.
///
/// # Platform
/// OpenBSD `thrkill(getthrid(), sig, NULL)`, DragonFly `lwp_kill(-1, lwp_gettid(), sig)`, Linux
/// `tgkill(getpid(), gettid(), sig)`: as Go's runtime `raise`.
///
/// # References
/// - [OpenBSD thrkill(2)](https://man.openbsd.org/thrkill.2)
/// - [DragonFly lwp_kill(2)](https://man.dragonflybsd.org/?command=lwp_kill&section=2)
/// - [Linux tgkill(2)](https://man7.org/linux/man-pages/man2/tgkill.2.html)
///
/// # Examples
/// ```
/// use std::sync::atomic::{AtomicI32, Ordering};
/// use bsd_signal::{raise, set_action, SigAction, SigInfo, Signal, ThreadId};
///
/// static RAN_ON: AtomicI32 = AtomicI32::new(0);
/// fn on_usr1(_: &SigInfo) {
///     RAN_ON.store(ThreadId::current().raw(), Ordering::SeqCst);
/// }
/// // SAFETY: the handler only stores into an atomic.
/// let previous = unsafe { set_action(Signal::USR1, &SigAction::handler(on_usr1)) }?;
/// raise(Signal::USR1)?;
/// assert_eq!(RAN_ON.load(Ordering::SeqCst), ThreadId::current().raw()); // this thread, already
/// // SAFETY: restoring what the kernel reported.
/// unsafe { set_action(Signal::USR1, &previous) }?;
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
pub fn raise(sig: Signal) -> Result<()> {
    kill_thread(ThreadId::current(), sig)
}

/// Sends `sig` to the calling process: any thread that does not block it may run the handler.
///
/// `kill(getpid(), sig)`, as Go's runtime `raiseproc`.
///
/// # References
/// - [OpenBSD kill(2)](https://man.openbsd.org/kill.2)
/// - [DragonFly kill(2)](https://man.dragonflybsd.org/?command=kill&section=2)
/// - [Linux kill(2)](https://man7.org/linux/man-pages/man2/kill.2.html)
///
/// # Examples
/// ```
/// use bsd_signal::{block, raise_process, restore_mask, wait, SigSet, Signal};
///
/// let usr2 = SigSet::of(Signal::USR2);
/// let previous = block(&usr2)?; // this is the only thread: it stays pending
/// raise_process(Signal::USR2)?;
/// assert_eq!(wait(&usr2)?, Signal::USR2);
/// restore_mask(&previous)?;
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
#[doc(alias = "raiseproc")]
pub fn raise_process(sig: Signal) -> Result<()> {
    kill(Pid::current(), sig)
}

/// Sends `sig` to process `pid`.
///
/// `pid` follows `kill(2)`: positive is one process, 0 the caller's process group, -1 every
/// process the caller may signal, below -1 the group `-pid`. `Errno::SRCH` if nothing matched,
/// `Errno::PERM` without permission, `Errno::INVAL` for a signal the C thread library reserves
/// ([`bsd_sys::signal::is_reserved`]) when the calling process could receive it.
///
/// # References
/// - [OpenBSD kill(2)](https://man.openbsd.org/kill.2)
/// - [DragonFly kill(2)](https://man.dragonflybsd.org/?command=kill&section=2)
/// - [Linux kill(2)](https://man7.org/linux/man-pages/man2/kill.2.html)
///
/// # Examples
/// ```
/// use std::process::Command;
/// use std::os::unix::process::ExitStatusExt;
/// use bsd_signal::{kill, Errno, Pid, Signal};
///
/// let mut child = Command::new("sleep").arg("10").spawn().expect("sleep(1)");
/// let pid = Pid::from_raw(child.id() as i32);
/// kill(pid, Signal::TERM)?;
/// let status = child.wait().expect("wait");
/// assert_eq!(status.signal(), Some(Signal::TERM.raw()));
/// // No process has the largest pid (every OS's limit is lower).
/// assert_eq!(kill(Pid::from_raw(i32::MAX), Signal::TERM), Err(Errno::SRCH));
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
pub fn kill(pid: Pid, sig: Signal) -> Result<()> {
    bsd_sys::signal::kill(pid, sig)
}

/// Sends `sig` to thread `tid` of the calling process, and to that thread only.
///
/// `tid` must name a **live** thread of this process: thread ids are reused, so an id kept
/// after its thread exited may reach a different thread. `Errno::SRCH` if no such thread exists
/// in this process; `Errno::INVAL` for an id `<= 0` and for a signal the C thread library
/// reserves ([`bsd_sys::signal::is_reserved`]).
///
/// # Platform
/// - OpenBSD: `thrkill(tid, sig, NULL)`. Thread ids are `p_tid + THREAD_PID_OFFSET` (100000),
///   unique system-wide and drawn at random with no quarantine after a thread exits
///   (`sys/sys/proc.h`, `sys/kern/kern_fork.c`); `thrkill(0, ...)` would mean the calling
///   thread, hence the refusal of 0. `SIGTHR` (32) belongs to librthread.
/// - DragonFly: `lwp_kill(-1, tid, sig)`; lwp ids are unique only within the process and an
///   exited thread's id is reused at once (`sys/kern/kern_exit.c`, `kern_fork.c`). Signal 32
///   belongs to libthread_xu (`SIGCANCEL`).
/// - Linux: `tgkill(getpid(), tid, sig)`, which refuses a thread of another process; glibc
///   keeps 32 and 33, musl 32 to 34.
///
/// # References
/// - [OpenBSD thrkill(2)](https://man.openbsd.org/thrkill.2)
/// - [DragonFly lwp_kill(2)](https://man.dragonflybsd.org/?command=lwp_kill&section=2)
/// - [Linux tgkill(2)](https://man7.org/linux/man-pages/man2/tgkill.2.html)
///
/// # Examples
/// ```
/// use std::sync::mpsc;
/// use bsd_signal::{block, kill_thread, wait, SigSet, Signal, ThreadId};
///
/// let (tx, rx) = mpsc::channel();
/// let worker = std::thread::spawn(move || {
///     let usr1 = SigSet::of(Signal::USR1);
///     block(&usr1)?; // only this thread blocks it, and only this thread is sent it
///     tx.send(ThreadId::current()).unwrap();
///     wait(&usr1)
/// });
/// let tid = rx.recv().unwrap();
/// kill_thread(tid, Signal::USR1)?;
/// assert_eq!(worker.join().unwrap()?, Signal::USR1);
/// # Ok::<(), bsd_signal::Errno>(())
/// ```
#[doc(alias = "thrkill")]
#[doc(alias = "lwp_kill")]
#[doc(alias = "tgkill")]
#[doc(alias = "pthread_kill")]
pub fn kill_thread(tid: ThreadId, sig: Signal) -> Result<()> {
    bsd_sys::signal::kill_thread(tid, sig)
}
