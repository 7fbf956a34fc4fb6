//! DragonFly BSD x86_64 system call numbers.
//!
//! Source: DragonFly `sys/kern/syscalls.master` (numbers up to 537 read from the tree; 538 and
//! later from the DragonFly 5.8 regeneration carried in golang.org/x/sys
//! `unix/zsysnum_dragonfly_amd64.go`, consistent with Go's `runtime/sys_dragonfly_amd64.s`).
//! The project's copy is `shared/dragonfly-syscalls.tsv`.

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
pub(crate) const FCNTL: usize = 92;
pub(crate) const READV: usize = 120;
pub(crate) const WRITEV: usize = 121;
/// `extpread(fd, buf, nbyte, flags, offset)`: `pread` is a libc wrapper passing `flags = 0`.
pub(crate) const EXTPREAD: usize = 173;
/// `extpwrite(fd, buf, nbyte, flags, offset)`.
pub(crate) const EXTPWRITE: usize = 174;
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
pub(crate) const KQUEUE: usize = 362;
pub(crate) const KEVENT: usize = 363;
pub(crate) const UMTX_SLEEP: usize = 469;
pub(crate) const UMTX_WAKEUP: usize = 470;
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
