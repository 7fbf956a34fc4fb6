//! The bsd-mem section of the tour: page size, a mapping whose protection changes, a guarded
//! stack.

use bsd_mem::{page_size, Advice, MapFlags, Mapping, Protection, Stack};

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    let page = page_size();
    println!("   page size: {page} bytes");

    let mut map = Mapping::anonymous(4 * page, Protection::READ_WRITE, MapFlags::empty())?;
    println!(
        "   mapped {} bytes at {:p}, protection {:?}",
        map.len(),
        map.as_ptr(),
        map.protection()
    );
    let bytes = map
        .as_mut_slice()
        .ok_or("read/write mapping offers no slice")?;
    bytes[..12].copy_from_slice(b"hello, pages");
    println!(
        "   wrote and read back: {:?}",
        String::from_utf8_lossy(&map.as_slice().ok_or("no slice")?[..12])
    );

    map.protect(Protection::READ)?;
    println!(
        "   protect(READ): as_slice offered: {}, as_mut_slice offered: {}",
        map.as_slice().is_some(),
        map.as_mut_slice().is_some()
    );
    map.protect(Protection::NONE)?;
    println!(
        "   protect(NONE): as_slice offered: {} (a touch would fault)",
        map.as_slice().is_some()
    );
    map.protect(Protection::READ_WRITE)?;
    map.advise(Advice::DontNeed)?;
    let first = map.as_slice().ok_or("no slice")?[0];
    println!(
        "   advise(DontNeed) then first byte = {first:#04x} ({})",
        if cfg!(target_os = "linux") {
            "Linux zero-fills private anonymous pages"
        } else {
            "the BSDs keep the contents"
        }
    );

    let stack = Stack::new(64 * 1024)?;
    let usable = stack.usable_range();
    let guard = stack.guard_range();
    println!(
        "   Stack::new(64 KiB): usable {:#x}..{:#x} ({} KiB, MAP_STACK), guard page {:#x}..{:#x} (PROT_NONE)",
        usable.start,
        usable.end,
        stack.len() / 1024,
        guard.start,
        guard.end
    );
    if let Err(e) = Mapping::anonymous(0, Protection::READ, MapFlags::empty()) {
        println!("   Mapping::anonymous(0, ..) is refused: {e}");
    }
    Ok(())
}
