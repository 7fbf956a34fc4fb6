//! `cargo xtask sanitizers`: the library test suites under AddressSanitizer and ThreadSanitizer.
//!
//! Nightly only (`-Zsanitizer`), with `-Zbuild-std` so the standard library is instrumented
//! too (ThreadSanitizer requires it), for the host target and both backends. Each run sets
//! `BSD_RS_SANITIZER=<name>`: the few tests that cannot run under a sanitizer (they fill the
//! process's map-count limit, which the sanitizer's own allocator then hits, or they rely on
//! signal delivery that the sanitizer defers) skip themselves and print why.
//!
//! The sanitizers' own signal handling is turned off (`handle_segv=0` and friends) so that the
//! tests that fault on purpose in a child see the kernel's signal, and AddressSanitizer keeps
//! no alternate signal stack of its own (`use_sigaltstack=0`), which the `AltStack` tests
//! would otherwise find installed. Locals stay on the real stack
//! (`detect_stack_use_after_return=0`): the stack tests compare a local's address with the
//! stack a thread or handler runs on. Leak detection is off: some tests leak on purpose (an
//! alternate stack that must not be freed while in use).

use crate::check_targets::nightly;
use crate::util::{cargo_with, ensure_toolchain, run, Steps, TaskResult};

const HOST: &str = "x86_64-unknown-linux-gnu";

fn suite(sanitizer: &str, backend: &str) -> std::process::Command {
    let mut cmd = cargo_with(&nightly());
    cmd.args([
        "test",
        "-Zbuild-std",
        "--target",
        HOST,
        "--workspace",
        "--exclude",
        "bsd-bench",
        "--exclude",
        "xtask",
        "--exclude",
        "bsd-tour",
        "--no-fail-fast",
    ]);
    if sanitizer == "thread" && backend == "libc" {
        // Several doc examples check that a handler ran, and where: ThreadSanitizer's
        // `sigaction` interceptor defers handlers, and a doctest cannot skip itself.
        cmd.args(["--lib", "--bins", "--tests"]);
    }
    let mut rustflags = format!("-Zsanitizer={sanitizer}");
    if backend != "libc" {
        rustflags.push_str(&format!(" --cfg bsd_sys_backend=\"{backend}\""));
    }
    cmd.env("RUSTFLAGS", &rustflags)
        .env("RUSTDOCFLAGS", &rustflags)
        .env(
            "CARGO_TARGET_DIR",
            format!("target/san-{sanitizer}-{backend}"),
        )
        .env("BSD_SYS_EXPECT_BACKEND", backend)
        .env("BSD_RS_SANITIZER", sanitizer)
        .env(
            "ASAN_OPTIONS",
            "detect_leaks=0:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:\
             use_sigaltstack=0:allow_user_segv_handler=1:detect_stack_use_after_return=0",
        )
        .env(
            "TSAN_OPTIONS",
            "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:report_signal_unsafe=0",
        );
    cmd
}

/// Runs the suites under each sanitizer in `which`, for each of `backends`, as steps.
pub fn run_steps(steps: &mut Steps, which: &[&str], backends: &[&str]) -> TaskResult {
    steps.run("nightly toolchain with rust-src", || {
        ensure_toolchain(&nightly(), &["rust-src"])
    })?;
    for sanitizer in which {
        for backend in backends {
            steps.run(
                &format!("tests under {sanitizer} sanitizer ({backend} backend)"),
                || run(&mut suite(sanitizer, backend)),
            )?;
        }
    }
    Ok(())
}

const USAGE: &str = "usage: cargo xtask sanitizers [address|thread] [--backend libc|raw|both]";

/// `cargo xtask sanitizers [address|thread] [--backend libc|raw|both]`.
pub fn main(args: &[String]) -> TaskResult {
    let mut which = vec!["address", "thread"];
    let mut backends = vec!["libc", "raw"];
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "address" | "thread" => {
                which = vec![if arg == "address" {
                    "address"
                } else {
                    "thread"
                }]
            }
            "--backend" => {
                backends = match args.next().map(String::as_str) {
                    Some("libc") => vec!["libc"],
                    Some("raw") => vec!["raw"],
                    Some("both") => vec!["libc", "raw"],
                    _ => return Err(USAGE.to_string()),
                }
            }
            _ => return Err(USAGE.to_string()),
        }
    }
    Steps::task(|steps| run_steps(steps, &which, &backends))
}
