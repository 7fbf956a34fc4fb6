//! Backend selection: the one place that decides how a call reaches the kernel.
//!
//! `imp` is the active backend; the concern modules of the crate call `imp::<concern>::<fn>`.

cfg_if::cfg_if! {
    if #[cfg(target_os = "openbsd")] {
        #[cfg(bsd_sys_backend = "raw")]
        compile_error!(
            "bsd-sys: the raw backend is not available on OpenBSD. Since OpenBSD 7.5, pinsyscalls(2) \
             pins every system call number to its call site inside libc.so, and the kernel kills a \
             process (SIGABRT) that issues a `syscall`/`svc` instruction from anywhere else. Build \
             without `--cfg bsd_sys_backend=\"raw\"` (OpenBSD always uses the libc backend)."
        );
        pub(crate) mod libc;
        pub(crate) use self::libc as imp;
        pub(crate) const NAME: &str = "libc";
    } else if #[cfg(all(target_os = "dragonfly", target_arch = "x86_64"))] {
        cfg_if::cfg_if! {
            if #[cfg(bsd_sys_backend = "libc")] {
                pub(crate) mod libc;
                pub(crate) use self::libc as imp;
                pub(crate) const NAME: &str = "libc";
            } else {
                pub(crate) mod raw;
                pub(crate) use self::raw as imp;
                pub(crate) const NAME: &str = "raw";
            }
        }
    } else if #[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))] {
        cfg_if::cfg_if! {
            if #[cfg(bsd_sys_backend = "raw")] {
                pub(crate) mod raw;
                pub(crate) use self::raw as imp;
                pub(crate) const NAME: &str = "raw";
            } else {
                pub(crate) mod libc;
                pub(crate) use self::libc as imp;
                pub(crate) const NAME: &str = "libc";
            }
        }
    } else {
        compile_error!(
            "bsd-sys supports OpenBSD (x86_64, aarch64), DragonFly BSD (x86_64) and, as a test host, \
             Linux (x86_64, aarch64)"
        );
        pub(crate) const NAME: &str = "unsupported";
    }
}
