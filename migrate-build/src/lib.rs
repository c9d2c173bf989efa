//! Build-script helper for `migrate`: validates the revision chain so that
//! `cargo build` fails on a broken one, and makes cargo rebuild the crate when a
//! revision file is added, edited or removed.
//!
//! ```no_run
//! // In build.rs's `fn main()`:
//! migrate_build::Migrations::new("migrations").run();
//! ```
//!
//! Every problem is reported at once, each as `path:line: what is wrong; the fix`:
//! malformed files, cycles, missing parents, duplicate ids and labels, and (unless
//! [`Migrations::allow_multiple_heads`]) a second head.
//!
//! A second head fails the build, and with it the project's own runner, which is
//! what writes the merge. `MIGRATE_ALLOW_MULTIPLE_HEADS=1` turns it into a warning
//! for one build, here and in `embed_migrations!`:
//! `MIGRATE_ALLOW_MULTIPLE_HEADS=1 cargo run --bin migrate -- merge heads -m "merge"`.
//!
//! Why the directory matters: `embed_migrations!` embeds each file with
//! `include_str!`, which makes cargo watch the files that exist, but not the
//! directory. Without `cargo:rerun-if-changed=<dir>` a *new* revision file would not
//! rebuild the crate (the bug sqlx#681, diesel#3119 and refinery#309 users hit).

#![warn(missing_docs)]

use std::path::{Path, PathBuf};

use migrate_core::revision::source::{self, Heads};
use migrate_core::Error;

/// The migrations directory of the crate being built.
#[derive(Debug, Clone)]
pub struct Migrations {
    dir: String,
    allow_multiple_heads: bool,
}

/// What a successful validation found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Number of revisions.
    pub revisions: usize,
    /// The heads, sorted.
    pub heads: Vec<String>,
    /// Warnings (a tolerated second head, by `allow_multiple_heads` or
    /// `MIGRATE_ALLOW_MULTIPLE_HEADS`).
    pub warnings: Vec<String>,
}

impl Migrations {
    /// `dir` is relative to the crate's `CARGO_MANIFEST_DIR`, as in `embed_migrations!`.
    pub fn new(dir: impl Into<String>) -> Self {
        Migrations {
            dir: dir.into(),
            allow_multiple_heads: false,
        }
    }

    /// Accept several heads (intentional parallel branches): a second head becomes a
    /// `cargo:warning` instead of an error.
    pub fn allow_multiple_heads(mut self) -> Self {
        self.allow_multiple_heads = true;
        self
    }

    /// Validates the directory and prints the `cargo:rerun-if-changed` lines.
    /// Returns every problem at once (as [`Error::Invalid`] when there are several).
    pub fn validate(&self) -> Result<Report, Error> {
        let absolute = self.absolute_dir();
        // Rerun lines first: even a failing build must be retried when files change.
        println!("cargo:rerun-if-changed={}", absolute.display());
        println!(
            "cargo:rerun-if-env-changed={}",
            source::ALLOW_MULTIPLE_HEADS_VAR
        );
        let files = source::list_sql_files_as(&absolute, Path::new(&self.dir))?;
        for dir in directories(&absolute, &files) {
            println!("cargo:rerun-if-changed={}", dir.display());
        }
        for f in &files {
            println!("cargo:rerun-if-changed={}", f.path.display());
        }
        let heads = if self.allow_multiple_heads {
            Heads::ManyWithWarning
        } else {
            Heads::One
        };
        let checked = source::validate(&files, heads)?;
        Ok(Report {
            revisions: checked.graph.len(),
            heads: checked
                .graph
                .heads()
                .into_iter()
                .map(String::from)
                .collect(),
            warnings: checked.warnings.iter().map(ToString::to_string).collect(),
        })
    }

    /// Validates, prints warnings as `cargo:warning`, and on any problem prints them
    /// all to stderr (cargo shows it when the build script fails) and exits with
    /// status 1, so the build fails without a panic's backtrace noise.
    pub fn run(&self) -> Report {
        match self.validate() {
            Ok(report) => {
                for warning in &report.warnings {
                    println!("cargo:warning={}", warning.replace('\n', " "));
                }
                report
            }
            Err(e) => {
                let problems = e.into_problems();
                eprintln!(
                    "error: {} problem(s) in the migrations directory `{}`:",
                    problems.len(),
                    self.dir
                );
                for problem in &problems {
                    eprintln!("  {problem}");
                }
                std::process::exit(1);
            }
        }
    }

    fn absolute_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_MANIFEST_DIR") {
            Some(manifest) => Path::new(&manifest).join(&self.dir),
            None => PathBuf::from(&self.dir),
        }
    }
}

/// Every directory that holds a revision file, below `root`: a new file in any of
/// them must rerun the build script.
fn directories(root: &Path, files: &[source::SourceFile]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .flat_map(|f| {
            f.path
                .ancestors()
                .skip(1)
                .take_while(|d| d.starts_with(root) && *d != root)
        })
        .map(Path::to_path_buf)
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}
