//! The fd concern through the active backend: real descriptors, real bytes.

use bsd_sys::fd::{self, IoVec};
use bsd_sys::{libc, Errno};

#[test]
fn pipe2_write_read_fionread_close() {
    let [r, w] = fd::pipe2(libc::O_CLOEXEC | libc::O_NONBLOCK).unwrap();
    assert!(r >= 0 && w >= 0 && r != w);
    // SAFETY: `r` and `w` were just created and are owned here; each is closed once at the end.
    unsafe {
        assert_eq!(
            fd::fcntl_getfd(r).unwrap() & libc::FD_CLOEXEC,
            libc::FD_CLOEXEC
        );
        assert_eq!(
            fd::fcntl_getfl(w).unwrap() & libc::O_NONBLOCK,
            libc::O_NONBLOCK
        );
        let mut buf = [0u8; 8];
        assert_eq!(fd::read(r, &mut buf), Err(Errno::AGAIN));
        assert_eq!(fd::write(w, b"abc").unwrap(), 3);
        assert_eq!(fd::ioctl_fionread(r).unwrap(), 3);
        assert_eq!(fd::read(r, &mut buf).unwrap(), 3);
        assert_eq!(&buf[..3], b"abc");
        assert_eq!(fd::isatty(r), Ok(false));
        let dup = fd::fcntl_dupfd_cloexec(r, 100).unwrap();
        assert!(dup >= 100);
        assert_eq!(
            fd::fcntl_getfd(dup).unwrap() & libc::FD_CLOEXEC,
            libc::FD_CLOEXEC
        );
        fd::close(dup).unwrap();
        fd::close(r).unwrap();
        fd::close(w).unwrap();
    }
}

#[test]
fn positional_and_vectored_on_a_file() {
    let path = std::env::temp_dir().join(format!("bsd-sys-fd-{}\0", std::process::id()));
    let cpath = std::ffi::CStr::from_bytes_with_nul(path.to_str().unwrap().as_bytes()).unwrap();
    let f = fd::open(
        cpath,
        libc::O_RDWR | libc::O_CREAT | libc::O_TRUNC | libc::O_CLOEXEC,
        0o600,
    )
    .unwrap();
    let (a, b) = (*b"hello ", *b"world");
    let iov = [
        IoVec {
            iov_base: a.as_ptr() as *mut _,
            iov_len: a.len(),
        },
        IoVec {
            iov_base: b.as_ptr() as *mut _,
            iov_len: b.len(),
        },
    ];
    let (mut x, mut y) = ([0u8; 3], [0u8; 8]);
    // SAFETY: `f` is owned here and closed once; every iovec points to a live local buffer.
    unsafe {
        assert_eq!(fd::writev(f, &iov).unwrap(), 11);
        assert_eq!(fd::pwrite(f, b"J", 6).unwrap(), 1);
        let mut one = [0u8; 5];
        assert_eq!(fd::pread(f, &mut one, 6).unwrap(), 5);
        assert_eq!(&one, b"Jorld");
        assert_eq!(fd::pwritev(f, &iov[..1], 11).unwrap(), 6);
        let out = [
            IoVec {
                iov_base: x.as_mut_ptr().cast(),
                iov_len: x.len(),
            },
            IoVec {
                iov_base: y.as_mut_ptr().cast(),
                iov_len: y.len(),
            },
        ];
        assert_eq!(fd::preadv(f, &out, 3).unwrap(), 11);
        fd::close(f).unwrap();
    }
    assert_eq!(&x, b"lo ");
    assert_eq!(&y, b"Jorldhel");
    let missing = std::ffi::CString::new("/nonexistent/bsd-sys").unwrap();
    assert_eq!(fd::open(&missing, libc::O_RDONLY, 0), Err(Errno::NOENT));
    std::fs::remove_file(path.to_str().unwrap().trim_end_matches('\0')).unwrap();
}

#[test]
fn vectored_and_positional_edge_cases_answer_alike_on_every_os() {
    let [r, w] = fd::pipe2(libc::O_CLOEXEC).unwrap();
    let path = std::env::temp_dir().join(format!("bsd-sys-edge-{}", std::process::id()));
    let file = std::fs::File::create(&path).unwrap();
    let f = std::os::fd::AsRawFd::as_raw_fd(&file);
    let mut byte = [0u8; 1];
    let one = IoVec {
        iov_base: byte.as_mut_ptr().cast(),
        iov_len: 1,
    };
    let too_many = vec![one; fd::IOV_MAX + 1];
    // SAFETY: the descriptors are live for the calls; every iovec points at `byte`.
    unsafe {
        // No buffers: Ok(0) without asking the kernel (OpenBSD's would say EINVAL).
        assert_eq!(fd::readv(r, &[]), Ok(0));
        assert_eq!(fd::writev(w, &[]), Ok(0));
        assert_eq!(fd::preadv(f, &[], 0), Ok(0));
        assert_eq!(fd::pwritev(f, &[], 0), Ok(0));
        // Too many: EINVAL everywhere (DragonFly's kernel would say EMSGSIZE).
        assert_eq!(fd::writev(w, &too_many), Err(Errno::INVAL));
        assert_eq!(fd::pwritev(f, &too_many, 0), Err(Errno::INVAL));
        // Negative offsets: EINVAL everywhere (DragonFly would read at the file offset).
        assert_eq!(fd::pwrite(f, b"x", -1), Err(Errno::INVAL));
        assert_eq!(fd::pread(f, &mut byte, -1), Err(Errno::INVAL));
        assert_eq!(fd::pwritev(f, &[one], -1), Err(Errno::INVAL));
        assert_eq!(fd::preadv(f, &[one], i64::MIN), Err(Errno::INVAL));
        // Nothing was written by any of them.
        assert_eq!(fd::ioctl_fionread(r).unwrap(), 0);
        fd::close(r).unwrap();
        fd::close(w).unwrap();
    }
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    drop(file);
    std::fs::remove_file(&path).unwrap();
}
