//! Random bytes as a direct system call (`getrandom`: DragonFly 550, Linux per `nr`).

use super::arch::syscall3;
use super::nr;
use crate::Result;

/// `buf` is non-empty and at most `GETRANDOM_MAX` long.
pub(crate) fn getrandom(buf: &mut [u8]) -> Result<usize> {
    // SAFETY: getrandom(buf, len, 0) writes at most `len` bytes into `buf`, which is writable.
    unsafe { syscall3(nr::GETRANDOM, buf.as_mut_ptr() as usize, buf.len(), 0) }
}
