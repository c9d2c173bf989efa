//! Shape queries over a built graph: heads, bases, branch points, labels and
//! the labels covering a revision, lookups, and the ledger mapped onto the graph.

use std::collections::HashSet;

use super::{Applied, RevisionGraph};
use crate::error::{Error, Result};
use crate::revision::Revision;

impl RevisionGraph {
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

    /// What a revision builds on: its parents, then its dependencies (a label in
    /// `depends_on` already resolved to the revision it names), as ids. Empty for
    /// an unknown id.
    pub fn predecessors_of(&self, id: &str) -> Vec<&str> {
        match self.index.get(id) {
            Some(&n) => self.ids(&[self.parents.of(n), self.deps.of(n)].concat()),
            None => Vec::new(),
        }
    }

    /// The parents (through `down_revision`) of a revision, labels resolved, in the
    /// order its header lists them.
    pub fn parents_of(&self, id: &str) -> Vec<&str> {
        match self.index.get(id) {
            Some(&n) => self.ids(self.parents.of(n)),
            None => Vec::new(),
        }
    }

    /// The revisions a revision's `depends_on` names, labels resolved, in the order
    /// its header lists them.
    pub fn dependencies_of(&self, id: &str) -> Vec<&str> {
        match self.index.get(id) {
            Some(&n) => self.ids(self.deps.of(n)),
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
    pub(super) fn label_coverage(&self) -> LabelCoverage {
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
}

/// Which labels cover each revision, as indexes into shared sets; see
/// [`RevisionGraph::label_coverage`].
#[derive(Debug, Clone)]
pub(super) struct LabelCoverage {
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
