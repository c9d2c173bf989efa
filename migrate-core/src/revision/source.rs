//! The file I/O of `revision`: reading a migrations directory from disk, writing
//! new and rewritten revision files atomically, and the build-time switch that
//! lets a second head through.
//!
//! Subdirectories are read too, and files are visited in sorted order so every
//! caller (build script, macro, runtime) sees the same list. [`validate`] is the
//! one pipeline all of them run: list, read, parse, build the graph, check the
//! heads. Paths in its errors are the directory as the caller shows it (the path
//! the user wrote), never a path made absolute on the way.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{file, Revision, RevisionGraph};
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

/// Lists every `.sql` file under `dir`, recursively, sorted by path. Messages
/// (here and for each file later) show `shown` in place of `dir`: the path as the
/// user wrote it, when `dir` was made absolute.
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
    let (_, parsed) = read_and_parse(&files);
    parsed
}

/// The revision graph of the files under `dir`, with any number of heads (the
/// command line's view: it is what writes the merge). Every problem is reported
/// at once.
pub fn load_graph(dir: &Path) -> Result<RevisionGraph> {
    let files = list_sql_files(dir)?;
    Ok(validate(&files, Heads::Any)?.graph)
}

/// How many heads a directory may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heads {
    /// One; a second is an error, unless [`ALLOW_MULTIPLE_HEADS_VAR`] is set for
    /// this build, which makes it a warning.
    One,
    /// Several are fine, with a warning (`allow_multiple_heads`: intentional
    /// parallel branches).
    ManyWithWarning,
    /// Any number, silently.
    Any,
}

/// A migrations directory that passed [`validate`].
#[derive(Debug)]
pub struct Validated {
    /// Every file, in the order listed, with its text.
    pub files: Vec<(SourceFile, String)>,
    /// The revision graph of those files.
    pub graph: RevisionGraph,
    /// Problems tolerated by the [`Heads`] rule (a second head).
    pub warnings: Vec<Error>,
}

/// The one validation of a migrations directory, shared by the build script,
/// `embed_migrations!` and the command line: reads each listed file, parses
/// them all, builds the graph and checks the heads. Every problem is reported at
/// once (as [`Error::Invalid`] when there are several), each naming its file as
/// listed.
///
/// ```no_run
/// use migrate_core::revision::source::{list_sql_files, validate, Heads};
/// let files = list_sql_files("migrations".as_ref())?;
/// let checked = validate(&files, Heads::One)?;
/// println!("{} revisions, heads {:?}", checked.graph.len(), checked.graph.heads());
/// # Ok::<(), migrate_core::Error>(())
/// ```
pub fn validate(files: &[SourceFile], heads: Heads) -> Result<Validated> {
    let (texts, parsed) = read_and_parse(files);
    let graph = parsed.and_then(RevisionGraph::new)?;
    let mut warnings = Vec::new();
    if let Err(second_head) = graph.check_single_head() {
        match heads {
            Heads::One if !multiple_heads_allowed_by_env() => return Err(second_head),
            Heads::One | Heads::ManyWithWarning => warnings.push(second_head),
            Heads::Any => {}
        }
    }
    Ok(Validated {
        files: texts,
        graph,
        warnings,
    })
}

/// Reads every file and parses the readable ones: the texts read, and the
/// revisions or every problem met (unreadable files and parse errors alike).
fn read_and_parse(files: &[SourceFile]) -> (Vec<(SourceFile, String)>, Result<Vec<Revision>>) {
    let mut texts = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    for f in files {
        match read_source(f) {
            Ok(text) => texts.push((f.clone(), text)),
            Err(e) => problems.extend(e.into_problems()),
        }
    }
    let parsed = file::parse_many(
        texts
            .iter()
            .map(|(f, t)| (f.display_path.as_str(), t.as_str())),
    );
    let revisions = parsed.unwrap_or_else(|e| {
        problems.extend(e.into_problems());
        Vec::new()
    });
    let result = match Error::from_problems(problems) {
        Some(e) => Err(e),
        None => Ok(revisions),
    };
    (texts, result)
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

/// Writes `text` to `dir/name` atomically: the file appears whole or not at all,
/// and an existing file is never overwritten.
pub fn write_new_file(dir: &Path, name: &str, text: &str) -> Result<PathBuf> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| Error::Io { path, source }
    };
    fs::create_dir_all(dir).map_err(io(dir))?;
    let path = dir.join(name);
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .map_err(io(&temp))?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    drop(file);
    // A hard link fails when the target exists, unlike rename, which would replace it.
    let linked = written.and_then(|()| fs::hard_link(&temp, &path));
    let _ = fs::remove_file(&temp);
    linked.map_err(io(&path))?;
    Ok(path)
}

/// Replaces an existing file's contents atomically (temp file, then rename).
pub fn replace_file(path: &Path, text: &str) -> Result<()> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = fs::write(&temp, text).and_then(|()| fs::rename(&temp, path));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written.map_err(io)
}

#[cfg(test)]
mod tests {
    use super::{list_sql_files_as, validate, Heads};
    use std::path::Path;

    const BASE: &str = "-- revision: a1\n-- down_revision: none\n\n-- migrate:up\nSELECT 1;\n";

    #[test]
    fn every_message_names_files_as_the_caller_shows_the_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let shown = Path::new("migrations");
        std::fs::create_dir(tmp.path().join("sub")).unwrap();
        std::fs::write(tmp.path().join("a1.sql"), BASE).unwrap();
        std::fs::write(tmp.path().join("sub/b2.sql"), b"-- revision: b2\n\xff\n").unwrap();

        let files = list_sql_files_as(tmp.path(), shown).unwrap();
        let display: Vec<&str> = files.iter().map(|f| f.display_path.as_str()).collect();
        assert_eq!(display, ["migrations/a1.sql", "migrations/sub/b2.sql"]);
        // An unreadable file (not UTF-8) is named as shown, not by its real path.
        let err = validate(&files, Heads::One).unwrap_err().to_string();
        assert_eq!(
            err,
            "migrations/sub/b2.sql:2: file is not valid UTF-8; save it as UTF-8"
        );

        let missing = list_sql_files_as(&tmp.path().join("nope"), Path::new("nope")).unwrap_err();
        assert!(missing.to_string().contains("`nope`"), "{missing}");
    }

    #[test]
    fn a_second_head_is_an_error_a_warning_or_nothing_as_asked() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("a1.sql"), BASE).unwrap();
        std::fs::write(tmp.path().join("b1.sql"), BASE.replace("a1", "b1")).unwrap();
        let files = list_sql_files_as(tmp.path(), Path::new("m")).unwrap();
        if !super::multiple_heads_allowed_by_env() {
            let err = validate(&files, Heads::One).unwrap_err().to_string();
            assert!(err.contains("a1") && err.contains("b1"), "{err}");
        }
        let warned = validate(&files, Heads::ManyWithWarning).unwrap();
        assert_eq!(warned.warnings.len(), 1);
        assert_eq!(warned.graph.heads(), ["a1", "b1"]);
        assert!(validate(&files, Heads::Any).unwrap().warnings.is_empty());
    }
}
