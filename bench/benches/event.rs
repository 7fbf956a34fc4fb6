//! Benchmark placeholder: filled by the bsd-event work.
fn main() {}
