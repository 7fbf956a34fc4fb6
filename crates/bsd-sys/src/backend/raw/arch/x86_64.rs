//! x86_64 `syscall` instruction, one function per argument count.
//!
//! Registers: number in `rax`; arguments in `rdi, rsi, rdx, r10, r8, r9` (`r10`, not `rcx`,
//! because `syscall` overwrites `rcx` and `r11`). Only the registers a call uses are loaded,
//! and only what each kernel really changes is declared clobbered:
//!
//! - Linux: `rax` (the result, `-errno` on error), `rcx` and `r11`. Every other register is
//!   restored, and `sysretq` reloads RFLAGS from the saved `r11`, hence `preserves_flags`
//!   (`arch/x86/entry/entry_64.S`, the comment above `entry_SYSCALL_64`).
//! - DragonFly: `rax` (the result, or a positive errno with the carry flag set), `rdx` (the
//!   second result: `frame->tf_rdx = sysmsg.sysmsg_fds[1]` in `syscall2()`,
//!   `sys/platform/pc64/x86_64/trap.c`), `rcx` and `r11` (`sysretq`), `r10` (the quick return
//!   clears it, and the full `doreti` return reloads a trap-frame slot the entry never wrote,
//!   since the entry saves `r10` as `TF_RCX`), and the flags. `rdi`, `rsi`, `r8` and `r9` are
//!   reloaded from the trap frame ("SECURITY RESTORE" / "NORMAL RESTORE" in
//!   `IDTVEC(fast_syscall)`, `sys/platform/pc64/x86_64/exception.S`, since commit 9474cbef of
//!   2018-06-11, before DragonFly 5.4; read at master b0f136a9). Arguments 7 and up are read
//!   from the user stack at `rsp + 8` (`trap.c`: `params = tf_rsp + sizeof(register_t)`).

use core::arch::asm;

use crate::Result;

/// One Linux `syscall` with the given register operands.
#[cfg(target_os = "linux")]
macro_rules! syscall {
    ($nr:expr; $($ops:tt)*) => {{
        let ret: usize;
        // SAFETY: the caller guarantees the arguments are valid for the call. The kernel
        // changes only rax, rcx and r11 and restores the flags (module docs).
        unsafe {
            asm!(
                "syscall",
                inlateout("rax") $nr => ret,
                $($ops)*
                lateout("rcx") _,
                lateout("r11") _,
                options(nostack, preserves_flags),
            );
        }
        super::decode(ret)
    }};
}

/// One DragonFly `syscall`; `rdx` and `r10` must be named by the caller (as an argument or
/// as a clobber), since the kernel changes them either way.
#[cfg(target_os = "dragonfly")]
macro_rules! syscall {
    ($nr:expr; $($ops:tt)*) => {{
        let ret: usize;
        let carry: u8;
        // SAFETY: the caller guarantees the arguments are valid for the call. The kernel
        // changes rax, rdx, rcx, r10, r11 and the flags (module docs); `setc` reads the carry
        // flag right after the call.
        unsafe {
            asm!(
                "syscall",
                "setc {carry}",
                carry = lateout(reg_byte) carry,
                inlateout("rax") $nr => ret,
                $($ops)*
                lateout("rcx") _,
                lateout("r11") _,
                options(nostack),
            );
        }
        finish(ret, carry)
    }};
}

/// DragonFly's convention: the carry flag set means `rax` holds a positive errno.
#[cfg(target_os = "dragonfly")]
#[inline(always)]
fn finish(ret: usize, carry: u8) -> Result<usize> {
    if carry != 0 {
        Err(crate::Errno::from_raw(ret as i32))
    } else {
        Ok(ret)
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
    #[cfg(target_os = "linux")]
    return syscall!(nr;);
    #[cfg(target_os = "dragonfly")]
    return syscall!(nr; lateout("rdx") _, lateout("r10") _,);
}

/// System call `nr` with no arguments that cannot fail (`getpid`, `gettid`): the result
/// register as is, with no error decoding.
///
/// # Safety
/// As for [`syscall0`]; `nr` must be a call that never reports an error.
#[inline(always)]
pub(crate) unsafe fn syscall0_infallible(nr: usize) -> usize {
    let ret: usize;
    // SAFETY: the caller guarantees `nr` is valid and takes no arguments. Clobbers as in the
    // module docs (DragonFly's carry flag is never set for these calls, so it is not read).
    unsafe {
        #[cfg(target_os = "linux")]
        asm!(
            "syscall",
            inlateout("rax") nr => ret,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
        #[cfg(target_os = "dragonfly")]
        asm!(
            "syscall",
            inlateout("rax") nr => ret,
            lateout("rdx") _,
            lateout("r10") _,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// System call `nr` with one argument.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall1(nr: usize, a1: usize) -> Result<usize> {
    #[cfg(target_os = "linux")]
    return syscall!(nr; in("rdi") a1,);
    #[cfg(target_os = "dragonfly")]
    return syscall!(nr; in("rdi") a1, lateout("rdx") _, lateout("r10") _,);
}

/// System call `nr` with two arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall2(nr: usize, a1: usize, a2: usize) -> Result<usize> {
    #[cfg(target_os = "linux")]
    return syscall!(nr; in("rdi") a1, in("rsi") a2,);
    #[cfg(target_os = "dragonfly")]
    return syscall!(nr; in("rdi") a1, in("rsi") a2, lateout("rdx") _, lateout("r10") _,);
}

/// System call `nr` with three arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall3(nr: usize, a1: usize, a2: usize, a3: usize) -> Result<usize> {
    #[cfg(target_os = "linux")]
    return syscall!(nr; in("rdi") a1, in("rsi") a2, in("rdx") a3,);
    #[cfg(target_os = "dragonfly")]
    return syscall!(nr; in("rdi") a1, in("rsi") a2, inlateout("rdx") a3 => _, lateout("r10") _,);
}

/// System call `nr` with four arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall4(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> Result<usize> {
    #[cfg(target_os = "linux")]
    return syscall!(nr; in("rdi") a1, in("rsi") a2, in("rdx") a3, in("r10") a4,);
    #[cfg(target_os = "dragonfly")]
    return syscall!(nr; in("rdi") a1, in("rsi") a2, inlateout("rdx") a3 => _, inlateout("r10") a4 => _,);
}

/// System call `nr` with five arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall5(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> Result<usize> {
    #[cfg(target_os = "linux")]
    return syscall!(nr; in("rdi") a1, in("rsi") a2, in("rdx") a3, in("r10") a4, in("r8") a5,);
    #[cfg(target_os = "dragonfly")]
    return syscall!(nr; in("rdi") a1, in("rsi") a2, inlateout("rdx") a3 => _, inlateout("r10") a4 => _, in("r8") a5,);
}

/// System call `nr` with six arguments.
///
/// # Safety
/// As for [`syscall0`].
#[inline(always)]
pub(crate) unsafe fn syscall6(nr: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize, a6: usize) -> Result<usize> {
    #[cfg(target_os = "linux")]
    return syscall!(nr; in("rdi") a1, in("rsi") a2, in("rdx") a3, in("r10") a4, in("r8") a5, in("r9") a6,);
    #[cfg(target_os = "dragonfly")]
    return syscall!(nr; in("rdi") a1, in("rsi") a2, inlateout("rdx") a3 => _, inlateout("r10") a4 => _, in("r8") a5, in("r9") a6,);
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
    // flag is captured before `add` changes the flags. Clobbers as in the module docs.
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
            in("rdi") a1,
            in("rsi") a2,
            inlateout("rdx") a3 => _,
            inlateout("r10") a4 => _,
            in("r8") a5,
            in("r9") a6,
            lateout("rcx") _,
            lateout("r11") _,
        );
    }
    finish(ret, carry)
}

/// DragonFly system call `nr` that returns two results, in `rax` and `rdx` (`pipe2`: the kernel
/// ignores the array pointer and returns both descriptors this way, `sys_pipe.c`).
///
/// # Safety
/// As for [`syscall0`].
#[cfg(target_os = "dragonfly")]
#[inline(always)]
pub(crate) unsafe fn syscall2_pair(nr: usize, a1: usize, a2: usize) -> Result<(usize, usize)> {
    let ret: usize;
    let ret2: usize;
    let carry: u8;
    // SAFETY: the caller guarantees the arguments are valid for `nr`; the second result comes
    // back in rdx (module docs).
    unsafe {
        asm!(
            "syscall",
            "setc {carry}",
            carry = lateout(reg_byte) carry,
            inlateout("rax") nr => ret,
            in("rdi") a1,
            in("rsi") a2,
            lateout("rdx") ret2,
            lateout("r10") _,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
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
