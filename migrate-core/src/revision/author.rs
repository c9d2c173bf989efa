//! Templating new revision files (Alembic's `script.base`): fresh ids, slugs,
//! the header and sections, and the checks a new revision must pass. The text
//! goes to disk through [`source`](super::source), which owns `revision`'s file
//! I/O; rebase and squash plans are in [`rewrite`](super::rewrite).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{SystemTime, UNIX_EPOCH};

use super::file::{is_valid_id, is_valid_label};
// Kept under their old path: writing new files lived here before `source`
// took over all of `revision`'s file I/O.
pub use super::source::{replace_file, write_new_file};
use super::{Direction, RevisionGraph};
use crate::dialect::Dialect;
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
    /// Mark both sections `transaction:false` (SQL that cannot run in a transaction).
    pub non_transactional: bool,
    /// SQL per dialect. When given, the file has `-- migrate:up <dialect>` and
    /// `-- migrate:down <dialect>` sections instead of `up`, `down` and
    /// `non_transactional`.
    pub dialects: Vec<DialectSql>,
}

/// One dialect's SQL in a new revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialectSql {
    /// The dialect its sections are marked with.
    pub dialect: Dialect,
    /// The up SQL.
    pub up: String,
    /// The down SQL.
    pub down: String,
    /// `false` marks the up section `transaction:false`.
    pub up_transactional: bool,
    /// `false` marks the down section `transaction:false`.
    pub down_transactional: bool,
}

impl NewRevision {
    /// The file's text, in the format `docs/revision-format.md` describes.
    ///
    /// ```
    /// use migrate_core::revision::author::NewRevision;
    /// let text = NewRevision { id: "a1b2c3d4e5f6".into(), message: "init".into(), ..Default::default() }
    ///     .render("2026-11-23T20:45:00Z");
    /// let rev = migrate_core::revision::parse("x.sql", &text).unwrap();
    /// assert_eq!((rev.id.as_str(), rev.message.as_str()), ("a1b2c3d4e5f6", "init"));
    /// assert!(rev.is_base());
    /// ```
    ///
    /// Notes become comment lines that never read as header keys:
    ///
    /// ```
    /// use migrate_core::revision::author::NewRevision;
    /// let text = NewRevision {
    ///     id: "a1b2c3d4e5f6".into(),
    ///     notes: vec!["transaction:false because of ADD VALUE".into()],
    ///     ..Default::default()
    /// }
    /// .render("2026-11-23T20:45:00Z");
    /// assert!(text.contains("-- Note: transaction:false because"));
    /// migrate_core::revision::parse("x.sql", &text).unwrap();
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
            text.push_str("--\n");
            for line in note.lines() {
                // A note line must never read as a header key (`word: ...`).
                let guard = if super::file::split_key(line.trim()).is_some() {
                    "Note: "
                } else {
                    ""
                };
                text.push_str(&format!("-- {guard}{line}\n"));
            }
        }
        if !self.dialects.is_empty() {
            push_dialect_sections(&mut text, &self.dialects);
            return text;
        }
        let options = if self.non_transactional {
            " transaction:false"
        } else {
            ""
        };
        text.push_str(&format!("\n-- migrate:up{options}\n"));
        push_section(&mut text, &self.up);
        text.push_str(&format!("\n-- migrate:down{options}\n"));
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

/// Every dialect's up section, then every dialect's down section.
fn push_dialect_sections(text: &mut String, dialects: &[DialectSql]) {
    for direction in [Direction::Up, Direction::Down] {
        for d in dialects {
            let (sql, transactional) = match direction {
                Direction::Up => (&d.up, d.up_transactional),
                Direction::Down => (&d.down, d.down_transactional),
            };
            let options = if transactional {
                ""
            } else {
                " transaction:false"
            };
            text.push_str(&format!(
                "\n-- migrate:{direction} {}{options}\n",
                d.dialect
            ));
            push_section(text, sql);
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

/// The current time as RFC 3339 UTC to the second, e.g. `2026-11-23T20:45:00Z`.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
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
