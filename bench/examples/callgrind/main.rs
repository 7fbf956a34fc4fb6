//! Instruction-count benchmark cases, run under callgrind by `cargo xtask callgrind`.
//!
//! `callgrind --list` prints one line per case: `id<TAB>operation<TAB>contender`.
//! `callgrind <id> <n>` runs case `id` `n` times inside `cg_loop`, the only function whose
//! instructions the xtask collects (`--toggle-collect=*cg_loop*`). The xtask runs every case
//! with N and 2N and reports `(Ir(2N) - Ir(N)) / N`, so setup, the first call's lazy binding
//! and the process's start and exit cancel out. Contenders whose id starts with `bsd-` are
//! the project's and are measured once per backend; the others (libc, rustix, nix, std) do
//! not depend on the backend and are measured in the libc build only.

#[cfg(target_os = "linux")]
mod cases;

#[cfg(target_os = "linux")]
fn main() {
    cases::main();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("callgrind cases are Linux-only (valgrind's callgrind runs on the Linux host)");
}
