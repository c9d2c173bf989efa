//! Alembic's text shapes for revisions, so its users feel at home:
//! `<parent> -> <rev> (label) (head) (branchpoint), <message>` and `show`'s entry.

use std::fmt::Write;

use crate::revision::{Revision, RevisionGraph};

/// Which indicators a line carries (Alembic's `cmd_format` switches).
#[derive(Debug, Clone, Copy, Default)]
pub struct LineStyle {
    /// `<parent> -> ` before the id.
    pub parents: bool,
    /// `(branchpoint)` / `(mergepoint)`.
    pub tree: bool,
    /// `, <message>` at the end.
    pub message: bool,
}

/// One revision as one line.
pub fn line(graph: &RevisionGraph, rev: &Revision, style: LineStyle, is_current: bool) -> String {
    let mut text = String::new();
    if style.parents {
        text.push_str(&format_parents(rev));
        if !rev.depends_on.is_empty() {
            let _ = write!(text, " ({})", rev.depends_on.join(", "));
        }
        text.push_str(" -> ");
    }
    text.push_str(&rev.id);
    let labels = graph.labels_covering(&rev.id);
    if !labels.is_empty() {
        let _ = write!(text, " ({})", labels.join(", "));
    }
    if graph.children_of(&rev.id).is_empty() {
        text.push_str(" (head)");
    }
    if is_current {
        text.push_str(" (current)");
    }
    if style.tree {
        if graph.children_of(&rev.id).len() > 1 {
            text.push_str(" (branchpoint)");
        }
        if rev.is_merge() {
            text.push_str(" (mergepoint)");
        }
    }
    if style.message {
        let _ = write!(text, ", {}", rev.message);
    }
    text
}

/// `<base>` for a base, otherwise the parents joined by commas.
pub fn format_parents(rev: &Revision) -> String {
    if rev.down_revisions.is_empty() {
        "<base>".to_string()
    } else {
        rev.down_revisions.join(", ")
    }
}

/// The full entry that `show` and `--verbose` print (Alembic's `log_entry`).
pub fn entry(graph: &RevisionGraph, rev: &Revision, is_current: bool) -> String {
    let mut text = String::new();
    let mut indicators = String::new();
    if graph.children_of(&rev.id).is_empty() {
        indicators.push_str(" (head)");
    }
    if is_current {
        indicators.push_str(" (current)");
    }
    let _ = writeln!(text, "Rev: {}{indicators}", rev.id);
    if rev.is_merge() {
        let _ = writeln!(text, "Merges: {}", rev.down_revisions.join(", "));
    } else {
        let _ = writeln!(text, "Parent: {}", format_parents(rev));
    }
    if !rev.depends_on.is_empty() {
        let _ = writeln!(text, "Also depends on: {}", rev.depends_on.join(", "));
    }
    let children = graph.children_of(&rev.id);
    if children.len() > 1 {
        let _ = writeln!(text, "Branches into: {}", children.join(", "));
    }
    let labels = graph.labels_covering(&rev.id);
    if !labels.is_empty() {
        let _ = writeln!(text, "Branch names: {}", labels.join(", "));
    }
    if !rev.replaces.is_empty() {
        let _ = writeln!(text, "Replaces: {}", rev.replaces.join(", "));
    }
    let _ = writeln!(text, "Path: {}", rev.path);
    let _ = writeln!(text);
    let _ = writeln!(text, "    {}", rev.message);
    let _ = writeln!(text);
    let _ = writeln!(text, "    Revision ID: {}", rev.id);
    let _ = writeln!(text, "    Revises: {}", rev.down_revisions.join(", "));
    if let Some(date) = &rev.create_date {
        let _ = writeln!(text, "    Create Date: {date}");
    }
    text
}

/// A revision as a JSON object, for `--json`.
pub fn json(graph: &RevisionGraph, rev: &Revision) -> serde_json::Value {
    serde_json::json!({
        "revision": rev.id,
        "down_revisions": rev.down_revisions,
        "depends_on": rev.depends_on,
        "branch_labels": graph.labels_covering(&rev.id),
        "message": rev.message,
        "create_date": rev.create_date,
        "path": rev.path,
        "is_head": graph.children_of(&rev.id).is_empty(),
        "is_branch_point": graph.children_of(&rev.id).len() > 1,
        "is_merge_point": rev.is_merge(),
        "checksum": rev.checksum.to_hex(),
    })
}

/// The revision's sections as they read in its file: each marker line with its
/// options, then its SQL.
pub fn sections(rev: &Revision) -> String {
    let mut text = String::new();
    for section in &rev.sections {
        if !text.is_empty() {
            text.push('\n');
        }
        let _ = write!(text, "-- migrate:{}", section.direction);
        if let Some(dialect) = section.dialect {
            let _ = write!(text, " {dialect}");
        }
        if !section.transactional {
            text.push_str(" transaction:false");
        }
        text.push('\n');
        let sql = section.sql.trim_matches('\n');
        if !sql.is_empty() {
            text.push_str(sql);
            text.push('\n');
        }
    }
    text
}
