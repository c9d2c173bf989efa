//! Walks over the graph: masks, the heads of a subset, ancestors in order and
//! reachability. All iterative, so a 100,000-revision chain cannot overflow the
//! stack.

use super::{Node, Plan, RevisionGraph, Step};
use crate::revision::Direction;

impl RevisionGraph {
    pub(super) fn applied_mask<S: AsRef<str>>(&self, applied: &[S]) -> Vec<bool> {
        let mut mask = vec![false; self.len()];
        for id in applied {
            if let Some(&n) = self.index.get(id.as_ref()) {
                mask[n] = true;
            }
        }
        mask
    }

    pub(super) fn all_mask(&self) -> Vec<bool> {
        vec![true; self.len()]
    }

    /// Applied nodes (optionally within a branch) with no applied child there, in graph order.
    pub(super) fn current_heads_of(&self, applied: &[bool], members: Option<&[bool]>) -> Vec<Node> {
        let within = |n: Node| applied[n] && members.is_none_or(|m| m[n]);
        self.order()
            .iter()
            .copied()
            .filter(|&n| within(n) && !self.children.of(n).iter().any(|&c| within(c)))
            .collect()
    }

    /// Nodes of `mask` none of whose successors (children or dependents) are in it.
    pub(super) fn sinks_of(&self, mask: &[bool]) -> Vec<Node> {
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
    pub(super) fn ancestors_in_order(&self, from: &[Node], mask: &[bool]) -> Vec<Node> {
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
    pub(super) fn reach(&self, from: &[Node], mask: &[bool], towards: Reach) -> Vec<bool> {
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

    pub(super) fn plan(&self, nodes: Vec<Node>, direction: Direction) -> Plan<'_> {
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

    pub(super) fn ids(&self, nodes: &[Node]) -> Vec<&str> {
        nodes
            .iter()
            .map(|&n| self.revisions[n].id.as_str())
            .collect()
    }

    pub(super) fn sorted_ids(&self, nodes: impl Iterator<Item = Node>) -> Vec<&str> {
        let mut ids: Vec<&str> = nodes.map(|n| self.revisions[n].id.as_str()).collect();
        ids.sort();
        ids
    }
}

#[derive(Clone, Copy)]
pub(super) enum Reach {
    Ancestors,
    Descendants,
}
