//! A model-based property test of the runner, on a real SQLite file and a real
//! PostgreSQL schema.
//!
//! Proptest draws a revision graph (branches, merges, `depends_on`, labels, several
//! bases; `transaction:false` sections anywhere, per-dialect sections, irreversible
//! revisions, SQL that fails at some statement) and a sequence of `upgrade`,
//! `downgrade` and `stamp [--purge]` commands whose targets come from the whole
//! grammar. Each command runs through the CLI, through `runner::run` over a
//! connection the test holds, or as `--sql` applied with `sqlite3`/`psql`. After
//! each one, the database is compared with a reference model computed from the
//! graph semantics alone (README "The graph and targets", "Revision files"):
//!
//! - the ledger holds exactly the revisions the model says are applied;
//! - the schema holds a marker table `m_<rev>` for exactly the revisions whose up
//!   ran and was not reverted (every up creates its marker, every down drops it);
//! - the command succeeded exactly when the model says it should;
//! - the held connection is back in autocommit, with no lock held and SQLite's
//!   `foreign_keys` as it was.
//!
//! The order of independent revisions within a plan is the runner's choice, so the
//! model reads it from the progress output (or the script), checks that it is a
//! valid order for the plan, and then simulates that order.
//!
//! `transaction:false` sections hold SQL that refuses to run inside a
//! transaction (`VACUUM` on SQLite, `CREATE INDEX CONCURRENTLY` on PostgreSQL),
//! so a runner that runs them inside one fails where the model succeeds.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use migrate::backend::postgres::PostgresBackend;
use migrate::backend::sqlite::SqliteBackend;
use migrate::runner::{self, Command, Event, RunOptions};
use proptest::prelude::*;

// ------------------------------------------------------------------ the graph

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }
    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    Up,
    Down,
}

/// What a section's SQL does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// No statement at all.
    Empty,
    /// Creates (up) or drops (down) the revision's marker table.
    Marker,
    /// As `Marker`, with a failing statement inserted at this position.
    Fail(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sec {
    transactional: bool,
    kind: Kind,
}

/// The sections of one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Body {
    /// One unmarked section, or none (`None`: no `-- migrate:down` line at all).
    Shared(Option<Sec>),
    /// `-- migrate:<dir> sqlite` / `postgres`; `None`: that dialect has none.
    PerDialect([Option<Sec>; 2]),
}

impl Body {
    /// The section that runs on `d`; `Err` when the revision has dialect sections
    /// but none for `d`.
    fn section(&self, d: Dialect) -> Result<Option<Sec>, ()> {
        match self {
            Body::Shared(s) => Ok(*s),
            Body::PerDialect(s) => s[d.index()].map(Some).ok_or(()),
        }
    }
}

/// One statement of a section, before rendering for a dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stmt {
    CreateMarker,
    DropMarker,
    /// Refuses to run inside a transaction.
    OutsideOnly,
    Bad,
}

fn statements(sec: Sec, dir: Dir) -> Vec<Stmt> {
    let mut out = match (sec.kind, dir) {
        (Kind::Empty, _) => return Vec::new(),
        (_, Dir::Up) => vec![Stmt::CreateMarker],
        (_, Dir::Down) => vec![Stmt::DropMarker],
    };
    if !sec.transactional {
        match dir {
            Dir::Up => out.push(Stmt::OutsideOnly),
            Dir::Down => out.insert(0, Stmt::OutsideOnly),
        }
    }
    if let Kind::Fail(at) = sec.kind {
        let at = usize::from(at) % (out.len() + 1);
        out.insert(at, Stmt::Bad);
    }
    out
}

fn render_stmt(stmt: Stmt, dir: Dir, d: Dialect, id: &str) -> String {
    match (stmt, d) {
        (Stmt::CreateMarker, _) => format!("CREATE TABLE m_{id} (id INTEGER);"),
        (Stmt::DropMarker, _) => format!("DROP TABLE m_{id};"),
        (Stmt::OutsideOnly, Dialect::Sqlite) => "VACUUM;".to_string(),
        (Stmt::OutsideOnly, Dialect::Postgres) => match dir {
            Dir::Up => format!("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_{id} ON m_{id} (id);"),
            Dir::Down => format!("DROP INDEX CONCURRENTLY IF EXISTS ix_{id};"),
        },
        (Stmt::Bad, _) => format!("INSERT INTO no_such_table_{id} VALUES (1);"),
    }
}

#[derive(Debug, Clone)]
struct Rev {
    id: String,
    parents: Vec<usize>,
    deps: Vec<usize>,
    label: Option<String>,
    up: Body,
    down: Body,
}

impl Rev {
    fn body(&self, dir: Dir) -> &Body {
        match dir {
            Dir::Up => &self.up,
            Dir::Down => &self.down,
        }
    }

    fn stmts(&self, dir: Dir, d: Dialect) -> Vec<Stmt> {
        match self.body(dir).section(d) {
            Ok(Some(sec)) => statements(sec, dir),
            _ => Vec::new(),
        }
    }

    /// README: an empty or absent down cannot be downgraded, unless the up is
    /// empty too. Asked for the dialect that runs.
    fn can_downgrade(&self, d: Dialect) -> bool {
        !self.stmts(Dir::Down, d).is_empty() || self.stmts(Dir::Up, d).is_empty()
    }

    /// The file, with unmarked sections rendered for `d` (each backend gets a
    /// directory of its own, so unmarked SQL may differ between them).
    fn file(&self, graph: &Graph, d: Dialect) -> String {
        let ids = |nodes: &[usize]| -> String {
            nodes
                .iter()
                .map(|&n| graph.revs[n].id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut text = format!(
            "-- revision: {}\n-- down_revision: {}\n-- message: step {}\n",
            self.id,
            if self.parents.is_empty() {
                "none".to_string()
            } else {
                ids(&self.parents)
            },
            self.id
        );
        if let Some(label) = &self.label {
            text.push_str(&format!("-- branch_labels: {label}\n"));
        }
        if !self.deps.is_empty() {
            text.push_str(&format!("-- depends_on: {}\n", ids(&self.deps)));
        }
        for dir in [Dir::Up, Dir::Down] {
            let name = if dir == Dir::Up { "up" } else { "down" };
            let section = |text: &mut String, marker_dialect: Option<Dialect>, sec: Sec| {
                let sql_dialect = marker_dialect.unwrap_or(d);
                text.push_str(&format!("\n-- migrate:{name}"));
                if let Some(md) = marker_dialect {
                    text.push_str(&format!(" {}", md.name()));
                }
                if !sec.transactional {
                    text.push_str(" transaction:false");
                }
                text.push('\n');
                let stmts = statements(sec, dir);
                // An empty section holds nothing at all: the runner counts a down
                // that holds only a comment as down SQL (a no-op downgrade).
                for stmt in stmts {
                    text.push_str(&render_stmt(stmt, dir, sql_dialect, &self.id));
                    text.push('\n');
                }
            };
            match self.body(dir) {
                Body::Shared(None) => {}
                Body::Shared(Some(sec)) => section(&mut text, None, *sec),
                Body::PerDialect(secs) => {
                    for md in [Dialect::Sqlite, Dialect::Postgres] {
                        if let Some(sec) = secs[md.index()] {
                            section(&mut text, Some(md), sec);
                        }
                    }
                }
            }
        }
        text
    }
}

#[derive(Debug, Clone)]
struct Graph {
    revs: Vec<Rev>,
    children: Vec<Vec<usize>>,
    dependents: Vec<Vec<usize>>,
}

impl Graph {
    fn new(revs: Vec<Rev>) -> Graph {
        let n = revs.len();
        let mut children = vec![Vec::new(); n];
        let mut dependents = vec![Vec::new(); n];
        for (i, r) in revs.iter().enumerate() {
            for &p in &r.parents {
                children[p].push(i);
            }
            for &p in &r.deps {
                dependents[p].push(i);
            }
        }
        Graph {
            revs,
            children,
            dependents,
        }
    }

    fn len(&self) -> usize {
        self.revs.len()
    }

    /// Revisions without children (through `down_revision`), in id order.
    fn heads(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&n| self.children[n].is_empty())
            .collect()
    }

    fn labels(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&n| self.revs[n].label.is_some())
            .collect()
    }

    /// The revision and its ancestors through parents and dependencies.
    fn ancestors(&self, from: &[usize]) -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut stack = from.to_vec();
        while let Some(n) = stack.pop() {
            if seen.insert(n) {
                stack.extend(&self.revs[n].parents);
                stack.extend(&self.revs[n].deps);
            }
        }
        seen
    }

    /// The revisions and their descendants through children and dependents.
    fn descendants(&self, from: &[usize]) -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut stack = from.to_vec();
        while let Some(n) = stack.pop() {
            if seen.insert(n) {
                stack.extend(&self.children[n]);
                stack.extend(&self.dependents[n]);
            }
        }
        seen
    }

    /// README: a label covers its revision, its descendants, and its ancestors
    /// back to the nearest branch point (a merge or a base ends the walk too).
    fn members(&self, labelled: usize) -> BTreeSet<usize> {
        let mut members = BTreeSet::new();
        let mut stack = vec![labelled];
        while let Some(n) = stack.pop() {
            if members.insert(n) {
                stack.extend(&self.children[n]);
            }
        }
        let mut current = labelled;
        while let [parent] = self.revs[current].parents[..] {
            if self.children[parent].len() != 1 {
                break;
            }
            members.insert(parent);
            current = parent;
        }
        members
    }

    fn roots(&self, members: &BTreeSet<usize>) -> Vec<usize> {
        members
            .iter()
            .copied()
            .filter(|&n| self.revs[n].parents.iter().all(|p| !members.contains(p)))
            .collect()
    }

    /// Applied revisions (within `members`) with no applied child there.
    fn current_heads(
        &self,
        applied: &BTreeSet<usize>,
        members: Option<&BTreeSet<usize>>,
    ) -> Vec<usize> {
        let within = |n: usize| applied.contains(&n) && members.is_none_or(|m| m.contains(&n));
        (0..self.len())
            .filter(|&n| within(n) && !self.children[n].iter().any(|&c| within(c)))
            .collect()
    }
}

// ------------------------------------------------------------------ targets

/// A target, abstractly; label and revision indexes wrap around the graph's.
#[derive(Debug, Clone)]
enum T {
    Heads,
    Head,
    Base,
    Id(usize),
    Prefix(usize),
    AmbiguousPrefix,
    TooShort,
    Unknown,
    Label(usize),
    LabelHead(usize),
    LabelBase(usize),
    LabelRev(usize, usize),
    Rel(i64),
    IdRel(usize, i64),
    BaseRel(i64),
    HeadRel(i64),
    LabelRel(usize, i64),
}

enum Resolved {
    State(Vec<usize>),
    RemoveFrom(Vec<usize>),
}

impl Graph {
    fn label_node(&self, l: usize) -> Option<usize> {
        let labels = self.labels();
        (!labels.is_empty()).then(|| labels[l % labels.len()])
    }

    fn label_name(&self, l: usize) -> String {
        match self.label_node(l) {
            Some(n) => self.revs[n].label.clone().unwrap(),
            None => "nolabel".to_string(),
        }
    }

    fn render(&self, t: &T) -> String {
        let id = |i: usize| self.revs[i % self.len()].id.clone();
        let steps = |s: i64| format!("{s:+}");
        match t {
            T::Heads => "heads".into(),
            T::Head => "head".into(),
            T::Base => "base".into(),
            T::Id(i) => id(*i),
            T::Prefix(i) => id(*i)[..5].to_string(),
            T::AmbiguousPrefix => "rev0".into(),
            T::TooShort => "re".into(),
            T::Unknown => "zzzz9".into(),
            T::Label(l) => self.label_name(*l),
            T::LabelHead(l) => format!("{}@head", self.label_name(*l)),
            T::LabelBase(l) => format!("{}@base", self.label_name(*l)),
            T::LabelRev(l, i) => format!("{}@{}", self.label_name(*l), id(*i)),
            T::Rel(s) => steps(*s),
            T::IdRel(i, s) => format!("{}{}", id(*i), steps(*s)),
            T::BaseRel(s) => format!("base{}", steps(*s)),
            T::HeadRel(s) => format!("head{}", steps(*s)),
            T::LabelRel(l, s) => format!("{}@{}", self.label_name(*l), steps(*s)),
        }
    }

    fn single(nodes: Vec<usize>) -> Result<usize, ()> {
        match nodes[..] {
            [one] => Ok(one),
            _ => Err(()),
        }
    }

    /// The heads of a branch, which must be one.
    fn label_head(&self, l: usize) -> Result<usize, ()> {
        let members = self.members(self.label_node(l).ok_or(())?);
        Self::single(
            self.heads()
                .into_iter()
                .filter(|n| members.contains(n))
                .collect(),
        )
    }

    /// README: `+N`/`-N` walk from a revision towards heads/bases; the walk
    /// stops with an error at a branch point, a head or base, or when it stands on
    /// several revisions (a merge's parents, where it may end).
    fn walk(
        &self,
        from: Vec<usize>,
        steps: i64,
        members: Option<&BTreeSet<usize>>,
    ) -> Result<Vec<usize>, ()> {
        let in_branch = |n: &usize| members.is_none_or(|m| m.contains(n));
        let mut current = from;
        for _ in 0..steps.unsigned_abs() {
            let next: Vec<usize> = match current[..] {
                [] if steps > 0 => (0..self.len())
                    .filter(|&n| self.revs[n].parents.is_empty())
                    .filter(in_branch)
                    .collect(),
                [] => return Err(()),
                [one] if steps > 0 => self.children[one]
                    .iter()
                    .copied()
                    .filter(in_branch)
                    .collect(),
                [one] => self.revs[one].parents.clone(),
                _ => return Err(()),
            };
            if steps > 0 && next.len() != 1 {
                return Err(());
            }
            current = next;
        }
        Ok(current)
    }

    fn resolve(&self, t: &T, applied: &BTreeSet<usize>, dir: Dir) -> Result<Resolved, ()> {
        let state = |nodes| Ok(Resolved::State(nodes));
        let n = self.len();
        // A bare `+N` only upgrades, `-N` only downgrades.
        let direction_ok = |s: i64| match dir {
            Dir::Up => s > 0,
            Dir::Down => s < 0,
        };
        match t {
            T::Heads => state(self.heads()),
            T::Head => state(vec![Self::single(self.heads())?]),
            T::Base => state(Vec::new()),
            T::Id(i) | T::Prefix(i) => state(vec![i % n]),
            T::AmbiguousPrefix => {
                if n == 1 {
                    state(vec![0])
                } else {
                    Err(())
                }
            }
            T::TooShort | T::Unknown => Err(()),
            T::Label(l) | T::LabelHead(l) => state(vec![self.label_head(*l)?]),
            T::LabelBase(l) => {
                let members = self.members(self.label_node(*l).ok_or(())?);
                Ok(Resolved::RemoveFrom(self.roots(&members)))
            }
            T::LabelRev(l, i) => {
                let members = self.members(self.label_node(*l).ok_or(())?);
                if members.contains(&(i % n)) {
                    state(vec![i % n])
                } else {
                    Err(())
                }
            }
            T::Rel(s) => {
                let current = self.current_heads(applied, None);
                if current.len() > 1 || !direction_ok(*s) {
                    return Err(());
                }
                state(self.walk(current, *s, None)?)
            }
            T::IdRel(i, s) => state(self.walk(vec![i % n], *s, None)?),
            T::BaseRel(s) => state(self.walk(Vec::new(), *s, None)?),
            T::HeadRel(s) => state(self.walk(vec![Self::single(self.heads())?], *s, None)?),
            T::LabelRel(l, s) => {
                let members = self.members(self.label_node(*l).ok_or(())?);
                if !direction_ok(*s) {
                    return Err(());
                }
                let current = self.current_heads(applied, Some(&members));
                if current.len() > 1 {
                    return Err(());
                }
                let from = if current.is_empty() {
                    // Nothing of the branch applied: start just below it.
                    self.roots(&members)
                        .iter()
                        .flat_map(|&r| self.revs[r].parents.clone())
                        .collect()
                } else {
                    current
                };
                state(self.walk(from, *s, Some(&members))?)
            }
        }
    }

    /// The set an upgrade applies.
    fn upgrade_set(&self, applied: &BTreeSet<usize>, t: &T) -> Result<BTreeSet<usize>, ()> {
        match self.resolve(t, applied, Dir::Up)? {
            Resolved::State(heads) => Ok(self
                .ancestors(&heads)
                .difference(applied)
                .copied()
                .collect()),
            Resolved::RemoveFrom(_) => Err(()),
        }
    }

    /// The set a downgrade reverts: every applied revision that descends from the
    /// target and is not one of its ancestors.
    fn downgrade_set(&self, applied: &BTreeSet<usize>, t: &T) -> Result<BTreeSet<usize>, ()> {
        match self.resolve(t, applied, Dir::Down)? {
            Resolved::State(keep) if keep.is_empty() => Ok(applied.clone()),
            Resolved::State(keep) => {
                if keep.iter().any(|k| !applied.contains(k)) {
                    return Err(());
                }
                let kept = self.ancestors(&keep);
                let roots: Vec<usize> = keep
                    .iter()
                    .flat_map(|&k| self.children[k].iter().chain(&self.dependents[k]))
                    .copied()
                    .collect();
                Ok(self
                    .descendants(&roots)
                    .into_iter()
                    .filter(|r| applied.contains(r) && !kept.contains(r))
                    .collect())
            }
            Resolved::RemoveFrom(roots) => Ok(self
                .descendants(&roots)
                .into_iter()
                .filter(|r| applied.contains(r))
                .collect()),
        }
    }

    /// `stamp`: an upgrade when the target is ahead, else a downgrade.
    fn stamp_set(&self, applied: &BTreeSet<usize>, t: &T) -> Result<(Dir, BTreeSet<usize>), ()> {
        match self.upgrade_set(applied, t) {
            Ok(set) if !set.is_empty() => Ok((Dir::Up, set)),
            _ => self.downgrade_set(applied, t).map(|set| (Dir::Down, set)),
        }
    }

    /// True when `order` lists each member of `set` at most once, every one after
    /// what it needs (parents and dependencies first on the way up, dependents
    /// first on the way down).
    fn valid_order(&self, order: &[usize], set: &BTreeSet<usize>, dir: Dir) -> bool {
        let mut done = BTreeSet::new();
        for &r in order {
            if !set.contains(&r) || !done.insert(r) {
                return false;
            }
            let needs: Vec<usize> = match dir {
                Dir::Up => self.revs[r]
                    .parents
                    .iter()
                    .chain(&self.revs[r].deps)
                    .copied()
                    .collect(),
                Dir::Down => self.children[r]
                    .iter()
                    .chain(&self.dependents[r])
                    .copied()
                    .collect(),
            };
            if needs.iter().any(|x| set.contains(x) && !done.contains(x)) {
                return false;
            }
        }
        true
    }
}

// ------------------------------------------------------------------ the model

/// What the database holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct State {
    ledger: BTreeSet<usize>,
    markers: BTreeSet<usize>,
}

/// One command of a sequence.
#[derive(Debug, Clone)]
enum Cmd {
    Upgrade(T),
    Downgrade(T),
    Stamp(T, bool),
}

/// How a command reaches the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// The `migrate` binary.
    Cli,
    /// `runner::run` over a connection the test holds across the sequence.
    Library,
    /// `--sql` from the binary, applied with `sqlite3`/`psql` (online when the
    /// database's state cannot be written as one `FROM`).
    Sql,
}

#[derive(Debug, Clone)]
struct Step {
    cmd: Cmd,
    via: Via,
    per_migration: bool,
    /// Offline: write FROM as a prefix rather than the full id.
    from_as_prefix: bool,
}

/// What the model expects of one command, before the order is known.
enum Expect {
    /// The command fails before anything runs (bad target, missing section,
    /// irreversible step); nothing changes.
    Refused,
    /// The plan: these revisions, in this direction; `stamp` only records.
    Plan {
        dir: Dir,
        set: BTreeSet<usize>,
        stamp: bool,
        purge: bool,
    },
}

fn expect(graph: &Graph, d: Dialect, state: &State, cmd: &Cmd) -> Expect {
    let applied = &state.ledger;
    let (dir, set, stamp, purge) = match cmd {
        Cmd::Upgrade(t) => match graph.upgrade_set(applied, t) {
            Ok(set) => (Dir::Up, set, false, false),
            Err(()) => return Expect::Refused,
        },
        Cmd::Downgrade(t) => match graph.downgrade_set(applied, t) {
            Ok(set) => (Dir::Down, set, false, false),
            Err(()) => return Expect::Refused,
        },
        Cmd::Stamp(t, purge) => {
            let empty = BTreeSet::new();
            let from = if *purge { &empty } else { applied };
            match graph.stamp_set(from, t) {
                Ok((dir, set)) => (dir, set, true, *purge),
                Err(()) => return Expect::Refused,
            }
        }
    };
    if !stamp {
        for &r in &set {
            let rev = &graph.revs[r];
            if rev.body(dir).section(d).is_err() {
                return Expect::Refused;
            }
            if dir == Dir::Down && !rev.can_downgrade(d) {
                return Expect::Refused;
            }
        }
    }
    Expect::Plan {
        dir,
        set,
        stamp,
        purge,
    }
}

/// Runs a plan in `order` (a valid order of the whole plan) from `state`:
/// returns the state afterwards, and `Err(rev)` when `rev` failed.
///
/// README ("When a migration fails"): by default the run is one transaction;
/// with `--transaction-per-migration` each revision's SQL and ledger row commit
/// together; a `transaction:false` section first commits what came before, runs
/// statement by statement outside any transaction, and its ledger row commits
/// right after it. A failure rolls back the open transaction only.
fn simulate(
    graph: &Graph,
    d: Dialect,
    state: &State,
    dir: Dir,
    order: &[usize],
    per_migration: bool,
) -> (State, Result<(), usize>) {
    let mut committed = state.clone();
    let mut current = state.clone();
    for &r in order {
        let rev = &graph.revs[r];
        let sec = rev.body(dir).section(d).expect("checked up front");
        if let Some(sec) = sec {
            let in_transaction = sec.transactional;
            if !in_transaction {
                committed = current.clone();
            }
            for stmt in statements(sec, dir) {
                let ok = match stmt {
                    Stmt::CreateMarker => current.markers.insert(r),
                    Stmt::DropMarker => current.markers.remove(&r),
                    Stmt::OutsideOnly => !in_transaction,
                    Stmt::Bad => false,
                };
                if !ok {
                    return (committed, Err(r));
                }
                if !in_transaction {
                    committed = current.clone();
                }
            }
        }
        match dir {
            Dir::Up => current.ledger.insert(r),
            Dir::Down => current.ledger.remove(&r),
        };
        // README "When a migration fails": a `transaction:false` section splits
        // the run, and its ledger row commits right after it.
        let split = sec.is_some_and(|s| !s.transactional);
        if per_migration || split {
            committed = current.clone();
        }
    }
    (current, Ok(()))
}

// ------------------------------------------------------------------ strategies

fn sec_strategy(up: bool) -> impl Strategy<Value = Sec> {
    let kind = prop_oneof![
        1 => Just(Kind::Empty),
        8 => Just(Kind::Marker),
        1 => (0u8..3).prop_map(Kind::Fail),
    ];
    let transactional = prop_oneof![3 => Just(true), 1 => Just(false)];
    (transactional, kind).prop_map(move |(transactional, kind)| Sec {
        transactional,
        // An empty up downgrades as a no-op; keep most ups creating markers.
        kind: if up && kind == Kind::Empty && transactional {
            Kind::Empty
        } else {
            kind
        },
    })
}

fn body_strategy(up: bool) -> impl Strategy<Value = Body> {
    let maybe = prop_oneof![12 => sec_strategy(up).prop_map(Some), 1 => Just(None)];
    let shared = if up {
        sec_strategy(up).prop_map(|s| Body::Shared(Some(s))).boxed()
    } else {
        prop_oneof![
            8 => sec_strategy(up).prop_map(|s| Body::Shared(Some(s))),
            1 => Just(Body::Shared(None)),
            // An empty down: irreversible, unless the up is empty too.
            1 => any::<bool>().prop_map(|t| Body::Shared(Some(Sec { transactional: t, kind: Kind::Empty }))),
        ]
        .boxed()
    };
    // Per-dialect downs where one dialect's is empty: irreversible there only.
    let one_empty = (any::<bool>(), sec_strategy(up)).prop_map(move |(first, other)| {
        let empty = Some(Sec {
            transactional: true,
            kind: Kind::Empty,
        });
        if first {
            Body::PerDialect([empty, Some(other)])
        } else {
            Body::PerDialect([Some(other), empty])
        }
    });
    prop_oneof![
        8 => shared,
        if up { 0 } else { 1 } => one_empty,
        2 => (maybe.clone(), maybe).prop_map(move |(a, b)| match (a, b) {
            // Every revision has an up section.
            (None, None) if up => Body::Shared(Some(Sec {
                transactional: true,
                kind: Kind::Marker,
            })),
            (None, None) => Body::Shared(None),
            (a, b) => Body::PerDialect([a, b]),
        }),
    ]
}

#[derive(Debug, Clone)]
struct RevSpec {
    /// 0: a base, 1..=6: one parent, 7: a merge (when there are two earlier revisions).
    shape: u8,
    p1: usize,
    p2: usize,
    dep: Option<usize>,
    label: bool,
    up: Body,
    down: Body,
}

fn rev_strategy() -> impl Strategy<Value = RevSpec> {
    (
        0u8..8,
        any::<usize>(),
        any::<usize>(),
        proptest::option::weighted(0.2, any::<usize>()),
        proptest::bool::weighted(0.3),
        body_strategy(true),
        body_strategy(false),
    )
        .prop_map(|(shape, p1, p2, dep, label, up, down)| RevSpec {
            shape,
            p1,
            p2,
            dep,
            label,
            up,
            down,
        })
}

fn build_graph(specs: &[RevSpec]) -> Graph {
    let mut revs = Vec::new();
    for (i, s) in specs.iter().enumerate() {
        let mut parents = Vec::new();
        if i > 0 && s.shape > 0 {
            // Mostly a chain, with branches off earlier revisions.
            let a = if s.p1 % 5 < 3 { i - 1 } else { s.p1 % i };
            parents.push(a);
            if s.shape == 7 && i > 1 {
                let b = s.p2 % i;
                let b = if b == a { (a + 1) % i } else { b };
                parents.push(b);
                parents.sort();
            }
        }
        let deps = match s.dep {
            Some(d) if i > 0 && !parents.contains(&(d % i)) => vec![d % i],
            _ => Vec::new(),
        };
        revs.push(Rev {
            id: format!("rev{i:02}x"),
            parents,
            deps,
            label: s.label.then(|| format!("lab{i}")),
            up: s.up,
            down: s.down,
        });
    }
    Graph::new(revs)
}

/// Targets from the whole grammar; `dir` weights them towards the ones that
/// make sense for the command, so that most commands do something.
fn target_strategy(dir: Option<Dir>) -> impl Strategy<Value = T> {
    let idx = 0usize..16;
    let (up, down) = match dir {
        Some(Dir::Up) => (4, 1),
        Some(Dir::Down) => (1, 4),
        None => (2, 2),
    };
    let steps =
        prop_oneof![up => 1i64..=2, down => -2i64..=-1, 1 => prop_oneof![Just(3i64), Just(-3i64)]];
    prop_oneof![
        up * 2 => Just(T::Heads),
        1 => Just(T::Head),
        down * 2 => Just(T::Base),
        6 => idx.clone().prop_map(T::Id),
        1 => idx.clone().prop_map(T::Prefix),
        1 => prop_oneof![Just(T::AmbiguousPrefix), Just(T::TooShort), Just(T::Unknown)],
        1 => idx.clone().prop_map(T::Label),
        1 => idx.clone().prop_map(T::LabelHead),
        down => idx.clone().prop_map(T::LabelBase),
        1 => (idx.clone(), idx.clone()).prop_map(|(l, i)| T::LabelRev(l, i)),
        4 => steps.clone().prop_map(T::Rel),
        1 => (idx.clone(), steps.clone()).prop_map(|(i, s)| T::IdRel(i, s)),
        up => (1i64..=3).prop_map(T::BaseRel),
        down => steps.clone().prop_map(T::HeadRel),
        2 => (idx, steps).prop_map(|(l, s)| T::LabelRel(l, s)),
    ]
}

fn step_strategy() -> impl Strategy<Value = Step> {
    let cmd = prop_oneof![
        4 => target_strategy(Some(Dir::Up)).prop_map(Cmd::Upgrade),
        3 => target_strategy(Some(Dir::Down)).prop_map(Cmd::Downgrade),
        2 => (target_strategy(None), proptest::bool::weighted(0.3)).prop_map(|(t, p)| Cmd::Stamp(t, p)),
    ];
    let via = prop_oneof![2 => Just(Via::Cli), 2 => Just(Via::Library), 1 => Just(Via::Sql)];
    (cmd, via, any::<bool>(), any::<bool>()).prop_map(
        |(cmd, via, per_migration, from_as_prefix)| Step {
            cmd,
            via,
            per_migration,
            from_as_prefix,
        },
    )
}

#[derive(Debug, Clone)]
struct Case {
    revs: Vec<RevSpec>,
    steps: Vec<Step>,
}

fn case_strategy() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(rev_strategy(), 2..9),
        proptest::collection::vec(step_strategy(), 3..10),
    )
        .prop_map(|(revs, steps)| Case { revs, steps })
}

// ------------------------------------------------------------------ the databases

/// One backend of one case: the URL the binary and `psql`/`sqlite3` use, the
/// connection the library path migrates over, and the migrations directory.
struct Target {
    dialect: Dialect,
    url: String,
    dir: PathBuf,
    sqlite_path: Option<PathBuf>,
    conn: Conn,
}

enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres {
        held: Box<postgres::Client>,
        check: Box<postgres::Client>,
        schema: String,
    },
}

impl Target {
    fn sqlite(root: &Path, graph: &Graph) -> Target {
        let path = root.join("db.sqlite");
        let conn = rusqlite::Connection::open(&path).unwrap();
        // The runner turns foreign keys off for its transactions; the held
        // connection must get its setting back.
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        let dir = root.join("sqlite");
        write_files(&dir, graph, Dialect::Sqlite);
        Target {
            dialect: Dialect::Sqlite,
            url: format!("sqlite://{}", path.display()),
            dir,
            sqlite_path: Some(path),
            conn: Conn::Sqlite(conn),
        }
    }

    fn postgres(db: &common::TestDb, root: &Path, graph: &Graph) -> Target {
        static CASE: AtomicU32 = AtomicU32::new(0);
        let schema = format!("case{}", CASE.fetch_add(1, Ordering::Relaxed));
        let mut check = db.connect();
        // A transaction left open must fail the case, not hang it.
        check.batch_execute("SET lock_timeout = '10s'").unwrap();
        check
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .unwrap();
        let sep = if db.url.contains('?') { '&' } else { '?' };
        let url = format!("{}{sep}options=-csearch_path%3D{schema}", db.url);
        let held = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let dir = root.join("postgres");
        write_files(&dir, graph, Dialect::Postgres);
        Target {
            dialect: Dialect::Postgres,
            url,
            dir,
            sqlite_path: None,
            conn: Conn::Postgres {
                held: Box::new(held),
                check: Box::new(check),
                schema,
            },
        }
    }

    fn query(&mut self, sql: &str) -> Vec<String> {
        match &mut self.conn {
            Conn::Sqlite(_) => {
                // A connection of its own: the held one may (wrongly) sit in a
                // transaction and see its own uncommitted work.
                let conn = rusqlite::Connection::open(self.sqlite_path.as_ref().unwrap()).unwrap();
                let mut stmt = conn.prepare(sql).unwrap();
                let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
                rows.map(Result::unwrap).collect()
            }
            Conn::Postgres { check, schema, .. } => {
                let sql = sql.replace("$SCHEMA", schema);
                check
                    .query(&sql, &[])
                    .unwrap()
                    .iter()
                    .map(|r| r.get(0))
                    .collect()
            }
        }
    }

    /// The committed state: ledger rows and marker tables.
    fn observe(&mut self, graph: &Graph) -> Result<State, String> {
        let tables = match self.dialect {
            Dialect::Sqlite => self.query("SELECT name FROM sqlite_master WHERE type = 'table'"),
            Dialect::Postgres => self.query(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = '$SCHEMA'",
            ),
        };
        let node = |id: &str| graph.revs.iter().position(|r| r.id == id);
        let mut state = State::default();
        for t in &tables {
            if let Some(id) = t.strip_prefix("m_") {
                state
                    .markers
                    .insert(node(id).ok_or(format!("stray table {t}"))?);
            }
        }
        if tables.iter().any(|t| t == "migrate_version") {
            let sql = match self.dialect {
                Dialect::Sqlite => "SELECT revision FROM migrate_version",
                Dialect::Postgres => "SELECT revision::text FROM $SCHEMA.migrate_version",
            };
            for id in self.query(sql) {
                let n = node(&id).ok_or(format!("ledger row for unknown {id}"))?;
                if !state.ledger.insert(n) {
                    return Err(format!("the ledger lists {id} twice"));
                }
            }
        }
        Ok(state)
    }

    /// The held connection is as it was lent, and nobody holds the lock.
    fn check_connection(&mut self) -> Result<(), String> {
        match &mut self.conn {
            Conn::Sqlite(conn) => {
                if !conn.is_autocommit() {
                    return Err("the held SQLite connection has a transaction open".into());
                }
                let fk: i64 = conn
                    .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
                    .unwrap();
                if fk != 1 {
                    return Err("the held SQLite connection's foreign_keys is OFF".into());
                }
                let lock = PathBuf::from(format!(
                    "{}.migrate-lock",
                    self.sqlite_path.as_ref().unwrap().display()
                ));
                if let Ok(file) = std::fs::OpenOptions::new().write(true).open(&lock) {
                    // A child process the PostgreSQL thread is spawning holds a
                    // copy of every descriptor until it execs, so a lock may show
                    // as held for a moment; a leaked one stays held.
                    let free = (0..50).any(|_| {
                        let free = file.try_lock().is_ok();
                        if !free {
                            std::thread::sleep(std::time::Duration::from_millis(20));
                        }
                        free
                    });
                    if !free {
                        return Err("the migration lock is still held".into());
                    }
                }
                Ok(())
            }
            Conn::Postgres { check, .. } => {
                // A client that exited (the binary, psql) leaves its server
                // process for a moment; the held connection stays.
                let count = |check: &mut postgres::Client, sql: &str| -> i64 {
                    check.query_one(sql, &[]).unwrap().get(0)
                };
                let problems = [
                    (
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                         AND state LIKE 'idle in transaction%'",
                        "a connection sits idle in a transaction",
                    ),
                    (
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = \
                         (SELECT oid FROM pg_database WHERE datname = current_database())",
                        "an advisory lock is still held",
                    ),
                ];
                for (sql, problem) in problems {
                    let settled = (0..50).any(|_| {
                        let zero = count(check, sql) == 0;
                        if !zero {
                            std::thread::sleep(std::time::Duration::from_millis(20));
                        }
                        zero
                    });
                    if !settled {
                        return Err(problem.into());
                    }
                }
                Ok(())
            }
        }
    }
}

fn write_files(dir: &Path, graph: &Graph, d: Dialect) {
    std::fs::create_dir_all(dir).unwrap();
    for rev in &graph.revs {
        std::fs::write(dir.join(format!("{}.sql", rev.id)), rev.file(graph, d)).unwrap();
    }
}

/// The revision ids named by `step <id>` in `text`'s lines that start with `prefix`.
fn ids_in(graph: &Graph, text: &str, prefix: &str) -> Vec<usize> {
    text.lines()
        .filter(|l| l.starts_with(prefix))
        .filter_map(|l| {
            let at = l.find("step rev")? + 5;
            graph.revs.iter().position(|r| l[at..].starts_with(&r.id))
        })
        .collect()
}

/// The ledger statements of a script, in order: the plan as the script runs it.
fn script_order(graph: &Graph, script: &str) -> Vec<usize> {
    script
        .lines()
        .filter(|l| l.starts_with("INSERT INTO") || l.starts_with("DELETE FROM"))
        .filter_map(|l| {
            graph
                .revs
                .iter()
                .position(|r| l.contains(&format!("'{}'", r.id)))
        })
        .collect()
}

/// What a command did: whether it succeeded, the order it ran the plan in (as
/// far as it got), and its messages.
struct Outcome {
    ok: bool,
    order: Vec<usize>,
    log: String,
}

fn cmd_args(graph: &Graph, cmd: &Cmd) -> Vec<String> {
    match cmd {
        Cmd::Upgrade(t) => vec!["upgrade".into(), graph.render(t)],
        Cmd::Downgrade(t) => vec!["downgrade".into(), graph.render(t)],
        Cmd::Stamp(t, purge) => {
            let mut args = vec!["stamp".into(), graph.render(t)];
            if *purge {
                args.push("--purge".into());
            }
            args
        }
    }
}

fn run_cli(target: &Target, args: &[String]) -> (bool, String, String) {
    let mut all = vec![
        "--dir".to_string(),
        target.dir.display().to_string(),
        "--url".to_string(),
        target.url.clone(),
    ];
    all.extend_from_slice(args);
    all.extend(["--lock-timeout".to_string(), "5".to_string()]);
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let (code, out, err) = common::run_migrate(&target.dir, &all);
    (code == 0, out, err)
}

fn run_library(target: &mut Target, graph: &Graph, cmd: &Cmd, per_migration: bool) -> Outcome {
    let revisions = migrate::revision::load_dir(&target.dir).unwrap();
    let real = migrate::RevisionGraph::new(revisions).unwrap();
    let rendered;
    let command = match cmd {
        Cmd::Upgrade(t) => {
            rendered = graph.render(t);
            Command::Upgrade(&rendered)
        }
        Cmd::Downgrade(t) => {
            rendered = graph.render(t);
            Command::Downgrade(&rendered)
        }
        Cmd::Stamp(t, purge) => {
            rendered = graph.render(t);
            Command::Stamp {
                target: &rendered,
                purge: *purge,
            }
        }
    };
    let options = RunOptions {
        transaction_per_migration: per_migration,
        lock_timeout: std::time::Duration::from_secs(5),
        ..RunOptions::default()
    };
    let mut started = Vec::new();
    let mut events = |e: Event<'_>| {
        if let Event::Started { revision, .. } = e {
            started.push(revision.id.clone());
        }
    };
    let result = match &mut target.conn {
        Conn::Sqlite(conn) => {
            let mut backend = SqliteBackend::borrow(conn).unwrap();
            runner::run(&mut backend, &real, command, &options, &mut events)
        }
        Conn::Postgres { held, .. } => {
            let mut backend = PostgresBackend::borrow(held);
            runner::run(&mut backend, &real, command, &options, &mut events)
        }
    };
    Outcome {
        ok: result.is_ok(),
        order: started
            .iter()
            .map(|id| graph.revs.iter().position(|r| &r.id == id).unwrap())
            .collect(),
        log: format!("{result:?}"),
    }
}

/// Applies a script with the database's own client, stopping at the first error.
fn apply_script(target: &Target, script: &str) -> (bool, String) {
    // Beside the migrations directory, where the runner would read it as a revision.
    let file = target.dir.with_extension("sql");
    std::fs::write(&file, script).unwrap();
    let output = match target.dialect {
        Dialect::Sqlite => std::process::Command::new("sqlite3")
            .arg("-bail")
            .arg(target.sqlite_path.as_ref().unwrap())
            .arg(format!(".read {}", file.display()))
            .output(),
        Dialect::Postgres => std::process::Command::new("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", &target.url, "-f"])
            .arg(&file)
            .output(),
    }
    .expect("sqlite3 and psql are installed");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs one case on one backend; `Err` describes the first disagreement.
fn run_case(graph: &Graph, steps: &[Step], target: &mut Target) -> Result<(), String> {
    let d = target.dialect;
    let mut model = State::default();
    for (i, step) in steps.iter().enumerate() {
        let mut via = step.via;
        let mut args = cmd_args(graph, &step.cmd);
        if step.per_migration {
            args.push("--transaction-per-migration".into());
        }
        // Offline, FROM stands for the database's state: only when one revision
        // (or base) describes it.
        if via == Via::Sql {
            let heads = graph.current_heads(&model.ledger, None);
            let from = match heads[..] {
                [] => Some("base".to_string()),
                [h] if graph.ancestors(&[h]) == model.ledger => {
                    let id = &graph.revs[h].id;
                    Some(if step.from_as_prefix {
                        id[..5].to_string()
                    } else {
                        id.clone()
                    })
                }
                _ => None,
            };
            match (&step.cmd, from) {
                (Cmd::Stamp(..), _) | (_, None) => via = Via::Cli,
                (_, Some(from)) => {
                    args[1] = format!("{from}:{}", args[1]);
                    args.push("--sql".into());
                }
            }
        }
        let what = format!("step {i} ({via:?}): migrate {}", args.join(" "));
        let mut expected = expect(graph, d, &model, &step.cmd);
        // README: `upgrade FROM:TO --sql` going down is an error.
        if via == Via::Sql {
            if let (Cmd::Upgrade(t), Expect::Plan { set, .. }) = (&step.cmd, &expected) {
                let reached = graph.upgrade_set(&BTreeSet::new(), t).unwrap_or_default();
                if set.is_empty() && !model.ledger.is_subset(&reached) {
                    expected = Expect::Refused;
                }
            }
        }
        let outcome = match via {
            Via::Cli => {
                let (ok, _out, err) = run_cli(target, &args);
                let prefix = if matches!(step.cmd, Cmd::Stamp(..)) {
                    "Stamping"
                } else {
                    "Running"
                };
                Outcome {
                    ok,
                    order: ids_in(graph, &err, prefix),
                    log: err,
                }
            }
            Via::Library => run_library(target, graph, &step.cmd, step.per_migration),
            Via::Sql => {
                let (ok, script, err) = run_cli(target, &args);
                if !ok {
                    Outcome {
                        ok,
                        order: Vec::new(),
                        log: err,
                    }
                } else {
                    let order = script_order(graph, &script);
                    let (ok, err) = apply_script(target, &script);
                    Outcome {
                        ok,
                        order,
                        log: format!("{err}\n--- script:\n{script}"),
                    }
                }
            }
        };
        let (next, ok) = match expected {
            Expect::Refused => (model.clone(), false),
            Expect::Plan {
                dir,
                set,
                stamp,
                purge,
            } => {
                let mut from = model.clone();
                if purge {
                    from.ledger.clear();
                }
                if stamp {
                    let mut next = from;
                    for r in &set {
                        match dir {
                            Dir::Up => next.ledger.insert(*r),
                            Dir::Down => next.ledger.remove(r),
                        };
                    }
                    (next, true)
                } else {
                    // The order is the runner's choice among valid ones; a
                    // script lists the whole plan, an online run as far as it got.
                    if !graph.valid_order(&outcome.order, &set, dir) {
                        return Err(format!(
                            "{what}: the order {:?} is not a valid order of the plan {:?}\n{}",
                            outcome.order, set, outcome.log
                        ));
                    }
                    let mut order = outcome.order.clone();
                    // Complete a partial order with the rest of the plan.
                    let mut rest: Vec<usize> =
                        set.iter().copied().filter(|r| !order.contains(r)).collect();
                    while !rest.is_empty() {
                        let pos = rest
                            .iter()
                            .position(|&r| {
                                let mut with = order.clone();
                                with.push(r);
                                graph.valid_order(&with, &set, dir)
                            })
                            .expect("a plan always has a next revision");
                        order.push(rest.remove(pos));
                    }
                    let (next, result) = simulate(graph, d, &from, dir, &order, step.per_migration);
                    if via != Via::Sql {
                        let reached = match result {
                            Ok(()) => order.len(),
                            Err(r) => order.iter().position(|&x| x == r).unwrap() + 1,
                        };
                        if outcome.order.len() != reached {
                            return Err(format!(
                                "{what}: the runner ran {:?}, the model expected it to reach {:?}\n{}",
                                outcome.order,
                                &order[..reached],
                                outcome.log
                            ));
                        }
                    }
                    (next, result.is_ok())
                }
            }
        };
        if outcome.ok != ok {
            return Err(format!(
                "{what}: {} but the model says it {}\n{}",
                if outcome.ok { "succeeded" } else { "failed" },
                if ok { "succeeds" } else { "fails" },
                outcome.log
            ));
        }
        let seen = target.observe(graph)?;
        if seen != next {
            return Err(format!(
                "{what}: the database holds {} but the model says {}\n{}",
                show(graph, &seen),
                show(graph, &next),
                outcome.log
            ));
        }
        target
            .check_connection()
            .map_err(|e| format!("{what}: {e}\n{}", outcome.log))?;
        model = next;
    }
    Ok(())
}

fn show(graph: &Graph, state: &State) -> String {
    let ids = |s: &BTreeSet<usize>| {
        s.iter()
            .map(|&n| graph.revs[n].id.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(
        "ledger [{}] markers [{}]",
        ids(&state.ledger),
        ids(&state.markers)
    )
}

fn check_case(case: &Case, pg: Option<&common::TestDb>) -> Result<(), TestCaseError> {
    let graph = build_graph(&case.revs);
    let root = tempfile::tempdir().unwrap();
    let (lite, post) = std::thread::scope(|scope| {
        let lite = scope.spawn(|| {
            run_case(
                &graph,
                &case.steps,
                &mut Target::sqlite(root.path(), &graph),
            )
        });
        let post = pg.map(|db| {
            let mut target = Target::postgres(db, root.path(), &graph);
            let result = run_case(&graph, &case.steps, &mut target);
            if let Conn::Postgres {
                held,
                mut check,
                schema,
            } = target.conn
            {
                // The held connection first: a transaction it (wrongly) left open
                // would block the drop.
                drop(held);
                let _ = check.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
            }
            result
        });
        (lite.join().unwrap(), post)
    });
    let files: String = graph
        .revs
        .iter()
        .map(|r| format!("{}\n", r.file(&graph, Dialect::Sqlite)))
        .collect();
    if let Err(e) = lite {
        return Err(TestCaseError::fail(format!(
            "sqlite: {e}\n--- files (as for sqlite):\n{files}"
        )));
    }
    if let Some(Err(e)) = post {
        return Err(TestCaseError::fail(format!(
            "postgres: {e}\n--- files (as for sqlite):\n{files}"
        )));
    }
    Ok(())
}

/// Runs `cases` cases; the PostgreSQL database is one per test, with a schema
/// per case (creating a database per case would cost a second each).
fn run_cases(test: &str, cases: u32) {
    let pg = common::postgres_db(test);
    let config = ProptestConfig {
        cases,
        max_shrink_iters: 100,
        // Each shrink step reruns a whole case; a failure should report soon.
        max_shrink_time: 60_000,
        source_file: Some(file!()),
        ..ProptestConfig::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    if let Err(e) = runner.run(&case_strategy(), |case| check_case(&case, pg.as_ref())) {
        panic!("{e}");
    }
}

/// CI: 40 cases, each on both backends.
#[test]
fn the_runner_matches_the_model() {
    run_cases("runner_model", 40);
}

/// Ten times as many: `cargo test --test runner_model -- --ignored`.
#[test]
#[ignore]
fn the_runner_matches_the_model_at_length() {
    run_cases("runner_model_long", 400);
}
