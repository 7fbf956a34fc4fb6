//! `Plain`: types a sysctl value's bytes can be copied into.

/// A type for which every bit pattern of its size is a valid value, so a sysctl's bytes can be
/// copied into it: integers, arrays of them, and `#[repr(C)]` structs of them.
///
/// # Safety
/// Every `size_of::<Self>()`-byte pattern must be a valid `Self`: no `bool`, `char`, enum,
/// reference, pointer-with-invariant or `NonZero` field anywhere inside. Padding is fine.
///
/// # Examples
/// ```
/// use bsd_proc::sysctl::Plain;
///
/// /// OpenBSD's `struct clockinfo` for `kern.clockrate` (`sys/sys/time.h` rev 1.67; DragonFly's
/// /// has a fifth field, `tickadj`, after `tick`, so the size check tells them apart).
/// #[repr(C)]
/// #[derive(Clone, Copy, Debug)]
/// struct ClockInfo { hz: i32, tick: i32, stathz: i32, profhz: i32 }
///
/// // SAFETY: four `i32`s; every bit pattern is a valid value.
/// unsafe impl Plain for ClockInfo {}
/// ```
pub unsafe trait Plain: Copy + 'static {}

macro_rules! plain {
    ($($t:ty),*) => { $(
        // SAFETY: every bit pattern is a valid integer.
        unsafe impl Plain for $t {}
    )* };
}
plain!(u8, i8, u16, i16, u32, i32, u64, i64, u128, i128, usize, isize);

// SAFETY: an array of `Plain` values is `Plain`.
unsafe impl<T: Plain, const N: usize> Plain for [T; N] {}

// SAFETY: `timeval` is two integers (`time_t`, `suseconds_t`) on every supported target.
unsafe impl Plain for bsd_sys::libc::timeval {}

// SAFETY: `timespec` is two integers (`time_t`, `long`, plus padding on some 32-bit targets)
// on every supported target. DragonFly's `kern.boottime` is one (`sys/kern/kern_clock.c`).
unsafe impl Plain for bsd_sys::libc::timespec {}

/// Copies `bytes` (exactly `size_of::<T>()` long) into a `T`.
pub(super) fn from_bytes<T: Plain>(bytes: &[u8]) -> T {
    assert_eq!(bytes.len(), core::mem::size_of::<T>());
    // SAFETY: `bytes` holds `size_of::<T>()` initialised bytes (asserted); `T: Plain` makes
    // every such pattern a valid `T`; `read_unaligned` has no alignment requirement.
    unsafe { core::ptr::read_unaligned(bytes.as_ptr().cast::<T>()) }
}
