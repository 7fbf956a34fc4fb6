//! `cargo xtask check-targets`: type-check, lint and document every crate for the BSD targets.
//!
//! The BSD targets are tier 3 (no prebuilt std), so this builds std from source with nightly's
//! `-Zbuild-std`; it needs the nightly toolchain with `rust-src` and `clippy`, installed here when
//! missing. Linking is not possible without a BSD sysroot, so this stops at check + clippy; the
//! test suites run on the BSDs themselves through `cargo xtask test-vm`.

use std::process::Command;

use crate::ci::LIBRARY_CRATES;
use crate::util::{cargo_with, ensure_toolchain, run, Steps, TaskResult};

/// The nightly toolchain used for `-Zbuild-std` (override with `BSD_RS_NIGHTLY`).
pub(crate) fn nightly() -> String {
    std::env::var("BSD_RS_NIGHTLY").unwrap_or_else(|_| "nightly".to_string())
}

/// Every BSD target with the backends to check on it (the first is the OS's default).
pub const BSD_TARGETS: &[(&str, &[&str])] = &[
    ("x86_64-unknown-openbsd", &["libc"]),
    ("aarch64-unknown-openbsd", &["libc"]),
    ("x86_64-unknown-dragonfly", &["raw", "libc"]),
];

/// docs.rs's other page: the Linux host, built with the same flags as the BSD pages.
const HOST_DOCS_TARGET: &str = "x86_64-unknown-linux-gnu";

/// The crates checked for the BSD targets: the libraries and the tour (xtask and the benchmarks
/// are host tools).
const EXCLUDED: &[&str] = &["xtask", "bsd-bench"];

fn cross(subcommand: &str, target: &str, backend: &str, default_backend: bool) -> Command {
    let mut cmd = cargo_with(&nightly());
    cmd.args([
        subcommand,
        "-Zbuild-std=std,panic_abort",
        "--target",
        target,
        "--workspace",
        "--all-targets",
    ]);
    for crate_name in EXCLUDED {
        cmd.args(["--exclude", crate_name]);
    }
    if default_backend {
        cmd.env("CARGO_TARGET_DIR", "target/cross");
    } else {
        cmd.env("RUSTFLAGS", format!("--cfg bsd_sys_backend=\"{backend}\""));
        cmd.env("CARGO_TARGET_DIR", format!("target/cross-{backend}"));
    }
    if subcommand == "clippy" {
        cmd.args(["--", "-D", "warnings"]);
    }
    cmd
}

/// The library crates' docs for `target` as docs.rs builds them (nightly, `-Zbuild-std`,
/// `--cfg docsrs`, the OS's default backend), with every rustdoc warning an error.
fn docs(target: &str) -> Command {
    let mut cmd = cargo_with(&nightly());
    cmd.arg("doc");
    // The host target has a prebuilt std; building it again would only cost time.
    if target != HOST_DOCS_TARGET {
        cmd.arg("-Zbuild-std=std,panic_abort");
    }
    cmd.args(["--target", target, "--no-deps"]);
    for crate_name in LIBRARY_CRATES {
        cmd.args(["-p", crate_name]);
    }
    cmd.env("RUSTDOCFLAGS", "--cfg docsrs -D warnings");
    // The dependencies were checked for this target by the `check` step: reuse them.
    cmd.env("CARGO_TARGET_DIR", "target/cross");
    cmd
}

/// Runs `check` and `clippy -D warnings` for every BSD target and backend, and the docs.rs-like
/// doc build of every target, as steps of `steps`.
pub fn run_steps(steps: &mut Steps) -> TaskResult {
    steps.run("nightly toolchain with rust-src and clippy", || {
        ensure_toolchain(&nightly(), &["rust-src", "clippy"])
    })?;
    for (target, backends) in BSD_TARGETS {
        for (i, backend) in backends.iter().enumerate() {
            let default_backend = i == 0;
            steps.run(&format!("check {target} ({backend} backend)"), || {
                run(&mut cross("check", target, backend, default_backend))
            })?;
            steps.run(&format!("clippy {target} ({backend} backend)"), || {
                run(&mut cross("clippy", target, backend, default_backend))
            })?;
        }
        steps.run(
            &format!("docs {target} (docs.rs flags, -D warnings)"),
            || run(&mut docs(target)),
        )?;
    }
    steps.run(
        &format!("docs {HOST_DOCS_TARGET} (docs.rs flags, -D warnings)"),
        || run(&mut docs(HOST_DOCS_TARGET)),
    )?;
    Ok(())
}

/// `cargo xtask check-targets`.
pub fn main() -> TaskResult {
    Steps::task(run_steps)
}
