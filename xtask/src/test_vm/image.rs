//! The BSD disk images: where they come from, where they are cached, and what they are
//! verified against.
//!
//! Source: the pre-built qcow2 images the cross-platform-actions project publishes as GitHub
//! release assets (`cross-platform-actions/{openbsd,dragonflybsd}-builder`). They are built
//! unattended with Packer: OpenBSD by autoinstall(8) from the release's `miniroot*.img`
//! (`resources/install.conf`: sets over http from a mirror, mirror.fra10.de.leaseweb.net in
//! v0.13.0, checked by the installer with signify against the mirror's SHA256.sig), DragonFly
//! by a scripted install from the release ISO (`resources/install.sh`). Both ship sshd on, a
//! serial console, and the access described in [`Access`].
//!
//! Trust: a pinned `sha256` always wins. Without one, GitHub's releases API gives a sha256
//! `digest` for every asset (and says whether the release is `immutable`): `test-vm` looks it
//! up before downloading, verifies the file against it, records it next to the cached file
//! and says how to pin it ([`super::trust`]). With neither, it refuses unless
//! `--allow-unverified`.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::plan::Guest;
use super::qemu::{DiskBus, Nic};
use super::trust::{self, Source};
use super::{deps, progress};

/// How the host gets in with its generated key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// The image's rc.local mounts the second disk's FAT partition read-write and installs
    /// its `KEYS` file as `user`'s authorized_keys (openbsd-builder `resources/provision.sh`).
    /// `password` is the account's build password (`var_files/common.pkrvars.hcl`): used
    /// once, after key login has failed for a while, to install the key over ssh instead.
    KeyDisk {
        user: &'static str,
        password: &'static str,
    },
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
    /// `None`: not pinned yet; GitHub's digest for the asset is used (see the module docs).
    pub sha256: Option<&'static str>,
    pub bus: DiskBus,
    pub nic: Nic,
    /// The image boots with UEFI (OVMF, found by [`deps::find_ovmf`]); else SeaBIOS.
    pub uefi: bool,
    pub access: Access,
    /// Shell lines that install Rust in the guest (`sudo` where the login user is not root).
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
        // How the action boots it (action src/qemu_vm.ts, openbsd/qemu_vm.ts,
        // architecture.ts): q35, virtio-scsi disks, an e1000 NIC, UEFI in pflash.
        nic: Nic::E1000,
        uefi: true,
        access: Access::KeyDisk {
            user: "runner",
            password: "runner",
        },
        // /etc/installurl names the build-time mirror; point it at the CDN. (Not PKG_PATH:
        // sudo drops it from the environment.)
        install_rust: "echo https://cdn.openbsd.org/pub/OpenBSD | sudo tee /etc/installurl\n\
                       sudo pkg_add -I rust",
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
        uefi: false,
        // main.pkr.hcl: `root_password` defaults to "runner" and is what Packer logs in with.
        access: Access::Password {
            user: "root",
            password: "runner",
        },
        // Bounded retries: the image's DHCP lease is reported to drop now and then; the
        // second retry also sets the address QEMU's user network hands out (10.0.2.15, router
        // 10.0.2.2, DNS 10.0.2.3).
        install_rust: "n=0\n\
                       until pkg install -y rust; do\n\
                       \x20 n=$((n+1)); [ $n -lt 3 ] || exit 1\n\
                       \x20 echo \"[guest] pkg install failed; retry $n of 2\"\n\
                       \x20 if [ $n -eq 2 ]; then ifconfig vtnet0 inet 10.0.2.15/24 && route add default 10.0.2.2 && echo nameserver 10.0.2.3 > /etc/resolv.conf || true; fi\n\
                       \x20 sleep 5\n\
                       done",
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
             against the pinned sha256 or GitHub's digest), or pass --image PATH to boot your own qcow2.",
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

/// The one line a run without a trustworthy sum stops with (details follow it).
pub fn refusal(pin: &ImagePin, why: &str) -> String {
    format!(
        "refusing to boot the {} {} image unverified: no pinned sha256 and no GitHub digest \
         ({why}); pass --image PATH to boot an image you trust, or --allow-unverified to boot \
         this one unchecked",
        pin.guest.name(),
        pin.release
    )
}

/// The sum to check the image against: the pin, else the digest recorded when the cached file
/// was downloaded, else GitHub's digest (looked up unless `offline`). `Ok(None)`: none could
/// be had and `allow_unverified` accepts that.
fn expected_sum(
    pin: &ImagePin,
    path: &Path,
    offline: bool,
    allow_unverified: bool,
) -> Result<Option<(String, Source)>, String> {
    if let Some(s) = pin.sha256 {
        return Ok(Some((s.to_string(), Source::Pinned)));
    }
    if path.is_file() {
        if let Some(r) = trust::recorded(path) {
            return Ok(Some(r));
        }
    }
    let why = if offline {
        "--offline: the releases API was not asked".to_string()
    } else {
        progress(&format!(
            "no sha256 pinned for {} {}: asking GitHub's releases API for the asset's digest",
            pin.guest.name(),
            pin.release
        ));
        match trust::lookup(pin.url) {
            Ok(found) => return Ok(Some(found)),
            Err(e) => e,
        }
    };
    if allow_unverified {
        progress(&format!(
            "WARNING: --allow-unverified: booting the {} image without a checksum ({why})",
            pin.guest.name()
        ));
        Ok(None)
    } else {
        Err(refusal(pin, &why))
    }
}

/// The image to boot: `--image`, or the cached file (downloaded unless `offline`), verified
/// against the pinned sha256 or, without a pin, GitHub's digest for the asset.
pub fn obtain(
    pin: &ImagePin,
    cache: &Path,
    override_path: Option<&Path>,
    offline: bool,
    allow_unverified: bool,
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
    if !path.is_file() && offline {
        return Err(pin.offline_message(cache));
    }
    let expected = expected_sum(pin, &path, offline, allow_unverified)?;
    if !path.is_file() {
        download(pin.url, &path).map_err(|e| format!("{e}\n\n{}", pin.offline_message(cache)))?;
    }
    let Some((sum, source)) = expected else {
        return Ok(path);
    };
    progress(&format!("verifying the sha256 of {}", path.display()));
    let actual = sha256_file(&path)?;
    trust::verify(&path, &actual, &sum, &source)?;
    progress(&format!("sha256 {actual} matches {}", source.describe()));
    if let Source::GitHubDigest { .. } = source {
        trust::record(&path, &actual, &source)?;
        progress(&format!(
            "to pin it (a pin always wins over the API): set `sha256: Some(\"{actual}\")` in \
             the {} {} entry of xtask/src/test_vm/image.rs",
            pin.guest.name(),
            pin.release
        ));
    }
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
        None => match trust::recorded(&path) {
            Some((s, _)) => format!("sha256 {s} (GitHub's digest, recorded at download)"),
            None => "sha256 not pinned: GitHub's digest for the asset is looked up at download"
                .to_string(),
        },
    };
    let missing = deps::bsd_missing(pin.uefi);
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
        if pin.uefi { ", ovmf" } else { "" },
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
    fn refusal_is_one_line_naming_the_ways_out() {
        let pin = pin_for(Guest::DragonFly).unwrap();
        let r = refusal(pin, "cannot reach api.github.com");
        assert!(!r.contains('\n'));
        assert!(
            r.contains("--image PATH") && r.contains("--allow-unverified"),
            "{r}"
        );
        assert!(r.contains("dragonfly 6.4.2") && r.contains("cannot reach"));
    }

    #[test]
    fn offline_unpinned_cached_image_is_refused_unless_allowed() {
        let dir = std::env::temp_dir().join(format!("bsd-rs-image-{}", std::process::id()));
        let mut pin = *pin_for(Guest::OpenBsd).unwrap();
        pin.sha256 = None;
        let path = pin.cache_path(&dir);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"abc").unwrap();
        let e = obtain(&pin, &dir, None, true, false).unwrap_err();
        assert!(
            e.starts_with("refusing to boot") && e.contains("--offline"),
            "{e}"
        );
        assert_eq!(obtain(&pin, &dir, None, true, true).unwrap(), path);
        // A pin always wins, and a mismatch stops the run with both sums.
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        pin.sha256 = Some(abc);
        assert_eq!(obtain(&pin, &dir, None, true, false).unwrap(), path);
        let other: &'static str = Box::leak("0".repeat(64).into_boxed_str());
        pin.sha256 = Some(other);
        let e = obtain(&pin, &dir, None, true, true).unwrap_err();
        assert!(e.contains(abc) && e.contains(other), "{e}");
        // A digest recorded at download time is used when nothing is pinned.
        pin.sha256 = None;
        trust::record(&path, abc, &Source::Pinned).unwrap();
        assert_eq!(obtain(&pin, &dir, None, true, false).unwrap(), path);
        let _ = std::fs::remove_dir_all(&dir);
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
        let e = obtain(p, cache, None, true, false).unwrap_err();
        assert!(e.contains(p.url) && e.contains("dragonfly-6.4.2"));
    }
}
