//! Issue 2's figures: parse + validate + heads + full upgrade plan over a graph of
//! 10,000 and 100,000 revisions with 100 branch/merge diamonds (target: median
//! < 20 ms and < 300 ms, growing linearly).
//!
//! The corpus is generated in memory by `support/corpus.rs` (the same files
//! `cargo run --example gen_corpus -- graph` writes). File reading is outside the
//! timed region: embedded migrations are already in memory.

// Both this bench and `examples/gen_corpus.rs` include the module, each using
// part of it.
#[allow(dead_code)]
#[path = "support/corpus.rs"]
mod corpus;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use migrate_core::revision::{file, RevisionGraph};

/// `branches` diamonds in a row, `n` revisions in all, as `(path, text)` pairs.
fn diamond_files(n: usize, branches: usize) -> Vec<(String, String)> {
    let nodes = corpus::diamonds(n, branches, corpus::SEED).expect("a valid corpus shape");
    corpus::files(&nodes)
        .into_iter()
        .map(|(name, text)| (format!("migrations/{name}"), text))
        .collect()
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

criterion_group!(benches, bench);
criterion_main!(benches);
