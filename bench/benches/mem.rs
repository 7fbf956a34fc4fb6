//! Benchmark placeholder: filled by the bsd-mem work.
fn main() {}
