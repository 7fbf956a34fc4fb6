//! The bsd-proc section of the tour: sysctl by name and by MIB, kernel random bytes, the aux
//! vector and issetugid.

use bsd_proc::process::{self, AuxKey};
use bsd_proc::sysctl::{Sysctl, SysctlError};

pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    let ostype = Sysctl::from_name("kern.ostype")?;
    println!(
        "   kern.ostype (MIB {:?}) = {:?}",
        ostype.mib(),
        ostype.read_string()?
    );
    let by_mib = Sysctl::new(&[1, 2])?; // {CTL_KERN, KERN_OSRELEASE}
    println!(
        "   MIB [1, 2] is {} = {:?}",
        by_mib.name(),
        by_mib.read_string()?
    );

    let page = Sysctl::from_name("hw.pagesize")?.read_int()?;
    println!(
        "   hw.pagesize = {page} (bsd-mem's page_size(): {})",
        bsd_mem::page_size()
    );
    if page as usize != bsd_mem::page_size() {
        return Err("sysctl and page_size() disagree".into());
    }
    println!("   hw.ncpu = {}", Sysctl::from_name("hw.ncpu")?.read_int()?);

    match Sysctl::from_name("kern.no_such_knob") {
        Err(err @ (SysctlError::UnknownName { .. } | SysctlError::NotOnHost { .. })) => {
            println!("   an unknown name is a clear error: {err}")
        }
        other => return Err(format!("unexpected answer for an unknown name: {other:?}").into()),
    }
    match Sysctl::from_name("hw.pagesize")?.read_value::<u64>() {
        Err(err) => println!("   reading it as a u64 is refused: {err}"),
        Ok(v) => return Err(format!("an int read as a u64: {v}").into()),
    }

    let mut bytes = vec![0u8; 1 << 20];
    bsd_proc::random::fill(&mut bytes)?;
    let distinct = {
        let mut seen = [false; 256];
        bytes.iter().for_each(|&b| seen[b as usize] = true);
        seen.iter().filter(|&&s| s).count()
    };
    println!(
        "   1 MiB of kernel randomness: {distinct} distinct byte values, first {:02x?}",
        &bytes[..4]
    );

    println!("   issetugid: {}", process::issetugid());
    match process::aux_value(AuxKey::PAGE_SIZE) {
        Ok(v) => println!("   aux vector AT_PAGESZ = {v}"),
        Err(e) => println!("   aux vector: not available here ({e})"),
    }
    Ok(())
}
