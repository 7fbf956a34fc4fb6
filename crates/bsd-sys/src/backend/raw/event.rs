//! event calls as direct system calls (filled by the bsd-event work).
