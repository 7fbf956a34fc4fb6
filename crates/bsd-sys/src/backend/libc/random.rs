//! Random bytes through libc.

#[cfg(not(target_os = "openbsd"))]
use super::check_size;
use crate::Result;

/// `buf` is non-empty and at most `GETRANDOM_MAX` long.
pub(crate) fn getrandom(buf: &mut [u8]) -> Result<usize> {
    cfg_if::cfg_if! {
        if #[cfg(target_os = "openbsd")] {
            // SAFETY: `buf` is writable for its length, at most 256 bytes.
            super::check(unsafe { ::libc::getentropy(buf.as_mut_ptr().cast(), buf.len()) })?;
            Ok(buf.len())
        } else {
            // SAFETY: `buf` is writable for its length; flags 0.
            check_size(unsafe { ::libc::getrandom(buf.as_mut_ptr().cast(), buf.len(), 0) })
        }
    }
}
