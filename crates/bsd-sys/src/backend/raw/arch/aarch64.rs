//! aarch64 `svc #0` (Linux only: DragonFly has no aarch64 port and OpenBSD must use libc).
//!
//! Registers: number in `x8`, arguments in `x0..x5`, result in `x0` as `-errno` on error; the
//! kernel preserves every other register (Linux `arch/arm64/kernel/entry.S`).

use core::arch::asm;

use crate::Result;

/// System call `nr` with six arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall6(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize, a6: usize) -> Result<usize> {
    let ret: usize;
    // SAFETY: the caller guarantees the arguments are valid for `nr`; the kernel changes only x0.
    unsafe {
        asm!(
            "svc #0",
            in("x8") nr,
            inlateout("x0") a1 => ret,
            in("x1") a2,
            in("x2") a3,
            in("x3") a4,
            in("x4") a5,
            in("x5") a6,
            options(nostack),
        );
    }
    super::decode(ret)
}
