//! Benchmark placeholder: filled by the bsd-thread work.
fn main() {}
