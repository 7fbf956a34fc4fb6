//! A guarded thread stack whose overflow is caught and reported.
//!
//! A worker thread runs on a small stack and recurses without end. When it runs into the guard
//! page below its stack, the kernel sends `SIGSEGV` with the faulting address (OpenBSD:
//! `upageflttrap`, `sys/arch/amd64/amd64/trap.c` rev 1.114; DragonFly: `trap()` turns the
//! protection fault's `SIGBUS` into `SIGSEGV`, `sys/platform/pc64/x86_64/trap.c` at 6.4,
//! 81dd9c6184; Linux: `SEGV_ACCERR`). `SIGBUS` is caught as well, as some other systems send
//! it for a guard page. The handler cannot run on the exhausted stack, so it runs on the
//! thread's `AltStack` (`SA_ONSTACK`). There it checks that the fault lies just below the
//! worker's stack and that it is itself on the alternate stack, writes a report with
//! async-signal-safe calls only, and ends the process: a handler for a fault must not return
//! to the faulting instruction.
//!
//! Run: `cargo run -p bsd-signal --example stack_overflow` (exit status 0 when the overflow was
//! caught where expected, 1 otherwise).

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use bsd_signal::{set_action, AltStack, SaFlags, SigAction, SigInfo, Signal};

/// The worker's stack size; the guard page lies right below it.
const STACK_SIZE: usize = 256 * 1024;
/// Slack for what the C library keeps at the top of a thread stack (TLS, thread descriptor).
const SLACK: usize = 64 * 1024;

/// Filled by the worker before it recurses; read by the handler (atomics: signal-safe).
static STACK_TOP: AtomicUsize = AtomicUsize::new(0);
static ALT_START: AtomicUsize = AtomicUsize::new(0);
static ALT_END: AtomicUsize = AtomicUsize::new(0);
static DEPTH: AtomicUsize = AtomicUsize::new(0);

fn address_of_local() -> usize {
    let local = 0u8;
    black_box(&local) as *const u8 as usize
}

/// Uses a few hundred bytes of stack per call, forever.
fn recurse(depth: usize) -> usize {
    let frame = black_box([depth as u8; 256]);
    DEPTH.store(depth, Ordering::Relaxed);
    // `black_box(true)`: endless in fact, but not provably so to the compiler.
    let next = if black_box(true) {
        recurse(depth + 1)
    } else {
        0
    };
    next + frame[depth % 256] as usize
}

/// A small buffer formatter that never allocates (allocation is not async-signal-safe).
struct Report {
    buf: [u8; 512],
    len: usize,
}

impl Report {
    fn text(&mut self, s: &str) -> &mut Report {
        for &b in s.as_bytes() {
            if self.len < self.buf.len() {
                self.buf[self.len] = b;
                self.len += 1;
            }
        }
        self
    }

    fn num(&mut self, mut n: usize, base: usize) -> &mut Report {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b"0123456789abcdef"[n % base];
            n /= base;
            if n == 0 {
                break;
            }
        }
        let s = core::str::from_utf8(&digits[i..]).unwrap_or("?");
        self.text(s)
    }

    fn print(&self) {
        // SAFETY: descriptor 1 is this process's standard output for the whole run.
        let _ = unsafe { bsd_sys::fd::write(1, &self.buf[..self.len]) };
    }
}

fn on_fault(info: &SigInfo) {
    let here = address_of_local();
    let top = STACK_TOP.load(Ordering::SeqCst);
    let on_alt = (ALT_START.load(Ordering::SeqCst)..ALT_END.load(Ordering::SeqCst)).contains(&here);
    let fault = info.fault_address().unwrap_or(0);
    let below = top.wrapping_sub(fault);
    let in_guard = fault != 0 && fault < top && below <= STACK_SIZE + SLACK;

    let mut r = Report {
        buf: [0; 512],
        len: 0,
    };
    r.text("caught ")
        .text(info.signal().name().unwrap_or("a signal"))
        .text(" after ")
        .num(DEPTH.load(Ordering::Relaxed), 10)
        .text(" frames: fault at 0x")
        .num(fault, 16)
        .text(", ")
        .num(below / 1024, 10)
        .text(" KiB below the top of the ")
        .num(STACK_SIZE / 1024, 10)
        .text(" KiB stack; handler on the alternate stack: ")
        .text(if on_alt { "yes" } else { "NO" })
        .text("\n");
    r.print();
    let ok = on_alt && in_guard;
    if !ok {
        Report { buf: [0; 512], len: 0 }
            .text("FAILED: the fault was not where the guard page is, or the handler was not on the alternate stack\n")
            .print();
    }
    // Returning would re-run the faulting instruction; end the process at once instead.
    bsd_sys::process::_exit(if ok { 0 } else { 1 });
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let action = SigAction::handler(on_fault).with_flags(SaFlags::ONSTACK);
    for sig in [Signal::SEGV, Signal::BUS] {
        // SAFETY: `on_fault` uses atomics, a stack buffer and write(2), then _exit(2): all
        // async-signal-safe; it never returns to the faulting code.
        unsafe { set_action(sig, &action) }?;
    }
    println!(
        "a worker with a {} KiB stack recurses until it overflows",
        STACK_SIZE / 1024
    );

    let worker = std::thread::Builder::new()
        .name("deep".into())
        .stack_size(STACK_SIZE)
        .spawn(|| -> bsd_signal::Result<usize> {
            STACK_TOP.store(address_of_local(), Ordering::SeqCst);
            // Roomy, as handlers of a debug build use more stack than release ones.
            let alt = AltStack::new(AltStack::default_size().max(64 * 1024))?;
            ALT_START.store(alt.range().start, Ordering::SeqCst);
            ALT_END.store(alt.range().end, Ordering::SeqCst);
            Ok(recurse(0))
        })?;
    // Only reached if the handler did not end the process.
    let outcome = worker.join();
    eprintln!("FAILED: the worker came back without overflowing: {outcome:?}");
    std::process::exit(1);
}
