//! What a `test-vm` run will do: the parsed command line, the cache directory and the
//! accelerator decision. Pure functions only, so all of it is unit-tested.

use std::path::{Path, PathBuf};

/// A guest operating system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guest {
    Linux,
    OpenBsd,
    DragonFly,
}

impl Guest {
    pub const ALL: [Guest; 3] = [Guest::Linux, Guest::OpenBsd, Guest::DragonFly];

    pub fn name(self) -> &'static str {
        match self {
            Guest::Linux => "linux",
            Guest::OpenBsd => "openbsd",
            Guest::DragonFly => "dragonfly",
        }
    }

    pub fn parse(s: &str) -> Option<Guest> {
        Guest::ALL.into_iter().find(|g| g.name() == s)
    }
}

/// The bsd-sys backend the test binaries are built with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Libc,
    Raw,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Libc => "libc",
            Backend::Raw => "raw",
        }
    }

    pub fn parse(s: &str) -> Option<Backend> {
        match s {
            "libc" => Some(Backend::Libc),
            "raw" => Some(Backend::Raw),
            _ => None,
        }
    }

    /// `RUSTFLAGS` for this backend, on top of what the caller already has. The libc build
    /// adds nothing, so it shares `target/` with the plain host build.
    pub fn rustflags(self, existing: Option<&str>) -> Option<String> {
        match self {
            Backend::Libc => None,
            Backend::Raw => {
                let cfg = "--cfg bsd_sys_backend=\"raw\"";
                Some(match existing {
                    Some(e) if !e.trim().is_empty() => format!("{} {cfg}", e.trim()),
                    _ => cfg.to_string(),
                })
            }
        }
    }

    /// The cargo target directory, relative to the workspace root (the same layout as
    /// `cargo xtask ci`: the raw build needs its own directory because of its cfg).
    pub fn target_dir(self) -> &'static str {
        match self {
            Backend::Libc => "target",
            Backend::Raw => "target/raw",
        }
    }
}

/// `--accel`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccelChoice {
    Auto,
    Kvm,
    Tcg,
}

/// What the host offers for acceleration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostAccel {
    /// `/dev/kvm` opens read-write.
    pub kvm_usable: bool,
    /// The host's KVM is `kvm_pvm`, which boots only PVM-enabled Linux guests: stock guests hang.
    pub kvm_is_pvm: bool,
}

/// The accelerator a run starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccelPlan {
    /// KVM; with `fallback`, a linux guest that shows no boot marker within the watchdog is
    /// killed and booted again under TCG (the BSD guests ignore `fallback`).
    Kvm { fallback: bool },
    /// TCG, with the reason when the user did not ask for it.
    Tcg { note: Option<String> },
}

pub fn plan_accel(choice: AccelChoice, host: HostAccel) -> Result<AccelPlan, String> {
    match choice {
        AccelChoice::Tcg => Ok(AccelPlan::Tcg { note: None }),
        AccelChoice::Kvm if !host.kvm_usable => Err(
            "--accel kvm: /dev/kvm is missing or not read-write for this user \
             (load the kvm module, add yourself to the `kvm` group, or use --accel tcg)"
                .to_string(),
        ),
        AccelChoice::Kvm => Ok(AccelPlan::Kvm { fallback: false }),
        AccelChoice::Auto if !host.kvm_usable => Ok(AccelPlan::Tcg {
            note: Some("no read-write /dev/kvm; using TCG (slower)".to_string()),
        }),
        AccelChoice::Auto if host.kvm_is_pvm => Ok(AccelPlan::Tcg {
            note: Some(
                "KVM here is kvm_pvm (/sys/module/kvm_pvm), which cannot boot stock guests; \
                 using TCG"
                    .to_string(),
            ),
        }),
        AccelChoice::Auto => Ok(AccelPlan::Kvm { fallback: true }),
    }
}

/// Probes the host: `/dev/kvm` read-write, and whether KVM is the PVM flavour.
/// `BSD_RS_VM_IGNORE_PVM=1` skips the PVM check, to exercise the KVM watchdog on such a host.
pub fn probe_host_accel() -> HostAccel {
    let kvm_usable = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
        .is_ok();
    HostAccel {
        kvm_usable,
        kvm_is_pvm: Path::new("/sys/module/kvm_pvm").exists()
            && std::env::var_os("BSD_RS_VM_IGNORE_PVM").is_none(),
    }
}

/// The parsed `cargo xtask test-vm` command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub guest: Option<Guest>,
    pub list: bool,
    pub help: bool,
    pub install_deps: bool,
    pub backend: Backend,
    pub accel: AccelChoice,
    /// Whole-run timeout in seconds (guest default when `None`).
    pub timeout: Option<u64>,
    pub kernel: Option<PathBuf>,
    pub image: Option<PathBuf>,
    pub offline: bool,
    /// Boot a BSD image that no pinned sum or GitHub digest vouches for.
    pub allow_unverified: bool,
    /// Rehearsal only: attach the key disk write-protected (a planted fault).
    pub plant_readonly_key_disk: bool,
    /// Key-disk images: seconds key login may fail after sshd answers before the password
    /// fallback (`None`: the default for the accelerator).
    pub key_grace: Option<u64>,
    /// Guest CPUs; 0: the guest's default (linux 1, BSDs 2).
    pub smp: u32,
    pub mem_mib: u32,
    /// Passed to every test binary (after `--`).
    pub test_args: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            guest: None,
            list: false,
            help: false,
            install_deps: false,
            backend: Backend::Libc,
            accel: AccelChoice::Auto,
            timeout: None,
            kernel: None,
            image: None,
            offline: false,
            allow_unverified: false,
            plant_readonly_key_disk: false,
            key_grace: None,
            smp: 0,
            mem_mib: 0,
            test_args: Vec::new(),
        }
    }
}

pub const USAGE: &str = "\
usage: cargo xtask test-vm <guest> [options] [-- <args for the test binaries>]
       cargo xtask test-vm --list

guests:
  linux       the workspace's tests as static musl binaries in a busybox initramfs
              booted with a Debian kernel (works offline once the kernel is cached)
  openbsd     the OpenBSD 7.8 qcow2 image (checked against a pinned sha256 or GitHub's
              digest); tests built by the guest's rustc, over ssh
  dragonfly   the DragonFly 6.4.2 qcow2 image; same as openbsd

The BSD flows are rehearsed against stand-in guests by `cargo xtask rehearse-vm`.

options:
  --list               describe each guest, what it needs and what is cached
  --backend libc|raw   bsd-sys backend of the linux guest's test binaries (default libc)
  --accel auto|kvm|tcg auto: KVM unless it is unusable or kvm_pvm (default auto); the
                       linux guest also retries under TCG if a KVM boot stays silent (the
                       BSD guests have no such fallback)
  --timeout SECS       give up on the guest after SECS (default: linux 240, BSDs 3600)
  --smp N              guest CPUs (default: linux 1, BSDs 2)
  --memory MIB         guest memory (default: linux 512, BSDs 2048)
  --kernel PATH        linux: boot this bzImage instead of the cached Debian kernel
  --image PATH         openbsd/dragonfly: boot this qcow2 instead of the pinned download
  --offline            never download; say what would be downloaded and where to put it
  --allow-unverified   boot a BSD image that neither a pinned sha256 nor GitHub's digest
                       for the release asset vouches for (offline, or no digest published)
  --install-deps       install what the guest needs on the host (apt-get, rustup), then run
";

fn value<'a>(flag: &str, it: &mut impl Iterator<Item = &'a String>) -> Result<&'a str, String> {
    it.next()
        .map(String::as_str)
        .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
}

fn number<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag}: `{v}` is not a positive number"))
}

pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let val = |it: &mut std::slice::Iter<'_, String>| -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => value(flag, it).map(str::to_string),
            }
        };
        match flag {
            "--" => {
                o.test_args = it.by_ref().cloned().collect();
                break;
            }
            "--list" => o.list = true,
            "-h" | "--help" => o.help = true,
            "--install-deps" => o.install_deps = true,
            "--offline" => o.offline = true,
            "--allow-unverified" => o.allow_unverified = true,
            "--backend" => {
                let v = val(&mut it)?;
                o.backend = Backend::parse(&v)
                    .ok_or_else(|| format!("--backend: `{v}` is not libc or raw"))?;
            }
            "--accel" => {
                let v = val(&mut it)?;
                o.accel = match v.as_str() {
                    "auto" => AccelChoice::Auto,
                    "kvm" => AccelChoice::Kvm,
                    "tcg" => AccelChoice::Tcg,
                    _ => return Err(format!("--accel: `{v}` is not auto, kvm or tcg")),
                };
            }
            "--timeout" => o.timeout = Some(number(flag, &val(&mut it)?)?),
            "--smp" => {
                o.smp = number(flag, &val(&mut it)?)?;
                if o.smp == 0 {
                    return Err("--smp must be at least 1".to_string());
                }
            }
            "--memory" => o.mem_mib = number(flag, &val(&mut it)?)?,
            "--kernel" => o.kernel = Some(PathBuf::from(val(&mut it)?)),
            "--image" => o.image = Some(PathBuf::from(val(&mut it)?)),
            _ if flag.starts_with('-') => {
                return Err(format!("unknown option `{arg}`\n\n{USAGE}"));
            }
            _ => {
                if o.guest.is_some() {
                    return Err(format!("only one guest at a time (got `{arg}` too)"));
                }
                o.guest = Some(Guest::parse(arg).ok_or_else(|| {
                    format!("unknown guest `{arg}`: use linux, openbsd or dragonfly")
                })?);
            }
        }
    }
    Ok(o)
}

/// The cache directory: `$BSD_RS_VM_CACHE`, else `$XDG_CACHE_HOME/bsd-rs-vm`, else
/// `$HOME/.cache/bsd-rs-vm`.
pub fn cache_dir_from(
    override_dir: Option<&str>,
    xdg_cache: Option<&str>,
    home: Option<&str>,
) -> Result<PathBuf, String> {
    let nonempty = |s: Option<&str>| s.filter(|s| !s.is_empty()).map(PathBuf::from);
    if let Some(d) = nonempty(override_dir) {
        return Ok(d);
    }
    if let Some(d) = nonempty(xdg_cache) {
        return Ok(d.join("bsd-rs-vm"));
    }
    if let Some(h) = nonempty(home) {
        return Ok(h.join(".cache").join("bsd-rs-vm"));
    }
    Err("no cache directory: set BSD_RS_VM_CACHE, XDG_CACHE_HOME or HOME".to_string())
}

pub fn cache_dir() -> Result<PathBuf, String> {
    let get = |k: &str| std::env::var(k).ok();
    cache_dir_from(
        get("BSD_RS_VM_CACHE").as_deref(),
        get("XDG_CACHE_HOME").as_deref(),
        get("HOME").as_deref(),
    )
}

/// The workspace root (the xtask crate's parent directory).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// Where the serial log and the run's scratch files go: `target/test-vm/<guest>/`.
pub fn run_dir(root: &Path, guest: Guest) -> PathBuf {
    root.join("target").join("test-vm").join(guest.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_guest_options_and_trailing_args() {
        let o = parse_args(&args(&[
            "linux",
            "--backend",
            "raw",
            "--accel=tcg",
            "--timeout",
            "90",
            "--",
            "--nocapture",
            "clocks",
        ]))
        .unwrap();
        assert_eq!(o.guest, Some(Guest::Linux));
        assert_eq!(o.backend, Backend::Raw);
        assert_eq!(o.accel, AccelChoice::Tcg);
        assert_eq!(o.timeout, Some(90));
        assert_eq!(o.test_args, args(&["--nocapture", "clocks"]));
    }

    #[test]
    fn defaults_and_list() {
        let o = parse_args(&args(&["--list"])).unwrap();
        assert!(o.list);
        assert_eq!(o.guest, None);
        assert_eq!(o.backend, Backend::Libc);
        assert_eq!(o.accel, AccelChoice::Auto);
        assert_eq!(o.smp, 0);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(parse_args(&args(&["freebsd"])).is_err());
        assert!(parse_args(&args(&["linux", "--backend", "asm"])).is_err());
        assert!(parse_args(&args(&["linux", "--accel"])).is_err());
        assert!(parse_args(&args(&["linux", "--timeout", "soon"])).is_err());
        assert!(parse_args(&args(&["linux", "openbsd"])).is_err());
        assert!(parse_args(&args(&["linux", "--smp", "0"])).is_err());
        assert!(parse_args(&args(&["linux", "--frobnicate"])).is_err());
    }

    #[test]
    fn accel_decisions() {
        let pvm = HostAccel {
            kvm_usable: true,
            kvm_is_pvm: true,
        };
        let kvm = HostAccel {
            kvm_usable: true,
            kvm_is_pvm: false,
        };
        let none = HostAccel {
            kvm_usable: false,
            kvm_is_pvm: false,
        };
        assert!(matches!(
            plan_accel(AccelChoice::Auto, pvm),
            Ok(AccelPlan::Tcg { note: Some(n) }) if n.contains("kvm_pvm")
        ));
        assert_eq!(
            plan_accel(AccelChoice::Auto, kvm),
            Ok(AccelPlan::Kvm { fallback: true })
        );
        assert!(matches!(
            plan_accel(AccelChoice::Auto, none),
            Ok(AccelPlan::Tcg { note: Some(_) })
        ));
        // An explicit choice is obeyed, even on PVM (the user asked for it).
        assert_eq!(
            plan_accel(AccelChoice::Kvm, pvm),
            Ok(AccelPlan::Kvm { fallback: false })
        );
        assert!(plan_accel(AccelChoice::Kvm, none).is_err());
        assert_eq!(
            plan_accel(AccelChoice::Tcg, kvm),
            Ok(AccelPlan::Tcg { note: None })
        );
    }

    #[test]
    fn cache_dir_precedence() {
        let p = |o, x, h| cache_dir_from(o, x, h).unwrap();
        assert_eq!(p(Some("/c"), Some("/x"), Some("/h")), PathBuf::from("/c"));
        assert_eq!(
            p(None, Some("/x"), Some("/h")),
            PathBuf::from("/x/bsd-rs-vm")
        );
        assert_eq!(
            p(Some(""), Some(""), Some("/h")),
            PathBuf::from("/h/.cache/bsd-rs-vm")
        );
        assert!(cache_dir_from(None, None, None).is_err());
    }

    #[test]
    fn backend_build_settings() {
        assert_eq!(Backend::Libc.rustflags(Some("-Cfoo")), None);
        assert_eq!(
            Backend::Raw.rustflags(None).unwrap(),
            "--cfg bsd_sys_backend=\"raw\""
        );
        assert_eq!(
            Backend::Raw.rustflags(Some(" -Cfoo ")).unwrap(),
            "-Cfoo --cfg bsd_sys_backend=\"raw\""
        );
        assert_eq!(Backend::Raw.target_dir(), "target/raw");
        assert_eq!(
            run_dir(Path::new("/w"), Guest::OpenBsd),
            PathBuf::from("/w/target/test-vm/openbsd")
        );
    }
}
