//! fd calls as direct system calls (filled by the bsd-fd work).
