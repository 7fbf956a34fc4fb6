//! yield_now and cpu_count through the public API.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

#[test]
fn cpu_count_matches_the_affinity_mask() {
    let n = bsd_thread::cpu_count().unwrap().get();
    assert!(n >= 1);
    #[cfg(target_os = "linux")]
    {
        // /proc/self/status lists the same mask as hex words ("Cpus_allowed:\tff,ffffffff").
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let mask = status
            .lines()
            .find_map(|l| l.strip_prefix("Cpus_allowed:"))
            .expect("no Cpus_allowed line");
        let allowed: u32 = mask
            .trim()
            .split(',')
            .map(|w| u32::from_str_radix(w, 16).unwrap().count_ones())
            .sum();
        assert_eq!(n, allowed as usize);
    }
    #[cfg(not(target_os = "linux"))]
    println!("{n} CPUs (no /proc to compare with)");
}

#[test]
fn a_spinner_that_yields_lets_the_other_thread_finish() {
    let flag = Arc::new(AtomicBool::new(false));
    let setter = {
        let flag = Arc::clone(&flag);
        thread::spawn(move || flag.store(true, Ordering::Release))
    };
    while !flag.load(Ordering::Acquire) {
        bsd_thread::yield_now();
    }
    setter.join().unwrap();
}
