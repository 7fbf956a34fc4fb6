//! System call numbers per OS and architecture. Each table names the source file it came from;
//! the Linux tables are also checked against the `libc` crate's `SYS_*` at compile time.
#![allow(dead_code)] // each table lists every call the concerns use, on every target

cfg_if::cfg_if! {
    if #[cfg(target_os = "dragonfly")] {
        mod dragonfly;
        pub(crate) use self::dragonfly::*;
    } else if #[cfg(all(target_os = "linux", target_arch = "x86_64"))] {
        mod linux_x86_64;
        pub(crate) use self::linux_x86_64::*;
    } else if #[cfg(all(target_os = "linux", target_arch = "aarch64"))] {
        mod linux_aarch64;
        pub(crate) use self::linux_aarch64::*;
    }
}
