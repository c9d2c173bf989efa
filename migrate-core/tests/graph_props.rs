//! Property tests over random DAGs: plans are topologically valid, apply each
//! revision exactly once, do not depend on file order, and downgrading what was
//! upgraded returns to the start.

use std::collections::{BTreeSet, HashMap};

use migrate_core::revision::{parse, Revision, RevisionGraph};
use proptest::prelude::*;

/// A random DAG: for each node, its parents and dependencies (earlier nodes only).
#[derive(Debug, Clone)]
struct Dag {
    parents: Vec<Vec<usize>>,
    deps: Vec<Vec<usize>>,
}

fn id(i: usize) -> String {
    format!("r{i:03}")
}

fn dag() -> impl Strategy<Value = Dag> {
    (1usize..32).prop_flat_map(|n| {
        let node = |i: usize| {
            let earlier = i.max(1);
            (0u8..8, 0..earlier, 0..earlier, 0u8..5, 0..earlier)
        };
        (0..n).map(node).collect::<Vec<_>>().prop_map(|choices| {
            let mut parents = Vec::new();
            let mut deps = Vec::new();
            for (i, (shape, p1, p2, dep_roll, d)) in choices.into_iter().enumerate() {
                let mut ps = Vec::new();
                if i > 0 && shape != 0 {
                    ps.push(p1);
                    if shape >= 6 && p2 != p1 {
                        ps.push(p2); // a merge
                    }
                }
                let ds = if i > 0 && dep_roll == 0 && !ps.contains(&d) {
                    vec![d]
                } else {
                    vec![]
                };
                parents.push(ps);
                deps.push(ds);
            }
            Dag { parents, deps }
        })
    })
}

fn revisions(dag: &Dag) -> Vec<Revision> {
    (0..dag.parents.len())
        .map(|i| {
            let join = |v: &[usize]| v.iter().map(|&p| id(p)).collect::<Vec<_>>().join(", ");
            let down = if dag.parents[i].is_empty() { "none".to_string() } else { join(&dag.parents[i]) };
            let deps = if dag.deps[i].is_empty() { String::new() } else { format!("-- depends_on: {}\n", join(&dag.deps[i])) };
            let text = format!("-- revision: {}\n-- down_revision: {down}\n{deps}-- migrate:up\nSELECT {i};\n-- migrate:down\nSELECT -{i};\n", id(i));
            parse(&format!("m/{}.sql", id(i)), &text).unwrap()
        })
        .collect()
}

impl Dag {
    fn len(&self) -> usize {
        self.parents.len()
    }
    fn predecessors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.parents[i].iter().chain(&self.deps[i]).copied()
    }
    fn ancestors(&self, from: &[usize]) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        let mut stack = from.to_vec();
        while let Some(n) = stack.pop() {
            if out.insert(n) {
                stack.extend(self.predecessors(n));
            }
        }
        out
    }
    fn descendants(&self, of: usize) -> BTreeSet<usize> {
        let mut out = BTreeSet::from([of]);
        for i in 0..self.len() {
            if self.predecessors(i).any(|p| out.contains(&p)) {
                out.insert(i); // nodes only point backwards, so one pass suffices
            }
        }
        out
    }
}

fn index(ids: &[&str]) -> Vec<usize> {
    ids.iter().map(|s| s[1..].parse().unwrap()).collect()
}

fn names(set: &BTreeSet<usize>) -> Vec<String> {
    set.iter().map(|&i| id(i)).collect()
}

/// Applies a plan to a state, checking each step's preconditions.
fn apply(
    dag: &Dag,
    state: &mut BTreeSet<usize>,
    up: bool,
    steps: &[usize],
) -> Result<(), TestCaseError> {
    for &s in steps {
        if up {
            prop_assert!(!state.contains(&s), "{} applied twice", id(s));
            for p in dag.predecessors(s) {
                prop_assert!(
                    state.contains(&p),
                    "{} applied before its predecessor {}",
                    id(s),
                    id(p)
                );
            }
            state.insert(s);
        } else {
            prop_assert!(state.remove(&s), "{} reverted but not applied", id(s));
            for c in (0..dag.len()).filter(|&c| dag.predecessors(c).any(|p| p == s)) {
                prop_assert!(
                    !state.contains(&c),
                    "{} reverted before its dependent {}",
                    id(s),
                    id(c)
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn upgrading_to_heads_applies_everything_once_in_order(dag in dag(), seed in any::<u64>()) {
        let mut revs = revisions(&dag);
        // File order must not matter.
        let len = revs.len();
        revs.rotate_left((seed as usize) % len);
        let g = RevisionGraph::new(revs).unwrap();
        let plan = index(&g.upgrade_plan(&[] as &[&str], "heads").unwrap().ids());
        let mut state = BTreeSet::new();
        apply(&dag, &mut state, true, &plan)?;
        prop_assert_eq!(state.len(), dag.len());
        let sorted = RevisionGraph::new(revisions(&dag)).unwrap();
        prop_assert_eq!(index(&sorted.upgrade_plan(&[] as &[&str], "heads").unwrap().ids()), plan);
    }

    #[test]
    fn upgrading_to_a_revision_applies_exactly_its_ancestors(dag in dag(), pick in any::<prop::sample::Index>()) {
        let g = RevisionGraph::new(revisions(&dag)).unwrap();
        let target = pick.index(dag.len());
        let plan = index(&g.upgrade_plan(&[] as &[&str], &id(target)).unwrap().ids());
        let mut state = BTreeSet::new();
        apply(&dag, &mut state, true, &plan)?;
        prop_assert_eq!(&state, &dag.ancestors(&[target]));
        // ... and downgrading what was upgraded returns to the start.
        let applied = names(&state);
        let back = index(&g.downgrade_plan(&applied, "base").unwrap().ids());
        apply(&dag, &mut state, false, &back)?;
        prop_assert!(state.is_empty());
    }

    #[test]
    fn from_any_applied_state_upgrade_then_downgrade_round_trips(
        dag in dag(),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..4),
        back_to in any::<prop::sample::Index>(),
    ) {
        let g = RevisionGraph::new(revisions(&dag)).unwrap();
        let start = dag.ancestors(&picks.iter().map(|p| p.index(dag.len())).collect::<Vec<_>>());
        let mut state = start.clone();
        let plan = index(&g.upgrade_plan(&names(&start), "heads").unwrap().ids());
        apply(&dag, &mut state, true, &plan)?;
        prop_assert_eq!(state.len(), dag.len());
        // Downgrading to r reverts exactly r's strict descendants.
        let r = back_to.index(dag.len());
        let plan = index(&g.downgrade_plan(&names(&state), &id(r)).unwrap().ids());
        apply(&dag, &mut state, false, &plan)?;
        let mut expected: BTreeSet<usize> = (0..dag.len()).collect();
        for d in dag.descendants(r) {
            if d != r {
                expected.remove(&d);
            }
        }
        prop_assert_eq!(&state, &expected);
        // Upgrading again to heads restores everything; then base empties it.
        let plan = index(&g.upgrade_plan(&names(&state), "heads").unwrap().ids());
        apply(&dag, &mut state, true, &plan)?;
        let plan = index(&g.downgrade_plan(&names(&state), "base").unwrap().ids());
        apply(&dag, &mut state, false, &plan)?;
        prop_assert!(state.is_empty());
    }

    #[test]
    fn heads_bases_and_branch_points_match_the_definition(dag in dag()) {
        let g = RevisionGraph::new(revisions(&dag)).unwrap();
        let mut children: HashMap<usize, usize> = HashMap::new();
        for ps in &dag.parents {
            for &p in ps {
                *children.entry(p).or_default() += 1;
            }
        }
        let heads: Vec<String> = (0..dag.len()).filter(|i| !children.contains_key(i)).map(id).collect();
        let bases: Vec<String> = (0..dag.len()).filter(|&i| dag.parents[i].is_empty()).map(id).collect();
        let points: Vec<String> = (0..dag.len()).filter(|i| children.get(i).copied().unwrap_or(0) > 1).map(id).collect();
        prop_assert_eq!(g.heads(), heads);
        prop_assert_eq!(g.bases(), bases);
        prop_assert_eq!(g.branch_points(), points);
    }
}
