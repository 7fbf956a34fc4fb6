//! The pinned BSD disk images: where they come from, where they are cached, and their
//! verification.
//!
//! Source: the pre-built qcow2 images the cross-platform-actions project publishes as GitHub
//! release assets (`cross-platform-actions/{openbsd,dragonflybsd}-builder`). They are built
//! unattended from official release media with Packer: OpenBSD by autoinstall(8) from
//! `miniroot*.img` (sets from cdn.openbsd.org, `resources/install.conf`), DragonFly by a scripted
//! install from the release ISO (`resources/install.sh`). Both ship sshd on, a serial console,
//! and the access described in [`Access`].
//!
//! Pinning: a release asset URL names a release tag, which the builders mark immutable, and
//! each entry carries the sha256 of the file. The builders publish no checksums, so a sum
//! can only be learnt by downloading the file: an entry whose `sha256` is `None` has not been
//! pinned yet, and `test-vm` downloads it but refuses to boot it, printing the file's sum and
//! where to record it once checked.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::plan::Guest;
use super::qemu::{DiskBus, Nic};
use super::{deps, progress};

/// How the host gets in with its generated key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// The image's rc.local mounts the second disk's FAT partition and installs its `KEYS`
    /// file as `user`'s authorized_keys (openbsd-builder `resources/provision.sh`).
    KeyDisk { user: &'static str },
    /// The image allows `user` to log in with a password (dragonflybsd-builder
    /// `resources/install.sh`); the first ssh login uses it once to install the generated key.
    Password {
        user: &'static str,
        password: &'static str,
    },
}

/// One pinned image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImagePin {
    pub guest: Guest,
    pub release: &'static str,
    pub url: &'static str,
    /// `None`: not pinned yet (see the module docs); the image will not be booted.
    pub sha256: Option<&'static str>,
    pub bus: DiskBus,
    pub nic: Nic,
    /// The image boots with UEFI: this firmware code file (Debian package `ovmf`).
    pub uefi_code: Option<&'static str>,
    pub access: Access,
    /// Run with root rights in the guest (`sudo` where the login user is not root).
    pub install_rust: &'static str,
    /// The rustc the guest's packages give, for the docs and `--list`.
    pub rust_note: &'static str,
}

pub const IMAGES: &[ImagePin] = &[
    ImagePin {
        guest: Guest::OpenBsd,
        release: "7.8",
        url: "https://github.com/cross-platform-actions/openbsd-builder/releases/download/v0.13.0/openbsd-7.8-x86-64.qcow2",
        sha256: None,
        bus: DiskBus::VirtioScsi,
        // The builder's QEMU setup for OpenBSD x86-64: UEFI and an e1000 NIC.
        nic: Nic::E1000,
        uefi_code: Some("/usr/share/OVMF/OVMF_CODE.fd"),
        access: Access::KeyDisk { user: "runner" },
        install_rust: "sudo pkg_add -I rust",
        rust_note: "pkg_add rust: rustc 1.90 on OpenBSD 7.8",
    },
    ImagePin {
        guest: Guest::DragonFly,
        release: "6.4.2",
        url: "https://github.com/cross-platform-actions/dragonflybsd-builder/releases/download/v0.0.1/dragonflybsd-6.4.2-x86-64.qcow2",
        sha256: None,
        // main.pkr.hcl builds on virtio-scsi + virtio-net; install.sh installs to da0 with
        // MBR boot blocks (BIOS) and permits root ssh logins with a password.
        bus: DiskBus::VirtioScsi,
        nic: Nic::VirtioNet,
        uefi_code: None,
        // main.pkr.hcl: `root_password` defaults to "runner" and is what Packer logs in with.
        access: Access::Password {
            user: "root",
            password: "runner",
        },
        install_rust: "pkg install -y rust",
        rust_note: "pkg install rust: rustc 1.79 or newer from DPorts (the workspace MSRV is 1.79)",
    },
];

/// The default (newest pinned) image of `guest`.
pub fn pin_for(guest: Guest) -> Option<&'static ImagePin> {
    IMAGES.iter().rev().find(|p| p.guest == guest)
}

impl ImagePin {
    pub fn file_name(&self) -> &'static str {
        self.url.rsplit('/').next().unwrap_or(self.url)
    }

    /// `<cache>/<guest>-<release>/<file>`.
    pub fn cache_path(&self, cache: &Path) -> PathBuf {
        cache
            .join(format!("{}-{}", self.guest.name(), self.release))
            .join(self.file_name())
    }

    /// What an offline run (or a run without network) says.
    pub fn offline_message(&self, cache: &Path) -> String {
        format!(
            "no cached {} {} image. test-vm downloads it (unless --offline) from\n  {}\n\
             to\n  {}\nTo skip the download, put that file there yourself (it is checked \
             against the pinned sha256), or pass --image PATH to boot your own qcow2.",
            self.guest.name(),
            self.release,
            self.url,
            self.cache_path(cache).display()
        )
    }
}

/// The sha256 of `path`, with `sha256sum` (coreutils).
pub fn sha256_file(path: &Path) -> Result<String, String> {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .map_err(|e| format!("cannot run sha256sum: {e} (apt-get install coreutils)"))?;
    if !out.status.success() {
        return Err(format!(
            "sha256sum {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let sum = text.split_whitespace().next().unwrap_or("");
    if is_sha256(sum) {
        Ok(sum.to_string())
    } else {
        Err(format!("sha256sum printed `{}`", text.trim()))
    }
}

pub fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Decides whether a file with sum `actual` may be booted as `pin`.
pub fn check_sum(pin: &ImagePin, path: &Path, actual: &str) -> Result<(), String> {
    match pin.sha256 {
        Some(expected) if expected == actual => Ok(()),
        Some(expected) => Err(format!(
            "checksum mismatch for {}:\n  expected sha256 {expected}\n  actual   sha256 {actual}\n\
             delete the file and run again to download it afresh",
            path.display()
        )),
        None => Err(format!(
            "the {} {} image is not pinned yet, so it is not booted unverified.\n  file:   {}\n  \
             sha256: {actual}\nOnce you have checked this file (for example against a second \
             download, or by building the image with the builder yourself), record the sum in \
             the `sha256` field of its entry in xtask/src/test_vm/image.rs.",
            pin.guest.name(),
            pin.release,
            path.display()
        )),
    }
}

/// The image to boot: `--image`, or the cached pinned file (downloaded unless `offline`),
/// verified against its pin.
pub fn obtain(
    pin: &ImagePin,
    cache: &Path,
    override_path: Option<&Path>,
    offline: bool,
) -> Result<PathBuf, String> {
    if let Some(p) = override_path {
        if !p.is_file() {
            return Err(format!("--image {}: no such file", p.display()));
        }
        progress(&format!(
            "booting {} as given (--image: your image, not checked against a pin)",
            p.display()
        ));
        return Ok(p.to_path_buf());
    }
    let path = pin.cache_path(cache);
    if !path.is_file() {
        if offline {
            return Err(pin.offline_message(cache));
        }
        download(pin.url, &path).map_err(|e| format!("{e}\n\n{}", pin.offline_message(cache)))?;
    }
    progress(&format!("verifying the sha256 of {}", path.display()));
    let actual = sha256_file(&path)?;
    check_sum(pin, &path, &actual)?;
    Ok(path)
}

/// curl with a progress bar, resumable, into `<dest>.part`, renamed when complete.
fn download(url: &str, dest: &Path) -> Result<(), String> {
    if deps::which("curl").is_none() {
        return Err("curl is needed to download the image: apt-get install curl".to_string());
    }
    let dir = dest.parent().ok_or("bad cache path")?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let part = dest.with_extension("qcow2.part");
    progress(&format!("downloading {url}\n  -> {}", dest.display()));
    let st = Command::new("curl")
        .args([
            "--fail",
            "--location",
            "--retry",
            "3",
            "--continue-at",
            "-",
            "--progress-bar",
            "--output",
        ])
        .arg(&part)
        .arg(url)
        .status()
        .map_err(|e| format!("cannot run curl: {e}"))?;
    if !st.success() {
        return Err(format!(
            "downloading {url} failed ({st}); the partial file {} is resumed next time",
            part.display()
        ));
    }
    std::fs::rename(&part, dest).map_err(|e| e.to_string())
}

/// `--list` text for a BSD guest.
pub fn describe(guest: Guest, cache: &Path) -> String {
    let Some(pin) = pin_for(guest) else {
        return format!("{:<10} no image pinned\n", guest.name());
    };
    let path = pin.cache_path(cache);
    let cached = if path.is_file() {
        format!("cached at {}", path.display())
    } else {
        format!("not cached (would go to {})", path.display())
    };
    let sum = match pin.sha256 {
        Some(s) => format!("sha256 {s}"),
        None => "sha256 NOT PINNED YET: downloaded, but not booted until pinned".to_string(),
    };
    let missing = deps::bsd_missing(pin.uefi_code.map(Path::new));
    let host = if missing.is_empty() {
        "ready".to_string()
    } else {
        missing
            .iter()
            .map(deps::Missing::describe)
            .collect::<Vec<_>>()
            .join("; ")
    };
    format!(
        "{:<10} {} {} (cross-platform-actions pre-built qcow2), over ssh, cargo test in the guest\n\
         \x20          image: {}\n\
         \x20          {sum}\n\
         \x20          {cached}\n\
         \x20          rust: {}\n\
         \x20          needs: qemu-system-x86, openssh-client, curl{}; network in the guest\n\
         \x20          host: {host}\n",
        guest.name(),
        guest.name(),
        pin.release,
        pin.url,
        pin.rust_note,
        if pin.uefi_code.is_some() { ", ovmf" } else { "" },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_well_formed() {
        for g in [Guest::OpenBsd, Guest::DragonFly] {
            assert!(pin_for(g).is_some(), "{g:?}");
        }
        assert!(pin_for(Guest::Linux).is_none());
        for p in IMAGES {
            assert!(p
                .url
                .starts_with("https://github.com/cross-platform-actions/"));
            assert!(
                p.url.contains("/releases/download/v"),
                "pinned to a tag: {}",
                p.url
            );
            assert!(p.file_name().ends_with(".qcow2"));
            assert!(p.file_name().contains(p.release));
            if let Some(s) = p.sha256 {
                assert!(is_sha256(s), "{s}");
            }
        }
    }

    #[test]
    fn cache_layout_and_offline_message() {
        let p = pin_for(Guest::OpenBsd).unwrap();
        let path = p.cache_path(Path::new("/c"));
        assert_eq!(
            path,
            PathBuf::from("/c/openbsd-7.8/openbsd-7.8-x86-64.qcow2")
        );
        let m = p.offline_message(Path::new("/c"));
        assert!(m.contains(p.url));
        assert!(m.contains("/c/openbsd-7.8/openbsd-7.8-x86-64.qcow2"));
        assert!(m.contains("--image"));
    }

    #[test]
    fn unpinned_or_mismatched_images_are_refused() {
        let sum = "a".repeat(64);
        let other = "b".repeat(64);
        let mut pin = *pin_for(Guest::DragonFly).unwrap();
        pin.sha256 = None;
        let e = check_sum(&pin, Path::new("/c/x.qcow2"), &sum).unwrap_err();
        assert!(e.contains("not pinned") && e.contains(&sum) && e.contains("image.rs"));
        let pinned: &'static str = Box::leak(sum.clone().into_boxed_str());
        pin.sha256 = Some(pinned);
        assert!(check_sum(&pin, Path::new("/c/x.qcow2"), &sum).is_ok());
        let e = check_sum(&pin, Path::new("/c/x.qcow2"), &other).unwrap_err();
        assert!(e.contains(&sum) && e.contains(&other) && e.contains("/c/x.qcow2"));
    }

    #[test]
    fn sha256_of_a_file() {
        let dir = std::env::temp_dir().join(format!("bsd-rs-xtask-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("abc");
        std::fs::write(&f, b"abc").unwrap();
        let sum = sha256_file(&f).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        // FIPS 180-2 test vector for "abc".
        assert_eq!(
            sum,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn obtain_offline_without_cache_says_what_it_would_do() {
        let cache = Path::new("/nonexistent-bsd-rs-cache");
        let p = pin_for(Guest::DragonFly).unwrap();
        let e = obtain(p, cache, None, true).unwrap_err();
        assert!(e.contains(p.url) && e.contains("dragonfly-6.4.2"));
    }
}
