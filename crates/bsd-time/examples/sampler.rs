//! A CPU-time sampler: `ITIMER_PROF` delivers `SIGPROF` every tick of CPU time the process
//! uses, and a handler charges each tick to the phase of work that was running, the way a
//! sampling profiler builds its histogram.
//!
//! The program runs two phases in turn, `parse` for 20 ms of CPU time and `render` for 10 ms,
//! until it has used 300 ms, then prints the histogram and checks it: the ticks add up to the
//! CPU time used (within a generous tolerance) and `parse` got more of them than `render`.
//! Exits 1 if not.
//!
//! `cargo run -p bsd-time --example sampler`

use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bsd_signal::{SigAction, SigInfo, Signal};
use bsd_time::{now, Clock, IntervalTimer, TimerSetting};

const PHASES: [&str; 2] = ["parse", "render"];
/// Which phase is running; read by the handler.
static CURRENT: AtomicUsize = AtomicUsize::new(0);
/// SIGPROF ticks charged to each phase.
static TICKS: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];

/// Runs in signal context: only atomics.
fn on_prof(_: &SigInfo) {
    let phase = CURRENT.load(Ordering::Relaxed);
    TICKS[phase].fetch_add(1, Ordering::Relaxed);
}

/// CPU time used by the process so far.
fn cpu_time() -> bsd_time::Result<Duration> {
    now(Clock::ProcessCpuTime)?.to_duration()
}

/// Burns CPU (an xorshift generator) until the process has used `budget` more CPU time.
fn busy(budget: Duration, state: &mut u64) -> bsd_time::Result<()> {
    let end = cpu_time()? + budget;
    while cpu_time()? < end {
        for _ in 0..1_000 {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
        }
    }
    Ok(())
}

fn sample() -> Result<(), Box<dyn std::error::Error>> {
    // SAFETY: `on_prof` only loads and adds atomics, which is async-signal-safe; the previous
    // action is put back before returning.
    let previous = unsafe { bsd_signal::set_action(Signal::PROF, &SigAction::handler(on_prof)) }?;

    let timer = IntervalTimer::Prof;
    timer.set(TimerSetting::periodic(Duration::from_millis(10)))?;
    // The kernel may raise the period to its clock tick: ask what it really is.
    let period = timer.get()?.interval;

    let total = Duration::from_millis(300);
    let start_cpu = cpu_time()?;
    let wall = Instant::now();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    while cpu_time()? - start_cpu < total && wall.elapsed() < Duration::from_millis(2500) {
        for (phase, share) in [(0, 20), (1, 10)] {
            CURRENT.store(phase, Ordering::Relaxed);
            busy(Duration::from_millis(share), &mut state)?;
        }
    }
    let used = cpu_time()? - start_cpu;
    let armed = timer.disarm()?;
    // SAFETY: restores the action saved above.
    unsafe { bsd_signal::set_action(Signal::PROF, &previous) }?;

    let ticks: Vec<u64> = TICKS.iter().map(|t| t.load(Ordering::Relaxed)).collect();
    let sum: u64 = ticks.iter().sum();
    println!(
        "ITIMER_PROF every {period:?}: {sum} SIGPROF ticks over {used:?} of CPU time \
         ({:?} wall, checksum {state:x})",
        wall.elapsed()
    );
    for (name, n) in PHASES.iter().zip(&ticks) {
        let bar = "#".repeat(*n as usize);
        println!("  {name:>6} {n:>4} {bar}");
    }

    if !armed.is_armed() {
        return Err("the timer was no longer armed when disarmed".into());
    }
    let expected = (used.as_nanos() / period.as_nanos().max(1)) as u64;
    if sum * 2 < expected || sum > expected * 2 + 2 {
        return Err(format!("{sum} ticks, expected about {expected}").into());
    }
    if ticks[0] <= ticks[1] {
        return Err(format!("parse ({}) should outweigh render ({})", ticks[0], ticks[1]).into());
    }
    Ok(())
}

fn main() -> ExitCode {
    match sample() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sampler: {err}");
            ExitCode::FAILURE
        }
    }
}
