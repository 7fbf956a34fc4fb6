//! A service loop that takes its control signals synchronously, without handlers.
//!
//! The main thread blocks `SIGHUP`, `SIGUSR1` and `SIGTERM` before starting any other thread,
//! so every thread inherits the mask and the signals can only be taken by `wait` (`sigwait`).
//! Ordinary code then handles them: `SIGHUP` reloads the configuration, `SIGUSR1` prints
//! statistics, `SIGTERM` shuts down. Here an "operator" thread sends them to the process with
//! `kill`, as `kill -HUP <pid>` from a shell would, and waits for each to be acted on (two
//! standard signals of one kind pending at once would merge into one).
//!
//! Run: `cargo run -p bsd-signal --example signal_loop` (exit status 0 when every signal was
//! taken once, in order).

use std::sync::mpsc;
use std::thread;

use bsd_signal::{block, kill, restore_mask, wait, Pid, SigSet, Signal};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let control: SigSet = [Signal::HUP, Signal::USR1, Signal::TERM]
        .into_iter()
        .collect();
    // Before any thread exists: threads started from now on inherit the mask.
    let previous = block(&control)?;

    let script = [Signal::HUP, Signal::USR1, Signal::HUP, Signal::TERM];
    let (acted, acted_rx) = mpsc::channel::<Signal>();
    let operator = thread::spawn(move || -> bsd_signal::Result<()> {
        for sig in script {
            kill(Pid::current(), sig)?; // to the process, as a shell would
                                        // Wait until the service has acted on it before sending the next one.
            let _ = acted_rx.recv();
        }
        Ok(())
    });

    let mut taken = Vec::new();
    let mut generation = 0;
    loop {
        let sig = wait(&control)?;
        taken.push(sig);
        match sig {
            Signal::HUP => {
                generation += 1;
                println!("SIGHUP: configuration reloaded (generation {generation})");
            }
            Signal::USR1 => println!("SIGUSR1: {} signals so far", taken.len()),
            Signal::TERM => {
                println!("SIGTERM: shutting down");
                break;
            }
            other => println!("unexpected {other}"),
        }
        let _ = acted.send(sig);
    }
    drop(acted); // lets the operator's last `recv` return
    operator.join().expect("operator thread panicked")?;
    restore_mask(&previous)?;

    if taken != script || generation != 2 {
        eprintln!("FAILED: took {taken:?}, expected {script:?}");
        std::process::exit(1);
    }
    println!(
        "took {} signals in order, no handler installed",
        taken.len()
    );
    Ok(())
}
