//! The revision graph: a pure DAG over parsed revisions (Alembic's `RevisionMap`).
//!
//! It owns validation (cycles, missing parents, duplicates), the shape queries
//! (heads, bases, branch points, branch labels), target resolution and planning.
//! It does no I/O: what the database has applied comes in as a list of ids.
//!
//! Every operation is linear in the size of the graph (Alembic has had quadratic
//! blow-ups here, alembic#310): nodes are indexes into vectors, and walks are
//! iterative so a 100,000-revision chain cannot overflow the stack.
//!
//! # Semantics
//! - Edges run from a revision to its parents (`down_revision`) and to its
//!   dependencies (`depends_on`). Heads and branch points only look at parents,
//!   as in Alembic: being depended on does not stop a revision from being a head.
//! - Upgrading to a target applies every ancestor of the target (through both kinds
//!   of edge) that is not applied yet, parents and dependencies first.
//! - Downgrading to a target reverts every applied revision that descends from it
//!   (again through both kinds of edge), dependents first. Other branches stay.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::target::{Anchor, BranchAt, Target};
use super::{Direction, Revision};
use crate::error::{Error, Result};

type Node = usize;

/// A validated revision graph.
///
/// ```
/// use migrate_core::revision::{parse, RevisionGraph};
/// let rev = |id: &str, down: &str| {
///     let text = format!("-- revision: {id}\n-- down_revision: {down}\n-- migrate:up\nSELECT 1;\n");
///     parse(&format!("{id}.sql"), &text).unwrap()
/// };
/// let graph = RevisionGraph::new(vec![rev("a1", "none"), rev("b2", "a1"), rev("c3", "a1")]).unwrap();
/// assert_eq!(graph.heads(), ["b2", "c3"]);
/// assert_eq!(graph.branch_points(), ["a1"]);
///
/// // Upgrading an empty database to both heads applies each revision once.
/// let plan = graph.upgrade_plan(&[] as &[&str], "heads").unwrap();
/// assert_eq!(plan.ids(), ["a1", "b2", "c3"]);
/// // `head` is ambiguous here, with Alembic's message.
/// let err = graph.upgrade_plan(&[] as &[&str], "head").unwrap_err();
/// assert_eq!(err.to_string(), "Multiple heads are present for given argument 'head'; b2, c3");
/// ```
#[derive(Debug, Clone)]
pub struct RevisionGraph {
    revisions: Vec<Revision>,
    index: FxHashMap<String, Node>,
    parents: Adjacency,
    deps: Adjacency,
    children: Adjacency,
    dependents: Adjacency,
    labels: FxHashMap<String, Node>,
    /// Ids named in some `replaces:`, mapped to the revision that replaces them.
    replaced_by: FxHashMap<String, Node>,
    /// Every node, parents and dependencies before their children; computed on
    /// first use, since validation and planning do not need it.
    order: OnceLock<Vec<Node>>,
    /// The branch labels covering each revision; computed on first use, once for
    /// the whole graph, since `history` asks for every revision.
    coverage: OnceLock<LabelCoverage>,
    heads: Vec<Node>,
}

/// One step of a plan.
#[derive(Debug, Clone, Copy)]
pub struct Step<'g> {
    /// The revision to apply or revert.
    pub revision: &'g Revision,
    /// Up to apply, down to revert.
    pub direction: Direction,
}

/// An ordered list of steps, in execution order.
#[derive(Debug, Clone, Default)]
pub struct Plan<'g> {
    /// In execution order.
    pub steps: Vec<Step<'g>>,
}

impl<'g> Plan<'g> {
    /// The revision ids, in execution order.
    pub fn ids(&self) -> Vec<&'g str> {
        self.steps.iter().map(|s| s.revision.id.as_str()).collect()
    }

    /// True when there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// What the ledger's ids mean for this graph; see [`RevisionGraph::applied_from_ledger`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Applied {
    /// Graph revisions that count as applied (a squash counts once all it replaces did).
    pub revisions: Vec<String>,
    /// Ledger ids that are neither in the graph nor replaced by a revision in it.
    pub unknown: Vec<String>,
}

/// A resolved target: the heads of the state it describes, or (for
/// `<label>@base` on a downgrade) the roots of what must go.
enum Resolved {
    State(Vec<Node>),
    RemoveFrom(Vec<Node>),
}

impl RevisionGraph {
    /// Validates `revisions` and builds the graph.
    ///
    /// Every problem is reported at once (as [`Error::Invalid`] when there are
    /// several): duplicate ids and labels, missing parents and dependencies,
    /// self-loops, cycles, and replaced revisions that are still present.
    pub fn new(revisions: Vec<Revision>) -> Result<Self> {
        let mut problems = Vec::new();
        let (index, duplicate) = index_ids(&revisions, &mut problems);
        let labels = index_labels(&revisions, &index, &mut problems);
        let mut parents = Adjacency::with_capacity(revisions.len());
        let mut deps = Adjacency::with_capacity(revisions.len());
        for (node, rev) in revisions.iter().enumerate() {
            // A duplicate's edges would mislead; it is already reported.
            if !duplicate[node] {
                resolve_edges(
                    rev,
                    node,
                    &index,
                    &labels,
                    EdgeKind::Parent,
                    &mut parents,
                    &mut problems,
                );
                resolve_edges(
                    rev,
                    node,
                    &index,
                    &labels,
                    EdgeKind::Dependency,
                    &mut deps,
                    &mut problems,
                );
            }
            parents.end_node();
            deps.end_node();
        }
        let replaced_by = index_replaces(&revisions, &index, &mut problems);
        let children = parents.reversed();
        let dependents = deps.reversed();
        problems.extend(find_cycles(
            &revisions,
            &parents,
            &deps,
            &dependents,
            &children,
        ));
        if let Some(e) = Error::from_problems(problems) {
            return Err(e);
        }
        let mut heads: Vec<Node> = (0..revisions.len())
            .filter(|&n| children.of(n).is_empty())
            .collect();
        heads.sort_by(|&a, &b| revisions[a].id.cmp(&revisions[b].id));
        Ok(RevisionGraph {
            revisions,
            index,
            parents,
            deps,
            children,
            dependents,
            labels,
            replaced_by,
            order: OnceLock::new(),
            coverage: OnceLock::new(),
            heads,
        })
    }

    fn order(&self) -> &[Node] {
        self.order
            .get_or_init(|| self.ancestors_in_order(&self.heads, &self.all_mask()))
    }

    /// Number of revisions.
    pub fn len(&self) -> usize {
        self.revisions.len()
    }

    /// True when there are no revisions.
    pub fn is_empty(&self) -> bool {
        self.revisions.is_empty()
    }

    /// The revision with exactly this id.
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.index.get(id).map(|&n| &self.revisions[n])
    }

    /// Every revision, parents and dependencies before their children. The order is
    /// deterministic: the plan of `upgrade heads` from an empty database.
    pub fn revisions(&self) -> impl DoubleEndedIterator<Item = &Revision> + '_ {
        self.order().iter().map(|&n| &self.revisions[n])
    }

    /// The heads (revisions without children), sorted by id.
    pub fn heads(&self) -> Vec<&str> {
        self.ids(&self.heads)
    }

    /// The bases (revisions without parents), sorted by id.
    pub fn bases(&self) -> Vec<&str> {
        self.sorted_ids((0..self.len()).filter(|&n| self.parents.of(n).is_empty()))
    }

    /// Revisions with more than one child, sorted by id.
    pub fn branch_points(&self) -> Vec<&str> {
        self.sorted_ids((0..self.len()).filter(|&n| self.children.of(n).len() > 1))
    }

    /// The children (through `down_revision`) of a revision, sorted by id.
    pub fn children_of(&self, id: &str) -> Vec<&str> {
        match self.index.get(id) {
            Some(&n) => self.sorted_ids(self.children.of(n).iter().copied()),
            None => Vec::new(),
        }
    }

    /// Every branch label with the revision that carries it, sorted by label.
    pub fn labels(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = self
            .labels
            .iter()
            .map(|(l, &n)| (l.as_str(), self.revisions[n].id.as_str()))
            .collect();
        out.sort();
        out
    }

    /// The branch labels that cover a revision, sorted: a label covers its
    /// revision, that revision's descendants, and its ancestors back to the
    /// nearest branch point, merge or base (see `docs/targets.md`).
    ///
    /// The first call computes the labels of every revision at once, in time
    /// linear in the graph and the labels; each call after that costs the length
    /// of its answer.
    pub fn labels_covering(&self, id: &str) -> Vec<&str> {
        let Some(&node) = self.index.get(id) else {
            return Vec::new();
        };
        let coverage = self.coverage.get_or_init(|| self.label_coverage());
        let (below, above) = (
            &coverage.sets[coverage.below[node]],
            &coverage.sets[coverage.above[node]],
        );
        let mut labels: Vec<usize> = below.iter().chain(above).copied().collect();
        labels.sort_unstable();
        labels.dedup();
        labels
            .into_iter()
            .map(|l| coverage.names[l].as_str())
            .collect()
    }

    /// Every revision's covering labels in two passes over the graph order:
    /// downwards, a revision inherits its parents' labels (it descends from the
    /// labelled revisions); upwards, a parent whose only child has it as only
    /// parent inherits that child's labels and those the child inherits so.
    /// Sets are shared: a revision without a label of its own and with one
    /// parent (or one child) points at the same set, so a long chain under one
    /// label costs one set, not one copy per revision.
    fn label_coverage(&self) -> LabelCoverage {
        let mut names: Vec<String> = self.labels.keys().cloned().collect();
        names.sort();
        let mut own: Vec<Vec<usize>> = vec![Vec::new(); self.len()];
        for (index, name) in names.iter().enumerate() {
            own[self.labels[name]].push(index);
        }
        /// A new set: the union of existing sets and more labels.
        fn union(sets: &mut Vec<Vec<usize>>, parts: &[usize], extra: &[usize]) -> usize {
            let mut set: Vec<usize> = parts
                .iter()
                .flat_map(|&p| sets[p].iter().copied())
                .chain(extra.iter().copied())
                .collect();
            set.sort_unstable();
            set.dedup();
            sets.push(set);
            sets.len() - 1
        }
        let mut sets: Vec<Vec<usize>> = vec![Vec::new()];
        let mut below = vec![0; self.len()];
        for &n in self.order() {
            let mut from: Vec<usize> = self.parents.of(n).iter().map(|&p| below[p]).collect();
            from.sort_unstable();
            from.dedup();
            from.retain(|&set| set != 0);
            below[n] = match from.as_slice() {
                [] if own[n].is_empty() => 0,
                [one] if own[n].is_empty() => *one,
                _ => union(&mut sets, &from, &own[n]),
            };
        }
        let mut above = vec![0; self.len()];
        for &n in self.order().iter().rev() {
            if let [child] = self.children.of(n) {
                if self.parents.of(*child).len() == 1 {
                    above[n] = if own[*child].is_empty() {
                        above[*child]
                    } else {
                        union(&mut sets, &[above[*child]], &own[*child])
                    };
                }
            }
        }
        LabelCoverage {
            names,
            sets,
            below,
            above,
        }
    }

    /// `Ok` when there is at most one head; otherwise [`Error::UnexpectedHeads`]
    /// naming them and their files.
    pub fn check_single_head(&self) -> Result<()> {
        if self.heads.len() <= 1 {
            return Ok(());
        }
        Err(Error::UnexpectedHeads {
            heads: self.heads().into_iter().map(String::from).collect(),
            files: self
                .heads
                .iter()
                .map(|&n| self.revisions[n].id_location())
                .collect(),
        })
    }

    /// Looks up a revision by full id, unique prefix (4+ characters) or branch
    /// label (meaning the head of that branch).
    pub fn find(&self, text: &str) -> Result<&Revision> {
        self.lookup(text).map(|n| &self.revisions[n])
    }

    /// Maps the ledger's ids onto the graph.
    ///
    /// A revision with `replaces:` counts as applied when every revision it replaces
    /// is in the ledger; a ledger holding only some of them is
    /// [`Error::PartiallyReplaced`], naming the missing ones.
    pub fn applied_from_ledger<S: AsRef<str>>(&self, ledger: &[S]) -> Result<Applied> {
        let in_ledger: HashSet<&str> = ledger.iter().map(AsRef::as_ref).collect();
        let mut applied = Applied::default();
        for id in ledger.iter().map(AsRef::as_ref) {
            if self.index.contains_key(id) {
                applied.revisions.push(id.to_string());
            } else if !self.replaced_by.contains_key(id) {
                applied.unknown.push(id.to_string());
            }
        }
        for rev in self.revisions.iter().filter(|r| !r.replaces.is_empty()) {
            if in_ledger.contains(rev.id.as_str()) {
                continue;
            }
            let missing: Vec<String> = rev
                .replaces
                .iter()
                .filter(|r| !in_ledger.contains(r.as_str()))
                .cloned()
                .collect();
            if missing.is_empty() {
                applied.revisions.push(rev.id.clone());
            } else if missing.len() < rev.replaces.len() {
                return Err(Error::PartiallyReplaced {
                    revision: rev.id.clone(),
                    replaces: rev.replaces.clone(),
                    missing,
                });
            }
        }
        Ok(applied)
    }

    /// The heads of an applied set: applied revisions with no applied child, in
    /// graph order. Ids not in the graph are ignored.
    pub fn current_heads<S: AsRef<str>>(&self, applied: &[S]) -> Vec<&str> {
        let set = self.applied_mask(applied);
        self.ids(&self.current_heads_of(&set, None))
    }

    /// The plan that brings `applied` up to `target` (grammar: `docs/targets.md`).
    /// Revisions already applied are skipped, so a target at or below the current
    /// state is an empty plan, not an error.
    pub fn upgrade_plan<S: AsRef<str>>(&self, applied: &[S], target: &str) -> Result<Plan<'_>> {
        let target = Target::parse(target)?;
        let set = self.applied_mask(applied);
        let heads = match self.resolve(&target, &set, Some(Direction::Up))? {
            Resolved::State(heads) => heads,
            Resolved::RemoveFrom(_) => {
                return Err(Error::InvalidTarget {
                    target: target.to_string(),
                    reason: "<label>@base is a downgrade target".to_string(),
                })
            }
        };
        let missing: Vec<bool> = set.iter().map(|applied| !applied).collect();
        let nodes = self.ancestors_in_order(&heads, &missing);
        Ok(self.plan(nodes, Direction::Up))
    }

    /// The plan that brings `applied` down to `target`: every applied revision that
    /// descends from the target is reverted, dependents first.
    pub fn downgrade_plan<S: AsRef<str>>(&self, applied: &[S], target: &str) -> Result<Plan<'_>> {
        let target = Target::parse(target)?;
        let set = self.applied_mask(applied);
        let remove = match self.resolve(&target, &set, Some(Direction::Down))? {
            Resolved::State(keep) if keep.is_empty() => set.clone(),
            Resolved::State(keep) => {
                let current = self.current_heads_of(&set, None);
                if let Some(&bad) = keep.iter().find(|&&n| !set[n]) {
                    return Err(Error::NotDowngradeTarget {
                        target: self.revisions[bad].id.clone(),
                        current: self.ids(&current).into_iter().map(String::from).collect(),
                    });
                }
                let kept = self.reach(&keep, &self.all_mask(), Reach::Ancestors);
                let roots: Vec<Node> = keep
                    .iter()
                    .flat_map(|&n| self.children.of(n).iter().chain(self.dependents.of(n)))
                    .copied()
                    .collect();
                let below = self.reach(&roots, &self.all_mask(), Reach::Descendants);
                (0..self.len())
                    .map(|n| set[n] && below[n] && !kept[n])
                    .collect()
            }
            Resolved::RemoveFrom(roots) => {
                let below = self.reach(&roots, &self.all_mask(), Reach::Descendants);
                (0..self.len()).map(|n| set[n] && below[n]).collect()
            }
        };
        let mut nodes = self.ancestors_in_order(&self.sinks_of(&remove), &remove);
        nodes.reverse();
        Ok(self.plan(nodes, Direction::Down))
    }

    /// The plan for `stamp`: an upgrade plan when the target is ahead of the
    /// database, a downgrade plan when it is behind. No SQL is meant to run; the
    /// caller only records the steps in the ledger.
    pub fn stamp_plan<S: AsRef<str>>(&self, applied: &[S], target: &str) -> Result<Plan<'_>> {
        let up = self.upgrade_plan(applied, target);
        match up {
            Ok(plan) if !plan.is_empty() => Ok(plan),
            _ => match self.downgrade_plan(applied, target) {
                Ok(plan) => Ok(plan),
                Err(down_error) => up.and(Err(down_error)),
            },
        }
    }

    /// The revisions of a history range `a:b` (either side may be empty, and a plain
    /// target means `:target`), newest first, as `migrate history -r` prints them.
    /// `current` in the range means the database's current heads.
    pub fn history<S: AsRef<str>>(
        &self,
        range: Option<&str>,
        applied: &[S],
    ) -> Result<Vec<&Revision>> {
        let set = self.applied_mask(applied);
        let (lower, upper) = match range {
            None => (None, None),
            Some(r) => super::target::split_range(r).unwrap_or((None, Some(r))),
        };
        let side = |text: Option<&str>| -> Result<Option<Vec<Node>>> {
            match text {
                None => Ok(None),
                Some("current") => Ok(Some(self.current_heads_of(&set, None))),
                Some(t) => match self.resolve(&Target::parse(t)?, &set, None)? {
                    Resolved::State(nodes) | Resolved::RemoveFrom(nodes) => Ok(Some(nodes)),
                },
            }
        };
        // A lower bound at base (`base:`, or `current:` on an empty database) is
        // no bound at all: everything lies above base.
        let lower = side(lower)?.filter(|nodes| !nodes.is_empty());
        let upper = side(upper)?;
        let all = self.all_mask();
        let mut within = match &upper {
            Some(nodes) => self.reach(nodes, &all, Reach::Ancestors),
            None => all.clone(),
        };
        if let Some(nodes) = &lower {
            let below = self.reach(nodes, &all, Reach::Descendants);
            within.iter_mut().zip(below).for_each(|(w, b)| *w &= b);
        }
        Ok(self
            .order()
            .iter()
            .rev()
            .filter(|&&n| within[n])
            .map(|&n| &self.revisions[n])
            .collect())
    }

    // ------------------------------------------------------------------ resolution

    /// `direction` is `None` for history ranges, where `-1` simply means one below.
    fn resolve(
        &self,
        target: &Target,
        applied: &[bool],
        direction: Option<Direction>,
    ) -> Result<Resolved> {
        let state = |nodes| Ok(Resolved::State(nodes));
        match target {
            Target::Heads => state(self.heads.clone()),
            Target::Head => state(vec![self.single_head("head", &self.heads)?]),
            Target::Base => state(Vec::new()),
            Target::Revision(text) => state(vec![self.lookup(text)?]),
            Target::Relative { anchor, steps } => {
                let text = target.to_string();
                let from = match anchor {
                    None => self.current_for_relative(&text, applied, None)?,
                    Some(Anchor::Head) => vec![self.single_head("head", &self.heads)?],
                    Some(Anchor::Base) => Vec::new(),
                    Some(Anchor::Revision(r)) => vec![self.lookup(r)?],
                };
                if anchor.is_none() {
                    check_direction(&text, *steps, direction)?;
                }
                state(self.walk(&text, from, *steps, None)?)
            }
            Target::Branch { label, at } => {
                let members = self.branch_members(label)?;
                let text = target.to_string();
                match at {
                    BranchAt::Head => {
                        let heads: Vec<Node> =
                            self.heads.iter().copied().filter(|&n| members[n]).collect();
                        state(vec![self.single_head(&text, &heads)?])
                    }
                    BranchAt::Base => Ok(Resolved::RemoveFrom(self.branch_roots(&members))),
                    BranchAt::Revision(r) => {
                        let node = self.lookup(r)?;
                        if !members[node] {
                            return Err(Error::NotInBranch {
                                revision: self.revisions[node].id.clone(),
                                branch: label.clone(),
                            });
                        }
                        state(vec![node])
                    }
                    BranchAt::Relative(steps) => {
                        check_direction(&text, *steps, direction)?;
                        let from = self.current_for_relative(&text, applied, Some(&members))?;
                        if from.is_empty() {
                            // Nothing of the branch is applied yet: start just below it.
                            let roots = self.branch_roots(&members);
                            let below: Vec<Node> = roots
                                .iter()
                                .flat_map(|&r| self.parents.of(r).to_vec())
                                .collect();
                            return state(self.walk(&text, below, *steps, Some(&members))?);
                        }
                        state(self.walk(&text, from, *steps, Some(&members))?)
                    }
                }
            }
        }
    }

    /// The one current head a bare `+N`/`-N` starts from (none for an empty database).
    fn current_for_relative(
        &self,
        text: &str,
        applied: &[bool],
        members: Option<&[bool]>,
    ) -> Result<Vec<Node>> {
        let current = self.current_heads_of(applied, members);
        if current.len() > 1 {
            return Err(Error::AmbiguousRelative {
                target: text
                    .trim_start_matches(|c: char| c != '+' && c != '-')
                    .to_string(),
                heads: self.ids(&current).into_iter().map(String::from).collect(),
            });
        }
        Ok(current)
    }

    /// Walks `steps` revisions from `from` (empty = before the bases): towards the
    /// heads when positive, towards the bases when negative. A walk may end on a
    /// fork (a merge's parents), but cannot pass through one.
    fn walk(
        &self,
        text: &str,
        from: Vec<Node>,
        steps: i64,
        members: Option<&[bool]>,
    ) -> Result<Vec<Node>> {
        let out_of_range = |reason: String| Error::RelativeOutOfRange {
            target: text.to_string(),
            steps: steps.unsigned_abs(),
            reason,
        };
        let in_branch = |n: &Node| members.is_none_or(|m| m[*n]);
        let mut current = from;
        for taken in 0..steps.unsigned_abs() {
            let next: Vec<Node> = match current.as_slice() {
                [] if steps > 0 => (0..self.len())
                    .filter(|&n| self.parents.of(n).is_empty())
                    .filter(in_branch)
                    .collect(),
                [] => return Err(out_of_range("the walk reached base".to_string())),
                [one] if steps > 0 => self
                    .children
                    .of(*one)
                    .iter()
                    .copied()
                    .filter(in_branch)
                    .collect(),
                [one] => self.parents.of(*one).to_vec(),
                several => {
                    return Err(out_of_range(format!(
                        "after {taken} step(s) it reaches several revisions ({}); name one of them",
                        self.ids(several).join(", ")
                    )))
                }
            };
            if steps > 0 && next.is_empty() {
                let at = current
                    .first()
                    .map_or("base".to_string(), |&n| self.revisions[n].id.clone());
                return Err(out_of_range(format!("{at} is a head")));
            }
            if steps > 0 && next.len() > 1 {
                let ids = self.sorted_ids(next.iter().copied()).join(", ");
                return Err(out_of_range(match current.first() {
                    None => format!("there are several bases ({ids}); name one of them"),
                    Some(&n) => format!(
                        "{} is a branch point with several children ({ids}); use <label>@+N or name a revision",
                        self.revisions[n].id
                    ),
                }));
            }
            current = next;
        }
        Ok(current)
    }

    fn single_head(&self, argument: &str, heads: &[Node]) -> Result<Node> {
        match heads {
            [one] => Ok(*one),
            [] => Err(Error::UnknownRevision {
                revision: argument.to_string(),
            }),
            several => Err(Error::MultipleHeads {
                argument: argument.to_string(),
                heads: self
                    .sorted_ids(several.iter().copied())
                    .into_iter()
                    .map(String::from)
                    .collect(),
            }),
        }
    }

    /// Full id, then branch label, then a unique prefix of 4+ characters.
    fn lookup(&self, text: &str) -> Result<Node> {
        if let Some(&n) = self.index.get(text) {
            return Ok(n);
        }
        if self.labels.contains_key(text) {
            let members = self.branch_members(text)?;
            let heads: Vec<Node> = self.heads.iter().copied().filter(|&n| members[n]).collect();
            return self.single_head(&format!("{text}@head"), &heads);
        }
        let mut candidates: Vec<&str> = self
            .revisions
            .iter()
            .filter(|r| r.id.starts_with(text))
            .map(|r| r.id.as_str())
            .collect();
        match candidates.len() {
            0 => Err(Error::UnknownRevision {
                revision: text.to_string(),
            }),
            _ if text.len() < 4 => Err(Error::PrefixTooShort {
                prefix: text.to_string(),
            }),
            1 => Ok(self.index[candidates[0]]),
            _ => {
                candidates.sort();
                Err(Error::AmbiguousPrefix {
                    prefix: text.to_string(),
                    candidates: candidates.into_iter().map(String::from).collect(),
                })
            }
        }
    }

    /// The members of a branch: the labelled revision, its descendants, and its
    /// ancestors back to (not including) the nearest branch point, merge or base.
    fn branch_members(&self, label: &str) -> Result<Vec<bool>> {
        let &labelled = self.labels.get(label).ok_or_else(|| Error::UnknownBranch {
            label: label.to_string(),
        })?;
        let mut members = vec![false; self.len()];
        let mut stack = vec![labelled];
        while let Some(n) = stack.pop() {
            if !std::mem::replace(&mut members[n], true) {
                stack.extend(self.children.of(n));
            }
        }
        let mut current = labelled;
        while let [parent] = self.parents.of(current) {
            if self.children.of(*parent).len() != 1 {
                break;
            }
            members[*parent] = true;
            current = *parent;
        }
        Ok(members)
    }

    /// Members of a branch whose parents are all outside it.
    fn branch_roots(&self, members: &[bool]) -> Vec<Node> {
        self.order()
            .iter()
            .copied()
            .filter(|&n| members[n] && self.parents.of(n).iter().all(|&p| !members[p]))
            .collect()
    }

    // ------------------------------------------------------------------ traversal

    fn applied_mask<S: AsRef<str>>(&self, applied: &[S]) -> Vec<bool> {
        let mut mask = vec![false; self.len()];
        for id in applied {
            if let Some(&n) = self.index.get(id.as_ref()) {
                mask[n] = true;
            }
        }
        mask
    }

    fn all_mask(&self) -> Vec<bool> {
        vec![true; self.len()]
    }

    /// Applied nodes (optionally within a branch) with no applied child there, in graph order.
    fn current_heads_of(&self, applied: &[bool], members: Option<&[bool]>) -> Vec<Node> {
        let within = |n: Node| applied[n] && members.is_none_or(|m| m[n]);
        self.order()
            .iter()
            .copied()
            .filter(|&n| within(n) && !self.children.of(n).iter().any(|&c| within(c)))
            .collect()
    }

    /// Nodes of `mask` none of whose successors (children or dependents) are in it.
    fn sinks_of(&self, mask: &[bool]) -> Vec<Node> {
        self.order()
            .iter()
            .copied()
            .filter(|&n| {
                mask[n]
                    && !self
                        .children
                        .of(n)
                        .iter()
                        .chain(self.dependents.of(n))
                        .any(|&c| mask[c])
            })
            .collect()
    }

    /// The ancestors of `from` (inclusive) that are in `mask`, each after its parents
    /// and dependencies: an iterative depth-first post-order, so one branch is
    /// finished before the next begins and the result is deterministic.
    fn ancestors_in_order(&self, from: &[Node], mask: &[bool]) -> Vec<Node> {
        let mut visited = vec![false; self.len()];
        let mut out = Vec::new();
        // (node, index of the next predecessor to visit)
        let mut stack: Vec<(Node, usize)> = Vec::new();
        for &start in from {
            if visited[start] || !mask[start] {
                continue;
            }
            visited[start] = true;
            stack.push((start, 0));
            while let Some((node, next)) = stack.last_mut() {
                let node = *node;
                let predecessors = self.parents.of(node).len() + self.deps.of(node).len();
                if *next < predecessors {
                    let i = *next;
                    *next += 1;
                    let p = if i < self.parents.of(node).len() {
                        self.parents.of(node)[i]
                    } else {
                        self.deps.of(node)[i - self.parents.of(node).len()]
                    };
                    if !visited[p] && mask[p] {
                        visited[p] = true;
                        stack.push((p, 0));
                    }
                } else {
                    out.push(node);
                    stack.pop();
                }
            }
        }
        out
    }

    /// Everything reachable from `from` (inclusive) within `mask`.
    fn reach(&self, from: &[Node], mask: &[bool], towards: Reach) -> Vec<bool> {
        let mut seen = vec![false; self.len()];
        let mut stack: Vec<Node> = from.iter().copied().filter(|&n| mask[n]).collect();
        while let Some(n) = stack.pop() {
            if std::mem::replace(&mut seen[n], true) {
                continue;
            }
            let (a, b) = match towards {
                Reach::Ancestors => (self.parents.of(n), self.deps.of(n)),
                Reach::Descendants => (self.children.of(n), self.dependents.of(n)),
            };
            stack.extend(a.iter().chain(b).copied().filter(|&m| mask[m] && !seen[m]));
        }
        seen
    }

    fn plan(&self, nodes: Vec<Node>, direction: Direction) -> Plan<'_> {
        Plan {
            steps: nodes
                .into_iter()
                .map(|n| Step {
                    revision: &self.revisions[n],
                    direction,
                })
                .collect(),
        }
    }

    fn ids(&self, nodes: &[Node]) -> Vec<&str> {
        nodes
            .iter()
            .map(|&n| self.revisions[n].id.as_str())
            .collect()
    }

    fn sorted_ids(&self, nodes: impl Iterator<Item = Node>) -> Vec<&str> {
        let mut ids: Vec<&str> = nodes.map(|n| self.revisions[n].id.as_str()).collect();
        ids.sort();
        ids
    }
}

/// Which labels cover each revision, as indexes into shared sets; see
/// [`RevisionGraph::label_coverage`].
#[derive(Debug, Clone)]
struct LabelCoverage {
    /// The label names, sorted, so sets of indexes sort as the names do.
    names: Vec<String>,
    /// Sorted sets of indexes into `names`; set 0 is empty.
    sets: Vec<Vec<usize>>,
    /// Per revision, the set of labels on it or on its ancestors through parents.
    below: Vec<usize>,
    /// Per revision, the set of labels on the linear run of descendants above it
    /// (each with exactly one child, whose only parent it is).
    above: Vec<usize>,
}

#[derive(Clone, Copy)]
enum Reach {
    Ancestors,
    Descendants,
}

/// A bare `+N` only upgrades and `-N` only downgrades.
fn check_direction(text: &str, steps: i64, direction: Option<Direction>) -> Result<()> {
    let wrong = match direction {
        Some(Direction::Up) => steps < 0,
        Some(Direction::Down) => steps > 0,
        None => false,
    };
    if wrong {
        return Err(Error::InvalidTarget {
            target: text.to_string(),
            reason: if steps < 0 {
                "a negative step moves down; use `downgrade`".to_string()
            } else {
                "a positive step moves up; use `upgrade`".to_string()
            },
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------- validation

/// The id index, and which nodes repeat an earlier id.
fn index_ids(
    revisions: &[Revision],
    problems: &mut Vec<Error>,
) -> (FxHashMap<String, Node>, Vec<bool>) {
    let mut index: FxHashMap<String, Node> =
        FxHashMap::with_capacity_and_hasher(revisions.len(), Default::default());
    let mut duplicate = vec![false; revisions.len()];
    for (node, rev) in revisions.iter().enumerate() {
        if let Some(&first) = index.get(&rev.id) {
            duplicate[node] = true;
            problems.push(Error::DuplicateRevision {
                revision: rev.id.clone(),
                first: revisions[first].id_location(),
                second: rev.id_location(),
            });
        } else {
            index.insert(rev.id.clone(), node);
        }
    }
    (index, duplicate)
}

fn index_labels(
    revisions: &[Revision],
    index: &FxHashMap<String, Node>,
    problems: &mut Vec<Error>,
) -> FxHashMap<String, Node> {
    let mut labels: FxHashMap<String, Node> = FxHashMap::default();
    for (node, rev) in revisions.iter().enumerate() {
        for label in &rev.branch_labels {
            let location = rev.location(rev.lines.branch_labels);
            if index.contains_key(label) {
                problems.push(Error::LabelIsRevision {
                    label: label.clone(),
                    location,
                });
            } else if let Some(&first) = labels.get(label) {
                problems.push(Error::DuplicateLabel {
                    label: label.clone(),
                    first_revision: revisions[first].id.clone(),
                    first: revisions[first].location(revisions[first].lines.branch_labels),
                    second: location,
                });
            } else {
                labels.insert(label.clone(), node);
            }
        }
    }
    labels
}

#[derive(Clone, Copy, PartialEq)]
enum EdgeKind {
    Parent,
    Dependency,
}

fn resolve_edges(
    rev: &Revision,
    node: Node,
    index: &FxHashMap<String, Node>,
    labels: &FxHashMap<String, Node>,
    kind: EdgeKind,
    out: &mut Adjacency,
    problems: &mut Vec<Error>,
) {
    let (names, line, key) = match kind {
        EdgeKind::Parent => (
            &rev.down_revisions,
            rev.lines.down_revision,
            "down_revision",
        ),
        EdgeKind::Dependency => (&rev.depends_on, rev.lines.depends_on, "depends_on"),
    };
    for name in names {
        let found = match kind {
            EdgeKind::Parent => index.get(name),
            EdgeKind::Dependency => index.get(name).or_else(|| labels.get(name)),
        };
        match found {
            Some(&target) if target == node => problems.push(Error::SelfLoop {
                revision: rev.id.clone(),
                key,
                location: rev.location(line),
            }),
            Some(&target) => out.targets.push(target),
            None if kind == EdgeKind::Parent => problems.push(Error::MissingParent {
                revision: rev.id.clone(),
                parent: name.clone(),
                location: rev.location(line),
            }),
            None => problems.push(Error::MissingDependency {
                revision: rev.id.clone(),
                dependency: name.clone(),
                location: rev.location(line),
            }),
        }
    }
}

fn index_replaces(
    revisions: &[Revision],
    index: &FxHashMap<String, Node>,
    problems: &mut Vec<Error>,
) -> FxHashMap<String, Node> {
    let mut replaced_by = FxHashMap::default();
    for (node, rev) in revisions.iter().enumerate() {
        for replaced in &rev.replaces {
            if let Some(&present) = index.get(replaced) {
                problems.push(Error::ReplacedStillPresent {
                    revision: rev.id.clone(),
                    replaced: replaced.clone(),
                    location: rev.location(rev.lines.replaces),
                    replaced_at: revisions[present].id_location(),
                });
            }
            // The ledger maps a replaced id to one revision; a second claimant
            // would silently lose.
            if let Some(&first) = replaced_by.get(replaced) {
                let first: &Revision = &revisions[first];
                problems.push(Error::DuplicateReplaces {
                    replaced: replaced.clone(),
                    revision: rev.id.clone(),
                    first: first.location(first.lines.replaces),
                    second: rev.location(rev.lines.replaces),
                });
            } else {
                replaced_by.insert(replaced.clone(), node);
            }
        }
    }
    replaced_by
}

/// Edges in compressed form: node `n`'s targets are `targets[offsets[n]..offsets[n + 1]]`.
/// One allocation for the whole graph instead of one per node keeps construction
/// and traversal cache-friendly at 100,000 revisions.
#[derive(Debug, Clone)]
struct Adjacency {
    offsets: Vec<usize>,
    targets: Vec<Node>,
}

impl Adjacency {
    fn with_capacity(nodes: usize) -> Self {
        let mut offsets = Vec::with_capacity(nodes + 1);
        offsets.push(0);
        Adjacency {
            offsets,
            targets: Vec::with_capacity(nodes),
        }
    }

    /// Closes the current node: the targets pushed since the last call are its.
    fn end_node(&mut self) {
        self.offsets.push(self.targets.len());
    }

    fn of(&self, node: Node) -> &[Node] {
        &self.targets[self.offsets[node]..self.offsets[node + 1]]
    }

    /// The same edges pointing the other way (a counting sort, linear time).
    fn reversed(&self) -> Adjacency {
        let nodes = self.offsets.len() - 1;
        let mut counts = vec![0usize; nodes + 1];
        for &t in &self.targets {
            counts[t + 1] += 1;
        }
        for i in 0..nodes {
            counts[i + 1] += counts[i];
        }
        let offsets = counts.clone();
        let mut fill = counts;
        let mut targets = vec![0; self.targets.len()];
        for from in 0..nodes {
            for &to in self.of(from) {
                targets[fill[to]] = from;
                fill[to] += 1;
            }
        }
        Adjacency { offsets, targets }
    }
}

/// Kahn's algorithm finds whether any cycle exists in linear time; the nodes it
/// cannot order are on a cycle or downstream of one. From each, following
/// unordered predecessors must come back to a node already on the path: that
/// loop is reported, once per cycle.
fn find_cycles(
    revisions: &[Revision],
    parents: &Adjacency,
    deps: &Adjacency,
    dependents: &Adjacency,
    children: &Adjacency,
) -> Vec<Error> {
    let n = revisions.len();
    let mut waiting: Vec<usize> = (0..n)
        .map(|i| parents.of(i).len() + deps.of(i).len())
        .collect();
    let mut ready: Vec<Node> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut ordered = vec![false; n];
    while let Some(node) = ready.pop() {
        ordered[node] = true;
        for &next in children.of(node).iter().chain(dependents.of(node)) {
            waiting[next] -= 1;
            if waiting[next] == 0 {
                ready.push(next);
            }
        }
    }
    let mut problems = Vec::new();
    let mut done = vec![false; n];
    let mut starts: Vec<Node> = (0..n).filter(|&i| !ordered[i]).collect();
    starts.sort_by(|&a, &b| revisions[a].id.cmp(&revisions[b].id));
    for start in starts {
        if done[start] {
            continue;
        }
        let mut path = vec![start];
        let mut position: HashMap<Node, usize> = HashMap::from([(start, 0)]);
        let mut current = start;
        loop {
            done[current] = true;
            let next = parents
                .of(current)
                .iter()
                .chain(deps.of(current))
                .copied()
                .find(|&p| !ordered[p]);
            let Some(next) = next else { break };
            if let Some(&at) = position.get(&next) {
                let mut cycle = path[at..].to_vec();
                cycle.sort_by(|&a, &b| revisions[a].id.cmp(&revisions[b].id));
                problems.push(Error::Cycle {
                    revisions: cycle.iter().map(|&c| revisions[c].id.clone()).collect(),
                    files: cycle.iter().map(|&c| revisions[c].id_location()).collect(),
                });
                break;
            }
            if done[next] {
                break; // leads into a cycle already reported
            }
            position.insert(next, path.len());
            path.push(next);
            current = next;
        }
    }
    problems
}
