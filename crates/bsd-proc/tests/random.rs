//! Kernel randomness: whole buffers, real entropy.

#[test]
fn one_mebibyte_is_filled_and_not_constant() {
    let mut buf = vec![0u8; 1 << 20];
    bsd_proc::random::fill(&mut buf).unwrap();
    // A short fill would leave zeroes at the end; 1 MiB of kernel output has every byte value.
    let mut seen = [false; 256];
    for &b in &buf {
        seen[b as usize] = true;
    }
    assert!(seen.iter().all(|&s| s), "not every byte value appeared");
    assert!(
        buf[buf.len() - 4096..].iter().any(|&b| b != 0),
        "the tail was not filled"
    );
    let first = buf[0];
    assert!(buf.iter().any(|&b| b != first));
}

#[test]
fn two_draws_differ() {
    let (a, b) = (
        bsd_proc::random::u64().unwrap(),
        bsd_proc::random::u64().unwrap(),
    );
    let mut x = [0u8; 300]; // over OpenBSD's 256-byte getentropy limit
    let mut y = [0u8; 300];
    bsd_proc::random::fill(&mut x).unwrap();
    bsd_proc::random::fill(&mut y).unwrap();
    assert!(a != b || x != y);
    assert_ne!(x, y);
}

#[test]
fn empty_buffers_are_fine() {
    bsd_proc::random::fill(&mut []).unwrap();
}

#[test]
fn one_kernel_call_respects_the_per_call_limit() {
    let mut buf = vec![0u8; bsd_sys::random::GETRANDOM_MAX + 100];
    let n = bsd_sys::random::getrandom(&mut buf).unwrap();
    assert!(n <= bsd_sys::random::GETRANDOM_MAX);
    assert!(n > 0);
}
