//! The fd concern (filled by the bsd-fd work).
