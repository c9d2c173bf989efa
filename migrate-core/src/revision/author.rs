//! Writing revision files (Alembic's `script.base`): fresh ids, slugs, the header,
//! and atomic writes that never overwrite an existing file.

use std::collections::hash_map::RandomState;
use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::file::{is_valid_id, is_valid_label};
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

/// Replaces one header line of a revision file, leaving every other byte as it was
/// (line endings included), so the checksum, which covers only the sections,
/// stays the same.
pub fn rewrite_header_line(text: &str, line: usize, key: &str, value: &str) -> String {
    let mut out = String::with_capacity(text.len() + value.len());
    for (number, raw) in text.split_inclusive('\n').enumerate() {
        if number + 1 == line {
            let ending = if raw.ends_with("\r\n") {
                "\r\n"
            } else if raw.ends_with('\n') {
                "\n"
            } else {
                ""
            };
            out.push_str(&format!("-- {key}: {value}{ending}"));
        } else {
            out.push_str(raw);
        }
    }
    out
}

/// Replaces an existing file's contents atomically (temp file, then rename).
pub fn replace_file(path: &Path, text: &str) -> Result<()> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = fs::write(&temp, text).and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written.map_err(io)
}

/// The revisions of the branch that ends at `head`: walking down from `head` while
/// each revision has one parent and that parent one child. Returned oldest first.
pub fn branch_of<'g>(graph: &'g RevisionGraph, head: &str) -> Result<Vec<&'g super::Revision>> {
    let mut current = graph.find(head)?;
    let mut branch = vec![current];
    while let [parent] = current.down_revisions.as_slice() {
        if graph.children_of(parent).len() != 1 {
            break;
        }
        current = graph.get(parent).ok_or_else(|| Error::UnknownRevision {
            revision: parent.clone(),
        })?;
        branch.push(current);
    }
    branch.reverse();
    Ok(branch)
}

/// The members' up SQL in order, and their down SQL in reverse (empty when one
/// of them cannot be downgraded), each part headed by the member it comes from.
/// With a dialect, the SQL that runs on that dialect; an error names a member
/// that has none.
fn squashed_sql(run: &[&super::Revision], dialect: Option<Dialect>) -> Result<(String, String)> {
    let mut up = Vec::new();
    let mut down = Vec::new();
    for rev in run {
        let sql = |direction: Direction| -> Result<String> {
            let sections: Vec<&super::Section> = match dialect {
                None => rev.sections.iter().filter(|s| s.direction == direction).collect(),
                Some(d) => rev.sections_for(direction, d).ok_or_else(|| Error::InvalidArgument {
                    argument: "A:B".to_string(),
                    reason: format!(
                        "{} has no `-- migrate:{direction} {d}` section, which the squash needs for the other members' {d} SQL",
                        rev.id
                    ),
                })?,
            };
            Ok(sections
                .iter()
                .map(|s| s.sql.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("\n\n"))
        };
        let header = format!("-- from {}: {}", rev.id, rev.message);
        up.push(format!("{header}\n{}", sql(Direction::Up)?));
        let reverse = sql(Direction::Down)?;
        down.push((!reverse.is_empty()).then(|| format!("{header}\n{reverse}")));
    }
    let down = if down.iter().all(Option::is_some) {
        down.into_iter()
            .rev()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n\n")
    } else {
        String::new()
    };
    Ok((up.join("\n\n"), down))
}

/// What `rebase` will change: the first revision of the branch and its new parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebase {
    /// Every revision of the moved branch, oldest first.
    pub moved: Vec<String>,
    /// The file whose `down_revision` line changes.
    pub path: String,
    /// The new file text.
    pub text: String,
}

/// Plans `migrate rebase <branch_head> --onto <onto>`: the branch's first revision
/// gets `onto` as its only parent. The resulting graph is validated before anything
/// is written; `read` supplies a file's current text.
pub fn plan_rebase(
    graph: &RevisionGraph,
    branch_head: &str,
    onto: &str,
    read: &dyn Fn(&str) -> Result<String>,
) -> Result<Rebase> {
    let branch = branch_of(graph, branch_head)?;
    let onto = graph.find(onto)?;
    let first = branch[0];
    if branch.iter().any(|r| r.id == onto.id) {
        return Err(Error::InvalidArgument {
            argument: "--onto".to_string(),
            reason: format!("{} is part of the branch being moved", onto.id),
        });
    }
    if first.down_revisions == [onto.id.clone()] {
        return Err(Error::InvalidArgument {
            argument: "--onto".to_string(),
            reason: format!("{} already sits on {}", first.id, onto.id),
        });
    }
    let original = read(&first.path)?;
    let text = rewrite_header_line(
        &original,
        first.lines.down_revision,
        "down_revision",
        &onto.id,
    );
    // The rewritten graph must still be valid (no cycle through depends_on, say).
    let mut revisions: Vec<super::Revision> = graph.revisions().cloned().collect();
    for r in revisions.iter_mut().filter(|r| r.id == first.id) {
        *r = super::parse(&first.path, &text)?;
    }
    RevisionGraph::new(revisions)?;
    Ok(Rebase {
        moved: branch.iter().map(|r| r.id.clone()).collect(),
        path: first.path.clone(),
        text,
    })
}

/// The members' `depends_on`, each entry once (members often share one, and the
/// parser rejects a repeated entry), without those the squash absorbs: a member's
/// id or label would make the squash depend on itself.
fn squashed_depends_on(run: &[&super::Revision]) -> Vec<String> {
    let absorbed = |name: &str| {
        run.iter()
            .any(|r| r.id == name || r.branch_labels.iter().any(|l| l == name))
    };
    let mut out: Vec<String> = Vec::new();
    for dep in run.iter().flat_map(|r| &r.depends_on) {
        if !absorbed(dep) && !out.contains(dep) {
            out.push(dep.clone());
        }
    }
    out
}

/// What `squash` will write, rewrite and delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Squash {
    /// The new revision.
    pub revision: NewRevision,
    /// Files of the squashed revisions, to delete.
    pub delete: Vec<String>,
    /// Children of the run whose `down_revision` now names the new revision.
    pub rewrite: Vec<(String, String)>,
}

/// Plans `migrate squash A:B -m MSG`: the linear run from `a` to `b` becomes one
/// revision whose up is the runs' ups in order, whose down is their downs in
/// reverse (when every member has one), and which `replaces` them, so databases
/// that applied the originals keep working.
pub fn plan_squash(
    graph: &RevisionGraph,
    a: &str,
    b: &str,
    message: &str,
    id: Option<String>,
    read: &dyn Fn(&str) -> Result<String>,
) -> Result<Squash> {
    let invalid = |reason: String| Error::InvalidArgument {
        argument: "A:B".to_string(),
        reason,
    };
    let (first, last) = (graph.find(a)?, graph.find(b)?);
    // Walk down from the last revision to the first through single parents.
    let mut run = vec![last];
    let mut current = last;
    while current.id != first.id {
        let [parent] = current.down_revisions.as_slice() else {
            return Err(invalid(format!(
                "{} is not a linear descendant of {}: {} has {} parents",
                last.id,
                first.id,
                current.id,
                current.down_revisions.len()
            )));
        };
        current = graph.get(parent).ok_or_else(|| Error::UnknownRevision {
            revision: parent.clone(),
        })?;
        if graph.children_of(&current.id).len() != 1 {
            return Err(invalid(format!(
                "{} is a branch point inside the run; squash each branch separately",
                current.id
            )));
        }
        run.push(current);
    }
    run.reverse();
    if run.len() < 2 {
        return Err(invalid("a squash needs at least two revisions".to_string()));
    }
    let members: Vec<&str> = run.iter().map(|r| r.id.as_str()).collect();
    // Members may depend on each other; only outside revisions lose a dependency.
    for rev in graph
        .revisions()
        .filter(|r| !members.contains(&r.id.as_str()))
    {
        if let Some(dep) = rev
            .depends_on
            .iter()
            .find(|d| members.contains(&d.as_str()))
        {
            return Err(invalid(format!(
                "{} depends on {dep}, which would disappear; remove the dependency first",
                rev.id
            )));
        }
    }
    if let Some(rev) = run
        .iter()
        .find(|r| r.sections.iter().any(|s| !s.transactional))
    {
        return Err(invalid(format!(
            "{} has transaction:false sections, which a squash cannot merge; squash around it",
            rev.id
        )));
    }
    // Autogenerated revisions carry a section per dialect: the squash then does
    // too, each joining the members' SQL for that dialect.
    let dialects: Vec<Dialect> = Dialect::ALL
        .into_iter()
        .filter(|&d| {
            run.iter()
                .any(|r| r.sections.iter().any(|s| s.dialect == Some(d)))
        })
        .collect();
    let (up, down) = if dialects.is_empty() {
        squashed_sql(&run, None)?
    } else {
        (String::new(), String::new())
    };
    let dialects = dialects
        .into_iter()
        .map(|dialect| {
            let (up, down) = squashed_sql(&run, Some(dialect))?;
            Ok(DialectSql {
                dialect,
                up,
                down,
                up_transactional: true,
                down_transactional: true,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut replaces: Vec<String> = Vec::new();
    for rev in &run {
        // A member that itself squashed others stands for those too.
        replaces.extend(rev.replaces.iter().cloned());
        replaces.push(rev.id.clone());
    }
    let revision = NewRevision {
        id: id.unwrap_or_else(|| fresh_id(Some(graph))),
        down_revisions: first.down_revisions.clone(),
        message: message.to_string(),
        branch_labels: run
            .iter()
            .flat_map(|r| r.branch_labels.iter().cloned())
            .collect(),
        depends_on: squashed_depends_on(&run),
        replaces,
        up,
        down,
        notes: Vec::new(),
        non_transactional: false,
        dialects,
    };
    validate_new(&revision, graph).or_else(|e| match e {
        // The labels move from the members to the squash, so they are not taken.
        Error::InvalidArgument { ref argument, .. } if argument == "--branch-label" => Ok(()),
        other => Err(other),
    })?;
    let mut rewrite = Vec::new();
    for child in graph.children_of(&last.id) {
        let Some(child) = graph.get(child) else {
            continue;
        };
        let parents: Vec<&str> = child
            .down_revisions
            .iter()
            .map(|p| {
                if p == &last.id {
                    revision.id.as_str()
                } else {
                    p.as_str()
                }
            })
            .collect();
        let text = rewrite_header_line(
            &read(&child.path)?,
            child.lines.down_revision,
            "down_revision",
            &parents.join(", "),
        );
        rewrite.push((child.path.clone(), text));
    }
    // The result must be a valid graph before anything is written.
    let mut revisions: Vec<super::Revision> = graph
        .revisions()
        .filter(|r| !members.contains(&r.id.as_str()))
        .cloned()
        .collect();
    for (path, text) in &rewrite {
        for r in revisions.iter_mut().filter(|r| &r.path == path) {
            *r = super::parse(path, text)?;
        }
    }
    revisions.push(super::parse(
        &revision.file_name(),
        &revision.render(&now_rfc3339()),
    )?);
    RevisionGraph::new(revisions)?;
    Ok(Squash {
        revision,
        delete: run.iter().map(|r| r.path.clone()).collect(),
        rewrite,
    })
}
