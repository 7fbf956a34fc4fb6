//! The bsd-time section of the tour: every clock, a sleep, an interval timer firing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bsd_time::{now, resolution, Clock, IntervalTimer, TimerSetting};

static ALARMS: AtomicUsize = AtomicUsize::new(0);

fn on_alarm(_: &bsd_signal::SigInfo) {
    ALARMS.fetch_add(1, Ordering::SeqCst);
}

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "   {:<28} {:>24} {:>14}",
        "clock", "now (s.ns)", "resolution"
    );
    for &clock in Clock::ALL {
        let value = now(clock)?;
        let res = resolution(clock)?;
        println!(
            "   {:<28} {:>14}.{:09} {:>11} ns",
            format!("{clock} ({})", clock.raw()),
            value.secs(),
            value.nanos(),
            res.as_nanos()
        );
    }

    let start = Instant::now();
    bsd_time::sleep(Duration::from_millis(25))?;
    println!("   sleep(25 ms) took {:?}", start.elapsed());

    // Count SIGALRMs with a bsd-signal handler.
    let alarm = bsd_signal::Signal::ALRM;
    // SAFETY: `on_alarm` only does an atomic add, which is async-signal-safe; the previous
    // action is restored below.
    let previous =
        unsafe { bsd_signal::set_action(alarm, &bsd_signal::SigAction::handler(on_alarm)) }?;
    IntervalTimer::Real.set(TimerSetting::periodic(Duration::from_millis(10)))?;
    let deadline = Instant::now() + Duration::from_secs(2);
    while ALARMS.load(Ordering::SeqCst) < 5 && Instant::now() < deadline {
        bsd_time::sleep(Duration::from_millis(2))?;
    }
    let was = IntervalTimer::Real.disarm()?;
    // SAFETY: restores the action saved above.
    unsafe { bsd_signal::set_action(alarm, &previous) }?;
    let fired = ALARMS.load(Ordering::SeqCst);
    println!(
        "   ITIMER_REAL every {:?}: SIGALRM delivered {fired} times, then disarmed",
        was.interval
    );
    if fired < 5 {
        return Err(format!("the interval timer fired only {fired} times in 2 s").into());
    }
    Ok(())
}
