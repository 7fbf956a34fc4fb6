//! sysctl on the host: real values, by name and by MIB, and clear errors for bad input.

use bsd_proc::sysctl::{Sysctl, SysctlError};

/// `kern.ostype` is the kernel's own name for itself; on Linux it is `/proc/sys/kernel/ostype`.
#[test]
fn ostype_is_the_kernels_name() {
    let ostype = Sysctl::from_name("kern.ostype")
        .unwrap()
        .read_string()
        .unwrap();
    #[cfg(target_os = "linux")]
    {
        let file = std::fs::read_to_string("/proc/sys/kernel/ostype").unwrap();
        assert_eq!(ostype, file.trim_end());
        assert_eq!(ostype, "Linux");
    }
    #[cfg(target_os = "openbsd")]
    assert_eq!(ostype, "OpenBSD");
    #[cfg(target_os = "dragonfly")]
    assert_eq!(ostype, "DragonFly");
}

#[test]
fn by_mib_and_by_name_agree() {
    // {CTL_KERN, KERN_OSTYPE} is {1, 1} on OpenBSD, DragonFly and in the Linux emulation.
    let by_mib = Sysctl::new(&[1, 1]).unwrap();
    let by_name = Sysctl::from_name("kern.ostype").unwrap();
    assert_eq!(by_name.mib(), &[1, 1]);
    assert_eq!(
        by_mib.read_string().unwrap(),
        by_name.read_string().unwrap()
    );
    // DragonFly numbers differ from OpenBSD past the classic entries: a MIB keeps its numbers.
    let expected = if cfg!(target_os = "dragonfly") {
        "1.1"
    } else {
        "kern.ostype"
    };
    assert_eq!(by_mib.name(), expected);
}

#[test]
fn page_size_through_sysctl_equals_page_size() {
    let page = Sysctl::from_name("hw.pagesize").unwrap();
    assert_eq!(page.mib(), &[6, 7]);
    assert_eq!(
        page.read_int().unwrap() as usize,
        bsd_sys::mem::page_size().unwrap()
    );
    assert_eq!(
        page.read_value::<i32>().unwrap() as usize,
        bsd_sys::mem::page_size().unwrap()
    );
    assert_eq!(page.read_bytes().unwrap().len(), 4);
}

#[test]
fn cpu_count_through_sysctl_matches_the_scheduler() {
    // OpenBSD's count is the CPUs online (hw.ncpu also counts those hw.smt=0 disabled).
    let name = if cfg!(target_os = "openbsd") {
        "hw.ncpuonline"
    } else {
        "hw.ncpu"
    };
    let n = Sysctl::from_name(name).unwrap().read_int().unwrap();
    assert!(n >= 1);
    assert_eq!(n as usize, bsd_sys::thread::cpu_count().unwrap());
}

#[test]
fn integer_values_read_as_integers() {
    #[cfg(target_os = "linux")]
    {
        let pid_max = Sysctl::from_name("kern.pid_max")
            .unwrap()
            .read_int()
            .unwrap();
        let file = std::fs::read_to_string("/proc/sys/kernel/pid_max").unwrap();
        assert_eq!(pid_max, file.trim().parse::<i32>().unwrap());
        assert!(
            Sysctl::from_name("kern.pid_max")
                .unwrap()
                .read_i64()
                .unwrap()
                > 0
        );
    }
    #[cfg(not(target_os = "linux"))]
    assert!(
        Sysctl::from_name("kern.maxproc")
            .unwrap()
            .read_int()
            .unwrap()
            > 0
    );
}

#[test]
fn unknown_names_say_which_part_is_wrong() {
    let err = Sysctl::from_name("kern.no_such_entry").unwrap_err();
    #[cfg(target_os = "linux")]
    assert_eq!(
        err,
        SysctlError::NotOnHost {
            name: "kern.no_such_entry".into()
        }
    );
    #[cfg(not(target_os = "linux"))]
    assert_eq!(
        err,
        SysctlError::UnknownName {
            name: "kern.no_such_entry".into(),
            component: "no_such_entry".into()
        }
    );
    assert!(err.to_string().contains("no_such_entry"), "{err}");
    let err = Sysctl::from_name("nosuchtop.x").unwrap_err();
    assert!(err.to_string().contains("nosuchtop"), "{err}");
}

#[test]
fn malformed_names_and_mibs_are_clear_errors() {
    assert!(matches!(
        Sysctl::from_name("kern..ostype"),
        Err(SysctlError::InvalidName { .. })
    ));
    assert!(matches!(
        Sysctl::from_name("kern/ostype"),
        Err(SysctlError::InvalidName { .. })
    ));
    assert!(matches!(
        Sysctl::from_name("kern.."),
        Err(SysctlError::InvalidName { .. })
    ));
    assert!(matches!(
        Sysctl::new(&[]),
        Err(SysctlError::InvalidMib { len: 0 })
    ));
    assert!(matches!(
        Sysctl::new(&[1; 13]),
        Err(SysctlError::InvalidMib { len: 13 })
    ));
}

#[test]
fn a_type_of_the_wrong_size_is_refused() {
    let ostype = Sysctl::from_name("kern.ostype").unwrap();
    let len = ostype.read_bytes().unwrap().len();
    let err = ostype.read_value::<[u8; 64]>().unwrap_err();
    assert_eq!(
        err,
        SysctlError::SizeMismatch {
            name: "kern.ostype".into(),
            expected: 64,
            actual: len
        }
    );
    let err = ostype.read_int().unwrap_err();
    assert!(
        matches!(
            err,
            SysctlError::SizeMismatch { .. } | SysctlError::NotANumber { .. }
        ),
        "{err:?}"
    );
    let page = Sysctl::from_name("hw.pagesize").unwrap();
    assert_eq!(
        page.read_value::<u64>().unwrap_err(),
        SysctlError::SizeMismatch {
            name: "hw.pagesize".into(),
            expected: 8,
            actual: 4
        }
    );
}

#[test]
fn a_short_buffer_reports_the_real_size() {
    let ostype = Sysctl::from_name("kern.ostype").unwrap();
    let len = ostype.read_bytes().unwrap().len();
    let mut small = [0u8; 2];
    assert_eq!(
        ostype.read_into(&mut small).unwrap_err(),
        SysctlError::SizeMismatch {
            name: "kern.ostype".into(),
            expected: 2,
            actual: len
        }
    );
    let mut big = [0u8; 256];
    let n = ostype.read_into(&mut big).unwrap();
    assert_eq!(n, len);
}

#[test]
fn writing_a_read_only_value_is_refused() {
    let err = Sysctl::from_name("kern.ostype")
        .unwrap()
        .write_bytes(b"Plan9")
        .unwrap_err();
    let errno = err.errno().expect("an OS error");
    assert!(
        [
            bsd_sys::Errno::PERM,
            bsd_sys::Errno::ACCES,
            bsd_sys::Errno::INVAL
        ]
        .contains(&errno),
        "{err}"
    );
    assert!(!Sysctl::from_name("kern.ostype")
        .unwrap()
        .read_string()
        .unwrap()
        .is_empty());
}

#[cfg(target_os = "linux")]
#[test]
fn hw_names_without_a_linux_source_are_not_on_host() {
    assert_eq!(
        Sysctl::from_name("hw.physmem").unwrap_err(),
        SysctlError::NotOnHost {
            name: "hw.physmem".into()
        }
    );
    // A MIB in the OpenBSD table the host lacks, and one outside the table.
    assert!(matches!(
        Sysctl::new(&[1, 9]),
        Err(SysctlError::NotOnHost { .. })
    )); // kern.securelevel
    assert!(matches!(
        Sysctl::new(&[4, 2, 0]),
        Err(SysctlError::NotOnHost { .. })
    ));
    assert!(matches!(
        Sysctl::from_name("kern.."),
        Err(SysctlError::InvalidName { .. })
    ));
}

/// `kern.clockrate` into the OS's `struct clockinfo`: four ints on OpenBSD (`sys/sys/time.h`
/// rev 1.67), five on DragonFly (`tickadj` after `tick`).
#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
#[test]
fn clockrate_reads_into_the_os_struct() {
    use bsd_proc::sysctl::Plain;

    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    struct ClockInfo {
        hz: i32,
        tick: i32,
        #[cfg(target_os = "dragonfly")]
        tickadj: i32,
        stathz: i32,
        profhz: i32,
    }
    // SAFETY: only i32 fields; every bit pattern is valid.
    unsafe impl Plain for ClockInfo {}

    let clockrate = Sysctl::from_name("kern.clockrate").unwrap();
    let c = clockrate.read_value::<ClockInfo>().unwrap();
    assert!(c.hz > 0 && c.tick > 0, "{c:?}");
    assert!(c.stathz >= 0 && c.profhz >= 0);
    #[cfg(target_os = "dragonfly")]
    assert!(c.tickadj >= 0);
    assert!(matches!(
        clockrate.read_value::<[i32; 6]>(),
        Err(SysctlError::SizeMismatch { expected: 24, .. })
    ));
}
