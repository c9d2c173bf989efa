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

mod adjacency;
mod cycles;
mod planning;
mod queries;
mod resolution;
mod traversal;
mod validation;

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use self::adjacency::Adjacency;
use self::cycles::find_cycles;
use self::queries::LabelCoverage;
use self::validation::{index_ids, index_labels, index_replaces, resolve_edges, EdgeKind};
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
}
