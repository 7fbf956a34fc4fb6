//! `cargo xtask package`: packages every library crate as `cargo publish` would, and checks
//! that each `.crate` holds its README and both license files.
//!
//! `cargo package --workspace` builds each packaged crate from its `.crate` contents (so a file
//! the build needs but the package leaves out fails here), resolving the workspace's unpublished
//! crates against one another.

use std::process::Command;

use crate::ci::LIBRARY_CRATES;
use crate::util::{cargo, run, workspace_root, Steps, TaskResult};

/// The files every published crate must carry.
const REQUIRED: &[&str] = &["README.md", "LICENSE-MIT", "LICENSE-APACHE", "Cargo.toml"];

fn package() -> Command {
    let mut cmd = cargo();
    cmd.args(["package", "--workspace", "--allow-dirty"]);
    for excluded in ["xtask", "bsd-bench", "bsd-tour"] {
        cmd.args(["--exclude", excluded]);
    }
    // Its own directory: packaging verifies with a lock file of its own, which would otherwise
    // make the next `cargo test` in target/ rebuild.
    cmd.env("CARGO_TARGET_DIR", "target/package-check");
    cmd
}

/// The file names inside `crate_name`'s `.crate`, read with `tar`.
fn contents(crate_name: &str, version: &str) -> TaskResult<Vec<String>> {
    let path = workspace_root()
        .join("target/package-check/package")
        .join(format!("{crate_name}-{version}.crate"));
    let out = Command::new("tar")
        .arg("-tzf")
        .arg(&path)
        .output()
        .map_err(|e| format!("cannot run tar on {}: {e}", path.display()))?;
    if !out.status.success() {
        return Err(format!("tar could not list {}", path.display()));
    }
    let prefix = format!("{crate_name}-{version}/");
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| line.strip_prefix(&prefix).unwrap_or(line).to_string())
        .collect())
}

/// The workspace version every library crate shares.
fn workspace_version() -> TaskResult<String> {
    let manifest = std::fs::read_to_string(workspace_root().join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[workspace.package]";
        } else if in_package {
            if let Some(value) = line.strip_prefix("version") {
                let value = value.trim_start().trim_start_matches('=').trim();
                return Ok(value.trim_matches('"').to_string());
            }
        }
    }
    Err("no version in [workspace.package] of Cargo.toml".into())
}

/// Removes the copies of this workspace's crates that cargo unpacked from an earlier run's
/// local registry (`$CARGO_HOME/registry/src/-<hash>/`): they carry the same version, so cargo
/// would build the verification against the old sources instead of unpacking the new ones.
fn forget_unpacked(version: &str) -> TaskResult {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let Ok(registries) = std::fs::read_dir(home.join("registry/src")) else {
        return Ok(());
    };
    for registry in registries.filter_map(Result::ok) {
        // Local (path) registries are the ones whose directory name starts with '-'.
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for crate_name in LIBRARY_CRATES {
            let dir = registry.path().join(format!("{crate_name}-{version}"));
            if dir.exists() {
                std::fs::remove_dir_all(&dir)
                    .map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
            }
        }
    }
    Ok(())
}

/// Packages (and verifies) the library crates, then checks each `.crate`'s files.
pub fn run_package() -> TaskResult {
    let version = workspace_version()?;
    forget_unpacked(&version)?;
    run(&mut package())?;
    for crate_name in LIBRARY_CRATES {
        let files = contents(crate_name, &version)?;
        let missing: Vec<&str> = REQUIRED
            .iter()
            .copied()
            .filter(|want| !files.iter().any(|f| f == want))
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "{crate_name}-{version}.crate lacks {}",
                missing.join(", ")
            ));
        }
        eprintln!(
            "    {crate_name}-{version}.crate: {} files, README and licenses in",
            files.len()
        );
    }
    Ok(())
}

/// `cargo xtask package`.
pub fn main() -> TaskResult {
    Steps::task(|steps| steps.run("cargo package (library crates)", run_package))
}
