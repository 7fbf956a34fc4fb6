//! What a downloaded image is checked against when `image.rs` pins no sha256: the `digest`
//! GitHub's releases API publishes for every release asset (`assets[].digest`, `sha256:<hex>`),
//! with the release's `immutable` flag saying whether that asset can still be replaced.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::json::{self, Json};

/// Where a sum came from, for the messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The `sha256` field of the image's entry in `image.rs`.
    Pinned,
    /// GitHub's releases API, looked up for this download (`immutable`: the release's flag,
    /// `None` when the API did not say).
    GitHubDigest {
        api: String,
        immutable: Option<bool>,
    },
    /// The digest recorded next to the cached file when it was downloaded and verified.
    Recorded { file: PathBuf },
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::Pinned => "the sha256 pinned in xtask/src/test_vm/image.rs".to_string(),
            Source::GitHubDigest { api, immutable } => format!(
                "the sha256 digest GitHub publishes for this release asset ({api}); {}",
                immutability_note(*immutable)
            ),
            Source::Recorded { file } => format!(
                "the GitHub digest recorded at download time in {}",
                file.display()
            ),
        }
    }
}

/// What `immutable` means for the user.
pub fn immutability_note(immutable: Option<bool>) -> &'static str {
    match immutable {
        Some(true) => {
            "the release is immutable, so this asset and its digest cannot be replaced: \
             the file is the one the builder published"
        }
        Some(false) => {
            "WARNING: the release is NOT immutable, so its owner can replace the asset (and \
             GitHub then publishes the new digest): the check proves the file is what GitHub \
             serves today and that it arrived intact, not that it is the file first published"
        }
        None => {
            "the API did not say whether the release is immutable: treat the asset as \
             replaceable"
        }
    }
}

/// `https://github.com/<owner>/<repo>/releases/download/<tag>/<file>` →
/// (`https://api.github.com/repos/<owner>/<repo>/releases/tags/<tag>`, `<file>`).
pub fn release_api_url(asset_url: &str) -> Option<(String, String)> {
    let rest = asset_url.strip_prefix("https://github.com/")?;
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [owner, repo, "releases", "download", tag, file]
            if !owner.is_empty() && !repo.is_empty() && !tag.is_empty() && !file.is_empty() =>
        {
            Some((
                format!("https://api.github.com/repos/{owner}/{repo}/releases/tags/{tag}"),
                file.to_string(),
            ))
        }
        _ => None,
    }
}

/// The asset's sha256 and the release's `immutable` flag, from the releases API's JSON.
pub fn digest_from_release(body: &str, file: &str) -> Result<(String, Option<bool>), String> {
    let v = json::parse(body.trim()).map_err(|e| format!("the releases API answered: {e}"))?;
    let immutable = v.get("immutable").and_then(Json::as_bool);
    let assets = v
        .get("assets")
        .and_then(Json::as_array)
        .ok_or("the releases API lists no assets")?;
    let asset = assets
        .iter()
        .find(|a| a.get("name").and_then(Json::as_str) == Some(file))
        .ok_or_else(|| format!("the release has no asset named {file}"))?;
    let digest = asset
        .get("digest")
        .and_then(Json::as_str)
        .ok_or_else(|| format!("the releases API gives no digest for {file}"))?;
    let hex = digest
        .strip_prefix("sha256:")
        .ok_or_else(|| format!("the digest of {file} is not sha256: `{digest}`"))?;
    if super::image::is_sha256(hex) {
        Ok((hex.to_string(), immutable))
    } else {
        Err(format!("the digest of {file} is malformed: `{digest}`"))
    }
}

/// Asks the releases API (curl) for the digest of `asset_url`.
pub fn lookup(asset_url: &str) -> Result<(String, Source), String> {
    let (api, file) = release_api_url(asset_url)
        .ok_or_else(|| format!("{asset_url} is not a GitHub release asset"))?;
    let out = Command::new("curl")
        .args([
            "--fail",
            "--silent",
            "--show-error",
            "--location",
            "--max-time",
            "30",
            "-H",
            "Accept: application/vnd.github+json",
        ])
        .arg(&api)
        .output()
        .map_err(|e| format!("cannot run curl: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cannot reach {api}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let (sum, immutable) = digest_from_release(&String::from_utf8_lossy(&out.stdout), &file)?;
    Ok((sum, Source::GitHubDigest { api, immutable }))
}

/// The sidecar that keeps a GitHub digest with the cached file: `<file>.sha256`.
pub fn record_path(image: &Path) -> PathBuf {
    let mut s = image.as_os_str().to_owned();
    s.push(".sha256");
    PathBuf::from(s)
}

/// Reads a sidecar written by [`record`].
pub fn recorded(image: &Path) -> Option<(String, Source)> {
    let file = record_path(image);
    let text = std::fs::read_to_string(&file).ok()?;
    let sum = text.split_whitespace().next()?.to_string();
    super::image::is_sha256(&sum).then_some((sum, Source::Recorded { file }))
}

pub fn record(image: &Path, sum: &str, source: &Source) -> Result<(), String> {
    let file = record_path(image);
    std::fs::write(&file, format!("{sum}  {}\n", source.describe()))
        .map_err(|e| format!("{}: {e}", file.display()))
}

/// Compares a file's sum with the expected one; a mismatch names both.
pub fn verify(path: &Path, actual: &str, expected: &str, source: &Source) -> Result<(), String> {
    if actual == expected {
        Ok(())
    } else {
        Err(format!(
            "checksum mismatch for {}:\n  expected sha256 {expected} ({})\n  actual   sha256 \
             {actual}\ndelete the file and run again to download it afresh",
            path.display(),
            source.describe()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_url_from_asset_url() {
        assert_eq!(
            release_api_url(
                "https://github.com/cross-platform-actions/openbsd-builder/releases/download/v0.13.0/openbsd-7.8-x86-64.qcow2"
            ),
            Some((
                "https://api.github.com/repos/cross-platform-actions/openbsd-builder/releases/tags/v0.13.0"
                    .to_string(),
                "openbsd-7.8-x86-64.qcow2".to_string()
            ))
        );
        assert_eq!(release_api_url("https://example.org/x.qcow2"), None);
        assert_eq!(
            release_api_url("https://github.com/o/r/releases/download/v1/"),
            None
        );
    }

    const BODY: &str = r#"{"tag_name":"v0.13.0","immutable":true,"assets":[
        {"name":"openbsd-7.9-x86-64.qcow2","digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111"},
        {"name":"openbsd-7.8-x86-64.qcow2","digest":"sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]}"#;

    #[test]
    fn digest_of_the_named_asset() {
        let (sum, imm) = digest_from_release(BODY, "openbsd-7.8-x86-64.qcow2").unwrap();
        assert_eq!(
            sum,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(imm, Some(true));
        let e = digest_from_release(BODY, "openbsd-7.7-x86-64.qcow2").unwrap_err();
        assert!(e.contains("no asset named openbsd-7.7"), "{e}");
    }

    #[test]
    fn missing_or_odd_digests_are_errors() {
        let none = r#"{"immutable":false,"assets":[{"name":"a.qcow2","digest":null}]}"#;
        assert!(digest_from_release(none, "a.qcow2")
            .unwrap_err()
            .contains("no digest"));
        let md5 = r#"{"assets":[{"name":"a.qcow2","digest":"md5:abc"}]}"#;
        assert!(digest_from_release(md5, "a.qcow2")
            .unwrap_err()
            .contains("not sha256"));
        assert!(digest_from_release("<html>", "a.qcow2").is_err());
        assert!(digest_from_release("{}", "a.qcow2")
            .unwrap_err()
            .contains("no assets"));
    }

    #[test]
    fn mutable_releases_are_called_out() {
        assert!(immutability_note(Some(false)).contains("NOT immutable"));
        assert!(immutability_note(None).contains("replaceable"));
        assert!(immutability_note(Some(true)).contains("cannot be replaced"));
    }

    #[test]
    fn mismatch_names_both_sums_and_the_source() {
        let (a, b) = ("a".repeat(64), "b".repeat(64));
        let e = verify(Path::new("/c/x.qcow2"), &a, &b, &Source::Pinned).unwrap_err();
        assert!(
            e.contains(&a) && e.contains(&b) && e.contains("image.rs"),
            "{e}"
        );
        assert!(verify(Path::new("/c/x.qcow2"), &a, &a, &Source::Pinned).is_ok());
    }

    #[test]
    fn sidecar_round_trip() {
        let dir = std::env::temp_dir().join(format!("bsd-rs-trust-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let img = dir.join("x.qcow2");
        assert_eq!(record_path(&img), dir.join("x.qcow2.sha256"));
        assert!(recorded(&img).is_none());
        let sum = "c".repeat(64);
        let src = Source::GitHubDigest {
            api: "https://api.github.com/x".into(),
            immutable: Some(false),
        };
        record(&img, &sum, &src).unwrap();
        let (got, from) = recorded(&img).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(got, sum);
        assert!(matches!(from, Source::Recorded { .. }));
    }
}
