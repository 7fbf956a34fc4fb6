//! Benchmark placeholder: filled by the bsd-signal work.
fn main() {}
