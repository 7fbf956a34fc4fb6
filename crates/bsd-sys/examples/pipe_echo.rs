//! An echo service over two pipes, through raw bsd-sys calls only: the client sends framed
//! messages with one `writev` each (length header + body), the server waits with `poll`,
//! gathers header and body with one `readv`, and answers in upper case with `writev`.
//!
//! Run: `cargo run -p bsd-sys --example pipe_echo` (exits non-zero if an echo is wrong).

use std::error::Error;
use std::thread;

use bsd_sys::fd::{self, IoVec, PollFd, RawFd};
use bsd_sys::{libc, Errno};

/// Longest body; header + body stay under `PIPE_BUF` (512 on the BSDs), so each `writev` is
/// atomic and never interleaves with another.
const MAX_BODY: usize = 256;

/// Sends one frame: a 4-byte native-endian length, then the body, in one system call.
fn send(w: RawFd, body: &[u8]) -> bsd_sys::Result<()> {
    let len = u32::try_from(body.len())
        .map_err(|_| Errno::MSGSIZE)?
        .to_ne_bytes();
    let iov = [
        IoVec {
            iov_base: len.as_ptr() as *mut _,
            iov_len: len.len(),
        },
        IoVec {
            iov_base: body.as_ptr() as *mut _,
            iov_len: body.len(),
        },
    ];
    // SAFETY: the caller owns `w` for this call; both buffers live across it.
    let sent = unsafe { fd::writev(w, &iov)? };
    if sent == len.len() + body.len() {
        Ok(())
    } else {
        Err(Errno::IO) // an atomic pipe write is never short
    }
}

/// Waits (at most 2 s) for one frame and returns its body, or `None` at end of file.
fn recv(r: RawFd, body: &mut [u8; MAX_BODY]) -> bsd_sys::Result<Option<usize>> {
    let mut set = [PollFd {
        fd: r,
        events: libc::POLLIN,
        revents: 0,
    }];
    // SAFETY: the caller owns `r` for this call.
    if unsafe { fd::poll(&mut set, 2000)? } == 0 {
        return Err(Errno::TIMEDOUT);
    }
    let mut len = [0u8; 4];
    let iov = [
        IoVec {
            iov_base: len.as_mut_ptr().cast(),
            iov_len: len.len(),
        },
        IoVec {
            iov_base: body.as_mut_ptr().cast(),
            iov_len: body.len(),
        },
    ];
    // SAFETY: as above; both buffers are ours and untouched during the call.
    let got = unsafe { fd::readv(r, &iov)? };
    if got == 0 {
        return Ok(None);
    }
    let want = u32::from_ne_bytes(len) as usize;
    // The frame was written atomically, so it arrives whole.
    if got < len.len() || got - len.len() != want {
        return Err(Errno::IO);
    }
    Ok(Some(want))
}

fn serve(requests: RawFd, replies: RawFd) -> bsd_sys::Result<usize> {
    let mut body = [0u8; MAX_BODY];
    let mut served = 0;
    while let Some(n) = recv(requests, &mut body)? {
        body[..n].make_ascii_uppercase();
        send(replies, &body[..n])?;
        served += 1;
    }
    Ok(served)
}

fn main() -> Result<(), Box<dyn Error>> {
    let [req_r, req_w] = fd::pipe2(libc::O_CLOEXEC)?;
    let [rep_r, rep_w] = fd::pipe2(libc::O_CLOEXEC)?;
    // The server thread owns `req_r` and `rep_w` and closes them; main owns the other two.
    let server = thread::spawn(move || {
        let served = serve(req_r, rep_w);
        // SAFETY: both descriptors belong to this thread and are closed once, here.
        unsafe {
            let _ = fd::close(req_r);
            let _ = fd::close(rep_w);
        }
        served
    });

    let messages: [&[u8]; 4] = [b"hello", b"kqueue and epoll", b"", b"bsd-rs"];
    let mut body = [0u8; MAX_BODY];
    for msg in messages {
        send(req_w, msg)?;
        let n = recv(rep_r, &mut body)?.ok_or("server hung up")?;
        let want = msg.to_ascii_uppercase();
        if body[..n] != want[..] {
            return Err(format!("echo of {msg:?} came back as {:?}", &body[..n]).into());
        }
        println!(
            "{:?} -> {:?}",
            String::from_utf8_lossy(msg),
            String::from_utf8_lossy(&body[..n])
        );
    }
    // End of file on the request pipe stops the server.
    // SAFETY: `req_w` is main's and closed once.
    unsafe { fd::close(req_w)? };
    let served = server.join().map_err(|_| "server panicked")??;
    // SAFETY: `rep_r` is main's and closed once.
    unsafe { fd::close(rep_r)? };
    if served != messages.len() {
        return Err(format!("served {served} of {}", messages.len()).into());
    }
    println!(
        "{served} messages echoed over pipes ({} backend)",
        bsd_sys::BACKEND
    );
    Ok(())
}
