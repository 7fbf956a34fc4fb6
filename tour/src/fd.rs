//! The bsd-fd section of the tour: a pipe round trip, and descriptor flags read back from the
//! kernel as they change.

use std::io::{IoSlice, IoSliceMut};
use std::os::fd::{AsFd, AsRawFd};

use bsd_fd::{Mode, OFlags, PipeFlags};

/// One line describing a descriptor's flags, as the kernel reports them now.
fn describe(name: &str, fd: impl AsFd) -> Result<String, bsd_fd::Errno> {
    let fd = fd.as_fd();
    let status = bsd_fd::status_flags(fd)?;
    let access = match status & (OFlags::WRONLY | OFlags::RDWR) {
        a if a == OFlags::WRONLY => "write-only",
        a if a == OFlags::RDWR => "read-write",
        _ => "read-only",
    };
    Ok(format!(
        "{name} (fd {}): {access}, close-on-exec {}, non-blocking {}",
        fd.as_raw_fd(),
        if bsd_fd::cloexec(fd)? { "on" } else { "off" },
        if status.contains(OFlags::NONBLOCK) {
            "on"
        } else {
            "off"
        },
    ))
}

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    let (rx, tx) = bsd_fd::pipe(PipeFlags::CLOEXEC)?;
    println!("   pipe(CLOEXEC):");
    println!("     {}", describe("read end ", &rx)?);
    println!("     {}", describe("write end", &tx)?);

    let sent = bsd_fd::writev(&tx, &[IoSlice::new(b"hello, "), IoSlice::new(b"pipe")])?;
    println!(
        "   writev sent {sent} bytes; FIONREAD says {} are waiting",
        bsd_fd::bytes_readable(&rx)?
    );
    let (mut head, mut tail) = ([0u8; 7], [0u8; 16]);
    let got = bsd_fd::readv(
        &rx,
        &mut [IoSliceMut::new(&mut head), IoSliceMut::new(&mut tail)],
    )?;
    let text = [&head[..], &tail[..got.saturating_sub(head.len())]].concat();
    println!(
        "   readv got {got} bytes back: {:?}",
        String::from_utf8_lossy(&text)
    );
    if text != b"hello, pipe" {
        return Err("the bytes that came out differ from those that went in".into());
    }

    bsd_fd::set_nonblocking(&rx, true)?;
    bsd_fd::set_cloexec(&tx, false)?;
    println!("   after set_nonblocking(read end, true) and set_cloexec(write end, false):");
    println!("     {}", describe("read end ", &rx)?);
    println!("     {}", describe("write end", &tx)?);
    let mut buf = [0u8; 1];
    match bsd_fd::read(&rx, &mut buf) {
        Err(err) if err == bsd_fd::Errno::AGAIN => {
            println!("   reading the empty non-blocking pipe: {err}")
        }
        other => {
            return Err(
                format!("expected EAGAIN from an empty non-blocking pipe, got {other:?}").into(),
            )
        }
    }

    let high = bsd_fd::dup_min_cloexec(&rx, 64)?;
    println!(
        "   dup_min_cloexec(read end, 64) -> fd {}",
        high.as_raw_fd()
    );
    println!("     {}", describe("duplicate", &high)?);

    let null = bsd_fd::open("/dev/null", OFlags::WRONLY, Mode::empty())?;
    println!("   open(\"/dev/null\", WRONLY) adds close-on-exec by itself:");
    println!("     {}", describe("/dev/null", &null)?);
    println!(
        "   is_terminal: stdin {}, pipe {}",
        bsd_fd::is_terminal(std::io::stdin()),
        bsd_fd::is_terminal(&rx)
    );
    match bsd_fd::open("/no/such/file", OFlags::RDONLY, Mode::empty()) {
        Err(err) => println!("   open(\"/no/such/file\"): {err}"),
        Ok(_) => return Err("a missing file opened".into()),
    }
    drop(high);
    bsd_fd::close(rx)?;
    bsd_fd::close(tx)?;
    println!("   closed both ends explicitly: no error from close");
    Ok(())
}
