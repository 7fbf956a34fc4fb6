//! `fstat`: typed file status.

use std::os::fd::{AsFd, AsRawFd};

use bsd_sys::{libc, Errno, Result, Timespec};

use crate::Mode;

/// The type of a file, from the `S_IFMT` bits of its mode.
///
/// # References
/// - [OpenBSD stat(2)](https://man.openbsd.org/stat.2)
/// - [DragonFly stat(2)](https://man.dragonflybsd.org/?command=stat&section=2)
/// - [Linux inode(7)](https://man7.org/linux/man-pages/man7/inode.7.html)
///
/// # Examples
/// ```
/// use bsd_fd::{fstat, FileType, Mode, OFlags};
///
/// let (rx, _tx) = bsd_fd::pipe(bsd_fd::PipeFlags::CLOEXEC)?;
/// assert_eq!(fstat(&rx)?.file_type, FileType::Fifo);
/// let tmp = bsd_fd::open(std::env::temp_dir(), OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty())?;
/// assert_eq!(fstat(&tmp)?.file_type, FileType::Directory);
/// # Ok::<(), bsd_fd::Errno>(())
/// ```
#[doc(alias = "S_IFMT")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FileType {
    /// `S_IFREG`.
    Regular,
    /// `S_IFDIR`.
    Directory,
    /// `S_IFLNK` (seen only through a descriptor that refers to the link itself).
    Symlink,
    /// `S_IFCHR`.
    CharDevice,
    /// `S_IFBLK`.
    BlockDevice,
    /// `S_IFIFO`: a FIFO or a pipe.
    Fifo,
    /// `S_IFSOCK`.
    Socket,
    /// A type bit pattern this crate has no name for (the raw `S_IFMT` bits).
    Other(u32),
}

impl FileType {
    // The `S_IF*` constants are `mode_t`: u32 on OpenBSD and Linux, u16 on DragonFly.
    #[allow(clippy::unnecessary_cast)]
    fn from_mode(mode: u32) -> FileType {
        match mode & libc::S_IFMT as u32 {
            m if m == libc::S_IFREG as u32 => FileType::Regular,
            m if m == libc::S_IFDIR as u32 => FileType::Directory,
            m if m == libc::S_IFLNK as u32 => FileType::Symlink,
            m if m == libc::S_IFCHR as u32 => FileType::CharDevice,
            m if m == libc::S_IFBLK as u32 => FileType::BlockDevice,
            m if m == libc::S_IFIFO as u32 => FileType::Fifo,
            m if m == libc::S_IFSOCK as u32 => FileType::Socket,
            m => FileType::Other(m),
        }
    }
}

/// The status of an open file, as [`fstat`] read it (`struct stat`, typed).
///
/// Fields every OS has are plain; the BSD-only ones are `Option`s, `None` where the OS has no
/// such field.
///
/// # Platform
/// - OpenBSD (`sys/sys/stat.h`): adds `st_flags`, `st_gen` and `__st_birthtim`.
/// - DragonFly (`sys/sys/stat.h`): adds `st_flags` and `st_gen`; no birth time.
/// - Linux: none of the three.
///
/// `generation` reads 0 for an unprivileged caller on OpenBSD (`sys_fstat` clears it unless
/// root, `sys/kern/kern_descrip.c`).
///
/// # References
/// - [OpenBSD fstat(2)](https://man.openbsd.org/fstat.2)
/// - [DragonFly fstat(2)](https://man.dragonflybsd.org/?command=fstat&section=2)
/// - [Linux fstat(2)](https://man7.org/linux/man-pages/man2/fstat.2.html)
///
/// # Examples
/// ```
/// let path = std::env::temp_dir().join(format!("bsd-fd-doc-stat-{}", std::process::id()));
/// std::fs::write(&path, b"twelve bytes")?;
/// let st = bsd_fd::fstat(&std::fs::File::open(&path)?)?;
/// assert_eq!((st.size, st.nlink, st.file_type), (12, 1, bsd_fd::FileType::Regular));
/// assert!(st.modified.secs() > 1_600_000_000); // just written: a real, recent time
/// // BSD-only fields are `None` on Linux, `Some` on OpenBSD and DragonFly.
/// assert_eq!(st.file_flags.is_some(), cfg!(any(target_os = "openbsd", target_os = "dragonfly")));
/// std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[doc(alias = "stat")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Stat {
    /// `st_dev`: the device holding the file.
    pub dev: u64,
    /// `st_ino`: the inode number.
    pub ino: u64,
    /// The file type (`st_mode & S_IFMT`).
    pub file_type: FileType,
    /// The permission bits, set-id and sticky bits (`st_mode & !S_IFMT`).
    pub mode: Mode,
    /// `st_nlink`: the number of hard links.
    pub nlink: u64,
    /// `st_uid`: the owner.
    pub uid: u32,
    /// `st_gid`: the group.
    pub gid: u32,
    /// `st_rdev`: the device a device file stands for.
    pub rdev: u64,
    /// `st_size`: the size in bytes.
    pub size: u64,
    /// `st_blocks`: the 512-byte blocks allocated.
    pub blocks: u64,
    /// `st_blksize`: the preferred I/O block size.
    pub blksize: u64,
    /// `st_atim`: last access.
    pub accessed: Timespec,
    /// `st_mtim`: last data modification.
    pub modified: Timespec,
    /// `st_ctim`: last status change.
    pub changed: Timespec,
    /// `__st_birthtim`: creation (OpenBSD only).
    pub created: Option<Timespec>,
    /// `st_flags`: the file flags of chflags(2) (OpenBSD, DragonFly).
    pub file_flags: Option<u32>,
    /// `st_gen`: the file generation number (OpenBSD, DragonFly).
    pub generation: Option<u32>,
}

fn time(secs: i64, nanos: i64) -> Result<Timespec> {
    let nanos = u32::try_from(nanos).map_err(|_| Errno::OVERFLOW)?;
    Timespec::new(secs, nanos).ok_or(Errno::OVERFLOW)
}

impl Stat {
    /// Decodes a C `struct stat`; an out-of-range time gives `Errno::OVERFLOW`.
    ///
    /// # References
    /// - [OpenBSD stat(2)](https://man.openbsd.org/stat.2)
    /// - [DragonFly stat(2)](https://man.dragonflybsd.org/?command=stat&section=2)
    /// - [Linux stat(3type)](https://man7.org/linux/man-pages/man3/stat.3type.html)
    ///
    /// # Examples
    /// ```
    /// let f = std::fs::File::open("/dev/null").unwrap();
    /// let st = bsd_fd::fstat(&f).unwrap();
    /// assert_eq!(st.file_type, bsd_fd::FileType::CharDevice);
    /// ```
    // The field types differ per OS (`dev_t` is i32 on OpenBSD, u64 on Linux, ...), so some
    // casts are identities on one target and conversions on another.
    #[allow(clippy::unnecessary_cast)]
    pub fn from_raw(st: &libc::stat) -> Result<Stat> {
        let mode = st.st_mode as u32;
        Ok(Stat {
            dev: st.st_dev as u64,
            ino: st.st_ino as u64,
            file_type: FileType::from_mode(mode),
            mode: Mode::from_bits_retain((mode & !(libc::S_IFMT as u32)) as bsd_sys::fd::Mode),
            nlink: st.st_nlink as u64,
            uid: st.st_uid,
            gid: st.st_gid,
            rdev: st.st_rdev as u64,
            size: st.st_size as u64,
            blocks: st.st_blocks as u64,
            blksize: st.st_blksize as u64,
            accessed: time(st.st_atime as i64, st.st_atime_nsec as i64)?,
            modified: time(st.st_mtime as i64, st.st_mtime_nsec as i64)?,
            changed: time(st.st_ctime as i64, st.st_ctime_nsec as i64)?,
            created: created(st)?,
            file_flags: bsd_only(|| st_flags(st)),
            generation: bsd_only(|| st_gen(st)),
        })
    }
}

fn bsd_only(f: impl FnOnce() -> u32) -> Option<u32> {
    if cfg!(any(target_os = "openbsd", target_os = "dragonfly")) {
        Some(f())
    } else {
        None
    }
}

// Per-OS field access, so the decoder above stays one function.
#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
fn st_flags(st: &libc::stat) -> u32 {
    st.st_flags
}
#[cfg(any(target_os = "openbsd", target_os = "dragonfly"))]
fn st_gen(st: &libc::stat) -> u32 {
    st.st_gen
}
#[cfg(not(any(target_os = "openbsd", target_os = "dragonfly")))]
fn st_flags(_: &libc::stat) -> u32 {
    0
}
#[cfg(not(any(target_os = "openbsd", target_os = "dragonfly")))]
fn st_gen(_: &libc::stat) -> u32 {
    0
}
#[cfg(target_os = "openbsd")]
fn created(st: &libc::stat) -> Result<Option<Timespec>> {
    // `time_t` and `long` are both i64 on OpenBSD's 64-bit targets.
    time(st.st_birthtime, st.st_birthtime_nsec).map(Some)
}
#[cfg(not(target_os = "openbsd"))]
fn created(_: &libc::stat) -> Result<Option<Timespec>> {
    Ok(None)
}

/// The status of the file `fd` refers to (`fstat`), typed.
///
/// A closed descriptor gives `Errno::BADF`.
///
/// # References
/// - [OpenBSD fstat(2)](https://man.openbsd.org/fstat.2)
/// - [DragonFly fstat(2)](https://man.dragonflybsd.org/?command=fstat&section=2)
/// - [Linux fstat(2)](https://man7.org/linux/man-pages/man2/fstat.2.html)
///
/// # Examples
/// ```
/// use bsd_fd::{fstat, pipe, FileType, PipeFlags};
///
/// let (rx, _tx) = pipe(PipeFlags::CLOEXEC).unwrap();
/// assert_eq!(fstat(&rx).unwrap().file_type, FileType::Fifo);
/// ```
pub fn fstat<Fd: AsFd>(fd: Fd) -> Result<Stat> {
    // SAFETY: the descriptor is borrowed from `fd` for the call.
    let raw = unsafe { bsd_sys::fd::fstat(fd.as_fd().as_raw_fd()) }?;
    Stat::from_raw(&raw)
}
