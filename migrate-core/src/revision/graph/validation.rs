//! Building the graph's indexes from parsed revisions, collecting every problem
//! rather than stopping at the first: duplicate ids and labels, missing parents
//! and dependencies, self-loops, and replaced revisions that are still present.

use rustc_hash::FxHashMap;

use super::adjacency::Adjacency;
use super::Node;
use crate::error::Error;
use crate::revision::Revision;

/// The id index, and which nodes repeat an earlier id.
pub(super) fn index_ids(
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

pub(super) fn index_labels(
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
pub(super) enum EdgeKind {
    Parent,
    Dependency,
}

pub(super) fn resolve_edges(
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

pub(super) fn index_replaces(
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
