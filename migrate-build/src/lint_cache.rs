//! The lint memo of the last build script run, kept in `OUT_DIR`: each
//! revision's findings and schema changes, filed under a key of the
//! revision's text and the schema its parents left (see
//! `migrate_core::lint::Memo`). A rerun after a touch or a checkout that
//! changed nothing parses no SQL; an edit parses the edited revision, and its
//! descendants only when the schema after it changed.
//!
//! The file is only ever a shortcut: one that is missing, unreadable, damaged
//! or written by another version reads as empty, and a failure to write it
//! costs the next run its shortcut, never the build.

use std::fs;
use std::path::{Path, PathBuf};

use migrate_core::lint::Memo;

/// The cache file's name starts with this; the directory's name follows, so
/// two directories validated by one build script keep one file each.
pub(crate) const FILE_PREFIX: &str = "migrate-lint-cache-";

/// Where the memo for one migrations directory lives.
pub(crate) struct Cache {
    path: PathBuf,
}

impl Cache {
    pub(crate) fn new(out_dir: &Path, dir: &str) -> Cache {
        Cache {
            path: out_dir.join(format!(
                "{FILE_PREFIX}{}",
                dir.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
            )),
        }
    }

    /// The stored memo; empty when there is none that can be read.
    pub(crate) fn load(&self) -> Memo {
        fs::read_to_string(&self.path)
            .ok()
            .and_then(|text| Memo::from_text(&text))
            .unwrap_or_default()
    }

    /// Replaces the stored memo. Written aside and renamed, so an interrupted
    /// write leaves the old file or none, not half of one.
    pub(crate) fn store(&self, memo: &Memo) {
        let aside = self.path.with_extension("new");
        if fs::write(&aside, memo.to_text()).is_ok() {
            let _ = fs::rename(&aside, &self.path);
        }
    }
}

/// What identifies the linter that wrote an entry: `migrate-build`'s version
/// and the running build script's size and modification time, which change
/// whenever cargo relinks it (for instance after `migrate-build` or the linter
/// changed without a version bump).
pub(crate) fn salt() -> Vec<u8> {
    let exe = std::env::current_exe()
        .and_then(fs::metadata)
        .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
        .unwrap_or_default();
    format!("{} {exe}", env!("CARGO_PKG_VERSION")).into_bytes()
}
