//! `cargo xtask callgrind`: user-space instructions per call of each hot call, per backend.
//!
//! Builds `bench/examples/callgrind` in release (no LTO, as users build) once per backend,
//! runs every case under `valgrind --tool=callgrind` with N and 2N iterations, collecting only
//! inside the measured loop (`--toggle-collect=*cg_loop*`), and prints
//! `(Ir(2N) - Ir(N)) / N` per case as the Markdown table BENCHMARKS.md shows. Instruction
//! counts do not depend on the machine's load, so the table is reproducible where the
//! criterion wall times are not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{cargo, describe, run, workspace_root, TaskResult};

const USAGE: &str = "\
usage: cargo xtask callgrind [--n N] [--backend libc|raw|both] [--only SUBSTRING]

  --n N          iterations of the shorter run (the longer runs 2N); default 2000
  --backend B    which bsd-sys backend(s) to measure; default both (raw is Linux's opt-in)
  --only S       only cases whose id contains S, plus the references of their operations
                 (`--only ring`: the event-loop hop, bsd-event against mio and raw epoll)
";

struct Options {
    n: u64,
    backends: Vec<&'static str>,
    only: Option<String>,
}

fn parse(args: &[String]) -> TaskResult<Options> {
    let mut opts = Options {
        n: 2000,
        backends: vec!["libc", "raw"],
        only: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or(format!("{arg} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--n" => {
                opts.n = value()?.parse().map_err(|e| format!("--n: {e}"))?;
                if opts.n == 0 {
                    return Err("--n must be at least 1".into());
                }
            }
            "--backend" => {
                opts.backends = match value()?.as_str() {
                    "libc" => vec!["libc"],
                    "raw" => vec!["raw"],
                    "both" => vec!["libc", "raw"],
                    other => return Err(format!("unknown backend `{other}`\n\n{USAGE}")),
                }
            }
            "--only" => opts.only = Some(value()?),
            "--help" | "-h" => return Err(USAGE.into()),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}")),
        }
    }
    Ok(opts)
}

/// One case as the bench binary lists it.
struct Case {
    id: String,
    op: String,
    contender: String,
}

impl Case {
    /// The project's own contenders are measured per backend; references once.
    fn is_ours(&self) -> bool {
        self.id.starts_with("bsd-")
    }

    /// The ratio reference of an operation: mio where it is a contender (the event loop),
    /// else the direct libc call.
    fn is_reference(&self, cases: &[Case]) -> bool {
        let has_mio = cases
            .iter()
            .any(|c| c.op == self.op && c.id.starts_with("mio-"));
        self.id.starts_with(if has_mio { "mio-" } else { "libc-" })
    }
}

pub fn main(args: &[String]) -> TaskResult {
    let opts = parse(args)?;
    if !crate::util::succeeds(Command::new("valgrind").arg("--version")) {
        return Err("valgrind not found (Debian: apt-get install valgrind)".into());
    }
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));

    // Build every requested backend first, so the measurements run back to back.
    let mut bins = Vec::new();
    for backend in &opts.backends {
        let dir = if *backend == "raw" {
            base.join("raw")
        } else {
            base.clone()
        };
        build(backend, &dir)?;
        bins.push((*backend, dir.join("release/examples/callgrind")));
    }

    let cases = list(&bins[0].1)?;
    // results[(case id, backend)] = instructions per call
    let mut results: BTreeMap<(String, &str), f64> = BTreeMap::new();
    let wanted = |case: &Case| match &opts.only {
        Some(only) => case.id.contains(only.as_str()),
        None => true,
    };
    for (backend, bin) in &bins {
        for case in &cases {
            let reference = !case.is_ours();
            // A reference runs when a wanted contender shares its operation.
            let wanted = wanted(case)
                || (reference
                    && cases
                        .iter()
                        .any(|c| c.op == case.op && c.is_ours() && wanted(c)));
            // References do not depend on the backend: measure them in the first build only.
            if reference && *backend != bins[0].0 {
                continue;
            }
            if !wanted {
                continue;
            }
            // A contender that cannot run under valgrind is reported as such, not fatal.
            let per_call = match measure(bin, &case.id, opts.n) {
                Ok(v) => v,
                Err(err) => {
                    eprintln!(
                        "    {backend:4} {:14} failed: {}",
                        case.id,
                        first_line(&err)
                    );
                    f64::NAN
                }
            };
            eprintln!("    {backend:4} {:14} {per_call:8.1} Ir/call", case.id);
            results.insert((case.id.clone(), backend), per_call);
        }
    }
    print!("{}", table(&cases, &results, &opts));
    Ok(())
}

fn build(backend: &str, target_dir: &Path) -> TaskResult {
    let mut cmd = cargo();
    cmd.args([
        "build",
        "--release",
        "-p",
        "bsd-bench",
        "--example",
        "callgrind",
    ]);
    cmd.env("CARGO_TARGET_DIR", target_dir);
    // Release as users build it: no LTO, whatever the caller's config says.
    cmd.env("CARGO_PROFILE_RELEASE_LTO", "false");
    let mut flags = std::env::var("RUSTFLAGS").unwrap_or_default();
    if backend == "raw" {
        flags.push_str(" --cfg bsd_sys_backend=\"raw\"");
    }
    cmd.env("RUSTFLAGS", flags.trim());
    run(&mut cmd)
}

fn list(bin: &Path) -> TaskResult<Vec<Case>> {
    let out = Command::new(bin)
        .arg("--list")
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    if !out.status.success() {
        return Err(format!("{} --list failed", bin.display()));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .map(|line| {
            let mut parts = line.splitn(3, '\t');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(id), Some(op), Some(contender)) => Ok(Case {
                    id: id.into(),
                    op: op.into(),
                    contender: contender.into(),
                }),
                _ => Err(format!("bad case line `{line}`")),
            }
        })
        .collect()
}

/// The first line of an error that names the valgrind report's cause.
fn first_line(err: &str) -> &str {
    err.lines()
        .find(|l| l.contains("terminating") || l.contains("panicked"))
        .unwrap_or_else(|| err.lines().next().unwrap_or(""))
}

/// `(Ir(2N) - Ir(N)) / N` for one case.
fn measure(bin: &Path, id: &str, n: u64) -> TaskResult<f64> {
    let short = instructions(bin, id, n)?;
    let long = instructions(bin, id, 2 * n)?;
    Ok((long as f64 - short as f64) / n as f64)
}

/// Instructions callgrind collected inside `cg_loop` for one run.
fn instructions(bin: &Path, id: &str, n: u64) -> TaskResult<u64> {
    let mut cmd = Command::new("valgrind");
    cmd.args([
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        "--toggle-collect=*cg_loop*",
    ]);
    cmd.arg(bin).arg(id).arg(n.to_string());
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", describe(&cmd)))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("`{}` failed:\n{stderr}", describe(&cmd)));
    }
    stderr
        .lines()
        .find_map(|line| {
            let (_, rest) = line.split_once("Collected :")?;
            rest.trim().parse::<u64>().ok()
        })
        .ok_or_else(|| format!("no `Collected :` line from `{}`:\n{stderr}", describe(&cmd)))
}

fn table(cases: &[Case], results: &BTreeMap<(String, &str), f64>, opts: &Options) -> String {
    let get = |id: &str, backend: &str| results.get(&(id.to_string(), backend)).copied();
    let first = opts.backends[0];
    let mut out = format!(
        "\nUser-space instructions per call, `(Ir(2N) - Ir(N)) / N`, N = {}; release, no LTO.\n\
         Ratios are to the direct libc call (to mio for the event loop); the raw column also gives \
         the ratio to rustix.\n\n",
        opts.n
    );
    out.push_str("| operation | contender |");
    for b in &opts.backends {
        out.push_str(&format!(" {b} backend | ratio |"));
    }
    if opts.backends.contains(&"raw") {
        out.push_str(" raw / rustix |");
    }
    out.push('\n');
    out.push_str("|---|---|");
    for _ in &opts.backends {
        out.push_str("---:|---:|");
    }
    if opts.backends.contains(&"raw") {
        out.push_str("---:|");
    }
    out.push('\n');
    for case in cases {
        if !case.is_ours() && get(&case.id, first).is_none() {
            continue;
        }
        if case.is_ours() && opts.backends.iter().all(|b| get(&case.id, b).is_none()) {
            continue;
        }
        // The op's references: same operation, contender id prefix.
        let peer = |prefix: &str| {
            cases
                .iter()
                .find(|c| c.op == case.op && c.id.starts_with(prefix))
                .and_then(|c| get(&c.id, first))
        };
        let reference = cases
            .iter()
            .find(|c| c.op == case.op && c.is_reference(cases));
        let libc_ref = reference.and_then(|c| get(&c.id, first));
        let is_ref = case.is_reference(cases);
        let rustix_ref = peer("rustix-");
        out.push_str(&format!("| {} | {} |", case.op, case.contender));
        for b in &opts.backends {
            // References are measured in the first backend's build only.
            let value = if case.is_ours() || *b == first {
                get(&case.id, b)
            } else {
                None
            };
            match value {
                Some(v) if v.is_nan() => out.push_str(" fails under valgrind | |"),
                Some(v) => {
                    out.push_str(&format!(" {v:.1} |"));
                    match libc_ref {
                        _ if is_ref => out.push_str(" 1.00 |"),
                        Some(l) if l > 0.0 => out.push_str(&format!(" {:.2} |", v / l)),
                        _ => out.push_str(" |"),
                    }
                }
                None => out.push_str(" | |"),
            }
        }
        if opts.backends.contains(&"raw") {
            match (
                case.is_ours().then(|| get(&case.id, "raw")).flatten(),
                rustix_ref,
            ) {
                (Some(v), Some(r)) if r > 0.0 && !r.is_nan() => {
                    out.push_str(&format!(" {:.2} |", v / r))
                }
                _ => out.push_str(" |"),
            }
        }
        out.push('\n');
    }
    out
}
