//! `cargo xtask rehearse-vm`: the openbsd and dragonfly flows of `test-vm`, end to end,
//! against stand-in guests built here ([`super::standin`]). The stand-in is booted through
//! the real BSD code path (`bsd::run` with `--image`), so QEMU's command line, the key disk,
//! the ssh login, the workspace copy, the guest script, the streamed output and the verdict
//! all run for real; only the guest OS and its Rust toolchain are stand-ins.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::deps::{self, Missing};
use super::login::Login;
use super::plan::{self, Guest, Options};
use super::standin::{self, Inputs, TestFile};
use super::standin_scripts as scripts;
use super::{bsd, linux, progress, START};

pub const USAGE: &str = "\
usage: cargo xtask rehearse-vm [openbsd|dragonfly|all] [--fault F] [--install-deps]
                               [--accel auto|kvm|tcg] [-- <args for the test binaries>]

Boots a stand-in for each BSD image (a Debian kernel, busybox and dropbear on the image's
firmware, disk and NIC models, with its accounts, its rc.local and stub pkg_add/pkg/cargo)
through the real `test-vm openbsd|dragonfly` code path with --image, and checks that the
flow held: the contract the guest saw, how the key got in, the package step, the workspace
copy, and the test results of the prebuilt (musl) test binaries run inside.

  --fault readonly-keydisk   attach the OpenBSD key disk write-protected again (must fail)
  --fault failing-test       add a failing test binary in the guest (must fail)
  --install-deps             apt-get install what the host lacks first
";

/// A planted fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    ReadonlyKeyDisk,
    FailingTest,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    pub guests: Vec<Guest>,
    pub fault: Option<Fault>,
    pub install_deps: bool,
    pub accel: plan::AccelChoice,
    pub help: bool,
    pub test_args: Vec<String>,
}

pub fn parse(args: &[String]) -> Result<Args, String> {
    let mut a = Args {
        guests: vec![Guest::OpenBsd, Guest::DragonFly],
        fault: None,
        install_deps: false,
        accel: plan::AccelChoice::Auto,
        help: false,
        test_args: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(x) = it.next() {
        match x.as_str() {
            "-h" | "--help" => a.help = true,
            "--install-deps" => a.install_deps = true,
            "--" => {
                a.test_args = it.by_ref().cloned().collect();
                break;
            }
            "--fault" => {
                a.fault = Some(match it.next().map(String::as_str) {
                    Some("readonly-keydisk") => Fault::ReadonlyKeyDisk,
                    Some("failing-test") => Fault::FailingTest,
                    other => {
                        return Err(format!(
                            "--fault: `{}` is not readonly-keydisk or failing-test",
                            other.unwrap_or("")
                        ))
                    }
                })
            }
            "--accel" => {
                a.accel = match it.next().map(String::as_str) {
                    Some("auto") => plan::AccelChoice::Auto,
                    Some("kvm") => plan::AccelChoice::Kvm,
                    Some("tcg") => plan::AccelChoice::Tcg,
                    _ => return Err("--accel: auto, kvm or tcg".to_string()),
                }
            }
            "openbsd" => a.guests = vec![Guest::OpenBsd],
            "dragonfly" => a.guests = vec![Guest::DragonFly],
            "all" => a.guests = vec![Guest::OpenBsd, Guest::DragonFly],
            _ => return Err(format!("unknown argument `{x}`\n\n{USAGE}")),
        }
    }
    if a.fault == Some(Fault::ReadonlyKeyDisk) && a.guests.contains(&Guest::DragonFly) {
        a.guests = vec![Guest::OpenBsd];
    }
    Ok(a)
}

/// What the host needs to build and boot the stand-ins (Debian packages).
pub fn missing() -> Vec<Missing> {
    let mut m = deps::bsd_missing(true);
    let tool = |t: &str| deps::which(t).is_some();
    let mut need = |ok: bool, package: &'static str, what: &str| {
        if !ok {
            m.push(Missing::Apt {
                package,
                what: what.to_string(),
            });
        }
    };
    need(
        tool("qemu-img"),
        "qemu-utils",
        "qemu-img (converts the stand-in disk)",
    );
    need(
        deps::find_static_busybox().is_some(),
        "busybox-static",
        "a static busybox (the stand-in's userland)",
    );
    need(
        Path::new("/usr/sbin/dropbear").is_file(),
        "dropbear-bin",
        "/usr/sbin/dropbear (the stand-in's sshd)",
    );
    need(
        tool("mkfs.fat"),
        "dosfstools",
        "mkfs.fat (the stand-in's boot partition)",
    );
    need(
        tool("mcopy") && tool("mmd"),
        "mtools",
        "mcopy, mmd (fill the FAT partition without root)",
    );
    need(
        tool("syslinux"),
        "syslinux",
        "syslinux (BIOS boot for the DragonFly stand-in)",
    );
    need(
        deps::first_existing(standin::MBR_BIN, |p| p.is_file()).is_some(),
        "syslinux-common",
        "SYSLINUX's mbr.bin",
    );
    need(
        tool("grub-mkimage"),
        "grub-common",
        "grub-mkimage (UEFI boot for the OpenBSD stand-in)",
    );
    need(
        Path::new("/usr/lib/grub/x86_64-efi/linux.mod").is_file(),
        "grub-efi-amd64-bin",
        "GRUB's x86_64-efi modules",
    );
    need(
        tool("apt-get") && tool("dpkg-deb"),
        "apt dpkg",
        "apt-get and dpkg-deb (fetch the Debian kernel)",
    );
    if !deps::musl_target_installed() {
        m.push(Missing::RustTarget(deps::MUSL));
    }
    m
}

/// `sha256sum` lines for the files `bsd::workspace_tar` sends (no `target`, no `.git`).
pub fn manifest(root: &Path) -> Result<String, String> {
    let mut files = Vec::new();
    let mut stack = vec![PathBuf::from(".")];
    while let Some(rel) = stack.pop() {
        let dir = root.join(&rel);
        for e in std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(Result::ok)
        {
            let name = e.file_name();
            if name == "target" || (rel == Path::new(".") && name == ".git") {
                continue;
            }
            let ft = e.file_type().map_err(|e| e.to_string())?;
            let p = rel.join(&name);
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut out = String::new();
    for chunk in files.chunks(200) {
        let o = Command::new("sha256sum")
            .args(chunk)
            .current_dir(root)
            .output()
            .map_err(|e| format!("cannot run sha256sum: {e}"))?;
        if !o.status.success() {
            return Err(format!(
                "sha256sum failed: {}",
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        out.push_str(&String::from_utf8_lossy(&o.stdout));
    }
    Ok(out)
}

/// What a green rehearsal of `guest` needs to see beyond `bsd::run` succeeding.
pub fn checks(guest: Guest, login: Login, console: &str, output: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let Some(f) = scripts::flavour(guest) else {
        return vec!["no stand-in for this guest".to_string()];
    };
    let gaps = scripts::contract_gaps(console, &scripts::expected_contract(&f));
    if !gaps.is_empty() {
        bad.push(format!(
            "the guest did not see the image's contract: missing {}",
            gaps.join(" ")
        ));
    }
    let want = if f.rc_local {
        Login::KeyDisk
    } else {
        Login::Password
    };
    if login != want {
        bad.push(format!(
            "login: expected {}, got {} (the key disk was not honoured)",
            want.describe(),
            login.describe()
        ));
    }
    let (pkg_line, what) = match guest {
        Guest::OpenBsd => (
            "rust-1.90.0 (stand-in",
            "pkg_add with /etc/installurl pointing at the CDN",
        ),
        _ => (
            "Installing rust-1.79 (stand-in",
            "pkg install after a retry",
        ),
    };
    if !output.contains(pkg_line) {
        bad.push(format!("the guest script did not get through {what}"));
    }
    if guest == Guest::DragonFly && !output.contains("retry 1 of 2") {
        bad.push("pkg install was not retried after its planted first failure".to_string());
    }
    if !output.contains("[stand-in cargo] workspace copy:") {
        bad.push("the workspace copy was not checked".to_string());
    }
    bad
}

fn one(guest: Guest, a: &Args, root: &Path, cache: &Path) -> Result<(), String> {
    let f = scripts::flavour(guest).ok_or("no stand-in for this guest")?;
    let kernel = standin::kernel(cache)?;
    let busybox = deps::find_static_busybox().ok_or("no static busybox")?;
    let (bins, failures) = linux::build(root, f.backend)?;
    if !failures.is_empty() {
        return Err(format!(
            "test targets did not build: {}",
            failures.join(", ")
        ));
    }
    let tests: Vec<TestFile> = bins
        .into_iter()
        .map(|b| TestFile {
            label: b.label,
            path: b.path,
        })
        .collect();
    let manifest = manifest(root)?;
    let dir = root.join("target").join("rehearse-vm").join(guest.name());
    progress(&format!(
        "building the {} stand-in ({} test binaries, {} workspace files) in {}",
        guest.name(),
        tests.len(),
        manifest.lines().count(),
        dir.display()
    ));
    let image = standin::build(
        &dir,
        &Inputs {
            flavour: f,
            kernel: &kernel,
            busybox: &busybox,
            dropbear: Path::new("/usr/sbin/dropbear"),
            tests: &tests,
            manifest: &manifest,
            failing_test: a.fault == Some(Fault::FailingTest),
        },
    )?;
    let o = Options {
        guest: Some(guest),
        image: Some(image),
        accel: a.accel,
        // Short: the stand-in boots in seconds, and a fault run should not wait minutes.
        key_grace: Some(30),
        timeout: Some(900),
        plant_readonly_key_disk: a.fault == Some(Fault::ReadonlyKeyDisk),
        smp: 1,
        mem_mib: 1024,
        test_args: a.test_args.clone(),
        ..Options::default()
    };
    let accel = plan::plan_accel(o.accel, plan::probe_host_accel())?;
    let report = bsd::run(guest, &o, root, cache, accel)?;
    let run_dir = plan::run_dir(root, guest);
    let read = |n: &str| std::fs::read_to_string(run_dir.join(n)).unwrap_or_default();
    let mut bad = checks(
        guest,
        report.login,
        &read("serial.log"),
        &read("cargo-test.log"),
    );
    if a.test_args.is_empty() && report.counts.passed == 0 {
        bad.push("no test passed in the guest".to_string());
    }
    if bad.is_empty() {
        Ok(())
    } else {
        Err(bad.join("; "))
    }
}

/// `cargo xtask rehearse-vm ...`.
pub fn run(args: &[String]) -> Result<(), String> {
    START.get_or_init(std::time::Instant::now);
    let a = parse(args)?;
    if a.help {
        print!("{USAGE}");
        return Ok(());
    }
    let mut m = missing();
    if !m.is_empty() && a.install_deps {
        deps::install(&m)?;
        m = missing();
    }
    if !m.is_empty() {
        return Err(deps::report(&m).replace("test-vm <guest>", "rehearse-vm"));
    }
    let root = plan::workspace_root();
    let cache = plan::cache_dir()?;
    let mut failed = Vec::new();
    for &g in &a.guests {
        let t = std::time::Instant::now();
        let r = one(g, &a, &root, &cache);
        let secs = t.elapsed().as_secs_f64();
        match &r {
            Ok(()) => println!("rehearse-vm {}: PASSED ({secs:.0}s)", g.name()),
            Err(e) => {
                println!("rehearse-vm {}: FAILED ({secs:.0}s): {e}", g.name());
                failed.push(g.name());
            }
        }
    }
    if let Some(fault) = a.fault {
        progress(&format!(
            "a fault was planted ({fault:?}): the rehearsal is meant to fail"
        ));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("rehearse-vm failed for {}", failed.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn arguments() {
        let a = parse(&[]).unwrap();
        assert_eq!(a.guests, [Guest::OpenBsd, Guest::DragonFly]);
        let a = parse(&s(&["dragonfly", "--fault", "failing-test"])).unwrap();
        assert_eq!(a.guests, [Guest::DragonFly]);
        assert_eq!(a.fault, Some(Fault::FailingTest));
        // The key disk fault only means something for OpenBSD.
        let a = parse(&s(&["--fault", "readonly-keydisk"])).unwrap();
        assert_eq!(a.guests, [Guest::OpenBsd]);
        assert!(parse(&s(&["--fault", "oops"])).is_err());
        assert!(parse(&s(&["freebsd"])).is_err());
        assert_eq!(parse(&s(&["--", "-q"])).unwrap().test_args, ["-q"]);
    }

    const GOOD_OB: &str = "STANDIN-CONTRACT firmware=uefi nic=e1000 disk=virtio-scsi disks=2 pdpe1gb=no keydisk-ro=0\n";

    #[test]
    fn a_green_openbsd_run_needs_the_key_disk_and_the_cdn() {
        let out = "rust-1.90.0 (stand-in: x)\n[stand-in cargo] workspace copy: 9 files match\n";
        assert!(checks(Guest::OpenBsd, Login::KeyDisk, GOOD_OB, out).is_empty());
        let bad = checks(Guest::OpenBsd, Login::Password, GOOD_OB, out);
        assert!(bad.len() == 1 && bad[0].contains("key disk"), "{bad:?}");
        let ro = GOOD_OB.replace("keydisk-ro=0", "keydisk-ro=1");
        assert!(!checks(Guest::OpenBsd, Login::KeyDisk, &ro, out).is_empty());
        assert!(!checks(Guest::OpenBsd, Login::KeyDisk, GOOD_OB, "").is_empty());
    }

    #[test]
    fn a_green_dragonfly_run_needs_the_password_and_the_retry() {
        let con = "STANDIN-CONTRACT firmware=bios nic=virtio_net disk=virtio-scsi disks=1 pdpe1gb=yes keydisk-ro=none\n";
        let out = "retry 1 of 2\nInstalling rust-1.79 (stand-in)\n[stand-in cargo] workspace copy: 9 files\n";
        assert!(checks(Guest::DragonFly, Login::Password, con, out).is_empty());
        let no_retry = out.replace("retry 1 of 2", "");
        assert_eq!(
            checks(Guest::DragonFly, Login::Password, con, &no_retry).len(),
            1
        );
    }

    #[test]
    fn manifest_leaves_out_target_and_git() {
        let dir = std::env::temp_dir().join(format!("bsd-rs-manifest-{}", std::process::id()));
        for d in ["a/target", ".git", "b"] {
            std::fs::create_dir_all(dir.join(d)).unwrap();
        }
        for f in ["a/target/x", ".git/HEAD", "b/abc", "Cargo.toml"] {
            std::fs::write(dir.join(f), b"abc").unwrap();
        }
        let m = manifest(&dir).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(m.lines().count(), 2, "{m}");
        assert!(
            m.contains("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  ./b/abc")
        );
        assert!(m.contains("./Cargo.toml"));
    }
}
