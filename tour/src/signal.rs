//! bsd-signal: a handler on an alternate stack, reached by a signal sent to one thread.

use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use bsd_signal::{AltStack, SaFlags, SigAction, SigInfo, SigSet, Signal, ThreadId};

static RAN_ON_TID: AtomicI32 = AtomicI32::new(0);
static RAN_AT: AtomicUsize = AtomicUsize::new(0);
static SENDER: AtomicI32 = AtomicI32::new(0);

/// Async-signal-safe: it only stores into atomics.
fn on_usr1(info: &SigInfo) {
    let marker = 0u8;
    RAN_AT.store(std::hint::black_box(&marker) as *const u8 as usize, SeqCst);
    RAN_ON_TID.store(ThreadId::current().raw(), SeqCst);
    SENDER.store(info.sender_pid().map_or(-1, |p| p.raw()), SeqCst);
}

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    let sig: Signal = "SIGUSR1".parse()?;
    println!(
        "   {sig} is signal {} here; the highest signal number is {}",
        sig.raw(),
        Signal::MAX
    );

    // SAFETY: `on_usr1` only stores into atomics.
    let previous = unsafe {
        bsd_signal::set_action(
            sig,
            &SigAction::handler(on_usr1).with_flags(SaFlags::ONSTACK),
        )
    }?;
    println!(
        "   installed a Rust handler for {sig} (previous action: {:?})",
        previous.handler_kind()
    );

    let (tx, rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let worker = std::thread::spawn(
        move || -> bsd_signal::Result<(ThreadId, std::ops::Range<usize>)> {
            let alt = AltStack::with_default_size()?;
            let _ = tx.send((ThreadId::current(), alt.range()));
            // Wait (sleeping) until the main thread says the signal has been handled.
            let _ = done_rx.recv();
            Ok((ThreadId::current(), alt.range()))
        },
    );
    let (target, range) = rx.recv()?;
    println!(
        "   worker thread {target} has an alternate stack at {:#x}..{:#x} ({} bytes, minimum here {})",
        range.start,
        range.end,
        range.len(),
        AltStack::min_size()
    );

    bsd_signal::kill_thread(target, sig)?;
    let start = Instant::now();
    while RAN_ON_TID.load(SeqCst) == 0 {
        if start.elapsed() > Duration::from_secs(10) {
            return Err("the handler did not run within 10 s".into());
        }
        std::thread::yield_now();
    }
    let _ = done_tx.send(());
    worker.join().map_err(|_| "worker thread panicked")??;

    let ran_on = RAN_ON_TID.load(SeqCst);
    let at = RAN_AT.load(SeqCst);
    println!(
        "   kill_thread({target}, {sig}): the handler ran on thread {ran_on}, at stack address {at:#x} ({}), sender {}",
        if range.contains(&at) { "inside the alternate stack" } else { "NOT on the alternate stack" },
        match SENDER.load(SeqCst) {
            -1 => "not reported by this kernel".to_string(),
            pid => format!("pid {pid}"),
        }
    );
    if ran_on != target.raw() || !range.contains(&at) {
        return Err("the handler ran on the wrong thread or stack".into());
    }

    // SAFETY: restoring the action the kernel reported before.
    unsafe { bsd_signal::set_action(sig, &previous) }?;
    let old = bsd_signal::block(&SigSet::of(sig))?;
    bsd_signal::raise(sig)?;
    println!(
        "   blocked and raised {sig}: pending = {:?}",
        bsd_signal::pending()?
    );
    let _ = bsd_signal::ignore(sig)?;
    bsd_signal::set_mask(&old)?;
    let _ = bsd_signal::set_default_action(sig)?;
    println!(
        "   ignored it, restored the mask (the pending {sig} was discarded) and the default action"
    );
    Ok(())
}
