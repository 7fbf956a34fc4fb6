//! mem calls through libc (filled by the bsd-mem work).
