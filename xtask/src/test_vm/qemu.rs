//! QEMU command lines per guest, and a running VM whose serial console is logged to a file
//! and handed to the caller line by line.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::plan::Guest;

pub const QEMU: &str = "qemu-system-x86_64";

/// The accelerator of one boot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accel {
    Kvm,
    Tcg,
}

impl Accel {
    pub fn name(self) -> &'static str {
        match self {
            Accel::Kvm => "kvm",
            Accel::Tcg => "tcg",
        }
    }
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// `-accel` and `-cpu` for `guest`.
pub fn accel_args(guest: Guest, accel: Accel) -> Vec<String> {
    let cpu = match (accel, guest) {
        // DragonFly takes a #GP in wrmsr with `-cpu host` (noted by the anyvm builders).
        (Accel::Kvm, Guest::DragonFly) => "Broadwell-v4,+hypervisor,+invtsc",
        // OpenBSD fails to boot with 1 GiB pages offered (QEMU issue 1091); the action passes
        // `-pdpe1gb` under every accelerator (action src/operating_systems/openbsd/qemu_vm.ts).
        (Accel::Kvm, Guest::OpenBsd) => "host,-pdpe1gb",
        (Accel::Kvm, _) => "host",
        // QEMU 7.2 to 10.0 mis-emulate some AVX2 instructions under TCG.
        (Accel::Tcg, Guest::OpenBsd) => "max,-avx2,-pdpe1gb",
        (Accel::Tcg, _) => "max,-avx2",
    };
    s(&["-accel", accel.name(), "-cpu", cpu])
}

/// The parts every guest shares: a q35 machine, no default devices, the serial console on
/// stdout, and QEMU exiting instead of rebooting.
fn common(guest: Guest, accel: Accel, smp: u32, mem_mib: u32) -> Vec<String> {
    let mut v = s(&["-M", "q35"]);
    v.extend(accel_args(guest, accel));
    v.extend([
        "-smp".to_string(),
        smp.to_string(),
        "-m".to_string(),
        mem_mib.to_string(),
    ]);
    v.extend(s(&[
        "-nodefaults",
        "-display",
        "none",
        "-serial",
        "stdio",
        "-no-reboot",
    ]));
    v
}

/// The linux guest: a kernel and an initramfs, nothing else (no disk, no network).
pub fn linux_argv(
    kernel: &Path,
    initrd: &Path,
    accel: Accel,
    smp: u32,
    mem_mib: u32,
) -> Vec<String> {
    let mut v = common(Guest::Linux, accel, smp, mem_mib);
    v.push("-kernel".to_string());
    v.push(kernel.display().to_string());
    v.push("-initrd".to_string());
    v.push(initrd.display().to_string());
    v.push("-append".to_string());
    // panic=-1: a kernel panic reboots at once, and -no-reboot turns that into QEMU exiting.
    v.push("console=ttyS0 quiet panic=-1".to_string());
    v
}

/// How a BSD image wants its disk attached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskBus {
    /// virtio-scsi: `sd0` on OpenBSD, `da0` on DragonFly.
    VirtioScsi,
    /// Plain IDE (`wd0` / `ad0`): images whose loader expects `ad0`, like the anyvm DragonFly
    /// images; no pinned image uses it now.
    #[allow(dead_code)]
    Ide,
}

/// The network card model, as QEMU names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nic {
    VirtioNet,
    E1000,
}

/// A BSD guest's machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BsdMachine<'a> {
    pub guest: Guest,
    pub disk: &'a Path,
    pub bus: DiskBus,
    pub nic: Nic,
    /// UEFI firmware code (OpenBSD images built for UEFI); `None` boots SeaBIOS.
    pub uefi_code: Option<&'a Path>,
    /// A host directory shown to the guest as a small FAT disk (vvfat), for the ssh key.
    /// Writable: OpenBSD's rc.local mounts it read-write, and `sd` refuses a write-protected
    /// disk (EACCES); `-snapshot` keeps the host directory untouched anyway.
    pub key_dir: Option<&'a Path>,
    /// A planted fault for the rehearsal: the key disk write-protected (`readonly=on`), as
    /// it once was.
    pub key_disk_readonly: bool,
    pub ssh_port: u16,
    pub accel: Accel,
    pub smp: u32,
    pub mem_mib: u32,
}

fn key_drive(dir: &Path, readonly: bool) -> String {
    format!(
        "file=fat:16:{},format=raw,if=none,id=keys{}",
        dir.display(),
        if readonly { ",readonly=on" } else { "" }
    )
}

pub fn bsd_argv(m: &BsdMachine<'_>) -> Vec<String> {
    let mut v = common(m.guest, m.accel, m.smp, m.mem_mib);
    if let Some(code) = m.uefi_code {
        v.push("-drive".to_string());
        v.push(format!(
            "if=pflash,format=raw,unit=0,readonly=on,file={}",
            code.display()
        ));
    }
    // -snapshot: the pinned image is never written; every run starts from the same state.
    v.push("-snapshot".to_string());
    let disk = format!(
        "file={},format=qcow2,if=none,id=disk0,discard=unmap",
        m.disk.display()
    );
    match m.bus {
        DiskBus::VirtioScsi => {
            v.extend(s(&["-device", "virtio-scsi-pci,id=scsi0", "-drive"]));
            v.push(disk);
            v.extend(s(&["-device", "scsi-hd,drive=disk0,bus=scsi0.0"]));
            if let Some(dir) = m.key_dir {
                v.push("-drive".to_string());
                v.push(key_drive(dir, m.key_disk_readonly));
                v.extend(s(&["-device", "scsi-hd,drive=keys,bus=scsi0.0"]));
            }
        }
        DiskBus::Ide => {
            v.push("-drive".to_string());
            v.push(disk);
            v.extend(s(&["-device", "ide-hd,drive=disk0,bus=ide.0"]));
            if let Some(dir) = m.key_dir {
                v.push("-drive".to_string());
                v.push(key_drive(dir, m.key_disk_readonly));
                v.extend(s(&["-device", "ide-hd,drive=keys,bus=ide.1"]));
            }
        }
    }
    v.push("-netdev".to_string());
    v.push(format!(
        "user,id=net0,ipv6=off,hostfwd=tcp:127.0.0.1:{}-:22",
        m.ssh_port
    ));
    v.push("-device".to_string());
    v.push(match m.nic {
        Nic::VirtioNet => "virtio-net-pci,netdev=net0".to_string(),
        Nic::E1000 => "e1000,netdev=net0".to_string(),
    });
    // Entropy early in boot: OpenBSD and DragonFly otherwise stall on a starved RNG.
    v.extend(s(&[
        "-device",
        "virtio-rng-pci",
        "-rtc",
        "base=utc,clock=host",
    ]));
    v
}

/// Renders argv for a human (and the run log): quoted where needed.
pub fn display_command(program: &str, argv: &[String]) -> String {
    let mut out = program.to_string();
    for a in argv {
        out.push(' ');
        if a.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=,./:+@".contains(c))
        {
            out.push_str(a);
        } else {
            out.push('\'');
            out.push_str(&a.replace('\'', "'\\''"));
            out.push('\'');
        }
    }
    out
}

/// A running QEMU. Killed when dropped.
pub struct Vm {
    child: Child,
    lines: Receiver<String>,
    pub started: Instant,
    stderr_path: PathBuf,
}

impl Vm {
    /// Starts QEMU with its serial console appended to `log` (raw bytes) and forwarded as
    /// lines; QEMU's own stderr goes to `<log>.stderr`.
    pub fn spawn(argv: &[String], log: &Path) -> Result<Vm, String> {
        let stderr_path = log.with_extension("stderr");
        let stderr = File::create(&stderr_path)
            .map_err(|e| format!("creating {}: {e}", stderr_path.display()))?;
        let mut logfile = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .map_err(|e| format!("opening {}: {e}", log.display()))?;
        let mut child = Command::new(QEMU)
            .args(argv)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .map_err(|e| {
                format!("cannot start {QEMU}: {e} (install it: apt-get install qemu-system-x86)")
            })?;
        let stdout = child.stdout.take().ok_or("qemu has no stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match r.read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let _ = logfile.write_all(&buf);
                        let _ = logfile.flush();
                        let line = String::from_utf8_lossy(&buf)
                            .trim_end_matches(['\r', '\n'])
                            .to_string();
                        if tx.send(line).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Ok(Vm {
            child,
            lines: rx,
            started: Instant::now(),
            stderr_path,
        })
    }

    /// The next console line within `wait`. `Ok(None)`: nothing yet. `Err(status)`: QEMU has
    /// exited and every line has been read.
    pub fn next_line(&mut self, wait: Duration) -> Result<Option<String>, ExitStatus> {
        match self.lines.recv_timeout(wait) {
            Ok(line) => Ok(Some(line)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => match self.child.wait() {
                Ok(st) => Err(st),
                Err(_) => Ok(None),
            },
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// QEMU's own error output so far (for failure messages).
    pub fn stderr_text(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Vm {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.kill();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(v: &[String], x: &str) -> usize {
        v.iter()
            .position(|a| a == x)
            .unwrap_or_else(|| panic!("{x} missing from {v:?}"))
    }

    #[test]
    fn linux_tcg_argv_is_the_measured_recipe() {
        let v = linux_argv(Path::new("/k"), Path::new("/i.cpio"), Accel::Tcg, 2, 512);
        let line = display_command(QEMU, &v);
        assert!(
            line.contains("-M q35 -accel tcg -cpu max,-avx2 -smp 2 -m 512"),
            "{line}"
        );
        assert!(line.contains("-nodefaults -display none -serial stdio -no-reboot"));
        assert!(line.contains("-kernel /k -initrd /i.cpio"));
        assert!(
            line.ends_with("-append 'console=ttyS0 quiet panic=-1'"),
            "{line}"
        );
        assert!(!v.iter().any(|a| a.contains("netdev")));
    }

    #[test]
    fn kvm_cpu_models() {
        assert_eq!(accel_args(Guest::Linux, Accel::Kvm)[3], "host");
        assert!(accel_args(Guest::DragonFly, Accel::Kvm)[3].starts_with("Broadwell"));
        assert_eq!(
            accel_args(Guest::OpenBsd, Accel::Tcg)[3],
            "max,-avx2,-pdpe1gb"
        );
        assert_eq!(accel_args(Guest::OpenBsd, Accel::Kvm)[3], "host,-pdpe1gb");
    }

    #[test]
    fn openbsd_argv_has_scsi_disks_keys_uefi_and_ssh_forward() {
        let m = BsdMachine {
            guest: Guest::OpenBsd,
            disk: Path::new("/c/openbsd.qcow2"),
            bus: DiskBus::VirtioScsi,
            nic: Nic::E1000,
            uefi_code: Some(Path::new("/usr/share/OVMF/OVMF_CODE.fd")),
            key_dir: Some(Path::new("/r/keys")),
            key_disk_readonly: false,
            ssh_port: 10022,
            accel: Accel::Tcg,
            smp: 2,
            mem_mib: 2048,
        };
        let v = bsd_argv(&m);
        assert!(v.contains(&"-snapshot".to_string()));
        assert!(v[pos(&v, "-snapshot") - 1].starts_with("if=pflash"));
        assert!(v.contains(
            &"file=/c/openbsd.qcow2,format=qcow2,if=none,id=disk0,discard=unmap".to_string()
        ));
        assert!(v.contains(&"scsi-hd,drive=disk0,bus=scsi0.0".to_string()));
        // Writable: a write-protected key disk cannot be mounted read-write by rc.local.
        assert!(v.contains(&"file=fat:16:/r/keys,format=raw,if=none,id=keys".to_string()));
        assert!(!v
            .iter()
            .any(|a| a.contains("readonly=on") && a.contains("fat:")));
        let planted = bsd_argv(&BsdMachine {
            key_disk_readonly: true,
            ..m.clone()
        });
        assert!(planted
            .contains(&"file=fat:16:/r/keys,format=raw,if=none,id=keys,readonly=on".to_string()));
        assert!(v.contains(&"user,id=net0,ipv6=off,hostfwd=tcp:127.0.0.1:10022-:22".to_string()));
        assert!(v.contains(&"e1000,netdev=net0".to_string()));
        // The system disk comes before the key disk, so it is sd0.
        assert!(
            pos(&v, "scsi-hd,drive=disk0,bus=scsi0.0") < pos(&v, "scsi-hd,drive=keys,bus=scsi0.0")
        );
    }

    #[test]
    fn dragonfly_ide_argv() {
        let m = BsdMachine {
            guest: Guest::DragonFly,
            disk: Path::new("/c/df.qcow2"),
            bus: DiskBus::Ide,
            nic: Nic::VirtioNet,
            uefi_code: None,
            key_dir: None,
            key_disk_readonly: false,
            ssh_port: 2222,
            accel: Accel::Kvm,
            smp: 1,
            mem_mib: 1024,
        };
        let v = bsd_argv(&m);
        assert!(v.contains(&"ide-hd,drive=disk0,bus=ide.0".to_string()));
        assert!(v.contains(&"virtio-net-pci,netdev=net0".to_string()));
        assert!(!v.iter().any(|a| a.contains("pflash") || a.contains("fat:")));
    }

    #[test]
    fn display_quotes_what_needs_it() {
        assert_eq!(
            display_command("q", &["-a".into(), "x y".into(), "it's".into()]),
            "q -a 'x y' 'it'\\''s'"
        );
    }
}
