//! What a descriptor is (`fstat`), whether it is open, and socket state, as bsd-event's
//! emulation needs them.

use crate::backend::imp;
use crate::event::RawFd;
use crate::Result;

/// What `fstat` says about a descriptor's file, as far as bsd-event needs it.
///
/// New fields may be added: the struct is `#[non_exhaustive]`.
///
/// # Examples
/// ```
/// use std::os::fd::AsRawFd;
/// use bsd_sys::{event, libc};
///
/// let path = std::env::temp_dir().join(format!("bsd-sys-doc-fileinfo-{}", std::process::id()));
/// std::fs::write(&path, b"hello")?;
/// let file = std::fs::File::open(&path)?;
/// // SAFETY: `file` owns the descriptor and outlives the call.
/// let info = unsafe { event::file_info(file.as_raw_fd()) }?;
/// assert_eq!(info.mode & libc::S_IFMT, libc::S_IFREG);
/// assert_eq!((info.size, info.nlink), (5, 1));
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// - [Linux fstat(2)](https://man7.org/linux/man-pages/man2/fstat.2.html)
#[doc(alias = "stat")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct FileInfo {
    /// `st_mode`: the type bits (`S_IFMT`) and permissions.
    pub mode: u32,
    /// `st_nlink`: the number of hard links.
    pub nlink: u64,
    /// `st_dev`: the device holding the file.
    pub dev: u64,
    /// `st_ino`: the inode number.
    pub ino: u64,
    /// `st_size`: the size in bytes.
    pub size: i64,
}

/// Reads the type, link count, identity and size of the file behind `fd` (`fstat`).
///
/// # Safety
/// `fd` must be a descriptor the caller owns or borrows for the call (a closed one gives
/// `Errno::BADF`; nothing is read from or written to the file).
///
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY (every call below): both ends were just created and are owned here.
/// let info = unsafe { event::file_info(r) }?;
/// assert_eq!(info.mode & libc::S_IFMT, libc::S_IFIFO);
/// assert_eq!(unsafe { event::file_info(w) }?.ino, info.ino); // one pipe, two ends
/// unsafe { fd::close(r) }?;
/// unsafe { fd::close(w) }?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [Linux fstat(2)](https://man7.org/linux/man-pages/man2/fstat.2.html)
#[doc(alias = "fstat")]
#[inline]
pub unsafe fn file_info(fd: RawFd) -> Result<FileInfo> {
    // SAFETY: forwarded contract.
    let st = unsafe { imp::event::fstat(fd) }?;
    Ok(FileInfo {
        mode: st.st_mode,
        nlink: st.st_nlink as u64,
        dev: st.st_dev,
        ino: st.st_ino,
        size: st.st_size,
    })
}

/// Reads an `int` socket option.
///
/// # Safety
/// `fd` must be a descriptor the caller owns or borrows for the call.
unsafe fn sockopt_int(fd: RawFd, level: i32, name: i32) -> Result<i32> {
    let mut v = [0u8; 4];
    // SAFETY: `v` is writable for its length; forwarded contract for `fd`.
    unsafe { imp::event::getsockopt(fd, level, name, &mut v) }?;
    Ok(i32::from_ne_bytes(v))
}

/// Takes the pending error of socket `fd` (`getsockopt(SO_ERROR)`, which also clears it).
///
/// # Safety
/// `fd` must be a descriptor the caller owns or borrows for the call.
///
/// # Examples
/// ```
/// use std::os::fd::AsRawFd;
/// use bsd_sys::{event, fd, libc, Errno};
///
/// let (a, _b) = std::os::unix::net::UnixStream::pair()?;
/// // SAFETY: `a` owns the descriptor and outlives the call.
/// assert_eq!(unsafe { event::take_socket_error(a.as_raw_fd()) }?, 0); // no error pending
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY (all three calls): both ends were just created and are owned here.
/// assert_eq!(unsafe { event::take_socket_error(r) }, Err(Errno::NOTSOCK));
/// unsafe { fd::close(r) }?;
/// unsafe { fd::close(w) }?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// - [Linux socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html) (`SO_ERROR`)
#[doc(alias = "SO_ERROR")]
pub unsafe fn take_socket_error(fd: RawFd) -> Result<i32> {
    // SAFETY: forwarded contract.
    unsafe { sockopt_int(fd, libc::SOL_SOCKET, libc::SO_ERROR) }
}

/// The number of connections waiting to be accepted on a listening socket: `Ok(None)` when
/// `fd` is not listening, `Err` when it is but Linux does not say how many (only TCP does).
///
/// Linux's `FIONREAD` refuses listening sockets (`tcp_ioctl`: `EINVAL`); `TCP_INFO` reports a
/// listener's accept queue length in `tcpi_unacked` (`tcp_get_info` in `net/ipv4/tcp.c`).
///
/// # Safety
/// `fd` must be a descriptor the caller owns or borrows for the call.
///
/// # Examples
/// ```
/// use std::net::{TcpListener, TcpStream};
/// use std::os::fd::AsRawFd;
/// use std::time::{Duration, Instant};
/// use bsd_sys::event;
///
/// let listener = TcpListener::bind("127.0.0.1:0")?;
/// // SAFETY (every call below): the sockets own their descriptors and outlive the calls.
/// let queued = || unsafe { event::accept_queue_len(listener.as_raw_fd()) };
/// assert_eq!(queued()?, Some(0));
/// let client = TcpStream::connect(listener.local_addr()?)?;
/// // Queued once the handshake's last ACK is in: at once on loopback, but allow a moment.
/// let deadline = Instant::now() + Duration::from_secs(2);
/// while queued()? != Some(1) && Instant::now() < deadline {
///     std::thread::yield_now();
/// }
/// assert_eq!(queued()?, Some(1));
/// assert_eq!(unsafe { event::accept_queue_len(client.as_raw_fd()) }?, None); // not listening
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// - [Linux socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html) (`SO_ACCEPTCONN`)
/// - [Linux tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html) (`TCP_INFO`)
#[doc(alias = "SO_ACCEPTCONN")]
pub unsafe fn accept_queue_len(fd: RawFd) -> Result<Option<u32>> {
    // SAFETY: forwarded contract.
    if unsafe { sockopt_int(fd, libc::SOL_SOCKET, libc::SO_ACCEPTCONN) }? == 0 {
        return Ok(None);
    }
    // struct tcp_info: u8 tcpi_state at 0, u32 tcpi_unacked at 24 (include/uapi/linux/tcp.h).
    let mut info = [0u8; 32];
    // SAFETY: `info` is writable for its length; forwarded contract for `fd`.
    unsafe { imp::event::getsockopt(fd, libc::IPPROTO_TCP, libc::TCP_INFO, &mut info) }?;
    const TCP_LISTEN: u8 = 10;
    if info[0] != TCP_LISTEN {
        return Err(crate::Errno::OPNOTSUPP);
    }
    Ok(Some(u32::from_ne_bytes([
        info[24], info[25], info[26], info[27],
    ])))
}

/// Free space in the send buffer of socket `fd`, as far as Linux tells: `SO_SNDBUF` (the
/// buffer's size, which Linux doubles for its own bookkeeping, `socket(7)`) minus
/// `SIOCOUTQ` (bytes queued and not yet acknowledged or read, `tcp(7)`, `unix(7)`). An
/// estimate: the kernel also counts per-packet overhead against the buffer.
///
/// # Safety
/// `fd` must be a descriptor the caller owns or borrows for the call.
///
/// # Examples
/// ```
/// use std::os::fd::AsRawFd;
/// use std::os::unix::net::UnixStream;
///
/// let (a, _b) = UnixStream::pair().unwrap();
/// // SAFETY: `a` is open for the call.
/// let space = unsafe { bsd_sys::event::socket_send_space(a.as_raw_fd()) }.unwrap();
/// assert!(space > 0); // nothing queued yet
/// ```
///
/// # References
/// - [Linux socket(7)](https://man7.org/linux/man-pages/man7/socket.7.html) (`SO_SNDBUF`)
/// - [Linux tcp(7)](https://man7.org/linux/man-pages/man7/tcp.7.html) (`SIOCOUTQ`)
#[doc(alias = "SIOCOUTQ")]
pub unsafe fn socket_send_space(fd: RawFd) -> Result<i64> {
    // SAFETY: forwarded contract.
    let size = unsafe { sockopt_int(fd, libc::SOL_SOCKET, libc::SO_SNDBUF) }?;
    // SAFETY: forwarded contract.
    let queued = unsafe { imp::event::socket_out_queue(fd) }?;
    Ok((i64::from(size) - i64::from(queued)).max(0))
}

/// Whether `fd` is an open descriptor, with the cheapest call that tells (`lseek(fd, 0,
/// SEEK_CUR)` through libc, which changes nothing and fails only with `EBADF` for a closed
/// number, or `ESPIPE`, still open, for pipes and sockets; `fcntl(F_GETFD)` in the raw backend).
///
/// # Safety
/// `fd` must be a number the caller may query (nothing is read, written or closed).
///
/// # Examples
/// ```
/// use bsd_sys::{event, fd, libc};
///
/// let [r, w] = fd::pipe2(libc::O_CLOEXEC)?;
/// // SAFETY (every call below): both ends were just created and are owned here; after the
/// // close, `r` is only queried, and no other thread opens descriptors meanwhile.
/// assert!(unsafe { event::fd_is_open(r) });
/// unsafe { fd::close(r) }?;
/// assert!(!unsafe { event::fd_is_open(r) });
/// unsafe { fd::close(w) }?;
/// # Ok::<(), bsd_sys::Errno>(())
/// ```
///
/// # References
/// - [Linux lseek(2)](https://man7.org/linux/man-pages/man2/lseek.2.html)
#[doc(alias = "lseek")]
#[inline]
#[must_use]
pub unsafe fn fd_is_open(fd: RawFd) -> bool {
    // SAFETY: forwarded contract.
    unsafe { imp::event::fd_is_open(fd) }
}
