//! Typed flags: `OFlags` (open and status flags), `Mode` (permission bits), `PipeFlags`.

use bsd_sys::libc;

bitflags::bitflags! {
    /// Flags for [`open`](crate::open) and [`openat`](crate::openat), and the file status flags
    /// read by [`status_flags`](crate::status_flags) (`O_*`).
    ///
    /// Read-only access is the absence of `WRONLY` and `RDWR` ([`OFlags::RDONLY`] is zero). Bits
    /// this type has no name for are kept as they are.
    ///
    /// # Platform
    /// The values differ per OS (`O_CLOEXEC` is 0x10000 on OpenBSD, 0x20000 on DragonFly and
    /// 0o2000000 on Linux; `O_DIRECTORY` 0x20000, 0x8000000 and 0o200000): each constant is the
    /// target's own value.
    ///
    /// # References
    /// - [OpenBSD open(2)](https://man.openbsd.org/open.2)
    /// - [DragonFly open(2)](https://man.dragonflybsd.org/?command=open&section=2)
    /// - [Linux open(2)](https://man7.org/linux/man-pages/man2/open.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_fd::{open, status_flags, Mode, OFlags};
    ///
    /// assert!(OFlags::RDONLY.is_empty()); // read-only is the absence of WRONLY and RDWR
    /// let null = open("/dev/null", OFlags::RDWR | OFlags::NONBLOCK, Mode::empty())?;
    /// assert!(status_flags(&null)?.contains(OFlags::RDWR | OFlags::NONBLOCK));
    /// # Ok::<(), bsd_fd::Errno>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct OFlags: libc::c_int {
        /// `O_RDONLY`: open for reading only (zero: the absence of `WRONLY` and `RDWR`).
        #[doc(alias = "O_RDONLY")]
        const RDONLY = libc::O_RDONLY;
        /// `O_WRONLY`: open for writing only.
        #[doc(alias = "O_WRONLY")]
        const WRONLY = libc::O_WRONLY;
        /// `O_RDWR`: open for reading and writing.
        #[doc(alias = "O_RDWR")]
        const RDWR = libc::O_RDWR;
        /// `O_APPEND`: every write goes to the end of the file.
        #[doc(alias = "O_APPEND")]
        const APPEND = libc::O_APPEND;
        /// `O_CREAT`: create the file if it does not exist, with the given [`Mode`].
        #[doc(alias = "O_CREAT")]
        const CREAT = libc::O_CREAT;
        /// `O_EXCL`: with `CREAT`, fail with `Errno::EXIST` if the file exists.
        #[doc(alias = "O_EXCL")]
        const EXCL = libc::O_EXCL;
        /// `O_TRUNC`: truncate a regular file opened for writing to length 0.
        #[doc(alias = "O_TRUNC")]
        const TRUNC = libc::O_TRUNC;
        /// `O_NONBLOCK`: reads and writes return `Errno::AGAIN` instead of blocking.
        #[doc(alias = "O_NONBLOCK")]
        const NONBLOCK = libc::O_NONBLOCK;
        /// `O_NOFOLLOW`: fail if the last path component is a symbolic link.
        #[doc(alias = "O_NOFOLLOW")]
        const NOFOLLOW = libc::O_NOFOLLOW;
        /// `O_DIRECTORY`: fail with `Errno::NOTDIR` unless the path is a directory.
        #[doc(alias = "O_DIRECTORY")]
        const DIRECTORY = libc::O_DIRECTORY;
        /// `O_NOCTTY`: do not make a terminal the controlling terminal (the BSDs never do).
        #[doc(alias = "O_NOCTTY")]
        const NOCTTY = libc::O_NOCTTY;
        /// `O_SYNC`: writes complete only once the data and metadata reach the device.
        #[doc(alias = "O_SYNC")]
        const SYNC = libc::O_SYNC;
        /// `O_CLOEXEC`: close the descriptor in executed programs. [`open`](crate::open) and
        /// [`openat`](crate::openat) always add it.
        #[doc(alias = "O_CLOEXEC")]
        const CLOEXEC = libc::O_CLOEXEC;

        const _ = !0;
    }
}

bitflags::bitflags! {
    /// Permission bits for a file created with [`OFlags::CREAT`] (`mode_t`), before the umask.
    ///
    /// Any value is accepted (`Mode::from_bits_retain(0o644)`); the named constants are the
    /// usual `S_I*` bits.
    ///
    /// # Platform
    /// `mode_t` is `u32` on OpenBSD and Linux and `u16` on DragonFly; the bit values are the same.
    ///
    /// # References
    /// - [OpenBSD chmod(2)](https://man.openbsd.org/chmod.2)
    /// - [DragonFly chmod(2)](https://man.dragonflybsd.org/?command=chmod&section=2)
    /// - [Linux inode(7)](https://man7.org/linux/man-pages/man7/inode.7.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_fd::{fstat, open, Mode, OFlags};
    ///
    /// let path = std::env::temp_dir().join(format!("bsd-fd-doc-mode-{}", std::process::id()));
    /// let file = open(&path, OFlags::CREAT | OFlags::EXCL | OFlags::WRONLY, Mode::RUSR | Mode::WUSR)?;
    /// // 0o600 (the umask only clears bits; usual ones clear only group and other bits)
    /// assert_eq!(fstat(&file)?.mode, Mode::RUSR | Mode::WUSR);
    /// assert_eq!(Mode::from_bits_retain(0o644), Mode::RUSR | Mode::WUSR | Mode::RGRP | Mode::ROTH);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Mode: bsd_sys::fd::Mode {
        /// `S_IRWXU`: read, write and execute for the owner.
        #[doc(alias = "S_IRWXU")]
        const RWXU = libc::S_IRWXU;
        /// `S_IRUSR`: read for the owner.
        #[doc(alias = "S_IRUSR")]
        const RUSR = libc::S_IRUSR;
        /// `S_IWUSR`: write for the owner.
        #[doc(alias = "S_IWUSR")]
        const WUSR = libc::S_IWUSR;
        /// `S_IXUSR`: execute (search) for the owner.
        #[doc(alias = "S_IXUSR")]
        const XUSR = libc::S_IXUSR;
        /// `S_IRWXG`: read, write and execute for the group.
        #[doc(alias = "S_IRWXG")]
        const RWXG = libc::S_IRWXG;
        /// `S_IRGRP`: read for the group.
        #[doc(alias = "S_IRGRP")]
        const RGRP = libc::S_IRGRP;
        /// `S_IWGRP`: write for the group.
        #[doc(alias = "S_IWGRP")]
        const WGRP = libc::S_IWGRP;
        /// `S_IXGRP`: execute (search) for the group.
        #[doc(alias = "S_IXGRP")]
        const XGRP = libc::S_IXGRP;
        /// `S_IRWXO`: read, write and execute for others.
        #[doc(alias = "S_IRWXO")]
        const RWXO = libc::S_IRWXO;
        /// `S_IROTH`: read for others.
        #[doc(alias = "S_IROTH")]
        const ROTH = libc::S_IROTH;
        /// `S_IWOTH`: write for others.
        #[doc(alias = "S_IWOTH")]
        const WOTH = libc::S_IWOTH;
        /// `S_IXOTH`: execute (search) for others.
        #[doc(alias = "S_IXOTH")]
        const XOTH = libc::S_IXOTH;
        /// `S_ISUID`: set user id on execution.
        #[doc(alias = "S_ISUID")]
        const SUID = libc::S_ISUID;
        /// `S_ISGID`: set group id on execution.
        #[doc(alias = "S_ISGID")]
        const SGID = libc::S_ISGID;
        /// `S_ISVTX`: sticky bit.
        #[doc(alias = "S_ISVTX")]
        const SVTX = libc::S_ISVTX;

        const _ = !0;
    }
}

bitflags::bitflags! {
    /// Flags for [`pipe`](crate::pipe), applied to both ends.
    ///
    /// # Platform
    /// The values are the OS's `O_CLOEXEC` and `O_NONBLOCK` (see [`OFlags`]).
    ///
    /// # References
    /// - [OpenBSD pipe2(2)](https://man.openbsd.org/pipe2.2)
    /// - [DragonFly pipe2(2)](https://man.dragonflybsd.org/?command=pipe&section=2)
    /// - [Linux pipe2(2)](https://man7.org/linux/man-pages/man2/pipe2.2.html)
    ///
    /// # Examples
    /// ```
    /// use bsd_fd::{pipe, status_flags, OFlags, PipeFlags};
    ///
    /// let (rx, tx) = pipe(PipeFlags::CLOEXEC | PipeFlags::NONBLOCK)?;
    /// assert!(status_flags(&rx)?.contains(OFlags::NONBLOCK) && bsd_fd::cloexec(&tx)?);
    /// # Ok::<(), bsd_fd::Errno>(())
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct PipeFlags: libc::c_int {
        /// `O_CLOEXEC`: close both ends in executed programs.
        #[doc(alias = "O_CLOEXEC")]
        const CLOEXEC = libc::O_CLOEXEC;
        /// `O_NONBLOCK`: reads of an empty pipe and writes to a full one give `Errno::AGAIN`.
        #[doc(alias = "O_NONBLOCK")]
        const NONBLOCK = libc::O_NONBLOCK;
    }
}
