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
//! With the `lint` feature, [`Migrations::lint`] also runs `migrate lint` over
//! the revisions not yet released and prints each finding as
//! `cargo:warning=path:line: ...`; [`Migrations::deny_lint`] makes them fail
//! the build instead:
//!
//! ```ignore
//! // Cargo.toml: migrate-build = { version = "...", features = ["lint"] }
//! migrate_build::Migrations::new("migrations")
//!     .lint()
//!     .lint_released("3f2a9c1b7d4e") // the last revision in production
//!     .deny_lint()
//!     .run();
//! ```
//!
//! Which revisions are released is said with a revision id, the last one
//! deployed: it and its ancestors are history that cannot change, so their
//! findings would only be noise. An id is in the repository, reviewed with the
//! code, and means the same on every machine; a git tag is not visible from a
//! packaged crate, and a branch label names the head of its branch, which
//! moves. Move the id forward at each release.
//!
//! Each revision's findings and schema changes are kept in the build script's
//! `OUT_DIR`, under a hash of its text and of the schema its parents left, so
//! a rerun after a touch or a checkout that changed no file parses nothing,
//! and one after an edit parses the edited revision, and its descendants only
//! when the edit changed what it does to the schema. That keeps linting cheap
//! in the default dev profile, where build scripts are compiled without
//! optimisation.
//!
//! Why the directory matters: `embed_migrations!` embeds each file with
//! `include_str!`, which makes cargo watch the files that exist, but not the
//! directory. Without `cargo:rerun-if-changed=<dir>` a *new* revision file would not
//! rebuild the crate (the bug sqlx#681, diesel#3119 and refinery#309 users hit).

#![warn(missing_docs)]

use std::path::{Path, PathBuf};

use migrate_core::revision::source::{self, Heads};
use migrate_core::Error;

#[cfg(feature = "lint")]
mod lint_cache;

/// The migrations directory of the crate being built.
#[derive(Debug, Clone)]
pub struct Migrations {
    dir: String,
    allow_multiple_heads: bool,
    #[cfg(feature = "lint")]
    lint: Option<LintSettings>,
}

/// What [`Migrations::lint`] and the methods after it asked for.
#[cfg(feature = "lint")]
#[derive(Debug, Clone, Default)]
struct LintSettings {
    released: Option<String>,
    deny: bool,
    dialects: Vec<migrate_core::Dialect>,
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
    /// Lint findings (errors and warnings), each `path:line: severity [rule]
    /// message; fix: ...`; empty unless [`Migrations::lint`] was asked for.
    pub lint_findings: Vec<String>,
}

impl Migrations {
    /// `dir` is relative to the crate's `CARGO_MANIFEST_DIR`, as in `embed_migrations!`.
    pub fn new(dir: impl Into<String>) -> Self {
        Migrations {
            dir: dir.into(),
            allow_multiple_heads: false,
            #[cfg(feature = "lint")]
            lint: None,
        }
    }

    /// Also lint the revisions (PostgreSQL rules unless [`Migrations::lint_dialects`]
    /// says otherwise): [`Migrations::run`] prints each finding as a
    /// `cargo:warning`. Info findings are never printed.
    #[cfg(feature = "lint")]
    pub fn lint(mut self) -> Self {
        self.lint.get_or_insert_with(LintSettings::default);
        self
    }

    /// The last released revision (an id or a unique prefix): it and its
    /// ancestors are not linted. Turns linting on.
    #[cfg(feature = "lint")]
    pub fn lint_released(mut self, revision: impl Into<String>) -> Self {
        self.lint.get_or_insert_with(LintSettings::default).released = Some(revision.into());
        self
    }

    /// Make lint findings fail the build instead of warning. Turns linting on.
    #[cfg(feature = "lint")]
    pub fn deny_lint(mut self) -> Self {
        self.lint.get_or_insert_with(LintSettings::default).deny = true;
        self
    }

    /// The dialects whose sections to lint (default: PostgreSQL). Turns
    /// linting on.
    #[cfg(feature = "lint")]
    pub fn lint_dialects(mut self, dialects: &[migrate_core::Dialect]) -> Self {
        self.lint.get_or_insert_with(LintSettings::default).dialects = dialects.to_vec();
        self
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
        self.validate_with_cache(std::env::var_os("OUT_DIR").map(PathBuf::from).as_deref())
    }

    /// [`Migrations::validate`], keeping the lint cache in `cache_dir` (cargo
    /// gives a build script its own `OUT_DIR`; elsewhere there is none).
    fn validate_with_cache(&self, cache_dir: Option<&Path>) -> Result<Report, Error> {
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
        let lint_findings = self.lint_findings(&checked.graph, cache_dir)?;
        Ok(Report {
            lint_findings,
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

    /// Lint findings, with the per-revision results kept in `cache_dir` from
    /// the last run: a rebuild after a touch or a checkout parses nothing, one
    /// after an edit parses the edited revision (and its descendants when the
    /// schema after it changed).
    #[cfg(feature = "lint")]
    fn lint_findings(
        &self,
        graph: &migrate_core::revision::RevisionGraph,
        cache_dir: Option<&Path>,
    ) -> Result<Vec<String>, Error> {
        let Some(settings) = &self.lint else {
            return Ok(Vec::new());
        };
        let options = migrate_core::lint::Options {
            dialects: settings.dialects.clone(),
            info: false,
            range: None,
            after: settings.released.clone(),
        };
        let findings = match cache_dir {
            Some(dir) => {
                let cache = lint_cache::Cache::new(dir, &self.dir);
                let old = cache.load();
                let run =
                    migrate_core::lint::lint_memoized(graph, &options, &lint_cache::salt(), &old)?;
                if run.linted > 0 || run.memo.len() != old.len() {
                    cache.store(&run.memo);
                }
                run.findings
            }
            None => migrate_core::lint::lint(graph, &options)?,
        };
        Ok(findings.iter().map(ToString::to_string).collect())
    }

    #[cfg(not(feature = "lint"))]
    fn lint_findings(
        &self,
        _: &migrate_core::revision::RevisionGraph,
        _: Option<&Path>,
    ) -> Result<Vec<String>, Error> {
        Ok(Vec::new())
    }

    fn deny_lint_findings(&self) -> bool {
        #[cfg(feature = "lint")]
        return self.lint.as_ref().is_some_and(|l| l.deny);
        #[cfg(not(feature = "lint"))]
        false
    }

    /// Validates, prints warnings (and lint findings) as `cargo:warning`, and on
    /// any problem prints them all to stderr (cargo shows it when the build script
    /// fails) and exits with status 1, so the build fails without a panic's
    /// backtrace noise. With [`Migrations::deny_lint`], lint findings are such
    /// problems.
    pub fn run(&self) -> Report {
        match self.validate() {
            Ok(report) if self.deny_lint_findings() && !report.lint_findings.is_empty() => {
                eprintln!(
                    "error: {} lint finding(s) in the migrations directory `{}` (deny_lint is on):",
                    report.lint_findings.len(),
                    self.dir
                );
                for finding in &report.lint_findings {
                    eprintln!("  {finding}");
                }
                std::process::exit(1);
            }
            Ok(report) => {
                for warning in report.warnings.iter().chain(&report.lint_findings) {
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

#[cfg(all(test, feature = "lint"))]
mod tests {
    use std::fs;

    use super::*;

    const USERS: &str = "-- revision: a1\n-- down_revision: none\n-- migrate:up\n\
        CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT);\n";

    fn b2(header: &str, up: &str) -> String {
        format!("-- revision: b2\n-- down_revision: a1\n{header}-- migrate:up\n{up}\n")
    }

    /// Findings with the cache in `out`, after checking they equal a run
    /// without any cache.
    fn findings(dir: &Path, out: &Path) -> Vec<String> {
        let migrations = Migrations::new(dir.to_str().unwrap()).lint();
        let cached = migrations.validate_with_cache(Some(out)).unwrap();
        let uncached = migrations.validate_with_cache(None).unwrap();
        assert_eq!(cached.lint_findings, uncached.lint_findings);
        cached.lint_findings
    }

    /// Every edit to a revision, its header included, relints: a hazard an
    /// edit adds is reported, one it fixes or acknowledges disappears.
    #[test]
    fn cached_lint_findings_follow_every_edit() {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, out) = (tmp.path().join("migrations"), tmp.path().join("out"));
        fs::create_dir_all(&dir).unwrap();
        fs::create_dir_all(&out).unwrap();
        let b2_path = dir.join("b2.sql");
        fs::write(dir.join("a1.sql"), USERS).unwrap();
        fs::write(&b2_path, b2("", "CREATE TABLE notes (id BIGINT);")).unwrap();
        assert_eq!(findings(&dir, &out), Vec::<String>::new());

        // A new hazard in an edited revision.
        fs::write(&b2_path, b2("", "CREATE INDEX ix_email ON users (email);")).unwrap();
        let hazard = findings(&dir, &out);
        assert_eq!(hazard.len(), 1, "{hazard:?}");
        assert!(
            hazard[0].starts_with(&format!(
                "{}:4: warning [index-without-concurrently]",
                b2_path.display()
            )),
            "{hazard:?}"
        );

        // Acknowledged in the header only: the sections (and their checksum)
        // are unchanged, the findings are not.
        let allow = "-- lint_allow: index-without-concurrently\n";
        fs::write(
            &b2_path,
            b2(allow, "CREATE INDEX ix_email ON users (email);"),
        )
        .unwrap();
        assert_eq!(findings(&dir, &out), Vec::<String>::new());

        // Back again, then fixed.
        fs::write(&b2_path, b2("", "CREATE INDEX ix_email ON users (email);")).unwrap();
        assert_eq!(findings(&dir, &out), hazard);
        let fixed =
            "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY ix_email ON users (email);";
        fs::write(&b2_path, b2("", "").replace("-- migrate:up\n", "") + fixed).unwrap();
        assert_eq!(findings(&dir, &out), Vec::<String>::new());

        // The parent edited: the child's finding depends on it too.
        fs::write(&b2_path, b2("", "CREATE INDEX ix_email ON users (email);")).unwrap();
        assert_eq!(findings(&dir, &out), hazard);
        fs::write(dir.join("a1.sql"), USERS.replace("users", "people")).unwrap();
        let unknown_table = findings(&dir, &out);
        assert_eq!(unknown_table.len(), 1, "{unknown_table:?}");
    }

    /// Unchanged inputs are answered from the cache (a rebuild after a touch
    /// parses nothing); other settings are not.
    #[test]
    fn unchanged_inputs_are_answered_from_the_cache() {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, out) = (tmp.path().join("migrations"), tmp.path().join("out"));
        fs::create_dir_all(&dir).unwrap();
        fs::create_dir_all(&out).unwrap();
        fs::write(dir.join("a1.sql"), USERS).unwrap();
        fs::write(
            dir.join("b2.sql"),
            b2("", "CREATE INDEX ix_email ON users (email);"),
        )
        .unwrap();
        let migrations = Migrations::new(dir.to_str().unwrap()).lint();
        let first = migrations
            .validate_with_cache(Some(&out))
            .unwrap()
            .lint_findings;
        assert_eq!(first.len(), 1);
        // Mark the stored answer: only a cache hit returns the mark.
        let cache_file = fs::read_dir(&out).unwrap().next().unwrap().unwrap().path();
        assert!(
            cache_file
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(lint_cache::FILE_PREFIX),
            "{cache_file:?}"
        );
        // Same length, so the stored entry still reads.
        let (plain, marked) = ("blocks writes", "BLOCKS WRITES");
        let stored = fs::read_to_string(&cache_file).unwrap();
        assert!(stored.contains(plain), "{stored}");
        fs::write(&cache_file, stored.replace(plain, marked)).unwrap();
        let again = migrations
            .validate_with_cache(Some(&out))
            .unwrap()
            .lint_findings;
        assert_eq!(again, vec![first[0].replace(plain, marked)]);
        // Released up to b2: b2's findings are no longer asked for.
        let released = migrations.clone().lint_released("b2");
        assert_eq!(
            released
                .validate_with_cache(Some(&out))
                .unwrap()
                .lint_findings,
            Vec::<String>::new()
        );
    }

    /// A history whose middle revision is edited: the cache answers what the
    /// edit cannot reach and lints the rest, and the findings equal a lint
    /// without any cache, before and after.
    #[test]
    fn an_edit_in_the_middle_finds_what_a_cold_lint_finds() {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, out) = (tmp.path().join("migrations"), tmp.path().join("out"));
        fs::create_dir_all(&dir).unwrap();
        fs::create_dir_all(&out).unwrap();
        fs::write(dir.join("a1.sql"), USERS).unwrap();
        let ups = [
            "ALTER TABLE users ADD COLUMN score NUMERIC(10,2);",
            "ALTER TABLE users ADD CONSTRAINT ck_email CHECK (email IS NOT NULL) NOT VALID;",
            "ALTER TABLE users VALIDATE CONSTRAINT ck_email;",
            "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n\
             ALTER TABLE users ALTER COLUMN score TYPE NUMERIC(12,2);",
        ];
        let write = |i: usize, up: &str| {
            let (id, down) = (
                format!("r{}", i + 2),
                if i == 0 {
                    "a1".into()
                } else {
                    format!("r{}", i + 1)
                },
            );
            fs::write(
                dir.join(format!("{id}.sql")),
                format!("-- revision: {id}\n-- down_revision: {down}\n-- migrate:up\n{up}\n"),
            )
            .unwrap();
        };
        for (i, up) in ups.iter().enumerate() {
            write(i, up);
        }
        let clean = findings(&dir, &out);
        assert_eq!(clean, Vec::<String>::new());
        // The column is now an INTEGER and the check never validated: the
        // last revision's findings change although its file did not.
        write(0, "ALTER TABLE users ADD COLUMN score INTEGER;");
        write(2, "SELECT 1;");
        let edited = findings(&dir, &out);
        assert_eq!(edited.len(), 2, "{edited:?}");
        assert!(edited[0].contains("[set-not-null]"), "{edited:?}");
        assert!(edited[1].contains("[column-type-change]"), "{edited:?}");
        write(2, ups[2]);
        let one = findings(&dir, &out);
        assert_eq!(one.len(), 1, "{one:?}");
    }

    /// A cache file from another version, damaged, or not text at all is
    /// ignored (the findings are linted afresh), never a failed build.
    #[test]
    fn an_unreadable_cache_file_is_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, out) = (tmp.path().join("migrations"), tmp.path().join("out"));
        fs::create_dir_all(&dir).unwrap();
        fs::create_dir_all(&out).unwrap();
        fs::write(dir.join("a1.sql"), USERS).unwrap();
        fs::write(
            dir.join("b2.sql"),
            b2("", "CREATE INDEX ix_email ON users (email);"),
        )
        .unwrap();
        let expected = findings(&dir, &out);
        assert_eq!(expected.len(), 1);
        let cache_file = fs::read_dir(&out).unwrap().next().unwrap().unwrap().path();
        let good = fs::read(&cache_file).unwrap();
        let old_format = format!("{}\n{}\n{}", "0".repeat(64), expected[0].len(), expected[0]);
        let damaged: Vec<Vec<u8>> = vec![
            old_format.into_bytes(),
            good[..good.len() / 2].to_vec(),
            good.iter().map(|b| b ^ 0x5a).collect(),
            vec![0xff, 0xfe, 0x00, 0x01],
            Vec::new(),
        ];
        for bytes in damaged {
            fs::write(&cache_file, &bytes).unwrap();
            assert_eq!(findings(&dir, &out), expected, "{bytes:?}");
        }
        // A directory where the file should be: nothing is stored, nothing fails.
        fs::remove_file(&cache_file).unwrap();
        fs::create_dir(&cache_file).unwrap();
        assert_eq!(findings(&dir, &out), expected);
    }
}
