//! Process calls through libc.

use core::ffi::c_int;
#[cfg(not(target_os = "linux"))]
use core::ffi::CStr;

#[cfg(not(target_os = "linux"))]
use crate::ThreadId;
use crate::{Errno, Result};

cfg_if::cfg_if! {
    if #[cfg(target_os = "linux")] {
        pub(crate) fn issetugid() -> bool {
            matches!(aux_value(crate::process::AT_SECURE), Ok(v) if v != 0)
        }

        pub(crate) fn aux_value(key: c_int) -> Result<usize> {
            if key < 0 {
                return Err(Errno::INVAL);
            }
            // getauxval returns 0 both for "absent" (setting ENOENT) and for a real 0
            // (AT_SECURE), so errno is cleared first.
            // SAFETY: the errno location is the calling thread's; getauxval has no
            // preconditions.
            let value = unsafe {
                *::libc::__errno_location() = 0;
                ::libc::getauxval(key as ::libc::c_ulong)
            };
            if value == 0 && super::last_errno() == Errno::NOENT {
                return Err(Errno::NOENT);
            }
            Ok(value as usize)
        }
    } else {
        pub(crate) fn issetugid() -> bool {
            // SAFETY: issetugid(2) takes no arguments and cannot fail.
            unsafe { ::libc::issetugid() != 0 }
        }
    }
}

#[cfg(target_os = "openbsd")]
extern "C" {
    /// `int setthrname(pid_t tid, const char *name)`: OpenBSD 7.3+ `<unistd.h>`; returns an
    /// error number. Not bound by the libc crate.
    fn setthrname(tid: ::libc::pid_t, name: *const ::libc::c_char) -> c_int;
}

#[cfg(target_os = "dragonfly")]
extern "C" {
    /// `int lwp_setname(lwpid_t tid, const char *name)`: DragonFly libc (`lib/libc/sys/Symbol.map`),
    /// lwp_setname(2). Not bound by the libc crate.
    fn lwp_setname(tid: ::libc::lwpid_t, name: *const ::libc::c_char) -> c_int;
}

cfg_if::cfg_if! {
    if #[cfg(target_os = "openbsd")] {
        pub(crate) fn aux_value(key: c_int) -> Result<usize> {
            // elf_aux_info wants the exact size: an int for AT_PAGESZ, an unsigned long else.
            if key == crate::process::AT_PAGESZ {
                let mut v: c_int = 0;
                // SAFETY: `v` is writable for the size passed.
                let r = unsafe {
                    ::libc::elf_aux_info(key, (&mut v as *mut c_int).cast(), core::mem::size_of::<c_int>() as c_int)
                };
                if r != 0 { return Err(Errno::from_raw(r)); }
                Ok(v as usize)
            } else {
                let mut v: ::libc::c_ulong = 0;
                // SAFETY: `v` is writable for the size passed.
                let r = unsafe {
                    ::libc::elf_aux_info(key, (&mut v as *mut ::libc::c_ulong).cast(), core::mem::size_of::<::libc::c_ulong>() as c_int)
                };
                if r != 0 { return Err(Errno::from_raw(r)); }
                Ok(v as usize)
            }
        }

        pub(crate) fn set_thread_name(tid: ThreadId, name: &CStr) -> Result<()> {
            // SAFETY: `name` is NUL-terminated and outlives the call.
            match unsafe { setthrname(tid.raw(), name.as_ptr()) } {
                0 => Ok(()),
                -1 => Err(super::last_errno()),
                e => Err(Errno::from_raw(e)),
            }
        }
    } else if #[cfg(target_os = "dragonfly")] {
        pub(crate) fn aux_value(_key: c_int) -> Result<usize> {
            Err(Errno::NOSYS)
        }

        pub(crate) fn set_thread_name(tid: ThreadId, name: &CStr) -> Result<()> {
            // SAFETY: `name` is NUL-terminated and outlives the call.
            super::check(unsafe { lwp_setname(tid.raw(), name.as_ptr()) }).map(drop)
        }
    }
}

pub(crate) fn exit_now(code: c_int) -> ! {
    // SAFETY: _exit(2) has no preconditions and never returns.
    unsafe { ::libc::_exit(code) }
}
