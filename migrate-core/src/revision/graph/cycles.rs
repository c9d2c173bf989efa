//! Finding and reporting cycles, each once, in linear time.

use std::collections::HashMap;

use super::adjacency::Adjacency;
use super::Node;
use crate::error::Error;
use crate::revision::Revision;

/// Kahn's algorithm finds whether any cycle exists in linear time; the nodes it
/// cannot order are on a cycle or downstream of one. From each, following
/// unordered predecessors must come back to a node already on the path: that
/// loop is reported, once per cycle.
pub(super) fn find_cycles(
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
