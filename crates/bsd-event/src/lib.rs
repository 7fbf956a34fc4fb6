//! kqueue for OpenBSD and DragonFly BSD with every filter, typed, and the same API over epoll on a Linux host.
//!
//! **Skeleton.** This crate will hold: kqueue: `Kqueue`, typed `Filter`s (read, write, timer, signal, proc, user, vnode, except), `apply` with per-change errors, `wait` into reusable `Events`, a portable `Waker`; on Linux the same API over epoll, timerfd, signalfd, eventfd, pidfd and inotify.
//! Until then it exports nothing.
