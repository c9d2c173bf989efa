//! Proptest strategies for graphs, targets, steps and whole cases.

use proptest::prelude::*;

use crate::graph::*;
use crate::model::*;

/// A section; a non-empty one is drawn as `Marker` and takes the revision's
/// content in `rev_strategy`, so that a down undoes what its up did.
pub(crate) fn sec_strategy() -> impl Strategy<Value = Sec> {
    let kind = prop_oneof![1 => Just(Kind::Empty), 9 => Just(Kind::Marker)];
    let transactional = prop_oneof![3 => Just(true), 1 => Just(false)];
    let fail = proptest::option::weighted(0.2, 0u8..3);
    (transactional, kind, fail).prop_map(|(transactional, kind, fail)| Sec {
        transactional,
        kind,
        fail: fail.filter(|_| kind != Kind::Empty),
    })
}

pub(crate) fn body_strategy(up: bool) -> impl Strategy<Value = Body> {
    let maybe = prop_oneof![12 => sec_strategy().prop_map(Some), 1 => Just(None)];
    let empty = |transactional| Sec {
        transactional,
        kind: Kind::Empty,
        fail: None,
    };
    let shared = if up {
        sec_strategy().prop_map(|s| Body::Shared(Some(s))).boxed()
    } else {
        prop_oneof![
            8 => sec_strategy().prop_map(|s| Body::Shared(Some(s))),
            1 => Just(Body::Shared(None)),
            // An empty down: irreversible, unless the up is empty too.
            1 => any::<bool>().prop_map(move |t| Body::Shared(Some(empty(t)))),
        ]
        .boxed()
    };
    // Per-dialect downs where one dialect's is empty: irreversible there only.
    let one_empty =
        (0..Dialect::ALL.len(), sec_strategy(), sec_strategy()).prop_map(move |(at, a, b)| {
            let mut secs = [Some(a), Some(b), Some(b)];
            secs[at] = Some(empty(true));
            Body::PerDialect(secs)
        });
    prop_oneof![
        8 => shared,
        if up { 0 } else { 1 } => one_empty,
        2 => [maybe.clone(), maybe.clone(), maybe].prop_map(move |secs| {
            if secs.iter().any(Option::is_some) {
                Body::PerDialect(secs)
            } else if up {
                // Every revision has an up section.
                Body::Shared(Some(Sec {
                    transactional: true,
                    kind: Kind::Marker,
                    fail: None,
                }))
            } else {
                Body::Shared(None)
            }
        }),
    ]
}

impl Body {
    /// Non-empty sections do `content`.
    pub(crate) fn with_content(self, content: Kind) -> Body {
        let set = |sec: Option<Sec>| {
            sec.map(|s| Sec {
                kind: if s.kind == Kind::Empty {
                    Kind::Empty
                } else {
                    content
                },
                ..s
            })
        };
        match self {
            Body::Shared(s) => Body::Shared(set(s)),
            Body::PerDialect(secs) => Body::PerDialect(secs.map(set)),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct RevSpec {
    /// 0: a base, 1..=6: one parent, 7: a merge (when there are two earlier revisions).
    pub(crate) shape: u8,
    pub(crate) p1: usize,
    pub(crate) p2: usize,
    pub(crate) dep: Option<usize>,
    pub(crate) label: bool,
    pub(crate) up: Body,
    pub(crate) down: Body,
}

pub(crate) fn rev_strategy() -> impl Strategy<Value = RevSpec> {
    (
        0u8..8,
        any::<usize>(),
        any::<usize>(),
        proptest::option::weighted(0.2, any::<usize>()),
        proptest::bool::weighted(0.3),
        body_strategy(true),
        body_strategy(false),
        // A table (DDL), a row (DML: in a transaction even on MySQL), or both:
        // most often both, since a row inserted before a failing statement of
        // a section with DDL is where MySQL's statement-by-statement run shows
        // (the row stays) and a runner that wraps it in a transaction does not.
        prop_oneof![3 => Just(Kind::Marker), 3 => Just(Kind::Row), 4 => Just(Kind::Both)],
    )
        .prop_map(|(shape, p1, p2, dep, label, up, down, content)| RevSpec {
            shape,
            p1,
            p2,
            dep,
            label,
            up: up.with_content(content),
            down: down.with_content(content),
        })
}

pub(crate) fn build_graph(specs: &[RevSpec]) -> Graph {
    let mut revs = Vec::new();
    for (i, s) in specs.iter().enumerate() {
        let mut parents = Vec::new();
        if i > 0 && s.shape > 0 {
            // Mostly a chain, with branches off earlier revisions.
            let a = if s.p1 % 5 < 3 { i - 1 } else { s.p1 % i };
            parents.push(a);
            if s.shape == 7 && i > 1 {
                let b = s.p2 % i;
                let b = if b == a { (a + 1) % i } else { b };
                parents.push(b);
                parents.sort();
            }
        }
        let deps = match s.dep {
            Some(d) if i > 0 && !parents.contains(&(d % i)) => vec![d % i],
            _ => Vec::new(),
        };
        revs.push(Rev {
            id: format!("rev{i:02}x"),
            parents,
            deps,
            label: s.label.then(|| format!("lab{i}")),
            up: s.up,
            down: s.down,
        });
    }
    Graph::new(revs)
}

/// Targets from the whole grammar; `dir` weights them towards the ones that
/// make sense for the command, so that most commands do something.
pub(crate) fn target_strategy(dir: Option<Dir>) -> impl Strategy<Value = T> {
    let idx = 0usize..16;
    let (up, down) = match dir {
        Some(Dir::Up) => (4, 1),
        Some(Dir::Down) => (1, 4),
        None => (2, 2),
    };
    let steps =
        prop_oneof![up => 1i64..=2, down => -2i64..=-1, 1 => prop_oneof![Just(3i64), Just(-3i64)]];
    prop_oneof![
        up * 2 => Just(T::Heads),
        1 => Just(T::Head),
        down * 2 => Just(T::Base),
        6 => idx.clone().prop_map(T::Id),
        1 => idx.clone().prop_map(T::Prefix),
        1 => prop_oneof![Just(T::AmbiguousPrefix), Just(T::TooShort), Just(T::Unknown)],
        1 => idx.clone().prop_map(T::Label),
        1 => idx.clone().prop_map(T::LabelHead),
        down => idx.clone().prop_map(T::LabelBase),
        1 => (idx.clone(), idx.clone()).prop_map(|(l, i)| T::LabelRev(l, i)),
        4 => steps.clone().prop_map(T::Rel),
        1 => (idx.clone(), steps.clone()).prop_map(|(i, s)| T::IdRel(i, s)),
        up => (1i64..=3).prop_map(T::BaseRel),
        down => steps.clone().prop_map(T::HeadRel),
        2 => (idx, steps).prop_map(|(l, s)| T::LabelRel(l, s)),
    ]
}

pub(crate) fn step_strategy() -> impl Strategy<Value = Step> {
    let cmd = prop_oneof![
        4 => target_strategy(Some(Dir::Up)).prop_map(Cmd::Upgrade),
        3 => target_strategy(Some(Dir::Down)).prop_map(Cmd::Downgrade),
        2 => (target_strategy(None), proptest::bool::weighted(0.3)).prop_map(|(t, p)| Cmd::Stamp(t, p)),
    ];
    let via = prop_oneof![2 => Just(Via::Cli), 2 => Just(Via::Library), 1 => Just(Via::Sql)];
    (cmd, via, any::<bool>(), any::<bool>()).prop_map(
        |(cmd, via, per_migration, from_as_prefix)| Step {
            cmd,
            via,
            per_migration,
            from_as_prefix,
        },
    )
}

#[derive(Debug, Clone)]
pub(crate) struct Case {
    pub(crate) revs: Vec<RevSpec>,
    pub(crate) steps: Vec<Step>,
}

pub(crate) fn case_strategy() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(rev_strategy(), 2..9),
        proptest::collection::vec(step_strategy(), 3..10),
    )
        .prop_map(|(revs, steps)| Case { revs, steps })
}
