//! Benchmark corpora: generated revision directories of a known shape, so every
//! figure in the README can be measured again from a checkout alone.
//!
//! Revision `i` (1-based) creates table `t<i>` (zero-padded to at least four
//! digits) with one index and drops it on the way down. Its id is the first 12 hex
//! digits of SHA-256 of `"<seed>:<i>"`, so every run writes the same files.
//!
//! - [`linear`]: a chain of `n` revisions.
//! - [`diamonds`]: `branches` diamonds in a row, each a branch point, two arms of
//!   equal length and a merge whose parents are the two arm tips; one base, one
//!   head, and every revision (merges included) creates its table.
//!
//! - [`lint_files`]: the same files, but each revision after the first also adds
//!   a column and a plain index to the table before it, which `migrate lint`
//!   tracks and flags (one warning per revision).
//!
//! Used by `benches/graph.rs` in memory and by `examples/gen_corpus.rs`, which
//! writes a corpus to disk for the scripts under `bench/`.

use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The seed every bench uses.
pub const SEED: &str = "1";

/// One revision of a corpus: its position (1-based), id and parents.
#[derive(Debug, Clone)]
pub struct Node {
    /// 1-based position in topological order; names the table.
    pub index: usize,
    /// The revision id.
    pub id: String,
    /// Parent ids: none for the base, two for a merge.
    pub parents: Vec<String>,
}

/// The revision id of position `i`.
fn rev_id(seed: &str, i: usize) -> String {
    let digest = Sha256::digest(format!("{seed}:{i}").as_bytes());
    let mut hex = String::with_capacity(12);
    for byte in &digest[..6] {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// A chain of `n` revisions, parents first.
pub fn linear(n: usize, seed: &str) -> Vec<Node> {
    (1..=n)
        .map(|i| Node {
            index: i,
            id: rev_id(seed, i),
            parents: if i > 1 {
                vec![rev_id(seed, i - 1)]
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// `branches` diamonds of `n / branches` revisions each, parents first.
///
/// `n` must be `branches` times an even number of at least 4 (a branch point, a
/// merge, and two arms of at least one revision).
pub fn diamonds(n: usize, branches: usize, seed: &str) -> Result<Vec<Node>, String> {
    let size = n / branches.max(1);
    if branches == 0 || !n.is_multiple_of(branches) || size < 4 || !size.is_multiple_of(2) {
        return Err(format!(
            "--n {n} must be --branches {branches} x an even number >= 4"
        ));
    }
    let arm = (size - 2) / 2;
    let mut out: Vec<Node> = Vec::with_capacity(n);
    let add = |parents: Vec<String>, out: &mut Vec<Node>| {
        let index = out.len() + 1;
        let id = rev_id(seed, index);
        out.push(Node {
            index,
            id: id.clone(),
            parents,
        });
        id
    };
    let mut tip: Vec<String> = Vec::new();
    for _ in 0..branches {
        let point = add(tip, &mut out);
        let mut tips = Vec::with_capacity(2);
        for _ in 0..2 {
            let mut last = point.clone();
            for _ in 0..arm {
                last = add(vec![last], &mut out);
            }
            tips.push(last);
        }
        tip = vec![add(tips, &mut out)];
    }
    Ok(out)
}

/// The digits table names are padded to, for a corpus of `n` revisions.
pub fn width(n: usize) -> usize {
    n.to_string().len().max(4)
}

/// The table revision `index` creates.
pub fn table(index: usize, width: usize) -> String {
    format!("t{index:0width$}")
}

/// The up SQL of revision `index`.
pub fn up_sql(index: usize, width: usize) -> String {
    let t = table(index, width);
    format!(
        "CREATE TABLE {t} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER, created_at TIMESTAMP);\n\
         CREATE INDEX ix_{t}_name ON {t} (name);\n"
    )
}

/// The revision files of a corpus: `(file name, text)`, sorted by name as a
/// migrations directory is read.
pub fn files(nodes: &[Node]) -> Vec<(String, String)> {
    shaped_files(nodes, false)
}

/// [`files`] where revision `i > 1` also alters table `i - 1`: a new column and
/// a plain index on it, so `migrate lint` has history to track and one
/// `index-without-concurrently` warning per revision to report.
pub fn lint_files(nodes: &[Node]) -> Vec<(String, String)> {
    shaped_files(nodes, true)
}

fn shaped_files(nodes: &[Node], alters: bool) -> Vec<(String, String)> {
    let width = width(nodes.len());
    let mut files: Vec<(String, String)> = nodes
        .iter()
        .map(|node| {
            let t = table(node.index, width);
            let down = if node.parents.is_empty() {
                "none".to_string()
            } else {
                node.parents.join(", ")
            };
            let text = format!(
                "-- revision: {id}\n-- down_revision: {down}\n-- message: create table {t}\n\n\
                 -- migrate:up\n{up}\n-- migrate:down\nDROP TABLE {t};\n",
                id = node.id,
                up = if alters && node.index > 1 {
                    let before = table(node.index - 1, width);
                    format!(
                        "{}ALTER TABLE {before} ADD COLUMN note TEXT;\nCREATE INDEX ix_{before}_note ON {before} (note);\n",
                        up_sql(node.index, width)
                    )
                } else {
                    up_sql(node.index, width)
                },
            );
            (format!("{}_create_table_{t}.sql", node.id), text)
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Writes `out/native/migrations/*.sql` and, with `raw`, `out/raw/all.sql`: every
/// up in order, no transaction (for `psql -1 -f` and `sqlite3`, which the scripts
/// wrap in one), the floor that `bench/runner.sh` measures against.
pub fn write(out: &Path, nodes: &[Node], raw: bool) -> std::io::Result<()> {
    write_files(out, files(nodes))?;
    if raw {
        let width = width(nodes.len());
        let all: String = nodes.iter().map(|node| up_sql(node.index, width)).collect();
        std::fs::create_dir_all(out.join("raw"))?;
        std::fs::write(out.join("raw/all.sql"), all)?;
    }
    Ok(())
}

/// Writes `files` to `out/native/migrations/`, replacing `out`.
pub fn write_files(out: &Path, files: Vec<(String, String)>) -> std::io::Result<()> {
    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    let dir = out.join("native/migrations");
    std::fs::create_dir_all(&dir)?;
    for (name, text) in files {
        std::fs::write(dir.join(name), text)?;
    }
    Ok(())
}
