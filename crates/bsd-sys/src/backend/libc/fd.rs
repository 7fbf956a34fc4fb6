//! fd calls through libc (filled by the bsd-fd work).
