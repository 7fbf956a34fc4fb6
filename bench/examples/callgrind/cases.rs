//! The cases: one hot call per row, each contender doing the same work.

use std::hint::black_box;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::sync::atomic::AtomicU32;

#[path = "ring.rs"]
mod ring;

/// The measured loop: callgrind collects only inside functions matching `*cg_loop*`. One
/// instance per closure type, so the closure's body is inlined into it.
#[inline(never)]
fn cg_loop<F: FnMut()>(n: u64, mut f: F) {
    for _ in 0..n {
        f();
    }
}

/// A case: id, operation (the table row), contender (the column).
struct Case {
    id: &'static str,
    op: &'static str,
    contender: &'static str,
    run: fn(u64),
}

macro_rules! cases {
    ($($id:literal, $op:literal, $who:literal => $run:expr;)*) => {
        const CASES: &[Case] = &[$(Case { id: $id, op: $op, contender: $who, run: $run }),*];
    };
}

cases! {
    "empty", "empty loop (overhead included in every row)", "none" => |n| cg_loop(n, || black_box(())) ;

    "libc-clock", "clock_gettime(CLOCK_MONOTONIC)", "libc" => clock_libc;
    "bsd-clock", "clock_gettime(CLOCK_MONOTONIC)", "bsd-time now" => clock_bsd;
    "rustix-clock", "clock_gettime(CLOCK_MONOTONIC)", "rustix" => clock_rustix;
    "nix-clock", "clock_gettime(CLOCK_MONOTONIC)", "nix" => clock_nix;
    "std-clock", "clock_gettime(CLOCK_MONOTONIC)", "std Instant::now" => clock_std;

    "libc-nanos", "monotonic nanoseconds as u64", "libc" => nanos_libc;
    "bsd-nanos", "monotonic nanoseconds as u64", "bsd-time monotonic_nanos" => nanos_bsd;

    "libc-getpid", "getpid", "libc" => getpid_libc;
    "bsd-getpid", "getpid", "bsd-sys getpid" => getpid_bsd;
    "rustix-getpid", "getpid", "rustix" => getpid_rustix;
    "nix-getpid", "getpid", "nix" => getpid_nix;

    "libc-gettid", "thread id", "libc gettid" => gettid_libc;
    "bsd-gettid", "thread id", "bsd-sys ThreadId::current" => gettid_bsd;
    "rustix-gettid", "thread id", "rustix" => gettid_rustix;
    "nix-gettid", "thread id", "nix" => gettid_nix;

    "libc-pipe", "write 1 byte to a pipe, read it back", "libc" => pipe_libc;
    "bsd-pipe", "write 1 byte to a pipe, read it back", "bsd-fd" => pipe_bsd;
    "rustix-pipe", "write 1 byte to a pipe, read it back", "rustix" => pipe_rustix;
    "nix-pipe", "write 1 byte to a pipe, read it back", "nix" => pipe_nix;

    "libc-mmap", "map one anonymous page, unmap it", "libc" => mmap_libc;
    "bsd-mmap-sys", "map one anonymous page, unmap it", "bsd-sys mmap + munmap" => mmap_bsd_sys;
    "bsd-mmap", "map one anonymous page, unmap it", "bsd-mem Mapping::anonymous + drop" => mmap_bsd;
    "rustix-mmap", "map one anonymous page, unmap it", "rustix" => mmap_rustix;
    "nix-mmap", "map one anonymous page, unmap it", "nix" => mmap_nix;

    "libc-mask", "block a signal, restore the mask", "libc pthread_sigmask" => mask_libc;
    "bsd-mask", "block a signal, restore the mask", "bsd-signal block + restore_mask" => mask_bsd;
    "bsd-mask-old", "block a signal, restore the mask", "bsd-signal block + set_mask" => mask_bsd_old;
    "nix-mask", "block a signal, restore the mask", "nix" => mask_nix;

    "libc-wake", "futex wake, no waiter", "libc syscall(SYS_futex)" => wake_libc;
    "bsd-wake", "futex wake, no waiter", "bsd-thread futex::wake_one" => wake_bsd;
    "rustix-wake", "futex wake, no waiter", "rustix" => wake_rustix;

    "libc-ring", "event loop hop: wait, read 1 byte, write it on (100 pipes)", "libc epoll_wait, EPOLLET" => ring::ring_libc;
    "mio-ring", "event loop hop: wait, read 1 byte, write it on (100 pipes)", "mio (reference)" => ring::ring_mio;
    "mio-ring-rearm", "event loop hop: wait, read 1 byte, write it on (100 pipes)", "mio + reregister per event (one-shot, as bsd-event level)" => ring::ring_mio_rearm;
    "mio-ring-fstat", "event loop hop: wait, read 1 byte, write it on (100 pipes)", "mio + fstat identity check per event (as bsd-event CLEAR)" => ring::ring_mio_fstat;
    "bsd-ring", "event loop hop: wait, read 1 byte, write it on (100 pipes)", "bsd-event, level-triggered" => ring::ring_bsd_level;
    "bsd-ring-clear", "event loop hop: wait, read 1 byte, write it on (100 pipes)", "bsd-event, CLEAR" => ring::ring_bsd_clear;
}

pub(crate) fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag] if flag == "--list" => {
            for c in CASES {
                println!("{}\t{}\t{}", c.id, c.op, c.contender);
            }
        }
        [id, n] => {
            let n: u64 = n.parse().expect("n: a number");
            let case = CASES.iter().find(|c| c.id == id).expect("unknown case id");
            (case.run)(n);
        }
        _ => {
            eprintln!("usage: callgrind --list | callgrind <case> <n>");
            std::process::exit(2);
        }
    }
}

// --- clocks ---

fn clock_libc(n: u64) {
    cg_loop(n, || {
        let mut ts = std::mem::MaybeUninit::<libc::timespec>::uninit();
        // SAFETY: `ts` is writable.
        let r = unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, ts.as_mut_ptr()) };
        assert_eq!(r, 0);
        // SAFETY: filled on success.
        black_box(unsafe { ts.assume_init() });
    });
}

fn clock_bsd(n: u64) {
    cg_loop(n, || {
        black_box(bsd_time::now(bsd_time::Clock::Monotonic).unwrap());
    });
}

fn clock_rustix(n: u64) {
    cg_loop(n, || {
        black_box(rustix::time::clock_gettime(
            rustix::time::ClockId::Monotonic,
        ));
    });
}

fn clock_nix(n: u64) {
    cg_loop(n, || {
        black_box(nix::time::clock_gettime(nix::time::ClockId::CLOCK_MONOTONIC).unwrap());
    });
}

fn clock_std(n: u64) {
    cg_loop(n, || {
        black_box(std::time::Instant::now());
    });
}

fn nanos_libc(n: u64) {
    cg_loop(n, || {
        let mut ts = std::mem::MaybeUninit::<libc::timespec>::uninit();
        // SAFETY: `ts` is writable.
        let r = unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, ts.as_mut_ptr()) };
        assert_eq!(r, 0);
        // SAFETY: filled on success.
        let ts = unsafe { ts.assume_init() };
        black_box(ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64);
    });
}

fn nanos_bsd(n: u64) {
    cg_loop(n, || {
        let _ = black_box(bsd_time::monotonic_nanos());
    });
}

// --- ids ---

fn getpid_libc(n: u64) {
    // SAFETY: getpid has no preconditions.
    cg_loop(n, || {
        black_box(unsafe { libc::getpid() });
    });
}

fn getpid_bsd(n: u64) {
    cg_loop(n, || {
        black_box(bsd_sys::signal::getpid());
    });
}

fn getpid_rustix(n: u64) {
    cg_loop(n, || {
        black_box(rustix::process::getpid());
    });
}

fn getpid_nix(n: u64) {
    cg_loop(n, || {
        black_box(nix::unistd::getpid());
    });
}

fn gettid_libc(n: u64) {
    // SAFETY: gettid has no preconditions.
    cg_loop(n, || {
        black_box(unsafe { libc::gettid() });
    });
}

fn gettid_bsd(n: u64) {
    cg_loop(n, || {
        black_box(bsd_sys::ThreadId::current());
    });
}

fn gettid_rustix(n: u64) {
    cg_loop(n, || {
        black_box(rustix::thread::gettid());
    });
}

fn gettid_nix(n: u64) {
    cg_loop(n, || {
        black_box(nix::unistd::gettid());
    });
}

// --- pipe round trip ---

/// What a C caller does with a `-1`-and-errno result: check it before using the value (every
/// bsd-rs call does the same to build its `Result`).
#[inline(always)]
fn check(ret: isize) -> isize {
    if ret < 0 {
        panic!("{}", std::io::Error::last_os_error());
    }
    ret
}

fn pipe() -> (OwnedFd, OwnedFd) {
    bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC).unwrap()
}

fn pipe_libc(n: u64) {
    let (r, w) = pipe();
    let (r, w) = (r.as_raw_fd(), w.as_raw_fd());
    cg_loop(n, || {
        let mut b = [0u8; 1];
        // SAFETY: valid descriptors and one-byte buffers.
        unsafe {
            assert_eq!(check(libc::write(black_box(w), b"x".as_ptr().cast(), 1)), 1);
            assert_eq!(check(libc::read(black_box(r), b.as_mut_ptr().cast(), 1)), 1);
        }
        black_box(b);
    });
}

fn pipe_bsd(n: u64) {
    let (r, w) = pipe();
    cg_loop(n, || {
        let mut b = [0u8; 1];
        assert_eq!(bsd_fd::write(black_box(w.as_fd()), b"x").unwrap(), 1);
        assert_eq!(bsd_fd::read(black_box(r.as_fd()), &mut b).unwrap(), 1);
        black_box(b);
    });
}

fn pipe_rustix(n: u64) {
    let (r, w) = pipe();
    cg_loop(n, || {
        let mut b = [0u8; 1];
        assert_eq!(rustix::io::write(black_box(w.as_fd()), b"x").unwrap(), 1);
        assert_eq!(rustix::io::read(black_box(r.as_fd()), &mut b).unwrap(), 1);
        black_box(b);
    });
}

fn pipe_nix(n: u64) {
    let (r, w) = pipe();
    cg_loop(n, || {
        let mut b = [0u8; 1];
        assert_eq!(nix::unistd::write(black_box(w.as_fd()), b"x").unwrap(), 1);
        assert_eq!(nix::unistd::read(black_box(r.as_fd()), &mut b).unwrap(), 1);
        black_box(b);
    });
}

// --- one anonymous page ---

const PAGE: usize = 4096;

fn mmap_libc(n: u64) {
    cg_loop(n, || {
        // SAFETY: a fresh private anonymous mapping, unmapped right away.
        unsafe {
            let p = libc::mmap(
                std::ptr::null_mut(),
                black_box(PAGE),
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            assert_ne!(p, libc::MAP_FAILED);
            black_box(p as *const u8);
            assert_eq!(libc::munmap(p, PAGE), 0);
        }
    });
}

fn mmap_bsd_sys(n: u64) {
    cg_loop(n, || {
        // SAFETY: a fresh private anonymous mapping, unmapped right away.
        unsafe {
            let p = bsd_sys::mem::mmap(
                std::ptr::null_mut(),
                black_box(PAGE),
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
            .unwrap();
            black_box(p as *const u8);
            bsd_sys::mem::munmap(p, PAGE).unwrap();
        }
    });
}

fn mmap_bsd(n: u64) {
    use bsd_mem::{MapFlags, Mapping, Protection};
    cg_loop(n, || {
        let m = Mapping::anonymous(black_box(PAGE), Protection::READ_WRITE, MapFlags::empty());
        let m = m.unwrap();
        black_box(m.as_ptr());
        drop(m);
    });
}

fn mmap_rustix(n: u64) {
    use rustix::mm::{mmap_anonymous, munmap, MapFlags, ProtFlags};
    cg_loop(n, || {
        // SAFETY: a fresh private anonymous mapping, unmapped right away.
        unsafe {
            let p = mmap_anonymous(
                std::ptr::null_mut(),
                black_box(PAGE),
                ProtFlags::READ | ProtFlags::WRITE,
                MapFlags::PRIVATE,
            )
            .unwrap();
            black_box(p as *const u8);
            munmap(p, PAGE).unwrap();
        }
    });
}

fn mmap_nix(n: u64) {
    use nix::sys::mman::{mmap_anonymous, munmap, MapFlags, ProtFlags};
    use std::num::NonZeroUsize;
    cg_loop(n, || {
        // SAFETY: a fresh private anonymous mapping, unmapped right away.
        unsafe {
            let p = mmap_anonymous(
                None,
                NonZeroUsize::new(black_box(PAGE)).unwrap(),
                ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
                MapFlags::MAP_PRIVATE,
            )
            .unwrap();
            black_box(p.as_ptr() as *const u8);
            munmap(p, PAGE).unwrap();
        }
    });
}

// --- signal mask round trip: block USR1 (reading the old mask), then restore the old mask ---

fn mask_libc(n: u64) {
    // SAFETY: plain C set operations on a local.
    let set = unsafe {
        let mut s = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
        libc::sigemptyset(s.as_mut_ptr());
        libc::sigaddset(s.as_mut_ptr(), libc::SIGUSR1);
        s.assume_init()
    };
    cg_loop(n, || {
        let mut old = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
        // SAFETY: valid sets; `old` is written before it is read.
        unsafe {
            assert_eq!(
                libc::pthread_sigmask(libc::SIG_BLOCK, black_box(&set), old.as_mut_ptr()),
                0
            );
            assert_eq!(
                libc::pthread_sigmask(libc::SIG_SETMASK, old.as_ptr(), std::ptr::null_mut()),
                0
            );
        }
    });
}

fn mask_bsd(n: u64) {
    let set = bsd_signal::SigSet::of(bsd_signal::Signal::USR1);
    cg_loop(n, || {
        let old = bsd_signal::block(black_box(&set)).unwrap();
        bsd_signal::restore_mask(&old).unwrap();
    });
}

fn mask_bsd_old(n: u64) {
    let set = bsd_signal::SigSet::of(bsd_signal::Signal::USR1);
    cg_loop(n, || {
        let old = bsd_signal::block(black_box(&set)).unwrap();
        black_box(bsd_signal::set_mask(&old).unwrap());
    });
}

fn mask_nix(n: u64) {
    use nix::sys::signal::{pthread_sigmask, SigSet, SigmaskHow, Signal};
    let set = SigSet::from(Signal::SIGUSR1);
    cg_loop(n, || {
        let mut old = SigSet::empty();
        pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(black_box(&set)), Some(&mut old)).unwrap();
        pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&old), None).unwrap();
    });
}

// --- futex wake with nobody waiting ---

fn wake_libc(n: u64) {
    let word = AtomicU32::new(0);
    cg_loop(n, || {
        // SAFETY: a live, aligned word; FUTEX_WAKE reads nothing else.
        let r = unsafe {
            libc::syscall(
                libc::SYS_futex,
                black_box(&word).as_ptr(),
                libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
                1,
            )
        };
        assert_eq!(check(r as isize), 0);
    });
}

fn wake_bsd(n: u64) {
    let word = AtomicU32::new(0);
    cg_loop(n, || {
        assert_eq!(bsd_thread::futex::wake_one(black_box(&word)), Some(0));
    });
}

fn wake_rustix(n: u64) {
    use rustix::thread::futex;
    let word = AtomicU32::new(0);
    cg_loop(n, || {
        assert_eq!(
            futex::wake(black_box(&word), futex::Flags::PRIVATE, 1).unwrap(),
            0
        );
    });
}
