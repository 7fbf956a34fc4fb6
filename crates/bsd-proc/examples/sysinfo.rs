//! A report of the machine and this process, read through `bsd_proc`.
//!
//! Each value is read the way the running OS offers it: by sysctl name on OpenBSD and
//! DragonFly (typed: strings, `int`s, the boot time, a `struct clockinfo`), from
//! `/proc/sys` or natively on the Linux test host, where a BSD-only name is reported as
//! "not on this host". The page size is cross-checked three ways (sysctl `hw.pagesize`, the
//! auxiliary vector, bsd-sys's cached value), and the kernel's random bytes are checked to be
//! non-zero.
//!
//! Run: `cargo run -p bsd-proc --example sysinfo` (exit status 0 when every check held, 1
//! otherwise).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bsd_proc::process::{aux_value, issetugid, AuxKey};
use bsd_proc::sysctl::{Plain, Sysctl, SysctlError};
use bsd_proc::Errno;

/// `struct clockinfo` for `kern.clockrate`: OpenBSD `sys/sys/time.h` rev 1.67; DragonFly's has
/// `tickadj` after `tick` (`sys/sys/time.h`). Linux has no such sysctl.
#[cfg(target_os = "openbsd")]
#[repr(C)]
#[derive(Clone, Copy, Debug)]
struct ClockInfo {
    hz: i32,
    tick: i32,
    stathz: i32,
    profhz: i32,
}

#[cfg(not(target_os = "openbsd"))]
#[repr(C)]
#[derive(Clone, Copy, Debug)]
struct ClockInfo {
    hz: i32,
    tick: i32,
    tickadj: i32,
    stathz: i32,
    profhz: i32,
}

// SAFETY: only `i32` fields; every bit pattern is a valid value.
unsafe impl Plain for ClockInfo {}

/// `kern.boottime`: a `struct timeval` on OpenBSD (`KERN_BOOTTIME` in `sys/kern/kern_sysctl.c`
/// rev 1.482), a `struct timespec` on DragonFly (`sys/kern/kern_clock.c` at 6.4, 81dd9c6184).
/// Linux has no such sysctl.
#[cfg(target_os = "dragonfly")]
type BootTime = bsd_sys::libc::timespec;
#[cfg(not(target_os = "dragonfly"))]
type BootTime = bsd_sys::libc::timeval;

/// A value, or why this OS has none.
fn shown<T: std::fmt::Display>(value: Result<T, SysctlError>) -> Result<String, SysctlError> {
    match value {
        Ok(v) => Ok(v.to_string()),
        Err(SysctlError::NotOnHost { .. }) => Ok("(not on this host)".to_owned()),
        Err(e) => Err(e),
    }
}

fn string(name: &str) -> Result<String, SysctlError> {
    shown(Sysctl::from_name(name).and_then(|s| s.read_string()))
}

fn int(name: &str) -> Result<String, SysctlError> {
    shown(Sysctl::from_name(name).and_then(|s| s.read_int()))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut failures = Vec::new();

    println!(
        "os:          {} {}",
        string("kern.ostype")?,
        string("kern.osrelease")?
    );
    let version = string("kern.version")?;
    println!("version:     {}", version.lines().next().unwrap_or(""));
    println!("hostname:    {}", string("kern.hostname")?);
    println!(
        "machine:     {} ({})",
        string("hw.machine")?,
        string("hw.model")?
    );
    println!("cpus:        {}", int("hw.ncpu")?);
    let order = int("hw.byteorder")?;
    println!("byte order:  {order}");
    let native = if cfg!(target_endian = "little") {
        "1234"
    } else {
        "4321"
    };
    if order != native {
        failures.push(format!("hw.byteorder is {order}, this build is {native}"));
    }

    // The page size, three ways.
    let by_sysctl = Sysctl::from_name("hw.pagesize")?.read_int()? as usize;
    let by_sys = bsd_sys::mem::page_size()?;
    let by_aux = match aux_value(AuxKey::PAGE_SIZE) {
        Ok(size) => Some(size),
        Err(Errno::NOSYS) => None, // DragonFly: no interface to the vector
        Err(e) => return Err(e.into()),
    };
    println!("page size:   {by_sysctl} (sysctl), {by_sys} (bsd-sys), {by_aux:?} (aux vector)");
    if by_sysctl != by_sys || by_aux.is_some_and(|a| a != by_sysctl) {
        failures.push("the page sizes disagree".to_owned());
    }

    // Typed structs where the OS has them.
    match Sysctl::from_name("kern.clockrate").and_then(|s| s.read_value::<ClockInfo>()) {
        Ok(clock) => println!(
            "clock:       hz {} (tick {} us), stathz {}, profhz {}",
            clock.hz, clock.tick, clock.stathz, clock.profhz
        ),
        Err(SysctlError::NotOnHost { .. }) => println!("clock:       (not on this host)"),
        Err(e) => return Err(e.into()),
    }
    match Sysctl::from_name("kern.boottime").and_then(|s| s.read_value::<BootTime>()) {
        Ok(boot) => {
            let booted = UNIX_EPOCH + Duration::from_secs(boot.tv_sec as u64);
            let up = SystemTime::now().duration_since(booted).unwrap_or_default();
            println!(
                "up:          {} h {} min",
                up.as_secs() / 3600,
                up.as_secs() / 60 % 60
            );
        }
        Err(SysctlError::NotOnHost { .. }) => println!("up:          (not on this host)"),
        Err(e) => return Err(e.into()),
    }

    // This process.
    println!("setuid exec: {}", issetugid());
    match aux_value(AuxKey::HWCAP) {
        Ok(bits) => println!("hwcap:       {bits:#x}"),
        Err(e) => println!("hwcap:       none ({e})"),
    }
    let mut seed = [0u8; 32];
    bsd_proc::random::fill(&mut seed)?;
    println!("random:      {:02x?}...", &seed[..8]);
    if seed == [0; 32] {
        failures.push("the kernel's random bytes are all zero".to_owned());
    }

    if failures.is_empty() {
        println!("all checks held");
        Ok(())
    } else {
        for f in &failures {
            eprintln!("FAILED: {f}");
        }
        std::process::exit(1);
    }
}
