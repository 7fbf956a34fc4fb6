//! The openbsd and dragonfly guests: boot the pinned image, get in over ssh with a key made
//! for this run, copy the workspace in, run `cargo test` with the guest's own Rust.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::image::{self, ImagePin};
use super::linux::EXCLUDED;
use super::login::{self, Login};
use super::plan::{AccelPlan, Guest, Options};
use super::qemu::{self, Accel, BsdMachine, Vm};
use super::serial::{parse_test_result, Counts};
use super::{deps, progress, shell_quote};

pub const DEFAULT_TIMEOUT_SECS: u64 = 3600;
/// From QEMU start to a working ssh login.
pub const BOOT_TIMEOUT_TCG: Duration = Duration::from_secs(900);
pub const BOOT_TIMEOUT_KVM: Duration = Duration::from_secs(240);
pub const DEFAULT_MEM_MIB: u32 = 2048;

/// The script the guest runs (with `sh -s`, so the login shell does not matter): install
/// Rust if missing, show its version, unpack nothing (the tar stream came first), test.
pub fn guest_script(pin: &ImagePin, test_args: &[String]) -> String {
    let excludes: String = EXCLUDED.iter().map(|e| format!(" --exclude {e}")).collect();
    let args: String = test_args
        .iter()
        .map(|a| format!(" {}", shell_quote(a)))
        .collect();
    format!(
        "set -e\n\
         PATH=$PATH:/usr/local/bin:/usr/local/sbin:/usr/sbin:/sbin; export PATH\n\
         uname -a\n\
         if ! command -v cargo >/dev/null 2>&1; then\n\
         \x20 echo '[guest] installing rust'\n\
         {install}\
         fi\n\
         rustc -vV\n\
         cd bsd-rs\n\
         echo '[guest] cargo test'\n\
         RUST_BACKTRACE=1 cargo test --workspace{excludes}{args_sep}{args}\n",
        install = pin
            .install_rust
            .lines()
            .map(|l| format!("  {l}\n"))
            .collect::<String>(),
        args_sep = if test_args.is_empty() { "" } else { " --" },
    )
}

/// The tar of the workspace sent to the guest (no build output, no git history).
pub fn workspace_tar(root: &Path) -> Command {
    let mut c = Command::new("tar");
    c.arg("-C").arg(root).args([
        "--exclude=./target",
        "--exclude=target",
        "--exclude=./.git",
        "-cf",
        "-",
        ".",
    ]);
    c
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// Drains console lines into the log (the Vm does) and shows the newest one now and then.
fn drain(vm: &mut Vm, last: &mut String) -> Result<(), String> {
    loop {
        match vm.next_line(Duration::from_millis(50)) {
            Ok(Some(l)) => {
                if !l.trim().is_empty() {
                    *last = l;
                }
            }
            Ok(None) => return Ok(()),
            Err(st) => {
                return Err(format!(
                "QEMU exited ({st}) before the guest was reachable: {}\nlast console line: {last}",
                vm.stderr_text().trim()
            ))
            }
        }
    }
}

/// What a finished guest run reports (the rehearsal checks `login`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunReport {
    pub login: Login,
    pub counts: Counts,
}

pub fn run(
    guest: Guest,
    o: &Options,
    root: &Path,
    cache: &Path,
    accel: AccelPlan,
) -> Result<RunReport, String> {
    let pin = image::pin_for(guest).ok_or("no image pinned for this guest")?;
    let mut missing = deps::bsd_missing(pin.uefi);
    if !missing.is_empty() {
        if o.install_deps {
            deps::install(&missing)?;
            // Re-check: a package can install its files somewhere this search does not look.
            missing = deps::bsd_missing(pin.uefi);
        }
        if !missing.is_empty() {
            return Err(deps::report(&missing));
        }
    }
    let uefi_code = if pin.uefi {
        Some(deps::find_ovmf().ok_or_else(deps::ovmf_missing_text)?)
    } else {
        None
    };
    let disk = image::obtain(
        pin,
        cache,
        o.image.as_deref(),
        o.offline,
        o.allow_unverified,
    )?;
    let dir = super::plan::run_dir(root, guest);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let creds = login::prepare(pin, &dir)?;

    let accel = match accel {
        AccelPlan::Kvm { .. } => Accel::Kvm,
        AccelPlan::Tcg { note } => {
            if let Some(n) = note {
                progress(&n);
            }
            Accel::Tcg
        }
    };
    let port = free_port()?;
    let machine = BsdMachine {
        guest,
        disk: &disk,
        bus: pin.bus,
        nic: pin.nic,
        uefi_code: uefi_code.as_deref(),
        key_dir: creds.key_dir.as_deref(),
        key_disk_readonly: o.plant_readonly_key_disk,
        ssh_port: port,
        accel,
        smp: if o.smp == 0 { 2 } else { o.smp },
        mem_mib: if o.mem_mib == 0 {
            DEFAULT_MEM_MIB
        } else {
            o.mem_mib
        },
    };
    let argv = qemu::bsd_argv(&machine);
    let log = dir.join("serial.log");
    let _ = std::fs::remove_file(&log);
    progress(&format!(
        "booting ({}): {}",
        accel.name(),
        qemu::display_command(qemu::QEMU, &argv)
    ));
    let mut vm = Vm::spawn(&argv, &log)?;
    let t0 = Instant::now();
    let timeout = Duration::from_secs(o.timeout.unwrap_or(DEFAULT_TIMEOUT_SECS));
    let boot_limit = if accel == Accel::Kvm {
        BOOT_TIMEOUT_KVM
    } else {
        BOOT_TIMEOUT_TCG
    }
    .min(timeout);

    let key_grace = o
        .key_grace
        .map(Duration::from_secs)
        .unwrap_or(if accel == Accel::Kvm {
            login::KEY_GRACE_KVM
        } else {
            login::KEY_GRACE_TCG
        });
    let wait = login::Wait {
        creds: &creds,
        port,
        accel,
        boot_limit,
        key_grace,
        log: &log,
    };
    let how = login::wait_for_login(&mut vm, &wait, drain)?;
    let key_args = login::ssh_args(&creds.key, port, creds.user, true);
    let mut last = String::new();

    // Copy the workspace: tar | ssh 'tar x'.
    progress("copying the workspace into the guest");
    let mut tar = workspace_tar(root)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    let tar_out = tar.stdout.take().ok_or("tar has no stdout")?;
    let st = Command::new("ssh")
        .args(&key_args)
        .arg("rm -rf bsd-rs && mkdir bsd-rs && tar -xf - -C bsd-rs")
        .stdin(tar_out)
        .status()
        .map_err(|e| e.to_string())?;
    let _ = tar.wait();
    if !st.success() {
        return Err(format!("copying the workspace failed ({st})"));
    }

    // Build and test; stream the output, keep it, count the results.
    progress("running cargo test in the guest");
    let out_log = dir.join("cargo-test.log");
    let mut out_file = std::fs::File::create(&out_log).map_err(|e| e.to_string())?;
    // coreutils `timeout` ends a guest that goes silent, which the line loop below cannot see.
    let left = timeout.saturating_sub(t0.elapsed()).as_secs().max(1);
    let mut child = Command::new("timeout")
        .args(["--signal=KILL", &left.to_string(), "ssh"])
        .args(&key_args)
        .arg("sh -s")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| e.to_string())?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(guest_script(pin, &o.test_args).as_bytes())
            .map_err(|e| e.to_string())?;
    }
    let mut counts = Counts::default();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            let _ = writeln!(out_file, "{line}");
            if let Some(c) = parse_test_result(&line) {
                counts.add(c);
            }
            drain(&mut vm, &mut last).ok();
            if t0.elapsed() > timeout {
                let _ = child.kill();
                return Err(format!(
                    "timed out after {}s (log {})",
                    timeout.as_secs(),
                    out_log.display()
                ));
            }
        }
    }
    let st = child.wait().map_err(|e| e.to_string())?;
    vm.kill();
    if t0.elapsed() >= timeout {
        return Err(format!(
            "timed out after {}s (log {})",
            timeout.as_secs(),
            out_log.display()
        ));
    }
    println!(
        "test-vm {} {} ({}): tests {} passed, {} failed, {} ignored; {:.0}s; logs {} and {}",
        guest.name(),
        pin.release,
        accel.name(),
        counts.passed,
        counts.failed,
        counts.ignored,
        t0.elapsed().as_secs_f64(),
        out_log.display(),
        log.display()
    );
    if st.success() && counts.failed == 0 {
        Ok(RunReport { login: how, counts })
    } else {
        Err(format!(
            "cargo test in the {} guest failed ({st})",
            guest.name()
        ))
    }
}

/// Where a run keeps its files.
#[cfg(test)]
fn run_files(root: &Path, guest: Guest) -> Vec<std::path::PathBuf> {
    let d = super::plan::run_dir(root, guest);
    ["serial.log", "cargo-test.log", "id_ed25519"]
        .iter()
        .map(|f| d.join(f))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn guest_scripts() {
        let ob = image::pin_for(Guest::OpenBsd).unwrap();
        let s = guest_script(ob, &[]);
        assert!(s.contains(
            "echo https://cdn.openbsd.org/pub/OpenBSD | sudo tee /etc/installurl\n\x20 sudo pkg_add -I rust\n"
        ), "{s}");
        assert!(s.contains(
            "cargo test --workspace --exclude xtask --exclude bsd-bench --exclude bsd-tour\n"
        ));
        let df = image::pin_for(Guest::DragonFly).unwrap();
        let s = guest_script(df, &["--test-threads=1".into(), "a b".into()]);
        assert!(s.contains("until pkg install -y rust; do"), "{s}");
        assert!(s.contains("[ $n -lt 3 ] || exit 1"));
        assert!(s.contains("--exclude bsd-tour -- --test-threads=1 'a b'\n"));
        assert!(s.starts_with("set -e\n"));
    }

    #[test]
    fn tar_leaves_out_build_output() {
        let c = workspace_tar(Path::new("/w"));
        let a: Vec<String> = c
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(a[..2], ["-C".to_string(), "/w".to_string()]);
        assert!(a.contains(&"--exclude=target".to_string()));
        assert!(a.contains(&"--exclude=./.git".to_string()));
        assert_eq!(
            run_files(Path::new("/w"), Guest::DragonFly)[0],
            PathBuf::from("/w/target/test-vm/dragonfly/serial.log")
        );
    }
}
