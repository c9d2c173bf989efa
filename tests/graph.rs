//! `migrate graph` in its three formats, exact output: branches, a merge, an
//! octopus merge, a second base, branch labels, `depends_on` edges (one through a
//! label), the heads, and with a URL the database's current revisions.

mod common;

use std::path::Path;

use common::run_migrate;

/// `(id, down_revision, extra header lines, message)`.
fn write(dir: &Path, revisions: &[(&str, &str, &str, &str)]) {
    for (id, down, extra, message) in revisions {
        let text = format!(
            "-- revision: {id}\n-- down_revision: {down}\n{extra}-- message: {message}\n\n\
             -- migrate:up\nSELECT 1;\n\n-- migrate:down\nSELECT 1;\n"
        );
        std::fs::write(dir.join(format!("{id}.sql")), text).unwrap();
    }
}

/// a1 branches into b2 and c3 (labelled `audit`), which merge again at e5; f6 is a
/// second base that depends on b2, and g7 above it depends on `audit` (c3).
fn shop(dir: &Path) {
    write(
        dir,
        &[
            ("a1", "none", "", "create users"),
            ("b2", "a1", "", "add email"),
            ("c3", "a1", "-- branch_labels: audit\n", "audit log"),
            ("d4", "c3", "", "audit index"),
            ("e5", "b2, d4", "", "merge audit"),
            (
                "f6",
                "none",
                "-- branch_labels: reports\n-- depends_on: b2\n",
                "reports \"schema\"",
            ),
            ("g7", "f6", "-- depends_on: audit\n", "reports views"),
        ],
    );
}

fn graph(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["--dir", dir.to_str().unwrap(), "graph"];
    all.extend_from_slice(args);
    let (code, out, err) = run_migrate(dir, &all);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    out
}

#[test]
fn text_draws_lanes_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    shop(dir.path());
    let expected = "\
* g7 (head) (depends on: c3), reports views
* f6 (reports) (depends on: b2), reports \"schema\"

* e5 (head), merge audit
|\\
| * d4, audit index
| * c3 (audit), audit log
* | b2, add email
|/
* a1, create users
";
    assert_eq!(graph(dir.path(), &[]), expected);
    assert_eq!(graph(dir.path(), &["--format", "text"]), expected);
}

#[test]
fn text_joins_and_splits_lanes_across_others() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("a1", "none", "", "base"),
            ("b2", "a1", "", "x"),
            ("c3", "a1", "", "y"),
            ("d4", "a1", "", "z"),
            ("e5", "b2, c3, d4", "", "octopus"),
            ("f6", "e5", "", "after"),
            ("g7", "e5", "", "side"),
            ("h8", "f6, b2", "", "merge into a waiting lane"),
        ],
    );
    assert_eq!(
        graph(dir.path(), &[]),
        "\
* h8 (head), merge into a waiting lane
|\\
* | f6, after
| | * g7 (head), side
|_|/
* | e5, octopus
|\\|___
| | | * d4, z
| | * | c3, y
|/  | |
*   | | b2, x
|__/_/
* a1, base
"
    );
}

#[test]
fn dot_draws_dependencies_dashed_and_heads_doubled() {
    let dir = tempfile::tempdir().unwrap();
    shop(dir.path());
    assert_eq!(
        graph(dir.path(), &["--format", "dot"]),
        r#"digraph revisions {
  node [shape=box, fontname="monospace"];
  "a1" [label="a1\ncreate users"];
  "b2" [label="b2\nadd email"];
  "c3" [label="c3 (audit)\naudit log"];
  "d4" [label="d4\naudit index"];
  "e5" [label="e5\nmerge audit", peripheries=2];
  "f6" [label="f6 (reports)\nreports \"schema\""];
  "g7" [label="g7\nreports views", peripheries=2];
  "a1" -> "b2";
  "a1" -> "c3";
  "c3" -> "d4";
  "b2" -> "e5";
  "d4" -> "e5";
  "b2" -> "f6" [style=dashed, label="depends on"];
  "f6" -> "g7";
  "c3" -> "g7" [style=dashed, label="depends on"];
}
"#
    );
}

#[test]
fn mermaid_draws_dependencies_dotted_and_classes_heads() {
    let dir = tempfile::tempdir().unwrap();
    shop(dir.path());
    assert_eq!(
        graph(dir.path(), &["--format", "mermaid"]),
        r#"flowchart TD
  r_a1["a1: create users"]
  r_b2["b2: add email"]
  r_c3["c3 (audit): audit log"]
  r_d4["d4: audit index"]
  r_e5["e5: merge audit"]
  r_f6["f6 (reports): reports #quot;schema#quot;"]
  r_g7["g7: reports views"]
  r_a1 --> r_b2
  r_a1 --> r_c3
  r_c3 --> r_d4
  r_b2 --> r_e5
  r_d4 --> r_e5
  r_b2 -. depends on .-> r_f6
  r_f6 --> r_g7
  r_c3 -. depends on .-> r_g7
  classDef head stroke-width:3px
  classDef current fill:#cde8ff
  class r_e5,r_g7 head
"#
    );
}

#[test]
fn with_a_url_every_format_marks_the_current_revisions() {
    let dir = tempfile::tempdir().unwrap();
    shop(dir.path());
    let url = format!("sqlite://{}", dir.path().join("shop.db").display());
    // d4 on one branch, f6 on the other base.
    let (code, _, err) = run_migrate(
        dir.path(),
        &[
            "--dir",
            dir.path().to_str().unwrap(),
            "--url",
            &url,
            "upgrade",
            "d4",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run_migrate(
        dir.path(),
        &[
            "--dir",
            dir.path().to_str().unwrap(),
            "--url",
            &url,
            "upgrade",
            "f6",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let with_url = |format: &str| {
        let (code, out, err) = run_migrate(
            dir.path(),
            &[
                "--dir",
                dir.path().to_str().unwrap(),
                "--url",
                &url,
                "graph",
                "--format",
                format,
            ],
        );
        assert_eq!(code, 0, "{err}");
        out
    };
    // b2 counts too: f6 depends on it, so it was applied, and none of its
    // children was (a dependency is no parent).
    assert_eq!(
        with_url("text"),
        "\
* g7 (head) (depends on: c3), reports views
* f6 (reports) (current) (depends on: b2), reports \"schema\"

* e5 (head), merge audit
|\\
| * d4 (current), audit index
| * c3 (audit), audit log
* | b2 (current), add email
|/
* a1, create users
"
    );
    let dot = with_url("dot");
    assert!(dot
        .contains("  \"d4\" [label=\"d4\\naudit index\", style=filled, fillcolor=\"#cde8ff\"];\n"));
    assert!(dot.contains(
        "  \"f6\" [label=\"f6 (reports)\\nreports \\\"schema\\\"\", style=filled, fillcolor=\"#cde8ff\"];\n"
    ));
    assert_eq!(dot.matches("fillcolor").count(), 3);
    let mermaid = with_url("mermaid");
    assert!(mermaid.ends_with("  class r_e5,r_g7 head\n  class r_b2,r_d4,r_f6 current\n"));
    // Without a URL nothing is marked, and nothing connects.
    assert!(!graph(dir.path(), &[]).contains("(current)"));
}

#[test]
fn an_unknown_format_lists_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    shop(dir.path());
    let (code, _, err) = run_migrate(
        dir.path(),
        &[
            "--dir",
            dir.path().to_str().unwrap(),
            "graph",
            "--format",
            "svg",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid value 'svg' for '--format <FORMAT>'")
            && err.contains("[possible values: text, dot, mermaid]"),
        "{err}"
    );
}

#[test]
fn the_readme_shows_the_example_graph_as_migrate_draws_it() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bookshelf/migrations");
    assert_eq!(
        graph(&dir, &["--format", "mermaid"]),
        common::readme_snippet("mermaid", "flowchart TD")
    );
    assert_eq!(
        graph(&dir, &[]),
        common::readme_snippet("text", "(head), books get an isbn")
    );
}
