//! Commands that write revision files: `init`, `revision`, `merge`, `rebase`
//! and `squash`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::args::{MergeArgs, RebaseArgs, RevisionArgs, SquashArgs};
use super::output::{message, print, Output};
use crate::error::{Error, Result};
use crate::revision::author::{self, NewRevision};
use crate::revision::{self, rewrite, source, RevisionGraph};

/// `migrate init`: a new migrations directory with a first, empty revision, and
/// the snippets that wire it into the application.
pub fn init(dir: &Path, output: &mut Output<'_>) -> Result<ExitCode> {
    let has_files = dir
        .read_dir()
        .map(|mut entries| entries.next().is_some())
        .unwrap_or(false);
    if has_files {
        return Err(Error::DirectoryNotEmpty {
            path: dir.display().to_string(),
        });
    }
    let first = NewRevision {
        id: author::fresh_id(None),
        message: "initial revision".to_string(),
        ..NewRevision::default()
    };
    let path = write(dir, &first, output)?;
    print(output, &path.display().to_string());
    let dir_text = dir.display();
    message(
        output,
        &format!(
            "\nNext steps:\n\
             1. Cargo.toml:\n   [dependencies] migrate = \"0.1\"\n   [build-dependencies] migrate-build = \"0.1\"\n\
             2. build.rs (fails `cargo build` on a broken revision chain):\n   \
             fn main() {{ migrate_build::Migrations::new(\"{dir_text}\").run(); }}\n\
             3. Embed the revisions and upgrade at start-up:\n   \
             static MIGRATIONS: migrate::EmbeddedMigrations = migrate::embed_migrations!(\"{dir_text}\");\n\
             4. Your own runner, src/bin/migrate.rs (the role of Alembic's env.py):\n   \
             fn main() -> std::process::ExitCode {{ migrate::cli::main(migrate::embed_migrations!(\"{dir_text}\")) }}\n   \
             and, under [package] in Cargo.toml, default-run = \"<your service>\" so a plain `cargo run` runs the service\n\
             5. Write the next revision: cargo run --bin migrate -- revision -m \"create users\""
        ),
    );
    Ok(ExitCode::SUCCESS)
}

/// `migrate revision -m MSG`: an empty revision on top of the current head.
pub fn revision(
    graph: &RevisionGraph,
    dir: &Path,
    args: &RevisionArgs,
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let new = plan_revision(graph, args, String::new(), String::new())?;
    let path = write(dir, &new, output)?;
    print(output, &path.display().to_string());
    Ok(ExitCode::SUCCESS)
}

/// The header of a new revision: its parents, labels and dependencies, checked
/// against the graph. Autogenerate fills in the SQL.
pub fn plan_revision(
    graph: &RevisionGraph,
    args: &RevisionArgs,
    up: String,
    down: String,
) -> Result<NewRevision> {
    let down_revisions = match args.head.as_deref() {
        Some("base") => Vec::new(),
        Some("head") | None => match graph.heads().as_slice() {
            [] => Vec::new(),
            [one] => vec![one.to_string()],
            several => {
                return Err(Error::NeedsHead {
                    heads: several.iter().map(|h| h.to_string()).collect(),
                })
            }
        },
        Some(rev) => vec![resolve_one(graph, rev)?],
    };
    let depends_on = args
        .depends_on
        .iter()
        .map(|d| {
            // A label stays a label, so the dependency follows the branch.
            if graph.labels().iter().any(|(l, _)| l == d) {
                Ok(d.clone())
            } else {
                graph.find(d).map(|r| r.id.clone())
            }
        })
        .collect::<Result<Vec<_>>>()?;
    let new = NewRevision {
        id: args
            .rev_id
            .clone()
            .unwrap_or_else(|| author::fresh_id(Some(graph))),
        down_revisions,
        message: args.message.clone(),
        branch_labels: args.branch_label.clone(),
        depends_on,
        up,
        down,
        ..NewRevision::default()
    };
    author::validate_new(&new, graph)?;
    Ok(new)
}

/// `migrate merge REVS -m MSG`: a revision whose parents are the given revisions.
pub fn merge(
    graph: &RevisionGraph,
    dir: &Path,
    args: &MergeArgs,
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let mut parents: Vec<String> = Vec::new();
    for rev in &args.revisions {
        let ids = if rev == "heads" {
            graph.heads().into_iter().map(String::from).collect()
        } else {
            vec![resolve_one(graph, rev)?]
        };
        for id in ids {
            if !parents.contains(&id) {
                parents.push(id);
            }
        }
    }
    if parents.len() < 2 {
        return Err(Error::InvalidArgument {
            argument: "REVS".to_string(),
            reason: format!(
                "a merge needs at least two revisions, got {}",
                if parents.is_empty() {
                    "none".to_string()
                } else {
                    parents.join(", ")
                }
            ),
        });
    }
    let new = NewRevision {
        id: args
            .rev_id
            .clone()
            .unwrap_or_else(|| author::fresh_id(Some(graph))),
        down_revisions: parents,
        message: args.message.clone(),
        branch_labels: args.branch_label.clone(),
        ..NewRevision::default()
    };
    author::validate_new(&new, graph)?;
    let path = write(dir, &new, output)?;
    print(output, &path.display().to_string());
    Ok(ExitCode::SUCCESS)
}

/// One revision from an id, prefix, label or `<label>@head`.
fn resolve_one(graph: &RevisionGraph, text: &str) -> Result<String> {
    let text = text.strip_suffix("@head").unwrap_or(text);
    Ok(graph.find(text)?.id.clone())
}

/// Writes the file and checks that the directory still forms a valid graph.
pub fn write(dir: &Path, new: &NewRevision, output: &mut Output<'_>) -> Result<PathBuf> {
    let text = new.render(&author::now_rfc3339());
    // The same parser that will read it back must accept it.
    revision::parse(&new.file_name(), &text)?;
    let path = source::write_new_file(dir, &new.file_name(), &text)?;
    message(output, &format!("Generating {} ... done", path.display()));
    Ok(path)
}

fn read_file(path: &str) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_string(),
        source,
    })
}

/// `migrate rebase`: moves a branch on top of another revision by rewriting one
/// `down_revision` line. `applied` are the revisions a database has applied (empty
/// without `--url`); rewriting any of them is refused, since that database's
/// history would no longer match the files.
pub fn rebase(
    graph: &RevisionGraph,
    args: &RebaseArgs,
    applied: &[String],
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let plan = rewrite::plan_rebase(graph, &args.branch_head, &args.onto, &read_file)?;
    let applied_moved: Vec<String> = plan
        .moved
        .iter()
        .filter(|id| applied.contains(id))
        .cloned()
        .collect();
    if !applied_moved.is_empty() {
        return Err(Error::RewritesApplied {
            revisions: applied_moved,
        });
    }
    source::replace_file(Path::new(&plan.path), &plan.text)?;
    message(
        output,
        &format!(
            "Rebased {} onto {}: rewrote {}",
            plan.moved.join(", "),
            args.onto,
            plan.path
        ),
    );
    print(output, &plan.path);
    Ok(ExitCode::SUCCESS)
}

/// `migrate squash A:B`: one revision replaces a linear run.
pub fn squash(
    graph: &RevisionGraph,
    dir: &Path,
    args: &SquashArgs,
    output: &mut Output<'_>,
) -> Result<ExitCode> {
    let Some((Some(a), Some(b))) = revision::target::split_range(&args.range) else {
        return Err(Error::InvalidArgument {
            argument: "A:B".to_string(),
            reason: format!(
                "expected two revisions separated by `:`, got `{}`",
                args.range
            ),
        });
    };
    let plan = rewrite::plan_squash(graph, a, b, &args.message, args.rev_id.clone(), &read_file)?;
    // Write the new revision first: an interrupted squash then leaves a duplicate
    // that validation names, never a hole in the history.
    let path = write(dir, &plan.revision, output)?;
    for (child, text) in &plan.rewrite {
        source::replace_file(Path::new(child), text)?;
    }
    for old in &plan.delete {
        std::fs::remove_file(old).map_err(|source| Error::Io {
            path: old.clone(),
            source,
        })?;
    }
    message(
        output,
        &format!(
            "Squashed {} revisions into {} (replaces: {})",
            plan.delete.len(),
            plan.revision.id,
            plan.revision.replaces.join(", ")
        ),
    );
    print(output, &path.display().to_string());
    Ok(ExitCode::SUCCESS)
}
