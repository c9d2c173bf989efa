//! Writes a benchmark corpus to disk, for the scripts under `bench/`:
//!
//! ```text
//! cargo run --release --example gen_corpus -- linear --n 1000 --out DIR
//! cargo run --release --example gen_corpus -- graph --n 10000 --branches 100 --out DIR
//! cargo run --release --example gen_corpus -- lint --n 1000 --out DIR
//! ```
//!
//! `DIR/native/migrations/` holds the revision files; `linear` also writes
//! `DIR/raw/all.sql`, every up in order, for the `sqlite3`/`psql` floor. `DIR` is
//! replaced. The shapes are described in `benches/support/corpus.rs`.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str =
    "usage: gen_corpus (linear | graph | lint) [--n N] [--branches B] [--seed S] --out DIR
  linear: a chain of N revisions (default 1000), plus raw/all.sql
  lint:   the same chain, each revision also altering the table before it
  graph:  B diamonds in a row (default 50), N revisions in all (default 5000)";

struct Options {
    kind: String,
    n: Option<usize>,
    branches: usize,
    seed: String,
    out: PathBuf,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let kind = args.next().ok_or("no kind given")?;
    if !["linear", "graph", "lint"].contains(&kind.as_str()) {
        return Err(format!("unknown kind `{kind}`"));
    }
    let (mut n, mut branches, mut seed, mut out) = (None, 50, corpus::SEED.to_string(), None);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag} takes a whole number, not `{value}`"))
        };
        match flag.as_str() {
            "--n" => n = Some(number()?),
            "--branches" => branches = number()?,
            "--seed" => seed = value,
            "--out" => out = Some(PathBuf::from(value)),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(Options {
        kind,
        n,
        branches,
        seed,
        out: out.ok_or("--out DIR is required")?,
    })
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let linear = options.kind == "linear";
    let nodes = if linear || options.kind == "lint" {
        corpus::linear(options.n.unwrap_or(1000), &options.seed)
    } else {
        match corpus::diamonds(options.n.unwrap_or(5000), options.branches, &options.seed) {
            Ok(nodes) => nodes,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let written = if options.kind == "lint" {
        corpus::write_files(&options.out, corpus::lint_files(&nodes))
    } else {
        corpus::write(&options.out, &nodes, linear)
    };
    if let Err(e) = written {
        eprintln!("error: cannot write {}: {e}", options.out.display());
        return ExitCode::FAILURE;
    }
    println!(
        "{}: {} revisions ({})",
        options.out.display(),
        nodes.len(),
        options.kind
    );
    ExitCode::SUCCESS
}
