//! Paths to NUL-terminated C strings: a stack buffer for short paths, the heap for long ones.

use std::ffi::{CStr, CString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use bsd_sys::{Errno, Result};

/// Paths shorter than this (in bytes, without the NUL) are converted on the stack.
const STACK_LEN: usize = 384;

/// Calls `f` with `path` as a C string.
///
/// A path containing a NUL byte cannot be named to the kernel: it gives `Errno::INVAL` before any
/// system call (and without allocating).
#[inline]
pub(crate) fn with_c_path<T>(path: &Path, f: impl FnOnce(&CStr) -> Result<T>) -> Result<T> {
    let bytes = path.as_os_str().as_bytes();
    if bytes.len() < STACK_LEN {
        let mut buf = [0u8; STACK_LEN];
        buf[..bytes.len()].copy_from_slice(bytes);
        // `buf[bytes.len()]` is the terminating NUL; an earlier NUL is an interior one.
        let c_path = CStr::from_bytes_with_nul(&buf[..=bytes.len()]).map_err(|_| Errno::INVAL)?;
        f(c_path)
    } else {
        if bytes.contains(&0) {
            return Err(Errno::INVAL);
        }
        let c_path = CString::new(bytes).map_err(|_| Errno::INVAL)?;
        f(&c_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(bytes: &[u8]) -> Result<Vec<u8>> {
        let path = Path::new(std::ffi::OsStr::from_bytes(bytes));
        with_c_path(path, |c| Ok(c.to_bytes().to_vec()))
    }

    #[test]
    fn short_and_long_paths_convert() {
        assert_eq!(roundtrip(b"/tmp/x").unwrap(), b"/tmp/x");
        assert_eq!(roundtrip(b"").unwrap(), b"");
        for len in [STACK_LEN - 1, STACK_LEN, STACK_LEN + 1, 5000] {
            let long = vec![b'a'; len];
            assert_eq!(roundtrip(&long).unwrap(), long);
        }
    }

    #[test]
    fn interior_nul_is_einval() {
        assert_eq!(roundtrip(b"a\0b"), Err(Errno::INVAL));
        assert_eq!(roundtrip(b"\0"), Err(Errno::INVAL));
        let mut long = vec![b'a'; STACK_LEN * 2];
        long[STACK_LEN] = 0;
        assert_eq!(roundtrip(&long), Err(Errno::INVAL));
        let mut edge = vec![b'a'; STACK_LEN - 1];
        edge[STACK_LEN - 2] = 0;
        assert_eq!(roundtrip(&edge), Err(Errno::INVAL));
    }
}
