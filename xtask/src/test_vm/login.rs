//! Getting into a BSD guest over ssh with a key made for this run: the key disk (OpenBSD's
//! rc.local installs it), or the image's password used once through `SSH_ASKPASS` to install
//! it (DragonFly always; OpenBSD when key login has not worked in a bounded time).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::image::{Access, ImagePin};
use super::qemu::{Accel, Vm};
use super::{progress, shell_quote};

/// How long OpenBSD key login may keep failing after sshd first answers before the password
/// fallback installs the key (rc.local runs after sshd starts, so a short wait is normal).
pub const KEY_GRACE_KVM: Duration = Duration::from_secs(60);
pub const KEY_GRACE_TCG: Duration = Duration::from_secs(240);

/// ssh options for a throwaway guest on a forwarded loopback port. `-F /dev/null` and
/// `IdentitiesOnly`: the user's ssh config and agent keys cannot get in the way (an agent
/// with many keys otherwise uses up the server's `MaxAuthTries` before this run's key).
pub fn ssh_args(key: &Path, port: u16, user: &str, batch: bool) -> Vec<String> {
    let mut v: Vec<String> = [
        "-F",
        "/dev/null",
        "-o",
        "IdentitiesOnly=yes",
        "-o",
        "IdentityAgent=none",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "UserKnownHostsFile=/dev/null",
        "-o",
        "LogLevel=ERROR",
        "-o",
        "ConnectTimeout=10",
        "-o",
        "ServerAliveInterval=15",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if batch {
        v.extend(["-o".into(), "BatchMode=yes".into()]);
    } else {
        v.extend([
            "-o".into(),
            "PreferredAuthentications=password,keyboard-interactive".into(),
            "-o".into(),
            "NumberOfPasswordPrompts=1".into(),
        ]);
    }
    v.extend([
        "-i".into(),
        key.display().to_string(),
        "-p".into(),
        port.to_string(),
        format!("{user}@127.0.0.1"),
    ]);
    v
}

/// This run's key and the ways to install it.
pub struct Credentials {
    pub key: PathBuf,
    pub pubkey: String,
    pub user: &'static str,
    /// The `SSH_ASKPASS` helper that prints the image's password.
    pub askpass: PathBuf,
    /// The key disk's directory (holds `KEYS`), when the image reads one.
    pub key_dir: Option<PathBuf>,
}

/// How the run's key got into the guest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Login {
    /// The image installed it from the key disk.
    KeyDisk,
    /// xtask installed it over a password login.
    Password,
}

impl Login {
    pub fn describe(self) -> &'static str {
        match self {
            Login::KeyDisk => "key from the key disk",
            Login::Password => "key installed over a password login",
        }
    }
}

/// Makes a fresh ed25519 key in `dir`, the askpass helper and, for key-disk images, the
/// `keydisk/KEYS` file.
pub fn prepare(pin: &ImagePin, dir: &Path) -> Result<Credentials, String> {
    let key = dir.join("id_ed25519");
    let _ = std::fs::remove_file(&key);
    let _ = std::fs::remove_file(key.with_extension("pub"));
    let st = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "bsd-rs-test-vm",
            "-f",
        ])
        .arg(&key)
        .status()
        .map_err(|e| format!("cannot run ssh-keygen: {e} (apt-get install openssh-client)"))?;
    if !st.success() {
        return Err("ssh-keygen failed".to_string());
    }
    let pubkey = std::fs::read_to_string(key.with_extension("pub")).map_err(|e| e.to_string())?;
    let (user, password, key_dir) = match pin.access {
        Access::KeyDisk { user, password } => {
            let d = dir.join("keydisk");
            let _ = std::fs::remove_dir_all(&d);
            std::fs::create_dir_all(&d).map_err(|e| e.to_string())?;
            std::fs::write(d.join("KEYS"), &pubkey).map_err(|e| e.to_string())?;
            (user, password, Some(d))
        }
        Access::Password { user, password } => (user, password, None),
    };
    let askpass = dir.join("askpass.sh");
    std::fs::write(
        &askpass,
        format!("#!/bin/sh\necho {}\n", shell_quote(password)),
    )
    .map_err(|e| e.to_string())?;
    std::fs::set_permissions(&askpass, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| e.to_string())?;
    Ok(Credentials {
        key,
        pubkey,
        user,
        askpass,
        key_dir,
    })
}

/// One ssh attempt's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Probe {
    Ok,
    /// sshd answered and refused the credentials.
    Denied,
    /// No sshd yet (refused, reset, timed out).
    Unreachable,
}

/// Classifies an ssh failure by its message.
pub fn classify(success: bool, stderr: &str) -> Probe {
    if success {
        Probe::Ok
    } else if stderr.contains("Permission denied") || stderr.contains("Too many authentication") {
        Probe::Denied
    } else {
        Probe::Unreachable
    }
}

fn probe(args: &[String], askpass: Option<&Path>, remote: &str) -> Probe {
    let mut c = Command::new("ssh");
    c.args(args)
        .arg(remote)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if let Some(a) = askpass {
        c.env("SSH_ASKPASS", a)
            .env("SSH_ASKPASS_REQUIRE", "force")
            .env("DISPLAY", ":0");
    }
    match c.output() {
        Ok(o) => classify(o.status.success(), &String::from_utf8_lossy(&o.stderr)),
        Err(_) => Probe::Unreachable,
    }
}

/// What the wait loop needs besides the VM.
pub struct Wait<'a> {
    pub creds: &'a Credentials,
    pub port: u16,
    pub accel: Accel,
    /// From QEMU start to a working login.
    pub boot_limit: Duration,
    /// Key-disk images: how long key login may fail after sshd answers before the password
    /// fallback.
    pub key_grace: Duration,
    pub log: &'a Path,
}

/// Waits until this run's key logs in, installing it with the password where the image
/// needs that (always for password images, after `key_grace` for key-disk ones).
pub fn wait_for_login(
    vm: &mut Vm,
    w: &Wait<'_>,
    mut drain: impl FnMut(&mut Vm, &mut String) -> Result<(), String>,
) -> Result<Login, String> {
    let c = w.creds;
    let t0 = Instant::now();
    let key_args = ssh_args(&c.key, w.port, c.user, true);
    let pw_args = ssh_args(&c.key, w.port, c.user, false);
    let install = format!(
        "mkdir -p .ssh && chmod 700 .ssh && echo {} >> .ssh/authorized_keys && chmod 600 .ssh/authorized_keys",
        shell_quote(c.pubkey.trim())
    );
    let key_disk = c.key_dir.is_some();
    let mut answered: Option<Instant> = None;
    let mut used_password = false;
    let mut last = String::new();
    let mut next_note = Duration::from_secs(15);
    loop {
        drain(vm, &mut last)?;
        let fallback_due = answered.is_some_and(|t| t.elapsed() >= w.key_grace);
        if !used_password && (!key_disk || fallback_due) {
            if key_disk {
                progress(&format!(
                    "key login still refused {}s after sshd answered: the key disk was not \
                     honoured (see {}); installing the key with the image's `{}` password",
                    w.key_grace.as_secs(),
                    w.log.display(),
                    c.user
                ));
            }
            if probe(&pw_args, Some(&c.askpass), &install) == Probe::Ok {
                progress("installed this run's key over a password login");
                used_password = true;
            }
        }
        match probe(&key_args, None, "true") {
            Probe::Ok => {
                let how = if used_password {
                    Login::Password
                } else {
                    Login::KeyDisk
                };
                progress(&format!(
                    "ssh ready after {}s ({})",
                    t0.elapsed().as_secs(),
                    how.describe()
                ));
                return Ok(how);
            }
            Probe::Denied if answered.is_none() => answered = Some(Instant::now()),
            _ => {}
        }
        if t0.elapsed() > w.boot_limit {
            return Err(format!(
                "no ssh login within {}s ({}{}); serial log {}; last console line: {last}",
                w.boot_limit.as_secs(),
                w.accel.name(),
                if answered.is_some() {
                    ", sshd answered but refused the key"
                } else {
                    ", sshd never answered"
                },
                w.log.display()
            ));
        }
        if t0.elapsed() > next_note {
            progress(&format!(
                "booting ({})... {}s: {last}",
                w.accel.name(),
                t0.elapsed().as_secs()
            ));
            next_note += Duration::from_secs(15);
        }
        std::thread::sleep(Duration::from_secs(3));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_argv_ignores_the_users_setup() {
        let v = ssh_args(Path::new("/r/id"), 2200, "runner", true);
        let line = v.join(" ");
        assert!(
            line.starts_with("-F /dev/null -o IdentitiesOnly=yes"),
            "{line}"
        );
        assert!(line.contains("IdentityAgent=none"));
        assert!(line.contains("StrictHostKeyChecking=no"));
        assert!(line.contains("BatchMode=yes"));
        assert!(
            line.ends_with("-i /r/id -p 2200 runner@127.0.0.1"),
            "{line}"
        );
        let v = ssh_args(Path::new("/r/id"), 2200, "root", false).join(" ");
        assert!(!v.contains("BatchMode"));
        assert!(v.contains("-F /dev/null") && v.contains("IdentitiesOnly=yes"));
        assert!(v.contains("PreferredAuthentications=password,keyboard-interactive"));
    }

    #[test]
    fn ssh_failures_are_told_apart() {
        assert_eq!(classify(true, ""), Probe::Ok);
        assert_eq!(
            classify(
                false,
                "runner@127.0.0.1: Permission denied (publickey,password)."
            ),
            Probe::Denied
        );
        assert_eq!(
            classify(
                false,
                "kex_exchange_identification: read: Connection reset by peer"
            ),
            Probe::Unreachable
        );
        assert_eq!(
            classify(
                false,
                "ssh: connect to host 127.0.0.1 port 2200: Connection refused"
            ),
            Probe::Unreachable
        );
    }

    #[test]
    fn credentials_for_each_access() {
        let dir = std::env::temp_dir().join(format!("bsd-rs-login-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ob = super::super::image::pin_for(super::super::plan::Guest::OpenBsd).unwrap();
        let c = prepare(ob, &dir).unwrap();
        assert_eq!(c.user, "runner");
        let keys = std::fs::read_to_string(c.key_dir.as_ref().unwrap().join("KEYS")).unwrap();
        assert_eq!(keys, c.pubkey);
        assert!(c.pubkey.starts_with("ssh-ed25519 "));
        let ask = std::fs::read_to_string(&c.askpass).unwrap();
        assert_eq!(ask, "#!/bin/sh\necho runner\n");
        let df = super::super::image::pin_for(super::super::plan::Guest::DragonFly).unwrap();
        let c = prepare(df, &dir).unwrap();
        assert_eq!(c.user, "root");
        assert!(c.key_dir.is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
