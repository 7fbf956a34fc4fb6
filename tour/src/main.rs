//! A tour of bsd-rs: shows each crate working on the host OS, section by section.
//!
//! Run it with `cargo run -p bsd-tour`.

mod event;
mod fd;
mod mem;
mod proc;
mod signal;
mod spawn;
mod thread;
mod time;

use std::process::ExitCode;

type Section = (&'static str, fn() -> Result<(), Box<dyn std::error::Error>>);

fn main() -> ExitCode {
    println!(
        "bsd-rs tour on {} ({}), bsd-sys backend: {}",
        std::env::consts::OS,
        std::env::consts::ARCH,
        bsd_sys::BACKEND
    );
    let sections: &[Section] = &[
        ("bsd-time", time::run),
        ("bsd-fd", fd::run),
        ("bsd-mem", mem::run),
        ("bsd-signal", signal::run),
        ("bsd-thread", thread::run),
        ("bsd-thread Builder", spawn::run),
        ("bsd-event", event::run),
        ("bsd-proc", proc::run),
    ];
    let mut failed = 0;
    for (name, run) in sections {
        println!("\n== {name} ==");
        if let Err(err) = run() {
            println!("   FAILED: {err}");
            failed += 1;
        }
    }
    if failed == 0 {
        println!("\ntour complete: every section ran");
        ExitCode::SUCCESS
    } else {
        println!("\ntour: {failed} section(s) failed");
        ExitCode::FAILURE
    }
}
