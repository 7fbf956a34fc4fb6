//! The sysctl concern: kernel state read and written by MIB (a path of integers), and
//! DragonFly's kernel name-to-MIB lookup.
//!
//! OpenBSD and DragonFly only: Linux removed sysctl(2) in 5.5, and the safe crate `bsd-proc`
//! serves the same names from `/proc/sys` there. Every function is safe: the kernel writes at
//! most `buf.len()` bytes into a buffer this crate passes with its length, and reads `new` only.
//!
//! Errors the callers meet (both kernels unless named): no such MIB is `ENOENT` on DragonFly
//! (`sysctl_find_oid`) but `EOPNOTSUPP` on OpenBSD (`sys_sysctl`'s and `sysctl_bounded_arr`'s
//! default); `ENOTDIR` (a leaf used as a node); `EISDIR` (DragonFly: a node read as a leaf,
//! `sysctl_root`); `ENOMEM` (the buffer is shorter than the value: DragonFly's
//! `sysctl_old_user` leaves a prefix of the value in it, OpenBSD's handlers such as
//! `sysctl_int_bounded` refuse before writing anything); `EPERM` (a write to a read-only value,
//! and on OpenBSD any write by a non-root caller: `sys_sysctl` checks `suser` first); `EINVAL`
//! (fewer than 2 or more than [`CTL_MAXNAME`] components, or a malformed value). Sources:
//! `sys/kern/kern_sysctl.c`, OpenBSD rev 1.482 and DragonFly 6.4 (`81dd9c6184`).

use core::ffi::c_int;
#[cfg(target_os = "dragonfly")]
use core::ffi::CStr;

use crate::backend::imp;
use crate::{Errno, Result};

/// The most components a MIB may have: 12 on both systems (`CTL_MAXNAME` in OpenBSD
/// `sys/sys/sysctl.h` rev 1.246 and DragonFly `sys/sys/sysctl.h` at master `fcc705f5`).
pub const CTL_MAXNAME: usize = 12;

fn check_mib(mib: &[c_int]) -> Result<()> {
    if mib.is_empty() || mib.len() > CTL_MAXNAME {
        Err(Errno::INVAL)
    } else {
        Ok(())
    }
}

/// Reads the value at `mib` into `buf`, or with `None` asks only for its size; returns the
/// length the kernel reported.
///
/// With a buffer, the result is the number of bytes written. `Err(Errno::NOMEM)` means the
/// buffer was too short (ask again with `None` for the size, which may have grown meanwhile).
///
/// # Platform
/// - OpenBSD: libc `sysctl(3)`.
/// - DragonFly: `__sysctl` (syscall 202) in the raw backend, libc `sysctl(3)` otherwise. On
///   `ENOMEM` DragonFly reports the buffer's own length, not the needed one
///   (`userland_sysctl` in `sys/kern/kern_sysctl.c` at `59b728a7`), so the size must be asked
///   separately.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, sysctl};
///
/// // hw.pagesize: {CTL_HW 6, HW_PAGESIZE 7} on both systems (`sys/sys/sysctl.h`).
/// let mib = [libc::CTL_HW, libc::HW_PAGESIZE];
/// assert_eq!(sysctl::sysctl_read(&mib, None)?, 4, "an int");
/// let mut buf = [0u8; 4];
/// assert_eq!(sysctl::sysctl_read(&mib, Some(&mut buf))?, 4);
/// assert_eq!(i32::from_ne_bytes(buf) as usize, bsd_sys::mem::page_size()?);
/// assert_eq!(sysctl::sysctl_read(&[], None), Err(bsd_sys::Errno::INVAL));
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sysctl(2)](https://man.openbsd.org/sysctl.2)
/// - [DragonFly sysctl(3)](https://man.dragonflybsd.org/?command=sysctl&section=3)
#[doc(alias = "sysctl")]
#[doc(alias = "__sysctl")]
#[inline]
pub fn sysctl_read(mib: &[c_int], buf: Option<&mut [u8]>) -> Result<usize> {
    check_mib(mib)?;
    imp::sysctl::sysctl(mib, buf, None)
}

/// Writes `new` as the value at `mib`.
///
/// # Platform
/// Writes need root on OpenBSD (`sys_sysctl` asks `suser` before looking at the MIB) and, for
/// most values, on DragonFly (`sysctl_root` asks `priv_check_cred` unless the node is
/// `CTLFLAG_ANYBODY`); OpenBSD refuses some writes above `kern.securelevel` 0 and DragonFly
/// those marked `CTLFLAG_SECURE` (`EPERM`). Sources: `sys/kern/kern_sysctl.c`, OpenBSD
/// rev 1.482 and DragonFly 6.4 (`81dd9c6184`).
///
/// # Examples
/// ```
/// use bsd_sys::{libc, sysctl, Errno};
///
/// // hw.pagesize is read-only: EPERM whoever asks. OpenBSD: a non-root write stops at the
/// // `suser` check of `sys_sysctl`, root's at `SYSCTL_INT_READONLY` in `hw_vars`
/// // (`sysctl_int_bounded`; `sys/kern/kern_sysctl.c` rev 1.482). DragonFly 6.4: `CTLFLAG_RD`
/// // in `sys/kern/kern_mib.c`, refused by `sysctl_root` before any privilege check
/// // (`sys/kern/kern_sysctl.c` at `81dd9c6184`).
/// let four_k = 4096i32.to_ne_bytes();
/// let mib = [libc::CTL_HW, libc::HW_PAGESIZE];
/// assert_eq!(sysctl::sysctl_write(&mib, &four_k), Err(Errno::PERM));
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [OpenBSD sysctl(2)](https://man.openbsd.org/sysctl.2)
/// - [DragonFly sysctl(3)](https://man.dragonflybsd.org/?command=sysctl&section=3)
#[doc(alias = "sysctl")]
#[inline]
pub fn sysctl_write(mib: &[c_int], new: &[u8]) -> Result<()> {
    check_mib(mib)?;
    imp::sysctl::sysctl(mib, None, Some(new)).map(drop)
}

/// Resolves a dotted name (`"hw.pagesize"`) to its MIB in `mib`; returns the number of
/// components.
///
/// `Errno::NOENT` for an unknown name, `Errno::NAMETOOLONG` for a name of `MAXPATHLEN` (1024)
/// bytes or more.
///
/// # Platform
/// DragonFly only (OpenBSD's kernel has no name lookup; `bsd-proc` carries its name table).
/// The raw backend asks the kernel's `sysctl.name2oid` node, MIB `{0, 3}`, with the name as the
/// new value and no NUL (`sysctl_sysctl_name2oid` in `sys/kern/kern_sysctl.c` at `59b728a7`);
/// the libc backend calls `sysctlnametomib(3)`, which does the same.
///
/// # Examples
/// ```
/// use bsd_sys::{libc, sysctl};
///
/// let mut mib = [0; sysctl::CTL_MAXNAME];
/// let len = sysctl::sysctl_name_to_mib(c"hw.pagesize", &mut mib)?;
/// assert_eq!(&mib[..len], &[libc::CTL_HW, libc::HW_PAGESIZE]);
/// assert_eq!(sysctl::sysctl_name_to_mib(c"no.such.name", &mut mib), Err(bsd_sys::Errno::NOENT));
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [DragonFly sysctl(3)](https://man.dragonflybsd.org/?command=sysctl&section=3)
#[doc(alias = "sysctlnametomib")]
#[doc(alias = "name2oid")]
#[cfg(target_os = "dragonfly")]
#[inline]
pub fn sysctl_name_to_mib(name: &CStr, mib: &mut [c_int; CTL_MAXNAME]) -> Result<usize> {
    imp::sysctl::name_to_mib(name, mib)
}
