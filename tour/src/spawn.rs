//! The thread-builder section of the tour: a thread on a caller's MAP_STACK stack, named, with
//! every signal blocked during start-up, its kernel id known to the parent at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use bsd_mem::Stack;
use bsd_signal::{SigSet, Signal};
use bsd_thread::{Builder, JoinError};

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    let stack = Stack::new(256 * 1024)?;
    let range = stack.usable_range();
    let blocked_at_start = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&blocked_at_start);
    let worker = Builder::new()
        .name("tour-rt-1")
        .stack(stack)
        .on_start(move || {
            let mask = bsd_signal::mask().unwrap_or_else(|_| SigSet::empty());
            seen.store(
                mask.contains(Signal::USR1) && mask.contains(Signal::TERM),
                Ordering::SeqCst,
            );
        })
        .spawn(move || {
            let local = 0u8;
            let name = bsd_thread::current_name().unwrap_or_default();
            (
                &local as *const u8 as usize,
                name,
                bsd_signal::mask().map(|m| m.contains(Signal::USR1)),
            )
        })?;
    println!(
        "   spawned kernel thread {} on stack {:#x}..{:#x}",
        worker.id(),
        range.start,
        range.end
    );
    let (addr, name, usr1_blocked_later) = worker.join().map_err(|e| e.to_string())?;
    println!(
        "   it ran at {addr:#x} (inside its stack: {}), named {name:?}",
        range.contains(&addr)
    );
    println!(
        "   start-up hook ran with every signal blocked: {}; afterwards SIGUSR1 blocked: {:?}",
        blocked_at_start.load(Ordering::SeqCst),
        usr1_blocked_later?
    );
    if !range.contains(&addr) || !blocked_at_start.load(Ordering::SeqCst) {
        return Err("the thread did not run as configured".into());
    }

    // Quiet the default hook for the deliberate panic, then put it back.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let panicker = Builder::new().spawn(|| -> u8 { panic!("on purpose") });
    let joined = panicker.map(|p| p.join());
    std::panic::set_hook(hook);
    match joined? {
        Err(err @ JoinError::Panicked(_)) => println!("   a panic comes back from join: {err}"),
        _ => return Err("a panic was lost".into()),
    }
    match Builder::new().name("x".repeat(64)).spawn(|| ()) {
        Err(err) => println!("   a 64-byte name is refused before any thread starts: {err}"),
        Ok(_) => return Err("an over-long name was accepted".into()),
    }
    Ok(())
}
