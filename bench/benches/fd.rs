//! Benchmark placeholder: filled by the bsd-fd work.
fn main() {}
