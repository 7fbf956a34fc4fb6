//! Linux vDSO lookup: the kernel's `clock_gettime` in user space, found once and cached.
//!
//! The kernel maps a small ELF shared object into every process and passes its address as
//! `AT_SYSINFO_EHDR` in the aux vector (`include/uapi/linux/auxvec.h`), read here with the C
//! library's `getauxval` (a plain function, no system call). Its dynamic symbol table is
//! searched for `__vdso_clock_gettime` (x86_64, `arch/x86/entry/vdso/vdso.lds.S`) or
//! `__kernel_clock_gettime` (arm64, `arch/arm64/kernel/vdso/vdso.lds.S`), both exported with
//! `DT_HASH`, so the symbol count is the hash table's `nchain` (as the kernel's own
//! `tools/testing/selftests/vDSO/parse_vdso.c` does). The function returns 0 or `-errno` (it
//! makes the system call itself for a clock it cannot read in user space).
//!
//! No vDSO (`getauxval` gives 0, as under valgrind, which hides it), a malformed one or a
//! missing symbol leaves the system call.

use core::ffi::{c_char, c_int, CStr};
use core::sync::atomic::{AtomicUsize, Ordering};

/// `int clock_gettime(clockid_t, struct timespec *)` in the vDSO.
pub(crate) type ClockGettime = unsafe extern "C" fn(c_int, *mut ::libc::timespec) -> c_int;

/// 0: not looked up yet; 1: no vDSO function; else the function's address.
static CLOCK_GETTIME: AtomicUsize = AtomicUsize::new(0);

const NONE: usize = 1;

#[cfg(target_arch = "x86_64")]
const CLOCK_GETTIME_NAME: &CStr = c"__vdso_clock_gettime";
#[cfg(target_arch = "aarch64")]
const CLOCK_GETTIME_NAME: &CStr = c"__kernel_clock_gettime";

/// The vDSO's `clock_gettime`, if the process has one.
#[inline]
pub(crate) fn clock_gettime() -> Option<ClockGettime> {
    let mut addr = CLOCK_GETTIME.load(Ordering::Relaxed);
    if addr == 0 {
        addr = lookup_clock_gettime();
    }
    if addr == NONE {
        return None;
    }
    // SAFETY: a non-sentinel value is the address of the vDSO's clock_gettime, which has this
    // C signature and stays mapped for the life of the process.
    Some(unsafe { core::mem::transmute::<usize, ClockGettime>(addr) })
}

#[cold]
#[inline(never)]
fn lookup_clock_gettime() -> usize {
    // SAFETY: getauxval only reads the aux vector; 0 means the entry is absent.
    let base = unsafe { ::libc::getauxval(::libc::AT_SYSINFO_EHDR) } as usize;
    // SAFETY: a non-zero AT_SYSINFO_EHDR is the start of the mapped vDSO image.
    let found = if base == 0 { None } else { unsafe { find_symbol(base, CLOCK_GETTIME_NAME) } };
    let addr = found.filter(|&a| a > NONE).unwrap_or(NONE);
    // Racing threads compute the same value; the last store wins harmlessly.
    CLOCK_GETTIME.store(addr, Ordering::Relaxed);
    addr
}

// ELF64 constants and layouts (`include/uapi/linux/elf.h`).
const PT_LOAD: u32 = 1;
const PT_DYNAMIC: u32 = 2;
const DT_NULL: i64 = 0;
const DT_HASH: i64 = 4;
const DT_STRTAB: i64 = 5;
const DT_SYMTAB: i64 = 6;
const STT_FUNC: u8 = 2;
const STB_GLOBAL: u8 = 1;
const STB_WEAK: u8 = 2;

#[repr(C)]
#[allow(dead_code)] // the C layout, not every field is read
struct Ehdr {
    e_ident: [u8; 16],
    e_type: u16,
    e_machine: u16,
    e_version: u32,
    e_entry: u64,
    e_phoff: u64,
    e_shoff: u64,
    e_flags: u32,
    e_ehsize: u16,
    e_phentsize: u16,
    e_phnum: u16,
    e_shentsize: u16,
    e_shnum: u16,
    e_shstrndx: u16,
}

#[repr(C)]
#[allow(dead_code)] // the C layout, not every field is read
struct Phdr {
    p_type: u32,
    p_flags: u32,
    p_offset: u64,
    p_vaddr: u64,
    p_paddr: u64,
    p_filesz: u64,
    p_memsz: u64,
    p_align: u64,
}

#[repr(C)]
#[allow(dead_code)] // the C layout, not every field is read
struct Dyn {
    d_tag: i64,
    d_val: u64,
}

#[repr(C)]
#[allow(dead_code)] // the C layout, not every field is read
struct Sym {
    st_name: u32,
    st_info: u8,
    st_other: u8,
    st_shndx: u16,
    st_value: u64,
    st_size: u64,
}

/// The address of the defined function symbol `name` in the ELF image at `base`.
///
/// # Safety
/// `base` must be the start of a mapped, well-formed ELF image (the kernel's vDSO); the
/// header checks below guard against a different object, not against unmapped memory.
unsafe fn find_symbol(base: usize, name: &CStr) -> Option<usize> {
    // SAFETY: every pointer below is derived from the vDSO's own headers and stays inside the
    // image the kernel mapped, which is readable and never unmapped (the caller's contract).
    unsafe {
        let eh = &*(base as *const Ehdr);
        if eh.e_ident[..4] != *b"\x7fELF" || eh.e_ident[4] != 2 /* ELFCLASS64 */ {
            return None;
        }
        if usize::from(eh.e_phentsize) != core::mem::size_of::<Phdr>() {
            return None;
        }
        let phdrs = core::slice::from_raw_parts(
            (base + eh.e_phoff as usize) as *const Phdr,
            usize::from(eh.e_phnum),
        );
        // The vDSO is prelinked at some virtual address; `bias` maps it to where it lies.
        let load = phdrs.iter().find(|p| p.p_type == PT_LOAD)?;
        let bias = base.wrapping_add(load.p_offset as usize).wrapping_sub(load.p_vaddr as usize);
        let dynamic = phdrs.iter().find(|p| p.p_type == PT_DYNAMIC)?;
        let mut dyn_ptr = (base + dynamic.p_offset as usize) as *const Dyn;

        let (mut strtab, mut symtab, mut hash) = (0usize, 0usize, 0usize);
        loop {
            let d = &*dyn_ptr;
            match d.d_tag {
                DT_NULL => break,
                DT_STRTAB => strtab = bias.wrapping_add(d.d_val as usize),
                DT_SYMTAB => symtab = bias.wrapping_add(d.d_val as usize),
                DT_HASH => hash = bias.wrapping_add(d.d_val as usize),
                _ => {}
            }
            dyn_ptr = dyn_ptr.add(1);
        }
        if strtab == 0 || symtab == 0 || hash == 0 {
            return None;
        }
        // DT_HASH: nbucket, nchain, ...; nchain is the number of symbols.
        let nchain = *(hash as *const u32).add(1) as usize;
        let syms = core::slice::from_raw_parts(symtab as *const Sym, nchain);
        syms.iter()
            .filter(|s| s.st_info & 0xf == STT_FUNC)
            .filter(|s| matches!(s.st_info >> 4, STB_GLOBAL | STB_WEAK))
            .filter(|s| s.st_shndx != 0 /* SHN_UNDEF */)
            .find(|s| CStr::from_ptr((strtab + s.st_name as usize) as *const c_char) == name)
            .map(|s| bias.wrapping_add(s.st_value as usize))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn clock_gettime_is_found_when_the_kernel_maps_a_vdso() {
        // SAFETY: getauxval only reads the aux vector.
        let base = unsafe { ::libc::getauxval(::libc::AT_SYSINFO_EHDR) };
        let found = super::clock_gettime();
        // Every x86_64 and arm64 kernel that maps a vDSO exports clock_gettime from it.
        assert_eq!(found.is_some(), base != 0);
        if let Some(f) = found {
            let mut ts = ::libc::timespec { tv_sec: -1, tv_nsec: -1 };
            // SAFETY: the vDSO function with a writable timespec.
            assert_eq!(unsafe { f(::libc::CLOCK_MONOTONIC, &mut ts) }, 0);
            assert!(ts.tv_sec >= 0 && (0..1_000_000_000).contains(&ts.tv_nsec));
            // An unknown clock comes back as -EINVAL (the vDSO's own system call fallback).
            // SAFETY: as above.
            assert_eq!(unsafe { f(12345, &mut ts) }, -::libc::EINVAL);
        }
    }
}
