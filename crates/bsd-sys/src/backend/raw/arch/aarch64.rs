//! aarch64 `svc #0` (Linux only: DragonFly has no aarch64 port and OpenBSD must use libc).
//!
//! Registers: number in `x8`, arguments in `x0..x5`, result in `x0` as `-errno` on error; the
//! kernel preserves every other register and the flags (`arch/arm64/kernel/entry.S`:
//! `kernel_exit` restores `x1..x29`, `sp` and `spsr` from the saved `pt_regs`; only `x0` is
//! written back by `syscall_set_return_value`). Only the registers a call uses are loaded.

use core::arch::asm;

use crate::Result;

/// One `svc #0`: `x0` carries the first argument in and the result out.
macro_rules! syscall {
    ($nr:expr, $a1:expr; $($ops:tt)*) => {{
        let ret: usize;
        // SAFETY: the caller guarantees the arguments are valid for the call; the kernel
        // changes only x0 (module docs).
        unsafe {
            asm!(
                "svc #0",
                in("x8") $nr,
                inlateout("x0") $a1 => ret,
                $($ops)*
                options(nostack, preserves_flags),
            );
        }
        super::decode(ret)
    }};
}

/// System call `nr` with no arguments.
///
/// # Safety
/// The call must be valid for `nr` with these arguments: pointers must be valid for what the
/// kernel reads or writes through them, and the call must not break Rust's invariants (for
/// example by unmapping memory that Rust code still references).
#[inline(always)]
pub(crate) unsafe fn syscall0(nr: usize) -> Result<usize> {
    let ret: usize;
    // SAFETY: as in `syscall!`; x0 is only an output here.
    unsafe {
        asm!("svc #0", in("x8") nr, lateout("x0") ret, options(nostack, preserves_flags));
    }
    super::decode(ret)
}

/// System call `nr` with no arguments that cannot fail (`getpid`, `gettid`): the result
/// register as is, with no error decoding.
///
/// # Safety
/// As for [`syscall0`]; `nr` must be a call that never reports an error.
#[inline(always)]
pub(crate) unsafe fn syscall0_infallible(nr: usize) -> usize {
    let ret: usize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!("svc #0", in("x8") nr, lateout("x0") ret, options(nostack, preserves_flags));
    }
    ret
}

/// System call `nr` with one argument.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall1(nr: usize, a1: usize) -> Result<usize> {
    syscall!(nr, a1;)
}

/// System call `nr` with two arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall2(nr: usize, a1: usize, a2: usize) -> Result<usize> {
    syscall!(nr, a1; in("x1") a2,)
}

/// System call `nr` with three arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall3(nr: usize, a1: usize, a2: usize, a3: usize) -> Result<usize> {
    syscall!(nr, a1; in("x1") a2, in("x2") a3,)
}

/// System call `nr` with four arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall4(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> Result<usize> {
    syscall!(nr, a1; in("x1") a2, in("x2") a3, in("x3") a4,)
}

/// System call `nr` with five arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall5(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> Result<usize> {
    syscall!(nr, a1; in("x1") a2, in("x2") a3, in("x3") a4, in("x4") a5,)
}

/// System call `nr` with six arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall6(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize, a6: usize) -> Result<usize> {
    syscall!(nr, a1; in("x1") a2, in("x2") a3, in("x3") a4, in("x4") a5, in("x5") a6,)
}
