//! The revision graph at scale, on corpora generated here (file reading is outside
//! the timed region: embedded migrations are already in memory).
//!
//! - `graph/`: parse + validate + heads + full upgrade plan over 10,000 and
//!   100,000 revisions with 100 branch/merge diamonds (target: median < 20 ms
//!   and < 300 ms, growing linearly).
//! - `history/`: the whole `migrate history` command (parse, validate, and one
//!   line per revision with its labels) over 2,000 and 20,000 revisions in 10
//!   diamonds whose 20 arms carry branch labels; it must grow linearly with the
//!   revisions, not with revisions times labels.
//!
//! - `draw/`: the whole `migrate graph --format text|dot|mermaid` command over
//!   10,000 revisions (the `history/` shape, with a `depends_on` every 100
//!   revisions); target: median < 100 ms for every format.
//!
//! The `graph/` corpus is generated in memory by `support/corpus.rs` (the same files
//! `cargo run --example gen_corpus -- graph` writes); `history/` adds labels to the
//! same shape here.

// Both this bench and `examples/gen_corpus.rs` include the module, each using
// part of it.
#[allow(dead_code)]
#[path = "support/corpus.rs"]
mod corpus;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use migrate_core::cli::{run_from, Source};
use migrate_core::revision::{file, EmbeddedFile, EmbeddedMigrations, RevisionGraph};

/// `branches` diamonds in a row, `n` revisions in all, as `(path, text)` pairs.
fn diamond_files(n: usize, branches: usize) -> Vec<(String, String)> {
    let nodes = corpus::diamonds(n, branches, corpus::SEED).expect("a valid corpus shape");
    corpus::files(&nodes)
        .into_iter()
        .map(|(name, text)| (format!("migrations/{name}"), text))
        .collect()
}

/// `branches` diamonds in a row: a branch point, two arms, and a merge. With
/// `labels`, each arm's first revision carries a branch label.
fn labelled_diamonds(n: usize, branches: usize, labels: bool) -> Vec<(String, String)> {
    let arm = (n / branches - 2) / 2;
    let mut out = Vec::with_capacity(n);
    let mut tip: Vec<String> = Vec::new();
    let add = |parents: &[String], label: Option<String>, out: &mut Vec<(String, String)>| {
        let i = out.len() + 1;
        let id = format!("{i:012x}");
        let down = if parents.is_empty() {
            "none".to_string()
        } else {
            parents.join(", ")
        };
        let label = label.map_or(String::new(), |l| format!("-- branch_labels: {l}\n"));
        let text = format!(
            "-- revision: {id}\n-- down_revision: {down}\n{label}-- message: create table t{i}\n\n-- migrate:up\n\
             CREATE TABLE t{i} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER, created_at TIMESTAMP);\n\
             CREATE INDEX ix_t{i}_name ON t{i} (name);\n\n-- migrate:down\nDROP TABLE t{i};\n"
        );
        out.push((format!("m/{id}.sql"), text));
        id
    };
    for diamond in 0..branches {
        let point = add(&tip, None, &mut out);
        let mut tips = Vec::new();
        for side in 0..2 {
            let mut last = point.clone();
            for step in 0..arm {
                let label = (labels && step == 0).then(|| format!("arm{diamond}_{side}"));
                last = add(&[last], label, &mut out);
            }
            tips.push(last);
        }
        tip = vec![add(&tips, None, &mut out)];
    }
    out
}

/// Returns the graph so its drop stays outside the timed region: a service, build
/// script or macro keeps its graph until the process exits.
fn parse_validate_plan(files: &[(String, String)]) -> (usize, RevisionGraph) {
    let revisions = file::parse_many(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
        .expect("valid corpus");
    let graph = RevisionGraph::new(revisions).expect("valid graph");
    assert_eq!(graph.heads().len(), 1);
    let steps = graph
        .upgrade_plan(&[] as &[&str], "heads")
        .expect("plan")
        .steps
        .len();
    (steps, graph)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("graph");
    group.sample_size(20);
    for n in [10_000usize, 100_000] {
        let files = diamond_files(n, 100);
        assert_eq!(parse_validate_plan(&files).0, n);
        group.bench_function(format!("parse+validate+heads+plan/{n}"), |b| {
            b.iter_with_large_drop(|| parse_validate_plan(&files))
        });
        let revisions =
            file::parse_many(files.iter().map(|(p, t)| (p.as_str(), t.as_str()))).unwrap();
        group.bench_function(format!("validate+heads+plan/{n}"), |b| {
            b.iter_batched(
                || revisions.clone(),
                |revs| {
                    let g = RevisionGraph::new(revs).unwrap();
                    let steps = g.upgrade_plan(&[] as &[&str], "heads").unwrap().steps.len();
                    (steps, g)
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

/// `migrate history` over embedded migrations, as a runner binary runs it.
fn history(migrations: EmbeddedMigrations) -> Vec<u8> {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = run_from(
        ["migrate", "history"],
        Source::Embedded(migrations),
        &mut out,
        &mut err,
    );
    assert_eq!(
        code,
        std::process::ExitCode::SUCCESS,
        "{}",
        String::from_utf8_lossy(&err)
    );
    out
}

fn bench_history(c: &mut Criterion) {
    let mut group = c.benchmark_group("history");
    group.sample_size(10);
    for n in [2_000usize, 20_000] {
        let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
        let files: Vec<EmbeddedFile> = labelled_diamonds(n, 10, true)
            .into_iter()
            .map(|(path, contents)| EmbeddedFile {
                path: leak(path),
                contents: leak(contents),
            })
            .collect();
        // No source directory: nothing on disk to compare with.
        let migrations = EmbeddedMigrations {
            source_dir: "",
            files: Box::leak(files.into_boxed_slice()),
        };
        let out = String::from_utf8(history(migrations)).unwrap();
        assert_eq!(out.lines().count(), n);
        assert!(
            out.contains("arm9_1) (head) (mergepoint), create table"),
            "labels shown"
        );
        group.bench_function(format!("{n}"), |b| {
            b.iter_with_large_drop(|| history(migrations))
        });
    }
    group.finish();
}

/// `migrate graph --format <format>` over embedded migrations.
fn draw(migrations: EmbeddedMigrations, format: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = run_from(
        ["migrate", "graph", "--format", format],
        Source::Embedded(migrations),
        &mut out,
        &mut err,
    );
    assert_eq!(
        code,
        std::process::ExitCode::SUCCESS,
        "{}",
        String::from_utf8_lossy(&err)
    );
    out
}

fn bench_draw(c: &mut Criterion) {
    let mut group = c.benchmark_group("draw");
    group.sample_size(10);
    let n = 10_000;
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let mut ids = Vec::new();
    let files: Vec<EmbeddedFile> = labelled_diamonds(n, 10, true)
        .into_iter()
        .enumerate()
        .map(|(i, (path, mut contents))| {
            // Every 100th revision also depends on one 50 revisions older.
            if i >= 50 && i % 100 == 0 {
                let at = contents.find("-- message").unwrap();
                contents.insert_str(at, &format!("-- depends_on: {}\n", ids[i - 50]));
            }
            ids.push(
                path.trim_start_matches("m/")
                    .trim_end_matches(".sql")
                    .to_string(),
            );
            EmbeddedFile {
                path: leak(path),
                contents: leak(contents),
            }
        })
        .collect();
    let migrations = EmbeddedMigrations {
        source_dir: "",
        files: Box::leak(files.into_boxed_slice()),
    };
    for format in ["text", "dot", "mermaid"] {
        let out = String::from_utf8(draw(migrations, format)).unwrap();
        assert!(out.contains("depends on"), "{format}: dependencies drawn");
        group.bench_function(format!("{format}/{n}"), |b| {
            b.iter_with_large_drop(|| draw(migrations, format))
        });
    }
    group.finish();
}

criterion_group!(benches, bench, bench_history, bench_draw);
criterion_main!(benches);
