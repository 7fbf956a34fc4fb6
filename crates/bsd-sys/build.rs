//! Declares the `bsd_sys_backend` cfg so `--cfg bsd_sys_backend="raw"` is checked by rustc.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(bsd_sys_backend, values(\"libc\", \"raw\"))");
    println!("cargo::rustc-check-cfg=cfg(docsrs)");
    println!("cargo::rerun-if-changed=build.rs");
}
