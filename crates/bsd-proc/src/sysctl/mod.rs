//! sysctl: kernel state by MIB or by dotted name, typed.
//!
//! A [`Sysctl`] is a resolved name: build it once with [`Sysctl::from_name`] (or
//! [`Sysctl::new`] from a MIB) and read it as often as needed; resolving is the costly part on
//! DragonFly (one extra system call) and OpenBSD (a table walk).
//!
//! # Platform
//! - OpenBSD: `sysctl(2)` through libc. The kernel has no name lookup, so names resolve
//!   through this crate's copy of OpenBSD's `CTL_NAMES` tables (top level, `kern`,
//!   `kern.timecounter`, `hw`, `vm`; see the `names` module source). Deeper or other names:
//!   give numeric components (`"kern.proc_cwd.4321"`) or the MIB.
//! - DragonFly: `__sysctl` (raw backend) or libc `sysctl(3)`; names resolve in the kernel
//!   (`sysctl.name2oid`, MIB `{0, 3}`), so every name the running kernel has works.
//! - Linux (the test host; no sysctl(2) since 5.5): names map onto `/proc/sys` (`kern.` →
//!   `kernel/`, dots → slashes, `vm.`/`net.`/`fs.`/`debug.`/`dev.` as is), whose values are text;
//!   `hw.pagesize` (the aux vector's `AT_PAGESZ`), `hw.ncpu` (CPUs in the affinity mask) and
//!   `hw.byteorder` are answered as native `int`s like on the BSDs. MIBs use OpenBSD's numbers
//!   and must be in the table. Anything else is [`SysctlError::NotOnHost`].
//!
//! # References
//! - [OpenBSD sysctl(2)](https://man.openbsd.org/sysctl.2)
//! - [DragonFly sysctl(3)](https://man.dragonflybsd.org/?command=sysctl&section=3)
//! - [Linux proc_sys(5)](https://man7.org/linux/man-pages/man5/proc_sys.5.html)

use core::ffi::c_int;

mod error;
// DragonFly resolves names in its kernel; the OpenBSD table serves OpenBSD, the Linux host and
// the tests.
#[cfg_attr(target_os = "dragonfly", allow(dead_code))]
mod names;
mod plain;

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
#[path = "bsd.rs"]
mod sys;
#[cfg(target_os = "linux")]
#[path = "linux.rs"]
mod sys;

pub use error::SysctlError;
pub use plain::Plain;

/// The most components a MIB may have (12, `CTL_MAXNAME` on OpenBSD and DragonFly).
pub const CTL_MAXNAME: usize = 12;

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
const _: () = assert!(CTL_MAXNAME == bsd_sys::sysctl::CTL_MAXNAME);

/// Attempts at reading a value whose size keeps growing between the size query and the read.
const GROW_ATTEMPTS: usize = 8;

/// A resolved sysctl: its MIB and, where known, its name.
///
/// Two `Sysctl`s are equal when they have the same MIB, name and (on Linux) source.
///
/// # Examples
/// ```
/// use bsd_proc::sysctl::Sysctl;
///
/// let ostype = Sysctl::from_name("kern.ostype")?.read_string()?;
/// assert!(!ostype.is_empty()); // "OpenBSD", "DragonFly", "Linux"
/// let page = Sysctl::from_name("hw.pagesize")?;
/// assert!(page.read_int()? >= 4096);
/// # Ok::<(), bsd_proc::sysctl::SysctlError>(())
/// ```
///
/// # References
/// - [OpenBSD sysctl(2)](https://man.openbsd.org/sysctl.2)
/// - [DragonFly sysctl(3)](https://man.dragonflybsd.org/?command=sysctl&section=3)
/// - [Linux proc_sys(5)](https://man7.org/linux/man-pages/man5/proc_sys.5.html)
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[doc(alias = "sysctl")]
#[doc(alias = "sysctlbyname")]
#[doc(alias = "sysctlnametomib")]
pub struct Sysctl {
    ids: [c_int; CTL_MAXNAME],
    len: u8,
    label: Box<str>,
    source: sys::Source,
}

fn dotted(mib: &[c_int]) -> String {
    let parts: Vec<String> = mib.iter().map(|c| c.to_string()).collect();
    parts.join(".")
}

/// Splits a dotted name, rejecting empty components, path characters and over-long names.
fn split_name(name: &str) -> Result<Vec<&str>, SysctlError> {
    let parts: Vec<&str> = name.split('.').collect();
    let bad = name.is_empty()
        || parts.len() > CTL_MAXNAME
        || parts
            .iter()
            .any(|p| p.is_empty() || p.contains(['/', '\0']));
    if bad {
        return Err(SysctlError::InvalidName {
            name: name.to_owned(),
        });
    }
    Ok(parts)
}

impl Sysctl {
    /// The sysctl at `mib`.
    ///
    /// # Errors
    /// [`SysctlError::InvalidMib`] for an empty MIB or one longer than [`CTL_MAXNAME`]. On
    /// Linux, [`SysctlError::NotOnHost`] unless `mib` names an entry of the OpenBSD table that
    /// the host has. Whether the kernel knows the MIB shows at the first read.
    ///
    /// # Examples
    /// ```
    /// // {CTL_HW, HW_PAGESIZE}: 6.7 on OpenBSD, DragonFly and the Linux emulation.
    /// let page = bsd_proc::sysctl::Sysctl::new(&[6, 7])?;
    /// assert!(page.read_int()? >= 4096);
    /// # Ok::<(), bsd_proc::sysctl::SysctlError>(())
    /// ```
    pub fn new(mib: &[c_int]) -> Result<Sysctl, SysctlError> {
        if mib.is_empty() || mib.len() > CTL_MAXNAME {
            return Err(SysctlError::InvalidMib { len: mib.len() });
        }
        let label = sys::label_of(mib).unwrap_or_else(|| dotted(mib));
        let source = sys::from_mib(mib, &label)?;
        let mut ids = [0; CTL_MAXNAME];
        ids[..mib.len()].copy_from_slice(mib);
        Ok(Sysctl {
            ids,
            len: mib.len() as u8,
            label: label.into(),
            source,
        })
    }

    /// Resolves the dotted `name` (`"hw.pagesize"`).
    ///
    /// # Errors
    /// [`SysctlError::UnknownName`] naming the first component that does not resolve;
    /// [`SysctlError::InvalidName`] for an empty name or component, a `/` or NUL, or more than
    /// [`CTL_MAXNAME`] components; [`SysctlError::NotOnHost`] on Linux (see the module docs).
    ///
    /// # Examples
    /// ```
    /// use bsd_proc::sysctl::{Sysctl, SysctlError};
    ///
    /// let release = Sysctl::from_name("kern.osrelease")?;
    /// assert_eq!(release.mib(), &[1, 2]);
    /// assert!(matches!(Sysctl::from_name("kern..x"), Err(SysctlError::InvalidName { .. })));
    /// # Ok::<(), SysctlError>(())
    /// ```
    pub fn from_name(name: &str) -> Result<Sysctl, SysctlError> {
        let parts = split_name(name)?;
        let (mib, source) = sys::from_name(name, &parts)?;
        let mut ids = [0; CTL_MAXNAME];
        ids[..mib.len()].copy_from_slice(&mib);
        Ok(Sysctl {
            ids,
            len: mib.len() as u8,
            label: name.into(),
            source,
        })
    }

    /// The MIB. On Linux it is empty for a `/proc/sys` name outside the OpenBSD table.
    ///
    /// # Examples
    /// ```
    /// use bsd_proc::sysctl::Sysctl;
    ///
    /// // {CTL_HW, HW_PAGESIZE} (`sys/sys/sysctl.h` on OpenBSD and DragonFly).
    /// assert_eq!(Sysctl::from_name("hw.pagesize")?.mib(), &[6, 7]);
    /// # Ok::<(), bsd_proc::sysctl::SysctlError>(())
    /// ```
    pub fn mib(&self) -> &[c_int] {
        &self.ids[..self.len as usize]
    }

    /// The name, or the MIB written `1.2.3` when no name is known (on DragonFly for every
    /// `Sysctl` made by [`Sysctl::new`]; on OpenBSD and Linux for MIBs outside the table).
    ///
    /// # Examples
    /// ```
    /// use bsd_proc::sysctl::Sysctl;
    ///
    /// assert_eq!(Sysctl::from_name("kern.ostype")?.name(), "kern.ostype");
    /// let page = Sysctl::new(&[6, 7])?; // {CTL_HW, HW_PAGESIZE}
    /// let expected = if cfg!(target_os = "dragonfly") { "6.7" } else { "hw.pagesize" };
    /// assert_eq!(page.name(), expected);
    /// # Ok::<(), bsd_proc::sysctl::SysctlError>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.label
    }

    fn os_error(&self, errno: bsd_sys::Errno) -> SysctlError {
        SysctlError::Os {
            name: self.label.to_string(),
            errno,
        }
    }

    fn size_mismatch(&self, expected: usize, actual: usize) -> SysctlError {
        SysctlError::SizeMismatch {
            name: self.label.to_string(),
            expected,
            actual,
        }
    }

    /// Reads the value into `buf` without allocating; returns its length.
    ///
    /// # Errors
    /// [`SysctlError::SizeMismatch`] (with the value's real size) when `buf` is too short;
    /// [`SysctlError::Os`] with the kernel's error otherwise.
    ///
    /// # Examples
    /// ```
    /// let ostype = bsd_proc::sysctl::Sysctl::from_name("kern.ostype")?;
    /// let mut buf = [0u8; 64];
    /// let n = ostype.read_into(&mut buf)?;
    /// assert!(n > 0);
    /// # Ok::<(), bsd_proc::sysctl::SysctlError>(())
    /// ```
    pub fn read_into(&self, buf: &mut [u8]) -> Result<usize, SysctlError> {
        match sys::read(self.mib(), &self.source, Some(buf)) {
            Ok(n) => Ok(n),
            Err(bsd_sys::Errno::NOMEM) => {
                let actual =
                    sys::read(self.mib(), &self.source, None).map_err(|e| self.os_error(e))?;
                Err(self.size_mismatch(buf.len(), actual))
            }
            Err(e) => Err(self.os_error(e)),
        }
    }

    /// Reads the value's bytes, growing the buffer while the kernel reports a larger size.
    ///
    /// On Linux a `/proc/sys` value is its text without the final newline.
    ///
    /// # Examples
    /// ```
    /// let version = bsd_proc::sysctl::Sysctl::from_name("kern.version")?.read_bytes()?;
    /// assert!(!version.is_empty());
    /// # Ok::<(), bsd_proc::sysctl::SysctlError>(())
    /// ```
    pub fn read_bytes(&self) -> Result<Vec<u8>, SysctlError> {
        for _ in 0..GROW_ATTEMPTS {
            let size = sys::read(self.mib(), &self.source, None).map_err(|e| self.os_error(e))?;
            // Room for growth between the two calls (process tables, file lists).
            let mut buf = vec![0u8; size + size / 8 + 64];
            match sys::read(self.mib(), &self.source, Some(&mut buf)) {
                Ok(n) => {
                    buf.truncate(n);
                    return Ok(buf);
                }
                Err(bsd_sys::Errno::NOMEM) => continue,
                Err(e) => return Err(self.os_error(e)),
            }
        }
        Err(self.os_error(bsd_sys::Errno::NOMEM))
    }

    /// Reads a string value (the kernel's trailing NUL removed).
    ///
    /// # Errors
    /// [`SysctlError::NotUtf8`] for bytes that are not UTF-8, and those of
    /// [`read_bytes`](Sysctl::read_bytes).
    ///
    /// # Examples
    /// ```
    /// let release = bsd_proc::sysctl::Sysctl::from_name("kern.osrelease")?.read_string()?;
    /// assert!(release.starts_with(|c: char| c.is_ascii_digit())); // "7.8", "6.4-RELEASE", "6.1.0"
    /// # Ok::<(), bsd_proc::sysctl::SysctlError>(())
    /// ```
    pub fn read_string(&self) -> Result<String, SysctlError> {
        let mut bytes = self.read_bytes()?;
        while bytes.last() == Some(&0) {
            bytes.pop();
        }
        String::from_utf8(bytes).map_err(|_| SysctlError::NotUtf8 {
            name: self.label.to_string(),
        })
    }

    /// Reads an `int` value (`CTLTYPE_INT`).
    ///
    /// # Errors
    /// [`SysctlError::SizeMismatch`] when the value is not 4 bytes (a string, a struct, a
    /// 64-bit value); on Linux [`SysctlError::NotANumber`] for text that is not an `i32`.
    ///
    /// # Examples
    /// ```
    /// let ncpu = bsd_proc::sysctl::Sysctl::from_name("hw.ncpu")?.read_int()?;
    /// assert!(ncpu >= 1);
    /// # Ok::<(), bsd_proc::sysctl::SysctlError>(())
    /// ```
    pub fn read_int(&self) -> Result<i32, SysctlError> {
        if sys::is_text(&self.source) {
            return self.parse_text();
        }
        self.read_value::<i32>()
    }

    /// Reads a 64-bit value (`CTLTYPE_QUAD`, or a C `long` on the 64-bit targets).
    ///
    /// # Errors
    /// As [`read_int`](Sysctl::read_int), for 8 bytes.
    ///
    /// # Examples
    /// ```
    /// use bsd_proc::sysctl::{Sysctl, SysctlError};
    ///
    /// // `hw.pagesize` is an `int`: asking for 8 bytes is refused, never half-read.
    /// let err = Sysctl::from_name("hw.pagesize")?.read_i64().unwrap_err();
    /// assert!(matches!(err, SysctlError::SizeMismatch { expected: 8, actual: 4, .. }));
    /// # Ok::<(), SysctlError>(())
    /// ```
    pub fn read_i64(&self) -> Result<i64, SysctlError> {
        if sys::is_text(&self.source) {
            return self.parse_text();
        }
        self.read_value::<i64>()
    }

    fn parse_text<T: core::str::FromStr>(&self) -> Result<T, SysctlError> {
        let text = self.read_string()?;
        text.trim().parse().map_err(|_| SysctlError::NotANumber {
            name: self.label.to_string(),
            text,
        })
    }

    /// Reads a value of exactly `size_of::<T>()` bytes: an integer, or a `#[repr(C)]` struct
    /// that implements [`Plain`] (`struct clockinfo` for `kern.clockrate`; for `kern.boottime`
    /// a `struct timeval` on OpenBSD, `KERN_BOOTTIME` in `sys/kern/kern_sysctl.c` rev 1.482,
    /// but a `struct timespec` on DragonFly, `sys/kern/kern_clock.c` at 6.4, 81dd9c6184).
    ///
    /// # Errors
    /// [`SysctlError::SizeMismatch`] when the kernel's value has another size (a struct from
    /// another release, or the wrong type); [`SysctlError::Os`] otherwise.
    ///
    /// # Examples
    /// ```
    /// use bsd_proc::sysctl::{Sysctl, SysctlError};
    ///
    /// let page = Sysctl::from_name("hw.pagesize")?;
    /// assert_eq!(page.read_value::<i32>()?, page.read_int()?);
    /// assert!(matches!(page.read_value::<[u8; 16]>(), Err(SysctlError::SizeMismatch { actual: 4, .. })));
    /// # Ok::<(), SysctlError>(())
    /// ```
    pub fn read_value<T: Plain>(&self) -> Result<T, SysctlError> {
        let size = core::mem::size_of::<T>();
        // Small values (integers, most structs) need no allocation.
        let mut small = [0u8; 64];
        let mut large = Vec::new();
        let buf: &mut [u8] = if size <= small.len() {
            &mut small[..size]
        } else {
            large.resize(size, 0);
            &mut large
        };
        let n = self.read_into(buf)?;
        if n != size {
            return Err(self.size_mismatch(size, n));
        }
        Ok(plain::from_bytes(buf))
    }

    /// Writes `bytes` as the new value (on Linux: the text written to the `/proc/sys` file).
    ///
    /// # Errors
    /// [`SysctlError::Os`]: `EPERM` without privilege or for a read-only value, `EINVAL` for a
    /// value the kernel rejects.
    ///
    /// # Examples
    /// ```no_run
    /// // Needs root. On Linux this is /proc/sys/kernel/printk_ratelimit.
    /// bsd_proc::sysctl::Sysctl::from_name("kern.printk_ratelimit")?.write_int(5)?;
    /// # Ok::<(), bsd_proc::sysctl::SysctlError>(())
    /// ```
    pub fn write_bytes(&self, bytes: &[u8]) -> Result<(), SysctlError> {
        sys::write(self.mib(), &self.source, bytes).map_err(|e| self.os_error(e))
    }

    /// Writes an `int` value (on Linux, as decimal text).
    ///
    /// # Errors
    /// As [`write_bytes`](Sysctl::write_bytes).
    ///
    /// # Examples
    /// ```
    /// // A read-only value: the kernel refuses. EPERM on OpenBSD (`sys_sysctl`, rev 1.482 of
    /// // kern_sysctl.c) and DragonFly (`sysctl_root`: no CTLFLAG_WR); on Linux opening the
    /// // 0444 /proc/sys file for writing is EACCES, even for root (`proc_sys_permission`,
    /// // fs/proc/proc_sysctl.c).
    /// use bsd_proc::Errno;
    ///
    /// let err = bsd_proc::sysctl::Sysctl::from_name("kern.ostype")?.write_int(1).unwrap_err();
    /// let expected = if cfg!(target_os = "linux") { Errno::ACCES } else { Errno::PERM };
    /// assert_eq!(err.errno(), Some(expected));
    /// # Ok::<(), bsd_proc::sysctl::SysctlError>(())
    /// ```
    pub fn write_int(&self, value: i32) -> Result<(), SysctlError> {
        if sys::is_text(&self.source) {
            return self.write_bytes(format!("{value}\n").as_bytes());
        }
        self.write_bytes(&value.to_ne_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_names_are_refused_before_any_lookup() {
        for name in [
            "",
            "kern.",
            ".kern",
            "kern..ostype",
            "kern/ostype",
            "a.b.c.d.e.f.g.h.i.j.k.l.m",
        ] {
            assert_eq!(
                Sysctl::from_name(name).unwrap_err(),
                SysctlError::InvalidName {
                    name: name.to_owned()
                },
                "{name:?}"
            );
        }
    }

    #[test]
    fn bad_mib_lengths_are_refused() {
        assert_eq!(
            Sysctl::new(&[]).unwrap_err(),
            SysctlError::InvalidMib { len: 0 }
        );
        assert_eq!(
            Sysctl::new(&[1; 13]).unwrap_err(),
            SysctlError::InvalidMib { len: 13 }
        );
    }
}
