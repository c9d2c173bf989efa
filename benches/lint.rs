//! `migrate lint` at scale: 1,000 revisions in a chain, each creating a table
//! with an index and altering the table before it (a column, and an index that
//! `index-without-concurrently` flags), so the schema is tracked through the
//! whole history and 999 findings are reported. Target: < 1 s.
//!
//! - `lint/graph`: [`migrate_core::lint::lint`] over a graph already in memory.
//! - `lint/command`: the whole `migrate lint --json` command on a directory on
//!   disk: listing, reading, parsing, validating, linting and printing.
//!
//! What linting adds to a `cargo build` is measured by `bench/lint_build_time.sh`.

// Both this bench and `examples/gen_corpus.rs` include the module, each using
// part of it.
#[allow(dead_code)]
#[path = "support/corpus.rs"]
mod corpus;

use std::process::ExitCode;

use criterion::{criterion_group, criterion_main, Criterion};
use migrate_core::cli::{run_from, Source};
use migrate_core::lint::{lint, Options};
use migrate_core::revision::{file, RevisionGraph};

const N: usize = 1000;

fn bench_lint(c: &mut Criterion) {
    let nodes = corpus::linear(N, corpus::SEED);
    let files: Vec<(String, String)> = corpus::lint_files(&nodes)
        .into_iter()
        .map(|(name, text)| (format!("migrations/{name}"), text))
        .collect();
    let revisions = file::parse_many(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
        .expect("a valid corpus");
    let graph = RevisionGraph::new(revisions).expect("a valid graph");
    let findings = lint(&graph, &Options::default()).expect("lint");
    assert_eq!(
        findings.len(),
        N - 1,
        "one index warning per altering revision"
    );

    let tmp = tempfile::tempdir().expect("a temp dir");
    let dir = tmp.path().join("corpus");
    corpus::write_files(&dir, corpus::lint_files(&nodes)).expect("write the corpus");
    let migrations = dir.join("native/migrations");

    let mut group = c.benchmark_group("lint");
    group.sample_size(20);
    group.bench_function(format!("graph/{N}"), |b| {
        b.iter(|| lint(&graph, &Options::default()).expect("lint"))
    });
    group.bench_function(format!("command/{N}"), |b| {
        b.iter(|| {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let code = run_from(
                ["migrate", "lint", "--json"],
                Source::Directory(migrations.clone()),
                &mut out,
                &mut err,
            );
            assert_eq!(code, ExitCode::FAILURE, "{}", String::from_utf8_lossy(&err));
            out
        })
    });
    group.finish();
}

criterion_group!(benches, bench_lint);
criterion_main!(benches);
