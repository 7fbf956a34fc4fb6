//! mem calls as direct system calls (filled by the bsd-mem work).
