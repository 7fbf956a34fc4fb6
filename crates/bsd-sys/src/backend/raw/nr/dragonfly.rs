//! DragonFly BSD x86_64 system call numbers.
//!
//! Source: DragonFly `sys/kern/syscalls.master` at the 6.4 branch point (commit 81dd9c6184,
//! 2022-12-20); every number below was checked against it, 538 `pipe2`, 542 `lwp_setname`, 549
//! `lwp_getname` and 550 `getrandom` included.
//! `DUP2`, `FSYNC`, `LSEEK`, `FTRUNCATE`, `POLL`, `CLOCK_NANOSLEEP`, `SIGWAITINFO`, `CLOSEFROM`
//! and `FDATASYNC` were also read at DragonFly master d724c3ba96 (2025-07); every one of them
//! predates the 6.4 branch.

/// `void exit(int rval)`: `exit1()` ends the whole process (`sys/kern/kern_exit.c`).
pub(crate) const EXIT: usize = 1;
pub(crate) const READ: usize = 3;
pub(crate) const WRITE: usize = 4;
pub(crate) const OPEN: usize = 5;
pub(crate) const CLOSE: usize = 6;
pub(crate) const WAIT4: usize = 7;
pub(crate) const GETPID: usize = 20;
pub(crate) const KILL: usize = 37;
pub(crate) const DUP: usize = 41;
pub(crate) const SIGALTSTACK: usize = 53;
pub(crate) const IOCTL: usize = 54;
pub(crate) const MSYNC: usize = 65;
pub(crate) const MUNMAP: usize = 73;
pub(crate) const MPROTECT: usize = 74;
pub(crate) const MADVISE: usize = 75;
pub(crate) const MINCORE: usize = 78;
pub(crate) const SETITIMER: usize = 83;
pub(crate) const GETITIMER: usize = 86;
pub(crate) const DUP2: usize = 90;
pub(crate) const FCNTL: usize = 92;
pub(crate) const FSYNC: usize = 95;
pub(crate) const READV: usize = 120;
pub(crate) const WRITEV: usize = 121;
/// `extpread(fd, buf, nbyte, flags, offset)`: `pread` is a libc wrapper passing `flags = 0`.
pub(crate) const EXTPREAD: usize = 173;
/// `extpwrite(fd, buf, nbyte, flags, offset)`.
pub(crate) const EXTPWRITE: usize = 174;
/// `lseek(fd, pad, offset, whence)`: libc passes `pad = 0` (`lib/libc/sys/lseek.c`).
pub(crate) const LSEEK: usize = 199;
/// `ftruncate(fd, pad, length)`: libc passes `pad = 0`.
pub(crate) const FTRUNCATE: usize = 201;
pub(crate) const POLL: usize = 209;
/// `clock_nanosleep`: reports its error as the return value, not with the carry flag
/// (`sys/kern/kern_time.c`, `sys_clock_nanosleep` sets `sysmsg_result = error`; added 2021).
pub(crate) const CLOCK_NANOSLEEP: usize = 241;
/// `extpreadv(fd, iov, iovcnt, flags, offset)`.
pub(crate) const EXTPREADV: usize = 289;
/// `extpwritev(fd, iov, iovcnt, flags, offset)`.
pub(crate) const EXTPWRITEV: usize = 290;
/// `mmap(addr, len, prot, flags, fd, pad, pos)`: seven arguments, `pos` on the stack.
pub(crate) const MMAP: usize = 197;
pub(crate) const SYSCTL: usize = 202;
pub(crate) const MLOCK: usize = 203;
pub(crate) const MUNLOCK: usize = 204;
pub(crate) const CLOCK_GETTIME: usize = 232;
pub(crate) const CLOCK_GETRES: usize = 234;
pub(crate) const NANOSLEEP: usize = 240;
pub(crate) const MINHERIT: usize = 250;
pub(crate) const ISSETUGID: usize = 253;
pub(crate) const SCHED_YIELD: usize = 331;
pub(crate) const SIGPROCMASK: usize = 340;
pub(crate) const SIGSUSPEND: usize = 341;
pub(crate) const SIGACTION: usize = 342;
pub(crate) const SIGPENDING: usize = 343;
pub(crate) const SIGRETURN: usize = 344;
pub(crate) const SIGTIMEDWAIT: usize = 345;
pub(crate) const SIGWAITINFO: usize = 346;
pub(crate) const KQUEUE: usize = 362;
pub(crate) const KEVENT: usize = 363;
pub(crate) const UMTX_SLEEP: usize = 469;
pub(crate) const UMTX_WAKEUP: usize = 470;
pub(crate) const CLOSEFROM: usize = 474;
pub(crate) const FSTAT: usize = 476;
pub(crate) const LWP_GETTID: usize = 496;
pub(crate) const LWP_KILL: usize = 497;
pub(crate) const OPENAT: usize = 504;
/// `pipe2(fildes, flags)`: returns both descriptors in `rax`/`rdx` and ignores `fildes`.
pub(crate) const PIPE2: usize = 538;
pub(crate) const LWP_SETNAME: usize = 542;
pub(crate) const LWP_GETNAME: usize = 549;
/// `ssize_t getrandom(void *buf, size_t len, unsigned flags)`; also 550 in the master
/// `syscalls.master` (`fcc705f5`, 2026-04). The kernel ignores `flags` and never blocks
/// (`sys_getrandom` in `sys/kern/kern_nrandom.c`).
pub(crate) const GETRANDOM: usize = 550;
/// `fdatasync(fd)` (added 2021, commit 74fa2560ac).
pub(crate) const FDATASYNC: usize = 554;
