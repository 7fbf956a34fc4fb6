//! sysctl through libc (OpenBSD, and DragonFly's libc backend).

#[cfg(target_os = "dragonfly")]
use core::ffi::CStr;
use core::ffi::{c_int, c_void};

use super::check;
use crate::{Errno, Result};

/// `sysctl(mib, old, oldlen, new, newlen)`: reads into `old` (or only sizes with `None`) and/or
/// writes `new`; returns the length the kernel reported.
pub(crate) fn sysctl(mib: &[c_int], old: Option<&mut [u8]>, new: Option<&[u8]>) -> Result<usize> {
    let (old_ptr, mut old_len) = match old {
        Some(b) => (b.as_mut_ptr() as *mut c_void, b.len()),
        None => (core::ptr::null_mut(), 0),
    };
    let old_len_ptr = if new.is_some() && old_ptr.is_null() {
        core::ptr::null_mut()
    } else {
        &mut old_len as *mut usize
    };
    let (new_ptr, new_len) = match new {
        Some(b) => (b.as_ptr() as *mut c_void, b.len()),
        None => (core::ptr::null_mut(), 0),
    };
    // SAFETY: `mib` holds `mib.len()` (<= CTL_MAXNAME) ints; `old_ptr` is null or writable for
    // `old_len` bytes; `new_ptr` is null or readable for `new_len` bytes (the kernel only reads
    // it); all outlive the call.
    let ret = unsafe {
        ::libc::sysctl(
            mib.as_ptr(),
            mib.len() as ::libc::c_uint,
            old_ptr,
            old_len_ptr,
            new_ptr,
            new_len,
        )
    };
    check(ret)?;
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

#[cfg(target_os = "dragonfly")]
pub(crate) fn name_to_mib(
    name: &CStr,
    mib: &mut [c_int; crate::sysctl::CTL_MAXNAME],
) -> Result<usize> {
    let mut len = mib.len();
    // SAFETY: `name` is NUL-terminated; `mib` is writable for `len` ints, which `len` says.
    check(unsafe { ::libc::sysctlnametomib(name.as_ptr(), mib.as_mut_ptr(), &mut len) })?;
    Ok(len)
}
