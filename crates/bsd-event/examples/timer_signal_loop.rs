//! A timer and signal loop: a periodic tick, a deadline, and a signal counted by the queue.
//!
//! The program ticks every 20 ms, sends itself `SIGUSR1` at the third tick and stops at a
//! deadline 150 ms after the start: a `TimerAt` (absolute, `NOTE_ABSTIME`) where the OS has it,
//! a one-shot relative `Timer` on DragonFly, which has no absolute timers. It exits 0 when the
//! ticks, the signal and the deadline were all reported, non-zero otherwise. Run with
//! `cargo run -p bsd-event --example timer_signal_loop`.
//!
//! The tick count differs per OS, so only bounds are checked: a kqueue timer runs on clock
//! ticks, and DragonFly adds one tick to every period (`tvtohz_high`, `sys/kern/kern_event.c`
//! at 81dd9c6184: about 5 ticks of 30 ms at 100 Hz), OpenBSD to the first only (`filt_timeradd`,
//! `sys/kern/kern_event.c` rev 1.205: about 7).
//!
//! `SIGUSR1` is blocked first: the Linux emulation (signalfd) sees only blocked signals, and a
//! blocked signal cannot kill the program on any OS while the queue counts it.

use std::error::Error;
use std::time::{Duration, Instant, SystemTime};

use bsd_event::{Change, EvFlags, EventKind, Events, Filter, Kqueue, Signal};
use bsd_sys::signal::{getpid, kill, sigset_add, sigset_empty, thread_sigmask};

const TICK: u64 = 1;
const SIGNAL: u64 = 2;
const DEADLINE: u64 = 3;
const PERIOD: Duration = Duration::from_millis(20);
const RUN_FOR: Duration = Duration::from_millis(150);

fn main() -> Result<(), Box<dyn Error>> {
    // Only this thread runs, so blocking here blocks the signal for the whole program.
    let mut usr1 = sigset_empty();
    sigset_add(&mut usr1, Signal::USR1);
    thread_sigmask(bsd_sys::libc::SIG_BLOCK, Some(&usr1))?;

    let kq = Kqueue::new()?;
    let start = Instant::now();
    kq.register(Change::add(
        Filter::Timer {
            id: 1,
            period: PERIOD,
        },
        TICK,
    ))?;
    kq.register(Change::add(Filter::Signal(Signal::USR1), SIGNAL))?;
    let at = Filter::TimerAt {
        id: 2,
        deadline: SystemTime::now() + RUN_FOR,
    };
    match kq.register(Change::add(at, DEADLINE).with(EvFlags::ONESHOT)) {
        Ok(()) => println!("deadline: an absolute timer"),
        Err(bsd_event::Error::Unsupported { what, .. }) => {
            println!("deadline: {what} is missing here, a one-shot relative timer instead");
            let once = Filter::Timer {
                id: 2,
                period: RUN_FOR,
            };
            kq.register(Change::add(once, DEADLINE).with(EvFlags::ONESHOT))?;
        }
        Err(e) => return Err(e.into()),
    }

    let mut events = Events::with_capacity(8);
    let (mut ticks, mut signals, mut sent, mut done) = (0u64, 0u64, false, false);
    loop {
        if start.elapsed() > Duration::from_secs(2) {
            return Err("the deadline never came".into());
        }
        match kq.wait(&mut events, Some(Duration::from_millis(500))) {
            Err(e) if e == bsd_event::Errno::INTR => continue,
            other => other?,
        };
        for ev in &events {
            match ev.kind()? {
                EventKind::Timer { id: 1, expirations } => {
                    ticks += expirations;
                    if ticks >= 3 && !sent {
                        kill(getpid(), Signal::USR1)?;
                        sent = true;
                        println!("tick {ticks}: sent SIGUSR1");
                    }
                }
                EventKind::Signal { signal, count } => {
                    assert_eq!(signal, Signal::USR1);
                    signals += count;
                    println!("{signal} seen {count} time(s)");
                }
                EventKind::Timer { id: 2, .. } => done = true,
                other => return Err(format!("unexpected event {other:?}").into()),
            }
        }
        if done && signals > 0 {
            break;
        }
        if done && !sent {
            return Err("the deadline came before the third tick".into());
        }
        // The deadline came with the signal still in flight: let the next wait collect it.
    }

    let elapsed = start.elapsed();
    println!("{ticks} ticks of {PERIOD:?} and {signals} signal(s) in {elapsed:?}");
    // The deadline was set RUN_FOR after the start; ticks cannot outrun the clock (no kernel
    // shortens a period).
    let most = (elapsed.as_nanos() / PERIOD.as_nanos()) as u64;
    if elapsed < RUN_FOR - Duration::from_millis(1) || ticks < 3 || ticks > most {
        return Err(format!("{ticks} ticks in {elapsed:?} (at most {most})").into());
    }
    println!("ok");
    Ok(())
}
