//! Host prerequisites: finding them, naming what to install, and installing them.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const MUSL: &str = "x86_64-unknown-linux-musl";

/// Something the host lacks, with how to get it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    /// A Debian package (`what` explains what for).
    Apt { package: &'static str, what: String },
    /// A rustup target.
    RustTarget(&'static str),
}

impl Missing {
    pub fn describe(&self) -> String {
        match self {
            Missing::Apt { package, what } => {
                format!("{what}: install it with `apt-get install {package}`")
            }
            Missing::RustTarget(t) => {
                format!("the Rust target {t}: install it with `rustup target add {t}`")
            }
        }
    }
}

/// Turns a list of missing things into one error naming every fix.
pub fn report(missing: &[Missing]) -> String {
    let mut out = String::from("the host lacks what this guest needs:\n");
    for m in missing {
        out.push_str("  - ");
        out.push_str(&m.describe());
        out.push('\n');
    }
    let pkgs = apt_packages(missing);
    if !pkgs.is_empty() {
        out.push_str(&format!(
            "all at once: `apt-get update && apt-get install -y {}`",
            pkgs.join(" ")
        ));
        out.push('\n');
    }
    out.push_str("or let `cargo xtask test-vm <guest> --install-deps` do it");
    out
}

pub fn apt_packages(missing: &[Missing]) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = missing
        .iter()
        .filter_map(|m| match m {
            Missing::Apt { package, .. } => Some(*package),
            Missing::RustTarget(_) => None,
        })
        .collect();
    v.dedup();
    v
}

/// `name` on `$PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// An ELF file without a `PT_INTERP` program header: statically linked.
pub fn is_static_elf(bytes: &[u8]) -> bool {
    // ELF64 little-endian only (x86_64 hosts).
    if bytes.len() < 64 || &bytes[..4] != b"\x7fELF" || bytes[4] != 2 || bytes[5] != 1 {
        return false;
    }
    let u16_at = |o: usize| u16::from_le_bytes([bytes[o], bytes[o + 1]]) as usize;
    let u64_at = |o: usize| {
        let mut b = [0; 8];
        b.copy_from_slice(&bytes[o..o + 8]);
        u64::from_le_bytes(b) as usize
    };
    let (phoff, phentsize, phnum) = (u64_at(32), u16_at(54), u16_at(56));
    for i in 0..phnum {
        let o = phoff + i * phentsize;
        if o + 4 > bytes.len() {
            return false;
        }
        const PT_INTERP: u32 = 3;
        if u32::from_le_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]) == PT_INTERP {
            return false;
        }
    }
    true
}

/// A static busybox (the `busybox-static` package installs `/bin/busybox`).
pub fn find_static_busybox() -> Option<PathBuf> {
    let mut candidates = vec![
        PathBuf::from("/bin/busybox"),
        PathBuf::from("/usr/bin/busybox"),
    ];
    if let Some(p) = which("busybox") {
        candidates.push(p);
    }
    candidates
        .into_iter()
        .find(|p| std::fs::read(p).map(|b| is_static_elf(&b)).unwrap_or(false))
}

pub fn musl_target_installed() -> bool {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .stderr(Stdio::null())
        .output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout)
            .lines()
            .any(|l| l.trim() == MUSL),
        // No rustup: trust the toolchain (a distro rustc with musl support) and let cargo say.
        _ => true,
    }
}

/// What the linux guest needs and the host lacks. `kernel_cached`: no apt download needed.
pub fn linux_missing(kernel_cached: bool) -> Vec<Missing> {
    let mut m = Vec::new();
    if which(super::qemu::QEMU).is_none() {
        m.push(Missing::Apt {
            package: "qemu-system-x86",
            what: "qemu-system-x86_64 (runs the guest)".to_string(),
        });
    }
    if find_static_busybox().is_none() {
        m.push(Missing::Apt {
            package: "busybox-static",
            what: "a static busybox (the guest's shell and tools; the dynamic `busybox` \
                   package will not do)"
                .to_string(),
        });
    }
    if !kernel_cached && (which("apt-get").is_none() || which("dpkg-deb").is_none()) {
        m.push(Missing::Apt {
            package: "apt dpkg",
            what: "apt-get and dpkg-deb (fetch the Debian kernel), or pass --kernel PATH"
                .to_string(),
        });
    }
    if !musl_target_installed() {
        m.push(Missing::RustTarget(MUSL));
    }
    m
}

/// Where distributions put the x86_64 OVMF code image, in the order tried: Debian 13 /
/// Ubuntu 24.04 keep only the 4 MB build (edk2 2023.11 dropped the 2 MB one), older Debian
/// and Ubuntu have both, then the combined image, Fedora, Arch, and QEMU's own copy.
pub const OVMF_CANDIDATES: &[&str] = &[
    "/usr/share/OVMF/OVMF_CODE_4M.fd",
    "/usr/share/OVMF/OVMF_CODE.fd",
    "/usr/share/ovmf/OVMF.fd",
    "/usr/share/qemu/OVMF.fd",
    "/usr/share/edk2/ovmf/OVMF_CODE.fd",
    "/usr/share/edk2/x64/OVMF_CODE.4m.fd",
    "/usr/share/qemu/edk2-x86_64-code.fd",
    "/usr/local/share/qemu/edk2-x86_64-code.fd",
];

/// The first of `candidates` that `exists`.
pub fn first_existing(candidates: &[&str], exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    candidates
        .iter()
        .map(Path::new)
        .find(|p| exists(p))
        .map(Path::to_path_buf)
}

/// The OVMF code image on this host (`BSD_RS_VM_OVMF` overrides the search).
pub fn find_ovmf() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BSD_RS_VM_OVMF").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    first_existing(OVMF_CANDIDATES, |p| p.is_file())
}

/// What a missing firmware says: every place searched.
pub fn ovmf_missing_text() -> String {
    format!(
        "UEFI firmware for x86_64 (OVMF; the image boots with UEFI); searched {} (or set \
         BSD_RS_VM_OVMF=PATH)",
        OVMF_CANDIDATES.join(", ")
    )
}

/// What the BSD guests need.
pub fn bsd_missing(need_uefi: bool) -> Vec<Missing> {
    let mut m = Vec::new();
    let tools: [(&str, &'static str, &str); 4] = [
        (super::qemu::QEMU, "qemu-system-x86", "runs the guest"),
        ("ssh", "openssh-client", "reaches the guest"),
        ("curl", "curl", "downloads the image"),
        ("sha256sum", "coreutils", "verifies the image"),
    ];
    for (tool, package, what) in tools {
        if which(tool).is_none() {
            m.push(Missing::Apt {
                package,
                what: format!("{tool} ({what})"),
            });
        }
    }
    if need_uefi && find_ovmf().is_none() {
        m.push(Missing::Apt {
            package: "ovmf",
            what: ovmf_missing_text(),
        });
    }
    m
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false)
}

fn run(program: &str, args: &[&str]) -> Result<(), String> {
    let (prog, mut full): (&str, Vec<&str>) = if program == "apt-get" && !is_root() {
        ("sudo", vec!["apt-get"])
    } else {
        (program, vec![])
    };
    full.extend_from_slice(args);
    eprintln!("[test-vm] $ {prog} {}", full.join(" "));
    let mut cmd = Command::new(prog);
    cmd.args(&full);
    if program == "apt-get" {
        cmd.env("DEBIAN_FRONTEND", "noninteractive");
    }
    let st = cmd
        .status()
        .map_err(|e| format!("cannot run {prog}: {e}"))?;
    if st.success() {
        Ok(())
    } else {
        Err(format!("`{prog} {}` failed ({st})", full.join(" ")))
    }
}

/// Installs what `missing` names: Debian packages with apt-get (through sudo when not root),
/// Rust targets with rustup.
pub fn install(missing: &[Missing]) -> Result<(), String> {
    let pkgs: Vec<&str> = apt_packages(missing)
        .into_iter()
        .flat_map(|p| p.split(' '))
        .collect();
    if !pkgs.is_empty() {
        if which("apt-get").is_none() {
            return Err(report(missing));
        }
        run("apt-get", &["update"])?;
        let mut args = vec!["install", "-y", "--no-install-recommends"];
        args.extend(&pkgs);
        run("apt-get", &args)?;
    }
    for m in missing {
        if let Missing::RustTarget(t) = m {
            run("rustup", &["target", "add", t])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_name_the_fix() {
        let m = vec![
            Missing::Apt {
                package: "qemu-system-x86",
                what: "qemu".into(),
            },
            Missing::Apt {
                package: "busybox-static",
                what: "busybox".into(),
            },
            Missing::RustTarget(MUSL),
        ];
        let r = report(&m);
        assert!(r.contains("apt-get install qemu-system-x86"));
        assert!(r.contains("apt-get update && apt-get install -y qemu-system-x86 busybox-static"));
        assert!(r.contains("rustup target add x86_64-unknown-linux-musl"));
        assert_eq!(apt_packages(&m), vec!["qemu-system-x86", "busybox-static"]);
    }

    #[test]
    fn ovmf_search_order_and_message() {
        let have = |names: &'static [&'static str]| {
            move |p: &Path| names.iter().any(|n| Path::new(n) == p)
        };
        // Debian 13: only the 4 MB build.
        assert_eq!(
            first_existing(OVMF_CANDIDATES, have(&["/usr/share/OVMF/OVMF_CODE_4M.fd"])),
            Some(PathBuf::from("/usr/share/OVMF/OVMF_CODE_4M.fd"))
        );
        // Debian 12 has both: the 4 MB one is preferred.
        assert_eq!(
            first_existing(
                OVMF_CANDIDATES,
                have(&[
                    "/usr/share/OVMF/OVMF_CODE.fd",
                    "/usr/share/OVMF/OVMF_CODE_4M.fd"
                ])
            ),
            Some(PathBuf::from("/usr/share/OVMF/OVMF_CODE_4M.fd"))
        );
        assert_eq!(
            first_existing(
                OVMF_CANDIDATES,
                have(&["/usr/share/edk2/x64/OVMF_CODE.4m.fd"])
            ),
            Some(PathBuf::from("/usr/share/edk2/x64/OVMF_CODE.4m.fd"))
        );
        assert_eq!(first_existing(OVMF_CANDIDATES, have(&[])), None);
        let text = ovmf_missing_text();
        for c in OVMF_CANDIDATES {
            assert!(text.contains(c), "{c}");
        }
    }

    #[test]
    fn static_elf_detection() {
        // The test binary itself is a dynamically linked glibc executable (PT_INTERP).
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        assert!(!is_static_elf(&me));
        assert!(!is_static_elf(b"#!/bin/sh\n"));
        // A minimal ELF64 header with no program headers counts as static.
        let mut h = vec![0u8; 64];
        h[..6].copy_from_slice(b"\x7fELF\x02\x01");
        assert!(is_static_elf(&h));
    }
}
