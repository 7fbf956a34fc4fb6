//! A fixed-rate loop without drift: each tick sleeps to an absolute deadline on the monotonic
//! clock (`sleep_until`, `clock_nanosleep(TIMER_ABSTIME)`; emulated on OpenBSD), so the time
//! the work takes and any late wake-up do not push later ticks back. The same loop with
//! relative sleeps runs for comparison and drifts by the work it does.
//!
//! Checks that no tick wakes before its deadline and that the absolute loop ends on its
//! schedule (50 ticks of 10 ms: 500 ms, plus at most one late wake-up). Exits 1 if not.
//!
//! `cargo run -p bsd-time --example ticker`

use std::process::ExitCode;
use std::time::Duration;

use bsd_time::{now, sleep_until, Clock, Timespec};

const TICKS: u32 = 50;
const PERIOD: Duration = Duration::from_millis(10);

/// Busy work of a varying length, 0 to 3 ms.
fn work(tick: u32) -> bsd_time::Result<()> {
    let until = now(Clock::Monotonic)?
        .checked_add(Duration::from_micros(u64::from(tick % 4) * 1_000))
        .ok_or(bsd_time::Errno::OVERFLOW)?;
    while now(Clock::Monotonic)? < until {}
    Ok(())
}

fn elapsed(since: Timespec) -> bsd_time::Result<Duration> {
    now(Clock::Monotonic)?
        .checked_duration_since(since)
        .ok_or(bsd_time::Errno::INVAL)
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    // Absolute deadlines: tick n is due at start + n * PERIOD, whatever happened before.
    let start = now(Clock::Monotonic)?;
    let mut worst_late = Duration::ZERO;
    for tick in 1..=TICKS {
        work(tick)?;
        let deadline = start
            .checked_add(PERIOD * tick)
            .ok_or("deadline overflow")?;
        sleep_until(Clock::Monotonic, deadline)?;
        let woke = now(Clock::Monotonic)?;
        let late = woke
            .checked_duration_since(deadline)
            .ok_or_else(|| format!("tick {tick} woke before its deadline"))?;
        worst_late = worst_late.max(late);
    }
    let absolute = elapsed(start)?;

    // Relative sleeps: each tick waits a full period after its work, so the work adds up.
    let start = now(Clock::Monotonic)?;
    for tick in 1..=TICKS {
        work(tick)?;
        bsd_time::sleep(PERIOD)?;
    }
    let relative = elapsed(start)?;

    let schedule = PERIOD * TICKS;
    println!("{TICKS} ticks of {PERIOD:?}, schedule {schedule:?}");
    println!(
        "  sleep_until (absolute): {absolute:?}, latest wake-up {worst_late:?} after its deadline"
    );
    println!(
        "  sleep (relative):       {relative:?}, drifted {:?}",
        relative.saturating_sub(schedule)
    );
    if absolute < schedule || absolute > schedule + worst_late + Duration::from_millis(5) {
        return Err(
            format!("the absolute loop took {absolute:?} for a {schedule:?} schedule").into(),
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ticker: {err}");
            ExitCode::FAILURE
        }
    }
}
