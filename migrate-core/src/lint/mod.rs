//! `migrate lint`: hazards in revisions, read against the schema the history
//! has built by then.
//!
//! - [`rules`] is the catalogue (names, severities, the safe alternatives).
//! - `parse.rs` reads one statement; `schema_track.rs` is the schema known at a
//!   point of the history; `check.rs` decides which rules a statement breaks.
//! - `memo.rs` keeps each revision's results between runs ([`lint_memoized`],
//!   for build scripts that lint on every rebuild).
//! - This module walks the graph: each revision starts from the schema its
//!   parents and dependencies left (joined at merges), so a rule knows whether a
//!   table existed before the revision, what type a column had, and whether a
//!   section runs in a transaction. Nothing is flagged on a table the same
//!   revision created.
//!
//! A revision acknowledges a finding with a header line `-- lint_allow: RULE`
//! (the whole revision), or with the same comment line inside a section, just
//! before a statement (that statement only).
//!
//! ```
//! use migrate_core::lint::{lint, Options};
//! use migrate_core::revision::{parse, RevisionGraph};
//! let rev = |id: &str, down: &str, up: &str| {
//!     let text = format!("-- revision: {id}\n-- down_revision: {down}\n-- migrate:up\n{up}\n");
//!     parse(&format!("{id}.sql"), &text).unwrap()
//! };
//! let graph = RevisionGraph::new(vec![
//!     rev("a1", "none", "CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT);\n\
//!                        CREATE INDEX ix_users_email ON users (email);"),
//!     rev("b2", "a1", "CREATE INDEX ix_users_email2 ON users (email);"),
//! ]).unwrap();
//! let findings = lint(&graph, &Options::default()).unwrap();
//! // Only the index on the table that existed before its revision.
//! assert_eq!(findings.len(), 1);
//! assert_eq!((findings[0].revision.as_str(), findings[0].rule), ("b2", "index-without-concurrently"));
//! ```

mod check;
mod memo;
mod parse;
pub mod rules;
mod schema_track;

use std::fmt;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use self::check::{Context, SectionState};
use self::parse::Parsed;
use self::schema_track::{Known, Op};
use crate::dialect::Dialect;
use crate::error::Result;
use crate::revision::{Direction, Revision, RevisionGraph, Section};

pub use memo::Memo;
pub use rules::{Rule, Severity};

/// One hazard found in one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The revision id.
    pub revision: String,
    /// The revision's file.
    pub path: String,
    /// The line of the statement (or of the header line, for `unknown-rule`).
    pub line: usize,
    /// The rule's name.
    pub rule: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// What is wrong, naming the table or column.
    pub message: String,
    /// The safe alternative.
    pub fix: &'static str,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {} [{}] {}; fix: {} (or acknowledge it with `-- lint_allow: {}`)",
            self.path, self.line, self.severity, self.rule, self.message, self.fix, self.rule
        )
    }
}

/// What to lint and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The dialects whose sections to read; empty means PostgreSQL.
    pub dialects: Vec<Dialect>,
    /// Report info findings too (style, statements lint cannot parse).
    pub info: bool,
    /// Only revisions in this history range (`A:B`, as `migrate history -r`).
    /// The schema is still tracked from the bases.
    pub range: Option<String>,
    /// Only revisions that descend from this one: the last revision already
    /// released, whose findings (and its ancestors') are history.
    pub after: Option<String>,
}

/// Lints the revisions `options` selects, in graph order (parents first), each
/// revision's findings by line. A finding found on several dialects is
/// reported once.
pub fn lint(graph: &RevisionGraph, options: &Options) -> Result<Vec<Finding>> {
    run(graph, options, None)
}

/// What [`lint_memoized`] found, and what to keep for the next run.
#[derive(Debug, Clone)]
pub struct Memoized {
    /// Exactly what [`lint`] returns.
    pub findings: Vec<Finding>,
    /// The entries of this run's revisions, for the next run.
    pub memo: Memo,
    /// How many revisions were read with the parser (once per dialect); the
    /// others were answered by the memo.
    pub linted: usize,
}

/// [`lint`], reusing the per-revision results `memo` holds from an earlier
/// run: only revisions whose key is not there are parsed (edited ones, and
/// their descendants when the edit changed the schema after it; see
/// [`Memo`]). `salt` identifies the linter build
/// (a changed linter must not reuse old results).
pub fn lint_memoized(
    graph: &RevisionGraph,
    options: &Options,
    salt: &[u8],
    memo: &Memo,
) -> Result<Memoized> {
    let mut state = MemoRun {
        salt,
        old: memo,
        new: Memo::default(),
        linted: 0,
    };
    let findings = run(graph, options, Some(&mut state))?;
    Ok(Memoized {
        findings,
        memo: state.new,
        linted: state.linted,
    })
}

/// A [`lint_memoized`] run: the memo read, the memo being written.
struct MemoRun<'a> {
    salt: &'a [u8],
    old: &'a Memo,
    new: Memo,
    linted: usize,
}

fn run(
    graph: &RevisionGraph,
    options: &Options,
    mut memo: Option<&mut MemoRun<'_>>,
) -> Result<Vec<Finding>> {
    let mut selected: FxHashSet<&str> = graph
        .history(options.range.as_deref(), &[] as &[&str])?
        .into_iter()
        .map(|r| r.id.as_str())
        .collect();
    if let Some(after) = &options.after {
        let baseline = graph.find(after)?.id.as_str();
        let above: FxHashSet<&str> = graph
            .history(Some(&format!("{baseline}:")), &[] as &[&str])?
            .into_iter()
            .map(|r| r.id.as_str())
            .filter(|id| *id != baseline)
            .collect();
        selected.retain(|id| above.contains(id));
    }
    let dialects = if options.dialects.is_empty() {
        vec![Dialect::Postgres]
    } else {
        options.dialects.clone()
    };
    let mut findings: Vec<Finding> = Vec::new();
    let mut seen: FxHashSet<(String, usize, &'static str, String)> = FxHashSet::default();
    for dialect in dialects {
        let walked = match memo.as_deref_mut() {
            Some(memo) => walk_memoized(graph, dialect, &selected, options.info, memo),
            None => walk(graph, dialect, &selected, options.info, None),
        };
        for finding in walked {
            let key = (
                finding.path.clone(),
                finding.line,
                finding.rule,
                finding.message.clone(),
            );
            if seen.insert(key) {
                findings.push(finding);
            }
        }
    }
    let order: FxHashMap<&str, usize> = graph
        .revisions()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    findings.sort_by_key(|f| (order.get(f.revision.as_str()).copied(), f.line));
    Ok(findings)
}

/// [`walk`] with a memo: when every revision's entry is there (a rerun after
/// a touch), the findings come straight from it and no schema is built.
fn walk_memoized(
    graph: &RevisionGraph,
    dialect: Dialect,
    selected: &FxHashSet<&str>,
    info: bool,
    run: &mut MemoRun<'_>,
) -> Vec<Finding> {
    let mut state = MemoWalk {
        old: run.old,
        new: &mut run.new,
        base: memo::base_key(run.salt, dialect, info),
        schema_keys: FxHashMap::default(),
        pending: None,
        types: memo::Types::new(dialect),
        linted: &mut run.linted,
    };
    if let Some(findings) = state.answer_all(graph, selected) {
        return findings;
    }
    state.schema_keys.clear();
    walk(graph, dialect, selected, info, Some(state))
}

/// The memo while one dialect is walked.
struct MemoWalk<'a, 'g> {
    old: &'a Memo,
    new: &'a mut Memo,
    base: sha2::Sha256,
    /// Each revision walked so far: the schema key after it.
    schema_keys: FxHashMap<&'g str, memo::Key>,
    /// The key of the revision being walked and its predecessors' schema keys.
    pending: Option<(memo::Key, Vec<memo::Key>)>,
    types: memo::Types,
    linted: &'a mut usize,
}

impl<'g> MemoWalk<'_, 'g> {
    /// `rev`'s key, and its predecessors' schema keys.
    fn key(&self, graph: &'g RevisionGraph, rev: &Revision) -> (memo::Key, Vec<memo::Key>) {
        let predecessors: Vec<memo::Key> = graph
            .predecessors_of(&rev.id)
            .into_iter()
            .filter_map(|p| self.schema_keys.get(p).copied())
            .collect();
        (memo::key(&self.base, rev, &predecessors), predecessors)
    }

    /// Every finding straight from the memo, when it answers every revision
    /// (`selected` ones with their findings); `None` as soon as one is missing.
    fn answer_all(
        &mut self,
        graph: &'g RevisionGraph,
        selected: &FxHashSet<&str>,
    ) -> Option<Vec<Finding>> {
        let mut findings = Vec::new();
        let mut kept = Vec::new();
        for rev in graph.revisions() {
            let (key, predecessors) = self.key(graph, rev);
            let entry: &str = self.old.get(&key)?;
            if selected.contains(rev.id.as_str()) {
                findings.extend(memo::decode_findings(entry, rev)?);
            }
            let schema_key = memo::schema_key(memo::ops_text(entry)?, &predecessors);
            self.schema_keys.insert(rev.id.as_str(), schema_key);
            kept.push(key);
        }
        for key in kept {
            if let Some(entry) = self.old.get(&key) {
                self.new.insert(key, Arc::clone(entry));
            }
        }
        Some(findings)
    }

    /// `rev`'s entry, kept for the next run, when it answers (`report`: with
    /// its findings). Otherwise [`MemoWalk::store`] must follow.
    fn cached(
        &mut self,
        graph: &'g RevisionGraph,
        rev: &'g Revision,
        report: bool,
    ) -> Option<memo::Entry> {
        let (key, predecessors) = self.key(graph, rev);
        let hit = self.old.get(&key).and_then(|text: &Arc<str>| {
            let entry = memo::decode(text, rev, &mut self.types)?;
            if report && entry.findings.is_none() {
                return None;
            }
            Some((text, memo::ops_text(text)?, entry))
        });
        match hit {
            Some((text, ops, entry)) => {
                let schema_key = memo::schema_key(ops, &predecessors);
                self.schema_keys.insert(rev.id.as_str(), schema_key);
                self.new.insert(key, Arc::clone(text));
                Some(entry)
            }
            None => {
                self.pending = Some((key, predecessors));
                None
            }
        }
    }

    /// Files what linting `rev` found (`findings`: `None` when not reported).
    fn store(&mut self, rev: &'g Revision, findings: Option<&[Finding]>, ops: &[Op]) {
        let Some((key, predecessors)) = self.pending.take() else {
            return;
        };
        *self.linted += 1;
        let text = memo::encode(findings, ops, &mut self.types);
        let schema_key = match text.as_deref().and_then(memo::ops_text) {
            Some(ops) => memo::schema_key(ops, &predecessors),
            None => memo::unstored_schema_key(&key),
        };
        self.schema_keys.insert(rev.id.as_str(), schema_key);
        if let Some(text) = text {
            self.new.insert(key, text.into());
        }
    }
}

/// Every revision in graph order, each starting from the schema its
/// predecessors left. A predecessor's schema is moved, not copied, to its last
/// successor, so a linear chain never clones. With `memo`, a revision it
/// answers is not parsed: its stored ops move the schema on.
fn walk<'g>(
    graph: &'g RevisionGraph,
    dialect: Dialect,
    selected: &FxHashSet<&str>,
    info: bool,
    mut memo: Option<MemoWalk<'_, 'g>>,
) -> Vec<Finding> {
    let mut successors_left: FxHashMap<&str, usize> = FxHashMap::default();
    for rev in graph.revisions() {
        for p in graph.predecessors_of(&rev.id) {
            *successors_left.entry(p).or_default() += 1;
        }
    }
    let mut after: FxHashMap<&str, Known> = FxHashMap::default();
    let mut findings = Vec::new();
    for rev in graph.revisions() {
        let mut known: Option<Known> = None;
        for p in graph.predecessors_of(&rev.id) {
            let left = successors_left.get_mut(p).map(|n| {
                *n -= 1;
                *n
            });
            let from = if left == Some(0) {
                after.remove(p)
            } else {
                after.get(p).cloned()
            };
            if let Some(from) = from {
                match &mut known {
                    None => known = Some(from),
                    Some(k) => k.merge(&from),
                }
            }
        }
        let mut known = known.unwrap_or_default();
        let report = selected.contains(rev.id.as_str());
        match memo.as_mut().and_then(|m| m.cached(graph, rev, report)) {
            Some(entry) => {
                for op in &entry.ops {
                    known.apply_op(op);
                }
                if report {
                    findings.extend(entry.findings.unwrap_or_default());
                }
            }
            None => {
                let start = findings.len();
                let ops = revision(rev, dialect, &mut known, report, info, &mut findings);
                if let Some(m) = memo.as_mut() {
                    m.store(rev, report.then(|| &findings[start..]), &ops);
                }
            }
        }
        if successors_left.get(rev.id.as_str()).is_some_and(|&n| n > 0) {
            after.insert(rev.id.as_str(), known);
        }
    }
    findings
}

/// Lints one revision's up sections for `dialect` (reporting only when
/// `report`) and moves `known` past them. Returns the schema changes it made,
/// in order. What this reads of `rev` must be covered by `memo::key`.
fn revision(
    rev: &Revision,
    dialect: Dialect,
    known: &mut Known,
    report: bool,
    info: bool,
    findings: &mut Vec<Finding>,
) -> Vec<Op> {
    let sections = rev.sections_for(Direction::Up, dialect).unwrap_or_default();
    let mut created: FxHashSet<String> = FxHashSet::default();
    let mut ops = Vec::new();
    let mut push = |line: usize, rule: &'static Rule, message: String| {
        if report && (info || rule.severity > Severity::Info) {
            findings.push(Finding {
                revision: rev.id.clone(),
                path: rev.path.clone(),
                line,
                rule: rule.name,
                severity: rule.severity,
                message,
                fix: rule.fix,
            });
        }
    };
    for name in &rev.lint_allow {
        if rules::find(name).is_none() {
            let suggestion = crate::suggest::nearest(name, rules::ALL.iter().map(|r| r.name))
                .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"));
            push(
                rev.lines.lint_allow,
                &rules::UNKNOWN_RULE,
                format!("`lint_allow` names `{name}`, which is not a lint rule{suggestion}"),
            );
        }
    }
    for section in sections {
        if report {
            section_findings(
                section,
                dialect,
                known,
                &mut created,
                &mut ops,
                rev,
                &mut push,
            );
        } else {
            track(section, dialect, known, &mut ops);
        }
    }
    ops
}

/// Moves `known` past a section whose findings nobody asked for: only the
/// statements that may change the schema are parsed, and no rule is checked.
fn track(section: &Section, dialect: Dialect, known: &mut Known, ops: &mut Vec<Op>) {
    for statement in crate::sql::split_as(&section.sql, dialect.into()) {
        if !parse::may_change_schema(statement.sql) {
            continue;
        }
        if let Some(s) = parse::statement(statement.sql, dialect) {
            for op in schema_track::ops(&s) {
                known.apply_op(&op);
                ops.push(op);
            }
        }
    }
}

fn section_findings(
    section: &Section,
    dialect: Dialect,
    known: &mut Known,
    created: &mut FxHashSet<String>,
    ops: &mut Vec<Op>,
    rev: &Revision,
    push: &mut impl FnMut(usize, &'static Rule, String),
) {
    let mut state = SectionState::default();
    let mut gap_start = 0;
    for statement in crate::sql::split_as(&section.sql, dialect.into()) {
        let allowed_here = allowed_in(&section.sql[gap_start..statement.offset]);
        gap_start = statement.offset + statement.sql.len();
        let (tokens, parsed) = parse::parse(statement.sql, dialect);
        let hits = {
            let cx = Context {
                dialect,
                transactional: section.transactional,
                known,
                created,
            };
            check::statement(&cx, &tokens, &parsed, &mut state)
        };
        let line = section.first_line + statement.line - 1;
        for (rule, message) in hits {
            let allowed = |list: &[String]| list.iter().any(|a| a == rule.name);
            if !allowed(&rev.lint_allow) && !allowed(&allowed_here) {
                push(line, rule, message);
            }
        }
        if let Parsed::Statement(s) = &parsed {
            for op in schema_track::ops(s) {
                created.extend(known.apply_op(&op));
                ops.push(op);
            }
            // A table renamed after this revision created it is still its own.
            if let sqlparser::ast::Statement::AlterTable(alter) = s.as_ref() {
                let old = parse::object_name(&alter.name);
                if created.contains(&old) {
                    for op in &alter.operations {
                        if let sqlparser::ast::AlterTableOperation::RenameTable { table_name } = op
                        {
                            let (sqlparser::ast::RenameTableNameKind::As(n)
                            | sqlparser::ast::RenameTableNameKind::To(n)) = table_name;
                            created.insert(parse::object_name(n));
                        }
                    }
                }
            }
        }
    }
}

/// The rules a `-- lint_allow: RULE, ...` comment names in the text between two
/// statements: they acknowledge the statement that follows.
fn allowed_in(gap: &str) -> Vec<String> {
    gap.lines()
        .filter_map(|line| {
            let comment = line.trim().strip_prefix("--")?.trim_start();
            let (key, value) = crate::revision::file::split_key(comment)?;
            (key == "lint_allow").then_some(value)
        })
        .flat_map(|value| value.split(',').map(|r| r.trim().to_string()))
        .filter(|r| !r.is_empty())
        .collect()
}
