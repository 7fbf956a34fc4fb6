//! The bsd-event section of the tour: a small event loop with a timer, a pipe, a signal and a
//! user event fired from another thread.

use std::fs::File;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

use bsd_event::{Change, EvFlags, EventKind, Events, Filter, Kqueue, UserFflags};
use bsd_signal::{SigSet, Signal};

const TIMER: u64 = 1;
const PIPE: u64 = 2;
const SIGNAL: u64 = 3;
const USER: u64 = 4;

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    let kq = Kqueue::new()?;
    println!("   kqueue created (bsd-sys backend: {})", bsd_sys::BACKEND);

    let (mut rx, mut tx) = pipe()?;

    // The signal is blocked in this thread so it is only counted (and, on Linux, read by the
    // emulation's signalfd) rather than delivered.
    let sig = Signal::USR1;
    let old_mask = block(sig)?;

    let mut changes = vec![
        Change::add(
            Filter::Timer {
                id: 1,
                period: Duration::from_millis(20),
            },
            TIMER,
        ),
        Change::add(Filter::read(&rx), PIPE),
        Change::add(Filter::Signal(sig), SIGNAL),
    ];
    let user = Change::add(Filter::user(7), USER).with(EvFlags::CLEAR);
    let has_user = match kq.register(user) {
        Ok(()) => true,
        Err(e) => {
            println!("   user events: {e}");
            false
        }
    };
    for (i, r) in kq.apply(&changes)?.into_iter().enumerate() {
        r.map_err(|e| format!("change {i}: {e}"))?;
    }
    changes.clear();
    println!(
        "   registered: a 20 ms timer, a pipe's read end, {sig}{}",
        if has_user { ", user event 7" } else { "" }
    );

    tx.write_all(b"ping")?;
    // A thread-directed signal to this thread, which blocks it.
    bsd_signal::raise(sig)?;
    let trigger = if has_user {
        let kq2 = kq.clone();
        Some(std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            let fire = Filter::User {
                id: 7,
                trigger: true,
                fflags: UserFflags::Copy(0x2a),
            };
            kq2.register(Change::new(fire, EvFlags::empty(), USER))
        }))
    } else {
        None
    };

    let start = Instant::now();
    let mut events = Events::with_capacity(16);
    let (mut ticks, mut got_pipe, mut got_signal, mut got_user) = (0, false, false, !has_user);
    while !(ticks >= 3 && got_pipe && got_signal && got_user) {
        if start.elapsed() > Duration::from_secs(5) {
            return Err("the event loop did not see every event within 5 s".into());
        }
        kq.wait(&mut events, Some(Duration::from_secs(1)))?;
        for ev in &events {
            match ev.kind()? {
                EventKind::Timer { expirations, .. } => {
                    ticks += expirations;
                    println!(
                        "   {:>4} ms  timer: {expirations} expiration(s), {ticks} so far",
                        start.elapsed().as_millis()
                    );
                }
                EventKind::Read { bytes, eof, .. } => {
                    let mut buf = vec![0; bytes as usize];
                    rx.read_exact(&mut buf)?;
                    println!(
                        "   {:>4} ms  pipe: {bytes} byte(s) readable ({:?}), eof: {eof}",
                        start.elapsed().as_millis(),
                        String::from_utf8_lossy(&buf)
                    );
                    got_pipe = true;
                }
                EventKind::Signal { signal, count } => {
                    println!(
                        "   {:>4} ms  signal: {signal} delivered {count} time(s)",
                        start.elapsed().as_millis()
                    );
                    got_signal = true;
                }
                EventKind::User { id, fflags } => {
                    println!(
                        "   {:>4} ms  user event {id} from another thread, fflags {fflags:#x}",
                        start.elapsed().as_millis()
                    );
                    got_user = true;
                }
                other => println!("   unexpected event {other:?}"),
            }
        }
    }
    if let Some(t) = trigger {
        t.join().map_err(|_| "trigger thread panicked")??;
    }
    unblock(sig, old_mask)?;
    println!("   event loop done: {ticks} timer ticks, pipe, signal and user event seen");
    Ok(())
}

fn block(sig: Signal) -> Result<SigSet, Box<dyn std::error::Error>> {
    Ok(bsd_signal::block(&SigSet::of(sig))?)
}

fn unblock(sig: Signal, old: SigSet) -> Result<(), Box<dyn std::error::Error>> {
    // Real kqueue only counts the signal: it is still pending. Ignoring a pending signal discards
    // it, so it is not delivered when the mask is restored.
    let previous = bsd_signal::ignore(sig)?;
    bsd_signal::set_mask(&old)?;
    // SAFETY: restores the action `ignore` replaced.
    unsafe { bsd_signal::set_action(sig, &previous) }?;
    Ok(())
}

fn pipe() -> Result<(File, File), Box<dyn std::error::Error>> {
    let (rx, tx) = bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC)?;
    Ok((File::from(rx), File::from(tx)))
}
