//! `cargo xtask test-vm`: the workspace's tests inside QEMU guests (linux, openbsd, dragonfly).
//!
//! * linux: static musl test binaries + busybox in an initramfs, a Debian kernel, results read
//!   from serial-console markers ([`linux`], [`serial`]).
//! * openbsd / dragonfly: a sha256-verified qcow2 image (a pinned sum, else GitHub's digest for
//!   the release asset), ssh over QEMU user networking, the workspace copied in and `cargo
//!   test` run by the guest's own Rust ([`image`], [`trust`], [`login`], [`bsd`]).
//!
//! Shared: the command line and the accelerator decision ([`plan`]), QEMU command lines and the
//! console-logging VM handle ([`qemu`]), host prerequisites ([`deps`]).

mod bsd;
mod cpio;
mod deps;
mod image;
mod json;
mod linux;
mod linux_build;
mod login;
pub(crate) use linux::{test_binaries, TestBinary};
mod plan;
mod qemu;
mod rehearse;
mod serial;
mod standin;
mod standin_kernel;
mod standin_scripts;
mod trust;

use plan::{Backend, Guest, Options};

static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Progress on stderr, prefixed (with the time since the task started) so it stands apart from
/// the guest's output.
pub(crate) fn progress(msg: &str) {
    let t = START.get_or_init(std::time::Instant::now).elapsed();
    eprintln!("[test-vm {:>5.1}s] {msg}", t.as_secs_f64());
}

/// Quotes `s` for a POSIX shell (single quotes unless it is plainly safe).
pub(crate) fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_=,./:+@%".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `cargo xtask test-vm ...`.
pub fn run(args: &[String]) -> Result<(), String> {
    START.get_or_init(std::time::Instant::now);
    let o = plan::parse_args(args)?;
    if o.help {
        print!("{}", plan::USAGE);
        return Ok(());
    }
    if o.list {
        print!("{}", list()?);
        return Ok(());
    }
    let Some(guest) = o.guest else {
        return Err(format!("which guest?\n\n{}", plan::USAGE));
    };
    run_guest(guest, &o)
}

fn run_guest(guest: Guest, o: &Options) -> Result<(), String> {
    let root = plan::workspace_root();
    let cache = plan::cache_dir()?;
    let accel = plan::plan_accel(o.accel, plan::probe_host_accel())?;
    match guest {
        Guest::Linux => linux::run(o, &root, &cache, accel),
        Guest::OpenBsd | Guest::DragonFly => bsd::run(guest, o, &root, &cache, accel).map(|_| ()),
    }
}

/// `cargo xtask rehearse-vm ...`: the BSD flows against stand-in guests ([`rehearse`]).
pub fn rehearse(args: &[String]) -> Result<(), String> {
    rehearse::run(args)
}

/// The CI step: installs what the linux guest lacks (apt-get, rustup), then runs the linux
/// guest for `backend` ("libc" or "raw") with `--accel auto`.
pub fn ci_step(backend: &str) -> Result<(), String> {
    let backend = Backend::parse(backend)
        .ok_or_else(|| format!("test-vm: unknown backend `{backend}` (libc or raw)"))?;
    START.get_or_init(std::time::Instant::now);
    let o = Options {
        guest: Some(Guest::Linux),
        install_deps: true,
        backend,
        ..Options::default()
    };
    run_guest(Guest::Linux, &o)
}

/// `--list`: each guest, what it needs and what is cached.
fn list() -> Result<String, String> {
    let cache = plan::cache_dir()?;
    let host = plan::probe_host_accel();
    let mut out = String::new();
    out.push_str(&format!("cache directory: {}\n", cache.display()));
    out.push_str(&format!(
        "acceleration: /dev/kvm {}, {}\n\n",
        if host.kvm_usable {
            "read-write"
        } else {
            "unusable"
        },
        if host.kvm_is_pvm {
            "KVM is kvm_pvm (auto uses TCG)"
        } else {
            "no kvm_pvm"
        }
    ));
    let kernel = linux::cached_kernel(&cache.join("linux"));
    let missing = deps::linux_missing(kernel.is_some());
    out.push_str(
        "linux      the workspace's test binaries (x86_64-unknown-linux-musl, --backend libc|raw)\n\
         \x20          in a busybox initramfs on a Debian kernel; results from the serial console.\n\
         \x20          needs: qemu-system-x86, busybox-static, the musl target, a Debian kernel\n",
    );
    out.push_str(&format!(
        "           kernel: {}\n",
        match &kernel {
            Some(k) => format!("cached at {}", k.display()),
            None => format!(
                "not cached (fetched with `apt-get download` into {})",
                cache.join("linux").display()
            ),
        }
    ));
    out.push_str(&format!(
        "           host: {}\n\n",
        if missing.is_empty() {
            "ready".to_string()
        } else {
            missing
                .iter()
                .map(Missing::describe)
                .collect::<Vec<_>>()
                .join("; ")
        }
    ));
    for guest in [Guest::OpenBsd, Guest::DragonFly] {
        out.push_str(&image::describe(guest, &cache));
        out.push('\n');
    }
    Ok(out)
}

use deps::Missing;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("--test-threads=2"), "--test-threads=2");
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
