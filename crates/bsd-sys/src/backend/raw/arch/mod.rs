//! System call instructions per architecture, with each OS's error convention.
//!
//! `syscall6` (and DragonFly's `syscall7` and `syscall2_pair`) live in the per-architecture
//! files; `syscall0`..`syscall5` below pass the unused registers as zero. Every function returns `Ok(first result register)` or `Err(Errno)`:
//! - DragonFly x86_64: the kernel sets the carry flag on error and leaves a positive errno in
//!   `rax` (`sys/platform/pc64/x86_64/trap.c`, `syscall2()`).
//! - Linux: the kernel returns `-errno` in the result register (values -4095..=-1).

cfg_if::cfg_if! {
    if #[cfg(target_arch = "x86_64")] {
        mod x86_64;
        pub(crate) use self::x86_64::*;
    } else if #[cfg(all(target_arch = "aarch64", target_os = "linux"))] {
        mod aarch64;
        pub(crate) use self::aarch64::*;
    }
}

/// System call `nr` with no arguments (the unused registers are passed as zero).
///
/// # Safety
/// The call must be valid for `nr` with these arguments: pointers must be valid for what the
/// kernel reads or writes through them, and the call must not break Rust's invariants (for
/// example by unmapping memory that Rust code still references).
#[inline(always)]
pub(crate) unsafe fn syscall0(nr: usize) -> crate::Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall6(nr, 0, 0, 0, 0, 0, 0) }
}

/// System call `nr` with one argument.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall1(nr: usize, a1: usize) -> crate::Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall6(nr, a1, 0, 0, 0, 0, 0) }
}

/// System call `nr` with two arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall2(nr: usize, a1: usize, a2: usize) -> crate::Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall6(nr, a1, a2, 0, 0, 0, 0) }
}

/// System call `nr` with three arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall3(nr: usize, a1: usize, a2: usize, a3: usize) -> crate::Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall6(nr, a1, a2, a3, 0, 0, 0) }
}

/// System call `nr` with four arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall4(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> crate::Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall6(nr, a1, a2, a3, a4, 0, 0) }
}

/// System call `nr` with five arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall5(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> crate::Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall6(nr, a1, a2, a3, a4, a5, 0) }
}

/// Decodes the Linux convention: a result in `-4095..=-1` is `-errno`.
#[cfg(target_os = "linux")]
#[inline(always)]
fn decode(ret: usize) -> crate::Result<usize> {
    if ret > (-4096isize) as usize {
        Err(crate::Errno::from_raw(-(ret as isize) as i32))
    } else {
        Ok(ret)
    }
}
