//! `cargo xtask ci`: everything CI runs, in order, each step named and timed.

use std::process::Command;

use crate::util::{
    cargo, cargo_with, ensure_toolchain, run, run_counting_tests, Steps, TaskResult, TestCounts,
};
use crate::{check_targets, examples, package, stress, test_vm};

/// The crates people depend on: MSRV-checked and documented.
pub const LIBRARY_CRATES: &[&str] = &[
    "bsd-sys",
    "bsd-mem",
    "bsd-fd",
    "bsd-signal",
    "bsd-thread",
    "bsd-time",
    "bsd-event",
    "bsd-proc",
];

/// The library crates' minimum supported Rust (DragonFly's packaged rustc).
pub const MSRV: &str = "1.79";

/// Points `cmd` at `backend` of bsd-sys, building in `target/<dir>` (`target/` itself for the
/// default libc build): the raw backend needs a cfg, hence its own directory.
pub(crate) fn select_backend(cmd: &mut Command, backend: &str, dir: &str) {
    let mut target_dir = String::from("target");
    for part in [dir, if backend == "libc" { "" } else { backend }] {
        if !part.is_empty() {
            target_dir.push('/');
            target_dir.push_str(part);
        }
    }
    if backend != "libc" {
        cmd.env("RUSTFLAGS", format!("--cfg bsd_sys_backend=\"{backend}\""));
    }
    if target_dir != "target" {
        cmd.env("CARGO_TARGET_DIR", target_dir);
    }
    // Read by bsd-sys's own test, so a run that silently used the wrong backend fails.
    cmd.env("BSD_SYS_EXPECT_BACKEND", backend);
}

fn clippy(backend: &str) -> Command {
    let mut cmd = cargo();
    cmd.args(["clippy", "--workspace", "--all-targets"]);
    if backend != "libc" {
        // xtask and the benchmarks do not use bsd-sys's backend.
        cmd.args(["--exclude", "xtask", "--exclude", "bsd-bench"]);
    }
    cmd.args(["--", "-D", "warnings"]);
    select_backend(&mut cmd, backend, "");
    cmd
}

fn test(backend: &str) -> Command {
    let mut cmd = cargo();
    cmd.args(["test", "--workspace", "--exclude", "bsd-bench"]);
    if backend != "libc" {
        cmd.args(["--exclude", "xtask"]);
    }
    select_backend(&mut cmd, backend, "");
    cmd
}

fn tour(backend: &str) -> Command {
    let mut cmd = cargo();
    cmd.args(["run", "--quiet", "-p", "bsd-tour"]);
    select_backend(&mut cmd, backend, "");
    cmd
}

fn msrv_check(backend: &str) -> Command {
    let mut cmd = cargo_with(MSRV);
    cmd.args(["check", "--all-targets"]);
    for crate_name in LIBRARY_CRATES {
        cmd.args(["-p", crate_name]);
    }
    select_backend(&mut cmd, backend, "msrv");
    cmd
}

fn msrv_no_std() -> Command {
    let mut cmd = cargo_with(MSRV);
    cmd.args(["check", "-p", "bsd-sys", "--no-default-features"]);
    cmd.env("CARGO_TARGET_DIR", "target/msrv");
    cmd
}

fn docs() -> Command {
    let mut cmd = cargo();
    cmd.args(["doc", "--no-deps"]);
    for crate_name in LIBRARY_CRATES {
        cmd.args(["-p", crate_name]);
    }
    cmd.env("RUSTDOCFLAGS", "-D warnings");
    cmd
}

fn run_steps(steps: &mut Steps, counts: &mut TestCounts) -> TaskResult {
    steps.run("rustfmt --check", || {
        ensure_toolchain("stable", &["rustfmt", "clippy"])?;
        run(cargo().args(["fmt", "--all", "--", "--check"]))
    })?;
    for backend in ["libc", "raw"] {
        steps.run(&format!("clippy -D warnings ({backend} backend)"), || {
            run(&mut clippy(backend))
        })?;
    }
    steps.run(
        &format!("MSRV {MSRV}: check the library crates (both backends, and no_std)"),
        || {
            ensure_toolchain(MSRV, &[])?;
            run(&mut msrv_check("libc"))?;
            run(&mut msrv_check("raw"))?;
            run(&mut msrv_no_std())
        },
    )?;
    steps.run("docs with -D warnings", || run(&mut docs()))?;
    check_targets::run_steps(steps)?;
    for backend in ["libc", "raw"] {
        steps.run(&format!("tour ({backend} backend)"), || {
            run(&mut tour(backend))
        })?;
    }
    for backend in ["libc", "raw"] {
        steps.run(&format!("test-vm linux ({backend} backend)"), || {
            test_vm::ci_step(backend)
        })?;
    }
    for backend in ["libc", "raw"] {
        steps.run(&format!("tests ({backend} backend)"), || {
            run_counting_tests(&mut test(backend), counts)
        })?;
    }
    examples::run_steps(steps)?;
    stress::run_steps(steps, stress::CI_COUNT)?;
    steps.run("cargo package (library crates)", package::run_package)?;
    Ok(())
}

/// `cargo xtask ci`.
pub fn main() -> TaskResult {
    let mut steps = Steps::new();
    let mut counts = TestCounts::default();
    let result = run_steps(&mut steps, &mut counts);
    steps.summary();
    if let Err(err) = &result {
        eprintln!("\nci FAILED: {err}");
    }
    // The last line: the host test totals over both backends.
    println!("tests: {} passed, {} failed", counts.passed, counts.failed);
    result
}
