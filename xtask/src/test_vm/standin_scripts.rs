//! The shell scripts inside a stand-in guest: its `/init` (which plays the image's boot and
//! its rc.local), the account files, and the stubs for `sudo`, `pkg_add`, `pkg`, `cargo` and
//! `rustc`. Each mimics what the real image does at the point the test-vm flow touches it.

use super::plan::{Backend, Guest};

/// A stand-in's differences, per BSD image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flavour {
    pub guest: Guest,
    pub os: &'static str,
    /// Boots with UEFI (GRUB as `\EFI\BOOT\BOOTX64.EFI`), else BIOS (SYSLINUX).
    pub uefi: bool,
    /// The Linux driver of the NIC model the image expects.
    pub nic_module: &'static str,
    /// Plays openbsd-builder's rc.local: mount the second disk read-write, install `KEYS`.
    pub rc_local: bool,
    /// dropbear flags matching the image's sshd_config.
    pub dropbear_flags: &'static str,
    /// runner's password hash in /etc/shadow (empty: no password).
    pub runner_hash: &'static str,
    /// The backend the guest's prebuilt test binaries use (the BSD's default).
    pub backend: Backend,
}

/// SHA-512 crypt of the images' build password `runner` (`openssl passwd -6 -salt
/// bsdrsstandin runner`).
pub const RUNNER_HASH: &str =
    "$6$bsdrsstandin$JJhQIpHK8SKTNc59.xWX6y2c2kVXlBRhczM19OgwkO3xNful.W4lUs5SLCiV4vYYoyckNBnCD/NRof2d0jgQD1";

pub fn flavour(guest: Guest) -> Option<Flavour> {
    match guest {
        // openbsd-builder: root and runner have the password `runner`, sshd has
        // `PermitRootLogin no` (provision.sh), rc.local reads the key disk, UEFI, e1000.
        Guest::OpenBsd => Some(Flavour {
            guest,
            os: "OpenBSD 7.8",
            uefi: true,
            nic_module: "e1000",
            rc_local: true,
            dropbear_flags: "-w",
            runner_hash: RUNNER_HASH,
            backend: Backend::Libc,
        }),
        // dragonflybsd-builder: root's password is `runner` with `PermitRootLogin yes`,
        // `PermitEmptyPasswords yes`, runner has no password (provision.sh `-w none`),
        // SeaBIOS, virtio-net. DragonFly's default bsd-sys backend is raw.
        Guest::DragonFly => Some(Flavour {
            guest,
            os: "DragonFly 6.4.2",
            uefi: false,
            nic_module: "virtio_net",
            rc_local: false,
            dropbear_flags: "-B",
            runner_hash: "",
            backend: Backend::Raw,
        }),
        Guest::Linux => None,
    }
}

/// Kernel modules the stand-ins load, in an order that satisfies their dependencies once
/// [`super::standin::module_order`] adds what these need.
pub const WANTED_MODULES: &[&str] = &[
    "crct10dif_generic",
    "crc64_rocksoft_generic",
    "virtio_pci",
    "virtio_scsi",
    "sd_mod",
    "e1000",
    "virtio_net",
    "vfat",
    "nls_cp437",
    "nls_iso8859-1",
];

const INIT: &str = r#"#!/bin/busybox sh
# Stand-in for the @OS@ image: a Debian kernel and busybox, booted by the image's firmware.
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /var/run /etc/dropbear /mnt
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
echo "STANDIN: @OS@ stand-in (Debian kernel $(uname -r), busybox, dropbear): not @OS@"
for m in $(cat /lib/modules/load.list); do
  insmod /lib/modules/$m.ko || echo "STANDIN: insmod $m failed"
done
hostname bsd-rs-standin
# The disks in SCSI address order, as OpenBSD's hw.disknames lists them (Linux names sd*
# in probe order, which is not stable).
disks_in_order() {
  for d in /sys/block/sd*; do
    [ -e "$d" ] && echo "$(basename "$(readlink -f "$d/device")") $(basename "$d")"
  done | sort | cut -d' ' -f2
}
chmod 700 /root
chown -R 1000:1000 /home/runner
# The image's runner may sudo; here sudo is a stub, so runner owns what pkg_add writes.
chown 1000:1000 /etc/installurl /usr/local/bin
ip link set lo up
ip link set eth0 up
udhcpc -i eth0 -n -q -t 20 -T 1 -s /etc/standin/udhcpc.script || echo "STANDIN: no DHCP lease"
fw=bios; [ -d /sys/firmware/efi ] && fw=uefi
nic=$(basename "$(readlink /sys/class/net/eth0/device/driver)")
ndisk=0; for d in /sys/block/sd*; do [ -e "$d" ] && ndisk=$((ndisk+1)); done
scsi=other; ls /sys/bus/virtio/drivers/virtio_scsi/ | grep -q virtio && scsi=virtio-scsi
pdpe1gb=no; grep -qw pdpe1gb /proc/cpuinfo && pdpe1gb=yes
keydisk=$(disks_in_order | sed -n 2p)
keyro=none; [ -n "$keydisk" ] && keyro=$(cat /sys/block/$keydisk/ro)
echo "STANDIN-CONTRACT firmware=$fw nic=$nic disk=$scsi disks=$ndisk pdpe1gb=$pdpe1gb keydisk-ro=$keyro"
dropbear -R -E -p 22 @DROPBEAR_FLAGS@
echo "STANDIN: sshd (dropbear) started"
@RC_LOCAL@
echo "STANDIN: boot finished"
while true; do sleep 3600; done
"#;

/// openbsd-builder's rc.local (resources/provision.sh), in Linux terms: the second disk's
/// FAT partition mounted read-write, `KEYS` installed as runner's authorized_keys. A
/// write-protected disk fails as on OpenBSD, where `sd` refuses to open it for writing.
const RC_LOCAL: &str = r#"RESOURCES_MOUNT_PATH=/mnt/resources
mount_resources_disk() {
  disk=$(disks_in_order | sed -n 2p)
  [ -n "$disk" ] || return 1
  dev=/dev/${disk}1
  if [ "$(cat /sys/block/$disk/ro)" != 0 ]; then
    echo "STANDIN: rc.local: mount_msdos $dev: Permission denied (write-protected disk)"
    return 1
  fi
  mkdir -p $RESOURCES_MOUNT_PATH
  mount -t vfat -o rw,iocharset=iso8859-1 $dev $RESOURCES_MOUNT_PATH || return 1
  if ! grep -q " $RESOURCES_MOUNT_PATH vfat rw" /proc/mounts; then
    echo "STANDIN: rc.local: $dev came up read-only"
    umount $RESOURCES_MOUNT_PATH
    return 1
  fi
  echo "STANDIN: rc.local mounted $dev read-write"
}
install_authorized_keys() {
  if [ -s "$RESOURCES_MOUNT_PATH/KEYS" ]; then
    mkdir -p /home/runner/.ssh
    cp "$RESOURCES_MOUNT_PATH/KEYS" /home/runner/.ssh/authorized_keys
    chown -R 1000:1000 /home/runner/.ssh
    chmod 700 /home/runner/.ssh
    chmod 600 /home/runner/.ssh/authorized_keys
    echo "STANDIN: rc.local installed KEYS as runner's authorized_keys"
  else
    echo "STANDIN: rc.local: no KEYS on the key disk"
  fi
}
mount_resources_disk && install_authorized_keys"#;

pub const UDHCPC_SCRIPT: &str = r#"#!/bin/sh
case "$1" in
  bound|renew)
    ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}"
    [ -n "$router" ] && route add default gw "$router"
    [ -n "$dns" ] && echo "nameserver $dns" > /etc/resolv.conf
    echo "STANDIN: DHCP lease $ip on $interface"
    ;;
esac
exit 0
"#;

/// `sudo` for runner (the image's sudoers: `runner ALL=(ALL) NOPASSWD: ALL`).
pub const SUDO: &str = r#"#!/bin/sh
echo "[stand-in sudo] $*" >&2
unset PKG_PATH
exec "$@"
"#;

/// OpenBSD's `pkg_add`: succeeds only when /etc/installurl names the CDN.
pub const PKG_ADD: &str = r#"#!/bin/sh
url=$(cat /etc/installurl 2>/dev/null)
if [ "$url" != "https://cdn.openbsd.org/pub/OpenBSD" ]; then
  echo "pkg_add (stand-in): refusing the build-time mirror in /etc/installurl: $url" >&2
  exit 1
fi
case " $* " in *" rust "*) ;; *) echo "pkg_add (stand-in): only rust" >&2; exit 1;; esac
echo "rust-1.90.0 (stand-in: installs the cargo/rustc stubs from $url)"
cp /usr/local/libexec/standin/cargo /usr/local/libexec/standin/rustc /usr/local/bin/
"#;

/// DragonFly's `pkg`: the first attempt fails, as when the image loses its DHCP lease.
pub const PKG: &str = r#"#!/bin/sh
state=/var/run/standin-pkg-attempts
n=$(cat $state 2>/dev/null || echo 0); n=$((n+1)); echo $n > $state
[ "$(id -u)" = 0 ] || { echo "pkg: Insufficient privileges to install packages"; exit 77; }
[ "$*" = "install -y rust" ] || { echo "pkg (stand-in): only 'install -y rust'"; exit 1; }
if [ $n -eq 1 ]; then
  echo "pkg: repository DragonFly has no meta file (stand-in: first attempt fails on purpose)"
  exit 3
fi
echo "Installing rust-1.79 (stand-in: the cargo/rustc stubs)"
cp /usr/local/libexec/standin/cargo /usr/local/libexec/standin/rustc /usr/local/bin/
"#;

pub const RUSTC: &str = r#"#!/bin/sh
echo "rustc 0.0.0 (stand-in: no compiler in this guest)"
echo "host: x86_64-unknown-linux-musl"
echo "note: the tests were built on the host, static for x86_64-unknown-linux-musl"
"#;

/// `cargo test`: checks the workspace copy against the host's manifest, then runs the
/// prebuilt test binaries with the arguments after `--`.
pub const CARGO: &str = r#"#!/bin/sh
[ "$1" = test ] || { echo "cargo (stand-in): only 'cargo test'" >&2; exit 2; }
while [ $# -gt 0 ] && [ "$1" != "--" ]; do shift; done
[ "$1" = "--" ] && shift
[ -f Cargo.toml ] || { echo "error: could not find Cargo.toml in $(pwd)" >&2; exit 101; }
if ! sha256sum -c -s /opt/standin/workspace.sha256; then
  echo "error (stand-in cargo): the workspace copy differs from the host's:" >&2
  sha256sum -c /opt/standin/workspace.sha256 2>&1 | grep -v ': OK$' | head >&2
  exit 101
fi
echo "[stand-in cargo] workspace copy: $(wc -l < /opt/standin/workspace.sha256) files match the host"
rc=0
while read -r label file; do
  echo "     Running $label ($file)"
  ( cd /tmp && BSD_SYS_EXPECT_BACKEND=$(cat /opt/standin/backend) "$file" "$@" ) || rc=101
done < /opt/standin/tests.list
exit $rc
"#;

/// A test binary that fails, for `--fault failing-test`.
pub const FAILING_TEST: &str = r#"#!/bin/sh
echo
echo "running 1 test"
echo "test planted::fault ... FAILED"
echo
echo "failures:"
echo "    planted::fault"
echo
echo "test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s"
exit 101
"#;

/// The stand-in's `/init`.
pub fn init(f: &Flavour) -> String {
    INIT.replace("@OS@", f.os)
        .replace("@DROPBEAR_FLAGS@", f.dropbear_flags)
        .replace(
            "@RC_LOCAL@",
            if f.rc_local {
                RC_LOCAL
            } else {
                "# (no rc.local: the image is reached with root's password)"
            },
        )
}

pub fn passwd() -> &'static str {
    "root:x:0:0:root:/root:/bin/sh\nrunner:x:1000:1000:runner:/home/runner:/bin/sh\n"
}

pub fn group() -> &'static str {
    "root:x:0:\nwheel:x:0:root,runner\nrunner:x:1000:\n"
}

pub fn shadow(f: &Flavour) -> String {
    format!(
        "root:{RUNNER_HASH}:19000:0:99999:7:::\nrunner:{}:19000:0:99999:7:::\n",
        f.runner_hash
    )
}

/// What the stand-in's `STANDIN-CONTRACT` line must say when the QEMU command line honours
/// the image's contract (firmware, NIC model, virtio-scsi disks, the key disk writable, and
/// for OpenBSD no 1 GiB pages).
pub fn expected_contract(f: &Flavour) -> Vec<String> {
    let mut v = vec![
        format!("firmware={}", if f.uefi { "uefi" } else { "bios" }),
        format!("nic={}", f.nic_module),
        "disk=virtio-scsi".to_string(),
        format!("disks={}", if f.rc_local { 2 } else { 1 }),
        format!("keydisk-ro={}", if f.rc_local { "0" } else { "none" }),
    ];
    if f.guest == Guest::OpenBsd {
        v.push("pdpe1gb=no".to_string());
    }
    v
}

/// The tokens of `expected` missing from the console's contract line (all of them when the
/// line never came).
pub fn contract_gaps(console: &str, expected: &[String]) -> Vec<String> {
    let line = console.lines().find_map(|l| {
        l.split_once("STANDIN-CONTRACT ")
            .map(|(_, r)| r.trim().to_string())
    });
    let have: Vec<&str> = line
        .as_deref()
        .map(|l| l.split_whitespace().collect())
        .unwrap_or_default();
    expected
        .iter()
        .filter(|t| !have.contains(&t.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavours_follow_the_images() {
        let ob = flavour(Guest::OpenBsd).unwrap();
        assert!(ob.uefi && ob.rc_local && ob.nic_module == "e1000");
        assert_eq!(ob.dropbear_flags, "-w", "PermitRootLogin no");
        let df = flavour(Guest::DragonFly).unwrap();
        assert!(!df.uefi && !df.rc_local && df.nic_module == "virtio_net");
        assert_eq!(df.backend, Backend::Raw);
        assert!(flavour(Guest::Linux).is_none());
    }

    #[test]
    fn init_plays_rc_local_only_for_openbsd() {
        let ob = init(&flavour(Guest::OpenBsd).unwrap());
        assert!(ob.contains("mount -t vfat -o rw"));
        assert!(ob.contains("dropbear -R -E -p 22 -w"));
        assert!(!ob.contains('@'), "unfilled placeholder");
        let df = init(&flavour(Guest::DragonFly).unwrap());
        assert!(!df.contains("RESOURCES_MOUNT_PATH"));
        assert!(df.contains("dropbear -R -E -p 22 -B"));
        // sshd starts before rc.local runs, as in OpenBSD's /etc/rc.
        assert!(ob.find("dropbear -R").unwrap() < ob.find("mount_resources_disk &&").unwrap());
    }

    #[test]
    fn accounts() {
        let ob = shadow(&flavour(Guest::OpenBsd).unwrap());
        assert!(ob.contains(&format!("runner:{RUNNER_HASH}:")));
        let df = shadow(&flavour(Guest::DragonFly).unwrap());
        assert!(df.contains("runner::") && df.starts_with(&format!("root:{RUNNER_HASH}:")));
        assert!(passwd().contains("runner:x:1000:1000:"));
    }

    #[test]
    fn contract_lines() {
        let ob = expected_contract(&flavour(Guest::OpenBsd).unwrap());
        let good = "x\r\nSTANDIN-CONTRACT firmware=uefi nic=e1000 disk=virtio-scsi disks=2 pdpe1gb=no keydisk-ro=0\r\n";
        assert!(contract_gaps(good, &ob).is_empty());
        let ro = good.replace("keydisk-ro=0", "keydisk-ro=1");
        assert_eq!(contract_gaps(&ro, &ob), vec!["keydisk-ro=0".to_string()]);
        assert_eq!(contract_gaps("no line", &ob).len(), ob.len());
        let df = expected_contract(&flavour(Guest::DragonFly).unwrap());
        assert!(df.contains(&"firmware=bios".to_string()));
        assert!(!df.iter().any(|t| t.starts_with("pdpe1gb")));
    }
}
