//! OpenBSD's sysctl name table, from the `CTL_NAMES` macros of its headers.
//!
//! OpenBSD's kernel has no name-to-MIB lookup (`sysctl(8)` carries these tables itself), so
//! this crate does too. Sources, as of OpenBSD 7.8:
//! - top level, `kern`, `kern.timecounter` and `hw`: `sys/sys/sysctl.h` rev 1.246
//!   (2025-07-31): `CTL_NAMES`, `CTL_KERN_NAMES`, `CTL_KERN_TIMECOUNTER_NAMES`, `CTL_HW_NAMES`;
//! - `vm`: `sys/uvm/uvmexp.h` `CTL_VM_NAMES` (identical from rev 1.4, 2018, to rev 1.25, 2026).
//!
//! `"gap"` entries (removed ids) are `None`. The table is compiled on every OS: OpenBSD uses it
//! to resolve names, the Linux host numbers its emulated MIBs with it, and tests run anywhere.

use core::ffi::c_int;

/// What a name is (`CTLTYPE_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Node,
    Int,
    Str,
    Quad,
    Struct,
}

use Kind::{Int, Node, Quad, Str, Struct};

type Table = &'static [Option<(&'static str, Kind)>];

/// `CTL_NAMES`, indexed by `CTL_*`.
const TOP: Table = &[
    None,
    Some(("kern", Node)),
    Some(("vm", Node)),
    None, // was CTL_FS
    Some(("net", Node)),
    Some(("debug", Node)),
    Some(("hw", Node)),
    Some(("machdep", Node)),
    None, // was CTL_USER
    Some(("ddb", Node)),
    Some(("vfs", Node)),
];

/// `CTL_KERN_NAMES`, indexed by `KERN_*` (`KERN_MAXID` 92).
const KERN: Table = &[
    None,
    Some(("ostype", Str)),
    Some(("osrelease", Str)),
    Some(("osrevision", Int)),
    Some(("version", Str)),
    Some(("maxvnodes", Int)),
    Some(("maxproc", Int)),
    Some(("maxfiles", Int)),
    Some(("argmax", Int)),
    Some(("securelevel", Int)),
    Some(("hostname", Str)),
    Some(("hostid", Int)),
    Some(("clockrate", Struct)),
    None,
    None,
    None,
    Some(("profiling", Node)),
    Some(("posix1version", Int)),
    Some(("ngroups", Int)),
    Some(("job_control", Int)),
    Some(("saved_ids", Int)),
    Some(("boottime", Struct)),
    Some(("domainname", Str)),
    Some(("maxpartitions", Int)),
    Some(("rawpartition", Int)),
    Some(("maxthread", Int)),
    Some(("nthreads", Int)),
    Some(("osversion", Str)),
    Some(("somaxconn", Int)),
    Some(("sominconn", Int)),
    None,
    None,
    Some(("nosuidcoredump", Int)),
    Some(("fsync", Int)),
    Some(("sysvmsg", Int)),
    Some(("sysvsem", Int)),
    Some(("sysvshm", Int)),
    None,
    Some(("msgbufsize", Int)),
    Some(("malloc", Node)),
    Some(("cp_time", Struct)),
    Some(("nchstats", Struct)),
    Some(("forkstat", Struct)),
    None,
    Some(("tty", Node)),
    Some(("ccpu", Int)),
    Some(("fscale", Int)),
    Some(("nprocs", Int)),
    Some(("msgbuf", Struct)),
    Some(("pool", Node)),
    Some(("stackgap_random", Int)),
    Some(("sysvipc_info", Int)),
    Some(("allowkmem", Int)),
    Some(("witnesswatch", Int)),
    Some(("splassert", Int)),
    Some(("procargs", Node)),
    Some(("nfiles", Int)),
    Some(("ttycount", Int)),
    Some(("numvnodes", Int)),
    Some(("mbstat", Struct)),
    Some(("witness", Node)),
    Some(("seminfo", Struct)),
    Some(("shminfo", Struct)),
    Some(("intrcnt", Node)),
    Some(("watchdog", Node)),
    Some(("allowdt", Int)),
    Some(("proc", Struct)),
    Some(("maxclusters", Int)),
    Some(("evcount", Node)),
    Some(("timecounter", Node)),
    Some(("maxlocksperuid", Int)),
    Some(("cp_time2", Struct)),
    Some(("bufcachepercent", Int)),
    Some(("file", Struct)),
    Some(("wxabort", Int)),
    Some(("consdev", Struct)),
    Some(("netlivelocks", Int)),
    Some(("pool_debug", Int)),
    Some(("proc_cwd", Node)),
    Some(("proc_nobroadcastkill", Node)),
    Some(("proc_vmmap", Node)),
    Some(("global_ptrace", Int)),
    Some(("consbufsize", Int)),
    Some(("consbuf", Struct)),
    Some(("audio", Struct)),
    Some(("cpustats", Struct)),
    Some(("pfstatus", Struct)),
    Some(("timeout_stats", Struct)),
    Some(("utc_offset", Int)),
    Some(("video", Struct)),
    Some(("clockintr", Node)),
    Some(("autoconf_serial", Int)),
];

/// `CTL_KERN_TIMECOUNTER_NAMES`, under `kern.timecounter` (`KERN_TIMECOUNTER` 69).
const KERN_TIMECOUNTER: Table = &[
    None,
    Some(("tick", Int)),
    Some(("timestepwarnings", Int)),
    Some(("hardware", Str)),
    Some(("choice", Str)),
];

/// `CTL_HW_NAMES`, indexed by `HW_*` (`HW_MAXID` 29).
const HW: Table = &[
    None,
    Some(("machine", Str)),
    Some(("model", Str)),
    Some(("ncpu", Int)),
    Some(("byteorder", Int)),
    None, // gap: the int HW_PHYSMEM, superseded by the quad hw.physmem (19)
    None, // gap: HW_USERMEM, likewise (20)
    Some(("pagesize", Int)),
    Some(("disknames", Str)),
    Some(("diskstats", Struct)),
    Some(("diskcount", Int)),
    Some(("sensors", Node)),
    Some(("cpuspeed", Int)),
    Some(("setperf", Int)),
    Some(("vendor", Str)),
    Some(("product", Str)),
    Some(("version", Str)),
    Some(("serialno", Str)),
    Some(("uuid", Str)),
    Some(("physmem", Quad)),
    Some(("usermem", Quad)),
    Some(("ncpufound", Int)),
    Some(("allowpowerdown", Int)),
    Some(("perfpolicy", Str)),
    Some(("smt", Int)),
    Some(("ncpuonline", Int)),
    Some(("power", Int)),
    Some(("battery", Node)),
    Some(("ucomnames", Str)),
];

/// `CTL_VM_NAMES`, indexed by `VM_*` (`VM_MAXID` 13).
const VM: Table = &[
    None,
    Some(("vmmeter", Struct)),
    Some(("loadavg", Struct)),
    Some(("psstrings", Struct)),
    Some(("uvmexp", Struct)),
    Some(("swapencrypt", Node)),
    Some(("nkmempages", Int)),
    Some(("anonmin", Int)),
    Some(("vtextmin", Int)),
    Some(("vnodemin", Int)),
    Some(("maxslp", Int)),
    Some(("uspace", Int)),
    Some(("malloc_conf", Str)),
];

/// The table under `mib` (a node), if this crate carries one.
fn children(mib: &[c_int]) -> Option<Table> {
    match mib {
        [] => Some(TOP),
        [1] => Some(KERN),
        [1, 69] => Some(KERN_TIMECOUNTER),
        [2] => Some(VM),
        [6] => Some(HW),
        _ => None,
    }
}

/// Why a name did not resolve: the index of the offending component.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LookupError {
    /// Component `n` is not in the table (and is not a number).
    Unknown(usize),
    /// Component `n` follows a leaf.
    PastLeaf(usize),
}

/// Resolves dotted-name components to a MIB. Components past the table's depth must be
/// numbers (`"kern.proc_cwd.4321"`); numeric components are accepted anywhere.
pub(crate) fn lookup<'a>(
    parts: impl Iterator<Item = &'a str>,
    mib: &mut [c_int; super::CTL_MAXNAME],
) -> Result<(usize, Option<Kind>), LookupError> {
    let mut len = 0;
    let mut kind = Some(Node);
    for (i, part) in parts.enumerate() {
        if kind.is_some_and(|k| k != Node) {
            return Err(LookupError::PastLeaf(i));
        }
        if len == mib.len() {
            return Err(LookupError::Unknown(i));
        }
        let found = children(&mib[..len]).and_then(|t| {
            t.iter()
                .position(|e| matches!(e, Some((n, _)) if *n == part))
                .map(|idx| (idx as c_int, t[idx].map(|(_, k)| k)))
        });
        match found {
            Some((id, k)) => {
                mib[len] = id;
                kind = k;
            }
            None => match part.parse::<c_int>() {
                Ok(id) if !part.starts_with('+') => {
                    mib[len] = id;
                    kind = children(&mib[..len])
                        .and_then(|t| t.get(id as usize).copied().flatten().map(|(_, k)| k));
                }
                _ => return Err(LookupError::Unknown(i)),
            },
        }
        len += 1;
    }
    Ok((len, kind))
}

/// The dotted name of `mib` where every component is in the table.
pub(crate) fn name_of(mib: &[c_int]) -> Option<String> {
    let mut name = String::new();
    for i in 0..mib.len() {
        let table = children(&mib[..i])?;
        let (part, _) = table
            .get(usize::try_from(mib[i]).ok()?)
            .copied()
            .flatten()?;
        if i > 0 {
            name.push('.');
        }
        name.push_str(part);
    }
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(name: &str) -> Result<Vec<c_int>, LookupError> {
        let mut mib = [0; super::super::CTL_MAXNAME];
        lookup(name.split('.'), &mut mib).map(|(n, _)| mib[..n].to_vec())
    }

    #[test]
    fn table_sizes_match_maxid() {
        assert_eq!(TOP.len(), 11); // CTL_MAXID
        assert_eq!(KERN.len(), 92); // KERN_MAXID
        assert_eq!(HW.len(), 29); // HW_MAXID
        assert_eq!(VM.len(), 13); // VM_MAXID
    }

    #[test]
    fn known_names_resolve_to_header_numbers() {
        assert_eq!(resolve("kern.ostype"), Ok(vec![1, 1]));
        assert_eq!(resolve("kern.clockrate"), Ok(vec![1, 12]));
        assert_eq!(resolve("kern.maxthread"), Ok(vec![1, 25]));
        assert_eq!(resolve("kern.proc"), Ok(vec![1, 66]));
        assert_eq!(resolve("kern.autoconf_serial"), Ok(vec![1, 91]));
        assert_eq!(resolve("kern.timecounter.hardware"), Ok(vec![1, 69, 3]));
        assert_eq!(resolve("hw.ncpu"), Ok(vec![6, 3]));
        assert_eq!(resolve("hw.pagesize"), Ok(vec![6, 7]));
        assert_eq!(resolve("hw.physmem"), Ok(vec![6, 19]));
        assert_eq!(resolve("hw.ncpuonline"), Ok(vec![6, 25]));
        assert_eq!(resolve("hw.ucomnames"), Ok(vec![6, 28]));
        assert_eq!(resolve("vm.loadavg"), Ok(vec![2, 2]));
        assert_eq!(resolve("vm.malloc_conf"), Ok(vec![2, 12]));
        assert_eq!(resolve("kern.proc_cwd.4321"), Ok(vec![1, 78, 4321]));
    }

    #[test]
    fn bad_parts_are_located() {
        assert_eq!(resolve("kern.nosuch"), Err(LookupError::Unknown(1)));
        assert_eq!(resolve("nosuch.ostype"), Err(LookupError::Unknown(0)));
        assert_eq!(resolve("kern.gap"), Err(LookupError::Unknown(1)));
        assert_eq!(resolve("kern.ostype.x"), Err(LookupError::PastLeaf(2)));
        assert_eq!(resolve("net.inet.ip"), Err(LookupError::Unknown(1)));
        assert_eq!(resolve("kern.+1"), Err(LookupError::Unknown(1)));
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(name_of(&[1, 1]).as_deref(), Some("kern.ostype"));
        assert_eq!(name_of(&[6, 7]).as_deref(), Some("hw.pagesize"));
        assert_eq!(
            name_of(&[1, 69, 4]).as_deref(),
            Some("kern.timecounter.choice")
        );
        assert_eq!(name_of(&[1, 13]), None); // a gap
        assert_eq!(name_of(&[4, 2]), None); // net.* has no table here
    }
}
