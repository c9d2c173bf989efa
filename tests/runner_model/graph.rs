//! The revision graph a case draws (revisions, sections, statements) and the
//! target grammar resolved against it, from the graph semantics alone.

use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
    /// MariaDB (or MySQL): DDL commits implicitly.
    Mysql,
}

impl Dialect {
    pub(crate) const ALL: [Dialect; 3] = [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
        }
    }
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    Up,
    Down,
}

/// What a section's SQL does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// No statement at all.
    Empty,
    /// Creates (up) or drops (down) the revision's marker table: DDL.
    Marker,
    /// Inserts (up) or deletes (down) the revision's row of `data_rows`: DML
    /// only, which MySQL runs inside a transaction.
    Row,
    /// The row, then the marker (undone in reverse): DML and DDL in one
    /// section, which on MySQL keeps the row when a statement after it fails.
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sec {
    pub(crate) transactional: bool,
    pub(crate) kind: Kind,
    /// A failing statement inserted at this position (not in an empty section).
    pub(crate) fail: Option<u8>,
}

/// The sections of one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Body {
    /// One unmarked section, or none (`None`: no `-- migrate:down` line at all).
    Shared(Option<Sec>),
    /// `-- migrate:<dir> sqlite` / `postgres` / `mysql`; `None`: that dialect
    /// has none.
    PerDialect([Option<Sec>; 3]),
}

impl Body {
    /// The section that runs on `d`; `Err` when the revision has dialect sections
    /// but none for `d`.
    pub(crate) fn section(&self, d: Dialect) -> Result<Option<Sec>, ()> {
        match self {
            Body::Shared(s) => Ok(*s),
            Body::PerDialect(s) => s[d.index()].map(Some).ok_or(()),
        }
    }
}

/// One statement of a section, before rendering for a dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stmt {
    CreateMarker,
    DropMarker,
    InsertRow,
    DeleteRow,
    /// Refuses to run inside a transaction.
    OutsideOnly,
    /// Fails: an `INSERT` into a table that does not exist (DML, so MySQL keeps
    /// a section of it and rows in a transaction).
    Bad,
}

impl Stmt {
    /// Reads or changes rows only: MySQL commits nothing implicitly for it.
    pub(crate) fn is_dml(self) -> bool {
        matches!(self, Stmt::InsertRow | Stmt::DeleteRow | Stmt::Bad)
    }
}

pub(crate) fn statements(sec: Sec, dir: Dir) -> Vec<Stmt> {
    let mut out = match (sec.kind, dir) {
        (Kind::Empty, _) => return Vec::new(),
        (Kind::Marker, Dir::Up) => vec![Stmt::CreateMarker],
        (Kind::Marker, Dir::Down) => vec![Stmt::DropMarker],
        (Kind::Row, Dir::Up) => vec![Stmt::InsertRow],
        (Kind::Row, Dir::Down) => vec![Stmt::DeleteRow],
        (Kind::Both, Dir::Up) => vec![Stmt::InsertRow, Stmt::CreateMarker],
        (Kind::Both, Dir::Down) => vec![Stmt::DropMarker, Stmt::DeleteRow],
    };
    if !sec.transactional {
        match dir {
            Dir::Up => out.push(Stmt::OutsideOnly),
            Dir::Down => out.insert(0, Stmt::OutsideOnly),
        }
    }
    if let Some(at) = sec.fail {
        let at = usize::from(at) % (out.len() + 1);
        out.insert(at, Stmt::Bad);
    }
    out
}

/// README ("When a migration fails"): a section runs inside the run's
/// transaction unless it is `transaction:false`; on MySQL, where DDL commits
/// implicitly, only when every statement is DML. Otherwise it runs statement by
/// statement, each committing on its own.
pub(crate) fn runs_in_transaction(sec: Sec, dir: Dir, d: Dialect) -> bool {
    sec.transactional && (d != Dialect::Mysql || statements(sec, dir).iter().all(|s| s.is_dml()))
}

pub(crate) fn render_stmt(stmt: Stmt, dir: Dir, d: Dialect, id: &str) -> String {
    match (stmt, d) {
        (Stmt::CreateMarker, _) => format!("CREATE TABLE m_{id} (id INTEGER);"),
        (Stmt::DropMarker, _) => format!("DROP TABLE m_{id};"),
        (Stmt::InsertRow, _) => format!("INSERT INTO data_rows VALUES ('{id}');"),
        (Stmt::DeleteRow, _) => format!("DELETE FROM data_rows WHERE rev = '{id}';"),
        (Stmt::OutsideOnly, Dialect::Sqlite) => "VACUUM;".to_string(),
        // On the table every case has, so that it needs no marker.
        (Stmt::OutsideOnly, Dialect::Postgres) => match dir {
            Dir::Up => {
                format!("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_{id} ON data_rows (rev);")
            }
            Dir::Down => format!("DROP INDEX CONCURRENTLY IF EXISTS ix_{id};"),
        },
        // Error 1568 inside a transaction; outside, it sets the next
        // transaction to what it would be anyway.
        (Stmt::OutsideOnly, Dialect::Mysql) => "SET TRANSACTION READ WRITE;".to_string(),
        (Stmt::Bad, _) => format!("INSERT INTO no_such_table_{id} VALUES (1);"),
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Rev {
    pub(crate) id: String,
    pub(crate) parents: Vec<usize>,
    pub(crate) deps: Vec<usize>,
    pub(crate) label: Option<String>,
    pub(crate) up: Body,
    pub(crate) down: Body,
}

impl Rev {
    pub(crate) fn body(&self, dir: Dir) -> &Body {
        match dir {
            Dir::Up => &self.up,
            Dir::Down => &self.down,
        }
    }

    pub(crate) fn stmts(&self, dir: Dir, d: Dialect) -> Vec<Stmt> {
        match self.body(dir).section(d) {
            Ok(Some(sec)) => statements(sec, dir),
            _ => Vec::new(),
        }
    }

    /// README: an empty or absent down cannot be downgraded, unless the up is
    /// empty too. Asked for the dialect that runs.
    pub(crate) fn can_downgrade(&self, d: Dialect) -> bool {
        !self.stmts(Dir::Down, d).is_empty() || self.stmts(Dir::Up, d).is_empty()
    }

    /// The file, with unmarked sections rendered for `d` (each backend gets a
    /// directory of its own, so unmarked SQL may differ between them).
    pub(crate) fn file(&self, graph: &Graph, d: Dialect) -> String {
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
                    for md in Dialect::ALL {
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
pub(crate) struct Graph {
    pub(crate) revs: Vec<Rev>,
    pub(crate) children: Vec<Vec<usize>>,
    pub(crate) dependents: Vec<Vec<usize>>,
}

impl Graph {
    pub(crate) fn new(revs: Vec<Rev>) -> Graph {
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

    pub(crate) fn len(&self) -> usize {
        self.revs.len()
    }

    /// Revisions without children (through `down_revision`), in id order.
    pub(crate) fn heads(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&n| self.children[n].is_empty())
            .collect()
    }

    pub(crate) fn labels(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&n| self.revs[n].label.is_some())
            .collect()
    }

    /// The revision and its ancestors through parents and dependencies.
    pub(crate) fn ancestors(&self, from: &[usize]) -> BTreeSet<usize> {
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
    pub(crate) fn descendants(&self, from: &[usize]) -> BTreeSet<usize> {
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
    pub(crate) fn members(&self, labelled: usize) -> BTreeSet<usize> {
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

    pub(crate) fn roots(&self, members: &BTreeSet<usize>) -> Vec<usize> {
        members
            .iter()
            .copied()
            .filter(|&n| self.revs[n].parents.iter().all(|p| !members.contains(p)))
            .collect()
    }

    /// Applied revisions (within `members`) with no applied child there.
    pub(crate) fn current_heads(
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
pub(crate) enum T {
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

pub(crate) enum Resolved {
    State(Vec<usize>),
    RemoveFrom(Vec<usize>),
}

impl Graph {
    pub(crate) fn label_node(&self, l: usize) -> Option<usize> {
        let labels = self.labels();
        (!labels.is_empty()).then(|| labels[l % labels.len()])
    }

    pub(crate) fn label_name(&self, l: usize) -> String {
        match self.label_node(l) {
            Some(n) => self.revs[n].label.clone().unwrap(),
            None => "nolabel".to_string(),
        }
    }

    pub(crate) fn render(&self, t: &T) -> String {
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

    pub(crate) fn single(nodes: Vec<usize>) -> Result<usize, ()> {
        match nodes[..] {
            [one] => Ok(one),
            _ => Err(()),
        }
    }

    /// The heads of a branch, which must be one.
    pub(crate) fn label_head(&self, l: usize) -> Result<usize, ()> {
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
    pub(crate) fn walk(
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

    pub(crate) fn resolve(
        &self,
        t: &T,
        applied: &BTreeSet<usize>,
        dir: Dir,
    ) -> Result<Resolved, ()> {
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
    pub(crate) fn upgrade_set(
        &self,
        applied: &BTreeSet<usize>,
        t: &T,
    ) -> Result<BTreeSet<usize>, ()> {
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
    pub(crate) fn downgrade_set(
        &self,
        applied: &BTreeSet<usize>,
        t: &T,
    ) -> Result<BTreeSet<usize>, ()> {
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
    pub(crate) fn stamp_set(
        &self,
        applied: &BTreeSet<usize>,
        t: &T,
    ) -> Result<(Dir, BTreeSet<usize>), ()> {
        match self.upgrade_set(applied, t) {
            Ok(set) if !set.is_empty() => Ok((Dir::Up, set)),
            _ => self.downgrade_set(applied, t).map(|set| (Dir::Down, set)),
        }
    }

    /// True when `order` lists each member of `set` at most once, every one after
    /// what it needs (parents and dependencies first on the way up, dependents
    /// first on the way down).
    pub(crate) fn valid_order(&self, order: &[usize], set: &BTreeSet<usize>, dir: Dir) -> bool {
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
