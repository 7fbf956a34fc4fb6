//! event calls through libc (filled by the bsd-event work).
