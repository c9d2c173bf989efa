//! The `migrate` command line, shared by the generic binary and by
//! an application's own runner (the role of Alembic's `env.py`):
//!
//! ```no_run
//! // src/bin/migrate.rs of an application
//! fn main() -> std::process::ExitCode {
//!     migrate_core::cli::main(migrate_core::cli::Source::Directory("migrations".into()))
//! }
//! ```
//!
//! Results go to stdout and messages to stderr. Exit codes: 0 on success, 1 on an
//! error or detected drift, 2 on a usage error. `docs/cli.md` in the repository
//! describes every command, option and output shape.
//!
//! `args.rs` is the grammar (every option and help text); the command modules read
//! it and write through [`Output`]; this module only dispatches.

mod apply;
mod args;
mod author;
mod autogen;
mod format;
mod graph;
mod inspect;
mod lint;
mod output;

pub use args::{
    CheckArgs, Cli, Command, CurrentArgs, DbArgs, FilterArgs, GraphArgs, GraphFormat, HistoryArgs,
    LintArgs, MergeArgs, MoveArgs, RebaseArgs, RevisionArgs, ShowArgs, SquashArgs, StampArgs,
    TargetArgs,
};
pub use output::Output;

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use crate::error::Result;
use crate::revision::{self, Direction, EmbeddedMigrations, RevisionGraph};
use crate::{backend, config};

/// Where the revisions come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Compiled in by `embed_migrations!`; `--dir` switches to reading a directory.
    Embedded(EmbeddedMigrations),
    /// Read from this directory at run time (`--dir` and `MIGRATE_DIR` override it).
    Directory(PathBuf),
}

impl From<EmbeddedMigrations> for Source {
    fn from(m: EmbeddedMigrations) -> Self {
        Source::Embedded(m)
    }
}

impl From<&EmbeddedMigrations> for Source {
    fn from(m: &EmbeddedMigrations) -> Self {
        Source::Embedded(*m)
    }
}

/// Runs the CLI on the process's arguments and standard streams.
pub fn main(source: impl Into<Source>) -> ExitCode {
    let (mut stdout, mut stderr) = (std::io::stdout().lock(), std::io::stderr().lock());
    run_from(std::env::args_os(), source.into(), &mut stdout, &mut stderr)
}

/// Runs the CLI on the given arguments (the first is the program name).
pub fn run_from<I, T>(args: I, source: Source, out: &mut dyn Write, err: &mut dyn Write) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version arrive as "errors" that belong on stdout. Real
            // errors quote the offending argument, which may be a URL.
            if e.use_stderr() {
                let _ = write!(err, "{}", config::redact(&e.render().to_string()));
            } else {
                let _ = write!(out, "{}", e.render());
            }
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let mut output = Output {
        out,
        err,
        quiet: cli.quiet,
    };
    match run(&cli, &source, &mut output) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(output.err, "error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a parsed command.
pub fn run(cli: &Cli, source: &Source, output: &mut Output<'_>) -> Result<ExitCode> {
    if let (None, Source::Embedded(embedded)) = (&cli.dir, source) {
        if !matches!(cli.command, Command::Init { .. }) {
            warn_if_stale(embedded, output);
        }
    }
    match &cli.command {
        Command::Init { directory } => {
            let dir = directory.clone().unwrap_or_else(|| write_dir(cli, source));
            author::init(&dir, output)
        }
        Command::Revision(args) if args.autogenerate => autogen::revision(
            &load_from_disk(cli, source)?,
            &write_dir(cli, source),
            cli.url.as_deref(),
            args,
            output,
        ),
        Command::Revision(args) => author::revision(
            &load_from_disk(cli, source)?,
            &write_dir(cli, source),
            args,
            output,
        ),
        Command::Check(args) => {
            autogen::check(&load(cli, source)?, cli.url.as_deref(), args, output)
        }
        Command::Merge(args) => author::merge(
            &load_from_disk(cli, source)?,
            &write_dir(cli, source),
            args,
            output,
        ),
        Command::Rebase(args) => {
            let graph = load_from_disk(cli, source)?;
            // Only a database named with --url is checked: rebase is an authoring
            // command, and must not reach for a production URL from the environment.
            let applied = match &cli.url {
                Some(url) => {
                    let mut db = backend::connect(
                        &config::DatabaseUrl::parse(url)?,
                        &backend::ConnectOptions::default(),
                    )?;
                    apply::applied(&graph, db.as_mut(), &args.db, output)?
                }
                None => Vec::new(),
            };
            author::rebase(&graph, args, &applied, output)
        }
        Command::Squash(args) => author::squash(
            &load_from_disk(cli, source)?,
            &write_dir(cli, source),
            args,
            output,
        ),
        Command::Heads(args) => inspect::heads(&load(cli, source)?, args, output),
        Command::Branches(args) => inspect::branches(&load(cli, source)?, args, output),
        Command::History(args) => {
            let graph = load(cli, source)?;
            let applied = if args.reads_database() {
                let mut db = apply::connect(cli.url.as_deref(), output)?;
                Some(apply::applied(&graph, db.as_mut(), &args.db, output)?)
            } else {
                None
            };
            inspect::history(&graph, args, applied.as_deref(), output)
        }
        Command::Upgrade(args) => apply::move_to(
            &load(cli, source)?,
            Direction::Up,
            cli.url.as_deref(),
            args,
            output,
        ),
        Command::Downgrade(args) => apply::move_to(
            &load(cli, source)?,
            Direction::Down,
            cli.url.as_deref(),
            args,
            output,
        ),
        Command::Stamp(args) => apply::stamp(&load(cli, source)?, cli.url.as_deref(), args, output),
        Command::Current(args) => {
            apply::current(&load(cli, source)?, cli.url.as_deref(), args, output)
        }
        Command::Lint(args) => lint::lint(&load(cli, source)?, args, output),
        Command::Graph(args) => {
            let graph = load(cli, source)?;
            let applied = if args.indicate_current || cli.url.is_some() {
                let mut db = apply::connect(cli.url.as_deref(), output)?;
                apply::applied(&graph, db.as_mut(), &args.db, output)?
            } else {
                Vec::new()
            };
            let current = graph.current_heads(&applied);
            graph::graph(&graph, args, &current, output)
        }
        Command::Show { rev } => inspect::show(&load(cli, source)?, rev, &[] as &[&str], output),
    }
}

/// A runner built before the directory changed would serve old revisions while
/// `revision` and `merge` read the new files: say so, naming the files.
fn warn_if_stale(embedded: &EmbeddedMigrations, output: &mut Output<'_>) {
    let changes = match revision::source::compare_with_disk(embedded) {
        Ok(Some(changes)) if !changes.is_empty() => changes,
        // No directory (a deployed binary), or one that cannot be read: nothing
        // to compare with.
        _ => return,
    };
    let _ = writeln!(
        output.err,
        "warning: the migrations directory differs from the revisions built into this binary ({changes}); \
         `upgrade`, `heads` and the other commands use the built-in ones, while `revision` and `merge` read the directory: \
         rebuild the runner (`cargo build`, or run it with `cargo run --bin migrate -- ...`) to use the files"
    );
}

/// Reads and validates the revision graph from the configured source.
fn load(cli: &Cli, source: &Source) -> Result<RevisionGraph> {
    match (&cli.dir, source) {
        (Some(dir), _) | (None, Source::Directory(dir)) => revision::source::load_graph(dir),
        (None, Source::Embedded(embedded)) => embedded.graph(),
    }
}

/// Where new revision files go: `--dir`, else the source directory (for embedded
/// migrations, the directory they were compiled from).
fn write_dir(cli: &Cli, source: &Source) -> PathBuf {
    match (&cli.dir, source) {
        (Some(dir), _) | (None, Source::Directory(dir)) => dir.clone(),
        (None, Source::Embedded(embedded)) => PathBuf::from(embedded.source_dir),
    }
}

/// The graph as it is on disk now: authoring must see files written since the
/// binary was built.
fn load_from_disk(cli: &Cli, source: &Source) -> Result<RevisionGraph> {
    revision::source::load_graph(&write_dir(cli, source))
}
