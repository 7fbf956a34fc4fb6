//! The Debian kernel of the stand-in guests: downloaded once, reduced to `vmlinuz` and the
//! modules the stand-ins load, in dependency order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::standin::io;
use super::standin_scripts as scripts;

/// The files of a cached Debian kernel: `vmlinuz` and the `.ko` files the stand-ins load.
pub struct Kernel {
    pub vmlinuz: PathBuf,
    pub modules: PathBuf,
}

/// `depends=` of a `.ko` (its `.modinfo` section), as module names.
pub fn module_depends(ko: &[u8]) -> Vec<String> {
    let key = b"depends=";
    let Some(at) = ko.windows(key.len()).position(|w| w == key) else {
        return Vec::new();
    };
    let rest = &ko[at + key.len()..];
    let end = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    String::from_utf8_lossy(&rest[..end])
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.to_string())
        .collect()
}

/// Module names compare with `-` and `_` alike (the kernel does the same).
pub fn norm(name: &str) -> String {
    name.replace('-', "_")
}

/// `wanted` and everything they depend on, dependencies first. `deps_of` maps a normalized
/// name to its dependencies; a name it does not know is an error.
pub fn module_order(
    wanted: &[&str],
    deps_of: &BTreeMap<String, Vec<String>>,
) -> Result<Vec<String>, String> {
    fn visit(
        m: &str,
        deps_of: &BTreeMap<String, Vec<String>>,
        out: &mut Vec<String>,
        stack: &mut Vec<String>,
    ) -> Result<(), String> {
        let m = norm(m);
        if out.contains(&m) {
            return Ok(());
        }
        if stack.contains(&m) {
            return Err(format!("module dependency cycle at {m}"));
        }
        let d = deps_of
            .get(&m)
            .ok_or_else(|| format!("kernel module {m} is not in the kernel package"))?;
        stack.push(m.clone());
        for x in d {
            visit(x, deps_of, out, stack)?;
        }
        stack.pop();
        out.push(m);
        Ok(())
    }
    let mut out = Vec::new();
    for w in wanted {
        visit(w, deps_of, &mut out, &mut Vec::new())?;
    }
    Ok(out)
}

/// The kernel for the stand-ins, cached in `<cache>/rehearse/`: `apt-get download` of the
/// current `linux-image-*-amd64` once (about 70 MB), then only `vmlinuz` and the needed
/// modules are kept.
pub fn kernel(cache: &Path) -> Result<Kernel, String> {
    let dir = cache.join("rehearse").join("kernel");
    let k = Kernel {
        vmlinuz: dir.join("vmlinuz"),
        modules: dir.join("modules"),
    };
    if k.vmlinuz.is_file() && k.modules.join("load.list").is_file() {
        return Ok(k);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
    let (pkg, deb) = super::linux::download_kernel_deb(&tmp, "")?;
    let mut members = vec!["./boot/vmlinuz-*".to_string()];
    for sub in [
        "block",
        "crypto",
        "lib",
        "fs/fat",
        "fs/nls",
        "net/core",
        "drivers/scsi",
        "drivers/virtio",
        "drivers/net",
    ] {
        members.push(format!("./lib/modules/*/kernel/{sub}/*"));
    }
    super::linux::extract_deb(&deb, &tmp, &members)?;
    // Index every extracted module by name.
    let mut paths: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut deps_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut stack = vec![tmp.join("lib")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)
            .map_err(io(&d))?
            .filter_map(Result::ok)
        {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "ko") {
                let name = norm(&p.file_stem().unwrap_or_default().to_string_lossy());
                let bytes = std::fs::read(&p).map_err(io(&p))?;
                deps_of.insert(name.clone(), module_depends(&bytes));
                paths.insert(name, p);
            }
        }
    }
    let order = module_order(scripts::WANTED_MODULES, &deps_of)?;
    std::fs::create_dir_all(&k.modules).map_err(io(&k.modules))?;
    for m in &order {
        std::fs::copy(&paths[m], k.modules.join(format!("{m}.ko"))).map_err(io(&paths[m]))?;
    }
    let boot = tmp.join("boot");
    let vmlinuz = std::fs::read_dir(&boot)
        .map_err(io(&boot))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .next()
        .ok_or("the kernel package has no /boot/vmlinuz-*")?;
    std::fs::rename(&vmlinuz, &k.vmlinuz).map_err(io(&vmlinuz))?;
    std::fs::write(k.modules.join("load.list"), order.join("\n") + "\n").map_err(io(&k.modules))?;
    std::fs::write(dir.join("source"), format!("{pkg}\n")).map_err(io(&dir))?;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_dependencies_come_first() {
        let mut d = BTreeMap::new();
        d.insert(
            "sd_mod".to_string(),
            vec!["scsi_mod".into(), "t10-pi".into()],
        );
        d.insert("scsi_mod".to_string(), vec!["scsi_common".into()]);
        d.insert("scsi_common".to_string(), vec![]);
        d.insert("t10_pi".to_string(), vec![]);
        d.insert("vfat".to_string(), vec!["fat".into()]);
        d.insert("fat".to_string(), vec![]);
        let o = module_order(&["sd_mod", "vfat", "scsi_mod"], &d).unwrap();
        assert_eq!(
            o,
            ["scsi_common", "scsi_mod", "t10_pi", "sd_mod", "fat", "vfat"]
        );
        assert!(module_order(&["e1000"], &d).unwrap_err().contains("e1000"));
        d.insert("fat".to_string(), vec!["vfat".into()]);
        assert!(module_order(&["vfat"], &d).unwrap_err().contains("cycle"));
    }

    #[test]
    fn modinfo_depends() {
        let ko = b"\x7fELF...license=GPL\0depends=virtio_ring,virtio\0name=virtio_net\0";
        assert_eq!(module_depends(ko), ["virtio_ring", "virtio"]);
        assert!(module_depends(b"license=GPL\0depends=\0").is_empty());
        assert!(module_depends(b"nothing").is_empty());
    }
}
