//! A pipe-to-socket relay: a producer thread writes framed records into a pipe (each record
//! one `writev` of header and payload), the relay moves the bytes to one end of a Unix socket
//! pair with `poll` over non-blocking descriptors, queueing what the socket cannot take yet
//! in a ring buffer that it sends with one `writev` of the ring's two halves, and a consumer
//! thread reads the other end and checks every record.
//!
//! Records carry a sequence number and a checksum; the consumer fails on a gap, a reordering
//! or a corrupt payload, and the program fails if not every record arrives or the relay stalls
//! for a second. Exits 1 on failure.
//!
//! `cargo run -p bsd-fd --example relay`

use std::collections::VecDeque;
use std::io::IoSlice;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use bsd_fd::{Errno, FileType, PipeFlags, PollFd, PollFlags};

const RECORDS: u32 = 5_000;
/// Header: sequence number (u32), payload length (u16), payload checksum (u16), little-endian.
const HEADER: usize = 8;
/// Stop reading the pipe while this much is queued for the socket (back-pressure).
const QUEUE_LIMIT: usize = 64 * 1024;

fn checksum(payload: &[u8]) -> u16 {
    payload
        .iter()
        .fold(0u16, |sum, &b| sum.rotate_left(3) ^ u16::from(b))
}

fn payload(seq: u32) -> Vec<u8> {
    let len = (seq * 7 % 200) as usize;
    (0..len).map(|i| (seq as usize + i) as u8).collect()
}

/// Writes every record into the pipe, one `writev` each. A record is at most 207 bytes, below
/// the smallest `PIPE_BUF` POSIX allows (`_POSIX_PIPE_BUF`, 512: OpenBSD's and DragonFly's
/// value), so every OS writes each one atomically and a blocking pipe never splits it.
fn produce(tx: OwnedFd) -> bsd_fd::Result<()> {
    for seq in 0..RECORDS {
        let body = payload(seq);
        let mut head = [0u8; HEADER];
        head[..4].copy_from_slice(&seq.to_le_bytes());
        head[4..6].copy_from_slice(&(body.len() as u16).to_le_bytes());
        head[6..].copy_from_slice(&checksum(&body).to_le_bytes());
        let n = bsd_fd::writev(&tx, &[IoSlice::new(&head), IoSlice::new(&body)])?;
        if n != HEADER + body.len() {
            return Err(Errno::IO); // a short pipe write of fewer than PIPE_BUF bytes
        }
    }
    Ok(()) // dropping `tx` is the end of the stream
}

/// Reads the socket to its end and checks the records; returns how many arrived.
fn consume(socket: UnixStream) -> Result<u32, String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match bsd_fd::read(&socket, &mut buf) {
            Ok(0) => break,
            Ok(n) => data.extend_from_slice(&buf[..n]),
            Err(Errno::INTR) => continue,
            Err(err) => return Err(format!("consumer read: {err}")),
        }
    }
    let (mut at, mut expected) = (0, 0u32);
    while at < data.len() {
        let head = data
            .get(at..at + HEADER)
            .ok_or("a record header is cut off")?;
        let seq = u32::from_le_bytes(head[..4].try_into().unwrap());
        let len = usize::from(u16::from_le_bytes(head[4..6].try_into().unwrap()));
        let sum = u16::from_le_bytes(head[6..].try_into().unwrap());
        let body = data
            .get(at + HEADER..at + HEADER + len)
            .ok_or("a payload is cut off")?;
        if seq != expected || checksum(body) != sum || body != payload(seq) {
            return Err(format!(
                "record {expected}: got sequence {seq}, {len} bytes, bad data"
            ));
        }
        at += HEADER + len;
        expected += 1;
    }
    Ok(expected)
}

/// Moves bytes from `input` to `output` until `input` ends and everything is sent.
/// Returns (bytes relayed, writev calls, polls).
fn relay(input: OwnedFd, output: UnixStream) -> bsd_fd::Result<(usize, usize, usize)> {
    bsd_fd::set_nonblocking(&input, true)?;
    bsd_fd::set_nonblocking(&output, true)?;
    let mut queue = VecDeque::with_capacity(QUEUE_LIMIT);
    let (mut input_open, mut total, mut writes, mut polls) = (true, 0, 0, 0);
    let mut chunk = [0u8; 4096];
    while input_open || !queue.is_empty() {
        let want_in = if input_open && queue.len() < QUEUE_LIMIT {
            PollFlags::IN
        } else {
            PollFlags::empty()
        };
        let want_out = if queue.is_empty() {
            PollFlags::empty()
        } else {
            PollFlags::OUT
        };
        let mut fds = [
            PollFd::new(input.as_fd(), want_in),
            PollFd::new(output.as_fd(), want_out),
        ];
        polls += 1;
        match bsd_fd::poll(&mut fds, Some(Duration::from_secs(1))) {
            Ok(0) => return Err(Errno::TIMEDOUT), // stalled
            Ok(_) => {}
            Err(Errno::INTR) => continue,
            Err(err) => return Err(err),
        }
        // HUP arrives with (or after) the last bytes; read until the pipe says end of file.
        if fds[0].revents().intersects(PollFlags::IN | PollFlags::HUP) {
            loop {
                match bsd_fd::read(&input, &mut chunk) {
                    Ok(0) => {
                        input_open = false;
                        break;
                    }
                    Ok(n) => {
                        queue.extend(&chunk[..n]);
                        if queue.len() >= QUEUE_LIMIT {
                            break;
                        }
                    }
                    Err(Errno::AGAIN) => break,
                    Err(err) => return Err(err),
                }
            }
        }
        if fds[1].revents().intersects(PollFlags::ERR | PollFlags::HUP) {
            return Err(Errno::PIPE);
        }
        if fds[1].revents().contains(PollFlags::OUT) || !queue.is_empty() {
            let (front, back) = queue.as_slices();
            match bsd_fd::writev(&output, &[IoSlice::new(front), IoSlice::new(back)]) {
                Ok(n) => {
                    queue.drain(..n);
                    total += n;
                    writes += 1;
                }
                Err(Errno::AGAIN | Errno::INTR) => {}
                Err(err) => return Err(err),
            }
        }
    }
    Ok((total, writes, polls)) // dropping `output` ends the consumer's stream
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let (rx, tx) = bsd_fd::pipe(PipeFlags::CLOEXEC)?;
    let (near, far) = UnixStream::pair()?;
    println!(
        "pipe read end: {:?}, socket: {:?}",
        bsd_fd::fstat(&rx)?.file_type,
        bsd_fd::fstat(&near)?.file_type
    );
    if bsd_fd::fstat(&near)?.file_type != FileType::Socket {
        return Err("a socket pair that is no socket".into());
    }

    let start = Instant::now();
    let producer = thread::spawn(move || produce(tx));
    let consumer = thread::spawn(move || consume(far));
    let relayed = relay(rx, near);
    producer.join().map_err(|_| "the producer panicked")??;
    let received = consumer.join().map_err(|_| "the consumer panicked")??;
    let (bytes, writes, polls) = relayed?;

    println!(
        "relayed {received} records ({bytes} bytes) in {writes} writev calls over {polls} polls, {:?}",
        start.elapsed()
    );
    if received != RECORDS {
        return Err(format!("{received} of {RECORDS} records arrived").into());
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("relay: {err}");
            ExitCode::FAILURE
        }
    }
}
