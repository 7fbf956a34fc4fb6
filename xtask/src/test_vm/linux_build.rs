//! What the linux guest boots: the workspace's test binaries built static for musl, and the
//! Debian kernel (downloaded once into the cache).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use super::deps::MUSL;
use super::json::{self, Json};
use super::linux::EXCLUDED;
use super::plan::Backend;
use super::progress;

/// A test binary to run in the guest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestBinary {
    /// `<package>/<target>`; `<package>/lib` for a library's unit tests.
    pub label: String,
    pub path: PathBuf,
}

/// The package name in a cargo package id (`path+file:///w/crates/bsd-time#0.1.0`,
/// `path+file:///w/tour#bsd-tour@0.1.0`, or the old `bsd-time 0.1.0 (path+file://...)`).
pub fn package_name(id: &str) -> String {
    if let Some((url, frag)) = id.rsplit_once('#') {
        if let Some((name, _ver)) = frag.split_once('@') {
            return name.to_string();
        }
        return url.rsplit('/').next().unwrap_or(url).to_string();
    }
    id.split_whitespace().next().unwrap_or(id).to_string()
}

/// The test executables in cargo's JSON messages.
pub fn test_binaries(messages: &str) -> Result<Vec<TestBinary>, String> {
    let mut out: Vec<TestBinary> = Vec::new();
    for line in messages.lines().filter(|l| l.starts_with('{')) {
        let v = json::parse(line).map_err(|e| format!("cargo message: {e}: {line}"))?;
        if v.get("reason").and_then(Json::as_str) != Some("compiler-artifact") {
            continue;
        }
        let is_test = v
            .get("profile")
            .and_then(|p| p.get("test"))
            .and_then(Json::as_bool);
        let Some(exe) = v.get("executable").and_then(Json::as_str) else {
            continue;
        };
        if is_test != Some(true) {
            continue;
        }
        let pkg = package_name(v.get("package_id").and_then(Json::as_str).unwrap_or("?"));
        let target = v.get("target");
        let kinds: Vec<&str> = target
            .and_then(|t| t.get("kind"))
            .and_then(Json::as_array)
            .unwrap_or(&[])
            .iter()
            .filter_map(Json::as_str)
            .collect();
        let name = target
            .and_then(|t| t.get("name"))
            .and_then(Json::as_str)
            .unwrap_or("?");
        let label = if kinds.iter().any(|k| k.contains("lib")) {
            format!("{pkg}/lib")
        } else {
            format!("{pkg}/{name}")
        };
        if !out.iter().any(|b| b.label == label) {
            out.push(TestBinary {
                label,
                path: PathBuf::from(exe),
            });
        }
    }
    Ok(out)
}

/// The cargo invocation that builds every test binary for the guest.
pub fn build_command(cargo: &str, root: &Path, backend: Backend) -> Command {
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root);
    // `build --tests` builds what `test --no-run` builds, and (unlike `test`) takes
    // --keep-going, so one target that does not compile does not hide the others' results.
    cmd.args(["build", "--tests", "--workspace"]);
    for e in EXCLUDED {
        cmd.args(["--exclude", e]);
    }
    cmd.args([
        "--keep-going",
        "--target",
        MUSL,
        "--message-format=json-render-diagnostics",
    ]);
    if let Some(flags) = backend.rustflags(std::env::var("RUSTFLAGS").ok().as_deref()) {
        cmd.env("RUSTFLAGS", flags);
    }
    cmd.env("CARGO_TARGET_DIR", root.join(backend.target_dir()));
    cmd
}

/// The targets cargo could not compile, from its `error: could not compile `pkg` (test "x")`
/// lines, as labels like the binaries'.
pub fn build_failures(stderr: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in stderr.lines() {
        let Some(rest) = line.split("could not compile `").nth(1) else {
            continue;
        };
        let Some((pkg, rest)) = rest.split_once('`') else {
            continue;
        };
        let what = rest.trim_start();
        let label = if let Some(t) = what.strip_prefix("(test \"") {
            format!("{pkg}/{}", t.split('"').next().unwrap_or("?"))
        } else if what.starts_with("(lib test)") || what.starts_with("(lib)") {
            format!("{pkg}/lib")
        } else {
            format!("{pkg}/(build)")
        };
        if !out.contains(&label) {
            out.push(label);
        }
    }
    out
}

/// Builds what compiles (`--keep-going`): the binaries, and the labels that did not build.
pub(crate) fn build(
    root: &Path,
    backend: Backend,
) -> Result<(Vec<TestBinary>, Vec<String>), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    progress(&format!(
        "building the test binaries for {MUSL} ({} backend)",
        backend.name()
    ));
    let t = Instant::now();
    let mut cmd = build_command(&cargo, root, backend);
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let err = child.stderr.take().ok_or("cargo has no stderr")?;
    let err_thread = std::thread::spawn(move || {
        let mut all = String::new();
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            eprintln!("{line}");
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let mut messages = String::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            messages.push_str(&line);
            messages.push('\n');
        }
    }
    let st = child.wait().map_err(|e| e.to_string())?;
    let stderr = err_thread.join().unwrap_or_default();
    let mut bins = test_binaries(&messages)?;
    // Cargo reports artifacts in completion order: sort, so logs compare across runs.
    bins.sort_by(|a, b| a.label.cmp(&b.label));
    let failures = if st.success() {
        Vec::new()
    } else {
        build_failures(&stderr)
    };
    if !st.success() && (failures.is_empty() || bins.is_empty()) {
        return Err(format!(
            "building the test binaries for {MUSL} failed ({st}); if the target is missing: \
             `rustup target add {MUSL}`"
        ));
    }
    progress(&format!(
        "built {} test binaries in {:.1}s{}",
        bins.len(),
        t.elapsed().as_secs_f64(),
        if failures.is_empty() {
            String::new()
        } else {
            format!(
                "; DID NOT BUILD: {} (the rest runs anyway)",
                failures.join(", ")
            )
        }
    ));
    if bins.is_empty() {
        return Err("cargo built no test binaries".to_string());
    }
    Ok((bins, failures))
}

/// Downloads the package of the current Debian kernel (what `linux-image-amd64` depends on,
/// about 70 MB) into `dir` and returns its name and the `.deb`; `hint` ends each error message.
pub(crate) fn download_kernel_deb(dir: &Path, hint: &str) -> Result<(String, PathBuf), String> {
    let with_hint = |msg: String| {
        if hint.is_empty() {
            msg
        } else {
            format!("{msg}; {hint}")
        }
    };
    let out = Command::new("apt-cache")
        .args(["depends", "linux-image-amd64"])
        .output()
        .map_err(|e| with_hint(format!("cannot run apt-cache: {e}")))?;
    let pkg = kernel_package(&String::from_utf8_lossy(&out.stdout)).ok_or_else(|| {
        with_hint("apt-cache names no kernel for linux-image-amd64 (run `apt-get update`?)".into())
    })?;
    progress(&format!(
        "downloading {pkg} (about 70 MB, once) into {}",
        dir.display()
    ));
    let st = Command::new("apt-get")
        .args(["download", &pkg])
        .current_dir(dir)
        .status()
        .map_err(|e| with_hint(format!("cannot run apt-get: {e}")))?;
    if !st.success() {
        return Err(with_hint(format!("`apt-get download {pkg}` failed ({st})")));
    }
    let deb = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.starts_with(&pkg) && n.ends_with(".deb")
        })
        .ok_or_else(|| format!("apt-get download left no {pkg}*.deb in {}", dir.display()))?;
    Ok((pkg, deb))
}

/// Extracts the `members` (tar wildcards such as `./boot/vmlinuz-*`) of package `deb` into
/// `dir`: `dpkg-deb --fsys-tarfile X.deb | tar -x`, two processes joined by a pipe.
pub(crate) fn extract_deb(deb: &Path, dir: &Path, members: &[String]) -> Result<(), String> {
    let mut dpkg = Command::new("dpkg-deb")
        .arg("--fsys-tarfile")
        .arg(deb)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run dpkg-deb: {e}"))?;
    let tar_in = dpkg.stdout.take().ok_or("dpkg-deb has no stdout")?;
    let st = Command::new("tar")
        .args(["-x", "--wildcards"])
        .args(members)
        .current_dir(dir)
        .stdin(tar_in)
        .status()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    let _ = dpkg.wait();
    if !st.success() {
        return Err(format!("extracting {} failed", deb.display()));
    }
    Ok(())
}

/// The Debian kernel: `apt-cache depends linux-image-amd64` names the current ABI package,
/// `apt-get download` fetches its .deb into the cache, and the bzImage is extracted once.
pub(super) fn kernel(cache: &Path, offline: bool) -> Result<PathBuf, String> {
    let dir = cache.join("linux");
    if let Some(k) = cached_kernel(&dir) {
        return Ok(k);
    }
    let hint = format!(
        "or put a bzImage at {}/vmlinuz, or pass --kernel PATH",
        dir.display()
    );
    if offline {
        return Err(format!(
            "no cached kernel in {}: without --offline, xtask runs `apt-get download \
             linux-image-<abi>-amd64` there; {hint}",
            dir.display()
        ));
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let (_, deb) = download_kernel_deb(&dir, &hint)?;
    extract_deb(&deb, &dir, &["./boot/vmlinuz-*".to_string()])?;
    let vmlinuz = std::fs::read_dir(dir.join("boot"))
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("vmlinuz-"))
        })
        .ok_or("the kernel package has no /boot/vmlinuz-*")?;
    std::fs::rename(&vmlinuz, dir.join("vmlinuz")).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("vmlinuz.source"), format!("{}\n", deb.display()))
        .map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(dir.join("boot"));
    let _ = std::fs::remove_file(&deb);
    Ok(dir.join("vmlinuz"))
}

pub fn cached_kernel(dir: &Path) -> Option<PathBuf> {
    let k = dir.join("vmlinuz");
    k.is_file().then_some(k)
}

/// `Depends: linux-image-6.1.0-48-amd64` → the package name.
pub fn kernel_package(apt_cache_depends: &str) -> Option<String> {
    apt_cache_depends.lines().find_map(|l| {
        let dep = l.trim().strip_prefix("Depends:")?.trim();
        dep.starts_with("linux-image-").then(|| dep.to_string())
    })
}
