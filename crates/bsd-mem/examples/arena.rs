//! A reserve-then-commit bump arena: 64 MiB of address space is reserved up front with
//! `PROT_NONE` (it costs no memory), and pages are committed in 64 KiB steps only as
//! allocations reach them. Allocations never move, unlike a growing `Vec`, so pointers into
//! the arena stay valid until it is reset.
//!
//! The program allocates 20 000 records, checks every one is still intact at its original
//! address, checks that only what was used got committed, overflows the arena on purpose
//! (an error, no fault), resets it (everything decommitted) and checks that fresh
//! allocations read as zero. Exits 1 on any mismatch.
//!
//! `cargo run -p bsd-mem --example arena`

use std::process::ExitCode;

use bsd_mem::{page_size, Errno, Protection, Reservation};

/// Committed in steps of this many bytes (a multiple of every supported page size).
const STEP: usize = 64 * 1024;

struct Arena {
    space: Reservation,
    /// Bytes handed out, from the start.
    used: usize,
    /// Bytes committed read-write, from the start (a multiple of `STEP`).
    committed: usize,
}

impl Arena {
    fn new(capacity: usize) -> bsd_mem::Result<Arena> {
        Ok(Arena {
            space: Reservation::new(capacity)?,
            used: 0,
            committed: 0,
        })
    }

    /// `len` bytes aligned to `align` (a power of two), committing more pages if needed.
    /// `Errno::NOMEM` once the reservation is full.
    fn alloc(&mut self, len: usize, align: usize) -> bsd_mem::Result<*mut u8> {
        let start = self
            .used
            .checked_next_multiple_of(align)
            .ok_or(Errno::NOMEM)?;
        let end = start.checked_add(len).ok_or(Errno::NOMEM)?;
        if end > self.space.len() {
            return Err(Errno::NOMEM);
        }
        if end > self.committed {
            let new_committed = end.next_multiple_of(STEP).min(self.space.len());
            self.space.commit(
                self.committed,
                new_committed - self.committed,
                Protection::READ_WRITE,
            )?;
            self.committed = new_committed;
        }
        self.used = end;
        Ok(self.space.as_mut_ptr().wrapping_add(start))
    }

    /// Copies `bytes` into the arena and returns where they went.
    fn push(&mut self, bytes: &[u8]) -> bsd_mem::Result<*mut u8> {
        let p = self.alloc(bytes.len(), 8)?;
        // SAFETY: `alloc` returned `bytes.len()` committed, writable bytes that no one else
        // refers to.
        unsafe { p.copy_from_nonoverlapping(bytes.as_ptr(), bytes.len()) };
        Ok(p)
    }

    /// Gives every committed page back; all earlier pointers become invalid.
    fn reset(&mut self) -> bsd_mem::Result<()> {
        if self.committed > 0 {
            self.space.decommit(0, self.committed)?;
        }
        self.used = 0;
        self.committed = 0;
        Ok(())
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let capacity = 64 << 20;
    let mut arena = Arena::new(capacity)?;
    println!(
        "reserved {} MiB at {:p} (page size {} bytes)",
        capacity >> 20,
        arena.space.as_ptr(),
        page_size()
    );

    let mut records = Vec::new();
    for i in 0..20_000u32 {
        let text = format!("record {i:05}: {}", "x".repeat((i % 37) as usize));
        let at = arena.push(text.as_bytes())?;
        records.push((at, text));
    }
    for (at, text) in &records {
        // SAFETY: each record lies in committed memory that nothing has written since.
        let stored = unsafe { std::slice::from_raw_parts(*at, text.len()) };
        if stored != text.as_bytes() {
            return Err(format!("record at {:p} changed: {stored:?}", *at).into());
        }
    }
    println!(
        "{} records, {} KiB used, {} KiB committed: every record intact at its first address",
        records.len(),
        arena.used / 1024,
        arena.committed / 1024
    );
    if arena.committed < arena.used || arena.committed - arena.used >= STEP {
        return Err("committed memory does not track what is used".into());
    }

    // Filling the arena past its reservation is an error, not a fault.
    match arena.alloc(capacity, 1) {
        Err(Errno::NOMEM) => println!("an allocation past the reservation: Errno::NOMEM"),
        other => return Err(format!("overflow gave {other:?}").into()),
    }

    arena.reset()?;
    records.clear();
    let fresh = arena.alloc(4096, 8)?;
    // SAFETY: `fresh` is 4096 bytes just committed.
    let bytes = unsafe { std::slice::from_raw_parts(fresh, 4096) };
    if fresh != arena.space.as_mut_ptr() || bytes.iter().any(|&b| b != 0) {
        return Err("after reset the arena does not start over with zeroed memory".into());
    }
    println!(
        "reset: decommitted, restarted at {fresh:p} with zero-filled pages ({} KiB committed)",
        arena.committed / 1024
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("arena: {err}");
            ExitCode::FAILURE
        }
    }
}
