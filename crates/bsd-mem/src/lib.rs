//! Memory mappings for OpenBSD and DragonFly BSD: owned mappings, protections, advice and MAP_STACK stacks.
//!
//! **Skeleton.** This crate will hold: Memory mappings: `Mapping` (owned, unmapped on drop), `Protection`/`MapFlags`, advice, locking, `Stack` (MAP_STACK with a guard page) and `page_size()`.
//! Until then it exports nothing.
