//! bsd-rs developer tasks, run as `cargo xtask <task>`.

mod callgrind;
mod check_targets;
mod ci;
mod examples;
mod package;
mod sanitizers;
mod stress;
mod test_vm;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task> [args]

tasks:
  ci               everything CI runs: fmt, clippy (both backends), MSRV check, docs,
                   check-targets, the tour, test-vm linux, the tests and the examples
                   (both backends), stress at count 1, package
  check-targets    nightly -Zbuild-std check + clippy for x86_64/aarch64 OpenBSD and
                   x86_64 DragonFly (both backends), and each crate's docs as docs.rs
                   builds them for those targets (-D warnings)
  examples         every library crate's example programs, both backends
  package          cargo package of the library crates (built from the .crate files),
                   each checked for its README and license files
  callgrind        instructions per call of each hot call under valgrind's callgrind, both
                   backends, against libc, rustix and nix (`cargo xtask callgrind --help`)
  test-vm <guest>  run the test suite in a QEMU guest: linux, openbsd, dragonfly
                   (`cargo xtask test-vm --help` for options)
  rehearse-vm      the openbsd and dragonfly test-vm flows end to end against stand-in
                   guests built here (`cargo xtask rehearse-vm --help`)
  stress [--count N]
                   the test binaries of both backends with the stress tests scaled by N
                   (default 20; CI runs 1), each checked for leaked descriptors
  sanitizers [address|thread] [--backend libc|raw|both]
                   the test suites under AddressSanitizer and ThreadSanitizer (nightly,
                   -Zbuild-std, both backends)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci::main(),
        Some("callgrind") => callgrind::main(&args[1..]),
        Some("check-targets") => check_targets::main(),
        Some("examples") => examples::main(),
        Some("package") => package::main(),
        Some("test-vm") => test_vm::run(&args[1..]),
        Some("rehearse-vm") => test_vm::rehearse(&args[1..]),
        Some("stress") => stress::main(&args[1..]),
        Some("sanitizers") => sanitizers::main(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown task `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err}");
            ExitCode::FAILURE
        }
    }
}
