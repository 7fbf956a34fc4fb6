//! System call instructions per architecture, with each OS's error convention.
//!
//! `syscall0`..`syscall6` (and DragonFly's `syscall7` and `syscall2_pair`) live in the
//! per-architecture files, one `asm!` per argument count, so a call loads only the registers
//! it uses and declares clobbered only what the OS's kernel changes (cited there). Every
//! function returns `Ok(first result register)` or `Err(Errno)`:
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
