//! Process calls as direct system calls (Linux reads the aux vector through libc's
//! `getauxval`, a plain function: no system call exposes it).

use core::ffi::c_int;
#[cfg(target_os = "dragonfly")]
use core::ffi::CStr;

use super::arch::syscall1;
use super::nr;
#[cfg(target_os = "dragonfly")]
use crate::ThreadId;
use crate::{Errno, Result};

cfg_if::cfg_if! {
    if #[cfg(target_os = "dragonfly")] {
        pub(crate) fn issetugid() -> bool {
            // SAFETY: issetugid(2) (253) takes no arguments and cannot fail.
            matches!(unsafe { super::arch::syscall0(nr::ISSETUGID) }, Ok(v) if v != 0)
        }

        pub(crate) fn aux_value(_key: c_int) -> Result<usize> {
            Err(Errno::NOSYS)
        }

        pub(crate) fn set_thread_name(tid: ThreadId, name: &CStr) -> Result<()> {
            // SAFETY: lwp_setname(tid, name) (542): `name` is NUL-terminated and outlives the call.
            unsafe { super::arch::syscall2(nr::LWP_SETNAME, tid.raw() as isize as usize, name.as_ptr() as usize) }
                .map(drop)
        }
    } else {
        pub(crate) fn issetugid() -> bool {
            matches!(aux_value(crate::process::AT_SECURE), Ok(v) if v != 0)
        }

        pub(crate) fn aux_value(key: c_int) -> Result<usize> {
            if key < 0 {
                return Err(Errno::INVAL);
            }
            // SAFETY: the errno location is the calling thread's; getauxval has no
            // preconditions. errno is cleared first: 0 is also a real value (AT_SECURE).
            let (value, errno) = unsafe {
                *::libc::__errno_location() = 0;
                let v = ::libc::getauxval(key as ::libc::c_ulong);
                (v, *::libc::__errno_location())
            };
            if value == 0 && errno == ::libc::ENOENT {
                return Err(Errno::NOENT);
            }
            Ok(value as usize)
        }
    }
}

pub(crate) fn exit_now(code: c_int) -> ! {
    #[cfg(target_os = "dragonfly")]
    const NR: usize = nr::EXIT;
    #[cfg(target_os = "linux")]
    const NR: usize = nr::EXIT_GROUP;
    loop {
        // SAFETY: exit / exit_group end the process; they return only if the number were wrong.
        let _ = unsafe { syscall1(NR, code as isize as usize) };
    }
}
