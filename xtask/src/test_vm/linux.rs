//! The linux guest: the workspace's test binaries, built static for musl, packed with a static
//! busybox into an initramfs, booted with a Debian kernel. No disk, no network, no modules.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::cpio::CpioWriter;
use super::deps::{self, MUSL};
use super::linux_build::kernel;
pub(crate) use super::linux_build::{
    build, cached_kernel, download_kernel_deb, extract_deb, test_binaries, TestBinary,
};
use super::plan::{AccelPlan, Backend, Guest, Options};
use super::qemu::{self, Accel, Vm};
use super::serial::{self, Event, Report};
use super::{progress, shell_quote};

/// Crates whose tests do not belong in the guest: the xtask itself, the benchmarks and the
/// tour (a demo program, run on the host).
pub const EXCLUDED: &[&str] = &["xtask", "bsd-bench", "bsd-tour"];

/// How long a KVM boot may stay silent before `--accel auto` retries under TCG.
pub const KVM_WATCHDOG: Duration = Duration::from_secs(20);
/// Per-binary limit inside the guest (busybox `timeout`).
pub const BINARY_TIMEOUT_SECS: u64 = 150;
pub const DEFAULT_TIMEOUT_SECS: u64 = 240;

/// The guest's `/init`: mount the kernel filesystems, run every binary with a marker before and
/// after it, power off.
pub fn init_script(bins: &[(String, String)], backend: Backend, test_args: &[String]) -> String {
    let mut s = String::new();
    s.push_str(
        "#!/bin/busybox sh\n\
         /bin/busybox --install -s /bin\n\
         export PATH=/bin\n\
         mount -t proc proc /proc\n\
         mount -t sysfs sysfs /sys\n\
         mount -t devtmpfs devtmpfs /dev\n\
         mkdir -p /dev/shm /dev/pts\n\
         mount -t tmpfs tmpfs /dev/shm\n\
         mount -t devpts devpts /dev/pts\n\
         mount -t tmpfs tmpfs /tmp\n\
         mount -t tmpfs tmpfs /run\n\
         ln -sf /proc/self/fd /dev/fd\n\
         ln -sf /proc/self/fd/0 /dev/stdin\n\
         ln -sf /proc/self/fd/1 /dev/stdout\n\
         ln -sf /proc/self/fd/2 /dev/stderr\n\
         hostname bsd-rs-test-vm\n\
         ip link set lo up 2>/dev/null\n\
         export HOME=/tmp TMPDIR=/tmp RUST_BACKTRACE=1 RUST_TEST_THREADS=2\n",
    );
    s.push_str(&format!(
        "export BSD_SYS_EXPECT_BACKEND={}\n",
        backend.name()
    ));
    s.push_str(&format!(
        "echo \"{} uptime=$(cut -d' ' -f1 /proc/uptime)\"\n",
        serial::BOOTED
    ));
    s.push_str(&format!(
        "TO=\nif command -v timeout >/dev/null; then TO=\"timeout -s KILL {BINARY_TIMEOUT_SECS}\"; fi\n"
    ));
    let args: String = test_args
        .iter()
        .map(|a| format!(" {}", shell_quote(a)))
        .collect();
    for (label, path) in bins {
        s.push_str(&format!(
            "echo \"{}{label}\"\ncd /tmp && $TO {path}{args} </dev/null\nrc=$?\necho \"{}{label} exit=$rc\"\n",
            serial::START,
            serial::RESULT
        ));
    }
    s.push_str(&format!(
        "echo \"{} uptime=$(cut -d' ' -f1 /proc/uptime)\"\nsync\npoweroff -f\n",
        serial::DONE
    ));
    s
}

/// Copies `src` into the archive without debug info (`strip`, when the host has it): the
/// guest unpacks the archive into RAM.
fn binary_bytes(src: &Path, scratch: &Path) -> Result<Vec<u8>, String> {
    if deps::which("strip").is_some() {
        let st = Command::new("strip")
            .arg("--strip-debug")
            .arg("-o")
            .arg(scratch)
            .arg(src)
            .status();
        if matches!(st, Ok(s) if s.success()) {
            return std::fs::read(scratch).map_err(|e| e.to_string());
        }
    }
    std::fs::read(src).map_err(|e| format!("{}: {e}", src.display()))
}

/// Writes the initramfs (uncompressed newc: nothing to decompress under TCG).
fn initramfs(
    out: &Path,
    busybox: &Path,
    bins: &[TestBinary],
    backend: Backend,
    test_args: &[String],
) -> Result<Vec<String>, String> {
    let file = std::fs::File::create(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut w = CpioWriter::new(std::io::BufWriter::new(file));
    let io = |e: std::io::Error| format!("{}: {e}", out.display());
    for d in ["bin", "dev", "proc", "sys", "tmp", "run", "t"] {
        w.dir(d).map_err(io)?;
    }
    let bb = std::fs::read(busybox).map_err(|e| format!("{}: {e}", busybox.display()))?;
    w.file("bin/busybox", 0o755, &bb).map_err(io)?;
    w.symlink("bin/sh", "busybox").map_err(io)?;
    let scratch = out.with_extension("strip.tmp");
    let mut entries = Vec::new();
    for (i, b) in bins.iter().enumerate() {
        let name = format!("t/{i:02}-{}", b.label.replace(['/', ' '], "-"));
        let data = binary_bytes(&b.path, &scratch)?;
        w.file(&name, 0o755, &data).map_err(io)?;
        entries.push((b.label.clone(), format!("/{name}")));
    }
    let _ = std::fs::remove_file(&scratch);
    let init = init_script(&entries, backend, test_args);
    w.file("init", 0o755, init.as_bytes()).map_err(io)?;
    w.finish().map_err(io)?;
    Ok(entries.into_iter().map(|(l, _)| l).collect())
}

/// The KVM watchdog: a guest that has not printed its boot marker within `watchdog`.
pub fn watchdog_expired(booted: bool, elapsed: Duration, watchdog: Option<Duration>) -> bool {
    match watchdog {
        Some(w) => !booted && elapsed > w,
        None => false,
    }
}

/// What one boot ended with.
enum Boot {
    Finished { report: Report, timed_out: bool },
    KvmSilent,
}

fn boot(
    argv: &[String],
    log: &Path,
    accel: Accel,
    watchdog: Option<Duration>,
    timeout: Duration,
    expected: usize,
) -> Result<Boot, String> {
    let _ = std::fs::remove_file(log);
    progress(&format!(
        "booting ({}): {}",
        accel.name(),
        qemu::display_command(qemu::QEMU, argv)
    ));
    let mut vm = Vm::spawn(argv, log)?;
    let mut report = Report::default();
    let mut done_bins = 0;
    loop {
        if watchdog_expired(report.booted, vm.elapsed(), watchdog) {
            vm.kill();
            return Ok(Boot::KvmSilent);
        }
        if vm.elapsed() > timeout {
            vm.kill();
            progress(&format!("timed out after {}s", timeout.as_secs()));
            return Ok(Boot::Finished {
                report,
                timed_out: true,
            });
        }
        match vm.next_line(Duration::from_millis(200)) {
            Ok(None) => {}
            Ok(Some(line)) => match report.feed(&line) {
                Event::Booted => progress(&format!(
                    "guest init is up after {:.1}s",
                    vm.elapsed().as_secs_f64()
                )),
                Event::Started(l) => progress(&format!("running {l}")),
                Event::Finished(r) => {
                    done_bins += 1;
                    progress(&format!(
                        "[{done_bins}/{expected}] {} {} ({} passed, {} failed, {} ignored)",
                        if r.ok() { "ok    " } else { "FAILED" },
                        r.label,
                        r.counts.passed,
                        r.counts.failed,
                        r.counts.ignored
                    ));
                }
                Event::Done => progress(&format!(
                    "guest finished after {:.1}s",
                    vm.elapsed().as_secs_f64()
                )),
                Event::Other => {
                    if std::env::var_os("BSD_RS_VM_VERBOSE").is_some() {
                        eprintln!("  | {line}");
                    }
                }
            },
            Err(status) => {
                if !report.booted && watchdog.is_some() {
                    // KVM that cannot run this guest may abort QEMU instead of hanging.
                    progress(&format!(
                        "QEMU under KVM exited before the guest's init ({status}): {}",
                        vm.stderr_text().trim()
                    ));
                    return Ok(Boot::KvmSilent);
                }
                if !report.done {
                    let err = vm.stderr_text();
                    if !err.trim().is_empty() {
                        eprintln!("[test-vm] qemu ({status}): {}", err.trim());
                    }
                }
                return Ok(Boot::Finished {
                    report,
                    timed_out: false,
                });
            }
        }
    }
}

/// Prints the guest output of failed binaries, from the log.
fn print_failures(log: &Path, failed: &[String]) {
    let Ok(text) = std::fs::read(log) else { return };
    let text = String::from_utf8_lossy(&text);
    for label in failed {
        let start = format!("{}{label}", serial::START);
        let mut inside = false;
        eprintln!("---- guest output of {label} ----");
        for line in text.lines() {
            let line = line.trim_end_matches('\r');
            if line.contains(&start) {
                inside = true;
                continue;
            }
            if inside {
                if line.contains(serial::RESULT) || line.contains(serial::START) {
                    break;
                }
                eprintln!("{line}");
            }
        }
    }
}

pub fn run(o: &Options, root: &Path, cache: &Path, accel: AccelPlan) -> Result<(), String> {
    let kernel_given = o.kernel.clone();
    let kernel_cached = kernel_given.is_some() || cached_kernel(&cache.join("linux")).is_some();
    let missing = deps::linux_missing(kernel_cached);
    if !missing.is_empty() {
        if o.install_deps {
            deps::install(&missing)?;
        } else {
            return Err(deps::report(&missing));
        }
    }
    let t0 = Instant::now();
    let busybox =
        deps::find_static_busybox().ok_or_else(|| deps::report(&deps::linux_missing(true)))?;
    let kernel = match kernel_given {
        Some(k) if k.is_file() => k,
        Some(k) => return Err(format!("--kernel {}: no such file", k.display())),
        None => kernel(cache, o.offline)?,
    };
    let (bins, build_failed) = build(root, o.backend)?;
    let dir = super::plan::run_dir(root, Guest::Linux);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let initrd = dir.join(format!("initramfs-{}.cpio", o.backend.name()));
    let expected = initramfs(&initrd, &busybox, &bins, o.backend, &o.test_args)?;
    let size = std::fs::metadata(&initrd).map(|m| m.len()).unwrap_or(0);
    progress(&format!(
        "initramfs {} ({:.1} MB, {} test binaries)",
        initrd.display(),
        size as f64 / 1e6,
        expected.len()
    ));
    let log = dir.join(format!("serial-{}.log", o.backend.name()));
    let timeout = Duration::from_secs(o.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS));
    let mem = if o.mem_mib == 0 {
        // Room for the unpacked archive next to the guest's own needs.
        (512 + 2 * size / (1 << 20)) as u32
    } else {
        o.mem_mib
    };
    let (first, watchdog) = match &accel {
        AccelPlan::Kvm { fallback } => (Accel::Kvm, fallback.then_some(KVM_WATCHDOG)),
        AccelPlan::Tcg { note } => {
            if let Some(n) = note {
                progress(n);
            }
            (Accel::Tcg, None)
        }
    };
    // One vCPU: under TCG a second one made the run slower on a busy 2-core host (the host
    // test run covers real parallelism).
    let smp = if o.smp == 0 { 1 } else { o.smp };
    let argv = qemu::linux_argv(&kernel, &initrd, first, smp, mem);
    let boot_t = Instant::now();
    let mut outcome = boot(&argv, &log, first, watchdog, timeout, expected.len())?;
    let mut used = first;
    if let Boot::KvmSilent = outcome {
        eprintln!(
            "[test-vm] warning: the KVM guest did not reach its init (QEMU failed, or no boot \
             marker within {}s: a nested or PVM KVM?); booting again under TCG. Use --accel tcg \
             to skip this.",
            KVM_WATCHDOG.as_secs()
        );
        used = Accel::Tcg;
        let argv = qemu::linux_argv(&kernel, &initrd, Accel::Tcg, smp, mem);
        outcome = boot(&argv, &log, Accel::Tcg, None, timeout, expected.len())?;
    }
    let Boot::Finished { report, timed_out } = outcome else {
        return Err("the guest did not boot".to_string());
    };
    let verdict = serial::judge(&report, &expected, timed_out);
    let failed: Vec<String> = verdict.failed.iter().map(|r| r.label.clone()).collect();
    print_failures(&log, &failed);
    for r in &report.results {
        let status = match r.exit {
            Some(0) => "ok".to_string(),
            Some(n) => format!("FAILED (exit {n})"),
            None => "NO RESULT".to_string(),
        };
        println!(
            "  {:<32} {status:<18} {} passed, {} failed, {} ignored",
            r.label, r.counts.passed, r.counts.failed, r.counts.ignored
        );
    }
    for l in &verdict.missing {
        if !report.results.iter().any(|r| &r.label == l) {
            println!("  {l:<32} NO RESULT");
        }
    }
    for l in &build_failed {
        println!("  {l:<32} DID NOT BUILD");
    }
    for l in &build_failed {
        progress(&format!("FAILED {l}: did not build for {MUSL}"));
    }
    println!(
        "test-vm linux ({} backend, {}): {} binaries passed, {} failed, {} did not build, {} missing; \
         tests: {} passed, {} failed, {} ignored; boot+run {:.1}s, total {:.1}s",
        o.backend.name(),
        used.name(),
        verdict.passed.len(),
        verdict.failed.len(),
        build_failed.len(),
        verdict.missing.len(),
        verdict.totals.passed,
        verdict.totals.failed,
        verdict.totals.ignored,
        boot_t.elapsed().as_secs_f64(),
        t0.elapsed().as_secs_f64()
    );
    println!("serial log: {}", log.display());
    if verdict.ok() && build_failed.is_empty() {
        return Ok(());
    }
    let mut why = Vec::new();
    if !build_failed.is_empty() {
        why.push(format!("did not build: {}", build_failed.join(", ")));
    }
    if !failed.is_empty() {
        why.push(format!("failed: {}", failed.join(", ")));
    }
    if !verdict.missing.is_empty() {
        why.push(format!("no result from: {}", verdict.missing.join(", ")));
    }
    why.extend(verdict.problems.iter().cloned());
    if !report.booted || timed_out {
        let text = std::fs::read(&log).unwrap_or_default();
        let text = String::from_utf8_lossy(&text);
        let lines: Vec<&str> = text.lines().collect();
        eprintln!("---- last serial lines ({}) ----", used.name());
        for l in &lines[lines.len().saturating_sub(40)..] {
            eprintln!("{}", l.trim_end_matches('\r'));
        }
    }
    Err(format!(
        "test-vm linux ({} backend): {} (serial log: {})",
        o.backend.name(),
        why.join("; "),
        log.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::super::linux_build::{build_command, build_failures, kernel_package, package_name};
    use super::*;

    #[test]
    fn package_names_from_ids() {
        assert_eq!(
            package_name("path+file:///w/crates/bsd-time#0.1.0"),
            "bsd-time"
        );
        assert_eq!(
            package_name("path+file:///w/tour#bsd-tour@0.1.0"),
            "bsd-tour"
        );
        assert_eq!(
            package_name("bsd-sys 0.1.0 (path+file:///w/crates/bsd-sys)"),
            "bsd-sys"
        );
    }

    #[test]
    fn finds_test_executables_only() {
        let msgs = r#"{"reason":"compiler-artifact","package_id":"path+file:///w/crates/bsd-sys#0.1.0","target":{"kind":["lib"],"name":"bsd_sys"},"profile":{"test":false},"executable":null}
{"reason":"compiler-artifact","package_id":"path+file:///w/crates/bsd-sys#0.1.0","target":{"kind":["lib"],"name":"bsd_sys"},"profile":{"test":true},"executable":"/w/target/d/bsd_sys-1"}
{"reason":"compiler-artifact","package_id":"path+file:///w/crates/bsd-time#0.1.0","target":{"kind":["test"],"name":"clocks"},"profile":{"test":true},"executable":"/w/target/d/clocks-2"}
{"reason":"build-script-executed","package_id":"x"}
{"reason":"build-finished","success":true}
"#;
        let b = test_binaries(msgs).unwrap();
        assert_eq!(
            b,
            vec![
                TestBinary {
                    label: "bsd-sys/lib".into(),
                    path: "/w/target/d/bsd_sys-1".into()
                },
                TestBinary {
                    label: "bsd-time/clocks".into(),
                    path: "/w/target/d/clocks-2".into()
                },
            ]
        );
    }

    #[test]
    fn build_failures_from_cargo_stderr() {
        let e = "error[E0277]: nope\n\
                 error: could not compile `bsd-time` (test \"sleeping\") due to 2 previous errors\n\
                 warning: build failed, waiting for other jobs to finish...\n\
                 error: could not compile `bsd-fd` (lib test) due to 1 previous error\n\
                 error: could not compile `bsd-mem` (lib) due to 1 previous error\n";
        assert_eq!(
            build_failures(e),
            vec!["bsd-time/sleeping", "bsd-fd/lib", "bsd-mem/lib"]
        );
        assert!(build_failures("Compiling x\n").is_empty());
    }

    #[test]
    fn kvm_watchdog() {
        let w = Some(KVM_WATCHDOG);
        let late = KVM_WATCHDOG + Duration::from_secs(1);
        assert!(watchdog_expired(false, late, w));
        assert!(
            !watchdog_expired(true, late, w),
            "a booted guest is never cut off"
        );
        assert!(!watchdog_expired(false, Duration::from_secs(1), w));
        assert!(
            !watchdog_expired(false, late, None),
            "TCG and --accel kvm have no watchdog"
        );
    }

    #[test]
    fn kernel_package_from_apt_cache() {
        let t = "linux-image-amd64\n  Depends: linux-image-6.1.0-48-amd64\n";
        assert_eq!(
            kernel_package(t).as_deref(),
            Some("linux-image-6.1.0-48-amd64")
        );
        assert_eq!(kernel_package("linux-image-amd64\n"), None);
    }

    #[test]
    fn init_script_runs_every_binary_between_markers() {
        let bins = vec![
            ("bsd-sys/lib".to_string(), "/t/00-bsd-sys-lib".to_string()),
            (
                "bsd-time/clocks".to_string(),
                "/t/01-bsd-time-clocks".to_string(),
            ),
        ];
        let s = init_script(&bins, Backend::Raw, &["--nocapture".into(), "a b".into()]);
        assert!(s.starts_with("#!/bin/busybox sh\n"));
        for m in [
            "proc /proc",
            "sysfs /sys",
            "devtmpfs /dev",
            "tmpfs /tmp",
            "tmpfs /dev/shm",
        ] {
            assert!(s.contains(m), "{m}");
        }
        assert!(s.contains("export BSD_SYS_EXPECT_BACKEND=raw"));
        assert!(s.contains(
            "XTASK-VM-START bsd-sys/lib\"\ncd /tmp && $TO /t/00-bsd-sys-lib --nocapture 'a b'"
        ));
        assert!(s.contains("echo \"XTASK-VM-RESULT bsd-time/clocks exit=$rc\""));
        let done = s.find(serial::DONE).unwrap();
        assert!(done > s.find("01-bsd-time-clocks").unwrap());
        assert!(s.trim_end().ends_with("poweroff -f"));
    }

    #[test]
    fn build_command_excludes_host_only_crates() {
        let c = build_command("cargo", Path::new("/w"), Backend::Raw);
        let args: Vec<String> = c
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let line = args.join(" ");
        assert!(line.starts_with("build --tests --workspace --exclude xtask --exclude bsd-bench --exclude bsd-tour --keep-going --target x86_64-unknown-linux-musl"));
        let envs: Vec<(String, String)> = c
            .get_envs()
            .filter_map(|(k, v)| {
                Some((
                    k.to_string_lossy().into_owned(),
                    v?.to_string_lossy().into_owned(),
                ))
            })
            .collect();
        assert!(envs.contains(&("CARGO_TARGET_DIR".into(), "/w/target/raw".into())));
        assert!(envs
            .iter()
            .any(|(k, v)| k == "RUSTFLAGS" && v.ends_with("--cfg bsd_sys_backend=\"raw\"")));
    }
}
