//! Builds a stand-in guest disk for a BSD image, from Debian packages and without root: one
//! MBR disk with a FAT partition holding a Debian kernel and an initramfs (busybox, dropbear,
//! kernel modules, prebuilt test binaries, the scripts of [`super::standin_scripts`]), made
//! bootable by the image's firmware (SYSLINUX for SeaBIOS, a GRUB EFI image for OVMF), and
//! converted to qcow2 because the BSD code path boots qcow2.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::cpio::CpioWriter;
use super::deps;
pub use super::standin_kernel::{kernel, Kernel};
use super::standin_scripts::{self as scripts, Flavour};

pub(crate) fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: cannot run {:?}: {e}", cmd.get_program()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

pub(crate) fn io(p: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", p.display())
}

/// The shared libraries of a dynamic executable, with the loader (`ldd`).
fn shared_libs(exe: &Path) -> Result<Vec<PathBuf>, String> {
    let out = Command::new("ldd")
        .arg(exe)
        .output()
        .map_err(|e| format!("cannot run ldd: {e}"))?;
    Ok(parse_ldd(&String::from_utf8_lossy(&out.stdout)))
}

/// `libz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x...)` and `/lib64/ld-linux-x86-64.so.2
/// (0x...)` → the paths.
pub fn parse_ldd(text: &str) -> Vec<PathBuf> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let p = match l.split_once("=>") {
                Some((_, r)) => r.split_whitespace().next()?,
                None => l.split_whitespace().next()?,
            };
            p.starts_with('/').then(|| PathBuf::from(p))
        })
        .collect()
}

/// A test binary for the stand-in: its label and file.
pub struct TestFile {
    pub label: String,
    pub path: PathBuf,
}

/// What goes into a stand-in.
pub struct Inputs<'a> {
    pub flavour: Flavour,
    pub kernel: &'a Kernel,
    pub busybox: &'a Path,
    pub dropbear: &'a Path,
    pub tests: &'a [TestFile],
    /// `sha256sum` lines of the workspace files the guest must receive.
    pub manifest: &'a str,
    /// Adds a test binary that fails (`--fault failing-test`).
    pub failing_test: bool,
}

fn initramfs(out: &Path, i: &Inputs<'_>) -> Result<(), String> {
    let file = std::fs::File::create(out).map_err(io(out))?;
    let mut w = CpioWriter::new(std::io::BufWriter::new(file));
    let e = io(out);
    for d in [
        "bin",
        "sbin",
        "usr",
        "usr/bin",
        "usr/sbin",
        "usr/local",
        "usr/local/bin",
        "usr/local/sbin",
        "usr/local/libexec",
        "usr/local/libexec/standin",
        "etc",
        "etc/standin",
        "dev",
        "proc",
        "sys",
        "tmp",
        "run",
        "var",
        "var/run",
        "root",
        "home",
        "home/runner",
        "mnt",
        "lib",
        "lib/modules",
        "lib64",
        "opt",
        "opt/standin",
        "opt/standin/tests",
    ] {
        w.dir(d).map_err(&e)?;
    }
    let read = |p: &Path| std::fs::read(p).map_err(|x| format!("{}: {x}", p.display()));
    w.file("bin/busybox", 0o755, &read(i.busybox)?)
        .map_err(&e)?;
    w.symlink("bin/sh", "busybox").map_err(&e)?;
    w.file("init", 0o755, scripts::init(&i.flavour).as_bytes())
        .map_err(&e)?;
    // dropbear and its libraries, at the paths the loader expects.
    w.file("usr/sbin/dropbear", 0o755, &read(i.dropbear)?)
        .map_err(&e)?;
    let mut made = std::collections::BTreeSet::new();
    for lib in shared_libs(i.dropbear)? {
        let rel = lib.to_string_lossy().trim_start_matches('/').to_string();
        let mut acc = String::new();
        for part in Path::new(&rel).parent().into_iter().flat_map(|p| p.iter()) {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(&part.to_string_lossy());
            if made.insert(acc.clone()) && !["lib", "lib64"].contains(&acc.as_str()) {
                w.dir(&acc).map_err(&e)?;
            }
        }
        w.file(&rel, 0o755, &read(&lib)?).map_err(&e)?;
    }
    for entry in std::fs::read_dir(&i.kernel.modules).map_err(io(&i.kernel.modules))? {
        let p = entry.map_err(io(&i.kernel.modules))?.path();
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        w.file(&format!("lib/modules/{name}"), 0o644, &read(&p)?)
            .map_err(&e)?;
    }
    let f = &i.flavour;
    let text: [(&str, u32, String); 12] = [
        ("etc/passwd", 0o644, scripts::passwd().to_string()),
        ("etc/group", 0o644, scripts::group().to_string()),
        ("etc/shadow", 0o600, scripts::shadow(f)),
        ("etc/shells", 0o644, "/bin/sh\n".to_string()),
        (
            "etc/installurl",
            0o644,
            "https://mirror.fra10.de.leaseweb.net/pub/OpenBSD\n".to_string(),
        ),
        (
            "etc/standin/udhcpc.script",
            0o755,
            scripts::UDHCPC_SCRIPT.to_string(),
        ),
        (
            "usr/local/libexec/standin/cargo",
            0o755,
            scripts::CARGO.to_string(),
        ),
        (
            "usr/local/libexec/standin/rustc",
            0o755,
            scripts::RUSTC.to_string(),
        ),
        (
            "opt/standin/workspace.sha256",
            0o644,
            i.manifest.to_string(),
        ),
        (
            "opt/standin/backend",
            0o644,
            format!("{}\n", f.backend.name()),
        ),
        ("opt/standin/fail", 0o755, scripts::FAILING_TEST.to_string()),
        ("usr/local/bin/sudo", 0o755, scripts::SUDO.to_string()),
    ];
    for (name, mode, body) in text {
        w.file(name, mode, body.as_bytes()).map_err(&e)?;
    }
    match f.guest {
        super::plan::Guest::OpenBsd => {
            w.file("usr/sbin/pkg_add", 0o755, scripts::PKG_ADD.as_bytes())
        }
        _ => w.file("usr/local/sbin/pkg", 0o755, scripts::PKG.as_bytes()),
    }
    .map_err(&e)?;
    let mut list = String::new();
    let scratch = out.with_extension("strip.tmp");
    for (n, t) in i.tests.iter().enumerate() {
        let name = format!(
            "opt/standin/tests/{n:02}-{}",
            t.label.replace(['/', ' '], "-")
        );
        let data = strip(&t.path, &scratch)?;
        w.file(&name, 0o755, &data).map_err(&e)?;
        list.push_str(&format!("{} /{name}\n", t.label));
    }
    let _ = std::fs::remove_file(&scratch);
    if i.failing_test {
        list.push_str("planted/failing-test /opt/standin/fail\n");
    }
    w.file("opt/standin/tests.list", 0o644, list.as_bytes())
        .map_err(&e)?;
    w.finish().map_err(&e)?;
    Ok(())
}

fn strip(src: &Path, scratch: &Path) -> Result<Vec<u8>, String> {
    if deps::which("strip").is_some()
        && Command::new("strip")
            .arg("--strip-debug")
            .arg("-o")
            .arg(scratch)
            .arg(src)
            .status()
            .is_ok_and(|s| s.success())
    {
        return std::fs::read(scratch).map_err(io(scratch));
    }
    std::fs::read(src).map_err(io(src))
}

/// SYSLINUX's MBR boot code (Debian `syslinux-common`; other layouts after it).
pub const MBR_BIN: &[&str] = &[
    "/usr/lib/syslinux/mbr/mbr.bin",
    "/usr/share/syslinux/mbr.bin",
    "/usr/lib/syslinux/bios/mbr.bin",
];

/// A 1 MiB disk header: boot code, one active partition from sector 2048 of `sectors`
/// sectors with `kind` (0x0c FAT32 LBA, 0xef EFI system), and the signature.
pub fn mbr(boot_code: &[u8], kind: u8, sectors: u32) -> Vec<u8> {
    let mut m = vec![0u8; 1 << 20];
    let n = boot_code.len().min(440);
    m[..n].copy_from_slice(&boot_code[..n]);
    let e = &mut m[446..462];
    e[0] = 0x80;
    e[1..4].copy_from_slice(&[0xfe, 0xff, 0xff]);
    e[4] = kind;
    e[5..8].copy_from_slice(&[0xfe, 0xff, 0xff]);
    e[8..12].copy_from_slice(&2048u32.to_le_bytes());
    e[12..16].copy_from_slice(&sectors.to_le_bytes());
    m[510] = 0x55;
    m[511] = 0xaa;
    m
}

const GRUB_CFG: &str = "search --no-floppy --file --set=root /vmlinuz\n\
                        linux /vmlinuz console=ttyS0 quiet\n\
                        initrd /initrd\n\
                        boot\n";
const SYSLINUX_CFG: &str = "SERIAL 0 115200\nDEFAULT standin\nLABEL standin\n  KERNEL /vmlinuz\n  \
                            APPEND initrd=/initrd console=ttyS0 quiet\n";

/// Builds `<dir>/standin.qcow2` from `i`.
pub fn build(dir: &Path, i: &Inputs<'_>) -> Result<PathBuf, String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let initrd = dir.join("initrd");
    initramfs(&initrd, i)?;
    let size = std::fs::metadata(&initrd).map_err(io(&initrd))?.len()
        + std::fs::metadata(&i.kernel.vmlinuz)
            .map_err(io(&i.kernel.vmlinuz))?
            .len();
    // FAT32 needs at least 65525 clusters; 32 MiB of slack covers the boot files.
    let mib = (size >> 20) + 48;
    let part = dir.join("part.img");
    let f = std::fs::File::create(&part).map_err(io(&part))?;
    f.set_len(mib << 20).map_err(io(&part))?;
    drop(f);
    run(
        Command::new("mkfs.fat")
            .args(["-F", "32", "-n", "STANDIN"])
            .arg(&part),
        "mkfs.fat",
    )?;
    let img = format!("{}", part.display());
    let mcopy = |src: &Path, dst: &str| {
        run(
            Command::new("mcopy")
                .args(["-i", &img])
                .arg(src)
                .arg(format!("::{dst}")),
            "mcopy",
        )
    };
    mcopy(&i.kernel.vmlinuz, "/vmlinuz")?;
    mcopy(&initrd, "/initrd")?;
    let kind = if i.flavour.uefi {
        let efi = dir.join("BOOTX64.EFI");
        let cfg = dir.join("grub.cfg");
        std::fs::write(&cfg, GRUB_CFG).map_err(io(&cfg))?;
        run(
            Command::new("grub-mkimage")
                .args(["-O", "x86_64-efi", "-p", "/EFI/BOOT", "-o"])
                .arg(&efi)
                .arg("-c")
                .arg(&cfg)
                .args([
                    "part_msdos",
                    "fat",
                    "search",
                    "search_fs_file",
                    "linux",
                    "boot",
                    "echo",
                    "normal",
                ]),
            "grub-mkimage",
        )?;
        run(
            Command::new("mmd").args(["-i", &img, "::/EFI", "::/EFI/BOOT"]),
            "mmd",
        )?;
        mcopy(&efi, "/EFI/BOOT/BOOTX64.EFI")?;
        0xef
    } else {
        let cfg = dir.join("syslinux.cfg");
        std::fs::write(&cfg, SYSLINUX_CFG).map_err(io(&cfg))?;
        mcopy(&cfg, "/syslinux.cfg")?;
        run(
            Command::new("syslinux").arg("--install").arg(&part),
            "syslinux --install",
        )?;
        0x0c
    };
    let boot_code = deps::first_existing(MBR_BIN, |p| p.is_file())
        .map(|p| std::fs::read(&p).map_err(io(&p)))
        .transpose()?
        .ok_or_else(|| {
            format!(
                "no SYSLINUX mbr.bin (apt-get install syslinux-common); searched {}",
                MBR_BIN.join(", ")
            )
        })?;
    let sectors = u32::try_from((mib << 20) / 512).map_err(|_| "stand-in disk too large")?;
    let raw = dir.join("disk.raw");
    {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::fs::File::create(&raw).map_err(io(&raw))?);
        out.write_all(&mbr(&boot_code, kind, sectors))
            .map_err(io(&raw))?;
        let mut src = std::fs::File::open(&part).map_err(io(&part))?;
        std::io::copy(&mut src, &mut out).map_err(io(&raw))?;
        out.flush().map_err(io(&raw))?;
    }
    let qcow = dir.join("standin.qcow2");
    run(
        Command::new("qemu-img")
            .args(["convert", "-O", "qcow2"])
            .arg(&raw)
            .arg(&qcow),
        "qemu-img convert",
    )?;
    for f in [&raw, &part, &initrd] {
        let _ = std::fs::remove_file(f);
    }
    Ok(qcow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldd_output() {
        let t = "\tlinux-vdso.so.1 (0x00007ffd)\n\tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x1)\n\t/lib64/ld-linux-x86-64.so.2 (0x2)\n";
        assert_eq!(
            parse_ldd(t),
            [
                PathBuf::from("/lib/x86_64-linux-gnu/libz.so.1"),
                PathBuf::from("/lib64/ld-linux-x86-64.so.2")
            ]
        );
    }

    #[test]
    fn mbr_layout() {
        let m = mbr(&[0xeb; 500], 0xef, 4096);
        assert_eq!(m.len(), 1 << 20);
        assert_eq!(m[439], 0xeb);
        assert_eq!(m[440], 0, "boot code stops before the disk signature");
        assert_eq!(m[446], 0x80);
        assert_eq!(m[450], 0xef);
        assert_eq!(&m[454..458], &2048u32.to_le_bytes());
        assert_eq!(&m[458..462], &4096u32.to_le_bytes());
        assert_eq!(&m[510..512], &[0x55, 0xaa]);
    }
}
