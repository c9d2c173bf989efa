//! The graph's edges in compressed form (one allocation for the whole graph).

use super::Node;

/// Edges in compressed form: node `n`'s targets are `targets[offsets[n]..offsets[n + 1]]`.
/// One allocation for the whole graph instead of one per node keeps construction
/// and traversal cache-friendly at 100,000 revisions.
#[derive(Debug, Clone)]
pub(super) struct Adjacency {
    offsets: Vec<usize>,
    pub(super) targets: Vec<Node>,
}

impl Adjacency {
    pub(super) fn with_capacity(nodes: usize) -> Self {
        let mut offsets = Vec::with_capacity(nodes + 1);
        offsets.push(0);
        Adjacency {
            offsets,
            targets: Vec::with_capacity(nodes),
        }
    }

    /// Closes the current node: the targets pushed since the last call are its.
    pub(super) fn end_node(&mut self) {
        self.offsets.push(self.targets.len());
    }

    pub(super) fn of(&self, node: Node) -> &[Node] {
        &self.targets[self.offsets[node]..self.offsets[node + 1]]
    }

    /// The same edges pointing the other way (a counting sort, linear time).
    pub(super) fn reversed(&self) -> Adjacency {
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
