//! DragonFly's shared kernel page (`/dev/kpmap`): the `_FAST` clocks without a system call.
//!
//! The kernel keeps a read-only page of globals that any process may map from `/dev/kpmap`
//! (`KPMAP_MAPSIZE`, 64 KiB). It starts with a table of `ukpheader_t { uint16_t type; uint16_t
//! offset; }` entries ending in type 0, which give each item's offset; the layout is
//! `struct sys_kpmap` in `sys/sys/upmap.h` (DragonFly master e7126f0a): `int32_t upticks`,
//! then `struct timespec ts_uptime[2]` and `ts_realtime[2]`, the copy being written being
//! `upticks & 1`'s other half. The reader below is libc's (`lib/libc/upmap/ukp_clock.c`,
//! master 0c4f129d): read `upticks`, `lfence`, copy `ts_*[upticks & 1]`, `lfence`, and retry
//! if `upticks` moved by more than one meanwhile. libc maps the page after the tenth
//! `clock_gettime`; bsd-sys maps it at the first `_FAST` read. If the page cannot be mapped
//! (no `/dev/kpmap`, e.g. in a jail without it) every read stays a system call.
//!
//! The values advance once per scheduler tick (`CLOCK_*_FAST`: tick resolution by definition);
//! the precise clocks are always one `clock_gettime` system call.

use core::arch::x86_64::_mm_lfence;
use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicU8, Ordering};

use crate::time::ClockId;

/// `KPMAP_MAPSIZE` (`sys/sys/upmap.h`).
const KPMAP_MAPSIZE: usize = 65536;
/// `UKPLEN_4` / `UKPLEN_16` length codes and the item types (`sys/sys/upmap.h`).
const KPTYPE_UPTICKS: u16 = 0x8000 | 0x0200;
const KPTYPE_TS_UPTIME: u16 = 0x8001 | 0x0400;
const KPTYPE_TS_REALTIME: u16 = 0x8002 | 0x0400;
/// At most this many headers (`ukpheader_t header[64]` in `struct sys_kpmap`).
const MAX_HEADERS: usize = 64;

const UNMAPPED: u8 = 0;
const BUSY: u8 = 1;
const READY: u8 = 2;
const FAILED: u8 = 3;

static STATE: AtomicU8 = AtomicU8::new(UNMAPPED);
static UPTICKS: AtomicPtr<i32> = AtomicPtr::new(ptr::null_mut());
static UPTIME: AtomicPtr<::libc::timespec> = AtomicPtr::new(ptr::null_mut());
static REALTIME: AtomicPtr<::libc::timespec> = AtomicPtr::new(ptr::null_mut());

/// Reads `clock` from the page if it is one of the `_FAST` clocks and the page is mapped.
#[inline]
pub(crate) fn clock_gettime(clock: ClockId) -> Option<::libc::timespec> {
    let (pair, second) = match clock {
        ::libc::CLOCK_UPTIME_FAST | ::libc::CLOCK_MONOTONIC_FAST => (&UPTIME, false),
        ::libc::CLOCK_REALTIME_FAST => (&REALTIME, false),
        ::libc::CLOCK_SECOND => (&REALTIME, true),
        _ => return None,
    };
    let state = STATE.load(Ordering::Acquire);
    if state != READY && (state != UNMAPPED || !map()) {
        return None;
    }
    let upticks = UPTICKS.load(Ordering::Relaxed);
    let pair = pair.load(Ordering::Relaxed);
    let mut ts;
    // SAFETY: READY means both pointers point into the read-only kpmap page, mapped for the
    // rest of the process; the kernel writes it concurrently, hence volatile reads and the
    // libc reader's retry loop. `_mm_lfence` needs SSE2, which every x86_64 CPU has.
    unsafe {
        loop {
            let w = ptr::read_volatile(upticks);
            _mm_lfence();
            ts = ptr::read_volatile(pair.add((w & 1) as usize));
            _mm_lfence();
            if ptr::read_volatile(upticks).wrapping_sub(w) <= 1 {
                break;
            }
        }
    }
    if second {
        ts.tv_nsec = 0;
    }
    Some(ts)
}

/// Maps the page and finds the three items; true when READY. One thread maps, others
/// meanwhile use the system call.
#[cold]
#[inline(never)]
fn map() -> bool {
    if STATE.compare_exchange(UNMAPPED, BUSY, Ordering::Acquire, Ordering::Relaxed).is_err() {
        return STATE.load(Ordering::Acquire) == READY;
    }
    let ok = try_map();
    STATE.store(if ok { READY } else { FAILED }, Ordering::Release);
    ok
}

fn try_map() -> bool {
    let fd = match super::fd::open(c"/dev/kpmap", ::libc::O_RDONLY | ::libc::O_CLOEXEC, 0) {
        Ok(fd) => fd,
        Err(_) => return false,
    };
    // SAFETY: a new shared read-only mapping of the kpmap device; no MAP_FIXED.
    let base = unsafe {
        super::mem::mmap(ptr::null_mut(), KPMAP_MAPSIZE, ::libc::PROT_READ, ::libc::MAP_SHARED, fd, 0)
    };
    let _ = super::fd::close(fd);
    let Ok(base) = base else { return false };
    let find = |ty: u16| -> Option<*mut c_void> {
        (0..MAX_HEADERS)
            .map(|i| {
                // SAFETY: the header table is the first 256 bytes of the 64 KiB page.
                unsafe { ptr::read_volatile((base as *const [u16; 2]).add(i)) }
            })
            .take_while(|h| h[0] != 0)
            .find(|h| h[0] == ty)
            // SAFETY: the offset is below 64 KiB (a u16) and inside the mapping.
            .map(|h| unsafe { (base as *mut u8).add(usize::from(h[1])) }.cast())
    };
    match (find(KPTYPE_UPTICKS), find(KPTYPE_TS_UPTIME), find(KPTYPE_TS_REALTIME)) {
        (Some(t), Some(u), Some(r)) => {
            UPTICKS.store(t.cast(), Ordering::Relaxed);
            UPTIME.store(u.cast(), Ordering::Relaxed);
            REALTIME.store(r.cast(), Ordering::Relaxed);
            true
        }
        _ => {
            // SAFETY: the mapping was made above and nothing refers to it.
            let _ = unsafe { super::mem::munmap(base, KPMAP_MAPSIZE) };
            false
        }
    }
}
