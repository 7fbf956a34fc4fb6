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

// Linux x86_64 signal return trampoline. The kernel requires `SA_RESTORER` on x86_64 and returns
// from a handler to `sa_restorer`, which must issue `rt_sigreturn` (15) with the signal frame
// still at `rsp` (`arch/x86/kernel/signal_64.c`: `x64_setup_rt_frame` pushes `sa_restorer` as the
// handler's return address; without `SA_RESTORER` frame setup fails and SIGSEGV is forced). Written in
// `global_asm!` because naked functions are not available at the MSRV.
#[cfg(target_os = "linux")]
core::arch::global_asm!(
    ".pushsection .text.bsd_sys_rt_sigreturn,\"ax\",@progbits",
    ".globl bsd_sys_rt_sigreturn_restorer_v0",
    ".hidden bsd_sys_rt_sigreturn_restorer_v0",
    ".type bsd_sys_rt_sigreturn_restorer_v0,@function",
    ".p2align 4",
    "bsd_sys_rt_sigreturn_restorer_v0:",
    "mov eax, 15",
    "syscall",
    "ud2",
    ".size bsd_sys_rt_sigreturn_restorer_v0, . - bsd_sys_rt_sigreturn_restorer_v0",
    ".popsection",
);

#[cfg(target_os = "linux")]
extern "C" {
    /// The trampoline above; never called from Rust, only its address is taken.
    fn bsd_sys_rt_sigreturn_restorer_v0();
}

/// The address of the `rt_sigreturn` trampoline, for `struct kernel_sigaction.sa_restorer`.
#[cfg(target_os = "linux")]
pub(crate) fn rt_sigreturn_restorer() -> usize {
    bsd_sys_rt_sigreturn_restorer_v0 as unsafe extern "C" fn() as usize
}
