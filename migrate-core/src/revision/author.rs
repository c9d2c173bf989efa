//! Writing revision files (Alembic's `script.base`): fresh ids, slugs, the header,
//! and atomic writes that never overwrite an existing file.

use std::collections::hash_map::RandomState;
use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::file::{is_valid_id, is_valid_label};
use super::RevisionGraph;
use crate::error::{Error, Result};

/// What goes into a new revision file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewRevision {
    /// The id; see [`fresh_id`].
    pub id: String,
    /// Parents; empty for a base.
    pub down_revisions: Vec<String>,
    /// One line for humans.
    pub message: String,
    /// `branch_labels:`.
    pub branch_labels: Vec<String>,
    /// `depends_on:`.
    pub depends_on: Vec<String>,
    /// `replaces:` (squashes).
    pub replaces: Vec<String>,
    /// The up SQL (may be empty).
    pub up: String,
    /// The down SQL (empty: cannot be downgraded).
    pub down: String,
    /// Extra comment lines for the author, placed above the up section.
    pub notes: Vec<String>,
}

impl NewRevision {
    /// The file's text, in DESIGN.md §1 format.
    ///
    /// ```
    /// use migrate_core::revision::author::NewRevision;
    /// let text = NewRevision { id: "a1b2c3d4e5f6".into(), message: "init".into(), ..Default::default() }
    ///     .render("2026-11-23T20:45:00Z");
    /// let rev = migrate_core::revision::parse("x.sql", &text).unwrap();
    /// assert_eq!((rev.id.as_str(), rev.message.as_str()), ("a1b2c3d4e5f6", "init"));
    /// assert!(rev.is_base());
    /// ```
    pub fn render(&self, create_date: &str) -> String {
        let mut text = format!("-- revision: {}\n", self.id);
        let down = if self.down_revisions.is_empty() {
            "none".to_string()
        } else {
            self.down_revisions.join(", ")
        };
        text.push_str(&format!("-- down_revision: {down}\n"));
        // The message is one line: a newline would end the header value.
        let message: String = self.message.lines().collect::<Vec<_>>().join(" ");
        text.push_str(&format!(
            "-- message: {message}\n-- create_date: {create_date}\n"
        ));
        for (key, values) in [
            ("branch_labels", &self.branch_labels),
            ("depends_on", &self.depends_on),
            ("replaces", &self.replaces),
        ] {
            if !values.is_empty() {
                text.push_str(&format!("-- {key}: {}\n", values.join(", ")));
            }
        }
        for note in &self.notes {
            text.push_str(&format!("--\n-- {}\n", note.replace('\n', "\n-- ")));
        }
        text.push_str("\n-- migrate:up\n");
        push_section(&mut text, &self.up);
        text.push_str("\n-- migrate:down\n");
        push_section(&mut text, &self.down);
        text
    }

    /// The file name: `<id>_<slug>.sql`.
    pub fn file_name(&self) -> String {
        let slug = slug(&self.message);
        if slug.is_empty() {
            format!("{}.sql", self.id)
        } else {
            format!("{}_{slug}.sql", self.id)
        }
    }
}

fn push_section(text: &mut String, sql: &str) {
    let sql = sql.trim_matches('\n');
    if !sql.is_empty() {
        text.push_str(sql);
        text.push('\n');
    }
}

/// A new 12-hex-digit id that the graph does not use yet.
///
/// The randomness comes from the standard library's per-process random hash keys,
/// mixed with the clock, which is plenty for ids that only need to avoid collisions
/// between developers.
pub fn fresh_id(graph: Option<&RevisionGraph>) -> String {
    loop {
        let mut hasher = RandomState::new().build_hasher();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        hasher.write_u128(nanos);
        hasher.write_u32(std::process::id());
        let id = format!("{:012x}", hasher.finish() & 0xffff_ffff_ffff);
        if graph.is_none_or(|g| g.get(&id).is_none()) {
            return id;
        }
    }
}

/// The message as a file-name slug: lowercase ASCII words joined by `_`, at most
/// 40 characters, cut at a word boundary.
///
/// ```
/// assert_eq!(migrate_core::revision::author::slug("Add users table!"), "add_users_table");
/// assert_eq!(migrate_core::revision::author::slug("Ünïcode — stuff"), "n_code_stuff");
/// ```
pub fn slug(message: &str) -> String {
    let mut out = String::new();
    for word in message
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() && out.len() + 1 + word.len() > 40 {
            break;
        }
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    out.truncate(40);
    out
}

/// The current time as RFC 3339 UTC, e.g. `2026-11-23T20:45:00Z`.
pub fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Checks the user-chosen parts of a new revision against the graph.
pub fn validate_new(rev: &NewRevision, graph: &RevisionGraph) -> Result<()> {
    if !is_valid_id(&rev.id) {
        return Err(Error::InvalidArgument {
            argument: "--rev-id".to_string(),
            reason: format!(
                "`{}` is not a valid id: use 1 to 64 characters from [A-Za-z0-9_]",
                rev.id
            ),
        });
    }
    if let Some(existing) = graph.get(&rev.id) {
        return Err(Error::InvalidArgument {
            argument: "--rev-id".to_string(),
            reason: format!("revision {} already exists at {}", rev.id, existing.path),
        });
    }
    for label in &rev.branch_labels {
        if !is_valid_label(label) {
            return Err(Error::InvalidArgument {
                argument: "--branch-label".to_string(),
                reason: format!(
                    "`{label}` is not a valid label: use 1 to 64 characters from [A-Za-z0-9_-]"
                ),
            });
        }
        if graph.labels().iter().any(|(l, _)| l == label) || graph.get(label).is_some() {
            return Err(Error::InvalidArgument {
                argument: "--branch-label".to_string(),
                reason: format!("branch label '{label}' is already used"),
            });
        }
    }
    Ok(())
}

/// Writes `text` to `dir/name` atomically: the file appears whole or not at all,
/// and an existing file is never overwritten.
pub fn write_new_file(dir: &Path, name: &str, text: &str) -> Result<PathBuf> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| Error::Io { path, source }
    };
    fs::create_dir_all(dir).map_err(io(dir))?;
    let path = dir.join(name);
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .map_err(io(&temp))?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    drop(file);
    // A hard link fails when the target exists, unlike rename, which would replace it.
    let linked = written.and_then(|()| fs::hard_link(&temp, &path));
    let _ = fs::remove_file(&temp);
    linked.map_err(io(&path))?;
    Ok(path)
}
