//! The revision graph against Alembic's scenarios: shapes, targets, plans, errors.

use migrate_core::revision::{parse, Revision, RevisionGraph};
use migrate_core::Error;

/// A revision file as text: `down` is `none` or comma-separated parents, `extra`
/// holds more header lines (labels, depends_on, replaces).
fn rev(id: &str, down: &str, extra: &str) -> Revision {
    let text = format!(
        "-- revision: {id}\n-- down_revision: {down}\n{extra}-- message: make {id}\n\n-- migrate:up\nCREATE TABLE t_{id} (x INT);\n\n-- migrate:down\nDROP TABLE t_{id};\n"
    );
    parse(&format!("migrations/{id}.sql"), &text).unwrap()
}

fn graph(revisions: Vec<Revision>) -> RevisionGraph {
    RevisionGraph::new(revisions).unwrap()
}

fn problems(revisions: Vec<Revision>) -> Vec<String> {
    RevisionGraph::new(revisions)
        .unwrap_err()
        .into_problems()
        .into_iter()
        .map(|e| e.to_string())
        .collect()
}

const NONE: &[&str] = &[];

fn up<'g>(g: &'g RevisionGraph, applied: &[&str], target: &str) -> Vec<&'g str> {
    g.upgrade_plan(applied, target).unwrap().ids()
}

fn down<'g>(g: &'g RevisionGraph, applied: &[&str], target: &str) -> Vec<&'g str> {
    g.downgrade_plan(applied, target).unwrap().ids()
}

fn linear() -> RevisionGraph {
    graph(vec![
        rev("a1", "none", ""),
        rev("b2", "a1", ""),
        rev("c3", "b2", ""),
        rev("d4", "c3", ""),
    ])
}

/// a -> b, a -> c, d merges b and c.
fn diamond() -> RevisionGraph {
    graph(vec![
        rev("aaaa", "none", ""),
        rev("bbbb", "aaaa", ""),
        rev("cccc", "aaaa", ""),
        rev("dddd", "bbbb, cccc", ""),
    ])
}

#[test]
fn a_linear_chain_has_one_base_one_head_and_upgrades_in_order() {
    let g = linear();
    assert_eq!(g.bases(), ["a1"]);
    assert_eq!(g.heads(), ["d4"]);
    assert!(g.branch_points().is_empty());
    assert_eq!(up(&g, NONE, "heads"), ["a1", "b2", "c3", "d4"]);
    assert_eq!(up(&g, NONE, "head"), ["a1", "b2", "c3", "d4"]);
    assert_eq!(up(&g, &["a1"], "c3"), ["b2", "c3"]);
    assert_eq!(
        down(&g, &["a1", "b2", "c3", "d4"], "base"),
        ["d4", "c3", "b2", "a1"]
    );
    assert_eq!(down(&g, &["a1", "b2", "c3", "d4"], "b2"), ["d4", "c3"]);
    let revisions: Vec<&str> = g.revisions().map(|r| r.id.as_str()).collect();
    assert_eq!(revisions, ["a1", "b2", "c3", "d4"]);
}

#[test]
fn upgrading_to_an_applied_revision_does_nothing() {
    let g = linear();
    assert!(up(&g, &["a1", "b2", "c3"], "b2").is_empty());
    assert!(up(&g, &["a1", "b2", "c3", "d4"], "heads").is_empty());
}

#[test]
fn relative_targets_walk_from_the_current_head() {
    let g = linear();
    assert_eq!(up(&g, NONE, "+1"), ["a1"]);
    assert_eq!(up(&g, &["a1"], "+2"), ["b2", "c3"]);
    assert_eq!(up(&g, NONE, "base+2"), ["a1", "b2"]);
    assert_eq!(up(&g, NONE, "b2+1"), ["a1", "b2", "c3"]);
    assert_eq!(up(&g, NONE, "head-1"), ["a1", "b2", "c3"]);
    assert_eq!(down(&g, &["a1", "b2", "c3"], "-1"), ["c3"]);
    assert_eq!(down(&g, &["a1", "b2", "c3"], "-3"), ["c3", "b2", "a1"]);
    assert_eq!(down(&g, &["a1", "b2", "c3", "d4"], "d4-2"), ["d4", "c3"]);
    let err = g.upgrade_plan(&["a1", "b2", "c3"], "+2").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Relative revision +2 didn't produce 2 migrations: d4 is a head"
    );
    let err = g.downgrade_plan(&["a1"], "-2").unwrap_err();
    assert!(
        matches!(err, Error::RelativeOutOfRange { steps: 2, .. }),
        "{err}"
    );
    let err = g.upgrade_plan(&["a1"], "-1").unwrap_err();
    assert!(matches!(err, Error::InvalidTarget { .. }), "{err}");
}

#[test]
fn a_diamond_merges_back_to_one_head() {
    let g = diamond();
    assert_eq!(g.heads(), ["dddd"]);
    assert_eq!(g.branch_points(), ["aaaa"]);
    assert_eq!(up(&g, NONE, "heads"), ["aaaa", "bbbb", "cccc", "dddd"]);
    // -1 from a merge leaves both of its parents as heads ...
    let all = ["aaaa", "bbbb", "cccc", "dddd"];
    assert_eq!(down(&g, &all, "-1"), ["dddd"]);
    assert_eq!(g.current_heads(&["aaaa", "bbbb", "cccc"]), ["bbbb", "cccc"]);
    // ... so a further -1 is ambiguous.
    let err = g
        .downgrade_plan(&["aaaa", "bbbb", "cccc"], "-1")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Ambiguous relative target '-1' from multiple current heads (bbbb, cccc); use <label>@-1 or <rev>-1"
    );
    // Downgrading to one side of the diamond removes the merge only.
    assert_eq!(down(&g, &all, "bbbb"), ["dddd"]);
    assert_eq!(down(&g, &all, "aaaa"), ["dddd", "cccc", "bbbb"]);
    // Walking up from the branch point is ambiguous.
    let err = g.upgrade_plan(&["aaaa"], "+1").unwrap_err();
    assert!(
        err.to_string()
            .contains("aaaa is a branch point with several children (bbbb, cccc)"),
        "{err}"
    );
}

#[test]
fn multiple_heads_need_heads_or_a_name() {
    let g = graph(vec![
        rev("a1", "none", ""),
        rev("b2", "a1", ""),
        rev("c3", "a1", ""),
    ]);
    assert_eq!(g.heads(), ["b2", "c3"]);
    let err = g.upgrade_plan(NONE, "head").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Multiple heads are present for given argument 'head'; b2, c3"
    );
    assert!(matches!(err, Error::MultipleHeads { ref heads, .. } if heads == &["b2", "c3"]));
    assert_eq!(up(&g, NONE, "heads"), ["a1", "b2", "c3"]);
    let err = g.check_single_head().unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Multiple heads are present: b2, c3; join them with a merge revision"),
        "{err}"
    );
    // +1 from two current heads is ambiguous.
    let err = g.upgrade_plan(&["a1", "b2", "c3"], "+1").unwrap_err();
    assert!(
        matches!(err, Error::AmbiguousRelative { ref heads, .. } if heads == &["b2", "c3"]),
        "{err}"
    );
    // Downgrading one branch leaves the other alone.
    assert_eq!(down(&g, &["a1", "b2", "c3"], "a1"), ["c3", "b2"]);
}

/// Alembic's documentation example: a trunk, then two labelled branches.
fn labelled() -> RevisionGraph {
    graph(vec![
        rev("a1", "none", ""),
        rev("b2", "a1", ""),
        rev("e1", "b2", "-- branch_labels: ebranch\n"),
        rev("e2", "e1", ""),
        rev("f1", "b2", "-- branch_labels: fbranch\n"),
        rev("f2", "f1", ""),
    ])
}

#[test]
fn branch_labels_select_their_branch() {
    let g = labelled();
    assert_eq!(up(&g, NONE, "ebranch@head"), ["a1", "b2", "e1", "e2"]);
    assert_eq!(up(&g, NONE, "fbranch"), ["a1", "b2", "f1", "f2"]);
    assert_eq!(up(&g, &["a1", "b2"], "ebranch@+1"), ["e1"]);
    assert_eq!(up(&g, &["a1", "b2", "e1", "f1"], "fbranch@+1"), ["f2"]);
    assert_eq!(up(&g, NONE, "ebranch@e1"), ["a1", "b2", "e1"]);
    let err = g.upgrade_plan(NONE, "ebranch@f1").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Revision f1 is not a member of branch 'ebranch'"
    );
    let err = g.upgrade_plan(NONE, "nobranch@head").unwrap_err();
    assert_eq!(err.to_string(), "No such branch: 'nobranch'");
    let all = ["a1", "b2", "e1", "e2", "f1", "f2"];
    assert_eq!(down(&g, &all, "ebranch@base"), ["e2", "e1"]);
    assert_eq!(down(&g, &all, "fbranch@-1"), ["f2"]);
    assert_eq!(g.labels_covering("e2"), ["ebranch"]);
    assert!(
        g.labels_covering("b2").is_empty(),
        "the branch point is shared, not labelled"
    );
    assert_eq!(g.find("ebranch").unwrap().id, "e2");
}

#[test]
fn a_label_covers_ancestors_back_to_the_branch_point() {
    let g = graph(vec![
        rev("a1", "none", ""),
        rev("b2", "a1", ""),
        rev("x1", "b2", ""),
        rev("x2", "x1", "-- branch_labels: xb\n"),
        rev("y1", "b2", ""),
    ]);
    assert_eq!(g.labels_covering("x1"), ["xb"]);
    let all = ["a1", "b2", "x1", "x2", "y1"];
    assert_eq!(down(&g, &all, "xb@base"), ["x2", "x1"]);
}

#[test]
fn several_bases_with_cross_base_depends_on() {
    let g = graph(vec![
        rev("app1", "none", "-- branch_labels: app\n"),
        rev("app2", "app1", "-- depends_on: lib1\n"),
        rev("lib1", "none", "-- branch_labels: lib\n"),
        rev("lib2", "lib1", ""),
    ]);
    assert_eq!(g.bases(), ["app1", "lib1"]);
    assert_eq!(g.heads(), ["app2", "lib2"]);
    // The dependency comes before its dependent, even from another base.
    assert_eq!(up(&g, NONE, "app@head"), ["app1", "lib1", "app2"]);
    assert_eq!(up(&g, NONE, "heads"), ["app1", "lib1", "app2", "lib2"]);
    // Reverting the dependency reverts its dependent first.
    let all = ["app1", "lib1", "app2", "lib2"];
    assert_eq!(down(&g, &all, "lib@base"), ["lib2", "app2", "lib1"]);
    // depends_on may name a label.
    let g = graph(vec![
        rev("app1", "none", "-- depends_on: lib\n"),
        rev("lib1", "none", "-- branch_labels: lib\n"),
    ]);
    assert_eq!(up(&g, NONE, "app1"), ["lib1", "app1"]);
    let err = g.upgrade_plan(NONE, "+1").unwrap_err();
    assert!(
        err.to_string()
            .contains("there are several bases (app1, lib1)"),
        "{err}"
    );
}

#[test]
fn prefixes_must_be_unique_and_four_characters_long() {
    let g = graph(vec![
        rev("abcd1111", "none", ""),
        rev("abcd2222", "abcd1111", ""),
    ]);
    assert_eq!(g.find("abcd1").unwrap().id, "abcd1111");
    let err = g.find("abcd").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Ambiguous revision prefix 'abcd'; it matches abcd1111, abcd2222; give more characters"
    );
    assert!(matches!(
        g.find("abc").unwrap_err(),
        Error::PrefixTooShort { .. }
    ));
    let err = g.upgrade_plan(NONE, "ffff").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Can't locate revision identified by 'ffff'"
    );
}

#[test]
fn downgrade_targets_must_be_applied() {
    let g = linear();
    let err = g.downgrade_plan(&["a1", "b2"], "c3").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Destination c3 is not a valid downgrade target from current head(s) (b2): it is not applied"
    );
}

#[test]
fn a_cycle_through_down_revision_is_named() {
    let found = problems(vec![
        rev("base", "none", ""),
        rev("a1", "b2", ""),
        rev("b2", "a1", ""),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("Cycle is detected in revisions (a1, b2); files: migrations/a1.sql:1, migrations/b2.sql:1"), "{found:?}");
}

#[test]
fn a_cycle_through_depends_on_is_named() {
    let found = problems(vec![
        rev("base", "none", ""),
        rev("a1", "base", "-- depends_on: b2\n"),
        rev("b2", "a1", ""),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("Cycle is detected in revisions (a1, b2)"),
        "{found:?}"
    );
}

#[test]
fn self_loops_are_reported_with_their_line() {
    let found = problems(vec![rev("a1", "a1", "")]);
    assert_eq!(
        found,
        ["migrations/a1.sql:2: revision a1 lists itself in `down_revision`; a revision cannot depend on itself"]
    );
    let found = problems(vec![rev("a1", "none", "-- depends_on: a1\n")]);
    assert_eq!(
        found,
        ["migrations/a1.sql:3: revision a1 lists itself in `depends_on`; a revision cannot depend on itself"]
    );
}

#[test]
fn missing_parents_and_dependencies_name_the_file() {
    let found = problems(vec![
        rev("a1", "none", ""),
        rev("b2", "zz99", "-- depends_on: nowhere\n"),
    ]);
    assert_eq!(
        found,
        [
            "migrations/b2.sql:2: revision b2 has down_revision zz99, which is not present; fix the id, restore the missing file, or write `none` for a base",
            "migrations/b2.sql:3: revision b2 depends on nowhere, which is neither a revision nor a branch label; fix or remove it",
        ]
    );
}

#[test]
fn duplicate_ids_name_both_files() {
    let mut second = rev("a1", "none", "");
    second.path = "migrations/sub/a1_again.sql".into();
    let found = problems(vec![rev("a1", "none", ""), second]);
    assert_eq!(
        found,
        ["migrations/sub/a1_again.sql:1: revision id a1 is already used by migrations/a1.sql:1; give one of them a new id (and update its children)"]
    );
}

#[test]
fn duplicate_labels_name_both_revisions() {
    let found = problems(vec![
        rev("a1", "none", "-- branch_labels: x\n"),
        rev("b2", "a1", "-- branch_labels: x\n"),
    ]);
    assert_eq!(
        found,
        ["migrations/b2.sql:3: branch label 'x' is already used by revision a1 (migrations/a1.sql:3); labels must be unique across the graph"]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let found = problems(vec![
        rev("a1", "missing", ""),
        rev("b2", "b2", ""),
        rev("c3", "d4", ""),
        rev("d4", "c3", ""),
    ]);
    assert_eq!(found.len(), 3, "{found:?}");
}

#[test]
fn a_squash_counts_as_applied_when_all_it_replaces_are() {
    let g = graph(vec![
        rev("s1", "none", "-- replaces: a1, b2\n"),
        rev("c3", "s1", ""),
    ]);
    let applied = g.applied_from_ledger(&["a1", "b2", "old9"]).unwrap();
    assert_eq!(applied.revisions, ["s1"]);
    assert_eq!(applied.unknown, ["old9"]);
    assert_eq!(up(&g, &["s1"], "heads"), ["c3"]);
    let err = g.applied_from_ledger(&["a1"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "revision s1 replaces a1, b2, but the database applied only some of them; missing: b2; upgrade with the original revisions first"
    );
    let found = problems(vec![
        rev("a1", "none", ""),
        rev("s1", "none", "-- replaces: a1\n"),
    ]);
    assert!(
        found[0].contains("whose file is still present at migrations/a1.sql:1"),
        "{found:?}"
    );
}

#[test]
fn history_ranges_are_inclusive_and_newest_first() {
    let g = linear();
    let ids = |range: Option<&str>, applied: &[&str]| -> Vec<String> {
        g.history(range, applied)
            .unwrap()
            .iter()
            .map(|r| r.id.clone())
            .collect()
    };
    assert_eq!(ids(None, NONE), ["d4", "c3", "b2", "a1"]);
    assert_eq!(ids(Some("b2:c3"), NONE), ["c3", "b2"]);
    assert_eq!(ids(Some("b2:"), NONE), ["d4", "c3", "b2"]);
    assert_eq!(ids(Some(":b2"), NONE), ["b2", "a1"]);
    assert_eq!(ids(Some("current:"), &["a1", "b2", "c3"]), ["d4", "c3"]);
    assert_eq!(ids(Some("-1:current"), &["a1", "b2", "c3"]), ["c3", "b2"]);
    // A lower bound at base bounds nothing.
    assert_eq!(ids(Some("base:heads"), NONE), ["d4", "c3", "b2", "a1"]);
    assert_eq!(ids(Some("base:b2"), NONE), ["b2", "a1"]);
    assert_eq!(ids(Some("current:"), NONE), ["d4", "c3", "b2", "a1"]);
    assert!(ids(Some(":current"), NONE).is_empty());
    assert!(ids(Some(":base"), NONE).is_empty());
}

#[test]
fn stamp_moves_either_way() {
    let g = linear();
    let plan = g.stamp_plan(&["a1"], "c3").unwrap();
    assert_eq!(plan.ids(), ["b2", "c3"]);
    assert_eq!(
        plan.steps[0].direction,
        migrate_core::revision::Direction::Up
    );
    let plan = g.stamp_plan(&["a1", "b2", "c3"], "a1").unwrap();
    assert_eq!(plan.ids(), ["c3", "b2"]);
    assert_eq!(
        plan.steps[0].direction,
        migrate_core::revision::Direction::Down
    );
    assert!(g.stamp_plan(&["a1"], "a1").unwrap().is_empty());
}

#[test]
fn two_revisions_replacing_one_id_is_an_error_naming_both() {
    let found = problems(vec![
        rev("s1", "none", "-- replaces: a1, x9\n"),
        rev("s2", "s1", "-- replaces: x9\n"),
    ]);
    assert_eq!(
        found,
        [
            "migrations/s2.sql:3: revision s2 replaces x9, which migrations/s1.sql:3 already \
          replaces; a revision can be replaced by only one squash: \
          remove x9 from one of the two `replaces` lines"
        ]
    );
}

/// The labels of every revision, computed once for the whole graph, match the
/// definition: a label covers its revision, its descendants, and its ancestors
/// back to the nearest branch point, merge or base.
#[test]
fn labels_covering_matches_the_definition_on_every_shape() {
    // base1 -> a1 (app) -> a2 -> bp -> (b1 (left) -> b2) | (c1 -> c2 (right))
    // merge m1 of b2, c2 -> m2 (top); lone base z1 (zed) -> z2; y1 -> y2 (why) -> y3
    let g = graph(vec![
        rev("base1", "none", ""),
        rev("a1", "base1", "-- branch_labels: app\n"),
        rev("a2", "a1", ""),
        rev("bp", "a2", ""),
        rev("b1", "bp", "-- branch_labels: left\n"),
        rev("b2", "b1", ""),
        rev("c1", "bp", ""),
        rev("c2", "c1", "-- branch_labels: right, right2\n"),
        rev("m1", "b2, c2", ""),
        rev("m2", "m1", "-- branch_labels: top\n"),
        rev("z1", "none", "-- branch_labels: zed\n"),
        rev("z2", "z1", ""),
        rev("y1", "none", ""),
        rev("y2", "y1", "-- branch_labels: why\n"),
        rev("y3", "y2", ""),
    ]);
    let expected: &[(&str, &[&str])] = &[
        ("base1", &["app"]),
        ("a1", &["app"]),
        ("a2", &["app"]),
        ("bp", &["app"]),
        ("b1", &["app", "left"]),
        ("b2", &["app", "left"]),
        ("c1", &["app", "right", "right2"]),
        ("c2", &["app", "right", "right2"]),
        ("m1", &["app", "left", "right", "right2", "top"]),
        ("m2", &["app", "left", "right", "right2", "top"]),
        ("z1", &["zed"]),
        ("z2", &["zed"]),
        ("y1", &["why"]),
        ("y2", &["why"]),
        ("y3", &["why"]),
    ];
    for (id, labels) in expected {
        assert_eq!(g.labels_covering(id), *labels, "{id}");
    }
    assert!(g.labels_covering("nope").is_empty());
}
