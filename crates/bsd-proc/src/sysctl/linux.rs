//! The Linux host: `/proc/sys` text files, and a few `hw.*` values answered natively.

use core::ffi::c_int;
use std::io::{Read, Write};
use std::path::PathBuf;

use bsd_sys::Errno;

use super::{names, SysctlError, CTL_MAXNAME};

/// Where a value comes from on Linux.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Source {
    /// A `/proc/sys` file, holding text.
    Proc(PathBuf),
    /// `hw.pagesize`: `AT_PAGESZ` from the aux vector.
    PageSize,
    /// `hw.ncpu`: the CPUs in the affinity mask.
    NCpu,
    /// `hw.byteorder`: 1234 or 4321.
    ByteOrder,
}

pub(super) fn is_text(source: &Source) -> bool {
    matches!(source, Source::Proc(_))
}

/// The `/proc/sys` path of a BSD-style name, or a native source.
fn source_of(name: &str, parts: &[&str]) -> Result<Source, SysctlError> {
    let not_here = || SysctlError::NotOnHost {
        name: name.to_owned(),
    };
    let top = match parts[0] {
        "kern" => "kernel",
        "vm" | "net" | "fs" | "debug" | "dev" => parts[0],
        "hw" => {
            return match parts {
                ["hw", "pagesize"] => Ok(Source::PageSize),
                ["hw", "ncpu"] => Ok(Source::NCpu),
                ["hw", "byteorder"] => Ok(Source::ByteOrder),
                _ => Err(not_here()),
            }
        }
        _ => return Err(not_here()),
    };
    if parts.iter().any(|p| *p == ".." || *p == ".") {
        return Err(SysctlError::InvalidName {
            name: name.to_owned(),
        });
    }
    let mut path = PathBuf::from("/proc/sys");
    path.push(top);
    path.extend(&parts[1..]);
    if path.exists() {
        Ok(Source::Proc(path))
    } else {
        Err(not_here())
    }
}

/// The dotted name of `mib` (OpenBSD's numbering).
pub(super) fn label_of(mib: &[c_int]) -> Option<String> {
    names::name_of(mib)
}

pub(super) fn from_mib(mib: &[c_int], label: &str) -> Result<Source, SysctlError> {
    match names::name_of(mib) {
        Some(name) => {
            let parts: Vec<&str> = name.split('.').collect();
            source_of(&name, &parts)
        }
        None => Err(SysctlError::NotOnHost {
            name: label.to_owned(),
        }),
    }
}

pub(super) fn from_name(name: &str, parts: &[&str]) -> Result<(Vec<c_int>, Source), SysctlError> {
    let source = source_of(name, parts)?;
    // Number it as OpenBSD does when the table knows it.
    let mut mib = [0; CTL_MAXNAME];
    let ids = match names::lookup(parts.iter().copied(), &mut mib) {
        Ok((len, _)) => mib[..len].to_vec(),
        Err(_) => Vec::new(),
    };
    Ok((ids, source))
}

fn native(value: c_int, buf: Option<&mut [u8]>) -> Result<usize, Errno> {
    let bytes = value.to_ne_bytes();
    if let Some(buf) = buf {
        if buf.len() < bytes.len() {
            return Err(Errno::NOMEM);
        }
        buf[..bytes.len()].copy_from_slice(&bytes);
    }
    Ok(bytes.len())
}

fn io_errno(e: std::io::Error) -> Errno {
    e.raw_os_error().map_or(Errno::IO, Errno::from_raw)
}

pub(super) fn read(
    _mib: &[c_int],
    source: &Source,
    buf: Option<&mut [u8]>,
) -> Result<usize, Errno> {
    match source {
        Source::PageSize => {
            let size = bsd_sys::process::aux_value(bsd_sys::process::AT_PAGESZ)?;
            native(c_int::try_from(size).map_err(|_| Errno::RANGE)?, buf)
        }
        Source::NCpu => native(bsd_sys::thread::cpu_count()? as c_int, buf),
        Source::ByteOrder => native(
            if cfg!(target_endian = "little") {
                1234
            } else {
                4321
            },
            buf,
        ),
        Source::Proc(path) => {
            let mut text = Vec::new();
            std::fs::File::open(path)
                .and_then(|mut f| f.read_to_end(&mut text))
                .map_err(io_errno)?;
            if text.last() == Some(&b'\n') {
                text.pop();
            }
            if let Some(buf) = buf {
                if buf.len() < text.len() {
                    return Err(Errno::NOMEM);
                }
                buf[..text.len()].copy_from_slice(&text);
            }
            Ok(text.len())
        }
    }
}

pub(super) fn write(_mib: &[c_int], source: &Source, bytes: &[u8]) -> Result<(), Errno> {
    match source {
        Source::Proc(path) => std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(io_errno),
        _ => Err(Errno::PERM),
    }
}
