//! The event concern (filled by the bsd-event work).
