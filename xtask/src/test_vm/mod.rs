//! `cargo xtask test-vm` (being written).

use crate::util::TaskResult;

/// `cargo xtask test-vm ...`.
pub fn run(_args: &[String]) -> TaskResult {
    Err("test-vm is not available yet".to_string())
}

/// The CI step: the linux guest for `backend`.
pub fn ci_step(_backend: &str) -> TaskResult {
    eprintln!("    test-vm: not available yet, skipped");
    Ok(())
}
