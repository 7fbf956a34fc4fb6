//! DragonFly's `__sysctl` (syscall 202): reads, writes and the `{0, 3}` name lookup, shared by
//! the concerns that read a value (page size, CPU count).

use core::ffi::{c_int, CStr};

use super::arch::syscall6;
use super::nr;
use crate::{Errno, Result};

/// `__sysctl(name, namelen, old, oldlenp, new, newlen)` (DragonFly `sys/kern/kern_sysctl.c`
/// `sys___sysctl` at `59b728a7`); returns the length the kernel reported.
pub(crate) fn sysctl(mib: &[c_int], old: Option<&mut [u8]>, new: Option<&[u8]>) -> Result<usize> {
    let (old_ptr, mut old_len) = match old {
        Some(b) => (b.as_mut_ptr() as usize, b.len()),
        None => (0, 0),
    };
    let old_len_ptr = if new.is_some() && old_ptr == 0 { 0 } else { &mut old_len as *mut usize as usize };
    let (new_ptr, new_len) = match new {
        Some(b) => (b.as_ptr() as usize, b.len()),
        None => (0, 0),
    };
    // SAFETY: `mib` holds `mib.len()` (<= CTL_MAXNAME) ints; `old_ptr` is 0 or writable for
    // `old_len` bytes; `new_ptr` is 0 or readable for `new_len` bytes; all outlive the call.
    unsafe { syscall6(nr::SYSCTL, mib.as_ptr() as usize, mib.len(), old_ptr, old_len_ptr, new_ptr, new_len) }?;
    Ok(old_len)
}

/// Reads an `int` value; `Errno::INVAL` if the kernel answers with another size.
pub(crate) fn sysctl_int(mib: &[c_int]) -> Result<c_int> {
    let mut value = [0u8; core::mem::size_of::<c_int>()];
    let len = sysctl(mib, Some(&mut value), None)?;
    if len != value.len() {
        return Err(Errno::INVAL);
    }
    Ok(c_int::from_ne_bytes(value))
}

/// The kernel's `sysctl.name2oid`: MIB `{0, 3}`, the name as the new value (no NUL needed),
/// the MIB's ints as the old value (`sysctl_sysctl_name2oid`, same file).
pub(crate) fn name_to_mib(name: &CStr, mib: &mut [c_int; crate::sysctl::CTL_MAXNAME]) -> Result<usize> {
    let name2oid: [c_int; 2] = [0, 3];
    let mut bytes = [0u8; crate::sysctl::CTL_MAXNAME * core::mem::size_of::<c_int>()];
    let len = sysctl(&name2oid, Some(&mut bytes), Some(name.to_bytes()))?;
    if len % core::mem::size_of::<c_int>() != 0 || len > bytes.len() {
        return Err(Errno::INVAL);
    }
    let n = len / core::mem::size_of::<c_int>();
    for (slot, chunk) in mib.iter_mut().zip(bytes[..len].chunks_exact(core::mem::size_of::<c_int>())) {
        *slot = c_int::from_ne_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    Ok(n)
}
