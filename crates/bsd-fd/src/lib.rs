//! File descriptors with I/O safety for OpenBSD and DragonFly BSD: open, read, write, pipe2, fcntl flags.
//!
//! **Skeleton.** This crate will hold: File descriptors over `OwnedFd`/`AsFd`: `open`/`openat`, read and write (positional, vectored), `pipe`, descriptor and status flags, `dup_min_cloexec`, `bytes_readable`, `is_terminal`, explicit `close`.
//! Until then it exports nothing.
