//! The lint findings of the last build script run, kept in `OUT_DIR` under a
//! SHA-256 of everything they depend on: every revision file's path and full
//! text (headers included: `lint_allow` and the parents change findings), the
//! lint settings, and the build script binary itself (a new `migrate-build`
//! may lint differently). Equal key, equal findings; any other key relints
//! everything, so a stale entry can never be served.
//!
//! Cargo reruns the build script when a revision file's mtime changes, even
//! when its text did not (a touch, a `git checkout` back and forth); without
//! this cache each such rerun would parse every revision again.

use std::fs;
use std::path::{Path, PathBuf};

use migrate_core::revision::source::SourceFile;
use sha2::{Digest, Sha256};

use crate::LintSettings;

/// The cache file's name starts with this; the directory's name follows, so
/// two directories validated by one build script keep one entry each.
pub(crate) const FILE_PREFIX: &str = "migrate-lint-cache-";

/// Where the findings for one set of inputs live.
pub(crate) struct Cache {
    path: PathBuf,
    key: String,
}

impl Cache {
    /// `None` when a revision file cannot be read (validation reports that).
    pub(crate) fn new(
        out_dir: &Path,
        dir: &str,
        settings: &LintSettings,
        files: &[SourceFile],
    ) -> Option<Cache> {
        let mut hash = Sha256::new();
        let mut field = |bytes: &[u8]| {
            // Length-prefixed, so no two different inputs hash the same stream.
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        };
        field(env!("CARGO_PKG_VERSION").as_bytes());
        field(build_script_identity().as_bytes());
        field(dir.as_bytes());
        field(format!("{:?}/{:?}", settings.released, settings.dialects).as_bytes());
        for file in files {
            field(file.display_path.as_bytes());
            field(&fs::read(&file.path).ok()?);
        }
        let key = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Some(Cache {
            path: out_dir.join(format!(
                "{FILE_PREFIX}{}",
                dir.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
            )),
            key,
        })
    }

    /// The stored findings, if they were stored under this key.
    pub(crate) fn load(&self) -> Option<Vec<String>> {
        let text = fs::read_to_string(&self.path).ok()?;
        let (key, rest) = text.split_once('\n')?;
        if key != self.key {
            return None;
        }
        // Each finding is `<byte length>\n<text>`: a finding may span lines.
        let mut findings = Vec::new();
        let mut rest = rest;
        while !rest.is_empty() {
            let (len, tail) = rest.split_once('\n')?;
            let len: usize = len.parse().ok()?;
            findings.push(tail.get(..len)?.to_string());
            rest = tail.get(len..)?;
        }
        Some(findings)
    }

    /// Stores `findings` under this key. A failure to write only costs the
    /// next run its shortcut, so it is not an error.
    pub(crate) fn store(&self, findings: &[String]) {
        let mut text = format!("{}\n", self.key);
        for f in findings {
            text.push_str(&format!("{}\n{f}", f.len()));
        }
        let _ = fs::write(&self.path, text);
    }
}

/// The running build script's size and modification time: they change
/// whenever cargo relinks it, for instance after `migrate-build` or the
/// linter changed without a version bump.
fn build_script_identity() -> String {
    std::env::current_exe()
        .and_then(fs::metadata)
        .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
        .unwrap_or_default()
}
