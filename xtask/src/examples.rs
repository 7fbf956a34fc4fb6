//! `cargo xtask examples`: runs every example program of every library crate on this host.
//!
//! Each crate keeps realistic programs in `crates/<crate>/examples/` (a file `name.rs` or a
//! directory `name/main.rs`); they must run without input, finish in seconds and exit 0. CI runs
//! them with both backends; a program that runs longer than [`TIME_LIMIT`] is killed and fails.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::ci::{select_backend, LIBRARY_CRATES};
use crate::util::{cargo, describe, workspace_root, Steps, TaskResult};

/// How long one example may run (the build before it is not counted).
const TIME_LIMIT: Duration = Duration::from_secs(60);

/// The examples of `crate_name`: the names `cargo run --example` takes, sorted.
pub(crate) fn examples_of(crate_dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(crate_dir.join("examples")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let path = entry.path();
            let name = path.file_stem()?.to_str()?.to_string();
            let is_program = if path.is_dir() {
                path.join("main.rs").is_file()
            } else {
                path.extension().is_some_and(|ext| ext == "rs")
            };
            is_program.then_some(name)
        })
        .collect();
    names.sort();
    names
}

/// Builds and runs one example, killing it after [`TIME_LIMIT`].
fn run_example(crate_name: &str, example: &str, backend: &str) -> TaskResult {
    let mut build = cargo();
    build.args(["build", "--quiet", "-p", crate_name, "--example", example]);
    select_backend(&mut build, backend, "");
    crate::util::run(&mut build)?;

    let mut cmd = cargo();
    cmd.args(["run", "--quiet", "-p", crate_name, "--example", example]);
    select_backend(&mut cmd, backend, "");
    eprintln!("    $ {}", describe(&cmd));
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(&cmd)))?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            return if status.success() {
                Ok(())
            } else {
                Err(format!(
                    "example `{example}` of {crate_name} ({backend} backend) failed ({status})"
                ))
            };
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "example `{example}` of {crate_name} ({backend} backend) ran over {} s: killed",
                TIME_LIMIT.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs every library crate's examples with `backend`; fails if no crate has one.
pub fn run_all(backend: &str) -> TaskResult {
    let root = workspace_root();
    let mut ran = 0;
    for crate_name in LIBRARY_CRATES {
        for example in examples_of(&root.join("crates").join(crate_name)) {
            run_example(crate_name, &example, backend)?;
            ran += 1;
        }
    }
    if ran == 0 {
        return Err("no example programs found under crates/*/examples".into());
    }
    eprintln!("    {ran} examples ran ({backend} backend)");
    Ok(())
}

/// Runs the examples with both backends, one step each.
pub fn run_steps(steps: &mut Steps) -> TaskResult {
    for backend in ["libc", "raw"] {
        steps.run(&format!("examples ({backend} backend)"), || {
            run_all(backend)
        })?;
    }
    Ok(())
}

/// `cargo xtask examples`.
pub fn main() -> TaskResult {
    Steps::task(run_steps)
}
