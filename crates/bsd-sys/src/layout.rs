//! Compile-time ABI checks: every struct bsd-sys passes to the kernel has the size and field
//! offsets the OS headers give, so a `libc` change that breaks the ABI fails the (cross-)build.
//!
//! Sources: OpenBSD `sys/sys/event.h` rev 1.74, `sys/sys/signal.h` rev 1.29; DragonFly
//! `sys/sys/event.h`, `sys/sys/signal.h`; values recorded in the project's `bsd-facts.md` §3.3.
//! Structs that bsd-sys defines itself are asserted next to their definition.

use core::mem::{offset_of, size_of};

macro_rules! assert_size {
    ($t:ty, $n:expr) => {
        const _: () = assert!(size_of::<$t>() == $n, concat!("size of ", stringify!($t)));
    };
}

macro_rules! assert_offset {
    ($t:ty, $field:ident, $n:expr) => {
        const _: () = assert!(
            offset_of!($t, $field) == $n,
            concat!("offset of ", stringify!($t), ".", stringify!($field))
        );
    };
}

// `Timespec::to_raw` and the raw backend pass 64-bit seconds and nanoseconds. (The libc crate
// marks musl's `time_t` deprecated only to announce the 64-bit size asserted here.)
#[allow(deprecated)]
const _: () = assert!(size_of::<libc::time_t>() == 8);
assert_size!(libc::c_long, 8);
assert_size!(libc::timespec, 16);
assert_offset!(libc::timespec, tv_nsec, 8);
assert_size!(libc::timeval, 16);
assert_size!(libc::itimerval, 32);
assert_offset!(libc::itimerval, it_value, 16);
assert_size!(libc::stack_t, 24);
assert_size!(libc::pid_t, 4);

#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
mod bsd {
    use super::*;
    // stack_t { void *ss_sp; size_t ss_size; int ss_flags; } on both BSDs.
    assert_offset!(libc::stack_t, ss_size, 8);
    assert_offset!(libc::stack_t, ss_flags, 16);
    assert_size!(libc::kevent, 32);
    assert_offset!(libc::kevent, ident, 0);
    assert_offset!(libc::kevent, filter, 8);
    assert_offset!(libc::kevent, flags, 10);
    assert_offset!(libc::kevent, fflags, 12);
    assert_offset!(libc::kevent, data, 16);
    assert_offset!(libc::kevent, udata, 24);
}

#[cfg(target_os = "openbsd")]
mod openbsd {
    use super::*;
    // struct sigaction { handler; sigset_t sa_mask; int sa_flags; }: mask *before* flags.
    assert_size!(libc::sigaction, 16);
    assert_offset!(libc::sigaction, sa_mask, 8);
    assert_offset!(libc::sigaction, sa_flags, 12);
    assert_size!(libc::sigset_t, 4);
    assert_size!(libc::siginfo_t, 136);
    const _: () = assert!(libc::SIGSTKSZ == 28672);
    const _: () = assert!(libc::PTHREAD_STACK_MIN == 4096);
    const _: () = assert!(libc::CLOCK_MONOTONIC == 3);
}

#[cfg(target_os = "dragonfly")]
mod dragonfly {
    use super::*;
    // struct sigaction { handler; int sa_flags; sigset_t sa_mask; }: flags *before* mask.
    assert_size!(libc::sigaction, 32);
    assert_offset!(libc::sigaction, sa_flags, 8);
    assert_offset!(libc::sigaction, sa_mask, 12);
    assert_size!(libc::sigset_t, 16);
    assert_size!(libc::siginfo_t, 80);
    assert_size!(libc::clockid_t, 8);
    const _: () = assert!(libc::SIGSTKSZ == 40960);
    const _: () = assert!(libc::PTHREAD_STACK_MIN == 16384);
    const _: () = assert!(libc::CLOCK_MONOTONIC == 4);
}

#[cfg(target_os = "linux")]
mod linux {
    use super::*;
    // stack_t { void *ss_sp; int ss_flags; size_t ss_size; } on Linux: flags before size.
    assert_offset!(libc::stack_t, ss_flags, 8);
    assert_offset!(libc::stack_t, ss_size, 16);
    assert_size!(libc::sigset_t, 128);
    assert_size!(libc::siginfo_t, 128);
}

// bsd-event's Linux emulation: epoll_event is packed on x86_64 (include/uapi/linux/eventpoll.h,
// `EPOLL_PACKED`), naturally aligned elsewhere; itimerspec holds two 64-bit timespecs.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
const _: () = {
    assert!(size_of::<libc::epoll_event>() == 12);
    assert!(offset_of!(libc::epoll_event, u64) == 4);
};
#[cfg(all(target_os = "linux", target_arch = "aarch64"))]
const _: () = {
    assert!(size_of::<libc::epoll_event>() == 16);
    assert!(offset_of!(libc::epoll_event, u64) == 8);
};
#[cfg(target_os = "linux")]
assert_size!(libc::itimerspec, 32);
#[cfg(target_os = "linux")]
assert_size!(libc::signalfd_siginfo, 128);
