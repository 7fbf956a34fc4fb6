//! x86_64 `syscall` instruction.
//!
//! Registers: number in `rax`; arguments in `rdi, rsi, rdx, r10, r8, r9` (`r10`, not `rcx`,
//! because `syscall` overwrites `rcx` and `r11`). DragonFly reads arguments 7 and up from the user
//! stack at `rsp + 8`, where a libc stub's caller would have put them (`trap.c`: `params =
//! tf_rsp + sizeof(register_t)`), and returns a second result in `rdx` for two-result calls.
//!
//! All six argument registers are declared clobbered: Linux preserves them, but DragonFly's
//! return path documents only `rax`/`rdx`, so the compiler is told to assume nothing.

use core::arch::asm;

use crate::Result;

/// The shared body: one `syscall`, returning `rax`, `rdx` and the carry flag.
#[inline(always)]
unsafe fn raw6(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize, a6: usize) -> (usize, usize, bool) {
    let ret: usize;
    let ret2: usize;
    let carry: u8;
    // SAFETY: the caller guarantees the arguments are valid for system call `nr`. The asm
    // touches no stack memory and declares every register the kernel may change.
    unsafe {
        asm!(
            "syscall",
            "setc {carry}",
            carry = lateout(reg_byte) carry,
            inlateout("rax") nr => ret,
            inlateout("rdi") a1 => _,
            inlateout("rsi") a2 => _,
            inlateout("rdx") a3 => ret2,
            inlateout("r10") a4 => _,
            inlateout("r8") a5 => _,
            inlateout("r9") a6 => _,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    (ret, ret2, carry != 0)
}

/// Applies the OS's error convention to a raw result.
#[inline(always)]
fn finish(ret: usize, _carry: bool) -> Result<usize> {
    #[cfg(target_os = "dragonfly")]
    {
        if _carry {
            return Err(crate::Errno::from_raw(ret as i32));
        }
        Ok(ret)
    }
    #[cfg(target_os = "linux")]
    {
        super::decode(ret)
    }
}

/// System call `nr` with no arguments.
///
/// # Safety
/// The call must be valid for `nr` with these arguments: pointers must be valid for what the
/// kernel reads or writes through them, and the call must not break Rust's invariants (for
/// example by unmapping memory that Rust code still references).
#[inline(always)]
pub(crate) unsafe fn syscall0(nr: usize) -> Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall6(nr, 0, 0, 0, 0, 0, 0) }
}

/// System call `nr` with one argument.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall1(nr: usize, a1: usize) -> Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall6(nr, a1, 0, 0, 0, 0, 0) }
}

/// System call `nr` with two arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall2(nr: usize, a1: usize, a2: usize) -> Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall6(nr, a1, a2, 0, 0, 0, 0) }
}

/// System call `nr` with three arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall3(nr: usize, a1: usize, a2: usize, a3: usize) -> Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall6(nr, a1, a2, a3, 0, 0, 0) }
}

/// System call `nr` with four arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall4(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall6(nr, a1, a2, a3, a4, 0, 0) }
}

/// System call `nr` with five arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall5(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> Result<usize> {
    // SAFETY: forwarded to the caller.
    unsafe { syscall6(nr, a1, a2, a3, a4, a5, 0) }
}

/// System call `nr` with six arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall6(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize, a6: usize) -> Result<usize> {
    // SAFETY: forwarded to the caller.
    let (ret, _, carry) = unsafe { raw6(nr, a1, a2, a3, a4, a5, a6) };
    finish(ret, carry)
}

/// DragonFly system call `nr` with seven arguments, the seventh passed on the stack at `rsp + 8`
/// (`mmap`'s `off_t pos`, after its `pad` argument in `r9`).
///
/// # Safety
/// As for [`syscall0`].
#[cfg(target_os = "dragonfly")]
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn syscall7(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize, a6: usize, a7: usize) -> Result<usize> {
    let ret: usize;
    let carry: u8;
    // SAFETY: the caller guarantees the arguments are valid for `nr`. The asm reserves 16 bytes
    // below the stack pointer (no `nostack`, so the compiler keeps nothing there), stores the
    // seventh argument where the kernel reads it, and restores `rsp` before returning. The carry
    // flag is captured before `add` changes the flags.
    unsafe {
        asm!(
            "sub rsp, 16",
            "mov qword ptr [rsp + 8], {a7}",
            "syscall",
            "setc {carry}",
            "add rsp, 16",
            a7 = in(reg) a7,
            carry = lateout(reg_byte) carry,
            inlateout("rax") nr => ret,
            inlateout("rdi") a1 => _,
            inlateout("rsi") a2 => _,
            inlateout("rdx") a3 => _,
            inlateout("r10") a4 => _,
            inlateout("r8") a5 => _,
            inlateout("r9") a6 => _,
            lateout("rcx") _,
            lateout("r11") _,
        );
    }
    finish(ret, carry != 0)
}

/// DragonFly system call `nr` that returns two results, in `rax` and `rdx` (`pipe2`: the kernel
/// ignores the array pointer and returns both descriptors this way, `sys_pipe.c`).
///
/// # Safety
/// As for [`syscall0`].
#[cfg(target_os = "dragonfly")]
#[inline(always)]
pub(crate) unsafe fn syscall2_pair(nr: usize, a1: usize, a2: usize) -> Result<(usize, usize)> {
    // SAFETY: forwarded to the caller; `rdx` starts at 0 and holds the second result on success.
    let (ret, ret2, carry) = unsafe { raw6(nr, a1, a2, 0, 0, 0, 0) };
    finish(ret, carry).map(|first| (first, ret2))
}
