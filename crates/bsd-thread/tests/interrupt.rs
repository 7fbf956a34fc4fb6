//! A signal handler running on a waiting thread ends the wait with `Interrupted`.
//!
//! Installs a process-wide SIGUSR1 handler, so this binary holds this one test.

use std::os::unix::thread::JoinHandleExt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use bsd_thread::futex::{self, WaitResult};

extern "C" fn on_usr1(_: libc::c_int) {}

/// Installs an empty SIGUSR1 handler; `restart` sets SA_RESTART.
fn install_handler(restart: bool) {
    // SAFETY: the handler does nothing, so it is async-signal-safe; `sa` is fully initialised.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_usr1 as extern "C" fn(libc::c_int) as usize;
        sa.sa_flags = if restart { libc::SA_RESTART } else { 0 };
        libc::sigemptyset(&mut sa.sa_mask);
        assert_eq!(libc::sigaction(libc::SIGUSR1, &sa, std::ptr::null_mut()), 0);
    }
}

/// Starts a thread that waits on a word nobody changes, signals it until it returns, and
/// gives back what `wait` said.
fn wait_and_signal() -> WaitResult {
    let word = Arc::new(AtomicU32::new(0));
    let (tx, rx) = mpsc::channel();
    let waiter = {
        let word = Arc::clone(&word);
        thread::spawn(move || {
            let result = futex::wait(&word, 0, Some(Duration::from_secs(60)));
            tx.send(()).unwrap();
            result
        })
    };
    let start = Instant::now();
    // Signal until the waiter returns: a signal sent before it is asleep is simply handled.
    loop {
        // SAFETY: the thread has not been joined (nor detached), so its pthread_t is valid even
        // if it has already returned.
        let ret = unsafe { libc::pthread_kill(waiter.as_pthread_t(), libc::SIGUSR1) };
        assert_eq!(ret, 0);
        if rx.recv_timeout(Duration::from_millis(50)).is_ok() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the signal never ended the wait"
        );
    }
    assert_eq!(word.load(Ordering::Relaxed), 0);
    waiter.join().unwrap()
}

#[test]
fn a_signal_interrupts_a_wait() {
    install_handler(false);
    assert_eq!(wait_and_signal(), WaitResult::Interrupted);

    // With SA_RESTART: OpenBSD says ECANCELED, DragonFly EINTR; both are Interrupted. Linux
    // returns EINTR too for a wait with a timeout (ERESTART_RESTARTBLOCK is not restarted once a
    // handler ran).
    install_handler(true);
    assert_eq!(wait_and_signal(), WaitResult::Interrupted);
}
