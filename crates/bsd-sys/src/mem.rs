//! The mem concern (filled by the bsd-mem work).
