//! Rewriting existing revisions: the plans behind `migrate rebase` and
//! `migrate squash`, and the header-line edit they make. Plans only: the text
//! to write comes back to the caller, and files are read through a callback.

use super::author::{fresh_id, now_rfc3339, validate_new, DialectSql, NewRevision};
use super::{Direction, RevisionGraph};
use crate::dialect::Dialect;
use crate::error::{Error, Result};

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
