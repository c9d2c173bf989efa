//! Fuzzing the revision parser, graph validation and target resolution against a
//! simple reference, with proptest.
//!
//! Each case is a small, often broken, migrations directory (duplicate ids and
//! labels, missing parents and dependencies, self-loops, cycles, replaced
//! revisions still present or replaced twice), some lines of near-miss file
//! text, a database state and targets drawn from the whole grammar (plus
//! malformed ones). Nothing may panic, and:
//! - the parser reads back what was written, reports every broken file as an
//!   error, is deterministic and does not care about CRLF;
//! - `RevisionGraph::new` accepts exactly the directories the reference accepts,
//!   with the reference's heads, bases and branch-label coverage;
//! - every plan that resolves is executable step by step (each revision after
//!   its parents and dependencies, applied once; reverted after its
//!   dependents); `heads`, an id and a downgrade to an id give exactly the
//!   reference's state; history lists each revision once, newest first.
//!
//! CI runs 500 cases; `fuzz_100k_cases` (ignored) runs 100,000:
//! `cargo test --release -p migrate-core --test fuzz -- --ignored`.

use std::collections::{BTreeMap, BTreeSet};

use migrate_core::revision::{parse, Direction, Revision, RevisionGraph};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

// ------------------------------------------------------------------ the case

/// One revision file as the case describes it.
#[derive(Debug, Clone)]
struct Node {
    id: String,
    parents: Vec<String>,
    deps: Vec<String>,
    labels: Vec<String>,
    replaces: Vec<String>,
}

#[derive(Debug, Clone)]
struct Case {
    nodes: Vec<Node>,
    /// Picks for the applied state (closed under ancestry).
    applied: Vec<u8>,
    /// Targets as (kind, a, b).
    targets: Vec<(u8, u8, u8)>,
    /// Lines of near-miss file text for the parser alone.
    noise: Vec<(u8, String)>,
}

fn id(i: usize) -> String {
    format!("node{i:02}")
}

fn push_unique(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// Builds node `i` of `n` from eight random bytes: mostly a valid DAG (parents
/// and dependencies point to earlier nodes), sometimes each kind of mistake.
fn node(i: usize, n: usize, b: [u8; 8]) -> Node {
    let id = if i > 0 && b[0].is_multiple_of(24) {
        self::id(usize::from(b[1]) % i) // a duplicate id
    } else {
        self::id(i)
    };
    let reference = |v: u8| -> String {
        match v % 32 {
            30 => self::id(usize::from(v) % n), // anywhere: a cycle or self-loop, maybe
            31 => format!("gone{}", v % 3),     // missing
            _ if i == 0 => format!("gone{}", v % 3),
            _ => self::id(usize::from(v) % i),
        }
    };
    let mut parents = Vec::new();
    if i > 0 {
        for &v in &b[3..3 + [0, 1, 1, 2][usize::from(b[2] % 4)]] {
            push_unique(&mut parents, reference(v));
        }
    }
    let mut deps = Vec::new();
    if b[5].is_multiple_of(6) {
        let dep = if b[5].is_multiple_of(4) {
            format!("lab{}", b[6] % 3)
        } else {
            reference(b[6])
        };
        if !parents.contains(&dep) {
            deps.push(dep);
        }
    }
    let mut labels = Vec::new();
    if b[7].is_multiple_of(5) {
        labels.push(format!("lab{}", b[7] % 3));
    } else if b[7] % 37 == 1 {
        labels.push(self::id(usize::from(b[7]) % n)); // a label that is an id
    }
    let mut replaces = Vec::new();
    if b[6].is_multiple_of(7) {
        replaces.push(format!("old{}", b[4] % 3));
    } else if b[6] % 53 == 3 {
        replaces.push(self::id(usize::from(b[4]) % n)); // still present
    }
    Node {
        id,
        parents,
        deps,
        labels,
        replaces,
    }
}

fn case() -> impl Strategy<Value = Case> {
    let noise_line = (
        any::<u8>(),
        prop_oneof![
            Just(String::new()),
            "[ -~]{0,12}",
            "\\PC{0,8}",
            "(node0[0-9]|none|lab[0-2]|old[0-2]|x y|@|,)( ?, ?(node0[0-9]|none|,))?",
        ],
    );
    (1usize..10).prop_flat_map(move |n| {
        (
            prop::collection::vec(any::<[u8; 8]>(), n),
            prop::collection::vec(any::<u8>(), 0..4),
            prop::collection::vec(any::<(u8, u8, u8)>(), 1..8),
            prop::collection::vec(noise_line.clone(), 0..12),
        )
            .prop_map(move |(bytes, applied, targets, noise)| Case {
                nodes: bytes
                    .into_iter()
                    .enumerate()
                    .map(|(i, b)| node(i, n, b))
                    .collect(),
                applied,
                targets,
                noise,
            })
    })
}

fn render(i: usize, node: &Node) -> String {
    let mut text = format!("-- revision: {}\n", node.id);
    let down = if node.parents.is_empty() {
        "none".to_string()
    } else {
        node.parents.join(", ")
    };
    text.push_str(&format!("-- down_revision: {down}\n"));
    for (key, list) in [
        ("depends_on", &node.deps),
        ("branch_labels", &node.labels),
        ("replaces", &node.replaces),
    ] {
        if !list.is_empty() {
            text.push_str(&format!("-- {key}: {}\n", list.join(", ")));
        }
    }
    text.push_str(&format!(
        "-- message: step {i}\n\n-- migrate:up\nCREATE TABLE t{i} (x INT);\n\n-- migrate:down\nDROP TABLE t{i};\n"
    ));
    text
}

fn path(i: usize) -> String {
    format!("m/{i:02}.sql")
}

// ------------------------------------------------------------------ the reference

/// The graph semantics, written the obvious way over node indexes.
struct Reference<'c> {
    nodes: &'c [Node],
    index: BTreeMap<&'c str, usize>,
    labels: BTreeMap<&'c str, usize>,
}

impl<'c> Reference<'c> {
    /// The reference graph when the directory is valid, else `None`.
    fn new(nodes: &'c [Node]) -> Option<Self> {
        let mut index = BTreeMap::new();
        for (i, n) in nodes.iter().enumerate() {
            if index.insert(n.id.as_str(), i).is_some() {
                return None; // duplicate id
            }
        }
        let mut labels = BTreeMap::new();
        for (i, n) in nodes.iter().enumerate() {
            for l in &n.labels {
                if index.contains_key(l.as_str()) || labels.insert(l.as_str(), i).is_some() {
                    return None;
                }
            }
        }
        let mut replaced = BTreeSet::new();
        for n in nodes {
            for r in &n.replaces {
                if index.contains_key(r.as_str()) || !replaced.insert(r.as_str()) {
                    return None;
                }
            }
        }
        let r = Reference {
            nodes,
            index,
            labels,
        };
        for (i, n) in nodes.iter().enumerate() {
            for p in &n.parents {
                match r.index.get(p.as_str()) {
                    Some(&j) if j != i => {}
                    _ => return None, // missing or self-loop
                }
            }
            for d in &n.deps {
                match r.index.get(d.as_str()).or(r.labels.get(d.as_str())) {
                    Some(&j) if j != i => {}
                    _ => return None,
                }
            }
        }
        // Acyclic: a depth-first search finds no back edge.
        let mut colour = vec![0u8; nodes.len()];
        fn visit(r: &Reference<'_>, n: usize, colour: &mut [u8]) -> bool {
            colour[n] = 1;
            for p in r.predecessors(n) {
                if colour[p] == 1 || (colour[p] == 0 && !visit(r, p, colour)) {
                    return false;
                }
            }
            colour[n] = 2;
            true
        }
        for n in 0..nodes.len() {
            if colour[n] == 0 && !visit(&r, n, &mut colour) {
                return None;
            }
        }
        Some(r)
    }

    fn parents(&self, n: usize) -> Vec<usize> {
        self.nodes[n]
            .parents
            .iter()
            .map(|p| self.index[p.as_str()])
            .collect()
    }

    fn predecessors(&self, n: usize) -> Vec<usize> {
        let mut out = self.parents(n);
        out.extend(self.nodes[n].deps.iter().map(|d| {
            *self
                .index
                .get(d.as_str())
                .unwrap_or_else(|| &self.labels[d.as_str()])
        }));
        out
    }

    fn children(&self, n: usize) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&c| self.parents(c).contains(&n))
            .collect()
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

    /// Strict descendants through children and dependents.
    fn strict_descendants(&self, of: usize) -> BTreeSet<usize> {
        let all: Vec<usize> = (0..self.nodes.len()).collect();
        all.into_iter()
            .filter(|&n| n != of && self.ancestors(&[n]).contains(&of))
            .collect()
    }

    /// A label's members: its revision, the descendants through children, and
    /// the ancestors back to the nearest branch point, merge or base.
    fn members(&self, label: usize) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        let mut stack = vec![label];
        while let Some(n) = stack.pop() {
            if out.insert(n) {
                stack.extend(self.children(n));
            }
        }
        let mut current = label;
        while let &[parent] = self.parents(current).as_slice() {
            if self.children(parent).len() != 1 {
                break;
            }
            out.insert(parent);
            current = parent;
        }
        out
    }

    fn name(&self, n: usize) -> &str {
        &self.nodes[n].id
    }

    fn names(&self, set: &BTreeSet<usize>) -> Vec<String> {
        set.iter().map(|&n| self.nodes[n].id.clone()).collect()
    }
}

// ------------------------------------------------------------------ checks

fn check(case: &Case) -> Result<(), TestCaseError> {
    check_noise(case)?;
    let texts: Vec<(String, String)> = case
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (path(i), render(i, n)))
        .collect();
    // The parser reads back what was written.
    let mut revisions = Vec::new();
    for ((path, text), node) in texts.iter().zip(&case.nodes) {
        let rev = parse(path, text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&rev.id, &node.id);
        prop_assert_eq!(&rev.down_revisions, &node.parents);
        prop_assert_eq!(&rev.depends_on, &node.deps);
        prop_assert_eq!(&rev.branch_labels, &node.labels);
        prop_assert_eq!(&rev.replaces, &node.replaces);
        let crlf = parse(path, &text.replace('\n', "\r\n")).unwrap();
        prop_assert_eq!(&crlf, &rev);
        revisions.push(rev);
    }
    let graph = RevisionGraph::new(revisions.clone());
    let reference = Reference::new(&case.nodes);
    let (graph, reference) = match (graph, reference) {
        (Ok(g), Some(r)) => (g, r),
        (Err(e), None) => {
            for problem in e.into_problems() {
                prop_assert!(
                    problem.to_string().contains("m/"),
                    "a graph problem names no file: {}",
                    problem
                );
            }
            return Ok(());
        }
        (Ok(_), None) => return Err(TestCaseError::fail("accepted an invalid graph")),
        (Err(e), Some(_)) => return Err(TestCaseError::fail(format!("rejected: {e}"))),
    };
    // File order does not matter.
    let mut reversed = revisions;
    reversed.reverse();
    let again = RevisionGraph::new(reversed).unwrap();
    prop_assert_eq!(
        again.upgrade_plan(&[] as &[&str], "heads").unwrap().ids(),
        graph.upgrade_plan(&[] as &[&str], "heads").unwrap().ids()
    );
    check_shape(&graph, &reference)?;
    let all: BTreeSet<usize> = (0..case.nodes.len()).collect();
    let picks: Vec<usize> = case
        .applied
        .iter()
        .map(|&p| usize::from(p) % case.nodes.len())
        .collect();
    let state = reference.ancestors(&picks);
    let applied = reference.names(&state);
    let run = |up: bool, plan: &[&str]| -> Result<BTreeSet<usize>, TestCaseError> {
        let steps: Vec<usize> = plan.iter().map(|s| reference.index[s]).collect();
        execute(&reference, &state, up, &steps)
    };
    // Plans with a reference answer.
    let plan = graph.upgrade_plan(&applied, "heads").unwrap();
    prop_assert_eq!(run(true, &plan.ids())?, all.clone());
    for t in 0..case.nodes.len() {
        let plan = graph.upgrade_plan(&applied, reference.name(t)).unwrap();
        let mut expected = state.clone();
        expected.extend(reference.ancestors(&[t]));
        prop_assert_eq!(run(true, &plan.ids())?, expected);
        match graph.downgrade_plan(&applied, reference.name(t)) {
            Ok(plan) => {
                prop_assert!(state.contains(&t));
                let expected: BTreeSet<usize> = state
                    .difference(&reference.strict_descendants(t))
                    .copied()
                    .collect();
                prop_assert_eq!(run(false, &plan.ids())?, expected);
            }
            Err(e) => prop_assert!(!state.contains(&t), "{}", e),
        }
    }
    prop_assert!(run(
        false,
        &graph.downgrade_plan(&applied, "base").unwrap().ids()
    )?
    .is_empty());
    // Any target from the grammar, or a malformed one: no panic, and what
    // resolves is executable.
    for &(kind, a, b) in &case.targets {
        let target = target_text(&reference, kind, a, b);
        if let Ok(plan) = graph.upgrade_plan(&applied, &target) {
            prop_assert!(plan.steps.iter().all(|s| s.direction == Direction::Up));
            run(true, &plan.ids())?;
        }
        if let Ok(plan) = graph.downgrade_plan(&applied, &target) {
            prop_assert!(plan.steps.iter().all(|s| s.direction == Direction::Down));
            run(false, &plan.ids())?;
        }
        if let Ok(plan) = graph.stamp_plan(&applied, &target) {
            let up = plan
                .steps
                .first()
                .is_none_or(|s| s.direction == Direction::Up);
            run(up, &plan.ids())?;
        }
        let other = target_text(&reference, b, a, kind);
        for range in [
            target.clone(),
            format!("{target}:{other}"),
            format!(":{target}"),
            format!("{target}:"),
            "current:".to_string(),
            ":current".to_string(),
        ] {
            if let Ok(listed) = graph.history(Some(&range), &applied) {
                check_history(&reference, &listed)?;
            }
        }
    }
    Ok(())
}

/// Heads, bases and label coverage against the reference.
fn check_shape(graph: &RevisionGraph, r: &Reference<'_>) -> Result<(), TestCaseError> {
    let n = r.nodes.len();
    let sorted = |set: Vec<usize>| -> Vec<String> {
        let mut names: Vec<String> = set.into_iter().map(|i| r.name(i).to_string()).collect();
        names.sort();
        names
    };
    prop_assert_eq!(
        graph.heads(),
        sorted((0..n).filter(|&i| r.children(i).is_empty()).collect())
    );
    prop_assert_eq!(
        graph.bases(),
        sorted((0..n).filter(|&i| r.parents(i).is_empty()).collect())
    );
    let members: Vec<(&str, BTreeSet<usize>)> = r
        .labels
        .iter()
        .map(|(&label, &node)| (label, r.members(node)))
        .collect();
    for i in 0..n {
        let expected: Vec<&str> = members
            .iter()
            .filter(|(_, m)| m.contains(&i))
            .map(|(label, _)| *label)
            .collect();
        prop_assert_eq!(graph.labels_covering(r.name(i)), expected, "{}", r.name(i));
    }
    Ok(())
}

/// Runs a plan on the reference state, checking each step's preconditions.
fn execute(
    r: &Reference<'_>,
    start: &BTreeSet<usize>,
    up: bool,
    steps: &[usize],
) -> Result<BTreeSet<usize>, TestCaseError> {
    let mut state = start.clone();
    for &s in steps {
        if up {
            prop_assert!(state.insert(s), "{} applied twice", r.name(s));
            for p in r.predecessors(s) {
                prop_assert!(state.contains(&p), "{} before {}", r.name(s), r.name(p));
            }
        } else {
            prop_assert!(state.remove(&s), "{} reverted, not applied", r.name(s));
            for c in (0..r.nodes.len()).filter(|&c| r.predecessors(c).contains(&s)) {
                prop_assert!(!state.contains(&c), "{} before {}", r.name(s), r.name(c));
            }
        }
    }
    Ok(state)
}

/// Each revision once, and each after (newer than) everything it descends from.
fn check_history(r: &Reference<'_>, listed: &[&Revision]) -> Result<(), TestCaseError> {
    let positions: Vec<usize> = listed.iter().map(|rev| r.index[rev.id.as_str()]).collect();
    let unique: BTreeSet<usize> = positions.iter().copied().collect();
    prop_assert_eq!(unique.len(), positions.len(), "a revision listed twice");
    for (k, &n) in positions.iter().enumerate() {
        for &newer in &positions[..k] {
            prop_assert!(
                !r.ancestors(&[n]).contains(&newer),
                "{} listed before its descendant {}",
                r.name(newer),
                r.name(n)
            );
        }
    }
    Ok(())
}

/// A target string: every form of the grammar, and some malformed ones.
fn target_text(r: &Reference<'_>, kind: u8, a: u8, b: u8) -> String {
    let n = r.nodes.len();
    let rev = r.name(usize::from(a) % n).to_string();
    let label = format!("lab{}", a % 3);
    let steps = b % 4;
    match kind % 18 {
        0 => "heads".to_string(),
        1 => "head".to_string(),
        2 => "base".to_string(),
        3 => rev,
        4 => rev[..3 + usize::from(b) % (rev.len() - 2)].to_string(), // a prefix, maybe too short
        5 => format!("+{steps}"),
        6 => format!("-{steps}"),
        7 => format!("{rev}+{steps}"),
        8 => format!("{rev}-{steps}"),
        9 => format!("{label}@head"),
        10 => format!("{label}@base"),
        11 => format!("{label}@+{steps}"),
        12 => format!("{label}@-{steps}"),
        13 => format!("{label}@{rev}"),
        14 => format!("base+{steps}"),
        15 => format!("head-{steps}"),
        16 => label,
        _ => [
            "",
            " ",
            "a:b",
            "@",
            "x@",
            "+",
            "+99999999999999999999",
            "node@@",
            "-0",
            "héad",
        ][usize::from(b) % 10]
            .to_string(),
    }
}

/// Near-miss file text: the parser returns, deterministically, and whatever it
/// accepts has an up section and a valid id.
fn check_noise(case: &Case) -> Result<(), TestCaseError> {
    if case.noise.is_empty() {
        return Ok(());
    }
    const PREFIXES: [&str; 14] = [
        "-- revision: ",
        "-- down_revision: ",
        "-- depends_on: ",
        "-- branch_labels: ",
        "-- replaces: ",
        "-- message: ",
        "-- migrate:up",
        "-- migrate:down",
        "-- migrate:up postgres",
        "-- migrate:down sqlite transaction:false",
        "-- migrate:",
        "--",
        "-- revison: ",
        "",
    ];
    let mut text = String::new();
    for (i, (kind, tail)) in case.noise.iter().enumerate() {
        text.push_str(PREFIXES[usize::from(*kind) % PREFIXES.len()]);
        text.push_str(tail);
        text.push_str(if kind.is_multiple_of(5) && i.is_multiple_of(2) {
            "\r\n"
        } else {
            "\n"
        });
    }
    let first = parse("noise.sql", &text);
    let second = parse("noise.sql", &text);
    match (&first, &second) {
        (Ok(a), Ok(b)) => {
            prop_assert_eq!(a, b);
            prop_assert!(a.sections.iter().any(|s| s.direction == Direction::Up));
            prop_assert!(migrate_core::revision::file::is_valid_id(&a.id));
        }
        (Err(a), Err(b)) => {
            prop_assert_eq!(a.to_string(), b.to_string());
            for problem in a.to_string().lines().filter(|l| !l.contains("problem(s)")) {
                prop_assert!(
                    problem.trim_start().starts_with("noise.sql:"),
                    "{}",
                    problem
                );
            }
        }
        _ => return Err(TestCaseError::fail("parse is not deterministic")),
    }
    Ok(())
}

// ------------------------------------------------------------------ runs

fn run(cases: u32) {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new(config)
        .run(&case(), |case| check(&case))
        .unwrap();
}

#[test]
fn fuzz_500_cases() {
    run(500);
}

#[test]
#[ignore = "100,000 cases: run with --release -- --ignored"]
fn fuzz_100k_cases() {
    run(100_000);
}
