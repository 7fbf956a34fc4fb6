//! Facts about this process, and ending it.

use bsd_sys::Result;

/// Whether the process was started by a set-user-ID or set-group-ID exec (Linux: any
/// secure-mode exec, `AT_SECURE`). Code that reads the environment or user files should not
/// trust them when this is true.
///
/// # Platform
/// OpenBSD and DragonFly: `issetugid(2)`; Linux: `getauxval(AT_SECURE)`.
///
/// # References
/// - [OpenBSD issetugid(2)](https://man.openbsd.org/issetugid.2)
/// - [DragonFly issetugid(2)](https://man.dragonflybsd.org/?command=issetugid&section=2)
/// - [Linux getauxval(3)](https://man7.org/linux/man-pages/man3/getauxval.3.html)
///
/// # Examples
/// ```
/// let home = if bsd_proc::process::issetugid() {
///     None // privileged exec: the caller's environment is not to be trusted
/// } else {
///     std::env::var_os("HOME")
/// };
/// // Tests run as a plain exec, not set-user-ID.
/// assert!(!bsd_proc::process::issetugid());
/// # let _ = home;
/// ```
#[doc(alias = "AT_SECURE")]
#[must_use]
pub fn issetugid() -> bool {
    bsd_sys::process::issetugid()
}

/// A key of the auxiliary vector the kernel passes at exec (`AT_*`).
///
/// The constants are the keys every OS that has a vector answers; others can be built from
/// their number (`AuxKey(6)` is `AT_PAGESZ` on every supported OS).
///
/// # Examples
/// ```
/// use bsd_proc::process::AuxKey;
///
/// assert_eq!(AuxKey::PAGE_SIZE, AuxKey(6)); // AT_PAGESZ in every ELF ABI
/// assert_ne!(AuxKey::HWCAP, AuxKey::HWCAP2);
/// ```
///
/// # References
/// - [OpenBSD elf_aux_info(3)](https://man.openbsd.org/elf_aux_info.3)
/// - [Linux getauxval(3)](https://man7.org/linux/man-pages/man3/getauxval.3.html)
#[doc(alias = "AT_PAGESZ")]
#[doc(alias = "Elf_Auxinfo")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AuxKey(pub core::ffi::c_int);

impl AuxKey {
    /// `AT_PAGESZ`: the page size.
    pub const PAGE_SIZE: AuxKey = AuxKey(bsd_sys::process::AT_PAGESZ);
    /// `AT_HWCAP`: CPU feature bits (architecture specific).
    pub const HWCAP: AuxKey = AuxKey(bsd_sys::process::AT_HWCAP);
    /// `AT_HWCAP2`: more CPU feature bits.
    pub const HWCAP2: AuxKey = AuxKey(bsd_sys::process::AT_HWCAP2);
}

/// The value of auxiliary-vector entry `key`.
///
/// # Errors
/// `Errno::NOENT` if the vector has no such entry (OpenBSD answers only `PAGE_SIZE`,
/// `HWCAP` and `HWCAP2`; an `HWCAP` the kernel did not set is `NOENT` too); `Errno::NOSYS` on
/// DragonFly, whose libc has no interface to the vector.
///
/// # Platform
/// OpenBSD 7.6 and later: `elf_aux_info(3)`; DragonFly: none; Linux: `getauxval(3)`.
///
/// # References
/// - [OpenBSD elf_aux_info(3)](https://man.openbsd.org/elf_aux_info.3)
/// - [Linux getauxval(3)](https://man7.org/linux/man-pages/man3/getauxval.3.html)
///
/// # Examples
/// ```
/// use bsd_proc::process::{aux_value, AuxKey};
/// use bsd_proc::Errno;
///
/// match aux_value(AuxKey::PAGE_SIZE) {
///     Ok(size) => assert_eq!(size, bsd_sys::mem::page_size()?),
///     Err(e) => assert_eq!(e, Errno::NOSYS), // DragonFly: no interface to the vector
/// }
/// # Ok::<(), bsd_proc::Errno>(())
/// ```
#[doc(alias = "elf_aux_info")]
#[doc(alias = "getauxval")]
pub fn aux_value(key: AuxKey) -> Result<usize> {
    bsd_sys::process::aux_value(key.0)
}

/// Ends the process with `code` after the C library's `atexit` handlers and stdio flush.
///
/// Rust destructors of live values do not run (as with [`std::process::exit`]), and, unlike
/// `std::process::exit`, Rust's own `std::io::stdout` buffer is not flushed (std does that in
/// its runtime cleanup, `library/std/src/rt.rs`): flush it first, or end what was printed with a
/// newline (Rust's stdout writes out each whole line).
///
/// # References
/// - [OpenBSD exit(3)](https://man.openbsd.org/exit.3)
/// - [DragonFly exit(3)](https://man.dragonflybsd.org/?command=exit&section=3)
/// - [Linux exit(3)](https://man7.org/linux/man-pages/man3/exit.3.html)
///
/// # Examples
/// This doctest passes because its process ends with status 0; the code after `exit` never
/// runs.
/// ```
/// use std::io::Write;
///
/// print!("partial line");
/// std::io::stdout().flush().unwrap(); // Rust's buffer: `exit` would not write it out
/// bsd_proc::process::exit(0);
/// #[allow(unreachable_code)]
/// {
///     panic!("exit returned");
/// }
/// ```
pub fn exit(code: i32) -> ! {
    bsd_sys::process::exit(code)
}

/// Ends the process at once with `code`: no `atexit` handlers, no stdio flush, every thread
/// stopped. Async-signal-safe: the way out of a child after `fork` or from a signal handler.
///
/// # Platform
/// OpenBSD: `_exit(2)`. DragonFly raw backend: the `exit` system call (which ends every LWP);
/// Linux raw backend: `exit_group`; libc backends: `_exit`.
///
/// # References
/// - [OpenBSD _exit(2)](https://man.openbsd.org/_exit.2)
/// - [DragonFly _exit(2)](https://man.dragonflybsd.org/?command=_exit&section=2)
/// - [Linux _exit(2)](https://man7.org/linux/man-pages/man2/_exit.2.html)
///
/// # Examples
/// The usual place: a child after `fork`, which must not run the parent's `atexit` handlers
/// or flush its copy of the parent's buffers. Here it ends this doctest's own process with
/// status 0, which is how the doctest passes.
/// ```
/// bsd_proc::process::exit_now(0);
/// #[allow(unreachable_code)]
/// {
///     panic!("exit_now returned");
/// }
/// ```
#[doc(alias = "_exit")]
#[doc(alias = "exit_group")]
pub fn exit_now(code: i32) -> ! {
    bsd_sys::process::_exit(code)
}
