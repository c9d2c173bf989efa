//! Issue 2's figures: parse + validate + heads + full upgrade plan over a graph of
//! 10,000 and 100,000 revisions with 100 branch/merge diamonds (target: median
//! < 20 ms and < 300 ms, growing linearly).
//!
//! The corpus comes from `../shared/bench/gen_corpus.py graph` when python3 and
//! shared/ are there (cached under `target/bench-corpus/`); otherwise the same
//! shape is generated here. File reading is outside the timed region: embedded
//! migrations are already in memory.

use std::path::Path;
use std::process::Command;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use migrate::revision::{file, source, RevisionGraph};

fn corpus(n: usize, branches: usize) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join(format!("target/bench-corpus/graph-{n}-{branches}"));
    let dir = out.join("native/migrations");
    if !dir.is_dir() {
        let script = root.join("../shared/bench/gen_corpus.py");
        let generated = script.is_file()
            && Command::new("python3")
                .arg(&script)
                .args([
                    "graph",
                    "--n",
                    &n.to_string(),
                    "--branches",
                    &branches.to_string(),
                    "--out",
                ])
                .arg(&out)
                .status()
                .is_ok_and(|s| s.success());
        if !generated {
            eprintln!("note: gen_corpus.py unavailable; generating the same shape in-process");
            return in_process(n, branches);
        }
    }
    let files = source::list_sql_files(&dir).expect("corpus directory");
    files
        .iter()
        .map(|f| {
            (
                f.display_path.clone(),
                source::read_source(f).expect("corpus file"),
            )
        })
        .collect()
}

/// `branches` diamonds in a row: a branch point, two arms, and a merge.
fn in_process(n: usize, branches: usize) -> Vec<(String, String)> {
    let arm = (n / branches - 2) / 2;
    let mut out = Vec::with_capacity(n);
    let mut tip: Vec<String> = Vec::new();
    let add = |parents: &[String], out: &mut Vec<(String, String)>| {
        let i = out.len() + 1;
        let id = format!("{i:012x}");
        let down = if parents.is_empty() {
            "none".to_string()
        } else {
            parents.join(", ")
        };
        let text = format!(
            "-- revision: {id}\n-- down_revision: {down}\n-- message: create table t{i}\n\n-- migrate:up\n\
             CREATE TABLE t{i} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER, created_at TIMESTAMP);\n\
             CREATE INDEX ix_t{i}_name ON t{i} (name);\n\n-- migrate:down\nDROP TABLE t{i};\n"
        );
        out.push((format!("m/{id}.sql"), text));
        id
    };
    for _ in 0..branches {
        let point = add(&tip, &mut out);
        let mut tips = Vec::new();
        for _ in 0..2 {
            let mut last = point.clone();
            for _ in 0..arm {
                last = add(&[last], &mut out);
            }
            tips.push(last);
        }
        tip = vec![add(&tips, &mut out)];
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
        let files = corpus(n, 100);
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

criterion_group!(benches, bench);
criterion_main!(benches);
