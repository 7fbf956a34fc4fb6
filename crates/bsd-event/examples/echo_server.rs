//! A TCP echo server on one kqueue, with clients in other threads.
//!
//! The server listens on `127.0.0.1:0` and echoes every byte back. It shows the pieces of a
//! real event loop:
//! - `Read` on the listener (connections to accept) and on each connection (bytes, or `EV_EOF`
//!   when the client shut its side down);
//! - `Write` registered only while a reply is buffered, because the client reads slower than
//!   it writes, and deleted once the buffer is flushed;
//! - a periodic `Timer` that fails the run if nothing happened for two seconds;
//! - a `Waker` with which the clients' thread stops the loop.
//!
//! One client sends lines and reads each echo before the next line; another uploads 32 MiB before
//! reading any, so the server's replies back up and need `Write`. Run with
//! `cargo run -p bsd-event --example echo_server`; it exits 0 when every byte came back.

use std::collections::HashMap;
use std::error::Error;
use std::io::{self, BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use bsd_event::{Change, EventKind, Events, Filter, Kqueue, Waker};

const LISTENER: u64 = 0;
const WAKER: u64 = 1;
const TICK: u64 = 2;
/// Connection tokens start here.
const FIRST_CONN: u64 = 16;
const IDLE_TIMEOUT: Duration = Duration::from_secs(2);
/// Far more than the socket buffers hold, so the server must wait for `Write`: Linux grows a
/// loopback TCP connection's buffers up to `tcp_rmem`/`tcp_wmem`'s maxima (6 MiB + 4 MiB by
/// default, tcp(7)), so together they can take 10 MiB; the BSDs' socket buffers are smaller.
const BULK: usize = 32 << 20;

/// One accepted connection and the bytes still to send back.
struct Conn {
    stream: TcpStream,
    pending: Vec<u8>,
    /// How much of `pending` was sent already.
    sent: usize,
    /// A `Write` registration exists (the socket buffer was full).
    watching_write: bool,
    /// The client shut down its side: close once `pending` is flushed.
    peer_done: bool,
}

#[derive(Debug, Default)]
struct Stats {
    accepted: u64,
    echoed: u64,
    write_waits: u64,
    ticks: u64,
}

fn main() -> Result<(), Box<dyn Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    println!("echo server on {addr}");

    let kq = Kqueue::new()?;
    let tick = Filter::Timer {
        id: 1,
        period: Duration::from_millis(250),
    };
    kq.apply(&[
        Change::add(Filter::read(&listener), LISTENER),
        Change::add(tick, TICK),
    ])?
    .into_iter()
    .collect::<Result<Vec<()>, _>>()?;
    let waker = Waker::new(&kq, WAKER)?;

    let stats = thread::scope(|s| {
        let clients = s.spawn(|| {
            let result = run_clients(addr);
            // Stop the server whatever happened, so a failing client cannot hang it.
            waker.wake().expect("wake the server");
            result
        });
        let served = serve(&kq, &listener, &waker);
        let clients = clients.join().expect("client thread panicked");
        clients.map_err(|e| format!("client: {e}"))?;
        served
    })?;

    println!("{stats:?}");
    if stats.accepted != 2 || stats.echoed != expected_bytes() {
        return Err(format!("expected 2 connections and {} bytes", expected_bytes()).into());
    }
    if stats.write_waits == 0 {
        return Err("the bulk reply never filled the socket buffer".into());
    }
    println!("ok: every byte came back");
    Ok(())
}

/// The lines the interactive client sends.
fn lines() -> impl Iterator<Item = String> {
    (1..=20).map(|i| format!("line {i}: {}\n", "echo ".repeat(i)))
}

fn expected_bytes() -> u64 {
    (lines().map(|l| l.len()).sum::<usize>() + BULK) as u64
}

/// The event loop: runs until the waker fires, then checks every connection was closed.
fn serve(kq: &Kqueue, listener: &TcpListener, waker: &Waker) -> Result<Stats, Box<dyn Error>> {
    let mut conns: HashMap<u64, Conn> = HashMap::new();
    let mut next_token = FIRST_CONN;
    let mut stats = Stats::default();
    let mut last_activity = Instant::now();
    let mut events = Events::with_capacity(64);
    loop {
        match kq.wait(&mut events, None) {
            Err(e) if e == bsd_event::Errno::INTR => continue,
            other => other?,
        };
        for ev in &events {
            if ev.token() != TICK {
                last_activity = Instant::now();
            }
            match (ev.token(), ev.kind()?) {
                (WAKER, _) => {
                    waker.reset()?;
                    if !conns.is_empty() {
                        return Err(format!("{} connection(s) still open", conns.len()).into());
                    }
                    return Ok(stats);
                }
                (TICK, EventKind::Timer { expirations, .. }) => {
                    stats.ticks += expirations;
                    if last_activity.elapsed() > IDLE_TIMEOUT {
                        return Err("idle for too long: a client is stuck".into());
                    }
                }
                (LISTENER, EventKind::Read { .. }) => loop {
                    match listener.accept() {
                        Ok((stream, peer)) => {
                            stream.set_nonblocking(true)?;
                            kq.register(Change::add(Filter::read(&stream), next_token))?;
                            println!("accepted {peer} as token {next_token}");
                            conns.insert(
                                next_token,
                                Conn {
                                    stream,
                                    pending: Vec::new(),
                                    sent: 0,
                                    watching_write: false,
                                    peer_done: false,
                                },
                            );
                            next_token += 1;
                            stats.accepted += 1;
                        }
                        Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                        Err(e) => return Err(e.into()),
                    }
                },
                (token, EventKind::Read { eof, .. }) => {
                    let Some(conn) = conns.get_mut(&token) else {
                        continue; // closed earlier in this batch
                    };
                    stats.echoed += drain(conn)?;
                    if eof {
                        conn.peer_done = true;
                        // Nothing more will come: stop watching for bytes.
                        kq.register(Change::delete(Filter::read(&conn.stream)))?;
                    }
                    flush(kq, token, conn, &mut stats)?;
                }
                (token, EventKind::Write { .. }) => {
                    if let Some(conn) = conns.get_mut(&token) {
                        flush(kq, token, conn, &mut stats)?;
                    }
                }
                (token, other) => return Err(format!("token {token}: {other:?}").into()),
            }
            if let Some(conn) = conns.get(&ev.token()) {
                if conn.peer_done && conn.pending.is_empty() {
                    // Registrations are gone (Read deleted at EOF, Write once flushed).
                    let conn = conns.remove(&ev.token()).expect("present");
                    println!("token {} done", ev.token());
                    drop(conn.stream);
                }
            }
        }
    }
}

/// Reads everything available into `pending`; returns how many bytes came.
fn drain(conn: &mut Conn) -> io::Result<u64> {
    let mut buf = [0u8; 16 * 1024];
    let mut total = 0;
    loop {
        match conn.stream.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => {
                conn.pending.extend_from_slice(&buf[..n]);
                total += n as u64;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(total),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Writes what the socket takes; watches `Write` while bytes remain, and stops once flushed.
fn flush(kq: &Kqueue, token: u64, conn: &mut Conn, stats: &mut Stats) -> io::Result<()> {
    while conn.sent < conn.pending.len() {
        match conn.stream.write(&conn.pending[conn.sent..]) {
            Ok(n) => conn.sent += n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    if conn.sent == conn.pending.len() {
        conn.pending.clear();
        conn.sent = 0;
    }
    let want = !conn.pending.is_empty();
    if want != conn.watching_write {
        let write = Filter::write(&conn.stream);
        if want {
            stats.write_waits += 1;
            kq.register(Change::add(write, token))?;
        } else {
            kq.register(Change::delete(write))?;
        }
        conn.watching_write = want;
    }
    Ok(())
}

/// Two clients at once: one line by line, one bulk transfer.
fn run_clients(addr: std::net::SocketAddr) -> io::Result<()> {
    thread::scope(|s| {
        let bulk = s.spawn(move || -> io::Result<()> {
            let mut stream = TcpStream::connect(addr)?;
            stream.set_read_timeout(Some(Duration::from_secs(5)))?;
            let data: Vec<u8> = (0..BULK).map(|i| (i % 251) as u8).collect();
            // Upload everything before reading: the server's replies back up meanwhile.
            stream.write_all(&data)?;
            stream.shutdown(Shutdown::Write)?;
            let mut back = Vec::with_capacity(BULK);
            stream.read_to_end(&mut back)?;
            if back != data {
                return Err(io::Error::other(format!(
                    "bulk echo differs ({} of {BULK} bytes back)",
                    back.len()
                )));
            }
            println!("bulk client: {BULK} bytes echoed");
            Ok(())
        });

        let mut stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut count = 0;
        for line in lines() {
            stream.write_all(line.as_bytes())?;
            let mut back = String::new();
            reader.read_line(&mut back)?;
            if back != line {
                return Err(io::Error::other(format!("sent {line:?}, got {back:?}")));
            }
            count += 1;
        }
        stream.shutdown(Shutdown::Write)?;
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest)?; // the server closes after our EOF
        if !rest.is_empty() {
            return Err(io::Error::other("bytes after the last echo"));
        }
        println!("line client: {count} lines echoed");
        bulk.join().expect("bulk client panicked")
    })
}
