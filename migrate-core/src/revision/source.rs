//! Reading a migrations directory from disk, and the build-time switch that lets
//! a second head through.
//!
//! Subdirectories are read too, and files are visited in sorted order so every
//! caller (build script, macro, runtime) sees the same list.

use std::fs;
use std::path::{Path, PathBuf};

use super::{file, Revision};
use crate::error::{Error, Location, ParseProblem, Result};

/// The environment variable that lets one build through with several heads: the
/// build script and `embed_migrations!` then warn instead of failing, so the
/// project's own runner can build and write the merge:
/// `MIGRATE_ALLOW_MULTIPLE_HEADS=1 cargo run --bin migrate -- merge heads -m "merge"`.
pub const ALLOW_MULTIPLE_HEADS_VAR: &str = "MIGRATE_ALLOW_MULTIPLE_HEADS";

/// True when [`ALLOW_MULTIPLE_HEADS_VAR`] is set to anything but empty or `0`.
pub fn multiple_heads_allowed_by_env() -> bool {
    std::env::var_os(ALLOW_MULTIPLE_HEADS_VAR).is_some_and(|v| !v.is_empty() && v != "0")
}

/// One `.sql` file found under a migrations directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as shown in messages: the directory as given, joined with the
    /// file's path inside it.
    pub display_path: String,
    /// The real path on disk.
    pub path: PathBuf,
}

/// Lists every `.sql` file under `dir`, recursively, sorted by path.
///
/// Symbolic links are followed, except one that leads back to a directory the walk
/// came through: that is [`Error::SymlinkLoop`], naming the link.
pub fn list_sql_files(dir: &Path) -> Result<Vec<SourceFile>> {
    list_sql_files_as(dir, dir)
}

/// [`list_sql_files`], with paths in messages and [`SourceFile::display_path`]
/// shown under `shown` instead of `dir` (the build script and the macro read an
/// absolute directory but name files as the user wrote the path).
pub fn list_sql_files_as(dir: &Path, shown: &Path) -> Result<Vec<SourceFile>> {
    if !dir.is_dir() {
        return Err(Error::MissingDirectory {
            path: shown.display().to_string(),
        });
    }
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| Error::Io { path, source }
    };
    let mut out = Vec::new();
    // Each directory still to read, with the directories the walk went through to
    // reach it (itself last) as (path shown, real path): a link whose real path is
    // one of them would be read again and again.
    let root = fs::canonicalize(dir).map_err(io(shown))?;
    let mut pending = vec![(dir.to_path_buf(), vec![(shown.to_path_buf(), root)])];
    while let Some((current, trail)) = pending.pop() {
        let current_shown = &trail[trail.len() - 1].0;
        let entries = fs::read_dir(&current).map_err(io(current_shown))?;
        for entry in entries {
            let entry = entry.map_err(io(current_shown))?;
            let path = entry.path();
            let name = entry.file_name();
            let path_shown = current_shown.join(&name);
            if path.is_dir() {
                let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
                let real = if is_link {
                    fs::canonicalize(&path).map_err(io(&path_shown))?
                } else {
                    trail[trail.len() - 1].1.join(&name)
                };
                if let Some((again, _)) = trail.iter().find(|(_, r)| *r == real) {
                    return Err(Error::SymlinkLoop {
                        link: path_shown.display().to_string(),
                        target: again.display().to_string(),
                    });
                }
                let mut deeper = trail.clone();
                deeper.push((path_shown, real));
                pending.push((path, deeper));
            } else if path.extension().is_some_and(|e| e == "sql") {
                out.push(SourceFile {
                    display_path: path_shown.display().to_string(),
                    path,
                });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Reads one file as UTF-8; a file that is not UTF-8 is a parse error at line 1.
pub fn read_source(file: &SourceFile) -> Result<String> {
    let bytes = fs::read(&file.path).map_err(|source| Error::Io {
        path: file.display_path.clone(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        Error::Parse {
            location: Location::new(file.display_path.clone(), line),
            problem: ParseProblem::NotUtf8,
        }
    })
}

/// Reads and parses every revision under `dir`, reporting every malformed file
/// at once (as [`Error::Invalid`] when there are several).
///
/// ```no_run
/// let revisions = migrate_core::revision::load_dir("migrations".as_ref())?;
/// let graph = migrate_core::revision::RevisionGraph::new(revisions)?;
/// println!("heads: {:?}", graph.heads());
/// # Ok::<(), migrate_core::Error>(())
/// ```
pub fn load_dir(dir: &Path) -> Result<Vec<Revision>> {
    let files = list_sql_files(dir)?;
    let mut texts = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for f in &files {
        match read_source(f) {
            Ok(text) => texts.push((f.display_path.as_str(), text)),
            Err(e) => problems.push(e),
        }
    }
    let mut revisions = Vec::new();
    match file::parse_many(texts.iter().map(|(p, t)| (*p, t.as_str()))) {
        Ok(parsed) => revisions = parsed,
        Err(e) => problems.extend(e.into_problems()),
    }
    match Error::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok(revisions),
    }
}

/// How the migrations directory on disk differs from the revisions compiled into a
/// binary. Paths read as in messages (`migrations/1a2b_init.sql`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiskChanges {
    /// Files on disk that the binary does not have.
    pub added: Vec<String>,
    /// Files the binary has that are gone from disk.
    pub removed: Vec<String>,
    /// Files whose text on disk differs from the binary's.
    pub edited: Vec<String>,
}

impl DiskChanges {
    /// True when disk and binary agree.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.edited.is_empty()
    }
}

impl std::fmt::Display for DiskChanges {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        for (what, files) in [
            ("new on disk", &self.added),
            ("gone from disk", &self.removed),
            ("edited on disk", &self.edited),
        ] {
            if !files.is_empty() {
                parts.push(format!("{what}: {}", files.join(", ")));
            }
        }
        f.write_str(&parts.join("; "))
    }
}

/// Compares `embedded` with its source directory as it is now. `None` when that
/// directory does not exist, as for a binary deployed without its sources.
///
/// Embedded paths are the directory as the macro was given it joined with the
/// file's path inside it; that prefix is the longest tail of `source_dir` that
/// every embedded path starts with.
pub fn compare_with_disk(embedded: &super::EmbeddedMigrations) -> Result<Option<DiskChanges>> {
    let dir = Path::new(embedded.source_dir);
    if !dir.is_dir() {
        return Ok(None);
    }
    let components = |p: &Path| -> Vec<PathBuf> {
        p.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .map(|c| PathBuf::from(c.as_os_str()))
            .collect()
    };
    let source = components(dir);
    let files: Vec<Vec<PathBuf>> = embedded
        .files
        .iter()
        .map(|f| components(Path::new(f.path)))
        .collect();
    let prefix = (0..=source.len())
        .map(|start| &source[start..])
        .find(|tail| files.iter().all(|f| f.starts_with(tail)))
        .unwrap_or(&[]);
    let shown = |inside: &Path| -> String {
        prefix
            .iter()
            .collect::<PathBuf>()
            .join(inside)
            .display()
            .to_string()
    };
    let mut built_in: Vec<(PathBuf, &str, &str)> = embedded
        .files
        .iter()
        .zip(&files)
        .map(|(f, parts)| (parts[prefix.len()..].iter().collect(), f.path, f.contents))
        .collect();
    let mut changes = DiskChanges::default();
    for file in list_sql_files(dir)? {
        let inside = file
            .path
            .strip_prefix(dir)
            .unwrap_or(&file.path)
            .to_path_buf();
        match built_in.iter().position(|(p, _, _)| *p == inside) {
            Some(i) => {
                let (_, path, contents) = built_in.swap_remove(i);
                // Unreadable or not UTF-8 counts as edited; the parser says why later.
                if read_source(&file).ok().as_deref() != Some(contents) {
                    changes.edited.push(path.to_string());
                }
            }
            None => changes.added.push(shown(&inside)),
        }
    }
    changes.removed = built_in
        .into_iter()
        .map(|(_, path, _)| path.to_string())
        .collect();
    changes.removed.sort();
    changes.edited.sort();
    Ok(Some(changes))
}
