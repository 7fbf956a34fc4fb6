//! `cargo xtask stress`: the test suites again, scaled up, each binary watched for leaked
//! descriptors.
//!
//! Every test binary of both backends runs with `BSD_RS_STRESS=<count>` (the stress tests scale
//! their rounds by it; 1 is what the ordinary test run uses) under a small ptrace supervisor
//! that counts the binary's open descriptors right after `exec` and again at its exit
//! (`PTRACE_EVENT_EXIT`, when the process still holds everything it opened). A test binary
//! that ends with more descriptors than it started with leaked one, and fails the task.
//! Mapping leaks are checked inside the suites (bsd-mem's `leak` test compares the process's
//! mapping count before and after).

use std::fs::File;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::ci::select_backend;
use crate::test_vm::{test_binaries, TestBinary};
use crate::util::{cargo, describe, workspace_root, Steps, TaskResult};

/// `BSD_RS_STRESS` for CI's run: the stress tests at their ordinary size.
pub const CI_COUNT: usize = 1;

/// Builds the test binaries of the workspace's library crates for `backend`.
fn build(backend: &str) -> TaskResult<Vec<TestBinary>> {
    let mut cmd = cargo();
    cmd.args([
        "test",
        "--no-run",
        "--workspace",
        "--exclude",
        "bsd-bench",
        "--exclude",
        "xtask",
        "--message-format=json-render-diagnostics",
    ]);
    select_backend(&mut cmd, backend, "");
    eprintln!("    $ {}", describe(&cmd));
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!("building the tests failed ({})", out.status));
    }
    test_binaries(&String::from_utf8_lossy(&out.stdout))
}

/// The directory cargo would run a package's tests in.
fn package_dir(label: &str) -> PathBuf {
    let package = label.split('/').next().unwrap_or(label);
    let root = workspace_root();
    let candidates = [
        root.join("crates").join(package),
        root.join(package.trim_start_matches("bsd-")),
    ];
    candidates
        .into_iter()
        .find(|d| d.join("Cargo.toml").exists())
        .unwrap_or(root)
}

/// How a supervised test binary ended.
struct Outcome {
    fds_at_start: usize,
    fds_at_exit: Option<usize>,
    success: bool,
}

fn open_fds(pid: libc::pid_t) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

/// Runs `bin` as a traced child and counts its descriptors at exec and at exit.
fn supervise(bin: &Path, dir: &Path, count: usize, log: &Path) -> TaskResult<Outcome> {
    let out = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut cmd = Command::new(bin);
    cmd.current_dir(dir)
        .env("BSD_RS_STRESS", count.to_string())
        .stdin(Stdio::null())
        .stdout(out.try_clone().map_err(|e| e.to_string())?)
        .stderr(out);
    // SAFETY: the closure runs in the forked child before exec and only makes one system call.
    unsafe {
        cmd.pre_exec(|| {
            if libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: waiting for our own child; `status` is writable.
    if unsafe { libc::waitpid(pid, &mut status, 0) } != pid || !libc::WIFSTOPPED(status) {
        return Err(format!("{}: no stop at exec", bin.display()));
    }
    let fds_at_start = open_fds(pid);
    let options = libc::PTRACE_O_TRACEEXIT | libc::PTRACE_O_EXITKILL;
    // SAFETY: `pid` is our stopped tracee.
    unsafe {
        libc::ptrace(libc::PTRACE_SETOPTIONS, pid, 0, options);
        libc::ptrace(libc::PTRACE_CONT, pid, 0, 0);
    }
    let mut fds_at_exit = None;
    loop {
        // SAFETY: as above.
        if unsafe { libc::waitpid(pid, &mut status, 0) } != pid {
            return Err(format!("{}: waitpid failed", bin.display()));
        }
        if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
            break;
        }
        let sig = libc::WSTOPSIG(status);
        let event = (status >> 16) & 0xff;
        let deliver = if sig == libc::SIGTRAP && event == libc::PTRACE_EVENT_EXIT {
            fds_at_exit = Some(open_fds(pid));
            0
        } else {
            sig // a signal-delivery stop: hand the signal on
        };
        // SAFETY: `pid` is our stopped tracee.
        unsafe { libc::ptrace(libc::PTRACE_CONT, pid, 0, deliver) };
    }
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    Ok(Outcome {
        fds_at_start,
        fds_at_exit,
        success,
    })
}

/// Runs every test binary of `backend` supervised; an error names each failure or leak.
fn run_backend(backend: &str, count: usize) -> TaskResult {
    let binaries = build(backend)?;
    let log_dir = workspace_root().join("target").join("stress-logs");
    std::fs::create_dir_all(&log_dir).map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    for bin in &binaries {
        let log = log_dir.join(format!("{backend}-{}.log", bin.label.replace('/', "-")));
        let outcome = supervise(&bin.path, &package_dir(&bin.label), count, &log)?;
        let leak = match outcome.fds_at_exit {
            Some(end) if end > outcome.fds_at_start => {
                format!(", LEAKED {} descriptor(s)", end - outcome.fds_at_start)
            }
            Some(_) => String::new(),
            None => ", exit not observed".to_string(),
        };
        let verdict = if outcome.success { "ok" } else { "FAILED" };
        eprintln!(
            "    {verdict:6} {:32} descriptors {} -> {}{leak}",
            bin.label,
            outcome.fds_at_start,
            outcome
                .fds_at_exit
                .map_or("?".to_string(), |n| n.to_string())
        );
        if !outcome.success || !leak.is_empty() {
            let mut text = String::new();
            let _ = File::open(&log).and_then(|mut f| f.read_to_string(&mut text));
            eprintln!("{text}");
            problems.push(format!("{}{leak}", bin.label));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{backend} backend: {}", problems.join("; ")))
    }
}

/// Runs the supervised suites for both backends as steps of `steps`.
pub fn run_steps(steps: &mut Steps, count: usize) -> TaskResult {
    for backend in ["libc", "raw"] {
        steps.run(
            &format!("stress x{count} with descriptor-leak check ({backend} backend)"),
            || run_backend(backend, count),
        )?;
    }
    Ok(())
}

/// `cargo xtask stress [--count N]`.
pub fn main(args: &[String]) -> TaskResult {
    let count = match args {
        [] => 20,
        [flag, n] if flag == "--count" => n
            .parse()
            .map_err(|_| format!("--count takes a number, not `{n}`"))?,
        _ => return Err("usage: cargo xtask stress [--count N]".to_string()),
    };
    Steps::task(|steps| run_steps(steps, count))
}
