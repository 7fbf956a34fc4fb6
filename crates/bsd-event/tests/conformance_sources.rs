//! kqueue semantics of Vnode, Timer, User and Signal registrations and their scale, from
//! OpenBSD's and DragonFly's kevent(2) pages and kernel sources. They run unchanged on the BSDs
//! and on Linux; per-OS expectations cite their source.

mod common;

use std::fs::File;
use std::io::Write;
use std::time::Duration;

use bsd_event::{Change, Error, EvFlags, Event, EventKind, Events, Filter, Kqueue, VnodeNotes};
use bsd_sys::Errno;

use common::*;

// NOTE_DELETE on unlink while the descriptor is open (OpenBSD ufs_remove posts NOTE_DELETE on
// the file, sys/ufs/ufs/ufs_vnops.c).
#[test]
fn vnode_delete_while_open() {
    let path = temp_path("unlink");
    let f = File::create(&path).unwrap();
    let kq = Kqueue::new().unwrap();
    kq.register(Change::add(Filter::vnode(&f, VnodeNotes::DELETE), 1).with(EvFlags::CLEAR))
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(vnode_notes(&kq).contains(VnodeNotes::DELETE));
}

// A directory reports NOTE_WRITE when entries come and go, and NOTE_LINK for mkdir inside
// (ufs_create/ufs_remove: NOTE_WRITE on the parent; ufs_mkdir: NOTE_WRITE | NOTE_LINK).
#[test]
fn vnode_directory_write_and_link() {
    let dir = temp_path("dir");
    std::fs::create_dir(&dir).unwrap();
    let d = File::open(&dir).unwrap();
    let kq = Kqueue::new().unwrap();
    kq.register(
        Change::add(Filter::vnode(&d, VnodeNotes::WRITE | VnodeNotes::LINK), 1)
            .with(EvFlags::CLEAR),
    )
    .unwrap();
    std::fs::write(dir.join("f"), b"x").unwrap();
    let n = vnode_notes(&kq);
    assert!(n.contains(VnodeNotes::WRITE), "{n:?}");
    std::fs::create_dir(dir.join("sub")).unwrap();
    let n = vnode_notes(&kq);
    assert!(n.contains(VnodeNotes::WRITE | VnodeNotes::LINK), "{n:?}");
    std::fs::remove_file(dir.join("f")).unwrap();
    assert!(vnode_notes(&kq).contains(VnodeNotes::WRITE));
    std::fs::remove_dir(dir.join("sub")).unwrap();
    std::fs::remove_dir(&dir).unwrap();
}

// A pipe takes Read and Write only: OpenBSD pipe_kqfilter refuses EVFILT_VNODE and (from
// kevent) EVFILT_EXCEPT with EINVAL (sys/kern/sys_pipe.c rev 1.149); DragonFly's pipe_kqfilter
// refuses them with EOPNOTSUPP (sys/kern/sys_pipe.c at fcc705f5877a); the Linux emulation
// follows OpenBSD.
#[test]
fn vnode_and_except_on_a_pipe_are_refused() {
    let kq = Kqueue::new().unwrap();
    let (r, _w) = pipe();
    #[cfg(target_os = "dragonfly")]
    let want = Err(Error::Os(Errno::OPNOTSUPP));
    #[cfg(not(target_os = "dragonfly"))]
    let want = Err(Error::Os(Errno::INVAL));
    let res = kq.register(Change::add(Filter::vnode(&r, VnodeNotes::WRITE), 1));
    assert_eq!(res, want);
    let res = kq.register(Change::add(Filter::except(&r), 1));
    assert_eq!(res, want);
}

// Once the watched descriptor is closed its knote is gone: writes report nothing.
#[test]
fn vnode_stops_when_the_descriptor_closes() {
    let path = temp_path("closed");
    let f = File::create(&path).unwrap();
    let kq = Kqueue::new().unwrap();
    kq.register(Change::add(Filter::vnode(&f, VnodeNotes::WRITE), 1).with(EvFlags::CLEAR))
        .unwrap();
    drop(f);
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(b"more")
        .unwrap();
    assert_quiet(&kq);
    std::fs::remove_file(&path).unwrap();
}

// Timers and user events cost no descriptor each: 100,000 of either fit in one queue (more
// than RLIMIT_NOFILE allows descriptors, so a descriptor per registration would fail EMFILE).
#[test]
fn a_hundred_thousand_timers_and_user_events() {
    // The BSDs cap these registrations: OpenBSD at kq_usereventsmax = 1024 timers and user
    // events per process together (filt_timerattach/filt_userattach, ENOMEM beyond;
    // sys/kern/kern_event.c rev 1.205), DragonFly timers at kq_calloutmax = 65536 system-wide
    // (sys/kern/kern_event.c at fcc705f5877a). The Linux emulation has no cap.
    #[cfg(target_os = "linux")]
    const N: u64 = 100_000;
    #[cfg(not(target_os = "linux"))]
    const N: u64 = 500;
    let _g = lock();
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is writable.
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) }, 0);
    if lim.rlim_cur >= N as libc::rlim_t {
        println!(
            "note: RLIMIT_NOFILE {} admits {N} descriptors",
            lim.rlim_cur
        );
    }
    let kq = Kqueue::new().unwrap();
    let hour = Duration::from_secs(3600);
    let mut changes = Vec::with_capacity(N as usize);
    for id in 0..N {
        changes.push(Change::add(Filter::Timer { id, period: hour }, id));
    }
    for r in kq.apply(&changes).unwrap() {
        r.unwrap();
    }
    changes.clear();
    for id in 0..N {
        changes.push(Change::add(Filter::user(id), id));
    }
    for r in kq.apply(&changes).unwrap() {
        r.unwrap();
    }
    kq.register(Change::add(Filter::user_trigger(N - 1), 0))
        .unwrap();
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(
        evs.iter().map(Event::ident).collect::<Vec<_>>(),
        vec![N - 1]
    );
}

// 10,000 vnode registrations in one queue (Linux: one inotify instance, one watch per file).
#[test]
fn ten_thousand_vnode_watches() {
    const N: usize = 10_000;
    let _g = lock();
    let mut lim: libc::rlimit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is writable.
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) }, 0);
    if lim.rlim_max < (N + 512) as libc::rlim_t {
        println!("skipped: RLIMIT_NOFILE hard limit {} too low", lim.rlim_max);
        return;
    }
    let old = lim;
    lim.rlim_cur = lim.rlim_max;
    // SAFETY: raising the soft limit up to the hard one is always allowed.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) }, 0);
    let path = temp_path("many");
    std::fs::write(&path, b"").unwrap();
    let files: Vec<File> = (0..N).map(|_| File::open(&path).unwrap()).collect();
    let kq = Kqueue::new().unwrap();
    let changes: Vec<Change> = files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            Change::add(Filter::vnode(f, VnodeNotes::WRITE), i as u64).with(EvFlags::CLEAR)
        })
        .collect();
    for r in kq.apply(&changes).unwrap() {
        r.unwrap();
    }
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(b"x")
        .unwrap();
    let mut events = Events::with_capacity(1024);
    let mut seen = 0;
    while seen < N {
        let n = kq.wait(&mut events, LONG).unwrap();
        assert!(n > 0, "{seen} of {N}");
        seen += n;
    }
    assert_eq!(seen, N);
    drop(files);
    drop(kq);
    std::fs::remove_file(&path).unwrap();
    // SAFETY: restores the limits read above.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &old) }, 0);
}

// A signal sent to another thread of the process is counted (kqueue counts deliveries to the
// process: OpenBSD ptsignal calls KNOTE on ps_klist for any thread). Linux cannot observe it
// (see the crate docs' table), so this runs on the BSDs only.
#[cfg(not(target_os = "linux"))]
#[test]
fn signal_to_another_thread_is_counted() {
    let _g = lock();
    let kq = Kqueue::new().unwrap();
    let sig = bsd_sys::Signal::USR2;
    let (tx, rx) = std::sync::mpsc::channel();
    let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
    let t = std::thread::spawn(move || {
        // SAFETY: blocks SIGUSR2 in this thread only.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGUSR2);
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        }
        // SAFETY: pthread_self has no preconditions.
        tx.send(unsafe { libc::pthread_self() } as usize).unwrap();
        go_rx.recv().unwrap();
    });
    let thread = rx.recv().unwrap() as libc::pthread_t;
    kq.register(Change::add(Filter::Signal(sig), 1)).unwrap();
    // SAFETY: the target thread is alive (it waits on `go_rx`) and blocks the signal.
    assert_eq!(unsafe { libc::pthread_kill(thread, libc::SIGUSR2) }, 0);
    let mut events = Events::with_capacity(4);
    let evs = wait(&kq, &mut events, LONG);
    assert_eq!(evs.len(), 1);
    assert!(matches!(
        evs[0].kind().unwrap(),
        EventKind::Signal { count: 1, .. }
    ));
    go_tx.send(()).unwrap();
    t.join().unwrap();
}

// NOTE_ABSTIME: one expiry at a wall-clock time; no implied EV_CLEAR, so without CLEAR the
// expired timer stays reported (OpenBSD filt_timerattach/filt_timerprocess, kern_event.c rev
// 1.205). DragonFly has no absolute timers.
#[test]
fn absolute_timer_expires_once_at_its_deadline() {
    let kq = Kqueue::new().unwrap();
    let at = std::time::SystemTime::now() + Duration::from_millis(100);
    let res = kq.register(
        Change::add(
            Filter::TimerAt {
                id: 1,
                deadline: at,
            },
            1,
        )
        .with(EvFlags::CLEAR),
    );
    #[cfg(target_os = "dragonfly")]
    {
        assert!(matches!(res, Err(Error::Unsupported { .. })), "{res:?}");
    }
    #[cfg(not(target_os = "dragonfly"))]
    {
        res.unwrap();
        let mut events = Events::with_capacity(4);
        let evs = wait(&kq, &mut events, LONG);
        assert!(std::time::SystemTime::now() >= at);
        assert_eq!(evs.len(), 1);
        assert!(matches!(
            evs[0].kind().unwrap(),
            EventKind::Timer {
                id: 1,
                expirations: 1
            }
        ));
        assert_quiet(&kq);

        // Without CLEAR the expired timer is reported again.
        let past = std::time::SystemTime::now() - Duration::from_secs(1);
        kq.register(Change::add(
            Filter::TimerAt {
                id: 2,
                deadline: past,
            },
            2,
        ))
        .unwrap();
        for _ in 0..2 {
            let evs = wait(&kq, &mut events, LONG);
            assert_eq!(evs.iter().map(Event::token).collect::<Vec<_>>(), vec![2]);
            assert!(!evs[0].flags().contains(EvFlags::CLEAR));
        }
    }
}
