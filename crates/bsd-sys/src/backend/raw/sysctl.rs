//! DragonFly's `__sysctl` (syscall 202) for integer values, shared by the concerns that read one.

use core::ffi::c_int;

use super::arch::syscall6;
use super::nr;
use crate::{Errno, Result};

/// Reads the `int` at `mib`: `__sysctl(name, namelen, old, oldlenp, NULL, 0)`
/// (DragonFly `sys/kern/kern_sysctl.c`); `Errno::INVAL` if the kernel returns another size.
pub(crate) fn sysctl_int(mib: &[c_int]) -> Result<c_int> {
    let mut value: c_int = 0;
    let mut len = core::mem::size_of::<c_int>();
    // SAFETY: `mib` holds `mib.len()` names, `value`/`len` are a writable int and its size; no
    // new value is set (null, 0).
    unsafe {
        syscall6(
            nr::SYSCTL,
            mib.as_ptr() as usize,
            mib.len(),
            &mut value as *mut c_int as usize,
            &mut len as *mut usize as usize,
            0,
            0,
        )
    }?;
    if len != core::mem::size_of::<c_int>() {
        return Err(Errno::INVAL);
    }
    Ok(value)
}
