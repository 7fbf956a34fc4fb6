//! The kernel's sysctl (OpenBSD, DragonFly), through `bsd_sys::sysctl`.

use core::ffi::c_int;

use bsd_sys::Errno;

use super::{names, SysctlError, CTL_MAXNAME};

/// Nothing beyond the MIB is needed to reach a value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct Source;

pub(super) fn is_text(_: &Source) -> bool {
    false
}

/// The dotted name of `mib`: OpenBSD from the table; DragonFly numbers differ from OpenBSD's
/// past the classic entries, so its MIBs are shown as numbers.
pub(super) fn label_of(mib: &[c_int]) -> Option<String> {
    if cfg!(target_os = "openbsd") {
        names::name_of(mib)
    } else {
        None
    }
}

pub(super) fn from_mib(_mib: &[c_int], _label: &str) -> Result<Source, SysctlError> {
    Ok(Source)
}

pub(super) fn read(mib: &[c_int], _: &Source, buf: Option<&mut [u8]>) -> Result<usize, Errno> {
    bsd_sys::sysctl::sysctl_read(mib, buf)
}

pub(super) fn write(mib: &[c_int], _: &Source, bytes: &[u8]) -> Result<(), Errno> {
    bsd_sys::sysctl::sysctl_write(mib, bytes)
}

fn unknown(name: &str, parts: &[&str], index: usize) -> SysctlError {
    SysctlError::UnknownName {
        name: name.to_owned(),
        component: parts[index].to_owned(),
    }
}

/// OpenBSD: this crate's table (the kernel has no lookup).
#[cfg(target_os = "openbsd")]
pub(super) fn from_name(name: &str, parts: &[&str]) -> Result<(Vec<c_int>, Source), SysctlError> {
    let mut mib = [0; CTL_MAXNAME];
    match names::lookup(parts.iter().copied(), &mut mib) {
        Ok((len, _)) => Ok((mib[..len].to_vec(), Source)),
        Err(names::LookupError::Unknown(i)) | Err(names::LookupError::PastLeaf(i)) => {
            Err(unknown(name, parts, i))
        }
    }
}

/// DragonFly: the kernel's `sysctl.name2oid`. On `ENOENT` the prefixes are tried to find the
/// first unknown component (only on that error path).
#[cfg(target_os = "dragonfly")]
pub(super) fn from_name(name: &str, parts: &[&str]) -> Result<(Vec<c_int>, Source), SysctlError> {
    let resolve = |n: &str| -> Result<Vec<c_int>, Errno> {
        let c = std::ffi::CString::new(n).map_err(|_| Errno::INVAL)?;
        let mut mib = [0; CTL_MAXNAME];
        let len = bsd_sys::sysctl::sysctl_name_to_mib(&c, &mut mib)?;
        Ok(mib[..len].to_vec())
    };
    match resolve(name) {
        Ok(mib) => Ok((mib, Source)),
        Err(Errno::NOENT) => {
            let mut prefix = String::new();
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    prefix.push('.');
                }
                prefix.push_str(part);
                if resolve(&prefix).is_err() {
                    return Err(unknown(name, parts, i));
                }
            }
            Err(unknown(name, parts, parts.len() - 1))
        }
        Err(errno) => Err(SysctlError::Os {
            name: name.to_owned(),
            errno,
        }),
    }
}
