//! The openbsd and dragonfly guests: boot the pinned image, get in over ssh with a key made
//! for this run, copy the workspace in, run `cargo test` with the guest's own Rust.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::image::{self, Access, ImagePin};
use super::linux::EXCLUDED;
use super::plan::{AccelPlan, Guest, Options};
use super::qemu::{self, Accel, BsdMachine, Vm};
use super::serial::{parse_test_result, Counts};
use super::{deps, progress, shell_quote};

pub const DEFAULT_TIMEOUT_SECS: u64 = 3600;
/// From QEMU start to a working ssh login.
pub const BOOT_TIMEOUT_TCG: Duration = Duration::from_secs(900);
pub const BOOT_TIMEOUT_KVM: Duration = Duration::from_secs(240);
pub const DEFAULT_MEM_MIB: u32 = 2048;

/// ssh options for a throwaway guest on a forwarded loopback port.
pub fn ssh_args(key: &Path, port: u16, user: &str, batch: bool) -> Vec<String> {
    let mut v: Vec<String> = [
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        "-o",
        "ConnectTimeout=10",
        "-o",
        "ServerAliveInterval=15",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if batch {
        v.extend(["-o".into(), "BatchMode=yes".into()]);
    } else {
        v.extend([
            "-o".into(),
            "PreferredAuthentications=password,keyboard-interactive".into(),
        ]);
    }
    v.extend([
        "-i".into(),
        key.display().to_string(),
        "-p".into(),
        port.to_string(),
        format!("{user}@127.0.0.1"),
    ]);
    v
}

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
         \x20 echo '[guest] installing rust: {install}'\n\
         \x20 {install}\n\
         fi\n\
         rustc -vV\n\
         cd bsd-rs\n\
         echo '[guest] cargo test'\n\
         RUST_BACKTRACE=1 cargo test --workspace{excludes}{args_sep}{args}\n",
        install = pin.install_rust,
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

fn ssh_ok(args: &[String], askpass: Option<&Path>, remote: &str) -> bool {
    let mut c = Command::new("ssh");
    c.args(args)
        .arg(remote)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(a) = askpass {
        c.env("SSH_ASKPASS", a)
            .env("SSH_ASKPASS_REQUIRE", "force")
            .env("DISPLAY", ":0");
    }
    matches!(c.status(), Ok(s) if s.success())
}

pub fn run(
    guest: Guest,
    o: &Options,
    root: &Path,
    cache: &Path,
    accel: AccelPlan,
) -> Result<(), String> {
    let pin = image::pin_for(guest).ok_or("no image pinned for this guest")?;
    let missing = deps::bsd_missing(pin.uefi_code.map(Path::new));
    if !missing.is_empty() {
        if o.install_deps {
            deps::install(&missing)?;
        } else {
            return Err(deps::report(&missing));
        }
    }
    let disk = image::obtain(pin, cache, o.image.as_deref(), o.offline)?;
    let dir = super::plan::run_dir(root, guest);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;

    // A key for this run only.
    let key = dir.join("id_ed25519");
    let _ = std::fs::remove_file(&key);
    let _ = std::fs::remove_file(key.with_extension("pub"));
    let st = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "bsd-rs-test-vm",
            "-f",
        ])
        .arg(&key)
        .status()
        .map_err(|e| format!("cannot run ssh-keygen: {e} (apt-get install openssh-client)"))?;
    if !st.success() {
        return Err("ssh-keygen failed".to_string());
    }
    let pubkey = std::fs::read_to_string(key.with_extension("pub")).map_err(|e| e.to_string())?;
    let key_dir = dir.join("keydisk");
    let (user, askpass) = match pin.access {
        Access::KeyDisk { user } => {
            std::fs::create_dir_all(&key_dir).map_err(|e| e.to_string())?;
            std::fs::write(key_dir.join("KEYS"), &pubkey).map_err(|e| e.to_string())?;
            (user, None)
        }
        Access::Password { user, password } => {
            let a = dir.join("askpass.sh");
            std::fs::write(&a, format!("#!/bin/sh\necho {}\n", shell_quote(password)))
                .map_err(|e| e.to_string())?;
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| e.to_string())?;
            (user, Some(a))
        }
    };

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
        uefi_code: pin.uefi_code.map(Path::new),
        key_dir: matches!(pin.access, Access::KeyDisk { .. }).then_some(key_dir.as_path()),
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

    // Wait for ssh (and, with password access, install the key on the first login).
    let key_args = ssh_args(&key, port, user, true);
    let mut last = String::new();
    let mut next_note = Duration::from_secs(15);
    loop {
        drain(&mut vm, &mut last)?;
        if let Some(a) = &askpass {
            let install = format!(
                "mkdir -p .ssh && chmod 700 .ssh && echo {} >> .ssh/authorized_keys && chmod 600 .ssh/authorized_keys",
                shell_quote(pubkey.trim())
            );
            if ssh_ok(&ssh_args(&key, port, user, false), Some(a), &install) {
                progress("installed this run's key in the guest");
            }
        }
        if ssh_ok(&key_args, None, "true") {
            break;
        }
        if t0.elapsed() > boot_limit {
            return Err(format!(
                "no ssh login within {}s ({}); serial log {}; last console line: {last}",
                boot_limit.as_secs(),
                accel.name(),
                log.display()
            ));
        }
        if t0.elapsed() > next_note {
            progress(&format!(
                "booting ({})... {}s: {last}",
                accel.name(),
                t0.elapsed().as_secs()
            ));
            next_note += Duration::from_secs(15);
        }
        std::thread::sleep(Duration::from_secs(3));
    }
    progress(&format!("ssh ready after {}s", t0.elapsed().as_secs()));

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
        Ok(())
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
    fn ssh_argv() {
        let v = ssh_args(Path::new("/r/id"), 2200, "runner", true);
        let line = v.join(" ");
        assert!(line.contains("StrictHostKeyChecking=no"));
        assert!(line.contains("BatchMode=yes"));
        assert!(
            line.ends_with("-i /r/id -p 2200 runner@127.0.0.1"),
            "{line}"
        );
        let v = ssh_args(Path::new("/r/id"), 2200, "root", false);
        assert!(!v.join(" ").contains("BatchMode"));
    }

    #[test]
    fn guest_scripts() {
        let ob = image::pin_for(Guest::OpenBsd).unwrap();
        let s = guest_script(ob, &[]);
        assert!(s.contains("sudo pkg_add -I rust"));
        assert!(s.contains(
            "cargo test --workspace --exclude xtask --exclude bsd-bench --exclude bsd-tour\n"
        ));
        let df = image::pin_for(Guest::DragonFly).unwrap();
        let s = guest_script(df, &["--test-threads=1".into(), "a b".into()]);
        assert!(s.contains("pkg install -y rust"));
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
