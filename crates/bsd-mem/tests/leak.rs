//! No mapping outlives its owner: the process's mapping count is the same before and after
//! every kind of use, including failed calls. One test in its own binary, so no other test
//! maps or unmaps memory meanwhile.

mod common;

use std::fs::OpenOptions;
use std::io::Write;

use bsd_mem::{page_size, Advice, MapFlags, Mapping, Protection, Stack};
use common::TempPath;

fn mapping_count() -> Option<usize> {
    std::fs::read_to_string("/proc/self/maps")
        .ok()
        .map(|m| m.lines().count())
}

fn exercise(path: &TempPath) {
    let page = page_size();
    let rw = Protection::READ_WRITE;
    for i in 1..=32 {
        let mut m = Mapping::anonymous(i * page, rw, MapFlags::empty()).unwrap();
        m.as_mut_slice().unwrap()[0] = 1;
        m.protect_range(0, page, Protection::READ).unwrap();
        m.advise(Advice::DontNeed).unwrap();
        let _ = m.lock().and_then(|()| m.unlock());
        let s = Stack::new(i * page).unwrap();
        assert!(s.len() >= i * page);
        // SAFETY: shared with nobody; dropped at once.
        let sh = unsafe { Mapping::anonymous_shared(page, rw, MapFlags::empty()) }.unwrap();
        drop(sh);
    }
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path.0)
        .unwrap();
    for _ in 0..8 {
        // SAFETY: the test alone owns the file.
        let mut m = unsafe { Mapping::file(&file, 0, 2 * page, rw, MapFlags::SHARED) }.unwrap();
        m.as_mut_slice().unwrap()[0] ^= 1;
        m.flush().unwrap();
        // SAFETY: as above; these all fail before or in mmap.
        unsafe {
            assert!(Mapping::file(&file, 1, page, rw, MapFlags::SHARED).is_err());
            assert!(Mapping::file(&file, 0, 0, rw, MapFlags::SHARED).is_err());
        }
    }
    assert!(Mapping::anonymous(0, rw, MapFlags::empty()).is_err());
    assert!(Mapping::anonymous(usize::MAX, rw, MapFlags::empty()).is_err());
    assert!(Mapping::anonymous(usize::MAX / 2, rw, MapFlags::empty()).is_err());
    assert!(Stack::new(0).is_err());
    assert!(Stack::new(usize::MAX / 2).is_err());
}

#[test]
fn no_mapping_is_leaked() {
    if let Ok(name) = std::env::var("BSD_RS_SANITIZER") {
        println!(
            "skipped under the {name} sanitizer: its runtime maps memory of its own as it goes"
        );
        return;
    }
    let path = TempPath::new("leak");
    std::fs::File::create(&path.0)
        .unwrap()
        .write_all(&vec![0u8; 2 * page_size()])
        .unwrap();
    // Warm up: the first run may grow the allocator's own mappings.
    exercise(&path);
    let Some(before) = mapping_count() else {
        println!("no /proc/self/maps on this host: leak count not checked");
        return;
    };
    exercise(&path);
    let after = mapping_count().unwrap();
    assert_eq!(before, after, "mappings before and after the exercise");
}
