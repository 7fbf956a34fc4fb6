//! Running commands as named, timed steps, and installing the toolchains the steps need.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

/// A failure that ends the task, with the message the user sees.
pub type TaskResult<T = ()> = Result<T, String>;

/// The workspace root (the parent of the xtask crate).
pub fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// `cargo` as the one that runs this task (`$CARGO`), falling back to `cargo` on PATH.
pub fn cargo() -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace_root());
    // A toolchain override from the caller must not leak into `cargo +toolchain` runs.
    cmd.env_remove("RUSTUP_TOOLCHAIN");
    cmd
}

/// `cargo +<toolchain>`: goes through rustup's proxy, so it runs that toolchain's cargo.
pub fn cargo_with(toolchain: &str) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.arg(format!("+{toolchain}"));
    cmd.current_dir(workspace_root());
    cmd.env_remove("RUSTUP_TOOLCHAIN");
    cmd.env_remove("CARGO");
    cmd.env_remove("RUSTC");
    cmd
}

/// Shows a command as a shell would, with the environment variables this task set.
pub fn describe(cmd: &Command) -> String {
    let mut text = String::new();
    for (key, value) in cmd.get_envs() {
        if let Some(value) = value {
            text.push_str(&format!(
                "{}='{}' ",
                key.to_string_lossy(),
                value.to_string_lossy()
            ));
        }
    }
    text.push_str(&cmd.get_program().to_string_lossy());
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs `cmd`, inheriting the terminal; an error if it cannot start or exits non-zero.
pub fn run(cmd: &mut Command) -> TaskResult {
    eprintln!("    $ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

/// Whether `cmd` runs and exits 0, with its output discarded.
pub fn succeeds(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Test counts summed over `cargo test` runs.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestCounts {
    pub passed: u64,
    pub failed: u64,
    pub ignored: u64,
}

impl TestCounts {
    /// Adds the counts of one libtest summary line (`test result: ok. 3 passed; 0 failed; 1 ignored; ...`).
    pub fn add_summary_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(kind), Some(number)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(n) = number.parse::<u64>() else {
                continue;
            };
            match kind {
                "passed" => self.passed += n,
                "failed" => self.failed += n,
                "ignored" => self.ignored += n,
                _ => {}
            }
        }
    }
}

/// Runs `cmd` (a `cargo test`), echoing its standard output and adding its summaries to `counts`.
pub fn run_counting_tests(cmd: &mut Command, counts: &mut TestCounts) -> TaskResult {
    eprintln!("    $ {}", describe(cmd));
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(cmd)))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            counts.add_summary_line(&line);
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

/// One named step of a task; prints its start and its duration.
pub struct Steps {
    started: Instant,
    done: Vec<(String, f64, bool)>,
}

impl Steps {
    pub fn new() -> Steps {
        Steps {
            started: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Runs `body` as step `name`, printing `==> name` and `<== name: ok (1.2 s)`.
    pub fn run(&mut self, name: &str, body: impl FnOnce() -> TaskResult) -> TaskResult {
        eprintln!("\n==> {name}");
        let start = Instant::now();
        let result = body();
        let secs = start.elapsed().as_secs_f64();
        let verdict = if result.is_ok() { "ok" } else { "FAILED" };
        eprintln!("<== {name}: {verdict} ({secs:.1} s)");
        self.done.push((name.to_string(), secs, result.is_ok()));
        result
    }

    /// Runs `body` with a fresh set of steps, then prints the summary (also after a failure).
    pub fn task(body: impl FnOnce(&mut Steps) -> TaskResult) -> TaskResult {
        let mut steps = Steps::new();
        let result = body(&mut steps);
        steps.summary();
        result
    }

    /// Prints every step with its time and the total.
    pub fn summary(&self) {
        eprintln!("\nsteps:");
        for (name, secs, ok) in &self.done {
            eprintln!(
                "  {:>7.1} s  {}  {name}",
                secs,
                if *ok { "ok    " } else { "FAILED" }
            );
        }
        eprintln!("  {:>7.1} s  total", self.started.elapsed().as_secs_f64());
    }
}

/// Makes sure rustup has `toolchain` with `components`, installing what is missing (and saying so).
pub fn ensure_toolchain(toolchain: &str, components: &[&str]) -> TaskResult {
    let present = succeeds(Command::new("rustup").args(["run", toolchain, "rustc", "--version"]));
    if !present {
        eprintln!("    toolchain {toolchain} is missing: installing it with rustup");
        run(Command::new("rustup").args([
            "toolchain",
            "install",
            toolchain,
            "--profile",
            "minimal",
        ]))?;
    }
    let listed = Command::new("rustup")
        .args(["component", "list", "--installed", "--toolchain", toolchain])
        .output()
        .map_err(|e| format!("cannot run rustup (is it installed? see https://rustup.rs): {e}"))?;
    let installed = String::from_utf8_lossy(&listed.stdout);
    for component in components {
        if !installed
            .lines()
            .any(|l| l.starts_with(&format!("{component}-")) || l == *component)
        {
            eprintln!(
                "    component {component} is missing from {toolchain}: adding it with rustup"
            );
            run(Command::new("rustup").args([
                "component",
                "add",
                component,
                "--toolchain",
                toolchain,
            ]))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_lines_are_counted() {
        let mut counts = TestCounts::default();
        counts.add_summary_line("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.5s");
        counts.add_summary_line(
            "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out",
        );
        counts.add_summary_line("running 3 tests");
        assert_eq!(
            counts,
            TestCounts {
                passed: 15,
                failed: 2,
                ignored: 1
            }
        );
    }
}
